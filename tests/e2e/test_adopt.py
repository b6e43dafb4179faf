"""Adopting objects made by hand (`adopt:` keys) on the real engine: imported, never recreated.

The click-path is built first through auth0-python, as a person would in the dashboard: an API with
scopes, two Machine-to-Machine apps with grants on it, an organization and one grant's link to it.
A stack that adopts them imports all ten resources without a single write to the tenant, keeps the
apps' client ids and secrets, then previews clean, runs again without importing again (the `adopt:`
keys may stay) and takes a later change in place. Apart, on objects of their own: a differing
setting is shown by preview and applied in place on adoption, and a grant of another app is refused
by the engine before anything is written. Claims are checked through auth0-python and the tenant's
request counters, not through Pulumi.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from auth0.management import ManagementClient, ResourceServerScope
from e2e_harness import Project, TenantStats, TenantView
from pulumi import automation as auto

pytestmark = pytest.mark.e2e

STACK = "adopted"
API = "https://api.e2e.test/ledger"
SCOPES = {"read:entries": "Read ledger entries", "write:entries": "Post ledger entries"}
BASE = {"auth0:domain": "placeholder.example.com", "auth0-m2m:environment": "development"}
"""Keys every stack here sets (the harness points the domain at the test tenant)."""
AUTH0_TYPES = {
    "auth0:index/client:Client": 2,
    "auth0:index/clientCredentials:ClientCredentials": 2,
    "auth0:index/resourceServer:ResourceServer": 1,
    "auth0:index/resourceServerScopes:ResourceServerScopes": 1,
    "auth0:index/clientGrant:ClientGrant": 2,
    "auth0:index/organization:Organization": 1,
    "auth0:index/organizationClientGrant:OrganizationClientGrant": 1,
}
"""Every Auth0 resource the adopting stack declares, with how many of each."""


@dataclass(frozen=True)
class ClickPath:
    """The ids of the objects made by hand."""

    api_id: str
    org_id: str
    sync_client_id: str
    sync_grant_id: str
    partner_client_id: str
    partner_grant_id: str


def make_app(mgmt: ManagementClient, name: str, audience: str, **grant: Any) -> tuple[str, str]:
    """An M2M app and its grant, as made in the dashboard; returns (client id, grant id)."""
    app = mgmt.clients.create(
        name=name,
        app_type="non_interactive",
        grant_types=["client_credentials"],
        description=f"{name}, made by hand",
    )
    assert app.client_id is not None
    made = mgmt.client_grants.create(audience=audience, client_id=app.client_id, **grant)
    assert made.id is not None
    return app.client_id, made.id


class StepLog:
    """Collects the engine's steps on Auth0 resources: (type, resource name, op)."""

    def __init__(self) -> None:
        self.steps: list[tuple[str, str, str]] = []
        self.diffs: dict[str, list[str]] = {}

    def __call__(self, event: auto.EngineEvent) -> None:
        pre = event.resource_pre_event
        if pre is not None and pre.metadata.type.startswith("auth0:index/"):
            meta = pre.metadata
            name = meta.urn.rsplit("::", 1)[-1]
            self.steps.append((meta.type, name, meta.op.value))
            if meta.op.value == "update":
                self.diffs[name] = sorted(meta.diffs or [])

    def ops(self) -> set[str]:
        """Every op seen."""
        return {op for _, _, op in self.steps}

    def of(self, op: str) -> list[tuple[str, str]]:
        """(type, name) of the steps with this op."""
        return [(typ, name) for typ, name, seen in self.steps if seen == op]


@pytest.fixture(scope="module")
def click_path(mgmt: ManagementClient) -> ClickPath:
    api = mgmt.resource_servers.create(
        identifier=API,
        name="Ledger API",
        token_lifetime=3600,
        scopes=[ResourceServerScope(value=k, description=v) for k, v in SCOPES.items()],
    )
    org = mgmt.organizations.create(name="globex", display_name="Globex Corp")
    assert api.id is not None and org.id is not None
    sync = make_app(mgmt, "Ledger Sync", API, scope=["read:entries"])
    partner = make_app(
        mgmt, "Partner Sync", API, scope=["read:entries", "write:entries"], organization_usage="require"
    )
    mgmt.organizations.client_grants.create(org.id, grant_id=partner[1])
    return ClickPath(api.id, org.id, *sync, *partner)


