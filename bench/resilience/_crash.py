"""R2: the `pulumi` process is SIGKILLed in the middle of an `up`; the documented recovery converges.

Each run starts `auth0-m2m up --stack local` on an emptied tenant (with some latency, so the `up`
lasts), waits until the tenant has seen a given number of writes, then SIGKILLs the `pulumi`
process and the provider plugins it started (what a killed CI job does to the process tree). The
state is left locked, with pending creates: a plain `up` must stop on the lock and name the
recovery, which is the one docs/resilience.md gives:

    auth0-m2m recover --stack local     # pulumi cancel, settle pending creates, refresh
    auth0-m2m up --stack local

A run converges when the recovery and the `up` succeed, the tenant holds exactly the declared
objects, each once and each known to the state, and a further `up` is a no-op.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.resilience._convergence import Convergence, TenantInventory, compare
from bench.resilience._sandbox import Project, Sandbox
from bench.resilience._stackconfig import expected_objects, integrations_config

KILL_AFTER_WRITES = (3, 8, 14, 20, 27)
"""The tenant write counts at which successive runs kill `pulumi` (spread over the `up`)."""
RECOVERY_COMMANDS = ("auth0-m2m recover --stack local", "auth0-m2m up --stack local")


def _children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc (Linux)."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _command(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "comm").read_text().strip()
    except OSError:
        return ""


def kill_engine(cli: subprocess.Popen[str]) -> list[int]:
    """SIGKILL the `pulumi` child of `cli` and every process under it; return the pids killed."""
    engines = [pid for pid in _children(cli.pid) if _command(pid) == "pulumi"]
    tree: list[int] = []
    pending = list(engines)
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(_children(pid))
    for pid in tree:  # the engine first, then its plugins: nothing gets to clean up
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
    return tree


@dataclass(frozen=True)
class CrashRun:
    """One R2 run."""

    kill_after: int
    killed: bool
    writes_at_kill: int
    pending_creates: int
    locked: bool
    guided: bool
    """An `up` before the recovery stopped on the lock and named `auth0-m2m recover`."""
    adopted: int
    recover_ok: bool
    up_ok: bool
    noop: bool
    convergence: Convergence | None
    detail: str = ""
    torn: bool = False
    """The kill tore the checkpoint's metadata file, so the state could not be read before `recover`."""

    @property
    def converged(self) -> bool:
        """Recovery and `up` succeeded, the tenant matches the state, a further `up` changed nothing."""
        good = self.convergence is not None and self.convergence.ok
        return self.killed and self.guided and self.recover_ok and self.up_ok and self.noop and good


@dataclass
class CrashResult:
    """R2 over all runs."""

    integrations: int
    runs: list[CrashRun] = field(default_factory=list)

    @property
    def converged(self) -> int:
        """Runs that converged after the recovery."""
        return sum(run.converged for run in self.runs)

    def line(self) -> str:
        """The figures line `make stress` prints."""
        killed = sum(r.killed for r in self.runs)
        guided = sum(r.guided for r in self.runs)
        pending = sum(r.pending_creates for r in self.runs)
        adopted = sum(r.adopted for r in self.runs)
        dups = sum(len(r.convergence.duplicates) for r in self.runs if r.convergence)
        orphans = sum(len(r.convergence.orphans) for r in self.runs if r.convergence)
        return (
            f"R2 crash (SIGKILL of pulumi mid-up, then `{'` + `'.join(RECOVERY_COMMANDS)}`): "
            f"converged {self.converged}/{len(self.runs)}; killed mid-up {killed}/{len(self.runs)}; "
            f"stale lock stopped the next up and named `recover` {guided}/{len(self.runs)}; "
            f"pending creates left {pending} (adopted from the tenant {adopted}); "
            f"duplicates {dups}, orphans {orphans}"
        )


def _interrupt(sandbox: Sandbox, project: Project, kill_after: int) -> tuple[bool, int]:
    cli = project.start_cli("up", "--stack", "local")
    killed = False
    writes = 0
    try:
        deadline = time.monotonic() + 600
        while cli.poll() is None and time.monotonic() < deadline:
            writes = int(sandbox.stats()["writes"])
            if writes >= kill_after:
                killed = bool(kill_engine(cli))
                break
            time.sleep(0.02)
        cli.wait(timeout=120)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()
    return killed and cli.returncode != 0, writes


def run_once(sandbox: Sandbox, integrations: int, kill_after: int, index: int) -> CrashRun:
    """One run: start `up`, kill it at `kill_after` writes, recover, `up`, compare, `up` again."""
    sandbox.reset()
    sandbox.set_faults("latency=40ms")
    config = integrations_config(integrations)
    project = sandbox.project(f"r2-run{index}")
    project.write_stack("local", config)
    try:
        killed, writes = _interrupt(sandbox, project, kill_after)
        torn = False
        try:
            state = project.deployment()
        except RuntimeError as exc:  # the kill tore the checkpoint's metadata file: `recover` repairs it
            if "failed to load checkpoint" not in str(exc):
                raise
            state, torn = {}, True
        pending = sum(1 for op in state.get("pending_operations") or [] if op.get("type") == "creating")
        locked = any((project.root / "state" / ".pulumi" / "locks").rglob("*.json"))
        blocked = project.cli("up", "--stack", "local")
        guided = blocked.returncode == 1 and "auth0-m2m recover --stack local" in blocked.stderr
        recovered = project.cli("recover", "--stack", "local", "--json")
        adopted = 0
        if recovered.returncode == 0:
            adopted = sum(1 for row in (recovered.json() or {}).get("pending", []) if row.get("found_id"))
        up = project.cli("up", "--stack", "local", "--json")
        again = project.cli("up", "--stack", "local", "--json") if up.returncode == 0 else None
    finally:
        sandbox.set_faults(None)
    with sandbox.management() as mgmt:
        inventory = TenantInventory.read(mgmt, sandbox.server.bootstrap_client_id)
    convergence = compare(inventory, project.deployment(), expected_objects(config))
    noop = again is not None and set((again.json() or {}).get("changes") or {}) == {"same"}
    failed = next((r for r in (recovered, up, again) if r is not None and r.returncode != 0), None)
    return CrashRun(
        kill_after=kill_after,
        killed=killed,
        writes_at_kill=writes,
        pending_creates=pending,
        locked=locked,
        guided=guided,
        adopted=adopted,
        recover_ok=recovered.returncode == 0,
        up_ok=up.returncode == 0,
        noop=noop,
        convergence=convergence,
        detail="" if failed is None else f"{' '.join(failed.args[1:3])}: {failed.stderr.strip()[-400:]}",
        torn=torn,
    )


def run_crash(sandbox: Sandbox, *, integrations: int = 8, runs: int = 5) -> CrashResult:
    """R2: `runs` interrupted `up`s, each killed at a different point, each recovered."""
    result = CrashResult(integrations=integrations)
    for index in range(runs):
        kill_after = KILL_AFTER_WRITES[index % len(KILL_AFTER_WRITES)]
        result.runs.append(run_once(sandbox, integrations, kill_after, index))
    return result
