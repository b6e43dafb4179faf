"""Client (application) state and rules (no HTTP).

Rules: `name` is required; `client_id` and a 64-character `client_secret` are generated (Auth0 keeps
one secret per client; `rotate-secret` or PATCH `client_secret` replaces it at once, so the old one
stops working); `token_endpoint_auth_method` defaults to `none` for `spa`/`native` and
`client_secret_post` otherwise; a PATCH property set to null removes it (the provider's null-field
PATCH) and `client_metadata` merges key by key; `client_id` is read-only. Deleting a client deletes
its grants and credentials. `client_authentication_methods` (PATCH only) lists the client's
private-key credentials (`credentials.py` holds them and their rules); a client that has it must have
a null `token_endpoint_auth_method`, and a PATCH may not leave both null (`_check_auth_method_pair`).
"""

from __future__ import annotations

import builtins
import hmac
from collections.abc import Callable
from typing import Any

from auth0_m2m.tenant.clients.credentials import CredentialBackend
from auth0_m2m.tenant.clients.credentials import render as render_credential
from auth0_m2m.tenant.clients.exceptions import ClientNotFound
from auth0_m2m.tenant.core import ids
from auth0_m2m.tenant.core import validation as v
from auth0_m2m.tenant.core.store import Store

KIND = "client"
APP_TYPES = (
    "native",
    "spa",
    "regular_web",
    "non_interactive",
    "resource_server",
    "express_configuration",
    "sso_integration",
)
AUTH_METHODS = ("none", "client_secret_post", "client_secret_basic")
_PUBLIC_APP_TYPES = ("spa", "native")
_READ_ONLY = ("client_id", "tenant", "global", "signing_keys")
_LIST_FIELDS = (
    "callbacks",
    "allowed_origins",
    "web_origins",
    "allowed_logout_urls",
    "grant_types",
    "allowed_clients",
    "client_aliases",
    "organization_discovery_methods",
)
_BOOL_FIELDS = (
    "is_first_party",
    "oidc_conformant",
    "sso",
    "sso_disabled",
    "cross_origin_authentication",
    "custom_login_page_on",
    "is_token_endpoint_ip_header_trusted",
)
_OBJECT_FIELDS = (
    "jwt_configuration",
    "refresh_token",
    "addons",
    "default_organization",
    "native_social_login",
)


def _validate(body: dict[str, Any]) -> None:
    v.check_str(body, "name", min_len=1, max_len=255)
    v.check_str(body, "description", max_len=140)
    v.check_enum(body, "app_type", APP_TYPES, nullable=True)
    v.check_enum(body, "token_endpoint_auth_method", AUTH_METHODS, nullable=True)
    v.check_enum(body, "organization_usage", ("deny", "allow", "require"), nullable=True)
    v.check_enum(
        body,
        "organization_require_behavior",
        ("no_prompt", "pre_login_prompt", "post_login_prompt"),
        nullable=True,
    )
    for key in _LIST_FIELDS:
        if body.get(key) is not None:
            v.check_str_list(body, key)
    for key in _BOOL_FIELDS:
        v.check_type(body, key, bool, nullable=True)
    for key in (*_OBJECT_FIELDS, "client_metadata"):
        v.check_type(body, key, dict, nullable=True)
    metadata = body.get("client_metadata") or {}
    if len(metadata) > 10 or not all(isinstance(x, str | None) for x in metadata.values()):
        raise v.payload_error("client_metadata allows at most 10 keys with string values", "client_metadata")
    if "client_secret" in body:
        v.check_str(body, "client_secret", min_len=1, max_len=512)


def _check_auth_method_pair(client: dict[str, Any], body: dict[str, Any]) -> None:
    """Exactly one of `token_endpoint_auth_method` and `client_authentication_methods` after a PATCH
    that touches them: the provider nulls the first when it attaches credentials, and upstream's
    detach sets a default method because "the API doesn't accept nil on both"."""
    if client.get("client_authentication_methods") and client.get("token_endpoint_auth_method"):
        raise v.payload_error(
            "token_endpoint_auth_method must be null when client_authentication_methods is set",
            "token_endpoint_auth_method",
        )
    touched = "client_authentication_methods" in body or "token_endpoint_auth_method" in body
    if (
        touched
        and not client.get("client_authentication_methods")
        and not client.get("token_endpoint_auth_method")
    ):
        raise v.payload_error(
            "token_endpoint_auth_method and client_authentication_methods cannot both be null",
            "token_endpoint_auth_method",
        )


def _default_grant_types(app_type: str | None) -> list[str]:
    base = ["authorization_code", "implicit", "refresh_token"]
    return base if app_type in _PUBLIC_APP_TYPES else [*base, "client_credentials"]


def render(
    client: dict[str, Any], *, show_secret: bool, fields: list[str] | None = None, include_fields: bool = True
) -> dict[str, Any]:
    """The client as the API returns it: secret only for callers allowed to see it, `fields` applied."""
    out = dict(client)
    if not show_secret:
        out.pop("client_secret", None)
    if fields:
        out = {k: val for k, val in out.items() if (k in fields) == include_fields}
    return out


