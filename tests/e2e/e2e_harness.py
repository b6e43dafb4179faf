"""The end-to-end harness: a throwaway project copy, the tenant's stats, and a view of its objects.

Used by `conftest.py` (fixtures) and the e2e tests; it has no fixtures of its own. A `Project` is the
project's `Pulumi.yaml` copied into a temporary folder with the test's own stack files, its own
file:// backend and plugin home, and the engine from `make engine` first on PATH. `TenantView` lists
what exists in the tenant through auth0-python, leaving out the tenant's own objects (the bootstrap
client, its grant and the Management API), so tests compare with what a stack declared.
"""

from __future__ import annotations

import os
import ssl
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from auth0.management import ManagementClient
from pulumi import automation as auto

from auth0_m2m.tenant import TenantServer
from auth0_m2m.workspace import LocalTenant, scratch_project, select_stack

REPO = Path(__file__).resolve().parents[2]
ENGINE_BIN = REPO / ".engine" / "bin"
PASSPHRASE = "e2e-only"


def require_engine(*also: str) -> None:
    """Skip (or in CI fail) when `make engine` has not provided the CLI (and `also`) and the auth0 plugin.

    `.engine/env` is written once the plugin is chosen: a real one linked into `.engine/bin`, or the stand-in,
    which is never on PATH but in a plugin cache, and which every project copy gets in its own plugin home
    (`scratch_project`).
    """
    needed = [ENGINE_BIN / n for n in ("pulumi", *also)] + [ENGINE_BIN.parent / "env"]
    missing = [str(p.relative_to(REPO)) for p in needed if not p.exists()]
    if missing:
        message = f"{', '.join(missing)} missing: run `make engine`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def local_tenant(server: TenantServer) -> LocalTenant:
    """The connection details of a test tenant, as the workspace takes them."""
    return LocalTenant(
        domain=server.domain,
        ca_file=server.ca_file,
        client_id=server.bootstrap_client_id,
        client_secret=server.bootstrap_client_secret.get_secret_value(),
    )


@dataclass
class Project:
    """A temporary copy of the project: its Pulumi.yaml, stack files written by the test, own state."""

    root: Path
    tenant: TenantServer
    env: dict[str, str]
    log: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, root: Path, tenant: TenantServer) -> Project:
        """Lay out a project copy in `root` with its own backend, plugin home and engine on PATH."""
        env = scratch_project(root, passphrase=PASSPHRASE)
        env["PATH"] = f"{ENGINE_BIN}{os.pathsep}{os.environ.get('PATH', '')}"
        return cls(root=root, tenant=tenant, env=env)

    def write_stack(self, name: str, config: dict[str, Any]) -> None:
        """Write `stacks/Pulumi.<name>.yaml` with `config` (full keys, e.g. `auth0-m2m:apis`)."""
        path = self.root / "stacks" / f"Pulumi.{name}.yaml"
        existing = yaml.safe_load(path.read_text()) if path.exists() else {}
        existing["config"] = config
        path.write_text(yaml.safe_dump(existing, sort_keys=False))

    def stack(self, name: str) -> auto.Stack:
        """Open the stack with the project's program, pointed at this project's tenant."""
        return select_stack(name, root=self.root, tenant=local_tenant(self.tenant), env=self.env)

    def up(self, name: str, **kwargs: Any) -> auto.UpResult:
        """`up` with the engine's output kept in `log` (for the secrecy checks)."""
        return self.stack(name).up(on_output=self.log.append, color="never", **kwargs)

    def process_env(self) -> dict[str, str]:
        """The environment for running plain `pulumi` commands in this project."""
        return {**os.environ, **self.env}

    def pulumi(
        self, *args: str, check: bool = True, source: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Plain `pulumi ARGS` in the project copy, as a user runs it from a shell.

        `source` is an env file sourced first (the local tenant's `env`, as `. .tenant/env`). The
        output is kept in `log` (for the secrecy checks); a failure shows the end of it.
        """
        env = self.process_env()
        script = 'exec pulumi "$@"'
        if source is not None:
            env.pop("PULUMI_CONFIG_PASSPHRASE", None)  # the env file brings the local stack's own
            script = '. "$0" && exec pulumi "$@"'
        command = ["bash", "-c", script, str(source or "pulumi"), *args, "--non-interactive"]
        command += ["--color", "never"]
        done = subprocess.run(  # noqa: S603 - bash with a fixed script and the engine from PATH
            command,  # noqa: S607
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        self.log.extend((done.stdout, done.stderr))
        if check and done.returncode != 0:
            tail = f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            raise AssertionError(f"pulumi {' '.join(args)} exited {done.returncode}:\n{tail}")
        return done

    def state_text(self) -> str:
        """Every file of the file backend, as text (state files, history, backups)."""
        files = sorted(p for p in (self.root / "state").rglob("*") if p.is_file())
        return "\n".join(p.read_text(errors="replace") for p in files)


class TenantStats:
    """Reads and resets the tenant's request counters (`/__tenant/stats`)."""

    def __init__(self, tenant: TenantServer) -> None:
        self._url = f"https://{tenant.domain}/__tenant/stats"
        self._verify = ssl.create_default_context(cafile=str(tenant.ca_file))

    def reset(self) -> None:
        """Zero every counter."""
        httpx.delete(self._url, verify=self._verify).raise_for_status()

    def read(self) -> dict[str, Any]:
        """The counters since the last reset."""
        response = httpx.get(self._url, verify=self._verify)
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data


class TenantView:
    """What exists in the tenant, read through auth0-python, without the tenant's own objects."""

    def __init__(self, mgmt: ManagementClient, tenant: TenantServer) -> None:
        self._mgmt = mgmt
        self._own_client = tenant.bootstrap_client_id

    def clients(self) -> list[dict[str, Any]]:
        """Every client but the bootstrap client."""
        found = [c.model_dump() for c in self._mgmt.clients.list(per_page=100)]
        return [c for c in found if c["client_id"] != self._own_client]

    def apis(self) -> list[dict[str, Any]]:
        """Every resource server but the Management API."""
        found = [r.model_dump() for r in self._mgmt.resource_servers.list(per_page=100)]
        return [r for r in found if not r.get("is_system")]

    def grants(self) -> list[dict[str, Any]]:
        """Every client grant but the bootstrap client's."""
        found = [g.model_dump() for g in self._mgmt.client_grants.list(take=100)]
        return [g for g in found if g["client_id"] != self._own_client]

    def organizations(self) -> list[dict[str, Any]]:
        """Every organization."""
        return [o.model_dump() for o in self._mgmt.organizations.list(take=100)]

    def organization_grants(self, organization_id: str) -> list[str]:
        """The ids of the client grants attached to an organization."""
        pager = self._mgmt.organizations.client_grants.list(organization_id, per_page=100)
        return sorted(g.id for g in pager if g.id)
