"""Errors of the clients family."""

from __future__ import annotations

from auth0_m2m.tenant.core.exceptions import BadRequest, InsufficientScope, NotFound


class ClientNotFound(NotFound):
    """No client with this id."""

    error_code = "inexistent_client"

    def __init__(self, client_id: str) -> None:
        super().__init__(f"The client does not exist: {client_id}")


class SecretScopeRequired(InsufficientScope):
    """Setting `client_secret` needs `update:client_keys`."""

    def __init__(self) -> None:
        super().__init__(("update:client_keys",))


class CredentialNotFound(NotFound):
    """No credential with this id on this client (errorCode unverified against Auth0)."""

    error_code = "inexistent_client_credential"

    def __init__(self, credential_id: str) -> None:
        super().__init__(f"The client credential does not exist: {credential_id}")


class CredentialInUse(BadRequest):
    """Deleting a credential the client still lists in `client_authentication_methods`."""

    def __init__(self, credential_id: str) -> None:
        super().__init__(
            f"The credential {credential_id} is in use by the client's client_authentication_methods; "
            "remove it there first"
        )
