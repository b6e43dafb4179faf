"""Request counters for benchmarks and "a no-op `up` makes no writes" checks.

Counts Management API requests by method + route template (never by concrete path or body, so no
secret can leak here), split into reads (GET) and writes (POST/PATCH/PUT/DELETE), by status, and the
429s / 5xx that the rate limiter or fault injector produced. Token requests are counted apart.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from typing import Any

_READ_METHODS = {"GET", "HEAD"}


class Stats:
    """Thread-safe counters; `snapshot()` is what `GET /__tenant/stats` returns."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Zero every counter."""
        with self._lock:
            self._routes: Counter[str] = Counter()
            self._statuses: Counter[str] = Counter()
            self._reads = 0
            self._writes = 0
            self._rate_limited = 0
            self._injected: Counter[str] = Counter()
            self._token_requests: Counter[str] = Counter()
            self._since = dt.datetime.now(dt.UTC).isoformat()

    def record_management(
        self, method: str, template: str, status: int, *, rate_limited: bool = False, injected: bool = False
    ) -> None:
        """Count one Management API request."""
        with self._lock:
            self._routes[f"{method} {template}"] += 1
            self._statuses[str(status)] += 1
            if method in _READ_METHODS:
                self._reads += 1
            else:
                self._writes += 1
            if rate_limited:
                self._rate_limited += 1
            if injected:
                self._injected[str(status)] += 1

    def record_token(self, status: int) -> None:
        """Count one `/oauth/token` request by status."""
        with self._lock:
            self._token_requests[str(status)] += 1

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready copy of the counters."""
        with self._lock:
            return {
                "since": self._since,
                "total": self._reads + self._writes,
                "reads": self._reads,
                "writes": self._writes,
                "by_route": dict(sorted(self._routes.items())),
                "by_status": dict(sorted(self._statuses.items())),
                "rate_limited": self._rate_limited,
                "injected": dict(sorted(self._injected.items())),
                "token_requests": {
                    "total": sum(self._token_requests.values()),
                    "by_status": dict(sorted(self._token_requests.items())),
                },
            }
