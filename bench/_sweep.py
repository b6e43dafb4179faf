"""The parallelism sweep: one `up` of N integrations at each engine parallelism, paced or not.

`BENCH_SWEEP=R0,R2,R32,P1,P2,P0` (empty by default) runs our program's `up` of `BENCH_SWEEP_N`
integrations (default 50) on an emptied tenant at 15 requests/s with bursts of 50, `BENCH_RUNS` times,
at engine parallelism k (`PULUMI_PARALLEL`; 0 is the engine's default, 4 per CPU): `R<k>` with the
stack's `auth0-m2m:rate_limit: paid` (paced by the hooks of auth0_m2m/components/pacing.py), `P<k>`
without it.
It prints wall time, calls, 429s and wall / floor per point (bench/README.md keeps the table).
"""

from __future__ import annotations

from typing import Any

from bench._engine import ScratchProject, run_sweep_point
from bench._report import figure, render


def run_sweep(project: ScratchProject, values: tuple[str, ...], n: int, runs: int) -> dict[str, Any]:
    """`runs` rounds over `values` (interleaved, so load drifts hit every value alike)."""
    points: dict[str, list[dict[str, Any]]] = {}
    for run in range(runs):
        for point in values:
            print(f"  sweep run {run + 1}/{runs}: {point}, N={n} ...", flush=True)
            name = f"sweep-{point.lower()}-r{run}"
            points.setdefault(point, []).append(run_sweep_point(project, name, n, point))
    return {"n": n, "points": points}


def sweep_table(sweep: dict[str, Any]) -> str:
    """One row per point: wall, calls, 429s (each run), floor ratio, accepted calls per second."""
    rows = []
    for point, ups in sweep["points"].items():
        rates = [u["calls"] / u["wall_s"] for u in ups]
        rows.append(
            [
                point,
                figure(ups, "wall_s").text(),
                figure(ups, "calls").text(0),
                figure(ups, "rate_limited").text(0),
                ",".join(str(int(u["rate_limited"])) for u in ups),
                figure(ups, "ratio_to_floor").text(2),
                f"{sorted(rates)[len(rates) // 2]:.1f}",
                figure(ups, "cpu_s", "engine_and_provider").text(),
            ]
        )
    headers = ["point", "wall s", "calls", "429s", "429s per run", "wall/floor", "calls/s"]
    return render([*headers, "cpu eng+prov"], rows)
