"""Rate pacing: resource hooks that keep the provider's Management API calls under the tenant's limit.

Auth0 limits Management API calls per tenant (a token bucket: a sustained rate and a burst), and the
auth0 provider does not pace itself: on a 429 it sleeps until `X-RateLimit-Reset`, a whole second,
so an `up` that starts many operations at once turns into a 429 storm. `pacing_hooks()` returns
`before_create` and `before_update` hooks for the Auth0 resources: before the engine lets the
provider create or update a resource, the hook takes from a token bucket of the tenant's size as
many tokens as the provider will send calls for that step (`management_calls()`, upstream's call
order) and waits while the bucket is short. The engine calls these hooks only for steps that call
Auth0: a preview, a no-op `up` and unchanged resources cost nothing, and `pulumi up` paces itself
whatever its `--parallel`.

Deletes are not paced: a `before_delete` hook is kept in the state, and `pulumi destroy` (which does
not run the program) would then fail with "hook was not registered".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import pulumi

from auth0_m2m.components.machine_client import CREDENTIALS_TYPE

PACE_CREATE_HOOK = "auth0-m2m-pace-create"
PACE_UPDATE_HOOK = "auth0-m2m-pace-update"

CALLS: dict[str, tuple[int, int]] = {
    "auth0:index/client:Client": (2, 3),
    CREDENTIALS_TYPE: (3, 3),
    "auth0:index/clientGrant:ClientGrant": (3, 2),
    "auth0:index/resourceServer:ResourceServer": (2, 3),
    "auth0:index/resourceServerScopes:ResourceServerScopes": (3, 3),
    "auth0:index/organization:Organization": (2, 3),
    "auth0:index/organizationClientGrant:OrganizationClientGrant": (2, 2),
}
"""Management API calls the provider sends to create / update one resource of each type, at most
(an update sends its nulls PATCH only when a field was removed), in upstream's call order
(notes/auth0-facts.md section 9, docs/provider-fidelity.md):
- Client: POST, GET / PATCH nulls, PATCH changes, GET.
- ClientCredentials: GET `?fields=client_id`, PATCH method, GET (one PATCH more with a client
  secret, two calls more per private_key_jwt key) / PATCH, PATCH, GET.
- ClientGrant: GET list, POST, GET / PATCH, GET.
- ResourceServer: POST, GET / PATCH, PATCH nulls, GET. ResourceServerScopes: GET, PATCH, GET.
- Organization: POST, GET / PATCH, PATCH nulls, GET. OrganizationClientGrant: POST, GET list
  (replaced, never updated).
tests/e2e/test_rate_pacing.py checks the creates against the tenant's counters."""
UNKNOWN_TYPE_CALLS = 3
"""Calls assumed for a type the table does not list."""


def management_calls(type_: str, operation: str, inputs: Mapping[str, Any] | None) -> int:
    """How many Management API calls the provider sends to `operation` ("create" or "update") one
    resource of `type_` with these inputs."""
    create, update = CALLS.get(type_, (UNKNOWN_TYPE_CALLS, UNKNOWN_TYPE_CALLS))
    calls = create if operation == "create" else update
    if type_ == CREDENTIALS_TYPE and operation == "create" and inputs:
        if inputs.get("clientSecret"):
            calls += 1
        private_key_jwt = inputs.get("privateKeyJwt") or {}
        keys = private_key_jwt.get("credentials") if isinstance(private_key_jwt, Mapping) else None
        calls += 2 * len(keys) if isinstance(keys, list) else 0
    return calls


class RatePacer:
    """A token bucket the size of the tenant's: `reserve(calls)` waits until the calls fit.

    The bucket starts full (`burst` tokens) and refills at `rate` tokens per second. A reservation
    takes its tokens at once, possibly going below zero, and waits until the refill brings the bucket
    back to zero, so reservations are served in the order they arrive. The provider sends a step's
    calls after the hook returns, some of them later (a GET after the 0.8 s settle wait of an app):
    `headroom` tokens of the burst are kept for those, which the tenant's bucket has not yet seen.
    """

    def __init__(
        self,
        rate: float,
        burst: float,
        *,
        headroom: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0 or burst <= 0:
            raise ValueError("rate and burst must be above 0")
        self.rate = rate
        self.capacity = max(1.0, burst * (1 - headroom))
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._stamp = clock()
        self.reserved = 0
        """Calls reserved so far."""
        self.waited = 0.0
        """Seconds the reservations waited, summed."""

    def delay(self, calls: int) -> float:
        """Take `calls` tokens; how long the caller must wait before sending them."""
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        self._tokens -= calls
        self.reserved += calls
        wait = max(0.0, -self._tokens / self.rate)
        self.waited += wait
        return wait

    async def reserve(self, calls: int) -> None:
        """Wait until `calls` more calls fit the rate limit."""
        wait = self.delay(calls)
        if wait > 0:
            await self._sleep(wait)


def pacing_hooks(pacer: RatePacer) -> pulumi.ResourceHookBinding:
    """`before_create` / `before_update` hooks that reserve each step's calls with `pacer`; bind
    them (`ResourceOptions(hooks=...)`) to every Auth0 resource of the stack."""

    async def before_create(args: pulumi.ResourceHookArgs) -> None:
        await pacer.reserve(management_calls(args.type, "create", args.new_inputs))

    async def before_update(args: pulumi.ResourceHookArgs) -> None:
        await pacer.reserve(management_calls(args.type, "update", args.new_inputs))

    return pulumi.ResourceHookBinding(
        before_create=[pulumi.ResourceHook(PACE_CREATE_HOOK, before_create)],
        before_update=[pulumi.ResourceHook(PACE_UPDATE_HOOK, before_update)],
    )
