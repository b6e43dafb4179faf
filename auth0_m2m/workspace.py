"""Open a stack of a Pulumi project through the Pulumi Automation API, offline-safe.

Two ways, for two kinds of command:
- `select_stack` runs the config-driven program (`auth0_m2m.program.pulumi_program`) as an
  *inline* program: the `auth0-m2m up | preview | refresh | destroy` commands, in this repository
  or any project whose program is that one. Plain `pulumi up` in the project directory runs the
  very same function through the Python language host (`__main__.py`).
- `open_existing_stack` selects a stack of any project with the project's own program: the
  consumer commands (outputs, verify, export, rotate, recover) read its outputs through the
  `integrations` contract (`stack_integrations`), whatever made them.
The CLI reads the project's own `Pulumi.yaml` and stack files, because the workspace's `work_dir`
is the project directory.

This module decides the environment every engine run gets:
- the built engine first on `PATH` (`.engine/bin`, made by `make engine`);
- no update checks and no plugin downloads;
- for the `local` stack, the embedded defaults: a `file://` backend in `.state/`, the documented
  local-only passphrase, and the local tenant's domain, CA and bootstrap credentials.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from pulumi import automation as auto

from auth0_m2m.outputs import OUTPUT_NAME, ContractError, IntegrationOutputs, parse_integrations
from auth0_m2m.project import (
    LOCAL_PASSPHRASE,
    LOCAL_STACK,
    PROJECT_NAME,
    TENANT_STATE_DIR,
    LocalTenant,
    Project,
    WorkspaceError,
    find_local_tenant,
    open_project,
    project_root,
)

__all__ = [
    "LOCAL_PASSPHRASE",
    "LOCAL_STACK",
    "PROJECT_NAME",
    "TENANT_STATE_DIR",
    "LocalTenant",
    "WorkspaceError",
    "engine_env",
    "Project",
    "find_local_tenant",
    "open_existing_stack",
    "open_project",
    "project_root",
    "scratch_project",
    "select_stack",
    "stack_integrations",
]


def scratch_project(root: Path, *, passphrase: str) -> dict[str, str]:
    """Lay out a throwaway copy of the project in `root` and return the environment that keeps runs there.

    The copy has the project's `Pulumi.yaml` and `__main__.py`, `.venv` linked to the running
    interpreter's environment (what `runtime.options.virtualenv` names, so plain `pulumi up` in the
    copy runs the program like in the project), an empty `stacks/` for the caller's stack files, a
    file:// backend in `state/` and its own `pulumi-home/`, whose plugin cache holds the stand-in auth0
    provider run by this interpreter (`install_standin_plugin`; a plugin found on `PATH`, such as an
    upstream one `make engine` linked into `.engine/bin`, still comes first). Tests, `make stress` and
    `make bench` run in such copies so that they never touch the project's own state. The caller adds
    `PATH` (the engine).
    """
    from auth0_m2m.provider import install_standin_plugin

    for folder in ("stacks", "state", "pulumi-home"):
        (root / folder).mkdir(parents=True, exist_ok=True, mode=0o700)
    install_standin_plugin(root / "pulumi-home", sys.executable)
    source = project_root()
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(source / name, root / name)
    venv = root / ".venv"
    if not venv.exists() and sys.prefix != sys.base_prefix:
        venv.symlink_to(sys.prefix, target_is_directory=True)
    return {
        "PULUMI_BACKEND_URL": (root / "state").as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": passphrase,
        "PULUMI_HOME": str(root / "pulumi-home"),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }


def engine_env(
    root: Path, stack: str, tenant: LocalTenant | None = None, *, config_program: bool = True
) -> dict[str, str]:
    """The environment variables for the `pulumi` CLI (and the provider plugin it starts).

    The project's own engine (`.engine/bin`) and plugin home (`.pulumi-home`) are used where `make
    engine` made them; elsewhere, the user's `pulumi` and `PULUMI_HOME`. The `local` stack's
    defaults (a file backend in `.state/`, the documented passphrase) are those of the
    config-driven program (`config_program`); another project's `local` stack keeps its own.
    """
    env: dict[str, str] = {
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }
    if "PULUMI_HOME" in os.environ:
        env["PULUMI_HOME"] = os.environ["PULUMI_HOME"]
    elif (root / ".pulumi-home").is_dir() or (root / ".engine").is_dir():
        env["PULUMI_HOME"] = str(root / ".pulumi-home")
    engine_bin = root / ".engine" / "bin"
    if engine_bin.is_dir():
        env["PATH"] = f"{engine_bin}{os.pathsep}{os.environ.get('PATH', '')}"
    if stack == LOCAL_STACK and config_program:
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


def _workspace_options(root: Path, env_vars: dict[str, str]) -> auto.LocalWorkspaceOptions:
    """Options of a workspace in `root` whose `pulumi` is the one on the engine environment's PATH."""
    cli = shutil.which("pulumi", path=env_vars.get("PATH", os.environ.get("PATH")))
    if cli is None:
        raise WorkspaceError(
            "the `pulumi` CLI was not found on PATH: install Pulumi, or in an auth0-m2m checkout run "
            "`make engine` and `. .engine/env`"
        )
    try:
        command = auto.PulumiCommand(root=str(Path(cli).parent.parent))
    except Exception as error:  # InvalidVersionError, or a CLI that does not run at all
        raise WorkspaceError(f"the `pulumi` CLI at {cli} is not usable: {_last_line(str(error))}") from None
    return auto.LocalWorkspaceOptions(work_dir=str(root), env_vars=env_vars, pulumi_command=command)


def select_stack(
    stack: str,
    *,
    root: Path | None = None,
    program: Callable[[], None] | None = None,
    env: Mapping[str, str] | None = None,
    tenant: LocalTenant | None = None,
) -> auto.Stack:
    """Create or select `stack` of the project in `root`, with the config-driven program inline.

    `env` adds to (and wins over) the computed engine environment; `tenant` points the stack's
    provider at a local tenant (its CA is trusted by the provider through `SSL_CERT_FILE`).
    """
    project = open_project(root)
    if program is None:
        program = _default_program(tenant)
    env_vars = engine_env(project.root, stack, tenant) | dict(env or {})
    opts = _workspace_options(project.root, env_vars)
    return auto.create_or_select_stack(
        stack_name=stack, project_name=project.name, program=program, opts=opts
    )


def open_existing_stack(
    stack: str,
    project: Project,
    *,
    env: Mapping[str, str] | None = None,
    tenant: LocalTenant | None = None,
) -> auto.Stack:
    """Select `stack` of any Pulumi project, with the project's own program (never creating it).

    This is how the consumer commands open a stack: they read its outputs and state, and a refresh
    that runs the program runs the project's program as `pulumi` would, whatever its language.
    Raises WorkspaceError (one line, with the fix) when there is no engine or no such stack.
    """
    config_program = project.runs_config_program(stack)
    env_vars = engine_env(project.root, stack, tenant, config_program=config_program) | dict(env or {})
    opts = _workspace_options(project.root, env_vars)
    try:
        return auto.select_stack(stack_name=stack, work_dir=str(project.root), opts=opts)
    except auto.errors.StackNotFoundError:
        raise WorkspaceError(
            f"stack {stack!r} of project {project.name!r} does not exist in this backend: "
            f"`pulumi stack ls` lists its stacks; create it with `pulumi up --stack {stack}`"
        ) from None
    except auto.errors.CommandError as error:
        raise WorkspaceError(f"cannot open stack {stack!r}: {_last_line(str(error))}") from None


def _last_line(text: str) -> str:
    """The engine's own error line out of a CommandError's text, with the fix where we know it."""
    lines = [line.strip().removeprefix("stderr: ") for line in text.strip().splitlines() if line.strip()]
    meaningful = [line for line in lines if line.startswith("error:")] or lines
    line = meaningful[-1].removeprefix("error: ") if meaningful else "the engine gave no reason"
    if "PULUMI_ACCESS_TOKEN" in line or "pulumi login" in line:
        line += " (log in to the stack's backend first: `pulumi login`, or set PULUMI_BACKEND_URL)"
    return line


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
    """Read every integration's connection details from the stack outputs (secrets in memory only).

    The `integrations` output is checked against the contract (`auth0_m2m.outputs`); a missing or
    malformed one raises WorkspaceError naming the field and the fix.
    """
    try:
        outputs = stack.outputs()
    except auto.errors.CommandError as error:
        raise WorkspaceError(
            f"cannot read the outputs of stack {stack.name!r}: {_last_line(str(error))}"
        ) from None
    integrations = outputs.get(OUTPUT_NAME)
    if integrations is None:
        raise WorkspaceError(
            f"stack {stack.name!r} has no `{OUTPUT_NAME}` output: run `pulumi up --stack {stack.name}`, "
            f"and export it from the program as docs/outputs.md describes"
        )
    try:
        return parse_integrations(integrations.value, stack=stack.name)
    except ContractError as error:
        raise WorkspaceError(str(error)) from None