def adopting_config(made: ClickPath) -> dict[str, Any]:
    """The stack config that describes the click-path objects as they are, with their ids."""
    return {
        **BASE,
        "auth0-m2m:apis": {
            "ledger": {
                "identifier": API,
                "name": "Ledger API",
                "token_lifetime": 3600,
                "scopes": dict(SCOPES),
                "adopt": made.api_id,
            }
        },
        "auth0-m2m:organizations": {"globex": {"display_name": "Globex Corp", "adopt": made.org_id}},
        "auth0-m2m:integrations": {
            "ledger-sync": {
                "api": "ledger",
                "scopes": ["read:entries"],
                "app_name": "Ledger Sync",
                "adopt": {"client_id": made.sync_client_id, "grant_id": made.sync_grant_id},
            },
            "partner-sync": {
                "api": "ledger",
                "scopes": ["read:entries", "write:entries"],
                "app_name": "Partner Sync",
                "organization": "globex",
                "organization_usage": "require",
                "adopt": {
                    "client_id": made.partner_client_id,
                    "grant_id": made.partner_grant_id,
                    "organization_grant": True,
                },
            },
        },
    }


@pytest.fixture(scope="module")
def adopted(click_path: ClickPath, project: Project, stats: TenantStats, view: TenantView) -> dict[str, Any]:
    """The first `up` of the adopting stack: its steps, writes, outputs and the tenant before it."""
    before = {"clients": view.clients(), "apis": view.apis(), "grants": view.grants()}
    project.write_stack(STACK, adopting_config(click_path))
    log = StepLog()
    stats.reset()
    result = project.up(STACK, on_event=log)
    return {
        "result": result,
        "log": log,
        "writes": stats.read()["writes"],
        "before": before,
        "outputs": {name: out.value for name, out in result.outputs.items()},
    }


def test_adoption_imports_every_object_and_creates_none(adopted: dict[str, Any]) -> None:
    log: StepLog = adopted["log"]
    assert log.ops() == {"import"}, log.steps
    imported: dict[str, int] = {}
    for typ, _ in log.of("import"):
        imported[typ] = imported.get(typ, 0) + 1
    assert imported == AUTH0_TYPES
    assert adopted["result"].summary.resource_changes.get("import") == sum(AUTH0_TYPES.values())


def test_adoption_writes_nothing_and_keeps_the_same_objects(
    adopted: dict[str, Any], click_path: ClickPath, view: TenantView, stats: TenantStats
) -> None:
    assert adopted["writes"] == 0
    before = adopted["before"]
    assert sorted(c["client_id"] for c in view.clients()) == sorted(c["client_id"] for c in before["clients"])
    assert [a["id"] for a in view.apis()] == [click_path.api_id]
    assert sorted(g["id"] for g in view.grants()) == sorted(g["id"] for g in before["grants"])
    assert [o["id"] for o in view.organizations()] == [click_path.org_id]
    assert view.organization_grants(click_path.org_id) == [click_path.partner_grant_id]


def test_outputs_carry_the_existing_client_ids_and_secrets(
    adopted: dict[str, Any], click_path: ClickPath, mgmt: ManagementClient
) -> None:
    integrations = adopted["outputs"]["integrations"]
    sync, partner = integrations["ledger-sync"], integrations["partner-sync"]
    assert sync["client_id"] == click_path.sync_client_id
    assert partner["client_id"] == click_path.partner_client_id
    assert partner["organization_id"] == click_path.org_id
    assert partner["organization"] == "globex"
    for record in (sync, partner):
        existing = mgmt.clients.get(record["client_id"]).client_secret
        assert existing and record["client_secret"] == existing  # compared, never printed


def test_preview_after_adoption_shows_no_changes(adopted: dict[str, Any], project: Project) -> None:
    preview = project.stack(STACK).preview(color="never")
    assert preview.change_summary.keys() == {"same"}, preview.change_summary


def test_next_up_keeps_the_adopt_keys_without_importing_again(
    adopted: dict[str, Any], project: Project, stats: TenantStats
) -> None:
    log = StepLog()
    stats.reset()
    result = project.up(STACK, on_event=log)
    assert log.ops() == {"same"}, log.steps
    assert (result.summary.resource_changes or {}).keys() == {"same"}
    assert stats.read()["writes"] == 0


