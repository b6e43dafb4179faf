"""Routes of the resource-server family."""

from __future__ import annotations

from auth0_m2m.tenant.core.routing import Route
from auth0_m2m.tenant.resource_servers import responses as r

_BASE = "/api/v2/resource-servers"

url_paths: list[Route] = [
    Route("GET", _BASE, r.list_resource_servers, ("read:resource_servers",)),
    Route("POST", _BASE, r.create_resource_server, ("create:resource_servers",)),
    Route("GET", _BASE + "/{id}", r.get_resource_server, ("read:resource_servers",)),
    Route("PATCH", _BASE + "/{id}", r.update_resource_server, ("update:resource_servers",)),
    Route("DELETE", _BASE + "/{id}", r.delete_resource_server, ("delete:resource_servers",)),
]
