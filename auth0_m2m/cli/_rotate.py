"""`auth0-m2m rotate --stack S (--integration N | --scheduled)`: a new client secret, everywhere.

For each integration: rotate its secret in the tenant as the deployer, bring the stack's state and
`integrations` output in line (`auth0_m2m.consumers.rotate_integration`: a targeted `refresh
--run-program` of its `ClientCredentials`, found in the state by client id, so any project's
program recomputes the output), write the `--to` targets and verify the new secret. `--scheduled`
rotates the integrations whose stack file entry says `rotate: scheduled` (the scheduled pipeline's
job; `auth0-m2m deliver` then puts the new secrets where they are declared). Exit 1 when a rotation,
a write or the verification failed; 2 on bad input.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from pulumi import automation as auto
from pydantic import SecretStr

from auth0_m2m.cli import app
from auth0_m2m.cli._consumers import (
    OpenedStack,
    TargetsOption,
    _ca_file,
    _select,
    _settings,
    _targets,
    _trust_tenant,
    _verify,
    _verify_line,
    _verify_row,
    _write,
    open_consumer_stack,
    stack_file_value,
)
from auth0_m2m.cli._stack import JsonOption, StackOption, TenantDirOption, _fail
from auth0_m2m.consumers import (
    ConsumerError,
    ConsumerSettings,
    Deployer,
    Sink,
    deployer_from,
    rotate_integration,
)
from auth0_m2m.outputs import IntegrationOutputs
from auth0_m2m.project import TENANT_STATE_DIR_ENV
from auth0_m2m.settings import PROJECT
from auth0_m2m.workspace import LocalTenant, WorkspaceError, open_existing_stack, stack_integrations

OLD_TOKENS_NOTE = (
    "note: access tokens issued before the rotation stay valid until they expire; "
    "the old secret gets no new ones"
)


def _deployer(stack: auto.Stack, tenant: LocalTenant | None, settings: ConsumerSettings) -> Deployer:
    """The local tenant's bootstrap client, or the stack's `auth0:*` config / `AUTH0_*` variables."""
    if tenant is not None:
        return Deployer(tenant.domain, tenant.client_id, SecretStr(tenant.client_secret), tenant.ca_file)
    try:
        config = {key: item.value for key, item in stack.get_all_config().items()}
    except auto.errors.CommandError as error:
        _fail(f"cannot read the config of stack {stack.name!r}: {str(error).strip().splitlines()[-1]}", 1)
    try:
        return deployer_from(config, os.environ, ca_file=settings.ca_file)
    except ConsumerError as error:
        _fail(str(error), 2)


def _scheduled(opened: OpenedStack, stack: str) -> list[str]:
    """The integrations whose stack file entry says `rotate: scheduled`."""
    value = stack_file_value(opened.project, stack, "integrations")
    entries = value if isinstance(value, dict) else {}
    names = [
        name
        for name, entry in entries.items()
        if isinstance(entry, dict) and entry.get("rotate") == "scheduled"
    ]
    missing = [name for name in names if name not in opened.integrations]
    if missing:
        _fail(
            f"{PROJECT}:integrations.{missing[0]}: opts in to scheduled rotation, but stack {stack!r} "
            f"does not export it; run `pulumi up --stack {stack}` first",
            2,
        )
    return names


def _rotate_one(
    s: auto.Stack,
    current: IntegrationOutputs,
    deployer: Deployer,
    sinks: list[tuple[str, Sink]],
    ca_file: Path | None,
    *,
    stack: str,
    as_json: bool,
) -> tuple[dict[str, Any], bool]:
    """Rotate one integration, re-export it and re-verify it; its JSON document and whether all went well."""
    try:
        rotation = rotate_integration(s, current, deployer, read_outputs=lambda: stack_integrations(s))
    except (ConsumerError, WorkspaceError) as error:
        if as_json:
            return {"stack": stack, "integration": current.name, "rotated": False, "error": str(error)}, False
        typer.echo(f"FAIL {current.name}: {error}", err=True)
        return {}, False
    item = rotation.outputs
    if not as_json:
        typer.echo(
            f"rotated: {item.name} (client {item.client_id}) has a new client secret "
            f"in the tenant and in stack {stack!r}"
        )
    rows = _write(sinks, [item], stack, echo=not as_json)
    (result,) = _verify([item], ca_file, progress=False)
    if not as_json:
        typer.echo(_verify_line(result))
    document = {
        "stack": stack,
        "integration": item.name,
        "client_id": item.client_id,
        "rotated": True,
        "targets": rows,
        "verify": _verify_row(result),
    }
    return document, result.ok and all(row["ok"] for row in rows)


@app.command()
def rotate(
    stack: StackOption,
    integration: Annotated[
        str | None, typer.Option("--integration", "-i", help="The integration whose client secret to rotate.")
    ] = None,
    scheduled: Annotated[
        bool,
        typer.Option(
            "--scheduled", help="Rotate every integration whose stack file says `rotate: scheduled`."
        ),
    ] = False,
    to: TargetsOption = None,
    as_json: JsonOption = False,
    tenant_state_dir: TenantDirOption = None,
) -> None:
    """Rotate a client secret (or the scheduled ones), update the stack's state, re-export and re-verify."""
    if (integration is None) == (not scheduled):
        _fail("give --integration NAME, or --scheduled for the integrations that opt in", 2)
    settings = _settings()
    sinks = _targets(to or [], settings)
    opened = open_consumer_stack(stack, tenant_state_dir)
    tenant = opened.tenant
    _trust_tenant(sinks, tenant)
    names = [integration] if integration is not None else _scheduled(opened, stack)
    chosen = _select(opened.integrations, names, stack) if names else []
    if not chosen:
        message = f"no integration of stack {stack!r} opts in to scheduled rotation (rotate: scheduled)"
        typer.echo(
            json.dumps({"stack": stack, "rotations": []}) if as_json else f"{message}; nothing rotated"
        )
        return
    s = opened.stack
    if tenant is not None:  # the refresh runs the project's program: it must find and trust the tenant
        try:
            s = open_existing_stack(
                stack,
                opened.project,
                tenant=tenant,
                env={TENANT_STATE_DIR_ENV: str(opened.tenant_state_dir.resolve())},
            )
        except WorkspaceError as error:
            _fail(str(error), 1)
    deployer = _deployer(s, tenant, settings)
    documents, ok = [], True
    for current in chosen:
        document, done = _rotate_one(
            s, current, deployer, sinks, _ca_file(tenant, settings), stack=stack, as_json=as_json
        )
        documents.append(document)
        ok = ok and done
    if as_json:
        shown = documents[0] if integration is not None else {"stack": stack, "rotations": documents}
        typer.echo(json.dumps(shown, indent=2))
    else:
        typer.echo(OLD_TOKENS_NOTE)
    if not ok:
        raise typer.Exit(1)
