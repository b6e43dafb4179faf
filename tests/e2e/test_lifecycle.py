"""One stack's life on the real engine: up, no-op up, in-place changes, drift, secrecy, destroy.

The steps run in file order against one tenant and one stack (each step starts from the state the
previous one left), and every claim is checked independently of Pulumi: the tenant's objects are
listed through auth0-python, and write counts come from the tenant's own request stats.
"""

from __future__ import annotations

import copy
import subprocess
from typing import Any

import pytest
from auth0.management import ManagementClient
from e2e_harness import ENGINE_BIN, Project, TenantStats, TenantView

pytestmark = pytest.mark.e2e

STACK = "life"
API = "https://api.e2e.test/billing"
CONFIG: dict[str, Any] = {
    "auth0:domain": "placeholder.example.com",
    "auth0-m2m:apis": {
        "billing": {
            "identifier": API,
            "name": "Billing API",
            "scopes": {
                "read:invoices": "Read invoices",
                "write:invoices": "Create invoices",
                "read:customers": "Read customers",
            },
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
        "reporting": {"api": "billing", "scopes": ["read:invoices"], "auth_method": "client_secret_basic"},
    },
}


@pytest.fixture(scope="module")
def deployed(project: Project) -> dict[str, Any]:
    project.write_stack(STACK, CONFIG)
    result = project.up(STACK)
    assert result.summary.result == "succeeded"
    return {name: out.value for name, out in result.outputs.items()}


def test_up_creates_exactly_the_declared_objects(deployed: dict[str, Any], view: TenantView) -> None:
    clients = view.clients()
    assert sorted(c["name"] for c in clients) == ["nango-billing", "reporting"]
    for client in clients:
        assert client["app_type"] == "non_interactive"
        assert client["grant_types"] == ["client_credentials"]
    methods = {c["name"]: c["token_endpoint_auth_method"] for c in clients}
    assert methods == {"nango-billing": "client_secret_post", "reporting": "client_secret_basic"}
    (api,) = view.apis()
    assert api["identifier"] == API
    assert sorted(s["value"] for s in api["scopes"]) == ["read:customers", "read:invoices", "write:invoices"]
    grants = {g["client_id"]: g for g in view.grants()}
    assert len(grants) == 2
    by_name = {c["name"]: c["client_id"] for c in clients}
    nango = grants[by_name["nango-billing"]]
    assert (nango["audience"], nango["scope"], nango["organization_usage"]) == (
        API,
        ["read:invoices"],
        "require",
    )
    assert nango["allow_any_organization"] is False
    (org,) = view.organizations()
    assert (org["name"], org["display_name"]) == ("acme", "Acme Inc")
    assert view.organization_grants(org["id"]) == [nango["id"]]
    integrations = deployed["integrations"]
    assert integrations["nango-billing"]["client_id"] == by_name["nango-billing"]
    assert integrations["nango-billing"]["organization_id"] == org["id"]
    assert (
        integrations["reporting"]["token_url"]
        == f"https://{integrations['reporting']['hostname']}/oauth/token"
    )


def test_second_up_changes_nothing_and_writes_nothing(
    deployed: dict[str, Any], project: Project, stats: TenantStats
) -> None:
    stats.reset()
    result = project.up(STACK)
    changes = result.summary.resource_changes or {}
    assert set(changes) == {"same"}, changes
    assert stats.read()["writes"] == 0


def test_config_change_updates_in_place_without_replacing_the_client(
    deployed: dict[str, Any], project: Project, view: TenantView
) -> None:
    before = {c["name"]: c["client_id"] for c in view.clients()}
    grant_ids = {g["id"] for g in view.grants()}
    config = copy.deepcopy(CONFIG)
    config["auth0-m2m:integrations"]["reporting"]["scopes"].append("read:customers")
    config["auth0-m2m:integrations"]["audit"] = {"api": "billing", "scopes": ["read:invoices"]}
    project.write_stack(STACK, config)
    result = project.up(STACK)
    changes = result.summary.resource_changes or {}
    assert "delete" not in changes and "replace" not in changes, changes
    after = {c["name"]: c["client_id"] for c in view.clients()}
    assert {k: after[k] for k in before} == before
    assert set(after) == {"nango-billing", "reporting", "audit"}
    grants = {g["client_id"]: g for g in view.grants()}
    assert sorted(grants[after["reporting"]]["scope"]) == ["read:customers", "read:invoices"]
    assert grant_ids <= {g["id"] for g in grants.values()}


def test_drift_shows_in_refresh_preview_and_up_repairs_it(
    deployed: dict[str, Any], project: Project, view: TenantView, mgmt: ManagementClient
) -> None:
    clients = {c["name"]: c["client_id"] for c in view.clients()}
    grant = next(g for g in view.grants() if g["client_id"] == clients["reporting"])
    mgmt.client_grants.update(grant["id"], scope=["read:invoices"])  # out of band, as a person would
    stack = project.stack(STACK)
    preview = stack.preview(refresh=True, color="never", on_output=project.log.append)
    assert preview.change_summary.get("update", 0) >= 1, preview.change_summary
    project.up(STACK, refresh=True)
    grant = next(g for g in view.grants() if g["id"] == grant["id"])
    assert sorted(grant["scope"]) == ["read:customers", "read:invoices"]
    assert stack.preview(refresh=True, color="never").change_summary.keys() == {"same"}


def test_client_secret_never_appears_in_plaintext(deployed: dict[str, Any], project: Project) -> None:
    stack = project.stack(STACK)
    outputs = stack.outputs()
    secrets = [v["client_secret"] for v in outputs["integrations"].value.values()]
    assert all(len(s) >= 32 for s in secrets)
    shown = subprocess.run(  # noqa: S603 - our own engine, fixed arguments
        [str(ENGINE_BIN / "pulumi"), "stack", "output", "--stack", STACK, "--json"],
        cwd=project.root,
        env=project.process_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    texts = {
        "state files": project.state_text(),
        "engine output": "\n".join(project.log),
        "stack output": shown.stdout,
    }
    for where, text in texts.items():
        for secret in secrets:
            assert secret not in text, f"a client secret appears in plaintext in the {where}"
    assert "[secret]" in shown.stdout


def test_destroy_leaves_nothing_of_ours(deployed: dict[str, Any], project: Project, view: TenantView) -> None:
    result = project.stack(STACK).destroy(color="never", on_output=project.log.append)
    assert result.summary.result == "succeeded"
    assert view.clients() == []
    assert view.apis() == []
    assert view.grants() == []
    assert view.organizations() == []
