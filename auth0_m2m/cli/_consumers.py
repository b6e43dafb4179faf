"""`auth0-m2m verify | export --stack S`, and the steps every consumer command shares.

Thin shells around `auth0_m2m.consumers`, for a stack of any Pulumi project (the working
directory's, or `-C DIR`): `open_consumer_stack` reads the `integrations` output through the
Automation API and checks it against the contract (client secrets decrypted in memory only, never
printed); then the integrations are verified as Nango requests tokens, or written to export
targets (`rotate` and `deliver`, in their own modules, use the same steps). Exit codes: 0 all good, 1 a check,
write or rotation failed, 2 bad input (no project or stack, an output that breaks the contract, a
target spec, an `AUTH0_M2M_*` setting, an unknown integration). A stack whose integrations are on
the running local tenant (by its domain) trusts the tenant's CA, and its bootstrap client rotates
secrets.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from pulumi import automation as auto

from auth0_m2m.cli import app
from auth0_m2m.cli._stack import JsonOption, StackOption, TenantDirOption, _fail, current_project
from auth0_m2m.consumers import (
    ConsumerError,
    ConsumerSettings,
    NangoSink,
    PrivateKey,
    Sink,
    VerifyResult,
    load_settings,
    parse_target,
    private_key_for,
    verify_all,
)
from auth0_m2m.outputs import IntegrationOutputs
from auth0_m2m.project import local_tenant_serving
from auth0_m2m.settings import PROJECT, ConfigError
from auth0_m2m.settings._load import read_stack_file
from auth0_m2m.workspace import (
    LOCAL_STACK,
    TENANT_STATE_DIR,
    LocalTenant,
    Project,
    WorkspaceError,
    find_local_tenant,
    open_existing_stack,
    stack_integrations,
)

IntegrationFilter = Annotated[
    list[str] | None,
    typer.Option("--integration", "-i", help="Only this integration (repeat for several); default all."),
]
TargetsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--to",
        "-t",
        help="Export target (repeatable): dotenv:PATH, json:PATH, aws-sm:NAME, k8s-secret:PATH, nango:, "
        "vault:MOUNT/PATH. Settings come from AUTH0_M2M_* variables.",
    ),
]


# -- shared steps ----------------------------------------------------------------------------------
def _settings() -> ConsumerSettings:
    try:
        return load_settings()
    except ConsumerError as error:
        _fail(str(error), 2)


def _targets(specs: Sequence[str], settings: ConsumerSettings) -> list[tuple[str, Sink]]:
    """Parse every target before anything is read or written; a bad one exits 2."""
    sinks: list[tuple[str, Sink]] = []
    for spec in specs:
        try:
            sinks.append((spec, parse_target(spec, settings)))
        except ConsumerError as error:
            _fail(f"--to {error}; nothing was written", 2)
    return sinks


@dataclass(frozen=True)
class OpenedStack:
    """A stack the consumer commands work on: its project, its integrations and, if it uses it, the
    local tenant."""

    project: Project
    stack: auto.Stack
    integrations: dict[str, IntegrationOutputs]
    tenant: LocalTenant | None
    tenant_state_dir: Path


def open_consumer_stack(name: str, tenant_state_dir: Path | None) -> OpenedStack:
    """Open stack `name` of the working directory's project and read its `integrations` output.

    Exit 2, in one line, without a project, without the stack, without the output or when it breaks
    the contract; exit 1 when the engine fails or the local tenant the stack uses is not running.
    """
    project = current_project()
    state_dir = tenant_state_dir or project.root / TENANT_STATE_DIR
    try:
        stack = open_existing_stack(name, project)
    except WorkspaceError as error:
        _fail(str(error), 2)
    try:
        integrations = stack_integrations(stack)
    except WorkspaceError as error:
        _fail(str(error), 2)
    tenant = _local_tenant(name, project, integrations, state_dir)
    return OpenedStack(project, stack, integrations, tenant, state_dir)


def _local_tenant(
    stack: str, project: Project, integrations: dict[str, IntegrationOutputs], state_dir: Path
) -> LocalTenant | None:
    """The local tenant the stack's integrations are on (matched by domain), else None."""
    try:
        if stack == LOCAL_STACK and project.runs_config_program(stack):
            return find_local_tenant(state_dir)
        for hostname in sorted({item.hostname for item in integrations.values()}):
            tenant = local_tenant_serving(hostname, state_dir)
            if tenant is not None:
                return tenant
    except WorkspaceError as error:
        _fail(str(error), 1)
    return None


def stack_file_value(project: Project, stack: str, key: str) -> Any:
    """The value of `auth0-m2m:<key>` in the stack's file (a bare `<key>` in an `auth0-m2m` project),
    JSON text decoded as the engine does; None when absent. Exit 2 when the file cannot be read."""
    try:
        config = read_stack_file(project.stack_file(stack))
    except ConfigError as error:
        _fail(error.problems[0], 2)
    value = config.get(f"{PROJECT}:{key}")
    if value is None and project.name == PROJECT:
        value = config.get(key)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _ca_file(tenant: LocalTenant | None, settings: ConsumerSettings) -> Path | None:
    """The local tenant's CA for the local stack, else AUTH0_M2M_CA_FILE, else the system store."""
    return settings.ca_file if tenant is None or settings.ca_file is not None else tenant.ca_file


