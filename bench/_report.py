"""Figures across runs (median and spread), the printed table, and the JSON file of a bench run.

A cell reads `median (min-max)` over the runs; one run prints the value alone. Targets are the
issue's: P1 ratio to the floor <= 1.15 with no 429 storm, P2 writes 0 and <= 1.05x the plain
program, P3 >= 1,000 requests/s and p99 < 10 ms for reads, P4 < 2 s.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Figure:
    """One measured quantity over several runs."""

    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Iterable[float | int | None]) -> Figure:
        """Keep the values that were measured (None means not applicable)."""
        return cls(tuple(float(v) for v in values if v is not None))

    @property
    def median(self) -> float | None:
        """The median, or None without values."""
        return statistics.median(self.values) if self.values else None

    def text(self, digits: int = 1) -> str:
        """`median (min-max)`, the median alone for one run or a constant, `-` without values."""
        if not self.values:
            return "-"
        low, mid, high = min(self.values), statistics.median(self.values), max(self.values)
        if len(self.values) == 1 or low == high:
            return f"{mid:.{digits}f}"
        return f"{mid:.{digits}f} ({low:.{digits}f}-{high:.{digits}f})"

    def to_dict(self) -> dict[str, Any]:
        """JSON form: median, min, max and the values."""
        if not self.values:
            return {"median": None, "values": []}
        return {
            "median": self.median,
            "min": min(self.values),
            "max": max(self.values),
            "values": list(self.values),
        }


def figure(runs: Sequence[dict[str, Any]], *path: str) -> Figure:
    """The figure at `path` (nested keys) in every run."""
    values = []
    for run in runs:
        value: Any = run
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        values.append(value)
    return Figure.of(values)


def ratio(ours: Sequence[dict[str, Any]], plain: Sequence[dict[str, Any]], *path: str) -> Figure:
    """Run-by-run ratio ours / plain (runs are paired: same session, same run index)."""
    values: list[float | None] = []
    for a, b in zip(figure(ours, *path).values, figure(plain, *path).values, strict=False):
        values.append(a / b if b else None)
    return Figure.of(values)


def render(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with aligned columns."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)), line]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(out)


def verdict(ok: bool | None) -> str:
    """`met`, `MISSED` or `-` (not measured)."""
    return "-" if ok is None else ("met" if ok else "MISSED")


def save(data: dict[str, Any], stamp: str) -> Path:
    """Write the run's JSON to bench/results/<stamp>.json and return the path."""
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{stamp}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return path
