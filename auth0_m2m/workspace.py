"""Open a stack of this project through the Pulumi Automation API, offline-safe.

The project has one program (`auth0_m2m.program.pulumi_program`). `pulumi up` in the project
directory would run it through the Python language host; the Automation API runs the very same
function as an *inline* program, which needs only the `pulumi` CLI and the `auth0` resource
plugin. The CLI reads the project's own `Pulumi.yaml` and `stacks/Pulumi.<stack>.yaml`, because
the workspace's `work_dir` is the project directory.

This module decides the environment every engine run gets:
- the built engine first on `PATH` (`.engine/bin`, made by `make engine`);
- no update checks and no plugin downloads;
- for the `local` stack, the embedded defaults: a `file://` backend in `.state/`, the documented
  local-only passphrase, and the local tenant's domain, CA and bootstrap credentials.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pulumi import automation as auto

from auth0_m2m.outputs import IntegrationOutputs

PROJECT_NAME = "auth0-m2m"
LOCAL_STACK = "local"
LOCAL_PASSPHRASE = "auth0-m2m-local-only"  # noqa: S105 - documented, protects only local-tenant creds
"""Passphrase of the `local` stack's secrets provider. It protects nothing: the local stack only
ever holds credentials of the local tenant. Every other stack brings its own secrets provider."""


class WorkspaceError(Exception):
    """The project, the engine or a stack could not be opened; the message says what to do."""


def project_root(start: Path | None = None) -> Path:
    """Return the project directory: the nearest folder at or above `start` with our Pulumi.yaml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "Pulumi.yaml"
        if candidate.is_file() and _project_name(candidate) == PROJECT_NAME:
            return folder
    packaged = Path(__file__).resolve().parents[1]
    if (packaged / "Pulumi.yaml").is_file():
        return packaged
    raise WorkspaceError(f"no {PROJECT_NAME} project (Pulumi.yaml) at or above {here}: run from the project")


def _project_name(pulumi_yaml: Path) -> str | None:
    for line in pulumi_yaml.read_text(encoding="utf-8").splitlines():
        if line.startswith("name:"):
            return line.partition(":")[2].strip().strip("'\"")
    return None


@dataclass(frozen=True)
class LocalTenant:
    """Where the local tenant answers and how to trust and log in to it."""

    domain: str
    ca_file: Path
    client_id: str
    client_secret: str = field(repr=False)


TENANT_STATE_DIR = ".tenant"
"""Where `auth0-m2m tenant serve` keeps the local tenant's state by default (relative to the project)."""


def find_local_tenant(state_dir: Path) -> LocalTenant:
    """The running local tenant whose state is in `state_dir` (its CA and bootstrap credentials)."""
    bootstrap = state_dir / "bootstrap-client.json"
    ca_file = state_dir / "ca.pem"
    if not bootstrap.is_file() or not ca_file.is_file():
        raise WorkspaceError(
            f"no local tenant state in {state_dir}: start one with `make tenant` or `auth0-m2m tenant serve`"
        )
    data = json.loads(bootstrap.read_text(encoding="utf-8"))
    tenant = LocalTenant(
        domain=str(data["domain"]),
        ca_file=ca_file,
        client_id=str(data["client_id"]),
        client_secret=str(data["client_secret"]),
    )
    host, _, port = tenant.domain.partition(":")
    try:
        socket.create_connection(("127.0.0.1" if host == "localhost" else host, int(port or 443)), 2).close()
    except OSError:
        raise WorkspaceError(
            f"the local tenant at {tenant.domain} is not running: start it with `auth0-m2m tenant serve`"
        ) from None
    return tenant


