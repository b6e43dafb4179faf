"""The parallelism sweep: one `up` of N integrations at each forced engine parallelism.

`BENCH_SWEEP=1,2,3,4,8` (empty by default) runs our program's `up` of `BENCH_SWEEP_N` integrations
(default 50) with `PULUMI_PARALLEL` forced to each value, on an emptied tenant at 15 requests/s with
bursts of 50, `BENCH_RUNS` times, and prints wall time, calls, 429s and wall / floor per value. It is
the measurement behind `CALLS_PER_SLOT` in auth0_m2m/settings/_rate.py (bench/README.md keeps the table).
"""

from __future__ import annotations

from typing import Any

from bench._engine import ScratchProject, run_sweep_point
from bench._report import figure, render


def run_sweep(project: ScratchProject, values: tuple[int, ...], n: int, runs: int) -> dict[str, Any]:
    """`runs` rounds over `values` (interleaved, so load drifts hit every value alike)."""
    points: dict[str, list[dict[str, Any]]] = {}
    for run in range(runs):
        for parallel in values:
            print(f"  sweep run {run + 1}/{runs}: parallel={parallel}, N={n} ...", flush=True)
            name = f"sweep-p{parallel}-r{run}"
            points.setdefault(str(parallel), []).append(run_sweep_point(project, name, n, parallel))
    return {"n": n, "points": points}


def sweep_table(sweep: dict[str, Any]) -> str:
    """One row per parallelism: wall, calls, 429s (each run), floor ratio, calls per second per slot."""
    rows = []
    for parallel, ups in sweep["points"].items():
        rates = [u["calls"] / u["wall_s"] / int(parallel) for u in ups]
        rows.append(
            [
                parallel,
                figure(ups, "wall_s").text(),
                figure(ups, "calls").text(0),
                figure(ups, "rate_limited").text(0),
                ",".join(str(int(u["rate_limited"])) for u in ups),
                figure(ups, "ratio_to_floor").text(2),
                f"{sorted(rates)[len(rates) // 2]:.1f}",
                figure(ups, "cpu_s", "engine_and_provider").text(),
            ]
        )
    headers = ["parallel", "wall s", "calls", "429s", "429s per run", "wall/floor", "calls/s/slot"]
    return render([*headers, "cpu eng+prov"], rows)
