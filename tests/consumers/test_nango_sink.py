"""nango target against a contract-checking Nango stand-in (Starlette + uvicorn on 127.0.0.1).

The stand-in (the `nango` fixture of tests/conftest.py, shared with the CLI end-to-end tests)
validates every `POST /connections` body against the request schema Nango publishes for that
operation (`../shared/specs/nango-spec.yaml`, OpenAPI 3.1 = JSON Schema 2020-12) plus the server
limits SOURCES.md records (unknown top-level fields rejected; token 1-4096, client_id 1-255,
client_secret 1-2048 chars), checks the bearer key, and stores connections so that
`GET /connections/{id}?provider_config_key=` reads them back as Nango does (its answers checked
against the spec's `ConnectionFull` / `StdError`); `holds` reads through that route.
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


def read_back(nango: tuple[str, NangoStandIn], connection_id: str, key: str = "auth0-cc") -> dict[str, Any]:
    base_url, state = nango
    response = httpx.get(
        f"{base_url}/connections/{connection_id}",
        params={"provider_config_key": key},
        headers={"Authorization": f"Bearer {state.key}"},
    )
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
    stored = read_back(nango, "billing")
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
    assert "organization" not in read_back(nango, "dev-crm")["connection_config"]


def test_second_write_updates_the_connection(nango: tuple[str, NangoStandIn], make_outputs: Outputs) -> None:
    base_url, state = nango
    sink = sink_for(base_url, state.key, provider_config_key="my-auth0")
    sink.write([make_outputs("rot", client_id="old")], stack="dev")
    sink.write([make_outputs("rot", client_id="new")], stack="dev")
    assert read_back(nango, "rot", "my-auth0")["credentials"]["client_id"] == "new"
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
    assert read_back(nango, "envy", "from-env")["provider_config_key"] == "from-env"


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
    stored = read_back(nango, item.name)
    token = stored["credentials"]["token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["azp"] == item.client_id
    assert claims["org_id"] == item.organization_id
    assert stored["connection_config"]["organization"] == item.organization
    assert token not in caplog.text
    assert item.client_secret.get_secret_value() not in caplog.text


# -- holds: whether each connection already holds what write would store ------------------------
class CountingTokens:
    """A token source that counts its calls: `holds` must never ask the tenant for a token."""

    def __init__(self, token: str = TOKEN, expires_in: int = 86400) -> None:
        self.token, self.expires_in, self.calls = token, expires_in, 0

    def __call__(self, item: IntegrationOutputs) -> AccessToken:
        self.calls += 1
        return AccessToken(
            access_token=SecretStr(self.token), token_type="Bearer", expires_in=self.expires_in
        )


def counting_sink(base_url: str, key: str, **changes: Any) -> tuple[NangoSink, CountingTokens]:
    tokens = CountingTokens()
    settings = NangoSettings(base_url=base_url, secret_key=SecretStr(key), **changes)
    return NangoSink(settings, token_source=tokens), tokens


def test_stand_in_reads_a_connection_back_as_the_spec_says(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    sink_for(base_url, state.key).write([make_outputs("spec-read", organization="acme")], stack="dev")
    stored = read_back(nango, "spec-read")
    assert stored["credentials"]["raw"]["client_id"] == "cid_spec-read"
    assert state.problems == []  # the answer validated against ConnectionFull


def test_stand_in_needs_the_provider_config_key_to_read(nango: tuple[str, NangoStandIn]) -> None:
    base_url, state = nango
    response = httpx.get(f"{base_url}/connections/x", headers={"Authorization": f"Bearer {state.key}"})
    assert response.status_code == 400
    assert state.problems.pop().startswith("invalid_query_params: ")


def test_holds_is_false_before_the_first_write(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    sink, _ = counting_sink(base_url, state.key)
    assert sink.holds([make_outputs("holds-new")], stack="dev") is False
    assert state.problems == []


def test_holds_right_after_a_write_of_the_same_outputs(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    sink, _ = counting_sink(base_url, state.key, connection_id_prefix="dev-")
    items = [make_outputs("holds-a", organization="acme"), make_outputs("holds-b")]
    sink.write(items, stack="dev")
    assert sink.holds(items, stack="dev") is True
    assert state.problems == []


def test_holds_requests_no_token_and_posts_nothing(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    sink, tokens = counting_sink(base_url, state.key)
    sink.write([make_outputs("holds-count")], stack="dev")
    posts, gets, calls = state.posts, state.gets, tokens.calls
    assert sink.holds([make_outputs("holds-count")], stack="dev") is True
    assert (state.posts, state.gets, tokens.calls) == (posts, gets + 1, calls)


def test_holds_ignores_the_token_and_its_expiry(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    sink, _ = counting_sink(base_url, state.key)
    sink.write([make_outputs("holds-token")], stack="dev")
    stored = state.connections[("auth0-cc", "holds-token")]["credentials"]
    stored.update(token="a-token-nango-refreshed", expires_at="2030-01-01T00:00:00Z")
    assert sink.holds([make_outputs("holds-token")], stack="dev") is True


def test_holds_ignores_connection_config_keys_that_are_not_ours(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    sink, _ = counting_sink(base_url, state.key)
    sink.write([make_outputs("holds-extra")], stack="dev")
    state.connections[("auth0-cc", "holds-extra")]["connection_config"]["oauth_scopes_override"] = ["x"]
    assert sink.holds([make_outputs("holds-extra")], stack="dev") is True


def test_holds_is_false_after_the_secret_is_rotated(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    sink, _ = counting_sink(base_url, state.key)
    sink.write([make_outputs("holds-rotated")], stack="dev")
    rotated = make_outputs("holds-rotated", client_secret=SecretStr("rotated-secret"))
    assert sink.holds([rotated], stack="dev") is False


@pytest.mark.parametrize(
    "changes",
    [
        {"client_id": "another-client"},
        {"hostname": "other.example.test"},
        {"audience": "https://other.example.test/"},
        {"organization": "acme"},
    ],
)
def test_holds_is_false_when_another_field_changes(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs, changes: dict[str, str]
) -> None:
    base_url, state = nango
    sink, _ = counting_sink(base_url, state.key)
    sink.write([make_outputs("holds-field")], stack="dev")
    assert sink.holds([make_outputs("holds-field", **changes)], stack="dev") is False


def test_holds_is_false_when_the_organization_is_dropped(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    sink, _ = counting_sink(base_url, state.key)
    sink.write([make_outputs("holds-org", organization="acme")], stack="dev")
    assert sink.holds([make_outputs("holds-org")], stack="dev") is False


def test_holds_is_false_for_another_stack_tag(nango: tuple[str, NangoStandIn], make_outputs: Outputs) -> None:
    base_url, state = nango
    sink, _ = counting_sink(base_url, state.key)
    sink.write([make_outputs("holds-tag")], stack="dev")
    assert sink.holds([make_outputs("holds-tag")], stack="prod") is False


def test_holds_is_false_when_one_of_several_connections_is_missing(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    sink, _ = counting_sink(base_url, state.key)
    sink.write([make_outputs("holds-one")], stack="dev")
    assert sink.holds([make_outputs("holds-one"), make_outputs("holds-two")], stack="dev") is False


def test_holds_is_false_when_nango_cannot_refresh_the_token(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    sink, _ = counting_sink(base_url, state.key)
    sink.write([make_outputs("holds-exhausted")], stack="dev")
    state.exhausted.add(("auth0-cc", "holds-exhausted"))
    assert sink.holds([make_outputs("holds-exhausted")], stack="dev") is False
    assert state.problems == []  # the 424 answer is one the spec lists


def test_write_after_a_rotation_posts_once_and_then_holds(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs
) -> None:
    base_url, state = nango
    sink, _ = counting_sink(base_url, state.key)
    sink.write([make_outputs("holds-rewrite")], stack="dev")
    rotated = [make_outputs("holds-rewrite", client_secret=SecretStr("rotated-secret"))]
    posts = state.posts
    assert sink.holds(rotated, stack="dev") is False
    sink.write(rotated, stack="dev")
    assert sink.holds(rotated, stack="dev") is True
    assert state.posts == posts + 1


def test_holds_with_a_wrong_key_is_one_line_without_secrets(
    nango: tuple[str, NangoStandIn], make_outputs: Outputs, secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    base_url, state = nango
    sink_for(base_url, state.key).write([make_outputs("holds-key")], stack="dev")
    caplog.set_level(logging.DEBUG)
    wrong, _ = counting_sink(base_url, "wrong-key")
    with pytest.raises(SinkError) as exc:
        wrong.holds([make_outputs("holds-key")], stack="dev")
    state.problems.clear()
    assert str(exc.value) == (
        "nango: cannot read connection holds-key: HTTP 401: unknown_account: Authentication failed"
    )
    for text in (str(exc.value), caplog.text):
        assert secret not in text
        assert "wrong-key" not in text
        assert state.key not in text


def test_holds_on_an_unreachable_nango_is_one_line(
    free_port: Callable[[], int], make_outputs: Outputs, secret: str
) -> None:
    base_url = f"http://127.0.0.1:{free_port()}"
    sink, _ = counting_sink(base_url, "some-key")
    with pytest.raises(SinkError) as exc:
        sink.holds([make_outputs()], stack="dev")
    message = str(exc.value)
    assert message.startswith(f"nango: cannot reach {base_url}: ConnectError: ")
    assert "\n" not in message
    assert secret not in message
    assert "some-key" not in message


def test_holds_without_a_secret_key_names_the_variable(make_outputs: Outputs) -> None:
    with pytest.raises(SinkError) as exc:
        parse_target("nango:", ConsumerSettings()).holds([make_outputs()], stack="dev")
    assert str(exc.value) == (
        "nango: AUTH0_M2M_NANGO__SECRET_KEY is not set; set it to the Nango environment's secret key"
    )
