"""Client grants over HTTPS with auth0-python: life cycle, filters, checkpoint paging, 404/409 rules."""

from __future__ import annotations

import pytest
from auth0.management import BadRequestError, ConflictError, ManagementClient, NotFoundError

from .conftest import NO_RETRY

API = "https://api.example.com"


@pytest.fixture
def client_id(mgmt: ManagementClient) -> str:
    mgmt.resource_servers.create(identifier=API, scopes=[{"value": "read:x"}, {"value": "write:x"}])
    return str(mgmt.clients.create(name="m2m", app_type="non_interactive").client_id)


def test_grant_life_cycle(mgmt: ManagementClient, client_id: str) -> None:
    grant = mgmt.client_grants.create(audience=API, client_id=client_id, scope=["read:x"])
    assert grant.id and grant.id.startswith("cgr_") and grant.scope == ["read:x"]
    fetched = mgmt.client_grants.get(grant.id)
    assert fetched.client_id == client_id and fetched.audience == API and fetched.subject_type == "client"
    mgmt.client_grants.update(grant.id, scope=["read:x", "write:x"], organization_usage="allow")
    updated = mgmt.client_grants.get(grant.id)
    assert updated.scope == ["read:x", "write:x"] and updated.organization_usage == "allow"
    mgmt.client_grants.delete(grant.id)
    with pytest.raises(NotFoundError) as exc:
        mgmt.client_grants.get(grant.id, request_options=NO_RETRY)
    assert exc.value.status_code == 404


def test_list_filters_by_audience_and_client(mgmt: ManagementClient, client_id: str) -> None:
    grant = mgmt.client_grants.create(audience=API, client_id=client_id, scope=["read:x"])
    found = list(mgmt.client_grants.list(audience=API, client_id=client_id))
    assert [g.id for g in found] == [grant.id]
    assert list(mgmt.client_grants.list(audience="https://nothing", client_id=client_id)) == []


def test_checkpoint_paging_follows_next(mgmt: ManagementClient, client_id: str) -> None:
    ids = []
    for i in range(3):
        mgmt.resource_servers.create(identifier=f"https://api{i}.example.com")
        ids.append(mgmt.client_grants.create(audience=f"https://api{i}.example.com", client_id=client_id).id)
    pager = mgmt.client_grants.list(client_id=client_id, take=2)
    assert [g.id for g in pager] == ids


def test_duplicate_grant_is_409(mgmt: ManagementClient, client_id: str) -> None:
    mgmt.client_grants.create(audience=API, client_id=client_id, scope=["read:x"])
    with pytest.raises(ConflictError) as exc:
        mgmt.client_grants.create(audience=API, client_id=client_id, scope=[], request_options=NO_RETRY)
    assert exc.value.status_code == 409
    assert exc.value.body["errorCode"] == "client_grant_conflict"


def test_user_subject_type_is_a_separate_grant(mgmt: ManagementClient, client_id: str) -> None:
    mgmt.client_grants.create(audience=API, client_id=client_id, scope=["read:x"])
    user_grant = mgmt.client_grants.create(audience=API, client_id=client_id, scope=[], subject_type="user")
    assert user_grant.subject_type == "user"


def test_unknown_audience_is_404(mgmt: ManagementClient, client_id: str) -> None:
    with pytest.raises(NotFoundError) as exc:
        mgmt.client_grants.create(audience="https://nope", client_id=client_id, request_options=NO_RETRY)
    assert exc.value.status_code == 404


def test_unknown_client_is_404(mgmt: ManagementClient, client_id: str) -> None:
    with pytest.raises(NotFoundError) as exc:
        mgmt.client_grants.create(audience=API, client_id="nobody", request_options=NO_RETRY)
    assert exc.value.body["errorCode"] == "inexistent_client"


def test_bad_organization_usage_is_400(mgmt: ManagementClient, client_id: str) -> None:
    with pytest.raises(BadRequestError) as exc:
        mgmt.client_grants.create(
            audience=API,
            client_id=client_id,
            organization_usage="sometimes",  # type: ignore[arg-type]
            request_options=NO_RETRY,
        )
    assert exc.value.status_code == 400


def test_deleting_the_client_deletes_its_grants(mgmt: ManagementClient, client_id: str) -> None:
    grant = mgmt.client_grants.create(audience=API, client_id=client_id, scope=["read:x"])
    mgmt.clients.delete(client_id)
    with pytest.raises(NotFoundError):
        mgmt.client_grants.get(grant.id, request_options=NO_RETRY)
