"""The engine value codec: secrets, unknowns and whole numbers survive a round trip."""

from __future__ import annotations

from pulumi.runtime import rpc

from auth0_m2m.provider._values import UNKNOWN, Secret, decode_struct, encode_struct, reveal


def test_round_trip_keeps_secrets_unknowns_and_ints() -> None:
    values = {
        "clientSecret": Secret("s3cret"),
        "clientId": UNKNOWN,
        "tokenLifetime": 3600,
        "jwtConfiguration": {"alg": "RS256", "secretEncoded": False},
        "scopes": [{"name": "read:x"}],
        "ratio": 0.5,
    }
    assert decode_struct(encode_struct(values)) == values


def test_secret_travels_in_the_engine_signature_form() -> None:
    struct = encode_struct({"clientSecret": Secret("s3cret")})
    inner = struct.fields["clientSecret"].struct_value.fields
    assert inner[rpc._special_sig_key].string_value == rpc._special_secret_sig
    assert inner["value"].string_value == "s3cret"


def test_reveal_strips_nested_secrets_and_repr_hides_them() -> None:
    value = {"a": [Secret({"b": Secret("c")})]}
    assert reveal(value) == {"a": [{"b": "c"}]}
    assert "c" not in repr(Secret("c")).replace("Secret", "")
