"""Errors raised by the stand-in auth0 provider.

```
ProviderError                  anything the engine should show as the operation's error
├── ConfigError                provider configuration missing or invalid (names the key and the fix)
├── UnsupportedError           a resource type, function or field this stand-in does not implement
├── PartialCreate              the object was created but a later step failed (the engine keeps its id)
└── Auth0Error                 talking to the Auth0 Management API failed
    ├── Auth0ConnectionError   no HTTP response (TLS, refused, timeouts) after the retries
    ├── Auth0TokenError        POST /oauth/token was refused (bad client id/secret, audience)
    └── Auth0APIError          a Management API call answered >= 400 ({statusCode, error, message})
        └── Auth0NotFound      404: on read the resource leaves the state; on update/delete it is gone
```

Messages never contain a secret: the token request's error shows Auth0's `error` and
`error_description` only, and API errors show Auth0's `message`.
"""

from __future__ import annotations

from typing import Any


class ProviderError(Exception):
    """Base of every error the provider reports to the engine."""


class ConfigError(ProviderError):
    """The provider configuration is missing a value or has a bad one."""


class UnsupportedError(ProviderError):
    """The engine asked for something this stand-in provider does not implement."""


class Auth0Error(ProviderError):
    """A call to the Auth0 tenant failed."""


class Auth0ConnectionError(Auth0Error):
    """No HTTP response could be had from the tenant (after the connection-error retries)."""


class Auth0TokenError(Auth0Error):
    """The tenant refused the client-credentials token request."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code


class Auth0APIError(Auth0Error):
    """The Management API answered with an error status."""

    def __init__(self, status_code: int, error: str, message: str, method: str, path: str) -> None:
        super().__init__(f"{method} {path}: {status_code} {error}: {message}")
        self.status_code = status_code
        self.error = error
        self.api_message = message


class Auth0NotFound(Auth0APIError):
    """The Management API answered 404 Not Found."""


class PartialCreate(ProviderError):
    """The object exists in Auth0, but a step after its creation failed.

    The server reports it to the engine as `ErrorResourceInitFailed`, so the object is recorded
    in the state (and can be updated, refreshed or deleted) rather than orphaned.
    """

    def __init__(self, resource_id: str, outputs: dict[str, Any], cause: Exception) -> None:
        super().__init__(f"created {resource_id}, then: {cause}")
        self.resource_id = resource_id
        self.outputs = outputs
