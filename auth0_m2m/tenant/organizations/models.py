"""Organization state, name rules and client-grant associations (no HTTP).

Rules: `name` is 1-50 of lowercase letters, digits, `_` and `-` (may start with a digit) and unique
(409); `display_name` is 1-255 characters; `metadata` holds at most 25 string values. A client grant
can be associated with an organization only when its `organization_usage` is `allow` or `require`; a
repeated association is a 409; the association is listed at once (the provider reads it right after
creating it). Deleting an organization or a grant removes the associations.
"""

from __future__ import annotations

import builtins
import re
from typing import Any

from auth0_m2m.tenant.client_grants.models import ClientGrantBackend
from auth0_m2m.tenant.core import ids
from auth0_m2m.tenant.core import validation as v
from auth0_m2m.tenant.core.store import Store
from auth0_m2m.tenant.organizations.exceptions import (
    AssociationConflict,
    GrantNotOrganizationEnabled,
    OrganizationConflict,
    OrganizationNotFound,
)

KIND = "organization"
ASSOCIATION = "organization_client_grant"
NAME_RULE = re.compile(r"^[a-z0-9_-]{1,50}$")
_SETTABLE = ("name", "display_name", "metadata", "branding", "token_quota")
_GRANT_KEYS = ("id", "client_id", "audience", "scope", "organization_usage", "allow_any_organization")


def _validate(body: dict[str, Any]) -> None:
    v.check_type(body, "name", str)
    if "name" in body and not NAME_RULE.match(body["name"]):
        raise v.payload_error(
            "name must be 1-50 lowercase letters, numbers, '_' or '-' (it may start with a number)", "name"
        )
    if body.get("display_name") is not None:
        v.check_str(body, "display_name", min_len=1, max_len=255)
    for key in ("metadata", "branding", "token_quota"):
        v.check_type(body, key, dict, nullable=True)
    metadata = body.get("metadata") or {}
    if len(metadata) > 25 or not all(
        isinstance(x, str | None) and len(x or "") <= 255 for x in metadata.values()
    ):
        raise v.payload_error(
            "metadata allows at most 25 keys with string values of up to 255 characters", "metadata"
        )


def render_grant(grant: dict[str, Any]) -> dict[str, Any]:
    """A grant as the organization client-grants endpoints return it."""
    return {k: grant[k] for k in _GRANT_KEYS if k in grant}


class OrganizationBackend:
    """CRUD for organizations and their client-grant associations."""

    def __init__(self, store: Store, client_grants: ClientGrantBackend) -> None:
        self.store = store
        self.client_grants = client_grants

    def find(self, org_id: str) -> dict[str, Any] | None:
        """An organization by id, or None."""
        return self.store.get(KIND, org_id)

    def get(self, org_id: str) -> dict[str, Any]:
        """An organization by id, or 404."""
        org = self.find(org_id)
        if org is None:
            raise OrganizationNotFound(org_id)
        return org

    def find_by_name(self, name: str) -> dict[str, Any] | None:
        """An organization by name, or None."""
        return next((o for o in self.store.list(KIND) if o["name"] == name), None)

    def get_by_name(self, name: str) -> dict[str, Any]:
        """An organization by name, or 404."""
        org = self.find_by_name(name)
        if org is None:
            raise OrganizationNotFound(name)
        return org

    def list(self) -> list[dict[str, Any]]:
        """Organizations in creation order."""
        return self.store.list(KIND)

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create an organization; 409 if the name is taken."""
        name = v.require(body, "name")
        _validate(body)
        org: dict[str, Any] = {"id": ids.organization_id()}
        org.update({k: body[k] for k in _SETTABLE if body.get(k) is not None})
        with self.store.transaction():
            if self.find_by_name(name) is not None:
                raise OrganizationConflict(name)
            self.store.put(KIND, org["id"], org)
        return org

    def update(self, org_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PATCH an organization (null removes a property; a new name must be free)."""
        v.reject_keys(body, ("id",))
        _validate(body)
        with self.store.transaction():
            org = self.get(org_id)
            if body.get("name") not in (None, org["name"]) and self.find_by_name(body["name"]) is not None:
                raise OrganizationConflict(body["name"])
            for key in _SETTABLE:
                if key not in body:
                    continue
                if body[key] is None and key != "name":
                    org.pop(key, None)
                elif body[key] is not None:
                    org[key] = body[key]
            self.store.put(KIND, org_id, org)
        return org

    def delete(self, org_id: str) -> None:
        """Delete an organization and its associations; absent ones are a no-op."""
        with self.store.transaction():
            if self.store.delete(KIND, org_id):
                for assoc in self.store.list(ASSOCIATION):
                    if assoc["organization_id"] == org_id:
                        self.store.delete(ASSOCIATION, f"{org_id}|{assoc['grant_id']}")

    def associate(self, org_id: str, grant_id: str) -> dict[str, Any]:
        """Associate a client grant (organization_usage allow/require) with an organization."""
        with self.store.transaction():
            self.get(org_id)
            grant = self.client_grants.get(grant_id)
            usage = grant.get("organization_usage", "deny")
            if usage not in ("allow", "require"):
                raise GrantNotOrganizationEnabled(usage)
            key = f"{org_id}|{grant_id}"
            if self.store.get(ASSOCIATION, key) is not None:
                raise AssociationConflict()
            self.store.put(ASSOCIATION, key, {"organization_id": org_id, "grant_id": grant_id})
        return render_grant(grant)

    def is_associated(self, org_id: str, grant_id: str) -> bool:
        """True if the grant is associated with the organization."""
        return self.store.get(ASSOCIATION, f"{org_id}|{grant_id}") is not None

    def grants_of(
        self,
        org_id: str,
        *,
        audience: str | None = None,
        client_id: str | None = None,
        grant_ids: builtins.list[str] | None = None,
    ) -> builtins.list[dict[str, Any]]:
        """The grants associated with an organization, in association order, filtered."""
        self.get(org_id)
        out = []
        for assoc in self.store.list(ASSOCIATION):
            grant = self.client_grants.find(assoc["grant_id"]) if assoc["organization_id"] == org_id else None
            if grant is None:
                continue
            if audience is not None and grant["audience"] != audience:
                continue
            if client_id is not None and grant.get("client_id") != client_id:
                continue
            if grant_ids and grant["id"] not in grant_ids:
                continue
            out.append(render_grant(grant))
        return out

    def dissociate(self, org_id: str, grant_id: str) -> None:
        """Remove an association; absent ones are a no-op."""
        self.get(org_id)
        self.store.delete(ASSOCIATION, f"{org_id}|{grant_id}")

    def organizations_of_grant(self, grant_id: str) -> builtins.list[dict[str, Any]]:
        """The organizations a grant is associated with."""
        self.client_grants.get(grant_id)
        orgs = []
        for assoc in self.store.list(ASSOCIATION):
            if assoc["grant_id"] == grant_id:
                org = self.find(assoc["organization_id"])
                if org is not None:
                    orgs.append(org)
        return orgs

    def delete_for_grant(self, grant: dict[str, Any]) -> None:
        """Hook: a deleted grant loses its associations."""
        for assoc in self.store.list(ASSOCIATION):
            if assoc["grant_id"] == grant["id"]:
                self.store.delete(ASSOCIATION, f"{assoc['organization_id']}|{grant['id']}")
