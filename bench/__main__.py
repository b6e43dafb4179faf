"""`python -m bench` (`make bench`): run P1-P4, print the table, save the runs as JSON.

Settings, from the environment:
- `BENCH_QUICK=1`: one run, N=3, 1 s load phases (the smoke test's mode; figures mean little);
- `BENCH_RUNS` (default 3): runs per figure; `BENCH_N` (default `10,50`): integration counts;
- `BENCH_N_ONCE` (default `200`, none when quick): counts measured once, P1 (`up`) only;
- `BENCH_SWEEP` (default none, e.g. `R0,R2,P1,P0`): paced / unpaced engine parallelisms for the sweep
  (`_sweep.py`) at `BENCH_SWEEP_N` (default 50) integrations; `BENCH_PARTS=sweep` runs the sweep alone;
- `BENCH_P3_SECONDS` (default 5), `BENCH_P3_CONCURRENCY` (default 8): each load phase;
- `BENCH_PARTS` (default `engine,load`): `engine` is P1, P2 and P4 (they share stacks), `load` is P3,
  `sweep` the parallelism sweep (also run with `engine` when `BENCH_SWEEP` is set).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auth0_m2m.consumers import verify_all
from auth0_m2m.workspace import stack_integrations
from bench._engine import ENGINE_BIN, RATE_LIMIT, Program, ScratchProject, require_engine, run_stack
from bench._report import Figure, figure, ratio, render, save, verdict
from bench._sweep import run_sweep, sweep_table
from bench._tenant import TenantProcess
from bench._tenant_load import KINDS, run_load

MAX_429_SHARE = 0.01
"""P1's target: 429s at most this share of the accepted calls (issue 13)."""


@dataclass(frozen=True)
class Settings:
    """What to run, from the environment (see the module docstring)."""

    quick: bool
    runs: int
    sizes: tuple[int, ...]
    load_seconds: float
    load_concurrency: int
    parts: frozenset[str]
    once_sizes: tuple[int, ...] = ()
    sweep: tuple[str, ...] = ()
    sweep_n: int = 50

    @classmethod
    def from_env(cls) -> Settings:
        """Read the BENCH_* variables; one clear line for a bad value."""
        quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
        try:
            runs = int(os.environ.get("BENCH_RUNS", "1" if quick else "3"))
            sizes = tuple(int(n) for n in os.environ.get("BENCH_N", "3" if quick else "10,50").split(","))
            seconds = float(os.environ.get("BENCH_P3_SECONDS", "1" if quick else "5"))
            concurrency = int(os.environ.get("BENCH_P3_CONCURRENCY", "8"))
            once = _ints(os.environ.get("BENCH_N_ONCE", "" if quick else "200"))
            sweep = tuple(
                v.strip().upper() for v in os.environ.get("BENCH_SWEEP", "").split(",") if v.strip()
            )
            for point in sweep:
                if point[:1] not in ("R", "P") or int(point[1:]) < 0:
                    raise ValueError(f"BENCH_SWEEP: {point!r} is not R<parallelism> or P<parallelism>")
            sweep_n = int(os.environ.get("BENCH_SWEEP_N", "50"))
        except ValueError as exc:
            raise SystemExit(
                f"bench: BENCH_RUNS/BENCH_N*/BENCH_SWEEP*/BENCH_P3_*: not a number ({exc})"
            ) from None
        parts = frozenset(os.environ.get("BENCH_PARTS", "engine,load").split(","))
        if sweep and "engine" in parts:
            parts |= {"sweep"}
        if not parts <= {"engine", "load", "sweep"} or runs < 1 or min(sizes + once, default=1) < 1:
            raise SystemExit(
                "bench: BENCH_PARTS takes engine,load,sweep; BENCH_RUNS, BENCH_N*, BENCH_SWEEP must be >= 1"
            )
        return cls(quick, runs, sizes, seconds, concurrency, parts, once, sweep, sweep_n)


def _ints(text: str) -> tuple[int, ...]:
    return tuple(int(v) for v in text.split(",") if v.strip())


def _verify(project: ScratchProject, name: str, n: int) -> dict[str, Any]:
    """P4: `verify` of every integration of stack `name`, as `auth0-m2m verify` calls it."""
    integrations = list(stack_integrations(project.stack(name, n, "ours")).values())
    started = time.perf_counter()
    results = verify_all(integrations, ca_file=project.tenant.ca_file)
    wall = time.perf_counter() - started
    failed = sorted({r.reason for r in results if not r.ok})
    return {"n": len(results), "wall_s": wall, "ok": sum(r.ok for r in results), "failures": failed}


