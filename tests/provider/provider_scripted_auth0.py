"""A scripted Auth0 over httpx.MockTransport, for the stand-in provider tests.

`ScriptedAuth0` answers `/oauth/token` with a token and every other request from a list of
(method, path-prefix) → (status, JSON, headers) rules, recording what was sent (method, raw
path with query, parsed JSON body), so tests can assert the exact call sequence.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

DOMAIN = "tenant.example.test:8443"


@dataclass
class Sent:
    """One request the client sent."""

    method: str
    target: str
    body: Any
    headers: httpx.Headers


Responder = Callable[[httpx.Request], httpx.Response]


@dataclass
class ScriptedAuth0:
    """A scripted tenant: rules are tried in order; the first match answers."""

    rules: list[tuple[str, str, Responder]] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    token_requests: list[httpx.Request] = field(default_factory=list)

    def on(self, method: str, prefix: str, status: int = 200, body: Any = None, **headers: str) -> None:
        """Answer `method` requests whose raw path+query starts with `/api/v2/<prefix>`."""

        def respond(_: httpx.Request) -> httpx.Response:
            content = b"" if body is None else json.dumps(body).encode()
            return httpx.Response(status, content=content, headers=headers)

        self.rules.append((method, "/api/v2/" + prefix, respond))

    def handler(self, request: httpx.Request) -> httpx.Response:
        """The MockTransport handler."""
        if request.url.raw_path == b"/oauth/token":
            self.token_requests.append(request)
            return httpx.Response(
                200, json={"access_token": "tok", "token_type": "Bearer", "expires_in": 86400}
            )
        target = request.url.raw_path.decode()
        body = json.loads(request.content) if request.content else None
        self.sent.append(Sent(request.method, target, body, request.headers))
        for method, prefix, respond in self.rules:
            if method == request.method and target.startswith(prefix):
                return respond(request)
        return httpx.Response(
            404, json={"statusCode": 404, "error": "Not Found", "message": f"no rule for {target}"}
        )

    def calls(self) -> list[str]:
        """The Management API calls as `METHOD /path?query` strings."""
        return [f"{s.method} {s.target}" for s in self.sent]
