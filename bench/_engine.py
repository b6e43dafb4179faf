"""P1 and P2: `up`, no-op `up` and `preview` on the real engine, ours and the plain program.

A `ScratchProject` is the project's `Pulumi.yaml` copied into a temporary folder with its own
file:// backend and plugin home with the stand-in auth0 plugin in it (the engine from `make engine`
first on PATH), as the e2e harness does. Every measured `up` of N integrations starts from an
emptied tenant, a full rate-limit bucket and zeroed counters, on a new stack. Wall time is the
Automation API call as the CLI makes it (`auth0-m2m up` runs the same call); calls come from the
tenant's counters.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pulumi import automation as auto

from auth0_m2m.workspace import scratch_project, select_stack
from bench._tenant import TenantProcess
from bench.plain_program import plain_program

REPO = Path(__file__).resolve().parents[1]
ENGINE_BIN = REPO / ".engine" / "bin"
PASSPHRASE = "bench-only"  # noqa: S105 - protects throwaway local-tenant credentials in a temp dir
RATE_LIMIT = "15/50"
"""A paid tenant's Management API limit: 15 requests/s, bursts of 50 (auth0-facts.md, section 13)."""
RATE = 15.0
RATE_KEY = "paid"
"""The stack's `auth0-m2m:rate_limit` for our program: the preset for that tier (15/s, bursts of 50)."""

Program = Literal["ours", "plain"]


def require_engine() -> None:
    """Fail with the command to run when `make engine` has not provided the CLI and chosen the plugin.

    `.engine/env` is written once the auth0 plugin is chosen; the stand-in is never on PATH but in each
    scratch project's plugin cache (`scratch_project` installs it).
    """
    missing = [str(p) for p in (ENGINE_BIN / "pulumi", ENGINE_BIN.parent / "env") if not p.exists()]
    if missing:
        raise SystemExit(f"bench: {', '.join(missing)} missing: run `make engine` first")


def bench_config(domain: str, n: int, rate_limit: str | None = RATE_KEY) -> dict[str, Any]:
    """Stack config: one API with two scopes and `n` client-credentials integrations on it, and the
    tenant's rate limit (`auth0-m2m:rate_limit`: our program paces its creates and updates to fit it;
    the plain program ignores the key, as a program without auth0-m2m would)."""
    integrations = {
        f"app-{i:03d}": {
            "api": "bench",
            "scopes": ["read:items"],
            "auth_method": "client_secret_post",
            "description": f"bench integration {i}",
        }
        for i in range(1, n + 1)
    }
    limit = {} if rate_limit is None else {"auth0-m2m:rate_limit": rate_limit}
    return {
        "auth0:domain": domain,
        **limit,
        "auth0-m2m:apis": {
            "bench": {
                "identifier": "https://api.bench.test/items",
                "name": "Bench API",
                "token_lifetime": 86400,
                "scopes": {"read:items": "Read items", "write:items": "Write items"},
            }
        },
        "auth0-m2m:integrations": integrations,
    }


@dataclass
class ScratchProject:
    """A temporary copy of the project with its own backend, on one tenant."""

    root: Path
    tenant: TenantProcess
    env: dict[str, str]

    @classmethod
    def create(cls, root: Path, tenant: TenantProcess) -> ScratchProject:
        """Lay out the copy in `root`."""
        env = scratch_project(root, passphrase=PASSPHRASE)
        env["PATH"] = f"{ENGINE_BIN}{os.pathsep}{os.environ.get('PATH', '')}"
        return cls(root=root, tenant=tenant, env=env)

    def stack(
        self,
        name: str,
        n: int,
        program: Program,
        parallel: int | None = None,
        rate_limit: str | None = RATE_KEY,
    ) -> auto.Stack:
        """Write `stacks/Pulumi.<name>.yaml` for `n` integrations and open it with `program`;
        `parallel` sets the engine's parallelism (`PULUMI_PARALLEL`), `rate_limit` the stack's key."""
        config = bench_config(self.tenant.domain, n, rate_limit)
        path = self.root / "stacks" / f"Pulumi.{name}.yaml"
        path.write_text(yaml.safe_dump({"config": config}, sort_keys=False))
        tenant = self.tenant.local_tenant()
        run: Callable[[], None] | None = None
        if program == "plain":

            def run() -> None:
                plain_program(tenant.domain, tenant.client_id, tenant.client_secret)

        env = dict(self.env)
        if parallel is not None:
            env["PULUMI_PARALLEL"] = str(parallel)
        return select_stack(name, root=self.root, program=run, tenant=tenant, env=env)


def _cpu_times(tenant: TenantProcess) -> tuple[float, float, float]:
    """CPU seconds so far of this process (the inline program), reaped children (engine and
    provider) and the tenant process."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime, tenant.cpu_seconds()


def _measure(tenant: TenantProcess, call: Callable[[], Any]) -> dict[str, Any]:
    tenant.reset_stats()
    cpu_before = _cpu_times(tenant)
    started = time.perf_counter()
    result = call()
    wall = time.perf_counter() - started
    cpu = [after - before for after, before in zip(_cpu_times(tenant), cpu_before, strict=True)]
    stats = tenant.stats()
    summary = getattr(result, "summary", None)
    changes = getattr(summary, "resource_changes", None) or getattr(result, "change_summary", None)
    accepted = stats["total"] - stats["rate_limited"]
    return {
        "wall_s": wall,
        "calls": accepted,
        "reads": stats["reads"],
        "writes": stats["writes"],
        "rate_limited": stats["rate_limited"],
        "token_requests": stats["token_requests"]["total"],
        "by_route": stats["by_route"],
        "by_status": stats["by_status"],
        "floor_s": accepted / RATE,
        "ratio_to_floor": wall / (accepted / RATE) if accepted else None,
        "changes": dict(changes or {}),
        "cpu_s": {"program": cpu[0], "engine_and_provider": cpu[1], "tenant": cpu[2]},
    }


def _quiet(_line: str) -> None:
    return None


def run_stack(
    project: ScratchProject, name: str, n: int, program: Program, *, up_only: bool = False
) -> dict[str, dict[str, Any]]:
    """On an emptied tenant at 15/50: `up` (create), then a no-op `up`, then a `preview`."""
    tenant = project.tenant
    tenant.fresh(RATE_LIMIT)
    stack = project.stack(name, n, program)
    up = _measure(tenant, lambda: stack.up(color="never", on_output=_quiet))
    if up_only:
        return {"up": up}
    noop = _measure(tenant, lambda: stack.up(color="never", on_output=_quiet))
    preview = _measure(tenant, lambda: stack.preview(color="never", on_output=_quiet))
    return {"up": up, "noop_up": noop, "preview": preview}


def run_sweep_point(project: ScratchProject, name: str, n: int, point: str) -> dict[str, Any]:
    """One `up` of our program on an emptied tenant at 15/50 at engine parallelism k (`PULUMI_PARALLEL`;
    0 is the engine's default): `R<k>` paced (the stack's rate limit `paid`), `P<k>` without the key."""
    tenant = project.tenant
    tenant.fresh(RATE_LIMIT)
    kind, count = point[0].upper(), int(point[1:])
    stack = project.stack(
        name, n, "ours", parallel=count or None, rate_limit=RATE_KEY if kind == "R" else None
    )
    up = _measure(tenant, lambda: stack.up(color="never", on_output=_quiet))
    up["point"] = point
    return up


def stack_for(project: ScratchProject, name: str, n: int, program: Program) -> auto.Stack:
    """Re-open a stack made by `run_stack` (for P4's outputs)."""
    return project.stack(name, n, program)
