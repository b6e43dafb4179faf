"""`auth0-m2m up | preview | refresh | destroy | outputs --stack S`: run the program, read the outputs.

`up`, `preview`, `refresh` and `destroy` run the config-driven program (`auth0_m2m.program`) of a
project configured by `auth0-m2m:` keys, whatever the project's name: they validate the stack file
first (the same check as `check-config`, so bad input changes nothing in the tenant), then drive
the program through the Automation API (`auth0_m2m.workspace`). In another project they say, in
one line, to use `pulumi` itself. `outputs` (like the consumer commands) works on any project's
stack through the `integrations` contract. The engine's own output is streamed line by line; it
masks secrets. For the `local` stack the running local tenant's address, CA and bootstrap
credentials are used.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pulumi import automation as auto

from auth0_m2m.cli import app
from auth0_m2m.settings import ConfigError, load_stack_file
from auth0_m2m.workspace import (
    LOCAL_PASSPHRASE,
    LOCAL_STACK,
    TENANT_STATE_DIR,
    LocalTenant,
    Project,
    WorkspaceError,
    find_local_tenant,
    open_project,
    select_stack,
)

StackOption = Annotated[str, typer.Option("--stack", "-s", help="The stack (environment) to run.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of engine output.")]
TenantDirOption = Annotated[
    Path | None,
    typer.Option(
        "--tenant-state-dir",
        envvar="AUTH0_M2M_TENANT_STATE_DIR",
        help="The local tenant's state dir (the `local` stack only); default .tenant in the project.",
    ),
]


def current_project() -> Project:
    """The Pulumi project at or above the working directory (`-C DIR` moves it); exit 2 without one."""
    try:
        return open_project()
    except WorkspaceError as error:
        _fail(str(error), 2)


def require_config_program(project: Project, stack: str, command: str) -> None:
    """Exit 2, in one line, when the project's program is not the config-driven one."""
    if not project.runs_config_program(stack):
        _fail(
            f"`auth0-m2m {command}` runs auth0_m2m.program, which project {project.name!r} does not use "
            f"(no auth0-m2m: keys in {project.stack_file(stack).name}); use `pulumi {command} --stack "
            f"{stack}` there (outputs, verify, export and rotate work on any stack)",
            2,
        )


def open_stack(
    stack: str, tenant_state_dir: Path | None, *, command: str, validate: bool = True
) -> auto.Stack:
    """Validate the stack's config file, then open the stack with the config-driven program.

    Exits 2 on config problems or in a project whose program is not `auth0_m2m.program`.
    """
    project = current_project()
    require_config_program(project, stack, command)
    stack_file = project.stack_file(stack)
    if validate:
        if not stack_file.is_file():
            _fail(f"{stack_file}: no such stack file; add one (see README, 'Add an environment')", 2)
        try:
            load_stack_file(stack_file, project=project.name)
        except ConfigError as error:
            for problem in error.problems:
                typer.echo(problem, err=True)
            _fail(f"{len(error.problems)} problem(s) in {stack_file.name}; nothing was changed", 2)
    tenant: LocalTenant | None = None
    try:
        if stack == LOCAL_STACK:
            tenant = find_local_tenant(tenant_state_dir or project.root / TENANT_STATE_DIR)
        return select_stack(stack, root=project.root, tenant=tenant)
    except WorkspaceError as error:
        _fail(str(error), 1)
    except auto.errors.CommandError as error:
        _fail_interrupted(stack, error)
        _fail(f"cannot open stack {stack!r}: {_last_lines(str(error), 1)}", 1)


def _fail_interrupted(stack: str, error: auto.errors.CommandError) -> None:
    """Exit with the way out when the engine stopped on the traces of a killed run (docs/resilience.md)."""
    if any(trace in str(error) for trace in ("currently locked", "failed to load checkpoint")):
        _fail(
            f"stack {stack!r} holds traces of a run that did not finish (a stale lock or a torn state "
            f"write); when none is running any more: auth0-m2m recover --stack {stack}",
            1,
        )


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _printer(quiet: bool) -> Any:
    return None if quiet else (lambda line: typer.echo(line))


def _summary(kind: str, stack: str, changes: dict[str, int] | None) -> dict[str, Any]:
    return {"command": kind, "stack": stack, "changes": dict(changes or {})}


def _run(kind: str, stack: str, as_json: bool, call: Any) -> None:
    try:
        result = call()
    except auto.errors.CommandError as error:
        if as_json:
            typer.echo(json.dumps({"command": kind, "stack": stack, "error": _last_lines(str(error))}))
        _fail_interrupted(stack, error)
        _fail(f"`{kind}` of stack {stack!r} failed (see the engine output above)", 1)
    changes = getattr(getattr(result, "summary", None), "resource_changes", None)
    if changes is None:
        changes = getattr(result, "change_summary", None)
    if as_json:
        typer.echo(json.dumps(_summary(kind, stack, changes)))


