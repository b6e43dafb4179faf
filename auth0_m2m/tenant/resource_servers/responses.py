"""HTTP layer for resource servers: parse the request, call the backend, return JSON.

See: https://auth0.com/docs/api/management/v2/resource-servers/get-resource-servers
"""

from __future__ import annotations

from starlette.responses import Response

from auth0_m2m.tenant.core.pagination import paginate
from auth0_m2m.tenant.core.routing import Ctx, json_response, no_content


async def list_resource_servers(ctx: Ctx) -> Response:
    """GET /resource-servers (offset pagination, `identifiers` filter)."""
    items = ctx.tenant.resource_servers.list(ctx.query_all("identifiers"))
    return json_response(paginate(items, ctx.query, "resource_servers"))


async def create_resource_server(ctx: Ctx) -> Response:
    """POST /resource-servers → 201 with `id` and `identifier`."""
    return json_response(ctx.tenant.resource_servers.create(await ctx.body()), 201)


async def get_resource_server(ctx: Ctx) -> Response:
    """GET /resource-servers/{id} (id or escaped identifier)."""
    return json_response(ctx.tenant.resource_servers.get(ctx.params["id"]))


async def update_resource_server(ctx: Ctx) -> Response:
    """PATCH /resource-servers/{id}; `scopes` replaces the list."""
    return json_response(ctx.tenant.resource_servers.update(ctx.params["id"], await ctx.body()))


async def delete_resource_server(ctx: Ctx) -> Response:
    """DELETE /resource-servers/{id} → 204, empty body."""
    ctx.tenant.resource_servers.delete(ctx.params["id"])
    return no_content()
