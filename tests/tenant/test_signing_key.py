"""The signing key's memory of verified tokens never lets a token through that a full check would refuse."""

from __future__ import annotations

import time

import jwt
import pytest

from auth0_m2m.tenant.core.keys import SigningKey

ISSUER = "https://localhost:1/"
AUDIENCE = "https://localhost:1/api/v2/"


def _token(key: SigningKey, lifetime: int) -> str:
    now = int(time.time())
    return key.sign({"iss": ISSUER, "aud": AUDIENCE, "sub": "x@clients", "iat": now, "exp": now + lifetime})


def test_a_verified_token_is_refused_once_it_expires() -> None:
    key = SigningKey()
    token = _token(key, 1)
    assert key.decode(token, audience=AUDIENCE, issuer=ISSUER)["sub"] == "x@clients"
    time.sleep(2.1)
    with pytest.raises(jwt.ExpiredSignatureError):
        key.decode(token, audience=AUDIENCE, issuer=ISSUER)


def test_a_verified_token_is_still_checked_against_another_audience() -> None:
    key = SigningKey()
    token = _token(key, 60)
    key.decode(token, audience=AUDIENCE, issuer=ISSUER)
    with pytest.raises(jwt.InvalidAudienceError):
        key.decode(token, audience="https://other.example/", issuer=ISSUER)


def test_a_token_from_another_key_is_refused_after_ours_verified() -> None:
    key, other = SigningKey(), SigningKey()
    key.decode(_token(key, 60), audience=AUDIENCE, issuer=ISSUER)
    with pytest.raises(jwt.InvalidSignatureError):
        key.decode(_token(other, 60), audience=AUDIENCE, issuer=ISSUER)
