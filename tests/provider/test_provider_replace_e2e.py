"""Replace or update in place, end to end: the real engine, the stand-in provider, the local tenant.

One stack of the seven resource types walks through the changes a user makes. Each step
asserts what the engine did per resource (same / update / replace) and which ids survived, as
upstream's schema decides it (docs/provider-fidelity.md):

1. create;
2. reorder the API's scopes (a set upstream): no change at all;
3. change every in-place property the program uses (names, descriptions, metadata, token
   lifetime, signing algorithm, auth method, grant scopes and organization usage): updates,
   every id (the Client ID too) kept; `preview --diff` names the changed property paths;
4. change the API identifier (ForceNew): the API, its scope list, the grant (audience) and the
   organization link (grant id) are replaced, the Client ID is kept;
5. change `jwtConfiguration.secretEncoded` (ForceNew): the client is replaced, so the Client ID
   changes, and its credentials and grant follow;
6. destroy: nothing of ours is left.
Skipped when no `pulumi` binary is found, unless CI=true (then it fails).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pulumi
import pulumi_auth0 as auth0
import pytest
from pulumi import automation as auto

from auth0_m2m.tenant import TenantServer

pytestmark = pytest.mark.e2e
API_A = "https://replace-a.example.test/v1"
API_B = "https://replace-b.example.test/v1"
BASE: dict[str, Any] = {
    "identifier": API_A,
    "api_name": "Orders",
    "token_lifetime": 3600,
    "signing_alg": "RS256",
    "scopes": ["read:orders", "write:orders", "admin:orders"],
    "org_name": "replace-acme",
    "org_display": "Acme",
    "org_metadata": {"tier": "gold"},
    "client_name": "replace-svc",
    "client_description": "Orders sync",
    "client_metadata": {"ownerTeam": "a"},
    "secret_encoded": False,
    "auth_method": "client_secret_post",
    "grant_scopes": ["read:orders"],
    "org_usage": "allow",
}
IDS = ("api", "scopes", "org", "client", "creds", "grant", "link")


def make_program(knobs: dict[str, Any]) -> Callable[[], None]:
    """One of each type; every id exported so steps can tell a replace from an update."""

    def program() -> None:
        api = auth0.ResourceServer(
            "api", identifier=knobs["identifier"], name=knobs["api_name"], signing_alg=knobs["signing_alg"],
            token_lifetime=knobs["token_lifetime"], allow_offline_access=False,
        )  # fmt: skip
        scopes = auth0.ResourceServerScopes(
            "scopes", resource_server_identifier=api.identifier,
            scopes=[auth0.ResourceServerScopesScopeArgs(name=s, description=f"Scope {s}")
                    for s in knobs["scopes"]],
        )  # fmt: skip
        org = auth0.Organization(
            "org", name=knobs["org_name"], display_name=knobs["org_display"], metadata=knobs["org_metadata"]
        )
        client = auth0.Client(
            "client", name=knobs["client_name"], description=knobs["client_description"],
            app_type="non_interactive", grant_types=["client_credentials"],
            jwt_configuration=auth0.ClientJwtConfigurationArgs(
                alg="RS256", secret_encoded=knobs["secret_encoded"]),
            client_metadata=knobs["client_metadata"],
        )  # fmt: skip
        creds = auth0.ClientCredentials(
            "creds", client_id=client.client_id, authentication_method=knobs["auth_method"]
        )
        grant = auth0.ClientGrant(
            "grant", client_id=client.client_id, audience=api.identifier, scopes=knobs["grant_scopes"],
            organization_usage=knobs["org_usage"], opts=pulumi.ResourceOptions(depends_on=[scopes]),
        )  # fmt: skip
        link = auth0.OrganizationClientGrant("link", organization_id=org.id, grant_id=grant.id)
        for name, resource in zip(IDS, (api, scopes, org, client, creds, grant, link), strict=True):
            pulumi.export(name, resource.id)

    return program


def ids(result: auto.UpResult) -> dict[str, str]:
    return {name: str(result.outputs[name].value) for name in IDS}


def management(tenant: TenantServer) -> httpx.Client:
    return httpx.Client(
        base_url=f"{tenant.base_url}/api/v2/",
        verify=tenant.ssl_context(),
        headers={"Authorization": f"Bearer {tenant.management_token()}"},
    )


class Recorder:
    """Collects engine events of one operation."""

    def __init__(self) -> None:
        self.events: list[auto.EngineEvent] = []
        self.output: list[str] = []

    def ops(self) -> dict[str, str]:
        """Resource name → operation (`same`, `update`, `replace`, `create-replacement`, ...)."""
        found: dict[str, str] = {}
        for event in self.events:
            pre = event.resource_pre_event
            if pre is None or not pre.metadata.type.startswith("auth0:"):
                continue
            name = pre.metadata.urn.split("::")[-1]
            op = str(pre.metadata.op.value)
            if op in ("replace", "create-replacement", "delete-replaced"):
                op = "replace"
            found.setdefault(name, op)
            if op == "replace":
                found[name] = "replace"
        return found

    def detailed(self) -> dict[str, dict[str, str]]:
        """Resource name → {property path: diff kind} from the engine's pre-events."""
        found: dict[str, dict[str, str]] = {}
        for event in self.events:
            pre = event.resource_pre_event
            if pre is None or not pre.metadata.type.startswith("auth0:") or not pre.metadata.detailed_diff:
                continue
            name = pre.metadata.urn.split("::")[-1]
            found[name] = {path: str(d.diff_kind.value) for path, d in pre.metadata.detailed_diff.items()}
        return found


