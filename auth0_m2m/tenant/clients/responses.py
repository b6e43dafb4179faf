"""HTTP layer for clients: parse the request, call the backend, return JSON.

`client_secret` appears only for callers holding `read:client_keys` or `read:client_credentials`
(and always in the answers to create and rotate-secret, as in Auth0).
See: https://auth0.com/docs/api/management/v2/clients/get-clients
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from auth0_m2m.tenant.clients.credentials import render as render_credential
from auth0_m2m.tenant.clients.exceptions import SecretScopeRequired
from auth0_m2m.tenant.clients.models import render
from auth0_m2m.tenant.core.pagination import paginate, query_bool
from auth0_m2m.tenant.core.routing import Ctx, json_response, no_content

_SECRET_READERS = frozenset({"read:client_keys", "read:client_credentials"})


def _render_for(ctx: Ctx, client: dict[str, Any]) -> dict[str, Any]:
    fields = ctx.query_all("fields") or None
    include = query_bool(ctx.query, "include_fields")
    return render(
        client,
        show_secret=bool(ctx.scopes & _SECRET_READERS),
        fields=fields,
        include_fields=include is not False,
    )


async def list_clients(ctx: Ctx) -> Response:
    """GET /clients (offset pagination; `app_type`, `is_first_party`, `is_global`, `fields`)."""
    items = ctx.tenant.clients.list(
        app_types=ctx.query_all("app_type") or None,
        is_first_party=query_bool(ctx.query, "is_first_party"),
        is_global=query_bool(ctx.query, "is_global"),
    )
    return json_response(paginate(items, ctx.query, "clients", render=lambda c: _render_for(ctx, c)))


async def create_client(ctx: Ctx) -> Response:
    """POST /clients → 201 with `client_id` and `client_secret`."""
    client = ctx.tenant.clients.create(await ctx.body())
    return json_response(render(client, show_secret=True), 201)


async def get_client(ctx: Ctx) -> Response:
    """GET /clients/{id} with optional `fields` + `include_fields`."""
    return json_response(_render_for(ctx, ctx.tenant.clients.get(ctx.params["id"])))


async def update_client(ctx: Ctx) -> Response:
    """PATCH /clients/{id}; setting `client_secret` needs `update:client_keys`."""
    body = await ctx.body()
    if "client_secret" in body and "update:client_keys" not in ctx.scopes:
        raise SecretScopeRequired()
    client = ctx.tenant.clients.update(ctx.params["id"], body)
    show = bool(ctx.scopes & (_SECRET_READERS | {"update:client_keys"}))
    return json_response(render(client, show_secret=show))


async def delete_client(ctx: Ctx) -> Response:
    """DELETE /clients/{id} → 204, empty body."""
    ctx.tenant.clients.delete(ctx.params["id"])
    return no_content()


async def rotate_secret(ctx: Ctx) -> Response:
    """POST /clients/{id}/rotate-secret → 200 with the new secret."""
    return json_response(render(ctx.tenant.clients.rotate_secret(ctx.params["id"]), show_secret=True))


async def list_credentials(ctx: Ctx) -> Response:
    """GET /clients/{id}/credentials → a bare JSON array (never an envelope), PEMs left out."""
    return json_response(ctx.tenant.clients.credentials(ctx.params["id"]))


async def create_credential(ctx: Ctx) -> Response:
    """POST /clients/{id}/credentials → 201 with the credential (its `id`, `kid`, `alg`, no PEM).

    See: https://auth0.com/docs/api/management/v2/clients/post-credentials
    """
    clients = ctx.tenant.clients
    credential = clients.credential_backend.create(clients.get(ctx.params["id"]), await ctx.body())
    return json_response(render_credential(credential), 201)


async def get_credential(ctx: Ctx) -> Response:
    """GET /clients/{id}/credentials/{credential_id}."""
    clients = ctx.tenant.clients
    clients.get(ctx.params["id"])
    credential = clients.credential_backend.get(ctx.params["id"], ctx.params["credential_id"])
    return json_response(render_credential(credential))


async def update_credential(ctx: Ctx) -> Response:
    """PATCH /clients/{id}/credentials/{credential_id} (`expires_at` only) → 200.

    The spec documents 201; Auth0 answers PATCHes 200, as this tenant does (the provider takes any 2xx).
    """
    clients = ctx.tenant.clients
    clients.get(ctx.params["id"])
    body = await ctx.body()
    credential = clients.credential_backend.update(ctx.params["id"], ctx.params["credential_id"], body)
    return json_response(render_credential(credential))


async def delete_credential(ctx: Ctx) -> Response:
    """DELETE /clients/{id}/credentials/{credential_id} → 204 (400 while the client still uses it)."""
    clients = ctx.tenant.clients
    clients.credential_backend.delete(clients.get(ctx.params["id"]), ctx.params["credential_id"])
    return no_content()
