"""The real Pulumi engine drives the stand-in provider against the local tenant (Automation API).

One stack walks the whole life cycle: create one of each resource type with the unmodified
`pulumi_auth0` SDK, a second `up` that changes nothing and writes nothing to the tenant, a
refresh, a refresh after an out-of-band change (which then shows as a diff), an update, a check
that the client secret is not in plaintext in the state, and a destroy that leaves the tenant
without our objects. A second test imports existing objects.
Skipped when no `pulumi` binary is found, unless CI=true (then it fails).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pulumi
import pulumi_auth0 as auth0
import pytest
from pulumi import automation as auto

from auth0_m2m.tenant import TenantServer

pytestmark = pytest.mark.e2e
API = "https://orders.example.test/v1"


def management(tenant: TenantServer) -> httpx.Client:
    """A Management API client for checking the tenant's contents."""
    return httpx.Client(
        base_url=f"{tenant.base_url}/api/v2/",
        verify=tenant.ssl_context(),
        headers={"Authorization": f"Bearer {tenant.management_token()}"},
    )


def writes(tenant: TenantServer) -> int:
    """Management API writes since the last stats reset."""
    return int(tenant.tenant.stats.snapshot()["writes"])


def make_program(scopes: list[str], display_name: str) -> Callable[[], None]:
    """One of each resource type, as the project's components build them."""

    def program() -> None:
        api = auth0.ResourceServer(
            "api", identifier=API, name="Orders", signing_alg="RS256", token_lifetime=3600,
            skip_consent_for_verifiable_first_party_clients=True, allow_offline_access=False,
        )  # fmt: skip
        api_scopes = auth0.ResourceServerScopes(
            "api-scopes", resource_server_identifier=api.identifier,
            scopes=[auth0.ResourceServerScopesScopeArgs(name=s, description=f"Scope {s}") for s in scopes],
        )  # fmt: skip
        org = auth0.Organization("org", name="acme", display_name=display_name, metadata={"tier": "gold"})
        client = auth0.Client(
            "svc", name="svc", description="Orders sync", app_type="non_interactive",
            grant_types=["client_credentials"], organization_usage="allow",
            jwt_configuration=auth0.ClientJwtConfigurationArgs(alg="RS256"),
            client_metadata={"ownerTeam": "a"},
        )  # fmt: skip
        creds = auth0.ClientCredentials(
            "svc-creds", client_id=client.client_id, authentication_method="client_secret_post"
        )
        grant = auth0.ClientGrant(
            "svc-grant", client_id=client.client_id, audience=api.identifier, scopes=scopes,
            organization_usage="allow", allow_any_organization=False,
            opts=pulumi.ResourceOptions(depends_on=[api_scopes]),
        )  # fmt: skip
        auth0.OrganizationClientGrant("svc-org", organization_id=org.id, grant_id=grant.id)
        pulumi.export("client_id", client.client_id)
        pulumi.export("client_secret", creds.client_secret)
        pulumi.export("organization_id", org.id)

    return program


def test_life_cycle_up_noop_refresh_update_destroy(
    workspace: auto.LocalWorkspaceOptions, tenant: TenantServer, tmp_path: Path
) -> None:
    program = make_program(["read:orders"], "Acme")
    stack = auto.create_or_select_stack("life", project_name="provider-e2e", program=program, opts=workspace)
    up = stack.up()
    assert up.summary.result == "succeeded"
    assert up.summary.resource_changes == {"create": 8}
    secret = up.outputs["client_secret"]
    assert secret.secret and len(str(secret.value)) >= 32

    tenant.tenant.stats.reset()
    again = stack.up()
    assert again.summary.resource_changes == {"same": 8}
    assert writes(tenant) == 0

    refreshed = stack.refresh()
    assert refreshed.summary.resource_changes == {"same": 8}
    assert stack.preview().change_summary == {"same": 8}

    with management(tenant) as api:  # drift made outside Pulumi shows after a refresh
        api.patch(f"organizations/{up.outputs['organization_id'].value}", json={"display_name": "Drifted"})
    assert stack.refresh().summary.resource_changes == {"same": 7, "update": 1}
    assert stack.preview().change_summary == {"same": 7, "update": 1}

    stack.workspace.program = make_program(["read:orders", "write:orders"], "Acme Corp")
    updated = stack.up()
    assert updated.summary.resource_changes == {"same": 5, "update": 3}
    with management(tenant) as api:
        org = api.get(f"organizations/{updated.outputs['organization_id'].value}").json()
        assert org["display_name"] == "Acme Corp"
        grants = api.get("client-grants", params={"client_id": updated.outputs["client_id"].value}).json()
        assert _items(grants, "client_grants")[0]["scope"] == ["read:orders", "write:orders"]

    state_text = "".join(p.read_text() for p in (tmp_path / "state").rglob("*.json"))
    assert state_text, "the file backend holds the stack state"
    assert str(secret.value) not in state_text

    destroyed = stack.destroy()
    assert destroyed.summary.resource_changes == {"delete": 8}
    with management(tenant) as api:
        assert all(c["name"] != "svc" for c in _items(api.get("clients").json(), "clients"))
        assert all(
            r["identifier"] != API for r in _items(api.get("resource-servers").json(), "resource_servers")
        )
        assert _items(api.get("organizations").json(), "organizations") == []


def test_import_existing_objects_then_no_changes(
    workspace: auto.LocalWorkspaceOptions, tenant: TenantServer
) -> None:
    with management(tenant) as api:
        client = api.post(
            "clients", json={"name": "legacy", "description": "Old", "app_type": "non_interactive"}
        ).json()
        server = api.post(
            "resource-servers", json={"identifier": "https://legacy.example.test", "name": "Legacy"}
        ).json()

    def program() -> None:
        auth0.Client(
            "legacy", name="legacy", description="Old", app_type="non_interactive",
            opts=pulumi.ResourceOptions(import_=client["client_id"]),
        )  # fmt: skip
        auth0.ResourceServer(
            "legacy-api", identifier="https://legacy.example.test", name="Legacy",
            opts=pulumi.ResourceOptions(import_=server["id"]),
        )  # fmt: skip

    stack = auto.create_or_select_stack(
        "imports", project_name="provider-e2e", program=program, opts=workspace
    )
    imported = stack.up()
    assert imported.summary.resource_changes == {"create": 1, "import": 2}
    assert stack.up().summary.resource_changes == {"same": 3}
    stack.destroy()


def _items(payload: Any, key: str) -> list[Any]:
    return list(payload[key]) if isinstance(payload, dict) else list(payload)
