"""Rate-limit emulation: a token bucket with Auth0's `X-RateLimit-*` headers.

`RPS/BURST` (e.g. "2/10", Auth0's old free-tier numbers) sets the refill rate and bucket size. Every
Management response carries `X-RateLimit-Limit` (the bucket size), `-Remaining` and `-Reset` (unix
seconds when a request will next be allowed after a 429, or when the bucket is full again). With no
limit configured the headers still appear, with a nominal unlimited bucket.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

UNLIMITED_HEADER = 1_000_000


@dataclass(frozen=True)
class RateLimit:
    """A refill rate (requests per second) and a burst size."""

    rps: float
    burst: int

    @classmethod
    def parse(cls, spec: str) -> RateLimit:
        """Parse "RPS/BURST" (e.g. "15/50"); raises ValueError naming the fix."""
        try:
            rps_text, burst_text = spec.split("/", 1)
            limit = cls(float(rps_text), int(burst_text))
        except ValueError:
            raise ValueError(f"rate limit {spec!r}: expected RPS/BURST, e.g. 15/50") from None
        if limit.rps <= 0 or limit.burst < 1:
            raise ValueError(f"rate limit {spec!r}: RPS must be > 0 and BURST >= 1")
        return limit

    def to_dict(self) -> dict[str, float | int]:
        """JSON form used by the control endpoint."""
        return {"rps": self.rps, "burst": self.burst}


@dataclass(frozen=True)
class RateDecision:
    """Whether a request may proceed, and the header values to send."""

    allowed: bool
    limit: int
    remaining: int
    reset: int

    def headers(self) -> dict[str, str]:
        """Auth0's rate-limit headers."""
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


class RateLimiter:
    """A thread-safe token bucket; `limit=None` lets everything through."""

    def __init__(self, limit: RateLimit | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(limit)

    def configure(self, limit: RateLimit | None) -> None:
        """Replace the limit and refill the bucket."""
        with self._lock:
            self.limit = limit
            self._tokens = float(limit.burst) if limit else 0.0
            self._stamp = time.monotonic()

    def take(self) -> RateDecision:
        """Spend one token if there is one."""
        now_wall = time.time()
        with self._lock:
            limit = self.limit
            if limit is None:
                return RateDecision(True, UNLIMITED_HEADER, UNLIMITED_HEADER, int(now_wall))
            now = time.monotonic()
            self._tokens = min(float(limit.burst), self._tokens + (now - self._stamp) * limit.rps)
            self._stamp = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                full_in = (limit.burst - self._tokens) / limit.rps
                return RateDecision(True, limit.burst, int(self._tokens), math.ceil(now_wall + full_in))
            wait = (1.0 - self._tokens) / limit.rps
            return RateDecision(False, limit.burst, 0, math.ceil(now_wall + wait))
