"""Auth0Provider: autonaming, previews without API calls, secret marking, config errors."""

from __future__ import annotations

import httpx
import pytest

from auth0_m2m.provider import Auth0Provider, ConfigError, UnsupportedError
from auth0_m2m.provider._exceptions import PartialCreate
from auth0_m2m.provider._provider import autoname
from auth0_m2m.provider._resources import RESOURCE_TYPES
from auth0_m2m.provider._values import UNKNOWN, Secret

pytestmark = pytest.mark.anyio
ENV = {"AUTH0_DOMAIN": "tenant.example.test", "AUTH0_CLIENT_ID": "id", "AUTH0_CLIENT_SECRET": "secret"}
CLIENT = "auth0:index/client:Client"


def refuse_all(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"the provider called {request.method} {request.url} during a preview")


def configured(env: dict[str, str] = ENV) -> Auth0Provider:
    provider = Auth0Provider(env=env, transport=httpx.MockTransport(refuse_all))
    provider.configure({}, {})
    return provider


def test_autoname_is_deterministic_for_a_seed_and_has_seven_hex_chars() -> None:
    name = autoname("svc", b"seed")
    assert name == autoname("svc", b"seed")
    assert name != autoname("svc", b"other")
    prefix, suffix = name.rsplit("-", 1)
    assert prefix == "svc"
    assert len(suffix) == 7
    assert all(c in "0123456789abcdef" for c in suffix)


def test_check_autonames_a_missing_name_and_keeps_an_old_one() -> None:
    provider = configured()
    inputs, failures = provider.check(CLIENT, "svc", {}, {"appType": "non_interactive"}, b"seed")
    assert inputs["name"] == autoname("svc", b"seed")
    assert failures == []
    again, _ = provider.check(CLIENT, "svc", {"name": "svc-1234567"}, {}, b"different")
    assert again["name"] == "svc-1234567"


def test_check_of_an_unsupported_type_names_it() -> None:
    with pytest.raises(UnsupportedError) as exc:
        configured().check("auth0:index/user:User", "u", {}, {}, b"")
    assert "auth0:index/user:User" in str(exc.value)
    assert "stand-in" in str(exc.value)


async def test_preview_create_calls_no_api_and_leaves_server_fields_unknown() -> None:
    provider = configured()
    resource_id, outputs = await provider.create(
        "auth0:index/clientCredentials:ClientCredentials",
        {"clientId": UNKNOWN, "authenticationMethod": "client_secret_post"},
        preview=True,
    )
    assert resource_id == ""
    assert outputs["clientId"] is UNKNOWN
    assert outputs["clientSecret"] is UNKNOWN


async def test_preview_update_calls_no_api() -> None:
    outputs = await configured().update(
        CLIENT, "cid", {"name": "a"}, {"name": "a", "clientId": "cid"}, {"name": "b"}, preview=True
    )
    assert outputs == {"name": "b", "clientId": "cid"}


def test_missing_domain_is_one_clear_line() -> None:
    provider = Auth0Provider(env={})
    with pytest.raises(ConfigError) as exc:
        provider.configure({}, {})
    assert "auth0:domain" in str(exc.value)
    assert "AUTH0_DOMAIN" in str(exc.value)


def test_config_args_win_over_env_and_booleans_come_as_strings() -> None:
    provider = Auth0Provider(env=ENV)
    provider.configure({"domain": "other.example.test", "apiToken": Secret("tok"), "debug": "true"}, {})
    assert provider.config is not None
    assert provider.config.domain == "other.example.test"
    assert provider.config.api_token == "tok"
    assert provider.config.debug
    assert "tok" not in repr(provider.config)


def test_checks_tolerate_values_unknown_in_a_preview() -> None:
    provider = configured()
    token = "auth0:index/clientCredentials:ClientCredentials"
    news = {"clientId": UNKNOWN, "authenticationMethod": "private_key_jwt", "privateKeyJwt": UNKNOWN}
    _, failures = provider.check(token, "c", {}, news, b"")
    assert failures == []
    _, missing = provider.check(token, "c", {}, {**news, "privateKeyJwt": {}}, b"")
    assert [f[0] for f in missing] == ["privateKeyJwt"]


async def test_a_failure_after_the_post_keeps_the_id_with_secret_outputs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t"})
        if request.method == "POST":
            return httpx.Response(201, json={"client_id": "cid1"})
        return httpx.Response(500, json={"statusCode": 500, "error": "Internal", "message": "boom"})

    provider = Auth0Provider(env=ENV, transport=httpx.MockTransport(handler))
    provider.configure({}, {})
    monkeypatch.setattr(RESOURCE_TYPES[CLIENT], "create_settle_seconds", 0)
    monkeypatch.setattr(provider.api, "_sleep", _no_sleep)  # skip the retry backoff
    with pytest.raises(PartialCreate) as exc:
        await provider.create(CLIENT, {"name": "svc", "clientMetadata": Secret({"k": "v"})}, preview=False)
    assert exc.value.resource_id == "cid1"
    assert exc.value.outputs["clientMetadata"] == Secret({"k": "v"})
    assert "500" in str(exc.value)


async def _no_sleep(_: float) -> None:
    return None