def _last_lines(text: str, count: int = 20) -> str:
    return "\n".join(text.strip().splitlines()[-count:])


@app.command()
def up(
    stack: StackOption,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Accepted like `pulumi up --yes`; this command never prompts.")
    ] = False,
    refresh: Annotated[bool, typer.Option("--refresh", help="Refresh state from the tenant first.")] = False,
    as_json: JsonOption = False,
    tenant_state_dir: TenantDirOption = None,
) -> None:
    """Create or update the stack's APIs, apps, grants and organizations."""
    s = open_stack(stack, tenant_state_dir, command="up")
    _run("up", stack, as_json, lambda: s.up(on_output=_printer(as_json), color="never", refresh=refresh))


@app.command()
def preview(
    stack: StackOption,
    refresh: Annotated[bool, typer.Option("--refresh", help="Refresh state from the tenant first.")] = False,
    expect_no_changes: Annotated[
        bool, typer.Option("--expect-no-changes", help="Fail if the preview shows any change.")
    ] = False,
    as_json: JsonOption = False,
    tenant_state_dir: TenantDirOption = None,
) -> None:
    """Show what `up` would change, without changing anything."""
    s = open_stack(stack, tenant_state_dir, command="preview")
    _run(
        "preview",
        stack,
        as_json,
        lambda: s.preview(
            on_output=_printer(as_json),
            color="never",
            refresh=refresh,
            expect_no_changes=expect_no_changes or None,
            diff=not as_json,
        ),
    )


@app.command()
def refresh(
    stack: StackOption, as_json: JsonOption = False, tenant_state_dir: TenantDirOption = None
) -> None:
    """Bring the stack's state in line with the tenant (drift shows up here)."""
    s = open_stack(stack, tenant_state_dir, command="refresh")
    _run("refresh", stack, as_json, lambda: s.refresh(on_output=_printer(as_json), color="never"))


@app.command()
def destroy(
    stack: StackOption,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Confirm: delete everything the stack made.")
    ] = False,
    as_json: JsonOption = False,
    tenant_state_dir: TenantDirOption = None,
) -> None:
    """Delete everything the stack created in the tenant."""
    if not yes:
        _fail("destroy deletes the stack's apps, APIs and grants in the tenant: add --yes to confirm", 2)
    s = open_stack(stack, tenant_state_dir, command="destroy", validate=False)
    _run("destroy", stack, as_json, lambda: s.destroy(on_output=_printer(as_json), color="never"))


@app.command()
def outputs(
    stack: StackOption,
    show_secrets: Annotated[
        bool,
        typer.Option("--show-secrets", help="Print client secrets in plaintext (for a person, never CI)."),
    ] = False,
    as_json: JsonOption = False,
    tenant_state_dir: TenantDirOption = None,
) -> None:
    """Print each integration's connection details; the client secret stays masked by default."""
    from auth0_m2m.cli._consumers import open_consumer_stack

    opened = open_consumer_stack(stack, tenant_state_dir)
    integrations = opened.integrations
    rows: dict[str, dict[str, Any]] = {}
    for name, details in integrations.items():
        secret = details.client_secret.get_secret_value() if show_secrets else "[secret]"
        rows[name] = {
            "client_id": details.client_id,
            "client_secret": secret,
            "hostname": details.hostname,
            "audience": details.audience,
            "organization": details.organization,
            "organization_id": details.organization_id,
            "token_url": details.token_url,
            "scopes": list(details.scopes),
        }
    if as_json:
        typer.echo(json.dumps({"stack": stack, "integrations": rows}, indent=2))
        return
    for name, row in rows.items():
        typer.echo(f"{name}:")
        for key, value in row.items():
            shown = " ".join(value) if isinstance(value, list) else ("-" if value is None else value)
            typer.echo(f"  {key:16} {shown}")
    if not show_secrets:
        typer.echo(
            f"\nReveal a client secret: auth0-m2m outputs --stack {stack} --show-secrets\n"
            f"  or with plain Pulumi: {_plain_pulumi_hint(opened.project, stack)}"
        )


def _plain_pulumi_hint(project: Project, stack: str) -> str:
    prefix = ""
    if stack == LOCAL_STACK and project.runs_config_program(stack):
        backend = os.environ.get("PULUMI_BACKEND_URL", (project.root / ".state").as_uri())
        prefix = f"PULUMI_BACKEND_URL={backend} PULUMI_CONFIG_PASSPHRASE={LOCAL_PASSPHRASE} "
    return f"{prefix}pulumi stack output integrations --show-secrets --stack {stack}"
