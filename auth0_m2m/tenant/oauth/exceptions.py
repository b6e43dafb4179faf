"""Errors of the token endpoint, in Auth0's `{"error", "error_description"}` shape.

Auth0's exact codes for the organization cases are unverified; the choice here is: a bad or
disallowed `organization` parameter is 400 `invalid_request`, a missing association or a missing
required organization is 403 `access_denied`.
"""

from __future__ import annotations

from auth0_m2m.tenant.core.exceptions import OAuthError


class InvalidRequest(OAuthError):
    """A missing or malformed parameter."""

    def __init__(self, description: str) -> None:
        super().__init__(400, "invalid_request", description)


class UnsupportedGrantType(OAuthError):
    """Only `client_credentials` is emulated."""

    def __init__(self, grant_type: str) -> None:
        super().__init__(400, "unsupported_grant_type", f"Unsupported grant type: {grant_type}")


class InvalidClient(OAuthError):
    """Unknown client or wrong secret (Auth0 answers 401 access_denied "Unauthorized")."""

    def __init__(self) -> None:
        super().__init__(401, "access_denied", "Unauthorized")


class UnauthorizedClient(OAuthError):
    """The client may not use the client-credentials grant."""

    def __init__(self) -> None:
        super().__init__(
            403, "unauthorized_client", "Grant type 'client_credentials' not allowed for the client."
        )


class AccessDenied(OAuthError):
    """No audience, unknown audience, no grant, scopes or organization not allowed."""

    def __init__(self, description: str) -> None:
        super().__init__(403, "access_denied", description)


class InvalidClientAssertion(OAuthError):
    """A `private_key_jwt` client authentication that fails (Auth0: 401 `invalid_client`)."""

    def __init__(self, description: str) -> None:
        super().__init__(401, "invalid_client", description)
