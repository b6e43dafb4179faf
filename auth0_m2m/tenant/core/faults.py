"""Fault injection for resilience tests: a share of 429 / 5xx answers and added latency.

A spec string such as "429=0.2,503=0.05,latency=20ms,seed=7" gives the probability of each injected
status (their sum at most 1), a fixed latency added to every Management request (`ms` or `s`), and an
optional RNG seed so a run can be replayed. Injected faults answer before the operation runs, so they
never change state.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

_ALLOWED_STATUSES = {429, 500, 502, 503, 504}


def _parse_latency(text: str) -> float:
    if text.endswith("ms"):
        return float(text[:-2]) / 1000.0
    if text.endswith("s"):
        return float(text[:-1])
    return float(text) / 1000.0


@dataclass(frozen=True)
class FaultSpec:
    """Parsed fault settings."""

    rates: dict[int, float] = field(default_factory=dict)
    latency: float = 0.0
    seed: int | None = None

    @classmethod
    def parse(cls, spec: str) -> FaultSpec:
        """Parse "429=0.2,503=0.05,latency=20ms,seed=1"; raises ValueError naming the bad part."""
        rates: dict[int, float] = {}
        latency = 0.0
        seed: int | None = None
        for part in filter(None, (p.strip() for p in spec.split(","))):
            key, sep, value = part.partition("=")
            if not sep:
                raise ValueError(f"faults {spec!r}: {part!r} is not KEY=VALUE (e.g. 429=0.2, latency=20ms)")
            try:
                if key == "latency":
                    latency = _parse_latency(value)
                elif key == "seed":
                    seed = int(value)
                elif int(key) in _ALLOWED_STATUSES:
                    rates[int(key)] = float(value)
                else:
                    raise ValueError
            except ValueError:
                raise ValueError(
                    f"faults {spec!r}: bad {part!r}; use STATUS=P with STATUS in "
                    f"{sorted(_ALLOWED_STATUSES)} and 0<=P<=1, latency=20ms or seed=N"
                ) from None
        if any(not 0.0 <= p <= 1.0 for p in rates.values()) or sum(rates.values()) > 1.0 or latency < 0:
            raise ValueError(f"faults {spec!r}: probabilities must be within 0..1 and sum to at most 1")
        return cls(rates, latency, seed)

    def to_spec(self) -> str:
        """The canonical spec string."""
        parts = [f"{status}={p:g}" for status, p in sorted(self.rates.items())]
        if self.latency:
            parts.append(f"latency={self.latency * 1000:g}ms")
        if self.seed is not None:
            parts.append(f"seed={self.seed}")
        return ",".join(parts)


class FaultInjector:
    """Rolls the dice for each Management request."""

    def __init__(self, spec: FaultSpec | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(spec or FaultSpec())

    def configure(self, spec: FaultSpec) -> None:
        """Replace the settings and reseed the RNG."""
        with self._lock:
            self.spec = spec
            self._rng = random.Random(spec.seed)  # noqa: S311 - test dice, not cryptography

    @property
    def latency(self) -> float:
        """Seconds to add to each Management request."""
        return self.spec.latency

    def roll(self) -> int | None:
        """The status to inject for this request, or None."""
        with self._lock:
            if not self.spec.rates:
                return None
            draw = self._rng.random()
            for status, p in sorted(self.spec.rates.items()):
                if draw < p:
                    return status
                draw -= p
            return None
