"""5xx answers are retried like 429s, and `PacedTransport` paces and retries a library's requests."""

from __future__ import annotations

import httpx

from auth0_m2m.consumers import RateLimiter, RetryPolicy
from auth0_m2m.consumers._ratelimit import PacedTransport, send_with_retries


def _answers(*responses: httpx.Response) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    queue = list(responses)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0)

    return httpx.MockTransport(handler), seen


def test_503_is_retried_after_the_servers_retry_after() -> None:
    transport, seen = _answers(
        httpx.Response(503, headers={"Retry-After": "2"}), httpx.Response(200, json={})
    )
    slept: list[float] = []
    with httpx.Client(transport=transport) as client:
        response = send_with_retries(client, "GET", "https://h/x", sleep=slept.append)
    assert (response.status_code, len(seen), slept) == (200, 2, [2.0])


def test_400_is_not_retried() -> None:
    transport, seen = _answers(httpx.Response(400, json={}))
    with httpx.Client(transport=transport) as client:
        assert send_with_retries(client, "GET", "https://h/x", sleep=lambda s: None).status_code == 400
    assert len(seen) == 1


def test_paced_transport_retries_a_post_with_the_same_body_and_honours_the_reset() -> None:
    reset = httpx.Response(429, headers={"X-RateLimit-Reset": "0"})
    inner, seen = _answers(reset, httpx.Response(502), httpx.Response(200, json={"ok": True}))
    slept: list[float] = []
    paced = PacedTransport(
        RateLimiter(rate=1000, burst=10), RetryPolicy(max_tries=5), inner=inner, sleep=slept.append
    )
    with httpx.Client(transport=paced) as client:
        response = client.post("https://h/api/v2/clients/x/rotate-secret", json={"a": 1})
    assert response.json() == {"ok": True}
    assert [r.content for r in seen] == [b'{"a":1}'] * 3
    assert slept == [0.0, 2.0]  # the reset is past: no wait; then the exponential default for the 502


def test_paced_transport_gives_up_after_max_tries() -> None:
    inner, seen = _answers(*[httpx.Response(503) for _ in range(3)])
    paced = PacedTransport(None, RetryPolicy(max_tries=3, base_wait=0.0), inner=inner, sleep=lambda s: None)
    with httpx.Client(transport=paced) as client:
        assert client.get("https://h/x").status_code == 503
    assert len(seen) == 3
