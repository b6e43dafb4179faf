"""Resource servers over HTTPS with auth0-python: life cycle, lookup by identifier, scopes, system API."""

from __future__ import annotations

import httpx
import pytest
from auth0.management import BadRequestError, ConflictError, ForbiddenError, ManagementClient, NotFoundError

from auth0_m2m.tenant import TenantServer

from .conftest import NO_RETRY

API = "https://api.example.com"


def test_resource_server_life_cycle(mgmt: ManagementClient) -> None:
    created = mgmt.resource_servers.create(identifier=API, name="Example", token_lifetime=3600)
    assert created.id and created.identifier == API and not created.scopes
    assert mgmt.resource_servers.get(created.id).token_lifetime == 3600
    mgmt.resource_servers.update(created.id, name="Renamed")
    assert mgmt.resource_servers.get(API).name == "Renamed"
    assert API in [rs.identifier for rs in mgmt.resource_servers.list()]
    mgmt.resource_servers.delete(created.id)
    with pytest.raises(NotFoundError) as exc:
        mgmt.resource_servers.get(created.id, request_options=NO_RETRY)
    assert exc.value.status_code == 404


def test_patch_scopes_replaces_the_list(mgmt: ManagementClient) -> None:
    rs = mgmt.resource_servers.create(identifier=API, name="S")
    mgmt.resource_servers.update(API, scopes=[{"value": "read:a", "description": "A"}, {"value": "read:b"}])
    mgmt.resource_servers.update(API, scopes=[{"value": "read:c"}])
    assert [s.value for s in mgmt.resource_servers.get(rs.id).scopes or []] == ["read:c"]


def test_identifier_is_immutable(tenant: TenantServer, http: httpx.Client, auth: dict[str, str]) -> None:
    rs_id = http.post("/api/v2/resource-servers", json={"identifier": API}, headers=auth).json()["id"]
    response = http.patch(
        f"/api/v2/resource-servers/{rs_id}", json={"identifier": "https://other"}, headers=auth
    )
    assert response.status_code == 400
    assert "identifier" in response.json()["message"]


def test_duplicate_identifier_is_409(mgmt: ManagementClient) -> None:
    mgmt.resource_servers.create(identifier=API, name="one")
    with pytest.raises(ConflictError) as exc:
        mgmt.resource_servers.create(identifier=API, name="two", request_options=NO_RETRY)
    assert exc.value.status_code == 409


def test_missing_identifier_is_400(tenant: TenantServer, http: httpx.Client, auth: dict[str, str]) -> None:
    response = http.post("/api/v2/resource-servers", json={"name": "x"}, headers=auth)
    assert response.status_code == 400
    assert response.json()["message"] == "Payload validation error: 'Missing required property: identifier'."


def test_bad_token_lifetime_is_400(mgmt: ManagementClient) -> None:
    with pytest.raises(BadRequestError) as exc:
        mgmt.resource_servers.create(identifier=API, token_lifetime=-1, request_options=NO_RETRY)
    assert exc.value.status_code == 400


def test_system_api_exists_and_cannot_be_deleted(tenant: TenantServer, mgmt: ManagementClient) -> None:
    system = mgmt.resource_servers.get(tenant.management_audience)
    assert system.is_system and system.name == "Auth0 Management API"
    with pytest.raises(ForbiddenError) as exc:
        mgmt.resource_servers.delete(system.id, request_options=NO_RETRY)
    assert exc.value.status_code == 403


def test_deleting_an_api_deletes_its_grants(mgmt: ManagementClient) -> None:
    mgmt.resource_servers.create(identifier=API)
    cid = mgmt.clients.create(name="g", app_type="non_interactive").client_id
    grant = mgmt.client_grants.create(audience=API, client_id=cid, scope=[])
    mgmt.resource_servers.delete(API)
    with pytest.raises(NotFoundError):
        mgmt.client_grants.get(grant.id, request_options=NO_RETRY)