def _select(
    integrations: dict[str, IntegrationOutputs], names: Sequence[str] | None, stack: str
) -> list[IntegrationOutputs]:
    unknown = [name for name in names or () if name not in integrations]
    if unknown:
        known = ", ".join(integrations) or "none"
        _fail(f"--integration {unknown[0]!r}: stack {stack!r} has no such integration (has: {known})", 2)
    return [integrations[name] for name in names] if names else list(integrations.values())


def _is_terminal() -> bool:
    return sys.stdout.isatty()


def _private_keys(items: list[IntegrationOutputs]) -> dict[str, PrivateKey]:
    """The private keys given for the private_key_jwt integrations; a bad key file exits 2."""
    keys: dict[str, PrivateKey] = {}
    wanted = [item for item in items if item.uses_private_key_jwt]
    settings = _settings() if wanted else None
    for item in wanted:
        assert settings is not None  # noqa: S101 - set when anything is wanted
        try:
            key = private_key_for(settings, item.name)
        except ConsumerError as error:
            _fail(str(error), 2)
        if key is not None:
            keys[item.name] = key
    return keys


def _verify(items: list[IntegrationOutputs], ca_file: Path | None, *, progress: bool) -> list[VerifyResult]:
    """Verify concurrently; on a terminal, with a progress bar for multi-integration runs.

    A private_key_jwt integration is verified with its key from `AUTH0_M2M_PRIVATE_KEYS__<NAME>`.
    """
    keys = _private_keys(items)
    if not (progress and len(items) > 1 and _is_terminal()):
        return verify_all(items, ca_file=ca_file, private_keys=keys)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    columns = (SpinnerColumn(), TextColumn("verifying"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("verify", total=len(items))
        return verify_all(items, ca_file=ca_file, on_result=lambda _: bar.advance(task), private_keys=keys)


def _verify_line(result: VerifyResult) -> str:
    if result.ok:
        return f"ok  {result.name}  ({round(result.latency * 1000)} ms)"
    return f"FAIL {result.name}: {result.reason}"


def _verify_row(result: VerifyResult) -> dict[str, Any]:
    return {
        "name": result.name,
        "ok": result.ok,
        "reason": result.reason,
        "latency_ms": round(result.latency * 1000),
    }


def _write(
    sinks: list[tuple[str, Sink]], items: list[IntegrationOutputs], stack: str, *, echo: bool
) -> list[dict[str, Any]]:
    """Write every target (a failed one does not stop the others); one row per target."""
    rows: list[dict[str, Any]] = []
    for spec, sink in sinks:
        try:
            where = sink.write(items, stack=stack)
        except (ConsumerError, ValueError) as error:
            rows.append({"target": spec, "ok": False, "error": str(error)})
            if echo:
                typer.echo(f"FAIL {error}")
            continue
        rows.append({"target": spec, "ok": True, "written": where})
        if echo:
            typer.echo(where)
    return rows


def _trust_tenant(sinks: list[tuple[str, Sink]], tenant: LocalTenant | None) -> None:
    """The nango target requests a token from the tenant: trust the local tenant's CA there too."""
    for _, sink in sinks:
        if tenant is not None and isinstance(sink, NangoSink) and sink.ca_file is None:
            sink.ca_file = tenant.ca_file


# -- commands --------------------------------------------------------------------------------------
@app.command()
def verify(
    stack: StackOption,
    integration: IntegrationFilter = None,
    as_json: JsonOption = False,
    tenant_state_dir: TenantDirOption = None,
) -> None:
    """Request a token for each integration as Nango does, and check it against the tenant's JWKS."""
    settings = _settings()
    opened = open_consumer_stack(stack, tenant_state_dir)
    items = _select(opened.integrations, integration, stack)
    try:
        results = _verify(items, _ca_file(opened.tenant, settings), progress=not as_json)
    except ValueError as error:  # a CA file that is not a file
        _fail(str(error), 2)
    failed = [result for result in results if not result.ok]
    if as_json:
        rows = [_verify_row(result) for result in results]
        typer.echo(json.dumps({"stack": stack, "ok": not failed, "integrations": rows}, indent=2))
    else:
        for result in results:
            typer.echo(_verify_line(result))
    if failed:
        raise typer.Exit(1)


@app.command()
def export(
    stack: StackOption,
    to: TargetsOption = None,
    integration: IntegrationFilter = None,
    as_json: JsonOption = False,
    tenant_state_dir: TenantDirOption = None,
) -> None:
    """Write the integrations' credentials to secrets stores, files or Nango (never to the terminal)."""
    if not to:
        _fail("--to: give at least one target, e.g. --to json:creds.json (see `export --help`)", 2)
    sinks = _targets(to, _settings())
    opened = open_consumer_stack(stack, tenant_state_dir)
    _trust_tenant(sinks, opened.tenant)
    items = _select(opened.integrations, integration, stack)
    rows = _write(sinks, items, stack, echo=not as_json)
    if as_json:
        names = [item.name for item in items]
        typer.echo(json.dumps({"stack": stack, "integrations": names, "targets": rows}, indent=2))
    if not all(row["ok"] for row in rows):
        raise typer.Exit(1)
