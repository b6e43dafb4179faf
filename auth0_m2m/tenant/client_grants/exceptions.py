"""Errors of the client-grants family."""

from __future__ import annotations

from auth0_m2m.tenant.core.exceptions import Conflict, NotFound


class ClientGrantNotFound(NotFound):
    """No client grant with this id."""

    error_code = "inexistent_client_grant"

    def __init__(self, grant_id: str) -> None:
        super().__init__(f"The client grant does not exist: {grant_id}")


class AudienceNotFound(NotFound):
    """The grant's audience is not the identifier of any resource server."""

    error_code = "inexistent_resource_server"

    def __init__(self, audience: str) -> None:
        super().__init__(f"No resource server found for audience: {audience}")


class ClientGrantConflict(Conflict):
    """A grant for this (client, audience, subject_type) exists already."""

    error_code = "client_grant_conflict"

    def __init__(self) -> None:
        super().__init__("A client grant for this client, audience and subject_type already exists")
