"""private_key_jwt integrations in the consumers: verify signs an assertion with the given key (real local
tenant), or says it cannot verify; the key setting (`AUTH0_M2M_PRIVATE_KEYS`) and its errors; the
`nango:` target refuses such an integration in one line; which records count as private_key_jwt.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from auth0_m2m.consumers import (
    NangoSink,
    PrivateKey,
    SinkError,
    load_settings,
    private_key_for,
    private_key_variable,
    token_request_body,
    verify_all,
    verify_integration,
)
from auth0_m2m.consumers._settings import ConsumerSettingsError, NangoSettings
from auth0_m2m.outputs import IntegrationOutputs
from auth0_m2m.tenant import TenantServer
from tests.tenant.pkjwt import private_pem, public_pem

Provisioned = Any  # conftest.Provisioned


def _key(n: int = 0, alg: str = "RS256") -> PrivateKey:
    return PrivateKey(pem=SecretStr(private_pem(n)), alg=alg, source="test")


@pytest.fixture
def pkjwt(server: TenantServer, provision: Callable[..., Provisioned]) -> Callable[..., IntegrationOutputs]:
    """`pkjwt(keys=(0,), alg="RS256")`: a provisioned integration switched to private_key_jwt."""

    def build(keys: tuple[int, ...] = (0,), alg: str = "RS256") -> IntegrationOutputs:
        outputs: IntegrationOutputs = provision().outputs
        auth = {"Authorization": f"Bearer {server.management_token()}"}
        base = f"{server.base_url}/api/v2/clients/{outputs.client_id}"
        with httpx.Client(verify=server.ssl_context(), headers=auth) as http:
            ids = [
                http.post(
                    f"{base}/credentials",
                    json={"credential_type": "public_key", "pem": public_pem(n), "alg": alg},
                ).json()["id"]
                for n in keys
            ]
            methods = {"private_key_jwt": {"credentials": [{"id": i} for i in ids]}}
            body = {"client_authentication_methods": methods, "token_endpoint_auth_method": None}
            http.patch(base, json=body).raise_for_status()
        return dataclasses.replace(outputs, client_secret=SecretStr(""), auth_method="private_key_jwt")

    return build


def test_verify_signs_an_assertion_with_the_given_key(
    server: TenantServer, pkjwt: Callable[..., IntegrationOutputs]
) -> None:
    outputs = pkjwt()
    result = verify_integration(outputs, ca_file=server.ca_file, private_key=_key(0))
    assert (result.ok, result.reason) == (True, "ok")


def test_verify_with_either_of_two_keys_and_ps256(
    server: TenantServer, pkjwt: Callable[..., IntegrationOutputs]
) -> None:
    outputs = pkjwt(keys=(0, 1), alg="PS256")
    for n in (0, 1):
        assert verify_integration(outputs, ca_file=server.ca_file, private_key=_key(n, "PS256")).ok


def test_verify_with_the_wrong_key_fails_with_the_tenants_reason(
    server: TenantServer, pkjwt: Callable[..., IntegrationOutputs]
) -> None:
    result = verify_integration(pkjwt(keys=(0,)), ca_file=server.ca_file, private_key=_key(1))
    assert not result.ok
    assert result.reason.startswith("token request refused: invalid_client: ")


def test_without_a_key_verify_cannot_verify_and_fails(
    make_outputs: Callable[..., IntegrationOutputs],
) -> None:
    outputs = make_outputs("nango-billing", client_secret=SecretStr(""), auth_method="private_key_jwt")
    result = verify_integration(outputs)  # no request: the host does not even exist
    assert not result.ok
    assert result.reason == (
        "cannot verify: private_key_jwt, no private key given "
        "(set AUTH0_M2M_PRIVATE_KEYS__NANGO_BILLING=<path to its private key PEM>)"
    )


def test_verify_all_uses_each_integrations_key(
    server: TenantServer, pkjwt: Callable[..., IntegrationOutputs], provision: Callable[..., Provisioned]
) -> None:
    signed, plain, keyless = pkjwt(), provision().outputs, pkjwt()
    results = verify_all(
        [signed, plain, keyless], ca_file=server.ca_file, private_keys={signed.name: _key(0)}
    )
    assert [r.ok for r in results] == [True, True, False]
    assert results[2].reason.startswith("cannot verify: private_key_jwt")


def test_a_key_is_ignored_for_a_secret_integration(make_outputs: Callable[..., IntegrationOutputs]) -> None:
    outputs = make_outputs("billing")
    assert "client_secret" in token_request_body(outputs, None)
    body = token_request_body(dataclasses.replace(outputs, auth_method="private_key_jwt"), _key(0))
    assert "client_secret" not in body and body["client_assertion"].count(".") == 2


@pytest.mark.parametrize(
    ("auth_method", "secret", "expected"),
    [
        (None, "", True),
        (None, "s", False),
        ("private_key_jwt", "", True),
        ("client_secret_basic", "s", False),
        ("client_secret_post", "", False),
    ],
)
def test_which_records_are_private_key_jwt(
    make_outputs: Callable[..., IntegrationOutputs], auth_method: str | None, secret: str, expected: bool
) -> None:
    record = make_outputs("x", client_secret=SecretStr(secret), auth_method=auth_method)
    assert record.uses_private_key_jwt is expected


def test_from_mapping_reads_auth_method() -> None:
    entry = {
        "client_id": "c",
        "client_secret": None,
        "hostname": "h",
        "audience": "a",
        "auth_method": "private_key_jwt",
    }
    assert IntegrationOutputs.from_mapping("x", entry).auth_method == "private_key_jwt"


# -- the setting -----------------------------------------------------------------------------------
def test_key_by_env_variable_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "k.pem"
    path.write_text(private_pem(0))
    monkeypatch.setenv("AUTH0_M2M_PRIVATE_KEYS__NANGO_BILLING", str(path))
    key = private_key_for(load_settings(), "nango-billing")
    assert key is not None and key.alg == "RS256"
    assert private_pem(0) not in repr(key) and "NANGO_BILLING" in key.source
    assert private_key_for(load_settings(), "reporting") is None


def test_key_by_json_map_with_an_algorithm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "k.pem"
    path.write_text(private_pem(1))
    monkeypatch.setenv("AUTH0_M2M_PRIVATE_KEYS", f'{{"nango-billing": "PS256:{path}"}}')
    key = private_key_for(load_settings(), "nango-billing")
    assert key is not None and key.alg == "PS256"


def test_variable_name_of_an_integration() -> None:
    assert private_key_variable("nango-billing.v2") == "AUTH0_M2M_PRIVATE_KEYS__NANGO_BILLING_V2"


@pytest.mark.parametrize("content", [None, "not a key", "public"])
def test_a_bad_key_file_is_one_line_naming_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None
) -> None:
    path = tmp_path / "k.pem"
    if content is not None:
        path.write_text(public_pem(0) if content == "public" else content)
    monkeypatch.setenv("AUTH0_M2M_PRIVATE_KEYS__BILLING", str(path))
    with pytest.raises(ConsumerSettingsError) as exc:
        private_key_for(load_settings(), "billing")
    message = str(exc.value)
    assert message.startswith("AUTH0_M2M_PRIVATE_KEYS__BILLING: ") and "\n" not in message
    assert str(path) in message and "BEGIN" not in message


# -- nango: ----------------------------------------------------------------------------------------
def test_nango_refuses_a_private_key_jwt_integration_in_one_line(
    make_outputs: Callable[..., IntegrationOutputs],
) -> None:
    sent: list[IntegrationOutputs] = []

    def token_source(item: IntegrationOutputs) -> Any:
        sent.append(item)
        raise AssertionError("no token may be requested")

    sink = NangoSink(
        NangoSettings(base_url="http://127.0.0.1:9", secret_key=SecretStr("k")), token_source=token_source
    )
    items = [
        make_outputs("ok"),
        make_outputs("signed", client_secret=SecretStr(""), auth_method="private_key_jwt"),
    ]
    for call in (sink.write, sink.holds):
        with pytest.raises(SinkError) as exc:
            call(items, stack="dev")
        assert str(exc.value).startswith(
            "nango: signed uses private_key_jwt, which Nango's auth0-cc provider"
        )
        assert "\n" not in str(exc.value)
    assert sent == []


# -- the CLI's key step ----------------------------------------------------------------------------
def test_cli_reads_keys_only_for_private_key_jwt_integrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_outputs: Callable[..., IntegrationOutputs]
) -> None:
    import typer

    from auth0_m2m.cli._consumers import _private_keys

    path = tmp_path / "k.pem"
    path.write_text(private_pem(0))
    monkeypatch.setenv("AUTH0_M2M_PRIVATE_KEYS__SIGNED", str(path))
    monkeypatch.setenv("AUTH0_M2M_PRIVATE_KEYS__PLAIN", str(tmp_path / "absent.pem"))  # never read
    signed = make_outputs("signed", client_secret=SecretStr(""), auth_method="private_key_jwt")
    assert set(_private_keys([signed, make_outputs("plain")])) == {"signed"}
    monkeypatch.setenv("AUTH0_M2M_PRIVATE_KEYS__SIGNED", str(tmp_path / "absent.pem"))
    with pytest.raises(typer.Exit) as exc:
        _private_keys([signed])
    assert exc.value.exit_code == 2
