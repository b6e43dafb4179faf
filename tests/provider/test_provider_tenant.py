"""The provider's resource handlers against the local tenant over HTTPS (no engine).

Each test starts its own `TenantServer` (in memory, free port) and trusts its CA through
SSL_CERT_FILE, as the engine environment does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from auth0_m2m.provider import Auth0Provider
from auth0_m2m.provider._resources import RESOURCE_TYPES
from auth0_m2m.provider._values import Secret, reveal
from auth0_m2m.tenant import TenantServer

pytestmark = pytest.mark.anyio
T = "auth0:index/"
API = "https://billing.example.test/v1"


@pytest.fixture(autouse=True)
def instant_settle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip the upstream 800 ms / 200 ms settle waits; the local tenant is consistent at once."""
    for token in (T + "client:Client", T + "resourceServer:ResourceServer"):
        monkeypatch.setattr(RESOURCE_TYPES[token], "create_settle_seconds", 0, raising=False)
        monkeypatch.setattr(RESOURCE_TYPES[token], "update_settle_seconds", 0, raising=False)


def start_tenant(monkeypatch: pytest.MonkeyPatch, **options: Any) -> Iterator[TenantServer]:
    with TenantServer(**options) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))
        yield server


@pytest.fixture
def tenant(monkeypatch: pytest.MonkeyPatch) -> Iterator[TenantServer]:
    """A fresh tenant."""
    yield from start_tenant(monkeypatch)


def provider_for(server: TenantServer) -> Auth0Provider:
    """A provider configured from the AUTH0_* variables of `server`."""
    provider = Auth0Provider(
        env={
            "AUTH0_DOMAIN": server.domain,
            "AUTH0_CLIENT_ID": server.bootstrap_client_id,
            "AUTH0_CLIENT_SECRET": server.bootstrap_client_secret.get_secret_value(),
        }
    )
    provider.configure({}, {})
    return provider


def get(server: TenantServer, api_path: str) -> Any:
    """GET a Management API path with a bootstrap token."""
    with httpx.Client(verify=server.ssl_context()) as http:
        response = http.get(
            f"{server.base_url}/api/v2/{api_path}",
            headers={"Authorization": f"Bearer {server.management_token()}"},
        )
    return response.json() if response.status_code == 200 else response.status_code


async def create_stack(provider: Auth0Provider) -> dict[str, tuple[str, dict[str, Any]]]:
    """One of each type, in dependency order."""
    made: dict[str, tuple[str, dict[str, Any]]] = {}
    made["api"] = await provider.create(
        T + "resourceServer:ResourceServer",
        {"identifier": API, "name": "Billing", "tokenLifetime": 3600},
        False,
    )
    made["scopes"] = await provider.create(
        T + "resourceServerScopes:ResourceServerScopes",
        {"resourceServerIdentifier": API, "scopes": [{"name": "read:invoices", "description": "Read"}]},
        False,
    )
    made["client"] = await provider.create(
        T + "client:Client",
        {"name": "billing-sync", "appType": "non_interactive", "grantTypes": ["client_credentials"]},
        False,
    )
    client_id = made["client"][0]
    made["creds"] = await provider.create(
        T + "clientCredentials:ClientCredentials",
        {"clientId": client_id, "authenticationMethod": "client_secret_basic"},
        False,
    )
    made["grant"] = await provider.create(
        T + "clientGrant:ClientGrant",
        {"clientId": client_id, "audience": API, "scopes": ["read:invoices"], "organizationUsage": "allow"},
        False,
    )
    made["org"] = await provider.create(
        T + "organization:Organization", {"name": "acme", "displayName": "Acme"}, False
    )
    made["link"] = await provider.create(
        T + "organizationClientGrant:OrganizationClientGrant",
        {"organizationId": made["org"][0], "grantId": made["grant"][0]},
        False,
    )
    return made


