"""Deliver: bring every declared target in line with the stack, writing only what differs.

`auth0-m2m:deliver` names, per integration, the targets its credentials go to. `plan_targets` turns
that into one entry per target with the integrations it holds (a target named by several
integrations holds them all, in the `{name: record}` layout of `_sinks/_common.py`).
`deliver_targets` then, per target: skips it when one of its integrations failed verification
(credentials that do not work are never delivered, and a shared document is not rewritten without
one of its entries); asks the target whether it already holds what a write would store
(`Sink.holds`) and says `unchanged` if so; otherwise writes, or with `dry_run` says `would write`.
A target that fails does not stop the others. `missing_settings` finds, before any call, a target
kind whose connection settings are not in the environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from auth0_m2m.consumers._exceptions import ConsumerError
from auth0_m2m.consumers._settings import ENV_PREFIX, ConsumerSettings
from auth0_m2m.consumers._sinks import Sink
from auth0_m2m.outputs import IntegrationOutputs
from auth0_m2m.settings._targets import TargetSpec

Status = Literal["unchanged", "written", "would write", "skipped", "failed"]


@dataclass(frozen=True)
class TargetResult:
    """What happened to one target."""

    target: str
    integrations: tuple[str, ...]
    status: Status
    detail: str = ""
    """Where it was written (no secret), or why it was skipped or failed."""

    @property
    def ok(self) -> bool:
        """Whether the target is in line (or would be brought in line) with the stack."""
        return self.status in ("unchanged", "written", "would write")


def plan_targets(deliver: Mapping[str, Sequence[TargetSpec]]) -> dict[TargetSpec, list[str]]:
    """Each declared target with the integrations it holds, in the order they are declared."""
    plan: dict[TargetSpec, list[str]] = {}
    for name, targets in deliver.items():
        for target in targets:
            plan.setdefault(target, []).append(name)
    return plan


def missing_settings(
    target: TargetSpec, settings: ConsumerSettings, env: Mapping[str, str] | None = None
) -> str | None:
    """The environment variable a target kind needs and does not have, or None."""
    env = os.environ if env is None else env
    if target.kind == "nango" and settings.nango.secret_key is None:
        return f"{ENV_PREFIX}NANGO__SECRET_KEY"
    if target.kind == "vault" and settings.vault.token is None:
        return f"{ENV_PREFIX}VAULT__TOKEN"
    if target.kind == "aws-sm" and not (
        settings.aws.region or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION")
    ):
        return f"{ENV_PREFIX}AWS__REGION (or AWS_REGION)"
    return None


def deliver_targets(
    plan: Mapping[TargetSpec, Sequence[str]],
    integrations: Mapping[str, IntegrationOutputs],
    sink_for: Callable[[TargetSpec], Sink],
    *,
    verified: set[str],
    stack: str,
    dry_run: bool = False,
) -> list[TargetResult]:
    """Bring each target of `plan` in line; `verified` names the integrations that passed `verify`."""
    results: list[TargetResult] = []
    for target, names in plan.items():
        items = [integrations[name] for name in names]
        failed = [name for name in names if name not in verified]
        if failed:
            detail = f"not delivered: {', '.join(failed)} failed verification"
            results.append(TargetResult(str(target), tuple(names), "skipped", detail))
            continue
        try:
            sink = sink_for(target)
            if sink.holds(items, stack=stack):
                results.append(TargetResult(str(target), tuple(names), "unchanged"))
            elif dry_run:
                results.append(TargetResult(str(target), tuple(names), "would write"))
            else:
                where = sink.write(items, stack=stack)
                results.append(TargetResult(str(target), tuple(names), "written", where))
        except (ConsumerError, ValueError) as error:
            results.append(TargetResult(str(target), tuple(names), "failed", str(error)))
    return results
