"""R1: `up` converges while the tenant answers a share of requests with 429 and 503.

Each run starts from an empty tenant and a new project: the tenant injects 429s (with
`X-RateLimit-Reset`) and 503s at the given rates, `auth0-m2m up --stack local` runs through the real
CLI and engine, the tenant is compared with the state (faults paused for the look), and a second
`up`, still under faults, must change nothing. A run converges when both `up`s succeed, the tenant
holds exactly the declared objects, each once and each known to the state, and the second `up`
reports only unchanged resources.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bench.resilience._convergence import Convergence, TenantInventory, compare
from bench.resilience._sandbox import Sandbox
from bench.resilience._stackconfig import expected_objects, integrations_config

DEFAULT_FAULTS = "429=0.2,503=0.05"


@dataclass(frozen=True)
class FaultRun:
    """One R1 run."""

    up_ok: bool
    second_up_changes: dict[str, int]
    convergence: Convergence | None
    seconds: float
    injected: dict[str, int]
    detail: str = ""

    @property
    def converged(self) -> bool:
        """Both `up`s succeeded, the tenant matches the state, and the second `up` was a no-op."""
        noop = set(self.second_up_changes) == {"same"}
        return self.up_ok and noop and self.convergence is not None and self.convergence.ok


@dataclass
class FaultsResult:
    """R1 over all runs."""

    integrations: int
    faults: str
    runs: list[FaultRun] = field(default_factory=list)

    @property
    def converged(self) -> int:
        """Runs that converged."""
        return sum(run.converged for run in self.runs)

    def line(self) -> str:
        """The figures line `make stress` prints."""
        dups = sum(len(r.convergence.duplicates) for r in self.runs if r.convergence)
        orphans = sum(len(r.convergence.orphans) for r in self.runs if r.convergence)
        missing = sum(len(r.convergence.missing) for r in self.runs if r.convergence)
        noop = sum(set(r.second_up_changes) == {"same"} for r in self.runs)
        injected: dict[str, int] = {}
        for run in self.runs:
            for status, n in run.injected.items():
                injected[status] = injected.get(status, 0) + n
        shown = ", ".join(f"{n}x{s}" for s, n in sorted(injected.items())) or "none"
        seconds = sorted(r.seconds for r in self.runs)
        median = seconds[len(seconds) // 2] if seconds else 0.0
        return (
            f"R1 faults ({self.faults}): converged {self.converged}/{len(self.runs)} runs of "
            f"{self.integrations} integrations; second up no-op {noop}/{len(self.runs)}; "
            f"duplicates {dups}, orphans {orphans}, missing {missing}; injected {shown}; "
            f"median first up {median:.0f} s"
        )


def run_once(sandbox: Sandbox, integrations: int, faults: str, index: int) -> FaultRun:
    """One run on an emptied tenant and a new project."""
    sandbox.reset()
    config = integrations_config(integrations)
    project = sandbox.project(f"r1-run{index}")
    project.write_stack("local", config)
    sandbox.set_faults(faults, seed=1000 + index)
    started = time.monotonic()
    try:
        first = project.cli("up", "--stack", "local", "--json")
        seconds = time.monotonic() - started
        second = project.cli("up", "--stack", "local", "--json") if first.returncode == 0 else None
    finally:
        sandbox.set_faults(None)
    injected = {str(k): int(v) for k, v in sandbox.stats().get("injected", {}).items()}
    with sandbox.management() as mgmt:
        inventory = TenantInventory.read(mgmt, sandbox.server.bootstrap_client_id)
    convergence = compare(inventory, project.deployment(), expected_objects(config))
    changes: dict[str, int] = {}
    detail = "" if first.returncode == 0 else first.stderr.strip()[-400:]
    if second is not None:
        document = second.json() or {}
        changes = dict(document.get("changes") or {})
        if second.returncode != 0:
            detail = second.stderr.strip()[-400:]
    return FaultRun(first.returncode == 0, changes, convergence, seconds, injected, detail)


def run_faults(
    sandbox: Sandbox, *, integrations: int = 20, runs: int = 10, faults: str = DEFAULT_FAULTS
) -> FaultsResult:
    """R1: `runs` times, `up` of `integrations` integrations under `faults`, then a second `up`."""
    result = FaultsResult(integrations=integrations, faults=faults)
    for index in range(runs):
        result.runs.append(run_once(sandbox, integrations, faults, index))
    return result
