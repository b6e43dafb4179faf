"""`auth0-m2m recover --stack S`: make a stack usable again after an interrupted `up`.

Removes the stale lock (`pulumi cancel`), settles the pending creates against the tenant (adopts
what was created, drops what was not; see `auth0_m2m.recovery`) and refreshes the stack. Then
`auth0-m2m up --stack S` converges with no duplicate and no orphan. Exit codes: 0 recovered,
1 the tenant or the engine failed, 2 bad input (no project, no engine or no such stack, missing
deployer credentials).
"""

from __future__ import annotations

import json
import os

import typer
from pulumi import automation as auto
from pydantic import SecretStr

from auth0_m2m.cli import app
from auth0_m2m.cli._stack import JsonOption, StackOption, TenantDirOption, _fail, current_project
from auth0_m2m.consumers import ConsumerError, Deployer, deployer_from, load_settings
from auth0_m2m.recovery import RecoveryError, clear_torn_attributes, fetch_tenant_objects, recover_stack
from auth0_m2m.workspace import (
    LOCAL_STACK,
    TENANT_STATE_DIR,
    LocalTenant,
    WorkspaceError,
    engine_env,
    find_local_tenant,
    open_existing_stack,
)


def _deployer(stack: auto.Stack, tenant: LocalTenant | None) -> Deployer:
    """The local tenant's bootstrap client, or the stack's `auth0:*` config / `AUTH0_*` variables."""
    if tenant is not None:
        return Deployer(tenant.domain, tenant.client_id, SecretStr(tenant.client_secret), tenant.ca_file)
    try:
        config = {key: item.value for key, item in stack.get_all_config().items()}
        return deployer_from(config, os.environ, ca_file=load_settings().ca_file)
    except auto.errors.CommandError as error:
        _fail(f"cannot read the config of stack {stack.name!r}: {str(error).strip().splitlines()[-1]}", 1)
    except ConsumerError as error:
        _fail(str(error), 2)


@app.command()
def recover(
    stack: StackOption, as_json: JsonOption = False, tenant_state_dir: TenantDirOption = None
) -> None:
    """After an interrupted `up`: unlock the stack, adopt what it created, drop what it did not, refresh."""
    project = current_project()
    env = engine_env(project.root, stack, config_program=project.runs_config_program(stack))
    backend = env.get("PULUMI_BACKEND_URL", os.environ.get("PULUMI_BACKEND_URL"))
    for path in clear_torn_attributes(backend, project.name, stack):
        typer.echo(f"removed {path.name}: an empty metadata file left by the interrupted write")
    tenant: LocalTenant | None = None
    try:
        if stack == LOCAL_STACK and project.runs_config_program(stack):
            tenant = find_local_tenant(tenant_state_dir or project.root / TENANT_STATE_DIR)
    except WorkspaceError as error:
        _fail(str(error), 1)
    try:
        s = open_existing_stack(stack, project, tenant=tenant)
    except WorkspaceError as error:  # no engine, no such stack: the command line's to fix
        _fail(str(error), 2)
    deployer = _deployer(s, tenant)
    printer = None if as_json else (lambda line: typer.echo(line))
    try:
        resolutions = recover_stack(
            s,
            lambda: fetch_tenant_objects(deployer),
            on_output=printer,
        )
    except (RecoveryError, ConsumerError) as error:
        _fail(str(error), 1)
    except auto.errors.CommandError as error:
        _fail(f"recovery of stack {stack!r} failed: {str(error).strip().splitlines()[-1]}", 1)
    if as_json:
        rows = [{"urn": r.urn, "operation": r.operation, "found_id": r.found_id} for r in resolutions]
        typer.echo(json.dumps({"stack": stack, "pending": rows}, indent=2))
        return
    for resolution in resolutions:
        typer.echo(resolution.line)
    typer.echo(f"stack {stack!r} is unlocked and in line with the tenant; next: auth0-m2m up --stack {stack}")
