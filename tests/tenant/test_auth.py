"""The Management API's guard: 401 for missing/bad/expired/wrong-audience/foreign tokens, 403 for scopes."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import jwt
import pytest
from auth0.management import ForbiddenError, ManagementClient, UnauthorizedError
from cryptography.hazmat.primitives.asymmetric import rsa

from auth0_m2m.tenant import TenantServer

from .conftest import NO_RETRY


def _forged(tenant: TenantServer, **overrides: object) -> str:
    """A token with this tenant's claims, signed by a key the tenant never saw."""
    now = int(time.time())
    claims = {
        "iss": f"{tenant.base_url}/",
        "aud": tenant.management_audience,
        "iat": now,
        "exp": now + 60,
        "scope": "read:clients",
        **overrides,
    }
    return jwt.encode(
        claims, rsa.generate_private_key(public_exponent=65537, key_size=2048), algorithm="RS256"
    )


def test_missing_token_is_401(tenant: TenantServer, http: httpx.Client) -> None:
    response = http.get("/api/v2/clients")
    assert response.status_code == 401
    assert response.json() == {
        "statusCode": 401,
        "error": "Unauthorized",
        "message": "Missing authentication",
    }


def test_garbage_token_is_401(tenant: TenantServer) -> None:
    with httpx.Client(verify=tenant.ssl_context()) as client:
        mgmt = ManagementClient(domain=tenant.domain, token="not-a-jwt", httpx_client=client)
        with pytest.raises(UnauthorizedError) as exc:
            mgmt.clients.list(request_options=NO_RETRY)
    assert exc.value.status_code == 401


def test_foreign_key_token_is_401(tenant: TenantServer, http: httpx.Client) -> None:
    response = http.get("/api/v2/clients", headers={"Authorization": f"Bearer {_forged(tenant)}"})
    assert response.status_code == 401 and response.json()["message"] == "Invalid token"


def test_expired_token_is_401(tenant: TenantServer, http: httpx.Client) -> None:
    now = int(time.time())
    claims = {
        "iss": f"{tenant.base_url}/",
        "aud": tenant.management_audience,
        "iat": now - 100,
        "exp": now - 50,
    }
    token = tenant.tenant.signing_key.sign(claims)
    response = http.get("/api/v2/clients", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and "Expired" in response.json()["message"]


def test_wrong_audience_token_is_401(
    tenant: TenantServer, http: httpx.Client, mgmt: ManagementClient, get_token: Callable[..., str]
) -> None:
    mgmt.resource_servers.create(identifier="https://api.example.com")
    cid = tenant.bootstrap_client_id
    mgmt.client_grants.create(audience="https://api.example.com", client_id=cid, scope=[])
    other = get_token("https://api.example.com")
    response = http.get("/api/v2/clients", headers={"Authorization": f"Bearer {other}"})
    assert response.status_code == 401 and "audience" in response.json()["message"]


def test_missing_scope_is_403(tenant: TenantServer, get_token: Callable[..., str]) -> None:
    with httpx.Client(verify=tenant.ssl_context()) as client:
        mgmt = ManagementClient(
            domain=tenant.domain, token=get_token(scope="read:clients"), httpx_client=client
        )
        with pytest.raises(ForbiddenError) as exc:
            mgmt.organizations.create(name="acme", request_options=NO_RETRY)
    assert exc.value.status_code == 403
    assert exc.value.body["errorCode"] == "insufficient_scope"
    assert exc.value.body["message"] == "Insufficient scope, expected any of: create:organizations"
