"""Raw HTTP: the Go provider's exact request shapes (auth0-facts.md part 1) and the envelopes it needs."""

from __future__ import annotations

import httpx
import pytest

from auth0_m2m.tenant import TenantServer

API = "https://api.example.com"


@pytest.fixture
def api_id(tenant: TenantServer, http: httpx.Client, auth: dict[str, str]) -> str:
    response = http.post(
        "/api/v2/resource-servers",
        json={
            "identifier": API,
            "name": "X",
            "signing_alg": "RS256",
            "verificationLocation": "",
            "token_dialect": "access_token",
        },
        headers=auth,
    )
    assert response.status_code == 201 and response.json()["scopes"] == []
    return str(response.json()["id"])


@pytest.mark.parametrize("segment", ["https:%2F%2Fapi.example.com", "https%3A%2F%2Fapi.example.com"])
def test_escaped_identifier_resolves(
    http: httpx.Client, auth: dict[str, str], api_id: str, segment: str
) -> None:
    response = http.get(f"/api/v2/resource-servers/{segment}", headers=auth)
    assert response.status_code == 200 and response.json()["id"] == api_id
    patched = http.patch(
        f"/api/v2/resource-servers/{segment}",
        json={"scopes": [{"value": "read:x", "description": "Read X"}]},
        headers=auth,
    )
    assert patched.json()["scopes"] == [{"value": "read:x", "description": "Read X"}]


def test_credentials_flow_of_the_provider(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str]
) -> None:
    created = http.post(
        "/api/v2/clients",
        json={
            "name": "p",
            "description": "Managed by Pulumi",
            "app_type": "non_interactive",
            "token_endpoint_auth_method": "client_secret_post",
            "cross_origin_authentication": False,
        },
        headers=auth,
    )
    assert created.status_code == 201
    cid = created.json()["client_id"]
    assert http.get(f"/api/v2/clients/{cid}?fields=client_id&include_fields=true", headers=auth).json() == {
        "client_id": cid
    }
    both = http.get(
        f"/api/v2/clients/{cid}?fields=client_id%2Capp_type&include_fields=true", headers=auth
    ).json()
    assert both == {"client_id": cid, "app_type": "non_interactive"}
    creds = http.get(f"/api/v2/clients/{cid}/credentials?include_totals=true&per_page=50", headers=auth)
    assert creds.status_code == 200 and creds.json() == []
    patched = http.patch(
        f"/api/v2/clients/{cid}", json={"token_endpoint_auth_method": "client_secret_post"}, headers=auth
    )
    assert patched.status_code == 200
    nulls = http.patch(
        f"/api/v2/clients/{cid}", json={"default_organization": None, "addons": None}, headers=auth
    )
    assert nulls.status_code == 200
    assert http.get(f"/api/v2/clients/{cid}", headers=auth).json()["client_secret"]
    deleted = http.delete(f"/api/v2/clients/{cid}", headers=auth)
    assert deleted.status_code == 204 and deleted.content == b""


def test_grant_precheck_envelope_and_create(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str], api_id: str
) -> None:
    cid = http.post("/api/v2/clients", json={"name": "g"}, headers=auth).json()["client_id"]
    query = f"audience=https%3A%2F%2Fapi.example.com&client_id={cid}&include_totals=true&per_page=50"
    assert http.get(f"/api/v2/client-grants?{query}", headers=auth).json() == {
        "client_grants": [],
        "start": 0,
        "limit": 50,
        "total": 0,
    }
    body = {
        "client_id": cid,
        "audience": API,
        "scope": ["read:x"],
        "organization_usage": "allow",
        "allow_any_organization": False,
    }
    created = http.post("/api/v2/client-grants", json=body, headers=auth)
    assert created.status_code == 201
    grant = http.get(f"/api/v2/client-grants/{created.json()['id']}", headers=auth).json()
    assert grant["scope"] == ["read:x"] and grant["allow_any_organization"] is False
    assert http.get(f"/api/v2/client-grants?{query}", headers=auth).json()["total"] == 1


def test_org_grant_listed_on_first_page_right_after_post(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str], api_id: str
) -> None:
    cid = http.post("/api/v2/clients", json={"name": "o"}, headers=auth).json()["client_id"]
    grant = http.post(
        "/api/v2/client-grants",
        json={"client_id": cid, "audience": API, "scope": [], "organization_usage": "require"},
        headers=auth,
    ).json()
    org = http.post(
        "/api/v2/organizations", json={"name": "acme", "display_name": "Acme"}, headers=auth
    ).json()
    assert (
        http.post(
            f"/api/v2/organizations/{org['id']}/client-grants", json={"grant_id": grant["id"]}, headers=auth
        ).status_code
        == 201
    )
    listed = http.get(
        f"/api/v2/organizations/{org['id']}/client-grants?include_totals=true&per_page=50", headers=auth
    ).json()
    assert listed["total"] == 1 and listed["client_grants"][0]["id"] == grant["id"]
    gone = http.delete(f"/api/v2/organizations/{org['id']}/client-grants/{grant['id']}", headers=auth)
    assert gone.status_code == 204 and gone.content == b""


def test_offset_page_past_the_end_is_empty(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str]
) -> None:
    assert http.get("/api/v2/clients?page=5&per_page=50", headers=auth).json() == []
    assert http.get("/api/v2/resource-servers?page=1&per_page=50", headers=auth).json() == []


def test_bad_per_page_is_400(tenant: TenantServer, http: httpx.Client, auth: dict[str, str]) -> None:
    response = http.get("/api/v2/clients?per_page=abc", headers=auth)
    assert response.status_code == 400 and response.json()["errorCode"] == "invalid_query_string"


def test_unknown_route_and_method(tenant: TenantServer, http: httpx.Client, auth: dict[str, str]) -> None:
    assert http.get("/api/v2/users", headers=auth).status_code == 404
    assert http.put("/api/v2/clients", headers=auth).status_code == 405


def test_invalid_json_is_400(tenant: TenantServer, http: httpx.Client, auth: dict[str, str]) -> None:
    response = http.post(
        "/api/v2/clients", content=b"{nope", headers={**auth, "Content-Type": "application/json"}
    )
    assert response.status_code == 400 and response.json()["statusCode"] == 400
