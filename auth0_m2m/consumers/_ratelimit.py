"""Client-side pacing and 429 back-off for the requests the consumers send to a tenant.

Auth0 rate-limits per tenant, and small plans allow few requests per second (auth0-facts.md,
section 13). Two mechanisms keep the consumers polite:

- `RateLimiter`, a token bucket shared by every thread of one run, caps the request rate before a
  request leaves (Auth0's own clients have no such cap; terraform-provider-auth0 #1488 asks for one);
- `send_with_retries` answers a 429 by waiting for `Retry-After` (seconds or an HTTP date), else
  until `X-RateLimit-Reset` (epoch seconds), else an exponential default; a 500/502/503/504 by the
  same waits (Auth0 sends `Retry-After` with some 503s); it gives up after `RetryPolicy.max_tries`
  requests, returning the last answer for the caller to report;
- `PacedTransport` puts both under an `httpx.Client`, so auth0-python's `ManagementClient` (which
  takes an `httpx_client`) is paced by the same limiter; its own retries are then not needed.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx


class RateLimiter:
    """A thread-safe token bucket: at most `rate` requests per second on average, bursts of `burst`.

    Callers that find the bucket empty reserve their slot and sleep outside the lock, so waiting
    threads leave in arrival order and never exceed the rate together.
    """

    def __init__(
        self,
        rate: float = 10.0,
        burst: int = 10,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate: must be above 0 requests per second, got {rate}")
        if burst < 1:
            raise ValueError(f"burst: must be at least 1, got {burst}")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._last = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one request slot, sleeping until it is free; return the seconds waited."""
        with self._lock:
            now = self._clock()
            self._tokens = min(float(self.burst), self._tokens + (now - self._last) * self.rate)
            self._last = now
            self._tokens -= 1.0
            wait = -self._tokens / self.rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
        return wait


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait on 429 Too Many Requests."""

    max_tries: int = 3
    """Requests in all, the first included; the last 429 (or 5xx) is returned after that."""
    max_wait: float = 30.0
    """Longest single wait in seconds, whatever the server asks for."""
    base_wait: float = 1.0
    """Wait before retry n (0-based) when the server names none: base_wait * 2**n."""
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    """Answers worth another try: rate limits and transient server errors."""


def retry_after(headers: Mapping[str, str], *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds the server asks us to wait, from `Retry-After` or `X-RateLimit-Reset`; None if neither.

    `Retry-After` may be delta-seconds or an HTTP date (RFC 9110, section 10.2.3);
    `X-RateLimit-Reset` is the epoch second when the window resets (Auth0's rate-limit headers).
    """
    value = headers.get("retry-after")
    if value:
        value = value.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                return max(0.0, when.timestamp() - now())
    reset = headers.get("x-ratelimit-reset")
    if reset:
        try:
            return max(0.0, float(reset.strip()) - now())
        except ValueError:
            return None
    return None


def send_with_retries(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    limiter: RateLimiter | None = None,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    **kwargs: Any,
) -> httpx.Response:
    """Send one request through `limiter`, retrying 429/5xx as `policy` allows; return the last response.

    Transport errors (`httpx.TransportError`) propagate: they are not rate limits.
    """
    policy = policy or RetryPolicy()
    attempt = 0
    while True:
        if limiter is not None:
            limiter.acquire()
        response = client.request(method, url, **kwargs)
        attempt += 1
        if response.status_code not in policy.retry_statuses or attempt >= policy.max_tries:
            return response
        asked = retry_after(response.headers)
        wait = asked if asked is not None else policy.base_wait * 2 ** (attempt - 1)
        response.close()
        sleep(min(wait, policy.max_wait))


class PacedTransport(httpx.BaseTransport):
    """An httpx transport that sends every request through a `RateLimiter` and `send_with_retries`.

    Give it to an `httpx.Client` that a library drives (auth0-python's `ManagementClient`), so the
    library's calls are capped and retried like ours. Requests are replayed from their bytes, so a
    retried POST sends the same body.
    """

    def __init__(
        self,
        limiter: RateLimiter | None = None,
        policy: RetryPolicy | None = None,
        *,
        inner: httpx.BaseTransport | None = None,
        verify: Any = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._inner = inner or httpx.HTTPTransport(verify=verify)
        self._limiter = limiter
        self._policy = policy or RetryPolicy()
        self._sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` (paced, retried) and return the last answer."""
        request.read()
        attempt = 0
        while True:
            if self._limiter is not None:
                self._limiter.acquire()
            response = self._inner.handle_request(request)
            attempt += 1
            if response.status_code not in self._policy.retry_statuses or attempt >= self._policy.max_tries:
                return response
            asked = retry_after(response.headers)
            wait = asked if asked is not None else self._policy.base_wait * 2 ** (attempt - 1)
            response.read()
            response.close()
            self._sleep(min(wait, self._policy.max_wait))

    def close(self) -> None:
        """Close the wrapped transport."""
        self._inner.close()
