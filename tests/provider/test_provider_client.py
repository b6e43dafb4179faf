"""ManagementClient: token request, retries, 429 handling, error decoding, escaping, log redaction."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from urllib.parse import parse_qs

import httpx
import pytest
from provider_scripted_auth0 import DOMAIN, ScriptedAuth0

from auth0_m2m.provider._client import ManagementClient, backoff_delay, path
from auth0_m2m.provider._config import ProviderConfig
from auth0_m2m.provider._exceptions import Auth0APIError, Auth0ConnectionError, Auth0NotFound, Auth0TokenError

pytestmark = pytest.mark.anyio


def test_path_escapes_slashes_in_identifiers() -> None:
    assert (
        path("resource-servers", "https://api.example.com/v1")
        == "resource-servers/https:%2F%2Fapi.example.com%2Fv1"
    )


def test_backoff_stays_between_half_a_second_and_ten_seconds() -> None:
    delays = [backoff_delay(attempt) for attempt in range(8) for _ in range(20)]
    assert min(delays) >= 0.5
    assert max(delays) <= 10.0
    assert max(backoff_delay(0) for _ in range(50)) <= 1.0


async def test_token_is_requested_once_with_basic_auth_and_port_in_audience(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("GET", "clients", body=[])
    api = api_factory()
    await api.get("clients")
    await api.get("clients")
    assert len(auth0.token_requests) == 1
    token_request = auth0.token_requests[0]
    form = parse_qs(token_request.content.decode())
    assert form == {"audience": [f"https://{DOMAIN}/api/v2/"], "grant_type": ["client_credentials"]}
    expected = base64.b64encode(b"deployer:deployer-secret").decode()
    assert token_request.headers["Authorization"] == f"Basic {expected}"
    assert auth0.sent[0].headers["Authorization"] == "Bearer tok"


async def test_token_falls_back_to_form_credentials_when_basic_is_refused(config: ProviderConfig) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            seen.append(request)
            if "Authorization" in request.headers:
                return httpx.Response(
                    401, json={"error": "access_denied", "error_description": "Unauthorized"}
                )
            return httpx.Response(200, json={"access_token": "form-tok", "expires_in": 60})
        return httpx.Response(200, json={"ok": request.headers["Authorization"]})

    api = ManagementClient(config, transport=httpx.MockTransport(handler))
    assert await api.get("clients") == {"ok": "Bearer form-tok"}
    assert len(seen) == 2
    assert parse_qs(seen[1].content.decode())["client_id"] == ["deployer"]


async def test_refused_token_names_the_config_keys_and_hides_the_secret(config: ProviderConfig) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": "access_denied", "error_description": "Unauthorized"})

    api = ManagementClient(config, transport=httpx.MockTransport(handler))
    with pytest.raises(Auth0TokenError) as exc:
        await api.get("clients")
    assert exc.value.status_code == 401
    assert "auth0:clientSecret" in str(exc.value)
    assert "deployer-secret" not in str(exc.value)


async def test_api_token_skips_the_token_request(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("GET", "clients", body=[])
    api = api_factory(config=ProviderConfig(domain=DOMAIN, api_token="static"))
    await api.get("clients")
    assert auth0.token_requests == []
    assert auth0.sent[0].headers["Authorization"] == "Bearer static"


async def test_429_waits_until_rate_limit_reset_and_retries(config: ProviderConfig) -> None:
    waits: list[float] = []
    answers = [
        httpx.Response(429, headers={"X-RateLimit-Reset": "1012"}, json={"statusCode": 429}),
        httpx.Response(429, json={"statusCode": 429}),
        httpx.Response(200, json={"done": True}),
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t"})
        return answers.pop(0)

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    api = ManagementClient(config, transport=httpx.MockTransport(handler), sleep=sleep, clock=lambda: 1000.0)
    assert await api.get("clients") == {"done": True}
    assert waits == [12.0, 5.0]


async def test_5xx_is_retried_three_times_then_reported(config: ProviderConfig) -> None:
    attempts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t"})
        attempts.append(request.url.path)
        return httpx.Response(
            503, json={"statusCode": 503, "error": "Service Unavailable", "message": "busy"}
        )

    async def sleep(seconds: float) -> None:
        assert 0.5 <= seconds <= 10.0

    api = ManagementClient(config, transport=httpx.MockTransport(handler), sleep=sleep)
    with pytest.raises(Auth0APIError) as exc:
        await api.get("clients")
    assert exc.value.status_code == 503
    assert len(attempts) == 4


async def test_connection_errors_are_retried_then_reported(config: ProviderConfig) -> None:
    attempts = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal attempts
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t"})
        attempts += 1
        raise httpx.ConnectError("connection refused", request=request)

    async def sleep(_: float) -> None:
        return None

    api = ManagementClient(config, transport=httpx.MockTransport(handler), sleep=sleep)
    with pytest.raises(Auth0ConnectionError) as exc:
        await api.get("clients")
    assert "connection refused" in str(exc.value)
    assert attempts == 4


async def test_404_becomes_not_found_with_auth0_message(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on(
        "GET",
        "clients/",
        404,
        {"statusCode": 404, "error": "Not Found", "message": "The client does not exist"},
    )
    with pytest.raises(Auth0NotFound) as exc:
        await api_factory().get(path("clients", "abc"))
    assert exc.value.status_code == 404
    assert exc.value.api_message == "The client does not exist"


async def test_query_keys_are_sorted_and_commas_escaped(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("GET", "clients/", body={})
    await api_factory().get(
        path("clients", "abc"), {"include_fields": "true", "fields": "client_id,app_type"}
    )
    assert auth0.calls() == ["GET /api/v2/clients/abc?fields=client_id%2Capp_type&include_fields=true"]


async def test_debug_log_redacts_secrets(
    auth0: ScriptedAuth0, config: ProviderConfig, caplog: pytest.LogCaptureFixture
) -> None:
    auth0.on("PATCH", "clients/", body={})
    debug_config = ProviderConfig(
        domain=DOMAIN, client_id="deployer", client_secret="deployer-secret", debug=True
    )
    api = ManagementClient(debug_config, transport=httpx.MockTransport(auth0.handler))
    with caplog.at_level(logging.DEBUG, logger="auth0_m2m.provider.http"):
        await api.patch(path("clients", "abc"), {"client_secret": "very-secret-value", "name": "x"})
    assert "PATCH /api/v2/clients/abc" in caplog.text
    assert "very-secret-value" not in caplog.text
    assert "deployer-secret" not in caplog.text