def scratch_project(root: Path, *, passphrase: str) -> dict[str, str]:
    """Lay out a throwaway copy of the project in `root` and return the environment that keeps runs there.

    The copy has the project's `Pulumi.yaml`, an empty `stacks/` for the caller's stack files, a file://
    backend in `state/` and its own `pulumi-home/`; tests, `make stress` and `make bench` run in such
    copies so that they never touch the project's own state. The caller adds `PATH` (the engine).
    """
    for folder in ("stacks", "state", "pulumi-home"):
        (root / folder).mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.copy(project_root() / "Pulumi.yaml", root / "Pulumi.yaml")
    return {
        "PULUMI_BACKEND_URL": (root / "state").as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": passphrase,
        "PULUMI_HOME": str(root / "pulumi-home"),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }


def engine_env(root: Path, stack: str, tenant: LocalTenant | None = None) -> dict[str, str]:
    """The environment variables for the `pulumi` CLI (and the provider plugin it starts)."""
    env: dict[str, str] = {
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_HOME": os.environ.get("PULUMI_HOME", str(root / ".pulumi-home")),
    }
    engine_bin = root / ".engine" / "bin"
    if engine_bin.is_dir():
        env["PATH"] = f"{engine_bin}{os.pathsep}{os.environ.get('PATH', '')}"
    if stack == LOCAL_STACK:
        if "PULUMI_BACKEND_URL" not in os.environ:
            (root / ".state").mkdir(mode=0o700, exist_ok=True)
        env["PULUMI_BACKEND_URL"] = os.environ.get("PULUMI_BACKEND_URL", (root / ".state").as_uri())
        if not (
            os.environ.get("PULUMI_CONFIG_PASSPHRASE") or os.environ.get("PULUMI_CONFIG_PASSPHRASE_FILE")
        ):
            env["PULUMI_CONFIG_PASSPHRASE"] = LOCAL_PASSPHRASE
    if tenant is not None:
        env["SSL_CERT_FILE"] = str(tenant.ca_file)
        env["REQUESTS_CA_BUNDLE"] = str(tenant.ca_file)
    return env


def select_stack(
    stack: str,
    *,
    root: Path | None = None,
    program: Callable[[], None] | None = None,
    env: Mapping[str, str] | None = None,
    tenant: LocalTenant | None = None,
) -> auto.Stack:
    """Create or select `stack` of the project in `root`, with the project's program inline.

    `env` adds to (and wins over) the computed engine environment; `tenant` points the stack's
    provider at a local tenant (its CA is trusted by the provider through `SSL_CERT_FILE`).
    """
    root = root or project_root()
    if program is None:
        program = _default_program(tenant)
    env_vars = engine_env(root, stack, tenant) | dict(env or {})
    cli = shutil.which("pulumi", path=env_vars.get("PATH", os.environ.get("PATH")))
    if cli is None:
        raise WorkspaceError("the `pulumi` CLI was not found: run `make engine` (or install Pulumi)")
    opts = auto.LocalWorkspaceOptions(
        work_dir=str(root),
        env_vars=env_vars,
        pulumi_command=auto.PulumiCommand(root=str(Path(cli).parent.parent)),
    )
    return auto.create_or_select_stack(
        stack_name=stack, project_name=PROJECT_NAME, program=program, opts=opts
    )


def _default_program(tenant: LocalTenant | None) -> Callable[[], None]:
    from auth0_m2m.program import pulumi_program

    if tenant is None:
        return pulumi_program
    from auth0_m2m.settings import Auth0Connection

    connection = Auth0Connection(
        domain=tenant.domain, client_id=tenant.client_id, client_secret=tenant.client_secret
    )
    return lambda: pulumi_program(connection=connection)


def stack_integrations(stack: auto.Stack) -> dict[str, IntegrationOutputs]:
    """Read every integration's connection details from the stack outputs (secrets in memory only)."""
    outputs = stack.outputs()
    integrations = outputs.get("integrations")
    if integrations is None or not isinstance(integrations.value, dict):
        raise WorkspaceError(f"stack {stack.name!r} has no `integrations` output: run `up` first")
    return {
        name: IntegrationOutputs.from_mapping(name, dict(values))
        for name, values in sorted(integrations.value.items())
    }
