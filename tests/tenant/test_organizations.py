"""Organizations and organization client grants over HTTPS with auth0-python."""

from __future__ import annotations

import pytest
from auth0.management import BadRequestError, ConflictError, ManagementClient, NotFoundError

from .conftest import NO_RETRY

API = "https://api.example.com"


def _grant(mgmt: ManagementClient, usage: str = "allow") -> str:
    mgmt.resource_servers.create(identifier=API, scopes=[{"value": "read:x"}])
    cid = mgmt.clients.create(name="m2m", app_type="non_interactive").client_id
    return str(
        mgmt.client_grants.create(audience=API, client_id=cid, scope=["read:x"], organization_usage=usage).id
    )  # type: ignore[arg-type]


def test_organization_life_cycle(mgmt: ManagementClient) -> None:
    org = mgmt.organizations.create(name="acme", display_name="Acme", metadata={"tier": "gold"})
    assert org.id and org.id.startswith("org_")
    assert mgmt.organizations.get(org.id).display_name == "Acme"
    assert mgmt.organizations.get_by_name("acme").id == org.id
    mgmt.organizations.update(org.id, display_name="Acme Inc")
    assert mgmt.organizations.get(org.id).display_name == "Acme Inc"
    assert [o.id for o in mgmt.organizations.list()] == [org.id]
    mgmt.organizations.delete(org.id)
    with pytest.raises(NotFoundError) as exc:
        mgmt.organizations.get(org.id, request_options=NO_RETRY)
    assert exc.value.status_code == 404


@pytest.mark.parametrize("name", ["Acme", "acme corp", "a" * 51, ""])
def test_name_rules(mgmt: ManagementClient, name: str) -> None:
    with pytest.raises(BadRequestError) as exc:
        mgmt.organizations.create(name=name, request_options=NO_RETRY)
    assert exc.value.status_code == 400


def test_name_may_start_with_a_digit(mgmt: ManagementClient) -> None:
    assert mgmt.organizations.create(name="1st_team-a").name == "1st_team-a"


def test_duplicate_name_is_409(mgmt: ManagementClient) -> None:
    mgmt.organizations.create(name="acme")
    with pytest.raises(ConflictError) as exc:
        mgmt.organizations.create(name="acme", request_options=NO_RETRY)
    assert exc.value.status_code == 409


def test_organization_client_grant_life_cycle(mgmt: ManagementClient) -> None:
    grant_id = _grant(mgmt, "require")
    org = mgmt.organizations.create(name="acme")
    associated = mgmt.organizations.client_grants.create(org.id, grant_id=grant_id)
    assert associated.id == grant_id and associated.audience == API
    assert [g.id for g in mgmt.organizations.client_grants.list(org.id)] == [grant_id]
    assert [o.id for o in mgmt.client_grants.organizations.list(grant_id)] == [org.id]
    mgmt.organizations.client_grants.delete(org.id, grant_id)
    assert list(mgmt.organizations.client_grants.list(org.id)) == []


def test_only_org_enabled_grants_can_be_associated(mgmt: ManagementClient) -> None:
    grant_id = _grant(mgmt, "deny")
    org = mgmt.organizations.create(name="acme")
    with pytest.raises(BadRequestError) as exc:
        mgmt.organizations.client_grants.create(org.id, grant_id=grant_id, request_options=NO_RETRY)
    assert exc.value.status_code == 400


def test_repeated_association_is_409(mgmt: ManagementClient) -> None:
    grant_id = _grant(mgmt)
    org = mgmt.organizations.create(name="acme")
    mgmt.organizations.client_grants.create(org.id, grant_id=grant_id)
    with pytest.raises(ConflictError) as exc:
        mgmt.organizations.client_grants.create(org.id, grant_id=grant_id, request_options=NO_RETRY)
    assert exc.value.status_code == 409


def test_deleting_the_grant_removes_the_association(mgmt: ManagementClient) -> None:
    grant_id = _grant(mgmt)
    org = mgmt.organizations.create(name="acme")
    mgmt.organizations.client_grants.create(org.id, grant_id=grant_id)
    mgmt.client_grants.delete(grant_id)
    assert list(mgmt.organizations.client_grants.list(org.id)) == []
