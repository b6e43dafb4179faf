"""HTTP layer for organizations and their client grants: parse, call the backend, return JSON.

See: https://auth0.com/docs/api/management/v2/organizations/get-organizations and
https://auth0.com/docs/api/management/v2/organizations/get-organization-client-grants
"""

from __future__ import annotations

from starlette.responses import Response

from auth0_m2m.tenant.core import validation as v
from auth0_m2m.tenant.core.pagination import paginate
from auth0_m2m.tenant.core.routing import Ctx, json_response, no_content


async def list_organizations(ctx: Ctx) -> Response:
    """GET /organizations (offset or checkpoint pagination)."""
    items = ctx.tenant.organizations.list()
    return json_response(paginate(items, ctx.query, "organizations", checkpoint=True))


async def create_organization(ctx: Ctx) -> Response:
    """POST /organizations → 201 with `id`."""
    return json_response(ctx.tenant.organizations.create(await ctx.body()), 201)


async def get_organization(ctx: Ctx) -> Response:
    """GET /organizations/{id}."""
    return json_response(ctx.tenant.organizations.get(ctx.params["id"]))


async def get_organization_by_name(ctx: Ctx) -> Response:
    """GET /organizations/name/{name}."""
    return json_response(ctx.tenant.organizations.get_by_name(ctx.params["name"]))


async def update_organization(ctx: Ctx) -> Response:
    """PATCH /organizations/{id}."""
    return json_response(ctx.tenant.organizations.update(ctx.params["id"], await ctx.body()))


async def delete_organization(ctx: Ctx) -> Response:
    """DELETE /organizations/{id} → 204, empty body."""
    ctx.tenant.organizations.delete(ctx.params["id"])
    return no_content()


async def list_organization_client_grants(ctx: Ctx) -> Response:
    """GET /organizations/{id}/client-grants (offset pagination; `audience`, `client_id`, `grant_ids`)."""
    items = ctx.tenant.organizations.grants_of(
        ctx.params["id"],
        audience=ctx.query.get("audience") or None,
        client_id=ctx.query.get("client_id") or None,
        grant_ids=ctx.query_all("grant_ids") or None,
    )
    return json_response(paginate(items, ctx.query, "client_grants"))


async def associate_client_grant(ctx: Ctx) -> Response:
    """POST /organizations/{id}/client-grants `{"grant_id"}` → 201 with the grant."""
    body = await ctx.body()
    grant_id = v.require(body, "grant_id")
    v.check_str(body, "grant_id", min_len=1)
    return json_response(ctx.tenant.organizations.associate(ctx.params["id"], grant_id), 201)


async def dissociate_client_grant(ctx: Ctx) -> Response:
    """DELETE /organizations/{id}/client-grants/{grant_id} → 204, empty body."""
    ctx.tenant.organizations.dissociate(ctx.params["id"], ctx.params["grant_id"])
    return no_content()


async def list_grant_organizations(ctx: Ctx) -> Response:
    """GET /client-grants/{id}/organizations (offset or checkpoint pagination)."""
    items = ctx.tenant.organizations.organizations_of_grant(ctx.params["id"])
    return json_response(paginate(items, ctx.query, "organizations", checkpoint=True))
