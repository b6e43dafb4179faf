"""Routes of the clients family."""

from __future__ import annotations

from auth0_m2m.tenant.clients import responses as r
from auth0_m2m.tenant.core.routing import Route

_BASE = "/api/v2/clients"
_CRED = _BASE + "/{id}/credentials/{credential_id}"

url_paths: list[Route] = [
    Route("GET", _BASE, r.list_clients, ("read:clients", "read:client_keys")),
    Route("POST", _BASE, r.create_client, ("create:clients",)),
    Route("GET", _BASE + "/{id}", r.get_client, ("read:clients", "read:client_keys")),
    Route("PATCH", _BASE + "/{id}", r.update_client, ("update:clients", "update:client_keys")),
    Route("DELETE", _BASE + "/{id}", r.delete_client, ("delete:clients",)),
    Route("POST", _BASE + "/{id}/rotate-secret", r.rotate_secret, ("update:client_keys",)),
    Route("GET", _BASE + "/{id}/credentials", r.list_credentials, ("read:client_credentials",)),
    Route("POST", _BASE + "/{id}/credentials", r.create_credential, ("create:client_credentials",)),
    Route("GET", _CRED, r.get_credential, ("read:client_credentials",)),
    Route("PATCH", _CRED, r.update_credential, ("update:client_credentials",)),
    Route("DELETE", _CRED, r.delete_credential, ("delete:client_credentials",)),
]
