"""Client-grant state and rules (no HTTP).

Rules: `audience` must be an existing API identifier and `client_id` an existing client (404
otherwise); one grant per (client_id, audience, subject_type) with `subject_type` defaulting to
`client` (409 on a duplicate); the JSON key is `scope` (a list); `client_id`, `audience` and
`subject_type` are immutable; `organization_usage` (deny|allow|require, deny when absent) and
`allow_any_organization` are stored only when sent; `allow_all_scopes` may not be sent for the system
Management API. Deleting a grant removes its organization associations (`on_delete`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from auth0_m2m.tenant.client_grants.exceptions import (
    AudienceNotFound,
    ClientGrantConflict,
    ClientGrantNotFound,
)
from auth0_m2m.tenant.clients.models import ClientBackend
from auth0_m2m.tenant.core import ids
from auth0_m2m.tenant.core import validation as v
from auth0_m2m.tenant.core.store import Store
from auth0_m2m.tenant.resource_servers.models import ResourceServerBackend

KIND = "client_grant"
ORG_USAGES = ("deny", "allow", "require")
_OPTIONAL = (
    "organization_usage",
    "allow_any_organization",
    "allow_all_scopes",
    "authorization_details_types",
)


def _validate(body: dict[str, Any]) -> None:
    v.check_str_list(body, "scope")
    v.check_enum(body, "organization_usage", ORG_USAGES, nullable=True)
    v.check_type(body, "allow_any_organization", bool, nullable=True)
    v.check_type(body, "allow_all_scopes", bool, nullable=True)
    v.check_str_list(body, "authorization_details_types")
    v.check_enum(body, "subject_type", ("client", "user"))
    v.check_enum(body, "default_for", ("third_party_clients",))


class ClientGrantBackend:
    """CRUD and rules for client grants."""

    def __init__(self, store: Store, clients: ClientBackend, resource_servers: ResourceServerBackend) -> None:
        self.store = store
        self.clients = clients
        self.resource_servers = resource_servers
        self.on_delete: list[Callable[[dict[str, Any]], None]] = []

    def find(self, grant_id: str) -> dict[str, Any] | None:
        """A grant, or None."""
        return self.store.get(KIND, grant_id)

    def get(self, grant_id: str) -> dict[str, Any]:
        """A grant, or 404."""
        grant = self.find(grant_id)
        if grant is None:
            raise ClientGrantNotFound(grant_id)
        return grant

    def list(
        self,
        *,
        audience: str | None = None,
        client_id: str | None = None,
        allow_any_organization: bool | None = None,
        subject_type: str | None = None,
    ) -> list[dict[str, Any]]:
        """Grants in creation order, filtered like `GET /client-grants`."""
        items = self.store.list(KIND)
        if audience is not None:
            items = [g for g in items if g["audience"] == audience]
        if client_id is not None:
            items = [g for g in items if g.get("client_id") == client_id]
        if allow_any_organization is not None:
            items = [g for g in items if bool(g.get("allow_any_organization")) is allow_any_organization]
        if subject_type is not None:
            items = [g for g in items if g.get("subject_type", "client") == subject_type]
        return items

    def find_for(self, client_id: str, audience: str, subject_type: str = "client") -> dict[str, Any] | None:
        """The grant of a client for an audience, if any."""
        return next(iter(self.list(client_id=client_id, audience=audience, subject_type=subject_type)), None)

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a grant; 404 for an unknown client or audience, 409 for a duplicate."""
        audience = v.require(body, "audience")
        v.check_str(body, "audience", min_len=1)
        if "default_for" not in body:
            v.require(body, "client_id")
        v.check_type(body, "client_id", str)
        _validate(body)
        with self.store.transaction():
            rs = self.resource_servers.find(audience)
            if rs is None or rs["identifier"] != audience:
                raise AudienceNotFound(audience)
            if "allow_all_scopes" in body and rs.get("is_system"):
                raise v.payload_error("allow_all_scopes cannot be provided when audience is a system API")
            client_id = body.get("client_id")
            if client_id is not None:
                self.clients.get(client_id)
            subject_type = body.get("subject_type", "client")
            if client_id is not None and self.find_for(client_id, audience, subject_type) is not None:
                raise ClientGrantConflict()
            grant: dict[str, Any] = {
                "id": ids.grant_id(),
                "audience": audience,
                "scope": list(body.get("scope") or []),
                "subject_type": subject_type,
                "is_system": False,
            }
            if client_id is not None:
                grant["client_id"] = client_id
            if "default_for" in body:
                grant["default_for"] = body["default_for"]
            grant.update({k: body[k] for k in _OPTIONAL if body.get(k) is not None})
            self.store.put(KIND, grant["id"], grant)
        return grant

    def update(self, grant_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PATCH `scope`, `organization_usage`, `allow_any_organization`, … (null removes)."""
        v.reject_keys(body, ("client_id", "audience", "subject_type", "id", "is_system", "default_for"))
        _validate(body)
        with self.store.transaction():
            grant = self.get(grant_id)
            if "allow_all_scopes" in body and grant["audience"] == self.resource_servers.system_identifier():
                raise v.payload_error("allow_all_scopes cannot be provided when audience is a system API")
            for key in ("scope", *_OPTIONAL):
                if key not in body:
                    continue
                if body[key] is None and key == "scope":
                    grant["scope"] = []
                elif body[key] is None:
                    grant.pop(key, None)
                else:
                    grant[key] = body[key]
            self.store.put(KIND, grant_id, grant)
        return grant

    def delete(self, grant_id: str) -> None:
        """Delete a grant and its organization associations; absent grants are a no-op."""
        with self.store.transaction():
            grant = self.find(grant_id)
            if grant is None:
                return
            self.store.delete(KIND, grant_id)
            for hook in self.on_delete:
                hook(grant)

    def delete_for_client(self, client: dict[str, Any]) -> None:
        """Hook: a deleted client takes its grants with it."""
        for grant in self.list(client_id=client["client_id"]):
            self.delete(grant["id"])

    def delete_for_resource_server(self, rs: dict[str, Any]) -> None:
        """Hook: a deleted API takes its grants with it."""
        for grant in self.list(audience=rs["identifier"]):
            self.delete(grant["id"])

    def move_audience(self, old: str, new: str) -> None:
        """Re-point grants when the Management API identifier changes (tenant served on a new port)."""
        with self.store.transaction():
            for grant in self.list(audience=old):
                grant["audience"] = new
                self.store.put(KIND, grant["id"], grant)
