"""The token endpoint over HTTPS: GetToken (JSON), the provider's form + Basic, claims, JWKS, failures."""

from __future__ import annotations

import base64
from collections.abc import Callable
from urllib.parse import quote

import httpx
import jwt
import pytest
from auth0.authentication import GetToken
from auth0.authentication.exceptions import Auth0Error
from auth0.management import ManagementClient

from auth0_m2m.tenant import TenantServer

API = "https://api.example.com"


@pytest.fixture
def m2m(mgmt: ManagementClient) -> dict[str, str]:
    """An API with two scopes and a client granted one of them (organization_usage allow)."""
    mgmt.resource_servers.create(identifier=API, scopes=[{"value": "read:x"}, {"value": "write:x"}])
    client = mgmt.clients.create(name="m2m", app_type="non_interactive", grant_types=["client_credentials"])
    grant = mgmt.client_grants.create(
        audience=API, client_id=client.client_id, scope=["read:x"], organization_usage="allow"
    )
    return {
        "client_id": str(client.client_id),
        "client_secret": str(client.client_secret),
        "grant_id": str(grant.id),
    }


@pytest.fixture
def ca_bundle(tenant: TenantServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """GetToken goes through `requests`, which trusts REQUESTS_CA_BUNDLE only."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tenant.ca_file))


def _claims(tenant: TenantServer, token: str, audience: str) -> dict[str, object]:
    jwks = httpx.get(f"{tenant.base_url}/.well-known/jwks.json", verify=tenant.ssl_context()).json()
    key = jwt.PyJWKSet.from_dict(jwks).keys[0]
    return dict(
        jwt.decode(token, key.key, algorithms=["RS256"], audience=audience, issuer=f"{tenant.base_url}/")
    )


def test_get_token_json_body(tenant: TenantServer, m2m: dict[str, str], ca_bundle: None) -> None:
    result = GetToken(tenant.domain, m2m["client_id"], client_secret=m2m["client_secret"]).client_credentials(
        API
    )
    assert result["token_type"] == "Bearer" and result["expires_in"] == 86400
    claims = _claims(tenant, result["access_token"], API)
    assert claims["scope"] == "read:x" and claims["sub"] == f"{m2m['client_id']}@clients"
    assert "org_id" not in claims


def test_provider_form_with_basic_auth(tenant: TenantServer, http: httpx.Client) -> None:
    secret = tenant.bootstrap_client_secret.get_secret_value()
    pair = f"{quote(tenant.bootstrap_client_id, safe='')}:{quote(secret, safe='')}"
    response = http.post(
        "/oauth/token",
        content=f"audience={quote(tenant.management_audience, safe='')}&grant_type=client_credentials",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": "Basic " + base64.b64encode(pair.encode()).decode(),
        },
    )
    assert response.status_code == 200
    assert (
        "read:clients"
        in _claims(tenant, response.json()["access_token"], tenant.management_audience)["scope"]
    )  # type: ignore[operator]


def test_wrong_secret_is_401(tenant: TenantServer, http: httpx.Client, m2m: dict[str, str]) -> None:
    response = http.post(
        "/oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": m2m["client_id"],
            "client_secret": "nope",
            "audience": API,
        },
    )
    assert response.status_code == 401
    assert response.json() == {"error": "access_denied", "error_description": "Unauthorized"}


def test_missing_audience_is_403(tenant: TenantServer, m2m: dict[str, str], ca_bundle: None) -> None:
    with pytest.raises(Auth0Error) as exc:
        GetToken(tenant.domain, m2m["client_id"], client_secret=m2m["client_secret"]).client_credentials("")
    assert exc.value.status_code == 403 and exc.value.error_code == "access_denied"


def test_no_grant_for_audience_is_403(tenant: TenantServer, http: httpx.Client, m2m: dict[str, str]) -> None:
    body = {"grant_type": "client_credentials", **{k: m2m[k] for k in ("client_id", "client_secret")}}
    response = http.post("/oauth/token", json={**body, "audience": tenant.management_audience})
    assert response.status_code == 403
    assert "client-grant" in response.json()["error_description"]


def test_unknown_audience_is_403(tenant: TenantServer, http: httpx.Client, m2m: dict[str, str]) -> None:
    body = {"grant_type": "client_credentials", **{k: m2m[k] for k in ("client_id", "client_secret")}}
    response = http.post("/oauth/token", json={**body, "audience": "https://unknown"})
    assert response.status_code == 403
    assert response.json()["error_description"] == "Service not found: https://unknown"


def test_ungranted_scope_is_refused(tenant: TenantServer, http: httpx.Client, m2m: dict[str, str]) -> None:
    body = {"grant_type": "client_credentials", "audience": API, "scope": "write:x"}
    response = http.post("/oauth/token", data={**body, **{k: m2m[k] for k in ("client_id", "client_secret")}})
    assert response.status_code == 403
    assert response.json()["error_description"] == "Client has not been granted scopes: write:x"


def test_unsupported_grant_type_is_400(tenant: TenantServer, http: httpx.Client, m2m: dict[str, str]) -> None:
    response = http.post("/oauth/token", data={"grant_type": "password", "client_id": m2m["client_id"]})
    assert response.status_code == 400 and response.json()["error"] == "unsupported_grant_type"


def test_old_secret_fails_after_rotation(
    tenant: TenantServer, http: httpx.Client, mgmt: ManagementClient, m2m: dict[str, str]
) -> None:
    mgmt.clients.rotate_secret(m2m["client_id"])
    body = {
        "grant_type": "client_credentials",
        "audience": API,
        **{k: m2m[k] for k in ("client_id", "client_secret")},
    }
    assert http.post("/oauth/token", json=body).status_code == 401


@pytest.mark.parametrize("ref", ["id", "name"])
def test_organization_by_id_or_name_sets_claims(
    tenant: TenantServer, mgmt: ManagementClient, m2m: dict[str, str], ca_bundle: None, ref: str
) -> None:
    org = mgmt.organizations.create(name="acme")
    mgmt.organizations.client_grants.create(org.id, grant_id=m2m["grant_id"])
    organization = org.id if ref == "id" else "acme"
    gt = GetToken(tenant.domain, m2m["client_id"], client_secret=m2m["client_secret"])
    claims = _claims(tenant, gt.client_credentials(API, organization=organization)["access_token"], API)
    assert claims["org_id"] == org.id and claims["org_name"] == "acme"


def test_unassociated_organization_is_403(
    tenant: TenantServer, http: httpx.Client, mgmt: ManagementClient, m2m: dict[str, str]
) -> None:
    mgmt.organizations.create(name="acme")
    body = {"grant_type": "client_credentials", "audience": API, "organization": "acme"}
    response = http.post("/oauth/token", json={**body, **{k: m2m[k] for k in ("client_id", "client_secret")}})
    assert response.status_code == 403 and response.json()["error"] == "access_denied"


def test_allow_any_organization_skips_association(
    tenant: TenantServer, http: httpx.Client, mgmt: ManagementClient, m2m: dict[str, str]
) -> None:
    mgmt.client_grants.update(m2m["grant_id"], allow_any_organization=True)
    org = mgmt.organizations.create(name="acme")
    body = {"grant_type": "client_credentials", "audience": API, "organization": org.id}
    response = http.post("/oauth/token", json={**body, **{k: m2m[k] for k in ("client_id", "client_secret")}})
    assert response.status_code == 200


def test_required_organization_must_be_sent(
    tenant: TenantServer, http: httpx.Client, mgmt: ManagementClient, m2m: dict[str, str]
) -> None:
    mgmt.client_grants.update(m2m["grant_id"], organization_usage="require")
    body = {"grant_type": "client_credentials", "audience": API, "organization": None}
    response = http.post("/oauth/token", json={**body, **{k: m2m[k] for k in ("client_id", "client_secret")}})
    assert response.status_code == 403 and "require" in response.json()["error_description"]


def test_organization_refused_when_usage_is_deny(
    tenant: TenantServer, http: httpx.Client, mgmt: ManagementClient, m2m: dict[str, str]
) -> None:
    mgmt.client_grants.update(m2m["grant_id"], organization_usage="deny")
    org = mgmt.organizations.create(name="acme")
    body = {"grant_type": "client_credentials", "audience": API, "organization": org.id}
    response = http.post("/oauth/token", json={**body, **{k: m2m[k] for k in ("client_id", "client_secret")}})
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_openid_configuration_points_at_this_tenant(tenant: TenantServer, http: httpx.Client) -> None:
    config = http.get("/.well-known/openid-configuration").json()
    assert config["issuer"] == f"{tenant.base_url}/"
    assert config["token_endpoint"] == f"{tenant.base_url}/oauth/token"
    assert http.get(config["jwks_uri"].removeprefix(tenant.base_url)).json()["keys"][0]["alg"] == "RS256"


def test_token_requests_are_counted(
    tenant: TenantServer, http: httpx.Client, get_token: Callable[..., str]
) -> None:
    get_token()
    stats = http.get("/__tenant/stats").json()
    assert stats["token_requests"]["by_status"]["200"] >= 1 and stats["writes"] == 0
