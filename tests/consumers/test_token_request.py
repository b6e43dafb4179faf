"""The token request Nango sends, its error lines, and the 429 back-off and client-side pacing.

HTTP is served by httpx's MockTransport (the transport seam httpx offers for offline tests); the
same requests against the real local tenant are in test_verify_tenant.py.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable

import httpx
import pytest

from auth0_m2m.consumers import RateLimiter, RetryPolicy, TokenRequestError, request_token, token_request_body
from auth0_m2m.consumers._ratelimit import retry_after, send_with_retries
from auth0_m2m.outputs import IntegrationOutputs

Outputs = Callable[..., IntegrationOutputs]
Handler = Callable[[httpx.Request], httpx.Response]


def client_for(handler: Handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_body_is_what_nango_sends_without_organization(make_outputs: Outputs) -> None:
    outputs = make_outputs()
    assert token_request_body(outputs) == {
        "grant_type": "client_credentials",
        "client_id": outputs.client_id,
        "client_secret": outputs.client_secret.get_secret_value(),
        "audience": outputs.audience,
    }


def test_body_carries_organization_when_set(make_outputs: Outputs) -> None:
    assert token_request_body(make_outputs(organization="acme"))["organization"] == "acme"


def test_request_is_json_post_to_hostname(make_outputs: Outputs) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"access_token": "tok", "token_type": "Bearer", "expires_in": 86400})

    outputs = make_outputs(organization="acme")
    token = request_token(outputs, client=client_for(handler))
    assert token.access_token.get_secret_value() == "tok"
    assert token.expires_in == 86400
    assert str(seen[0].url) == f"https://{outputs.hostname}/oauth/token"
    assert seen[0].headers["content-type"] == "application/json"
    assert json.loads(seen[0].content) == token_request_body(outputs)


def test_refusal_gives_auth0_error_and_description(make_outputs: Outputs) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"error": "access_denied", "error_description": "Client has not been granted scopes: write:x"}
        return httpx.Response(403, json=body)

    with pytest.raises(TokenRequestError) as exc:
        request_token(make_outputs(), client=client_for(handler))
    assert exc.value.status_code == 403
    assert (
        str(exc.value) == "token request refused: access_denied: Client has not been granted scopes: write:x"
    )


def test_secret_echoed_by_server_is_redacted(make_outputs: Outputs, secret: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)["client_secret"]
        return httpx.Response(
            401, json={"error": "invalid_client", "error_description": f"bad secret {sent}"}
        )

    with pytest.raises(TokenRequestError) as exc:
        request_token(make_outputs(), client=client_for(handler))
    assert secret not in str(exc.value)
    assert str(exc.value) == "token request refused: invalid_client: bad secret **********"


def test_transport_error_is_one_line(make_outputs: Outputs) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(TokenRequestError) as exc:
        request_token(make_outputs(), client=client_for(handler))
    assert exc.value.status_code is None
    assert str(exc.value) == "token request failed: ConnectError: connection refused"


def test_429_waits_for_retry_after_then_succeeds() -> None:
    answers = [
        httpx.Response(429, headers={"Retry-After": "2"}, json={"error": "too_many_requests"}),
        httpx.Response(200, json={"access_token": "tok", "token_type": "Bearer", "expires_in": 60}),
    ]
    slept: list[float] = []
    client = client_for(lambda request: answers.pop(0))
    response = send_with_retries(client, "POST", "https://h/oauth/token", sleep=slept.append, json={})
    assert response.status_code == 200
    assert slept == [2.0]


def test_429_retries_are_bounded() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        reset = str(int(time.time()) + 1)
        return httpx.Response(429, headers={"X-RateLimit-Reset": reset}, json={"error": "too_many_requests"})

    policy = RetryPolicy(max_tries=3, max_wait=0.01)
    response = send_with_retries(
        client_for(handler), "GET", "https://h/x", policy=policy, sleep=lambda s: None
    )
    assert response.status_code == 429
    assert len(calls) == 3


def test_429_after_all_tries_is_reported(make_outputs: Outputs, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("auth0_m2m.consumers._ratelimit.time.sleep", lambda seconds: None)

    def handler(request: httpx.Request) -> httpx.Response:
        body = {"error": "too_many_requests", "error_description": "Global limit has been reached"}
        return httpx.Response(429, headers={"Retry-After": "1"}, json=body)

    with pytest.raises(TokenRequestError) as exc:
        request_token(make_outputs(), client=client_for(handler), policy=RetryPolicy(max_tries=2))
    assert exc.value.status_code == 429
    assert str(exc.value) == (
        "token request refused: too_many_requests: Global limit has been reached (HTTP 429 after 2 tries)"
    )


def test_retry_after_reads_seconds_dates_and_reset() -> None:
    now = 1_000_000.0
    date = email.utils.formatdate(now + 5, usegmt=True)
    assert retry_after({"retry-after": "3"}, now=lambda: now) == 3.0
    assert retry_after({"retry-after": date}, now=lambda: now) == 5.0
    assert retry_after({"x-ratelimit-reset": str(int(now + 7))}, now=lambda: now) == 7.0
    assert retry_after({"x-ratelimit-reset": str(int(now - 7))}, now=lambda: now) == 0.0
    assert retry_after({}, now=lambda: now) is None


def test_exponential_default_when_server_names_no_wait() -> None:
    answers = [httpx.Response(429), httpx.Response(429), httpx.Response(200)]
    slept: list[float] = []
    client = client_for(lambda request: answers.pop(0))
    send_with_retries(client, "GET", "https://h/x", policy=RetryPolicy(base_wait=0.5), sleep=slept.append)
    assert slept == [0.5, 1.0]


def test_limiter_allows_a_burst_then_paces() -> None:
    clock = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    limiter = RateLimiter(rate=2.0, burst=2, clock=lambda: clock[0], sleep=sleep)
    waits = [limiter.acquire() for _ in range(4)]
    assert waits == [0.0, 0.0, 0.5, 0.5]
    assert clock[0] == pytest.approx(1.0)


def test_limiter_reserves_slots_in_arrival_order() -> None:
    clock = [0.0]
    limiter = RateLimiter(rate=4.0, burst=1, clock=lambda: clock[0], sleep=lambda seconds: None)
    waits = sorted(limiter.acquire() for _ in range(3))
    assert waits == [0.0, 0.25, 0.5]


def test_limiter_rejects_a_zero_rate() -> None:
    with pytest.raises(ValueError) as exc:
        RateLimiter(rate=0)
    assert str(exc.value) == "rate: must be above 0 requests per second, got 0"