def run_engine(settings: Settings, tenant: TenantProcess, root: Path) -> dict[str, Any]:
    """P1, P2 and P4: every size, ours and plain in alternating order, `runs` times."""
    project = ScratchProject.create(root, tenant)
    runs: dict[str, Any] = {"ours": {}, "plain": {}, "verify": []}
    for run in range(settings.runs):
        for n in settings.sizes:
            order: tuple[Program, Program] = ("ours", "plain") if run % 2 == 0 else ("plain", "ours")
            for program in order:
                name = f"{program}-n{n}-r{run}"
                print(f"  run {run + 1}/{settings.runs}: {program} program, N={n} ...", flush=True)
                runs[program].setdefault(str(n), []).append(run_stack(project, name, n, program))
                if program == "ours" and n == max(settings.sizes):
                    runs["verify"].append(_verify(project, name, n))
    for n in settings.once_sizes:
        print(f"  once: ours program, N={n} (up only) ...", flush=True)
        runs["ours"].setdefault(str(n), []).append(
            run_stack(project, f"ours-n{n}-once", n, "ours", up_only=True)
        )
    return runs


def _p1_rows(runs: dict[str, Any]) -> list[list[str]]:
    rows = []
    for n, items in runs["ours"].items():
        ups = [item["up"] for item in items]
        ratio_figure = figure(ups, "ratio_to_floor")
        storms = [u["rate_limited"] > MAX_429_SHARE * u["calls"] for u in ups]
        met = ratio_figure.median is not None and ratio_figure.median <= 1.15 and not any(storms)
        rows.append(
            [
                n,
                figure(ups, "wall_s").text(),
                figure(ups, "calls").text(0),
                figure(ups, "reads").text(0),
                figure(ups, "writes").text(0),
                figure(ups, "rate_limited").text(0),
                ",".join(str(int(u["rate_limited"])) for u in ups),
                figure(ups, "floor_s").text(),
                ratio_figure.text(2),
                figure(ups, "cpu_s", "program").text(),
                figure(ups, "cpu_s", "engine_and_provider").text(),
                figure(ups, "cpu_s", "tenant").text(),
                verdict(met),
            ]
        )
    return rows


def _p2_rows(runs: dict[str, Any]) -> list[list[str]]:
    rows = []
    for n, ours_items in runs["ours"].items():
        plain_items = runs["plain"].get(n, [])
        if not plain_items:  # the sizes measured once: P1 only
            continue
        for step in ("up", "noop_up", "preview"):
            ours = [item[step] for item in ours_items]
            plain = [item[step] for item in plain_items]
            wall_ratio = ratio(ours, plain, "wall_s")
            calls_ratio = ratio(ours, plain, "calls")
            writes = figure(ours, "writes")
            met: bool | None = None
            if wall_ratio.median is not None:
                calls_ok = calls_ratio.median is None or calls_ratio.median <= 1.05
                writes_ok = step == "up" or not any(writes.values)
                met = wall_ratio.median <= 1.05 and calls_ok and writes_ok
            rows.append(
                [
                    n,
                    step.replace("_", "-"),
                    figure(ours, "wall_s").text(),
                    figure(plain, "wall_s").text(),
                    wall_ratio.text(2),
                    figure(ours, "calls").text(0),
                    figure(plain, "calls").text(0),
                    calls_ratio.text(2),
                    writes.text(0),
                    figure(ours, "changes", "create").text(0) if step == "up" else "-",
                    figure(plain, "changes", "create").text(0) if step == "up" else "-",
                    verdict(met),
                ]
            )
    return rows


def _p3_rows(load_runs: list[dict[str, Any]]) -> list[list[str]]:
    rows = []
    for kind in KINDS:
        items = [run[kind] for run in load_runs]
        rps, p99 = figure(items, "rps"), figure(items, "p99_ms")
        met = None
        if kind == "reads" and rps.median is not None and p99.median is not None:
            met = rps.median >= 1000 and p99.median < 10
        shares = Figure.of(i["generator_cpu_s"] / i["wall_s"] for i in items)
        rows.append(
            [
                kind,
                str(items[0]["concurrency"]),
                rps.text(0),
                figure(items, "p50_ms").text(2),
                p99.text(2),
                figure(items, "errors").text(0),
                figure(items, "tenant_cpu_share").text(2),
                shares.text(2),
                verdict(met),
            ]
        )
    return rows


def _p4_rows(verify_runs: list[dict[str, Any]]) -> list[list[str]]:
    if not verify_runs:
        return []
    wall = figure(verify_runs, "wall_s")
    met = wall.median is not None and wall.median < 2 and all(v["ok"] == v["n"] for v in verify_runs)
    ok = f"{min(v['ok'] for v in verify_runs)}/{verify_runs[0]['n']}"
    return [[str(verify_runs[0]["n"]), wall.text(2), ok, verdict(met)]]


