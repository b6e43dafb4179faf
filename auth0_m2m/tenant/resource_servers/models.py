"""Resource-server state and rules (no HTTP).

Rules: `identifier` is required, unique and immutable (it is the token audience); a new API has no
scopes unless the create call sends some; PATCH `scopes` replaces the whole list; the system
"Auth0 Management API" (identifier `https://{domain}/api/v2/`) always exists and cannot be changed or
deleted. Lookups accept the id or the identifier. Deleting an API deletes the client grants for it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from auth0_m2m.tenant.core import ids
from auth0_m2m.tenant.core import validation as v
from auth0_m2m.tenant.core.store import Store
from auth0_m2m.tenant.resource_servers.exceptions import (
    ResourceServerConflict,
    ResourceServerNotFound,
    SystemResourceServer,
)

KIND = "resource_server"

#: Management API scopes this tenant knows, with Auth0's descriptions.
MANAGEMENT_API_SCOPES: dict[str, str] = {
    f"{verb}:{noun}": f"{verb.capitalize()} {noun.replace('_', ' ')}"
    for noun in ("clients", "client_grants", "resource_servers", "organizations", "client_credentials")
    for verb in ("read", "create", "update", "delete")
} | {
    "read:client_keys": "Read client keys",
    "update:client_keys": "Update client keys",
    "read:organization_client_grants": "Read organization client grants",
    "create:organization_client_grants": "Create organization client grants",
    "delete:organization_client_grants": "Delete organization client grants",
}

_SIGNING_ALGS = ("HS256", "RS256", "RS512", "PS256")
_DIALECTS = ("access_token", "access_token_authz", "rfc9068_profile", "rfc9068_profile_authz")
#: Properties a create/update may set (the spec's request schema); anything else is accepted and ignored.
_SETTABLE = (
    "name",
    "scopes",
    "signing_alg",
    "signing_secret",
    "token_lifetime",
    "token_lifetime_for_web",
    "allow_offline_access",
    "allow_online_access",
    "skip_consent_for_verifiable_first_party_clients",
    "token_dialect",
    "enforce_policies",
    "consent_policy",
    "authorization_details",
    "token_encryption",
    "proof_of_possession",
    "subject_type_authorization",
    "authorization_policy",
)


def _validate(body: dict[str, Any]) -> None:
    v.check_str(body, "name", max_len=200)
    if "<" in body.get("name", "") or ">" in body.get("name", ""):
        raise v.payload_error("String does not match pattern ^[^<>]+$", "name")
    v.check_enum(body, "signing_alg", _SIGNING_ALGS)
    v.check_enum(body, "token_dialect", _DIALECTS)
    for key in ("token_lifetime", "token_lifetime_for_web"):
        v.check_type(body, key, int)
        if key in body and not 0 <= body[key] <= 2_592_000:
            raise v.payload_error("Value must be between 0 and 2592000", key)
    for key in (
        "allow_offline_access",
        "skip_consent_for_verifiable_first_party_clients",
        "enforce_policies",
    ):
        v.check_type(body, key, bool)
    v.check_type(body, "scopes", list)
    for scope in body.get("scopes") or []:
        if not isinstance(scope, dict) or not isinstance(scope.get("value"), str) or not scope["value"]:
            raise v.payload_error("Every scope needs a non-empty string 'value'", "scopes")
        if not isinstance(scope.get("description", ""), str):
            raise v.payload_error("Expected type string for scope description", "scopes")


def _clean_scopes(scopes: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{k: s[k] for k in ("value", "description") if k in s} for s in scopes]


class ResourceServerBackend:
    """CRUD and rules for resource servers."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.on_delete: list[Callable[[dict[str, Any]], None]] = []

    def find(self, id_or_identifier: str) -> dict[str, Any] | None:
        """A resource server by id, else by identifier."""
        found = self.store.get(KIND, id_or_identifier)
        if found is not None:
            return found
        for rs in self.store.list(KIND):
            if rs["identifier"] == id_or_identifier:
                return rs
        return None

    def get(self, id_or_identifier: str) -> dict[str, Any]:
        """A resource server, or 404."""
        rs = self.find(id_or_identifier)
        if rs is None:
            raise ResourceServerNotFound(id_or_identifier)
        return rs

    def list(self, identifiers: list[str] | None = None) -> list[dict[str, Any]]:
        """All resource servers (system first), optionally only these identifiers."""
        items = self.store.list(KIND)
        if identifiers:
            items = [rs for rs in items if rs["identifier"] in identifiers]
        return items

    def create(self, body: dict[str, Any], *, is_system: bool = False) -> dict[str, Any]:
        """Create an API; 409 if the identifier is taken."""
        identifier = v.require(body, "identifier")
        v.check_str(body, "identifier", min_len=1, max_len=600)
        _validate(body)
        rs: dict[str, Any] = {
            "id": ids.resource_server_id(),
            "identifier": identifier,
            "name": body.get("name", identifier),
            "is_system": is_system,
            "scopes": [],
            "signing_alg": "RS256",
            "signing_secret": secrets.token_urlsafe(24),
            "token_lifetime": 86400,
            "token_lifetime_for_web": 7200,
            "allow_offline_access": False,
            "skip_consent_for_verifiable_first_party_clients": False,
            "enforce_policies": False,
            "token_dialect": "access_token",
        }
        rs.update({k: body[k] for k in _SETTABLE if k in body and body[k] is not None})
        rs["scopes"] = _clean_scopes(rs["scopes"])
        with self.store.transaction():
            if self.find(identifier) is not None:
                raise ResourceServerConflict(identifier)
            self.store.put(KIND, rs["id"], rs)
        return rs

    def update(self, id_or_identifier: str, body: dict[str, Any]) -> dict[str, Any]:
        """Change settable fields; `scopes` replaces the list; `identifier` may not be sent."""
        v.reject_keys(body, ("identifier", "id", "is_system"))
        _validate(body)
        with self.store.transaction():
            rs = self.get(id_or_identifier)
            if rs.get("is_system"):
                raise SystemResourceServer()
            for key in _SETTABLE:
                if key in body:
                    if body[key] is None:
                        rs.pop(key, None)
                    else:
                        rs[key] = body[key]
            rs["scopes"] = _clean_scopes(rs.get("scopes") or [])
            self.store.put(KIND, rs["id"], rs)
        return rs

    def delete(self, id_or_identifier: str) -> None:
        """Delete an API (and, through `on_delete`, its grants); absent ones are a no-op like Auth0."""
        with self.store.transaction():
            rs = self.find(id_or_identifier)
            if rs is None:
                return
            if rs.get("is_system"):
                raise SystemResourceServer()
            self.store.delete(KIND, rs["id"])
            for hook in self.on_delete:
                hook(rs)

    def system_identifier(self) -> str | None:
        """The identifier of the Management API resource server."""
        system = next((rs for rs in self.store.list(KIND) if rs.get("is_system")), None)
        return None if system is None else str(system["identifier"])

    def ensure_system(self, identifier: str) -> dict[str, Any]:
        """Create the Management API resource server, or move it to a new identifier (domain change)."""
        with self.store.transaction():
            system = next((rs for rs in self.store.list(KIND) if rs.get("is_system")), None)
            scopes = [{"value": k, "description": d} for k, d in MANAGEMENT_API_SCOPES.items()]
            if system is None:
                return self.create(
                    {"identifier": identifier, "name": "Auth0 Management API", "scopes": scopes},
                    is_system=True,
                )
            system["identifier"] = identifier
            system["scopes"] = scopes
            self.store.put(KIND, system["id"], system)
            return system
