"""The Management API's auth guard: a bearer JWT from this tenant for `https://{domain}/api/v2/`.

401 without a token, with a malformed, foreign-signed, expired or wrong-audience one (Auth0's
messages); the caller's scopes come from the `scope` claim and `core.app` turns a missing scope into 403.
"""

from __future__ import annotations

from typing import Any

import jwt

from auth0_m2m.tenant.core.exceptions import Unauthorized
from auth0_m2m.tenant.core.keys import SigningKey


def verify_bearer(header: str | None, key: SigningKey, *, audience: str, issuer: str) -> dict[str, Any]:
    """The claims of a valid Management API token, else `Unauthorized`."""
    if not header:
        raise Unauthorized("Missing authentication")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Bad HTTP authentication header format")
    try:
        return key.decode(token.strip(), audience=audience, issuer=issuer)
    except jwt.ExpiredSignatureError:
        raise Unauthorized("Expired token received for JSON Web Token validation") from None
    except jwt.InvalidAudienceError:
        raise Unauthorized(f"Bad audience: expected {audience}") from None
    except jwt.PyJWTError:
        raise Unauthorized("Invalid token") from None


def scopes_of(claims: dict[str, Any]) -> frozenset[str]:
    """The space-separated `scope` claim as a set."""
    return frozenset(str(claims.get("scope", "")).split())
