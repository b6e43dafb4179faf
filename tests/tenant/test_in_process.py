"""The same tenant in-process (no socket, no TLS): auth0-python over `in_process_client` (STYLE item 5)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from auth0.management import ConflictError, ManagementClient

from auth0_m2m.tenant import Tenant, in_process_client, management_token, open_tenant

from .conftest import NO_RETRY


@pytest.fixture
def local() -> Iterator[tuple[Tenant, ManagementClient]]:
    tenant = open_tenant(None, "localhost:8443")
    with in_process_client(tenant) as client:
        yield (
            tenant,
            ManagementClient(domain=tenant.domain, token=management_token(tenant), httpx_client=client),
        )
    tenant.store.close()


def test_click_path_in_process(local: tuple[Tenant, ManagementClient]) -> None:
    tenant, mgmt = local
    mgmt.resource_servers.create(identifier="https://api.example.com", scopes=[{"value": "read:x"}])
    cid = mgmt.clients.create(name="app", app_type="non_interactive").client_id
    grant = mgmt.client_grants.create(audience="https://api.example.com", client_id=cid, scope=["read:x"])
    assert mgmt.client_grants.get(grant.id).scope == ["read:x"]
    with pytest.raises(ConflictError) as exc:
        mgmt.client_grants.create(audience="https://api.example.com", client_id=cid, request_options=NO_RETRY)
    assert exc.value.status_code == 409
    assert tenant.stats.snapshot()["writes"] == 4


def test_in_process_token_endpoint(local: tuple[Tenant, ManagementClient]) -> None:
    tenant, _ = local
    client_id, secret = tenant.bootstrap_credentials()
    with in_process_client(tenant) as client:
        response = client.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": secret,
                "audience": tenant.management_audience,
            },
        )
    assert response.status_code == 200 and "read:clients" in response.json()["scope"]
