"""The Starlette app: one dispatcher over every family's routes, on the raw path.

For each Management API request, in order: added latency (fault injector), the rate limiter (429 with
`X-RateLimit-*`), an injected fault, the bearer-token guard (401), the route's scopes (403), then the
handler. Every Management response carries the rate-limit headers and is counted in the stats;
`/oauth/token` and `/.well-known/*` skip limits, faults and auth; `/__tenant/*` goes to `core.control`.
Typed errors become Auth0's JSON bodies here and nowhere else.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route as StarletteRoute

from auth0_m2m.tenant.client_grants.urls import url_paths as client_grant_paths
from auth0_m2m.tenant.clients.urls import url_paths as client_paths
from auth0_m2m.tenant.core import control
from auth0_m2m.tenant.core.auth import scopes_of, verify_bearer
from auth0_m2m.tenant.core.exceptions import (
    Auth0APIError,
    InjectedFault,
    InsufficientScope,
    MethodNotAllowed,
    OAuthError,
    RouteNotFound,
    TooManyRequests,
)
from auth0_m2m.tenant.core.routing import Ctx, Route
from auth0_m2m.tenant.oauth.urls import url_paths as oauth_paths
from auth0_m2m.tenant.organizations.urls import url_paths as organization_paths
from auth0_m2m.tenant.resource_servers.urls import url_paths as resource_server_paths

if TYPE_CHECKING:
    from auth0_m2m.tenant.core.backend import Tenant

log = logging.getLogger(__name__)

#: Every emulated operation, in match order.
ROUTES: tuple[Route, ...] = (
    *client_paths,
    *resource_server_paths,
    *organization_paths,
    *client_grant_paths,
    *oauth_paths,
)
_METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"]


def error_response(exc: Auth0APIError) -> Response:
    """Auth0's error body with the exception's status."""
    return JSONResponse(exc.to_dict(), status_code=exc.code)


def _match(method: str, path: str) -> tuple[Route, dict[str, str]]:
    path_matched = False
    for route in ROUTES:
        params = route.match(path)
        if params is None:
            continue
        if route.method == method:
            return route, params
        path_matched = True
    raise MethodNotAllowed() if path_matched else RouteNotFound()


class Dispatcher:
    """Routes requests for one tenant; see the module docstring for the order of checks."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    async def handle(self, request: Request) -> Response:
        """Answer one request."""
        raw = request.scope.get("raw_path") or request.url.path.encode()
        path = raw.split(b"?", 1)[0].decode("latin-1")
        ctx = Ctx(request=request, params={}, tenant=self.tenant)
        try:
            if path.startswith(control.PREFIX):
                control.check_local(request)
                return await control.dispatch(ctx, path)
            route, ctx.params = _match(request.method, path)
        except Auth0APIError as exc:
            return error_response(exc)
        if not route.management:
            return await self._public(route, ctx)
        return await self._management(route, ctx)

    async def _public(self, route: Route, ctx: Ctx) -> Response:
        try:
            response = await route.handler(ctx)
        except OAuthError as exc:
            response = JSONResponse(exc.to_dict(), status_code=exc.status)
        except Auth0APIError as exc:
            response = error_response(exc)
        if route.template == "/oauth/token":
            self.tenant.stats.record_token(response.status_code)
        return response

    async def _management(self, route: Route, ctx: Ctx) -> Response:
        tenant = self.tenant
        if tenant.faults.latency:
            await asyncio.sleep(tenant.faults.latency)
        decision = tenant.rate_limiter.take()
        headers = decision.headers()
        rate_limited = injected = False
        try:
            if not decision.allowed:
                rate_limited = True
                raise TooManyRequests()
            fault = tenant.faults.roll()
            if fault is not None:
                injected = True
                if fault == 429:
                    headers["X-RateLimit-Remaining"] = "0"
                    headers["X-RateLimit-Reset"] = str(int(time.time()) + 1)
                    raise TooManyRequests()
                raise InjectedFault(fault)
            ctx.claims = verify_bearer(
                ctx.request.headers.get("authorization"),
                tenant.signing_key,
                audience=tenant.management_audience,
                issuer=tenant.issuer,
            )
            ctx.scopes = scopes_of(ctx.claims)
            if route.scopes and not ctx.scopes & set(route.scopes):
                raise InsufficientScope(route.scopes)
            response = await route.handler(ctx)
        except Auth0APIError as exc:
            response = error_response(exc)
        except Exception:
            log.exception("local tenant: unexpected error in %s %s", route.method, route.template)
            response = error_response(Auth0APIError("Internal error in the local tenant"))
        response.headers.update(headers)
        tenant.stats.record_management(
            route.method, route.template, response.status_code, rate_limited=rate_limited, injected=injected
        )
        return response


def build_app(tenant: Tenant) -> Starlette:
    """The ASGI app serving `tenant` (use it in-process or under uvicorn)."""
    return Starlette(routes=[StarletteRoute("/{path:path}", Dispatcher(tenant).handle, methods=_METHODS)])
