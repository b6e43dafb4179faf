"""nango target against a contract-checking Nango stand-in (Starlette + uvicorn on 127.0.0.1).

The stand-in (the `nango` fixture of tests/conftest.py, shared with the CLI end-to-end tests)
validates every `POST /connections` body against the request schema Nango publishes for that
operation (`../shared/specs/nango-spec.yaml`, OpenAPI 3.1 = JSON Schema 2020-12) plus the server
limits SOURCES.md records (unknown top-level fields rejected; token 1-4096, client_id 1-255,
client_secret 1-2048 chars), checks the bearer key, and stores connections so that
`GET /connections/{id}?provider_config_key=` reads them back as Nango does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
import jwt
import pytest
from pydantic import SecretStr

from auth0_m2m.consumers import (
    AccessToken,
    ConsumerSettings,
    NangoSink,
    SinkError,
    TokenRequestError,
    parse_target,
)
from auth0_m2m.consumers._settings import NangoSettings
from auth0_m2m.outputs import IntegrationOutputs

if TYPE_CHECKING:
    from conftest import NangoStandIn

Outputs = Callable[..., IntegrationOutputs]
TOKEN = "eyJ.test-access-token.sig"


def fixed_token(item: IntegrationOutputs) -> AccessToken:
    return AccessToken(access_token=SecretStr(TOKEN), token_type="Bearer", expires_in=86400)


def sink_for(base_url: str, key: str, **changes: Any) -> NangoSink:
    settings = NangoSettings(base_url=base_url, secret_key=SecretStr(key), **changes)
    return NangoSink(settings, token_source=fixed_token)


def read_back(base_url: str, connection_id: str, key: str = "auth0-cc") -> dict[str, Any]:
    response = httpx.get(f"{base_url}/connections/{connection_id}", params={"provider_config_key": key})
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    return data


def test_stand_in_rejects_a_body_against_the_spec(nango: tuple[str, NangoStandIn]) -> None:
    base_url, state = nango
    bad = {"provider_config_key": "auth0-cc", "credentials": {"type": "OAUTH2_CC", "client_id": "x"}}
    response = httpx.post(
        f"{base_url}/connections", json=bad, headers={"Authorization": f"Bearer {state.key}"}
    )
    assert response.status_code == 400
    assert state.problems.pop().startswith("invalid_body: ")


def test_connection_is_upserted_with_nango_names(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    item = make_outputs(organization="acme", organization_id="org_1")
    described = sink_for(base_url, state.key).write([item], stack="dev")
    assert state.problems == []
    stored = read_back(base_url, "billing")
    assert stored["credentials"]["type"] == "OAUTH2_CC"
    assert stored["credentials"]["client_id"] == item.client_id
    assert stored["credentials"]["client_secret"] == item.client_secret.get_secret_value()
    assert stored["credentials"]["token"] == TOKEN
    assert stored["credentials"]["expires_at"].endswith("Z")
    assert stored["connection_config"] == {
        "hostname": item.hostname,
        "audience": item.audience,
        "organization": "acme",
    }
    assert stored["tags"] == {"auth0-m2m-stack": "dev", "auth0-m2m-integration": "billing"}
    assert described == f"nango: upserted connection(s) billing (auth0-cc) at {base_url}"


def test_organization_is_left_out_when_unset(nango: tuple[str, NangoStandIn], make_outputs: Outputs) -> None:
    base_url, state = nango
    sink_for(base_url, state.key, connection_id_prefix="dev-").write([make_outputs("crm")], stack="dev")
    assert state.problems == []
    assert "organization" not in read_back(base_url, "dev-crm")["connection_config"]


def test_second_write_updates_the_connection(nango: tuple[str, NangoStandIn], make_outputs: Outputs) -> None:
    base_url, state = nango
    sink = sink_for(base_url, state.key, provider_config_key="my-auth0")
    sink.write([make_outputs("rot", client_id="old")], stack="dev")
    sink.write([make_outputs("rot", client_id="new")], stack="dev")
    assert read_back(base_url, "rot", "my-auth0")["credentials"]["client_id"] == "new"
    assert state.problems == []


def test_settings_come_from_the_environment(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    base_url, state = nango
    monkeypatch.setenv("AUTH0_M2M_NANGO__BASE_URL", base_url)
    monkeypatch.setenv("AUTH0_M2M_NANGO__SECRET_KEY", state.key)
    monkeypatch.setenv("AUTH0_M2M_NANGO__PROVIDER_CONFIG_KEY", "from-env")
    sink = parse_target("nango:")
    assert isinstance(sink, NangoSink)
    sink.token_source = fixed_token
    sink.write([make_outputs("envy")], stack="dev")
    assert read_back(base_url, "envy", "from-env")["provider_config_key"] == "from-env"


def test_wrong_key_is_refused_without_leaking(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs, secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    base_url, state = nango
    caplog.set_level(logging.DEBUG)
    sink = NangoSink(
        NangoSettings(base_url=base_url, secret_key=SecretStr("wrong-key")), token_source=fixed_token
    )
    with pytest.raises(SinkError) as exc:
        sink.write([make_outputs()], stack="dev")
    state.problems.clear()
    assert (
        str(exc.value)
        == "nango: connection billing refused: HTTP 401: unknown_account: Authentication failed"
    )
    for text in (str(exc.value), caplog.text):
        assert secret not in text
        assert TOKEN not in text
        assert "wrong-key" not in text


def test_missing_secret_key_names_the_variable(make_outputs: Outputs) -> None:
    sink = parse_target("nango:", ConsumerSettings())
    with pytest.raises(SinkError) as exc:
        sink.write([make_outputs()], stack="dev")
    assert str(exc.value) == (
        "nango: AUTH0_M2M_NANGO__SECRET_KEY is not set; set it to the Nango environment's secret key"
    )


def test_failed_token_request_stops_before_nango(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    before = state.posts

    def refuse(item: IntegrationOutputs) -> AccessToken:
        raise TokenRequestError("token request refused: access_denied: no grant", status_code=403)

    sink = NangoSink(NangoSettings(base_url=base_url, secret_key=SecretStr(state.key)), token_source=refuse)
    with pytest.raises(SinkError) as exc:
        sink.write([make_outputs()], stack="dev")
    assert str(exc.value) == (
        "nango: no token for billing, so no connection: token request refused: access_denied: no grant"
    )
    assert state.posts == before


def test_token_comes_from_the_tenant_as_nango_requests_it(
    nango: tuple[str, NangoStandIn],
    server: Any,
    provision: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    base_url, state = nango
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("AUTH0_M2M_NANGO__BASE_URL", base_url)
    monkeypatch.setenv("AUTH0_M2M_NANGO__SECRET_KEY", state.key)
    monkeypatch.setenv("AUTH0_M2M_CA_FILE", str(server.ca_file))
    item = provision("require").outputs
    parse_target("nango:").write([item], stack="local")
    assert state.problems == []
    stored = read_back(base_url, item.name)
    token = stored["credentials"]["token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["azp"] == item.client_id
    assert claims["org_id"] == item.organization_id
    assert stored["connection_config"]["organization"] == item.organization
    assert token not in caplog.text
    assert item.client_secret.get_secret_value() not in caplog.text
