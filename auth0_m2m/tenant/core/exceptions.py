"""Typed errors that serialise themselves into Auth0's error bodies.

Exception tree::

    Auth0APIError            Management API error: {"statusCode", "error", "message", "errorCode"}
    ├── BadRequest           400 invalid_body (payload validation)
    │   └── InvalidQuery     400 invalid_query_string
    ├── Unauthorized         401 (missing, bad, expired, wrong-audience token)
    ├── InsufficientScope    403 insufficient_scope
    ├── Forbidden            403 operation_not_supported
    ├── NotFound             404 (each family subclasses it with its own errorCode)
    ├── MethodNotAllowed     405
    ├── Conflict             409 (each family subclasses it)
    ├── TooManyRequests      429 too_many_requests ("Global limit has been reached")
    └── InjectedFault        any 5xx chosen by the fault injector
    OAuthError               Authentication API error: {"error", "error_description"}

Handlers raise these; only `core.app` turns them into responses, so each error's shape is defined once.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any


class Auth0APIError(Exception):
    """A Management API error with Auth0's body; subclasses fix `code` and `error_code`."""

    code: int = 500
    error_code: str | None = None

    def __init__(self, message: str, *, error_code: str | None = None, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if error_code is not None:
            self.error_code = error_code

    @property
    def error(self) -> str:
        """The HTTP reason phrase Auth0 puts in `error`."""
        return HTTPStatus(self.code).phrase

    def to_dict(self) -> dict[str, Any]:
        """Auth0's error body."""
        body: dict[str, Any] = {"statusCode": self.code, "error": self.error, "message": self.message}
        if self.error_code:
            body["errorCode"] = self.error_code
        return body


class BadRequest(Auth0APIError):
    """A request body that fails validation."""

    code = 400
    error_code = "invalid_body"


class InvalidQuery(BadRequest):
    """A query string that fails validation."""

    error_code = "invalid_query_string"


class Unauthorized(Auth0APIError):
    """No bearer token, or one that does not verify for this tenant's Management API."""

    code = 401


class InsufficientScope(Auth0APIError):
    """The token verifies but lacks every scope the operation accepts."""

    code = 403
    error_code = "insufficient_scope"

    def __init__(self, any_of: tuple[str, ...]) -> None:
        super().__init__(f"Insufficient scope, expected any of: {','.join(any_of)}")


class Forbidden(Auth0APIError):
    """An operation the tenant refuses (e.g. deleting a system API)."""

    code = 403
    error_code = "operation_not_supported"


class NotFound(Auth0APIError):
    """A missing object; families subclass it."""

    code = 404


class RouteNotFound(NotFound):
    """No emulated operation at this path."""

    def __init__(self) -> None:
        super().__init__("Not Found")


class MethodNotAllowed(Auth0APIError):
    """The path exists but not for this method."""

    code = 405

    def __init__(self) -> None:
        super().__init__("Method Not Allowed")


class Conflict(Auth0APIError):
    """A uniqueness rule broken; families subclass it."""

    code = 409


class TooManyRequests(Auth0APIError):
    """Rate limit reached (the real bucket or an injected 429)."""

    code = 429
    error_code = "too_many_requests"

    def __init__(self) -> None:
        super().__init__("Global limit has been reached")


class InjectedFault(Auth0APIError):
    """A 5xx answer chosen by the fault injector."""

    def __init__(self, status: int) -> None:
        super().__init__("Injected fault (local tenant fault injection)", code=status)


class OAuthError(Exception):
    """An Authentication API error: `{"error", "error_description"}` with an HTTP status."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.status = status
        self.error = error
        self.description = description

    def to_dict(self) -> dict[str, str]:
        """Auth0's OAuth error body."""
        return {"error": self.error, "error_description": self.description}
