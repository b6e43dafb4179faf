"""Errors of the clients family."""

from __future__ import annotations

from auth0_m2m.tenant.core.exceptions import InsufficientScope, NotFound


class ClientNotFound(NotFound):
    """No client with this id."""

    error_code = "inexistent_client"

    def __init__(self, client_id: str) -> None:
        super().__init__(f"The client does not exist: {client_id}")


class SecretScopeRequired(InsufficientScope):
    """Setting `client_secret` needs `update:client_keys`."""

    def __init__(self) -> None:
        super().__init__(("update:client_keys",))
