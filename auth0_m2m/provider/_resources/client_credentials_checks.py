"""Plan-time checks of ClientCredentials, as upstream v1.39.1's schema makes them.

`internal/auth0/client/resource_credentials.go`: `authentication_method` and the credential's
`credential_type`/`algorithm` are `StringInSlice(..., false)`, `expires_at` is
`IsRFC3339Time`, at most 2 credentials, `client_secret` ConflictsWith `private_key_jwt`. The mTLS
methods and signed request objects are not implemented by the stand-in and refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from auth0_m2m.provider._resources._base import one_of, required

_METHODS = ("none", "client_secret_post", "client_secret_basic", "private_key_jwt")
_UNSUPPORTED = ("tlsClientAuth", "selfSignedTlsClientAuth", "signedRequestObject")


def _rfc3339(value: Any, prop: str) -> list[tuple[str, str]]:
    """A failure unless `value` is an RFC 3339 time (with a zone), as Go's `time.Parse(time.RFC3339)`."""
    if not isinstance(value, str):
        return []
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None or "T" not in value:
        return [(prop, f"{prop} must be an RFC 3339 time, such as 2030-01-01T00:00:00Z")]
    return []


def check_credentials(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Validate the method and the private-key credentials."""
    failures = [
        (key, f"{key} is not supported by the auth0-m2m stand-in provider")
        for key in _UNSUPPORTED
        if inputs.get(key)
    ]
    if inputs.get("clientSecret") and inputs.get("privateKeyJwt"):
        failures.append(("clientSecret", "clientSecret conflicts with privateKeyJwt: set one of them"))
    method = inputs.get("authenticationMethod")
    if isinstance(method, str) and method not in _METHODS:
        failures.append(
            ("authenticationMethod", f"authenticationMethod must be one of {', '.join(_METHODS)}")
        )
    private_key_jwt = inputs.get("privateKeyJwt")
    credentials = private_key_jwt.get("credentials") if isinstance(private_key_jwt, dict) else private_key_jwt
    if not isinstance(credentials, list | None):
        return failures  # still unknown (preview): checked again when known
    if method == "private_key_jwt" and not credentials:
        reason = "privateKeyJwt.credentials must hold 1 or 2 credentials for private_key_jwt"
        failures.append(("privateKeyJwt", reason))
    if credentials and len(credentials) > 2:
        failures.append(("privateKeyJwt", "privateKeyJwt.credentials holds at most 2 credentials"))
    failures += required(
        {"privateKeyJwt": {"credentials": credentials or []}},
        "privateKeyJwt.credentials[].credentialType",
        "privateKeyJwt.credentials[].pem",
    )
    for credential in credentials or []:
        if isinstance(credential, dict):
            key_path = "privateKeyJwt.credentials[].{}"
            failures += one_of(
                credential.get("credentialType"), key_path.format("credentialType"), ("public_key",)
            )
            failures += one_of(
                credential.get("algorithm"), key_path.format("algorithm"), ("RS256", "RS384", "PS256")
            )
            failures += _rfc3339(credential.get("expiresAt"), key_path.format("expiresAt"))
    return failures
