"""`auth0-m2m:rate_limit`: the tenant's Management API rate limit, and the concurrency that fits it.

Auth0 limits Management API calls per tenant (a token bucket: a sustained rate and a burst). The
upstream provider does not pace its calls: on a 429 it sleeps until `X-RateLimit-Reset`, a whole
second, so too many operations at once turn into a 429 storm. The toolkit keeps a run under the limit
by bounding how many resource operations run at once: the engine's `--parallel` (`PULUMI_PARALLEL`),
set from this key by `auth0-m2m up/preview/refresh/destroy`; under a plain `pulumi up` with a higher
parallelism the program declares its integrations in that many lanes instead (`auth0_m2m.program`).

The value is requests per second (a number) or a preset named after Auth0's published tiers (check
your tenant's plan; docs/config.md lists the sources). `parallelism_for` turns it into a number of
concurrent operations: one operation slot of an `up` sends about `CALLS_PER_SLOT` requests per second
(measured in bench/README.md, "Parallelism sweep"), so `rate / CALLS_PER_SLOT`, at least 1.
"""

from __future__ import annotations

import math
from typing import Any

RATE_LIMIT_PRESETS: dict[str, float] = {"free": 2.0, "paid": 15.0, "enterprise": 50.0}
"""Auth0's published sustained Management API limits, requests per second: Free 2/s; paid
self-service tenants 15/s (bursts of 50); Enterprise 50/s. Private Cloud tiers: give the number."""
MAX_RATE_LIMIT = 10_000.0
CALLS_PER_SLOT = 7.0
"""Management API requests per second that one engine slot sends during an `up` of integrations
(an app's create holds its slot 0.8 s for upstream's settle wait; the other steps are 3 calls each).
Measured on the local tenant at 15 req/s (bench/README.md, "Parallelism sweep")."""

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


def parallelism_for(rate: float) -> int:
    """How many resource operations may run at once without outrunning `rate` requests per second."""
    return max(1, math.floor(rate / CALLS_PER_SLOT))
