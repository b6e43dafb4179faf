"""HTTP layer for `/oauth/token` and the `.well-known` documents.

The token request may be JSON (auth0-python's GetToken, Nango; `"organization": null` when unset) or
form-encoded (the Go provider, auth0-python's TokenProvider). Client authentication may be HTTP Basic
(`client_secret_basic`; Go's oauth2 form-escapes id and secret before base64) or body credentials
(`client_secret_post`), or a `private_key_jwt` client assertion (`client_assertion_type` +
`client_assertion`, checked in `assertions.py`).
See: https://auth0.com/docs/api/authentication/client-credentials-flow/get-token
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from starlette.responses import Response

from auth0_m2m.tenant.core.routing import Ctx, json_response
from auth0_m2m.tenant.oauth.exceptions import InvalidClient, InvalidRequest
from auth0_m2m.tenant.oauth.models import TokenRequest


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidClient() from None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise InvalidClient()
    return unquote_plus(client_id), unquote_plus(secret)


async def _parse_body(ctx: Ctx) -> dict[str, Any]:
    raw = (await ctx.request.body()).decode("utf-8", errors="replace")
    if not raw.strip():
        return {}
    if "application/x-www-form-urlencoded" in ctx.request.headers.get("content-type", ""):
        return dict(parse_qsl(raw, keep_blank_values=True))
    try:
        data = json.loads(raw)
    except ValueError:
        return dict(parse_qsl(raw, keep_blank_values=True))
    if not isinstance(data, dict):
        raise InvalidRequest("The request body must be a JSON object or a form")
    return data


def _opt(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidRequest(f"Parameter {key} must be a string")
    return value


async def token(ctx: Ctx) -> Response:
    """POST /oauth/token (client-credentials grant)."""
    body = await _parse_body(ctx)
    client_id, client_secret = _opt(body, "client_id"), _opt(body, "client_secret")
    basic = _basic_credentials(ctx.request.headers.get("authorization"))
    if basic is not None:
        if client_id not in (None, basic[0]):
            raise InvalidRequest("client_id in the body does not match the Authorization header")
        client_id, client_secret = basic
    req = TokenRequest(
        grant_type=_opt(body, "grant_type"),
        client_id=client_id,
        client_secret=client_secret,
        audience=_opt(body, "audience"),
        scope=_opt(body, "scope"),
        organization=_opt(body, "organization"),
        client_assertion_type=_opt(body, "client_assertion_type"),
        client_assertion=_opt(body, "client_assertion"),
    )
    response = json_response(ctx.tenant.token_issuer.issue(req))
    response.headers["Cache-Control"] = "no-store"
    return response


async def jwks(ctx: Ctx) -> Response:
    """GET /.well-known/jwks.json."""
    return json_response(ctx.tenant.signing_key.jwks())


async def openid_configuration(ctx: Ctx) -> Response:
    """GET /.well-known/openid-configuration (the parts a client-credentials client uses)."""
    issuer = ctx.tenant.issuer
    return json_response(
        {
            "issuer": issuer,
            "token_endpoint": f"{issuer}oauth/token",
            "jwks_uri": f"{issuer}.well-known/jwks.json",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "private_key_jwt",
            ],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256", "RS384", "PS256"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["token"],
            "subject_types_supported": ["public"],
        }
    )
