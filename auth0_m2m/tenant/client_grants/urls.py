"""Routes of the client-grants family."""

from __future__ import annotations

from auth0_m2m.tenant.client_grants import responses as r
from auth0_m2m.tenant.core.routing import Route

_BASE = "/api/v2/client-grants"

url_paths: list[Route] = [
    Route("GET", _BASE, r.list_client_grants, ("read:client_grants",)),
    Route("POST", _BASE, r.create_client_grant, ("create:client_grants",)),
    Route("GET", _BASE + "/{id}", r.get_client_grant, ("read:client_grants",)),
    Route("PATCH", _BASE + "/{id}", r.update_client_grant, ("update:client_grants",)),
    Route("DELETE", _BASE + "/{id}", r.delete_client_grant, ("delete:client_grants",)),
]