def test_a_later_change_updates_the_adopted_objects_in_place(
    adopted: dict[str, Any], click_path: ClickPath, project: Project, view: TenantView, mgmt: ManagementClient
) -> None:
    config = adopting_config(click_path)
    config["auth0-m2m:apis"]["ledger"]["scopes"]["delete:entries"] = "Reverse ledger entries"
    config["auth0-m2m:integrations"]["ledger-sync"]["scopes"].append("delete:entries")
    project.write_stack(STACK, config)
    log = StepLog()
    project.up(STACK, on_event=log)
    assert sorted(log.of("update")) == [
        ("auth0:index/clientGrant:ClientGrant", "ledger-sync-grant"),
        ("auth0:index/resourceServerScopes:ResourceServerScopes", "ledger-scopes"),
    ]
    assert log.ops() == {"same", "update"}, log.steps
    api = mgmt.resource_servers.get(click_path.api_id)
    assert sorted(s.value or "" for s in api.scopes or []) == [
        "delete:entries",
        "read:entries",
        "write:entries",
    ]
    grant = next(g for g in view.grants() if g["id"] == click_path.sync_grant_id)
    assert sorted(grant["scope"]) == ["delete:entries", "read:entries"]
    assert sorted(c["client_id"] for c in view.clients()) == sorted(
        [click_path.sync_client_id, click_path.partner_client_id]
    )


def _single_app_config(client_id: str, grant_id: str, **integration: Any) -> dict[str, Any]:
    """A stack adopting one app and its grant on the click-path API (used here as an existing audience)."""
    return {
        **BASE,
        "auth0-m2m:integrations": {
            "job": {
                "audience": API,
                "scopes": ["read:entries"],
                "adopt": {"client_id": client_id, "grant_id": grant_id},
                **integration,
            }
        },
    }


def _tenant_snapshot(view: TenantView) -> Callable[[], dict[str, Any]]:
    def snapshot() -> dict[str, Any]:
        return {
            "clients": sorted((c["client_id"], c["name"]) for c in view.clients()),
            "grants": sorted((g["id"], g["client_id"], tuple(g["scope"])) for g in view.grants()),
        }

    return snapshot


def test_a_differing_setting_shows_in_preview_and_is_applied_in_place(
    adopted: dict[str, Any], project: Project, mgmt: ManagementClient, view: TenantView, stats: TenantStats
) -> None:
    client_id, grant_id = make_app(mgmt, "Audit Job", API, scope=["read:entries"])
    project.write_stack("renamed", _single_app_config(client_id, grant_id, app_name="audit-job"))
    stack = project.stack("renamed")
    log = StepLog()
    stats.reset()
    preview = stack.preview(color="never", on_event=log)
    assert stats.read()["writes"] == 0
    assert preview.change_summary.get(auto.OpType.UPDATE) == 1, preview.change_summary
    assert log.ops() == {"import", "update"}, log.steps
    assert log.of("update") == [("auth0:index/client:Client", "job-client")]
    assert log.diffs == {"job-client": ["name"]}
    result = stack.up(color="never")
    assert result.outputs["client_id"].value == client_id
    assert mgmt.clients.get(client_id).name == "audit-job"
    assert grant_id in {g["id"] for g in view.grants()}


def test_a_grant_of_another_app_is_refused_before_any_write(
    adopted: dict[str, Any], project: Project, mgmt: ManagementClient, view: TenantView, stats: TenantStats
) -> None:
    client_id, _ = make_app(mgmt, "Report Job", API, scope=["read:entries"])
    _, others_grant = make_app(mgmt, "Billing Job", API, scope=["read:entries"])
    snapshot = _tenant_snapshot(view)
    before = snapshot()
    config = _single_app_config(
        client_id, others_grant, app_name="Report Job", description="Report Job, made by hand"
    )
    project.write_stack("refused", config)
    stats.reset()
    with pytest.raises(auto.CommandError) as exc:
        project.up("refused")
    message = str(exc.value)
    assert "previously-imported resources that still specify an ID may not be replaced" in message
    assert "clientId" in message
    assert stats.read()["writes"] == 0
    assert snapshot() == before
