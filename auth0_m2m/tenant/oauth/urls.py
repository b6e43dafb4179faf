"""Routes of the Authentication API subset (no bearer token needed)."""

from __future__ import annotations

from auth0_m2m.tenant.core.routing import Route
from auth0_m2m.tenant.oauth import responses as r

url_paths: list[Route] = [
    Route("POST", "/oauth/token", r.token, management=False),
    Route("GET", "/.well-known/jwks.json", r.jwks, management=False),
    Route("GET", "/.well-known/openid-configuration", r.openid_configuration, management=False),
]
