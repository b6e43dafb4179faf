"""`make stress`: run the resilience scenarios R1-R5 (issue 7) on the real engine and print the figures.

Not a timed test: it prints one line per scenario as it finishes, then the details of anything
that did not hold, and exits 1 if any scenario fell short (0 otherwise). Sizes are the issue's by
default; smaller ones are flags (the e2e tests in tests/e2e/test_resilience.py run the same
functions small). Everything runs in a temporary folder (kept with --keep) against a local tenant
on a free port; the engine comes from `make engine` (.engine/bin).

    python -m bench.stress                       # R1 20 integrations x 10 runs, R2 5 runs, R3-R5
    python -m bench.stress --only R1 --r1-runs 2 --r1-integrations 5

The scenarios themselves are in `bench/resilience/` (not in the auth0_m2m package: they are not
part of the product), run from the repository root as `bench.resilience`.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.resilience import (
    DEFAULT_FAULTS,
    Sandbox,
    hits_by_place,
    run_bad_input,
    run_crash,
    run_faults,
    run_guard,
    run_secrecy,
)

REPO = Path(__file__).resolve().parents[1]

SCENARIOS = ("R1", "R2", "R3", "R4", "R5")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated scenarios, e.g. R1,R3")
    parser.add_argument("--r1-integrations", type=int, default=20)
    parser.add_argument("--r1-runs", type=int, default=10)
    parser.add_argument("--faults", default=DEFAULT_FAULTS, help="R1's fault spec")
    parser.add_argument("--r2-integrations", type=int, default=8)
    parser.add_argument("--r2-runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=REPO / "tests" / "stress_corpus")
    parser.add_argument("--root", type=Path, default=None, help="work folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (projects, logs, tenant)")
    return parser.parse_args()


def _tenant_log(root: Path) -> Path:
    """Send the local tenant's own log (e.g. requests cut by R2's kills) to a file, not the figures."""
    path = root / "tenant.log"
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in ("auth0_m2m.tenant", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.propagate = False
    return path


def main() -> int:
    """Run the chosen scenarios; print a line each and the details of what fell short."""
    args = _arguments()
    chosen = [s.strip().upper() for s in args.only.split(",") if s.strip()]
    root = args.root or Path(tempfile.mkdtemp(prefix="auth0-m2m-stress-"))
    failures: list[str] = []
    started = time.monotonic()
    root.mkdir(parents=True, exist_ok=True)
    tenant_log = _tenant_log(root)
    try:
        with Sandbox(root) as sandbox:
            if "R1" in chosen:
                r1 = run_faults(
                    sandbox, integrations=args.r1_integrations, runs=args.r1_runs, faults=args.faults
                )
                print(r1.line(), flush=True)
                for i, run in enumerate(r1.runs):
                    if not run.converged:
                        summary = run.convergence.summary() if run.convergence else "-"
                        failures.append(
                            f"R1 run {i}: up ok {run.up_ok}, second up {run.second_up_changes}, "
                            f"{summary} {run.detail}"
                        )
            if "R2" in chosen:
                r2 = run_crash(sandbox, integrations=args.r2_integrations, runs=args.r2_runs)
                print(r2.line(), flush=True)
                for i, crash in enumerate(r2.runs):
                    if not crash.converged:
                        summary = crash.convergence.summary() if crash.convergence else "-"
                        failures.append(f"R2 run {i}: {crash} {summary}")
            if "R3" in chosen:
                r3 = run_bad_input(sandbox, args.corpus)
                print(r3.line(), flush=True)
                for outcome in r3.outcomes:
                    if not outcome.rejected:
                        failures.append(
                            f"R3 {outcome.case.stack} via {outcome.how}: exit {outcome.exit_code}, expected "
                            f"{outcome.case.expect!r}: {outcome.output.strip()[-300:]}"
                        )
                if any(r3.requests.values()):
                    failures.append(f"R3 the tenant saw requests: {r3.requests}")
            if "R4" in chosen:
                r4 = run_secrecy(sandbox)
                print(r4.line(), flush=True)
                failures.extend(f"R4 {line}" for line in hits_by_place(r4))
                if not r4.ok and not r4.hits:
                    failures.append(f"R4 steps {r4.steps}, modes {r4.modes}, control {r4.control_hits}")
            if "R5" in chosen:
                r5 = run_guard(sandbox)
                print(r5.line(), flush=True)
                failures.extend(f"R5 let through: {p}" for p in r5.probes if not p.refused)
                if not r5.ok and all(p.refused for p in r5.probes):
                    failures.append(f"R5 control {r5.control}, tenant unchanged {r5.unchanged}")
    finally:
        if not args.keep and args.root is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"stress: {len(chosen)} scenario(s) in {time.monotonic() - started:.0f} s", flush=True)
    for failure in failures:
        print(f"  FELL SHORT: {failure}")
    if args.keep or args.root is not None:
        print(f"  work folder kept: {root} (the tenant's log: {tenant_log})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
