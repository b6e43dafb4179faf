"""`auth0-m2m deliver --stack S`: verify, then bring every declared target in line with the stack.

The targets come from the stack file's `auth0-m2m:deliver` key (integration name → targets, the
`--to` syntax), in a project of any name. Before any call the command checks that key against the
integrations the stack exports and that each target kind's connection settings are in the
environment (`AUTH0_M2M_*`): a problem is one line naming the key path or the variable, exit 2,
and nothing is sent anywhere. Then each integration is verified as its consumer will use it;
credentials that fail are never delivered (that integration's targets are skipped, the others go
on). Each target is read and written only when it differs: a second run with nothing changed
writes nothing and says `unchanged` per target. `--dry-run` says what would be written; `-i NAME`
delivers only the targets that hold NAME (a shared one still with every integration it holds, each
verified). Exit 1 if an integration failed verification or a target failed. File targets' relative
paths are taken from the project folder.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Any

import typer

from auth0_m2m.cli import app
from auth0_m2m.cli._consumers import (
    IntegrationFilter,
    OpenedStack,
    _ca_file,
    _settings,
    _trust_tenant,
    _verify,
    _verify_line,
    _verify_row,
    open_consumer_stack,
    stack_file_value,
)
from auth0_m2m.cli._stack import JsonOption, StackOption, TenantDirOption, _fail, current_project
from auth0_m2m.consumers import (
    ConsumerError,
    ConsumerSettings,
    Sink,
    TargetResult,
    deliver_targets,
    missing_settings,
    parse_target,
    plan_targets,
)
from auth0_m2m.settings import ConfigError
from auth0_m2m.settings._delivery import DELIVER_KEY, parse_delivery
from auth0_m2m.settings._targets import TargetSpec

FILE_KINDS = ("dotenv", "json", "k8s-secret")


def _parse(declared: Any, integrations: Collection[str] | None) -> dict[str, list[TargetSpec]]:
    try:
        return parse_delivery(declared, integrations)
    except ConfigError as error:
        for line in error.problems[:-1]:
            typer.echo(f"error: {line}", err=True)
        _fail(f"{error.problems[-1]}; nothing was sent", 2)


def _in_project(target: TargetSpec, root: Path) -> TargetSpec:
    """A file target's relative path, taken from the project folder (as in the stack file)."""
    if target.kind in FILE_KINDS and not Path(target.arg).is_absolute():
        return TargetSpec(target.kind, str(root / target.arg))
    return target


def _check_settings(
    wanted: dict[str, list[TargetSpec]], targets: Collection[TargetSpec], settings: ConsumerSettings
) -> None:
    """Exit 2, naming the key and the variable, when one of `targets` lacks its settings in the env."""
    problems, seen = [], set()
    for name, declared in wanted.items():
        for index, target in enumerate(declared):
            if target not in targets or target in seen:
                continue
            variable = missing_settings(target, settings)
            if variable is not None:
                seen.add(target)
                where = f"{DELIVER_KEY}.{name}[{index}]"
                problems.append(f"{where}: {target} needs {variable}; export it (never in the stack file)")
    if problems:
        for line in problems[:-1]:
            typer.echo(f"error: {line}", err=True)
        _fail(f"{problems[-1]}; nothing was sent", 2)


def _undeployed(stack: str, opened: OpenedStack) -> set[str]:
    """Integrations the stack file declares that the stack does not export yet."""
    value = stack_file_value(opened.project, stack, "integrations")
    declared = set(value) if isinstance(value, dict) else set()
    return declared - set(opened.integrations)


def _result_line(result: TargetResult) -> str:
    names = ", ".join(result.integrations)
    line = f"{result.status:<12} {result.target}  ({names})"
    return f"{line}: {result.detail}" if result.detail and result.status != "written" else line


@app.command()
def deliver(
    stack: StackOption,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say which targets would be written; write nothing.")
    ] = False,
    integration: IntegrationFilter = None,
    as_json: JsonOption = False,
    tenant_state_dir: TenantDirOption = None,
) -> None:
    """Verify each integration, then write its declared targets where they differ from the stack."""
    project = current_project()
    stack_file = project.stack_file(stack)
    declared = stack_file_value(project, stack, "deliver")
    wanted = _parse(declared, None)  # the syntax, before anything is opened or sent
    unknown = [name for name in integration or () if name not in wanted]
    if unknown:
        _fail(f"--integration {unknown[0]!r}: {DELIVER_KEY} in {stack_file.name} gives it no targets", 2)
    plan = plan_targets(wanted)
    if integration:  # the targets holding one of them; a shared target still holds all its integrations
        plan = {target: names for target, names in plan.items() if not set(names).isdisjoint(integration)}
    settings = _settings()
    _check_settings(wanted, plan, settings)
    if not plan:
        if as_json:
            typer.echo(
                json.dumps({"stack": stack, "dry_run": dry_run, "ok": True, "verify": [], "targets": []})
            )
        else:
            typer.echo(
                f"stack {stack!r} declares no targets ({DELIVER_KEY} in {stack_file.name}); nothing to do"
            )
        return
    opened: OpenedStack = open_consumer_stack(stack, tenant_state_dir)
    # A pull request's plan reads its own stack file against the deployed outputs: an integration the
    # file adds is not deployed yet, and the next `up` creates it; its targets would be written.
    pending = _undeployed(stack, opened) if dry_run else set()
    _parse(declared, [*opened.integrations, *pending])  # the names, now that they are known
    future = {target: names for target, names in plan.items() if not pending.isdisjoint(names)}
    plan = {target: names for target, names in plan.items() if target not in future}
    delivered_names = {name for names in plan.values() for name in names}
    items = [opened.integrations[name] for name in wanted if name in delivered_names]
    results = _verify(items, _ca_file(opened.tenant, settings), progress=not as_json)
    verified = {result.name for result in results if result.ok}

    def sink_for(target: TargetSpec) -> Sink:
        try:
            sink = parse_target(_in_project(target, project.root), settings)
        except ConsumerError as error:
            raise ValueError(str(error)) from None
        _trust_tenant([(str(target), sink)], opened.tenant)
        return sink

    delivered = deliver_targets(
        plan, opened.integrations, sink_for, verified=verified, stack=stack, dry_run=dry_run
    )
    delivered += [
        TargetResult(
            str(target),
            tuple(names),
            "would write",
            f"not deployed yet: {', '.join(sorted(pending & set(names)))}",
        )
        for target, names in future.items()
    ]
    ok = all(result.ok for result in results) and all(result.ok for result in delivered)
    if as_json:
        document = {
            "stack": stack,
            "dry_run": dry_run,
            "ok": ok,
            "verify": [_verify_row(result) for result in results],
            "targets": [
                {
                    "target": r.target,
                    "integrations": list(r.integrations),
                    "status": r.status,
                    "detail": r.detail,
                }
                for r in delivered
            ],
        }
        typer.echo(json.dumps(document, indent=2))
    else:
        for result in results:
            typer.echo(_verify_line(result))
        for target_result in delivered:
            typer.echo(_result_line(target_result))
    if not ok:
        raise typer.Exit(1)