class ClientBackend:
    """CRUD, secret rotation and authentication for clients."""

    def __init__(self, store: Store, tenant_name: str = "local") -> None:
        self.store = store
        self.tenant_name = tenant_name
        self.credential_backend = CredentialBackend(store)
        self.on_delete: list[Callable[[dict[str, Any]], None]] = [self.credential_backend.delete_for_client]

    def find(self, client_id: str) -> dict[str, Any] | None:
        """A client, or None."""
        return self.store.get(KIND, client_id)

    def get(self, client_id: str) -> dict[str, Any]:
        """A client, or 404."""
        client = self.find(client_id)
        if client is None:
            raise ClientNotFound(client_id)
        return client

    def list(
        self,
        *,
        app_types: list[str] | None = None,
        is_first_party: bool | None = None,
        is_global: bool | None = None,
    ) -> list[dict[str, Any]]:
        """Clients in creation order, filtered like `GET /clients`."""
        items = self.store.list(KIND)
        if app_types:
            items = [c for c in items if c.get("app_type") in app_types]
        if is_first_party is not None:
            items = [c for c in items if c.get("is_first_party") is is_first_party]
        if is_global is not None:
            items = [c for c in items if c.get("global") is is_global]
        return items

    def create(self, body: dict[str, Any], *, allow_fixed: bool = False) -> dict[str, Any]:
        """Create a client. `allow_fixed` (seeding only) lets the body choose `client_id`/`client_secret`."""
        v.require(body, "name")
        if not allow_fixed:
            v.reject_keys(body, ("client_secret", *_READ_ONLY))
        if body.get("client_authentication_methods") is not None:
            raise v.payload_error(
                "client_authentication_methods on create is not emulated by the local tenant: "
                "POST /clients/{id}/credentials, then PATCH the client",
                "client_authentication_methods",
            )
        _validate(body)
        app_type = body.get("app_type")
        client: dict[str, Any] = {
            "tenant": self.tenant_name,
            "global": False,
            "is_first_party": True,
            "is_token_endpoint_ip_header_trusted": False,
            "oidc_conformant": True,
            "custom_login_page_on": True,
            "callbacks": [],
            "grant_types": _default_grant_types(app_type),
            "jwt_configuration": {"alg": "RS256", "lifetime_in_seconds": 36000, "secret_encoded": False},
            "token_endpoint_auth_method": "none" if app_type in _PUBLIC_APP_TYPES else "client_secret_post",
        }
        client.update({k: val for k, val in body.items() if val is not None and k not in _READ_ONLY})
        client["client_id"] = (
            str(body.get("client_id") or ids.client_id()) if allow_fixed else ids.client_id()
        )
        client["client_secret"] = str(body.get("client_secret") or ids.client_secret())
        self.store.put(KIND, client["client_id"], client)
        return client

    def update(self, client_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PATCH: set given properties, remove null ones, merge `client_metadata`."""
        v.reject_keys(body, _READ_ONLY)
        _validate(body)
        with self.store.transaction():
            client = self.get(client_id)
            if "client_authentication_methods" in body:
                self.credential_backend.check_methods(client_id, body["client_authentication_methods"])
            for key, value in body.items():
                if key == "client_metadata" and value is not None:
                    merged = {**client.get("client_metadata", {}), **value}
                    client[key] = {k: val for k, val in merged.items() if val is not None}
                elif value is None:
                    client.pop(key, None)
                else:
                    client[key] = value
            if not client.get("client_secret"):
                client["client_secret"] = ids.client_secret()
            _check_auth_method_pair(client, body)
            self.store.put(KIND, client_id, client)
        return client

    def rotate_secret(self, client_id: str) -> dict[str, Any]:
        """Replace the secret; the old one stops working at once."""
        with self.store.transaction():
            client = self.get(client_id)
            client["client_secret"] = ids.client_secret()
            self.store.put(KIND, client_id, client)
        return client

    def credentials(self, client_id: str) -> builtins.list[dict[str, Any]]:
        """The client's credentials as `GET /clients/{id}/credentials` lists them."""
        self.get(client_id)
        return [render_credential(c) for c in self.credential_backend.list(client_id)]

    def delete(self, client_id: str) -> None:
        """Delete a client and (through `on_delete`) its grants; absent clients are a no-op."""
        with self.store.transaction():
            client = self.find(client_id)
            if client is None:
                return
            self.store.delete(KIND, client_id)
            for hook in self.on_delete:
                hook(client)

    def authenticate(self, client_id: str, secret: str) -> dict[str, Any] | None:
        """The client if `secret` is its current secret (constant-time compare), else None."""
        client = self.find(client_id)
        if client is None or not hmac.compare_digest(
            str(client.get("client_secret", "")).encode(), secret.encode()
        ):
            return None
        return client
