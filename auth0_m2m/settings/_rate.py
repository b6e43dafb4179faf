"""`auth0-m2m:rate_limit`: the tenant's Management API rate limit (a sustained rate and a burst).

Auth0 limits Management API calls per tenant with a token bucket: a sustained rate and a burst. The
upstream provider does not pace its calls: on a 429 it sleeps until `X-RateLimit-Reset`, a whole
second, so too many operations at once turn into a 429 storm. With the key set, the program binds
pacing hooks to every Auth0 resource (`auth0_m2m/components/pacing.py`): each create or update waits until the
calls it makes fit the limit.

The value is a preset named after Auth0's published tiers, requests per second (a number; the burst
is then one second's worth), or `"<rate>/<burst>"` (e.g. `"15/50"`). Check your tenant's plan:
docs/config.md lists the presets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RateLimit:
    """A Management API limit: `rate` requests per second sustained, bursts of up to `burst`."""

    rate: float
    burst: float

    def __str__(self) -> str:
        return f"{self.rate:g}/s, bursts of {self.burst:g}"


RATE_LIMIT_PRESETS: dict[str, RateLimit] = {
    "free": RateLimit(2.0, 10.0),
    "paid": RateLimit(15.0, 50.0),
    "enterprise": RateLimit(50.0, 50.0),
}
"""Auth0's published Management API limits (notes/auth0-facts.md, section 13): Free 2/s with bursts of
10; paid self-service tenants 15/s with bursts of 50; Enterprise 50/s (no burst published: one
second's worth). Private Cloud tiers: give the numbers."""
MAX_RATE_LIMIT = 10_000.0

RATE_LIMIT_FIX = (
    "give the tenant's Management API limit in requests per second (a number above 0, e.g. 15), as "
    '"<rate>/<burst>" (e.g. "15/50") or a preset: '
    + ", ".join(f"{name} ({limit.rate:g}/s)" for name, limit in RATE_LIMIT_PRESETS.items())
)


def _number(value: Any) -> float:
    """A finite number in (0, MAX_RATE_LIMIT], from a number or its text."""
    if isinstance(value, bool):
        raise ValueError(f"not a rate; {RATE_LIMIT_FIX}")
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise ValueError(f"not a rate or a preset; {RATE_LIMIT_FIX}") from None
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"not a rate; {RATE_LIMIT_FIX}")
    if not 0 < value <= MAX_RATE_LIMIT:
        raise ValueError(f"must be above 0 and at most {MAX_RATE_LIMIT:g}; {RATE_LIMIT_FIX}")
    return float(value)


def parse_rate_limit(value: Any) -> RateLimit:
    """The limit from a preset name, a number or `"<rate>/<burst>"` (config values may arrive as text).

    Raises ValueError with the fix (the value itself is not repeated)."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in RATE_LIMIT_PRESETS:
            return RATE_LIMIT_PRESETS[text]
        if "/" in text:
            rate_text, _, burst_text = text.partition("/")
            rate, burst = _number(rate_text.strip()), _number(burst_text.strip())
            if burst < 1:
                raise ValueError(f"the burst must be at least 1; {RATE_LIMIT_FIX}")
            return RateLimit(rate, burst)
        value = text
    rate = _number(value)
    return RateLimit(rate, max(1.0, rate))
