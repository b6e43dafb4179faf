"""Clients over HTTPS with auth0-python: life cycle, fields, secret visibility, rotation, credentials."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from auth0.management import BadRequestError, ManagementClient, NotFoundError

from auth0_m2m.tenant import TenantServer

from .conftest import NO_RETRY


def test_client_life_cycle(mgmt: ManagementClient) -> None:
    created = mgmt.clients.create(
        name="billing", app_type="non_interactive", grant_types=["client_credentials"], description="d"
    )
    assert created.client_id and created.client_secret and len(created.client_secret) == 64
    assert created.token_endpoint_auth_method == "client_secret_post"
    fetched = mgmt.clients.get(created.client_id)
    assert fetched.name == "billing" and fetched.client_secret == created.client_secret
    updated = mgmt.clients.update(created.client_id, name="billing-2", client_metadata={"team": "pay"})
    assert updated.name == "billing-2" and updated.client_metadata == {"team": "pay"}
    listed = [c.client_id for c in mgmt.clients.list()]
    assert created.client_id in listed
    mgmt.clients.delete(created.client_id)
    with pytest.raises(NotFoundError) as exc:
        mgmt.clients.get(created.client_id, request_options=NO_RETRY)
    assert exc.value.status_code == 404
    assert exc.value.body["errorCode"] == "inexistent_client"


def test_spa_client_defaults_to_auth_method_none(mgmt: ManagementClient) -> None:
    created = mgmt.clients.create(name="web", app_type="spa")
    assert created.token_endpoint_auth_method == "none"


def test_fields_and_include_fields(mgmt: ManagementClient) -> None:
    cid = mgmt.clients.create(name="f", app_type="non_interactive").client_id
    only = mgmt.clients.get(cid, fields="client_id,app_type", include_fields=True)
    assert only.model_dump(exclude_none=True) == {"client_id": cid, "app_type": "non_interactive"}
    without = mgmt.clients.get(cid, fields="client_secret,name", include_fields=False)
    assert without.name is None and without.client_secret is None and without.client_id == cid


def test_rotate_secret_replaces_the_secret(mgmt: ManagementClient) -> None:
    created = mgmt.clients.create(name="rot", app_type="non_interactive")
    rotated = mgmt.clients.rotate_secret(created.client_id)
    assert rotated.client_secret and rotated.client_secret != created.client_secret
    assert mgmt.clients.get(created.client_id).client_secret == rotated.client_secret


def test_patch_sets_a_chosen_secret(mgmt: ManagementClient) -> None:
    cid = mgmt.clients.create(name="set", app_type="non_interactive").client_id
    mgmt.clients.update(cid, client_secret="a-chosen-secret-of-enough-length-0123456789")
    assert mgmt.clients.get(cid).client_secret == "a-chosen-secret-of-enough-length-0123456789"


def test_credentials_list_is_empty(mgmt: ManagementClient) -> None:
    cid = mgmt.clients.create(name="c", app_type="non_interactive").client_id
    assert mgmt.clients.credentials.list(cid) == []


def test_client_list_pages_until_empty(mgmt: ManagementClient) -> None:
    for i in range(5):
        mgmt.clients.create(name=f"p{i}", app_type="non_interactive")
    names = [c.name for c in mgmt.clients.list(per_page=2)]
    assert [n for n in names if n and n.startswith("p")] == [f"p{i}" for i in range(5)]


def test_missing_name_is_400(mgmt: ManagementClient) -> None:
    with pytest.raises(BadRequestError) as exc:
        mgmt.clients.create(name=None, request_options=NO_RETRY)  # type: ignore[arg-type]
    assert exc.value.status_code == 400
    assert "name" in exc.value.body["message"]


def test_bad_app_type_is_400(mgmt: ManagementClient) -> None:
    with pytest.raises(BadRequestError) as exc:
        mgmt.clients.create(name="x", app_type="robot", request_options=NO_RETRY)  # type: ignore[arg-type]
    assert exc.value.status_code == 400
    assert exc.value.body["errorCode"] == "invalid_body"


def test_secret_hidden_without_read_client_keys(
    tenant: TenantServer, http: httpx.Client, get_token: Callable[..., str], mgmt: ManagementClient
) -> None:
    cid = mgmt.clients.create(name="hidden", app_type="non_interactive").client_id
    limited = get_token(scope="read:clients")
    body = http.get(f"/api/v2/clients/{cid}", headers={"Authorization": f"Bearer {limited}"}).json()
    assert body["client_id"] == cid and "client_secret" not in body


def test_setting_secret_needs_update_client_keys(
    tenant: TenantServer, http: httpx.Client, get_token: Callable[..., str]
) -> None:
    token = get_token(scope="update:clients create:clients")
    headers = {"Authorization": f"Bearer {token}"}
    cid = http.post("/api/v2/clients", json={"name": "k"}, headers=headers).json()["client_id"]
    response = http.patch(f"/api/v2/clients/{cid}", json={"client_secret": "x" * 40}, headers=headers)
    assert response.status_code == 403
    assert response.json()["errorCode"] == "insufficient_scope"


def test_delete_of_missing_client_is_204(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str]
) -> None:
    response = http.delete("/api/v2/clients/doesnotexist", headers=auth)
    assert response.status_code == 204 and response.content == b""