def print_table(data: dict[str, Any]) -> None:
    """The closing table: one section per scenario."""
    print(f"\nauth0-m2m bench - {data['machine']['summary']}")
    engine = data.get("engine")
    if engine:
        print(f"\nP1 up of N integrations, tenant at {RATE_LIMIT} (req/s / burst); floor = calls / 15 per s")
        headers = ["N", "wall s", "calls", "reads sent", "writes sent", "429s", "429s per run"]
        headers += ["floor s", "wall/floor"]
        headers += ["cpu prog", "cpu eng+prov", "cpu tenant", "target <=1.15, 429s <=1%"]
        print(render(headers, _p1_rows(engine)))
        biggest = max(engine["ours"], key=int)
        routes: dict[str, list[float]] = {}
        for item in engine["ours"][biggest]:
            for route, count in item["up"]["by_route"].items():
                routes.setdefault(route, []).append(count)
        print("  calls = accepted requests; reads/writes sent and routes include the 429s")
        print(f"  requests by route (N={biggest}, median): ", end="")
        print(", ".join(f"{r} {Figure.of(c).text(0)}" for r, c in sorted(routes.items())))
        print("\nP2 ours vs a plain pulumi-auth0 program (bench/plain_program.py), same session")
        headers = ["N", "step", "ours s", "plain s", "wall ratio", "ours calls", "plain calls"]
        headers += [
            "calls ratio",
            "ours writes",
            "ours resources",
            "plain resources",
            "target <=1.05, writes 0",
        ]
        print(render(headers, _p2_rows(engine)))
        print("\nP4 verify of every integration (auth0_m2m.consumers.verify_all, CLI defaults)")
        print(render(["N", "wall s", "ok", "target <2 s"], _p4_rows(engine["verify"])))
    sweep = data.get("sweep")
    if sweep:
        print(
            f"\nParallelism sweep: up of N={sweep['n']} (ours) at {RATE_LIMIT}; "
            "engine parallelism k (0: default), R<k> paced (rate_limit: paid), P<k> not"
        )
        print(sweep_table(sweep))
    load = data.get("load")
    if load:
        print("\nP3 the tenant alone under load (tenant on CPU 0, generator on CPU 1, loopback HTTPS)")
        headers = ["kind", "conns", "req/s", "p50 ms", "p99 ms", "errors", "tenant cpu", "generator cpu"]
        headers += ["target reads >=1000/s, p99 <10 ms"]
        print(render(headers, _p3_rows(load)))


def _machine() -> dict[str, Any]:
    cpus = os.cpu_count() or 1
    load = os.getloadavg()
    version = subprocess.run(  # noqa: S603 - the engine's own binary
        [str(ENGINE_BIN / "pulumi"), "version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    busy = " - SHARED/BUSY machine: rough figures" if load[0] > cpus * 0.5 else ""
    return {
        "cpus": cpus,
        "loadavg_start": load,
        "python": platform.python_version(),
        "pulumi": version,
        "summary": f"{cpus} CPUs, load {load[0]:.1f}, pulumi {version}{busy}",
    }


def main() -> None:
    """Run the selected parts, print the table, save the JSON."""
    settings = Settings.from_env()
    if settings.parts & {"engine", "sweep"}:
        require_engine()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    data: dict[str, Any] = {
        "stamp": stamp,
        "settings": {**settings.__dict__, "parts": sorted(settings.parts)},
    }
    data["machine"] = _machine()
    print(f"bench {stamp}: runs={settings.runs} N={list(settings.sizes)} parts={sorted(settings.parts)}")
    with tempfile.TemporaryDirectory(prefix="auth0-m2m-bench-") as tmp:
        with TenantProcess(Path(tmp) / "tenant") as tenant:
            data["machine"]["tenant_cpu"] = tenant.pinned_cpu
            if "engine" in settings.parts:
                data["engine"] = run_engine(settings, tenant, Path(tmp) / "project")
            if "sweep" in settings.parts and settings.sweep:
                sweep_project = ScratchProject.create(Path(tmp) / "sweep", tenant)
                data["sweep"] = run_sweep(sweep_project, settings.sweep, settings.sweep_n, settings.runs)
            if "load" in settings.parts:
                data["load"] = []
                for run in range(settings.runs):
                    print(f"  run {run + 1}/{settings.runs}: tenant under load ...", flush=True)
                    data["load"].append(
                        run_load(
                            tenant, duration=settings.load_seconds, concurrency=settings.load_concurrency
                        )
                    )
    data["machine"]["loadavg_end"] = os.getloadavg()
    data["machine"]["summary"] += " (load at the end {:.1f} {:.1f} {:.1f})".format(
        *data["machine"]["loadavg_end"]
    )
    print_table(data)
    print(f"\nsaved {save(data, stamp)}")


if __name__ == "__main__":
    main()