async def test_create_read_delete_every_type(tenant: TenantServer) -> None:
    provider = provider_for(tenant)
    made = await create_stack(provider)
    client_id = made["client"][0]
    client = get(tenant, f"clients/{client_id}")
    assert client["token_endpoint_auth_method"] == "client_secret_basic"
    assert made["creds"][1]["clientSecret"] == Secret(client["client_secret"])
    assert get(tenant, f"resource-servers/{made['api'][0]}")["scopes"] == [
        {"value": "read:invoices", "description": "Read"}
    ]
    assert made["link"][0] == f"{made['org'][0]}::{made['grant'][0]}"

    for key, token in [
        ("link", "organizationClientGrant:OrganizationClientGrant"),
        ("org", "organization:Organization"),
        ("grant", "clientGrant:ClientGrant"),
        ("creds", "clientCredentials:ClientCredentials"),
        ("client", "client:Client"),
        ("scopes", "resourceServerScopes:ResourceServerScopes"),
        ("api", "resourceServer:ResourceServer"),
    ]:
        await provider.delete(T + token, made[key][0], made[key][1])
    assert get(tenant, f"clients/{client_id}") == 404
    assert get(tenant, f"resource-servers/{made['api'][0]}") == 404
    assert get(tenant, f"client-grants/{made['grant'][0]}") == 404
    await provider.aclose()


async def test_read_of_a_deleted_object_drops_it_and_delete_is_idempotent(tenant: TenantServer) -> None:
    provider = provider_for(tenant)
    org_id, outputs = await provider.create(T + "organization:Organization", {"name": "gone"}, False)
    await provider.delete(T + "organization:Organization", org_id, outputs)
    assert await provider.read(T + "organization:Organization", org_id, {"name": "gone"}, outputs) is None
    await provider.delete(T + "organization:Organization", org_id, outputs)
    await provider.aclose()


async def test_import_reads_inputs_by_the_documented_ids(tenant: TenantServer) -> None:
    provider = provider_for(tenant)
    made = await create_stack(provider)
    imported = {
        "scopes": await provider.read(T + "resourceServerScopes:ResourceServerScopes", API, {}, {}),
        "creds": await provider.read(T + "clientCredentials:ClientCredentials", made["client"][0], {}, {}),
        "link": await provider.read(
            T + "organizationClientGrant:OrganizationClientGrant", made["link"][0], {}, {}
        ),
        "grant": await provider.read(T + "clientGrant:ClientGrant", made["grant"][0], {}, {}),
    }
    assert imported["scopes"] is not None and imported["scopes"][1]["resourceServerIdentifier"] == API
    assert imported["creds"] is not None and imported["creds"][1] == {
        "clientId": made["client"][0],
        "authenticationMethod": "client_secret_basic",
    }
    assert imported["link"] is not None and imported["link"][1]["grantId"] == made["grant"][0]
    assert imported["grant"] is not None and reveal(imported["grant"][1])["scopes"] == ["read:invoices"]
    await provider.aclose()


async def test_update_changes_scopes_and_grant_in_place(tenant: TenantServer) -> None:
    provider = provider_for(tenant)
    made = await create_stack(provider)
    scopes_old = {
        "resourceServerIdentifier": API,
        "scopes": [{"name": "read:invoices", "description": "Read"}],
    }
    scopes_new = {
        "resourceServerIdentifier": API,
        "scopes": [*scopes_old["scopes"], {"name": "write:invoices"}],
    }
    await provider.update(
        T + "resourceServerScopes:ResourceServerScopes", API, scopes_old, {}, scopes_new, False
    )
    grant_old = {"clientId": made["client"][0], "audience": API, "scopes": ["read:invoices"]}
    grant_new = {**grant_old, "scopes": ["read:invoices", "write:invoices"]}
    outputs = await provider.update(
        T + "clientGrant:ClientGrant", made["grant"][0], grant_old, {}, grant_new, False
    )
    assert outputs["scopes"] == ["read:invoices", "write:invoices"]
    assert get(tenant, f"client-grants/{made['grant'][0]}")["scope"] == ["read:invoices", "write:invoices"]
    await provider.aclose()


@pytest.mark.slow
async def test_rate_limits_and_injected_503s_are_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    for server in start_tenant(monkeypatch, rate_limit="5/2", faults="503=0.15,seed=3"):
        provider = provider_for(server)
        made = await create_stack(provider)
        assert len(made) == 7
        stats = server.tenant.stats.snapshot()
        assert stats["rate_limited"] > 0
        assert stats["injected"].get("503", 0) > 0
        await provider.aclose()
