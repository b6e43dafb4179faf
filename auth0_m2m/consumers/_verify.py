"""Check that an integration's credentials work the way Nango will use them.

For each integration: request a token as Nango's `auth0-cc` does (`_token`), then validate it
against the tenant's JWKS and the grant (`_jwt`). The answer is a `VerifyResult` with one line of
reason; nothing here raises for a failed check, so `verify_all` can report every integration.

A `private_key_jwt` integration (`IntegrationOutputs.uses_private_key_jwt`) has no secret: it is
verified with a client assertion signed by its private key when the caller gives one (`private_keys`,
from `AUTH0_M2M_PRIVATE_KEYS__<NAME>`), and otherwise fails with a reason that starts with
`cannot verify:` and names the variable to set. It never passes unchecked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from auth0_m2m.consumers._exceptions import ConsumerError, redact
from auth0_m2m.consumers._jwt import JwksCache, jwks_url, validate_access_token
from auth0_m2m.consumers._ratelimit import RateLimiter, RetryPolicy, send_with_retries
from auth0_m2m.consumers._settings import PrivateKey, private_key_variable
from auth0_m2m.consumers._token import request_token, tls_context
from auth0_m2m.outputs import IntegrationOutputs

logger = logging.getLogger(__name__)

DEFAULT_RATE = 20.0
"""Token requests per second `verify_all` sends without a `limiter`: under every published `/oauth/token`
limit (Free 30/s, Self-Service 25/s; auth0-facts.md, section 13) with room for the consumers' own
traffic. It was 10/s, which made verifying 50 integrations take 4.3 s, all of it pacing (bench P4)."""
DEFAULT_BURST = 20
"""Requests `verify_all` may send at once before the pacing starts."""


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of verifying one integration."""

    name: str
    ok: bool
    reason: str
    """Either `ok` or one line saying what failed, e.g. `scope mismatch: missing write:x`."""
    latency: float
    """Seconds the token request took (retries and pacing included), as a consumer would wait."""


def _jwks_fetcher(client: httpx.Client, limiter: RateLimiter | None, policy: RetryPolicy | None) -> JwksCache:
    def fetch(hostname: str) -> Mapping[str, Any]:
        url = jwks_url(hostname)
        try:
            response = send_with_retries(client, "GET", url, limiter=limiter, policy=policy)
        except httpx.TransportError as exc:
            raise ConsumerError(f"JWKS fetch failed: {type(exc).__name__}: {exc}") from None
        if response.status_code != 200:
            raise ConsumerError(f"JWKS fetch failed: HTTP {response.status_code} from {url}")
        data: Any = response.json()
        if not isinstance(data, dict):
            raise ConsumerError(f"JWKS fetch failed: {url} did not return a JSON object")
        return data

    return JwksCache(fetch)


def _check(
    outputs: IntegrationOutputs,
    client: httpx.Client,
    jwks: JwksCache,
    limiter: RateLimiter | None,
    policy: RetryPolicy | None,
    private_key: PrivateKey | None = None,
) -> VerifyResult:
    started = time.perf_counter()
    latency = 0.0
    if "://" in outputs.hostname or "/" in outputs.hostname:
        reason = (
            f"hostname: {outputs.hostname!r} must be the bare tenant domain, as Nango's HostName field wants"
        )
        return VerifyResult(outputs.name, False, reason, 0.0)
    if not outputs.uses_private_key_jwt:
        private_key = None
    elif private_key is None:
        reason = (
            "cannot verify: private_key_jwt, no private key given "
            f"(set {private_key_variable(outputs.name)}=<path to its private key PEM>)"
        )
        logger.info("verify %s: %s", outputs.name, reason)
        return VerifyResult(outputs.name, False, reason, 0.0)
    try:
        token = request_token(outputs, client=client, limiter=limiter, policy=policy, private_key=private_key)
        latency = time.perf_counter() - started
        validate_access_token(token.access_token.get_secret_value(), outputs, jwks)
    except ConsumerError as exc:
        latency = latency or time.perf_counter() - started
        reason = redact(str(exc), [outputs.client_secret.get_secret_value()])
        logger.info("verify %s: failed: %s", outputs.name, reason)
        return VerifyResult(outputs.name, False, reason, latency)
    logger.info("verify %s: ok", outputs.name)
    return VerifyResult(outputs.name, True, "ok", latency)


def verify_integration(
    outputs: IntegrationOutputs,
    *,
    ca_file: Path | None = None,
    timeout: float = 10,
    limiter: RateLimiter | None = None,
    retry: RetryPolicy | None = None,
    private_key: PrivateKey | None = None,
) -> VerifyResult:
    """Request a token for `outputs` as Nango does and validate it; never raises for a failed check.

    `private_key` signs a client assertion for a private_key_jwt integration (required for one).

    `ca_file` adds a CA to trust (the local tenant's); `limiter` caps the request rate (shared
    across calls when given); `retry` bounds the waits on 429. A `ca_file` that is not a file
    raises ValueError (one line naming it) instead: it is the caller's mistake, not the tenant's.
    """
    with httpx.Client(verify=tls_context(ca_file), timeout=timeout) as client:
        return _check(outputs, client, _jwks_fetcher(client, limiter, retry), limiter, retry, private_key)


def verify_all(
    integrations: Sequence[IntegrationOutputs],
    *,
    concurrency: int = 4,
    ca_file: Path | None = None,
    timeout: float = 10,
    limiter: RateLimiter | None = None,
    retry: RetryPolicy | None = None,
    on_result: Callable[[VerifyResult], None] | None = None,
    private_keys: Mapping[str, PrivateKey] | None = None,
) -> list[VerifyResult]:
    """Verify every integration concurrently, sharing one HTTP client, JWKS cache and rate limiter.

    Results come back in the order of `integrations`. Without a `limiter`, a default one
    (`DEFAULT_RATE` requests per second, bursts of `DEFAULT_BURST`) paces all threads together.
    `on_result`, when given, is called with each result as soon as it is known (from the worker
    thread; for progress displays). `private_keys` maps integration names to their private keys
    (the private_key_jwt ones need theirs).
    """
    if concurrency < 1:
        raise ValueError(f"concurrency: must be at least 1, got {concurrency}")
    limiter = limiter or RateLimiter(rate=DEFAULT_RATE, burst=DEFAULT_BURST)
    with httpx.Client(verify=tls_context(ca_file), timeout=timeout) as client:
        jwks = _jwks_fetcher(client, limiter, retry)
        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="verify") as pool:

            def check(item: IntegrationOutputs) -> VerifyResult:
                key = (private_keys or {}).get(item.name)
                result = _check(item, client, jwks, limiter, retry, key)
                if on_result is not None:
                    on_result(result)
                return result

            return list(pool.map(check, integrations))