def run_up(stack: auto.Stack, knobs: dict[str, Any]) -> tuple[auto.UpResult, Recorder]:
    recorder = Recorder()
    stack.workspace.program = make_program(knobs)
    result = stack.up(on_event=recorder.events.append, on_output=recorder.output.append)
    assert result.summary.result == "succeeded"
    return result, recorder


def test_replace_or_update_follows_upstream_force_new(
    workspace: auto.LocalWorkspaceOptions, tenant: TenantServer
) -> None:
    stack = auto.create_or_select_stack(
        "replace", project_name="provider-e2e", program=make_program(BASE), opts=workspace
    )
    created, _ = run_up(stack, BASE)
    first = ids(created)

    # 2. a set upstream: reordering the API's scopes is no change
    reordered = {**BASE, "scopes": list(reversed(BASE["scopes"]))}
    result, recorder = run_up(stack, reordered)
    assert result.summary.resource_changes == {"same": 8}  # the stack too
    assert set(recorder.ops().values()) == {"same"}

    # 3. every in-place property: updates, every id kept; preview --diff names the paths
    in_place = {
        **reordered,
        "api_name": "Orders v2",
        "token_lifetime": 7200,
        "signing_alg": "HS256",
        "scopes": [*reordered["scopes"], "audit:orders"],
        "org_name": "replace-acme-2",
        "org_display": "Acme Corp",
        "org_metadata": {"tier": "silver"},
        "client_name": "replace-svc-2",
        "client_description": "Orders sync v2",
        "client_metadata": {"ownerTeam": "b"},
        "auth_method": "client_secret_basic",
        "grant_scopes": ["read:orders", "write:orders"],
        "org_usage": "require",
    }
    stack.workspace.program = make_program(in_place)
    preview_events: list[auto.EngineEvent] = []
    preview_output: list[str] = []
    stack.preview(diff=True, on_event=preview_events.append, on_output=preview_output.append)
    preview = Recorder()
    preview.events = preview_events
    assert preview.detailed() == {
        "api": {"name": "update", "signingAlg": "update", "tokenLifetime": "update"},
        "scopes": {"scopes[3]": "add"},
        "org": {"displayName": "update", "metadata.tier": "update", "name": "update"},
        "client": {"clientMetadata.ownerTeam": "update", "description": "update", "name": "update"},
        "creds": {"authenticationMethod": "update"},
        "grant": {"organizationUsage": "update", "scopes[1]": "add"},
    }
    text = "".join(preview_output)
    for shown in ("metadata", "tier", "signingAlg", "organizationUsage", "clientMetadata"):
        assert shown in text, f"preview --diff does not show {shown}"
    result, recorder = run_up(stack, in_place)
    assert recorder.ops() == {
        "api": "update", "scopes": "update", "org": "update", "client": "update",
        "creds": "update", "grant": "update", "link": "same",
    }  # fmt: skip
    assert ids(result) == first
    with management(tenant) as api:
        client = api.get(f"clients/{first['client']}").json()
        assert client["name"] == "replace-svc-2"
        assert client["token_endpoint_auth_method"] == "client_secret_basic"
        grant = api.get(f"client-grants/{first['grant']}").json()
        assert grant["scope"] == ["read:orders", "write:orders"]
        assert grant["organization_usage"] == "require"

    # 4. the API identifier is ForceNew: API, scopes, grant (audience) and link (grant id) replaced
    moved = {**in_place, "identifier": API_B}
    result, recorder = run_up(stack, moved)
    assert recorder.ops() == {
        "api": "replace", "scopes": "replace", "org": "same", "client": "same",
        "creds": "same", "grant": "replace", "link": "replace",
    }  # fmt: skip
    second = ids(result)
    assert second["client"] == first["client"] and second["org"] == first["org"]
    assert second["api"] != first["api"] and second["grant"] != first["grant"]
    with management(tenant) as api:
        assert api.get(f"resource-servers/{first['api']}").status_code == 404
        assert api.get(f"client-grants/{first['grant']}").status_code == 404
        assert api.get(f"resource-servers/{second['api']}").json()["identifier"] == API_B

    # 5. jwtConfiguration.secretEncoded is ForceNew: a new client, so a new Client ID
    result, recorder = run_up(stack, {**moved, "secret_encoded": True})
    assert recorder.ops() == {
        "api": "same", "scopes": "same", "org": "same", "client": "replace",
        "creds": "replace", "grant": "replace", "link": "replace",
    }  # fmt: skip
    third = ids(result)
    assert third["client"] != first["client"]
    with management(tenant) as api:
        assert api.get(f"clients/{first['client']}").status_code == 404

    destroyed = stack.destroy()
    assert destroyed.summary.resource_changes == {"delete": 8}
    with management(tenant) as api:
        assert api.get(f"clients/{third['client']}").status_code == 404
        assert api.get(f"resource-servers/{third['api']}").status_code == 404
