"""Upgrading a stack made by the old component tree (before issue 13) changes nothing in the tenant.

The first `up` runs the project's program with the old `M2MIntegration` (three child components per
integration, `legacy_tree.py`); the second runs it as it is now (the Auth0 resources are the
integration's direct children, aliased to their old parents). The second `up` must make no create,
update or replace of any Auth0 resource and no write to the tenant (its own request stats); the old
component entries leave the state, every Auth0 resource keeps its id, and the outputs are the same (plus
the contract's optional `auth_method`, which the old tree did not export).
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from e2e_harness import ENGINE_BIN, Project, TenantStats
from legacy_tree import run_legacy
from pulumi import automation as auto

from auth0_m2m.components.pacing import PACE_CREATE_HOOK, PACE_UPDATE_HOOK

pytestmark = pytest.mark.e2e

STACK = "upgrade"
LEGACY_COMPONENTS = ("MachineClient", "Grant", "OrganizationAccess")
CONFIG: dict[str, Any] = {
    "auth0:domain": "placeholder.example.com",
    "auth0-m2m:apis": {
        "billing": {
            "identifier": "https://api.e2e.test/upgrade",
            "name": "Upgrade API",
            "scopes": {"read:invoices": "Read invoices", "write:invoices": "Create invoices"},
        }
    },
    "auth0-m2m:organizations": {"acme": {"display_name": "Acme Inc"}},
    "auth0-m2m:integrations": {
        "nango-billing": {
            "api": "billing",
            "scopes": ["read:invoices"],
            "organization": "acme",
            "organization_usage": "require",
        },
        "reporting": {
            "api": "billing",
            "scopes": ["read:invoices", "write:invoices"],
            "auth_method": "client_secret_basic",
        },
    },
}


class Steps:
    """The engine's steps: (type, resource name, op)."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, str, str]] = []

    def __call__(self, event: auto.EngineEvent) -> None:
        pre = event.resource_pre_event
        if pre is not None:
            meta = pre.metadata
            self.steps.append((meta.type, meta.urn.rsplit("::", 1)[-1], meta.op.value))


def _resources(project: Project) -> dict[str, dict[str, Any]]:
    """The stack's state entries by URN (`pulumi stack export`)."""
    exported = subprocess.run(  # noqa: S603 - the engine's own CLI, fixed arguments
        [str(ENGINE_BIN / "pulumi"), "stack", "export", "--stack", STACK],
        cwd=project.root,
        env=project.process_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {r["urn"]: r for r in json.loads(exported)["deployment"]["resources"]}


def test_old_tree_stack_upgrades_without_a_write(project: Project, stats: TenantStats) -> None:
    project.write_stack(STACK, CONFIG)
    old = run_legacy(lambda: project.up(STACK))
    assert old.summary.result == "succeeded"
    before = _resources(project)
    assert {u.split("::")[-2].rsplit("$", 1)[-1] for u in before} >= {
        f"auth0-m2m:index:{c}" for c in LEGACY_COMPONENTS
    }
    ids_before = {u.rsplit("::", 1)[-1]: r.get("id") for u, r in before.items() if "auth0:index/" in u}

    stats.reset()
    steps = Steps()
    new = project.stack(STACK).up(on_output=project.log.append, on_event=steps, color="never")
    assert new.summary.result == "succeeded"
    assert stats.read()["writes"] == 0
    auth0_ops = {(name, op) for typ, name, op in steps.steps if typ.startswith("auth0:index/")}
    assert {op for _, op in auth0_ops} == {"same"}, sorted(auth0_ops)
    changes = new.summary.resource_changes or {}
    assert set(changes) <= {"same", "delete"}, changes
    deleted = sorted(typ for typ, _, op in steps.steps if op == "delete")
    assert deleted == sorted(
        ["auth0-m2m:index:MachineClient"] * 2
        + ["auth0-m2m:index:Grant"] * 2
        + ["auth0-m2m:index:OrganizationAccess"]
    )

    after = _resources(project)
    assert not [u for u in after if any(f"auth0-m2m:index:{c}" in u for c in LEGACY_COMPONENTS)]
    ids_after = {u.rsplit("::", 1)[-1]: r.get("id") for u, r in after.items() if "auth0:index/" in u}
    assert ids_after == ids_before
    for urn in after:
        if "auth0:index/client:Client::" in urn or "clientGrant:ClientGrant::" in urn:
            assert "::auth0-m2m:index:M2MIntegration$auth0:index/" in urn, urn
    # The same outputs, plus contract v1's optional `auth_method`, which the old tree did not export.
    added = {"auth_method"}
    new_outputs = {k: v.value for k, v in new.outputs.items()}
    for entry in new_outputs["integrations"].values():
        assert entry.keys() & added == added
        for key in added:
            del entry[key]
    assert new_outputs == {k: v.value for k, v in old.outputs.items()}

    stats.reset()
    preview = project.stack(STACK).preview(color="never", on_output=project.log.append)
    assert set(preview.change_summary) == {"same"}, preview.change_summary
    assert stats.read()["writes"] == 0


def test_pacing_changes_nothing_in_the_tenant(project: Project, stats: TenantStats) -> None:
    """Turning pacing on (a rate limit) only binds hooks: every resource stays the same, and the
    hooks are recorded in the state for the Auth0 resources (never a delete hook)."""
    project.write_stack(STACK, {**CONFIG, "auth0-m2m:rate_limit": "free"})
    stats.reset()
    steps = Steps()
    result = project.stack(STACK).up(on_output=project.log.append, on_event=steps, color="never")
    assert set(result.summary.resource_changes or {}) == {"same"}, result.summary.resource_changes
    assert stats.read()["writes"] == 0
    resources = _resources(project)
    for urn, state in resources.items():
        hooks = state.get("resourceHooks", {})
        if state["type"].startswith("auth0:index/"):
            assert hooks == {"BeforeCreate": [PACE_CREATE_HOOK], "BeforeUpdate": [PACE_UPDATE_HOOK]}, urn
        else:
            assert not hooks, urn
