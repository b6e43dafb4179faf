"""Errors of the resource-server family."""

from __future__ import annotations

from auth0_m2m.tenant.core.exceptions import Conflict, Forbidden, NotFound


class ResourceServerNotFound(NotFound):
    """No resource server with this id or identifier."""

    error_code = "inexistent_resource_server"

    def __init__(self, id_or_identifier: str) -> None:
        super().__init__(f"The resource server does not exist: {id_or_identifier}")


class ResourceServerConflict(Conflict):
    """Another resource server already has this identifier."""

    error_code = "resource_server_conflict"

    def __init__(self, identifier: str) -> None:
        super().__init__(f"A resource server with the same identifier already exists: {identifier}")


class SystemResourceServer(Forbidden):
    """The Management API itself cannot be changed or deleted."""

    def __init__(self) -> None:
        super().__init__("The system resource server (Auth0 Management API) cannot be modified or deleted")
