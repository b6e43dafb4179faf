"""HTTP layer for client grants: parse the request, call the backend, return JSON.

The list answers the provider's `include_totals=true&per_page=50` with the offset envelope
`{"client_grants", "start", "limit", "total"}` and auth0-python's `take`/`from` with the checkpoint
envelope `{"client_grants", "next"}`.
See: https://auth0.com/docs/api/management/v2/client-grants/get-client-grants
"""

from __future__ import annotations

from starlette.responses import Response

from auth0_m2m.tenant.core.pagination import paginate, query_bool
from auth0_m2m.tenant.core.routing import Ctx, json_response, no_content


async def list_client_grants(ctx: Ctx) -> Response:
    """GET /client-grants (filters `audience`, `client_id`, `allow_any_organization`, `subject_type`)."""
    query = ctx.query
    items = ctx.tenant.client_grants.list(
        audience=query.get("audience") or None,
        client_id=query.get("client_id") or None,
        allow_any_organization=query_bool(query, "allow_any_organization"),
        subject_type=query.get("subject_type") or None,
    )
    return json_response(paginate(items, query, "client_grants", checkpoint=True))


async def create_client_grant(ctx: Ctx) -> Response:
    """POST /client-grants → 201 with `id` (409 on a duplicate)."""
    return json_response(ctx.tenant.client_grants.create(await ctx.body()), 201)


async def get_client_grant(ctx: Ctx) -> Response:
    """GET /client-grants/{id}."""
    return json_response(ctx.tenant.client_grants.get(ctx.params["id"]))


async def update_client_grant(ctx: Ctx) -> Response:
    """PATCH /client-grants/{id}."""
    return json_response(ctx.tenant.client_grants.update(ctx.params["id"], await ctx.body()))


async def delete_client_grant(ctx: Ctx) -> Response:
    """DELETE /client-grants/{id} → 204, empty body."""
    ctx.tenant.client_grants.delete(ctx.params["id"])
    return no_content()
