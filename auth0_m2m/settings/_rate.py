"""`auth0-m2m:rate_limit`: the tenant's Management API rate limit, and how many lanes fit it.

Auth0 limits Management API calls per tenant (a token bucket: a sustained rate and a burst). The
upstream provider does not pace its calls: on a 429 it sleeps until `X-RateLimit-Reset`, a whole
second, so too many operations at once turn into a 429 storm. The program keeps an `up` under the
limit by declaring its integrations in lanes (`auth0_m2m.program.lane_count`): in each lane an
integration's app waits for the previous integration of the lane to be done. A lane is an app create
(a POST, upstream's 0.8 s settle wait, a GET) then its credentials and grant (3 calls each, no wait):
8 calls in about a second, `CALLS_PER_LANE` (measured in bench/README.md, "Parallelism sweep").

The engine's `--parallel` cannot do this job: a slot that runs steps without a settle wait sends
dozens of calls per second to a fast tenant (the sweep), and lanes work the same under plain
`pulumi up`. The value is requests per second (a number) or a preset named after Auth0's published
tiers (check your tenant's plan; docs/config.md lists them).
"""

from __future__ import annotations

import math
from typing import Any

RATE_LIMIT_PRESETS: dict[str, float] = {"free": 2.0, "paid": 15.0, "enterprise": 50.0}
"""Auth0's published sustained Management API limits, requests per second: Free 2/s; paid
self-service tenants 15/s (bursts of 50); Enterprise 50/s. Private Cloud tiers: give the number."""
MAX_RATE_LIMIT = 10_000.0
CALLS_PER_LANE = 7.0
"""Management API requests per second one lane sends during an `up` (8 calls per integration, about
1.1 s per integration on the local tenant, more on a distant one): bench/README.md, "Parallelism sweep"."""

RATE_LIMIT_FIX = (
    "give the tenant's Management API limit in requests per second (a number above 0, e.g. 15) or a "
    "preset: " + ", ".join(f"{name} ({rate:g}/s)" for name, rate in RATE_LIMIT_PRESETS.items())
)


def parse_rate_limit(value: Any) -> float:
    """Requests per second from a preset name or a number (config values may arrive as text).

    Raises ValueError with the fix (the value itself is not repeated)."""
    if isinstance(value, bool):
        raise ValueError(f"not a rate; {RATE_LIMIT_FIX}")
    if isinstance(value, str):
        text = value.strip().lower()
        if text in RATE_LIMIT_PRESETS:
            return RATE_LIMIT_PRESETS[text]
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"not a rate or a preset; {RATE_LIMIT_FIX}") from None
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"not a rate; {RATE_LIMIT_FIX}")
    if not 0 < value <= MAX_RATE_LIMIT:
        raise ValueError(f"must be above 0 and at most {MAX_RATE_LIMIT:g}; {RATE_LIMIT_FIX}")
    return float(value)


def lanes_for(rate: float) -> int:
    """How many lanes of integrations fit `rate` requests per second (at least one)."""
    return max(1, math.floor(rate / CALLS_PER_LANE))
