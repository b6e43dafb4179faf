"""Test-control endpoints under `/__tenant/`, kept apart from `/api/v2`.

| Method and path                    | Effect                                                              |
|------------------------------------|---------------------------------------------------------------------|
| GET    /__tenant/health            | `{"status": "ok", "domain"}`                                        |
| POST   /__tenant/reset             | forget all objects but the Management API and the bootstrap client  |
| POST   /__tenant/seed              | create objects from JSON (see `Tenant.seed`); 201 with what it made |
| GET    /__tenant/data.json         | dump every object (client and API signing secrets redacted)         |
| GET    /__tenant/stats             | request counters; `?reset=true` zeroes them after reading           |
| DELETE /__tenant/stats             | zero the counters (204)                                             |
| GET    /__tenant/faults            | current fault settings                                              |
| PUT    /__tenant/faults            | `{"spec": "429=0.2,503=0.05,latency=20ms", "seed": 1}`; DELETE clears |
| GET    /__tenant/rate-limit        | `{"rps", "burst"}` (nulls when off)                                 |
| PUT    /__tenant/rate-limit        | `{"spec": "2/10"}` or `{"rps": 2, "burst": 10}`; DELETE turns it off |

Only loopback peers may call them, with a loopback `Host` and no `Origin` header (so a web page
cannot reach them through the browser); they need no token. POST works wherever PUT does.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from auth0_m2m.tenant.core.exceptions import BadRequest, Forbidden, MethodNotAllowed, RouteNotFound
from auth0_m2m.tenant.core.faults import FaultSpec
from auth0_m2m.tenant.core.pagination import query_bool
from auth0_m2m.tenant.core.ratelimit import RateLimit
from auth0_m2m.tenant.core.routing import Ctx, json_response, no_content

if TYPE_CHECKING:
    from auth0_m2m.tenant.core.backend import Tenant

PREFIX = "/__tenant/"
_LOOPBACK_NAMES = {"localhost", "testclient"}


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    if host_header.startswith("["):
        return host_header[1 : host_header.find("]")]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def check_local(request: Request) -> None:
    """403 unless the call comes from this machine and not from a browser page."""
    peer = request.client.host if request.client else None
    host = _host_name(request.headers.get("host", ""))
    if not _is_loopback(peer) or not _is_loopback(host) or "origin" in request.headers:
        raise Forbidden("The /__tenant/ control endpoints only answer local, non-browser callers")


def _faults_state(tenant: Tenant) -> dict[str, Any]:
    spec = tenant.faults.spec
    return {
        "spec": spec.to_spec(),
        "rates": {str(k): p for k, p in sorted(spec.rates.items())},
        "latency_ms": spec.latency * 1000,
        "seed": spec.seed,
    }


def _rate_state(tenant: Tenant) -> dict[str, Any]:
    limit = tenant.rate_limiter.limit
    return limit.to_dict() if limit else {"rps": None, "burst": None}


async def _set_faults(ctx: Ctx) -> Response:
    body = await ctx.body()
    try:
        spec = FaultSpec.parse(str(body.get("spec") or ""))
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    if body.get("seed") is not None:
        spec = dataclasses.replace(spec, seed=int(body["seed"]))
    ctx.tenant.faults.configure(spec)
    return json_response(_faults_state(ctx.tenant))


async def _set_rate_limit(ctx: Ctx) -> Response:
    body = await ctx.body()
    try:
        if body.get("spec"):
            limit: RateLimit | None = RateLimit.parse(str(body["spec"]))
        elif body.get("rps") is not None:
            limit = RateLimit.parse(f"{body['rps']}/{body.get('burst', body['rps'])}")
        else:
            limit = None
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    ctx.tenant.rate_limiter.configure(limit)
    return json_response(_rate_state(ctx.tenant))


async def dispatch(ctx: Ctx, path: str) -> Response:
    """Answer one control request."""
    tenant, method = ctx.tenant, ctx.request.method
    name = path[len(PREFIX) :].rstrip("/")
    writes = ("POST", "PUT")
    if name == "health" and method == "GET":
        return json_response({"status": "ok", "domain": tenant.domain})
    if name == "reset" and method == "POST":
        tenant.reset()
        return json_response({"status": "reset"})
    if name == "seed" and method == "POST":
        return json_response(tenant.seed(await ctx.body()), 201)
    if name == "data.json" and method == "GET":
        return json_response(tenant.dump())
    if name == "stats" and method == "GET":
        snapshot = tenant.stats.snapshot()
        if query_bool(ctx.query, "reset"):
            tenant.stats.reset()
        return json_response(snapshot)
    if name == "stats" and method == "DELETE":
        tenant.stats.reset()
        return no_content()
    if name == "faults":
        if method == "GET":
            return json_response(_faults_state(tenant))
        if method in writes:
            return await _set_faults(ctx)
        if method == "DELETE":
            tenant.faults.configure(FaultSpec())
            return no_content()
    if name == "rate-limit":
        if method == "GET":
            return json_response(_rate_state(tenant))
        if method in writes:
            return await _set_rate_limit(ctx)
        if method == "DELETE":
            tenant.rate_limiter.configure(None)
            return no_content()
    known = {"health", "reset", "seed", "data.json", "stats", "faults", "rate-limit"}
    raise MethodNotAllowed() if name in known else RouteNotFound()
