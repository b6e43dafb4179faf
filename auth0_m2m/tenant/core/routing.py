"""Routes and the per-request context handed to handlers.

Routes match the *raw* (still percent-encoded) path, so a resource-server identifier sent as
`https:%2F%2Fapi.example.com` (Go's `url.PathEscape`) or `https%3A%2F%2Fapi.example.com` (auth0-python)
stays one segment; each `{name}` segment is unescaped after matching. Every family's `urls.py` lists
its routes with the scopes the operation accepts (any one of them suffices).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from auth0_m2m.tenant.core.exceptions import BadRequest

if TYPE_CHECKING:
    from auth0_m2m.tenant.core.backend import Tenant

Handler = Callable[["Ctx"], Awaitable[Response]]

_PARAM = re.compile(r"\{(\w+)\}")


def compile_template(template: str) -> re.Pattern[str]:
    """`/api/v2/clients/{id}` → a regex with one named group per segment parameter."""
    parts = _PARAM.split(template)
    regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>[^/]+)" for i, p in enumerate(parts))
    return re.compile(f"^{regex}/?$")


@dataclass(frozen=True)
class Route:
    """One emulated operation: method, path template, handler and accepted scopes."""

    method: str
    template: str
    handler: Handler
    scopes: tuple[str, ...] = ()
    management: bool = True
    pattern: re.Pattern[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", compile_template(self.template))

    def match(self, raw_path: str) -> dict[str, str] | None:
        """Unescaped path parameters if the raw path fits the template."""
        found = self.pattern.match(raw_path)
        if found is None:
            return None
        return {k: unquote(v) for k, v in found.groupdict().items()}


@dataclass
class Ctx:
    """What a handler gets: the request, path parameters, the tenant and the caller's scopes."""

    request: Request
    params: dict[str, str]
    tenant: Tenant
    scopes: frozenset[str] = frozenset()
    claims: dict[str, Any] = field(default_factory=dict)

    @property
    def query(self) -> dict[str, str]:
        """Query parameters (last value wins)."""
        return dict(self.request.query_params)

    def query_all(self, key: str) -> list[str]:
        """Every value of a repeatable query parameter, commas split."""
        values = self.request.query_params.getlist(key)
        return [v for value in values for v in value.split(",") if v]

    async def body(self) -> dict[str, Any]:
        """The JSON (or form-encoded) object body; 400 when it is not an object."""
        raw = await self.request.body()
        content_type = self.request.headers.get("content-type", "")
        if not raw.strip():
            return {}
        if "application/x-www-form-urlencoded" in content_type:
            return dict(parse_qsl(raw.decode(), keep_blank_values=True))
        try:
            data = json.loads(raw)
        except ValueError:
            raise BadRequest("Invalid request payload JSON format", error_code="invalid_json") from None
        if not isinstance(data, dict):
            raise BadRequest("Payload validation error: 'Expected type object but found type array'.")
        return data


def json_response(data: Any, status: int = 200) -> Response:
    """A JSON response."""
    return JSONResponse(data, status_code=status)


def no_content() -> Response:
    """204 with an empty body (what DELETE returns)."""
    return Response(status_code=204)
