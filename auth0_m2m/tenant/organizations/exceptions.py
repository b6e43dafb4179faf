"""Errors of the organizations family."""

from __future__ import annotations

from auth0_m2m.tenant.core.exceptions import BadRequest, Conflict, NotFound


class OrganizationNotFound(NotFound):
    """No organization with this id or name."""

    error_code = "inexistent_organization"

    def __init__(self, id_or_name: str) -> None:
        super().__init__(f"No organization found by that id or name: {id_or_name}")


class OrganizationConflict(Conflict):
    """The organization name is taken."""

    error_code = "organization_conflict"

    def __init__(self, name: str) -> None:
        super().__init__(f"An organization with this name already exists: {name}")


class AssociationConflict(Conflict):
    """The grant is already associated with the organization."""

    error_code = "organization_client_grant_conflict"

    def __init__(self) -> None:
        super().__init__("The client grant is already associated with this organization")


class GrantNotOrganizationEnabled(BadRequest):
    """Only grants with organization_usage allow/require can be associated."""

    def __init__(self, usage: str) -> None:
        super().__init__(
            f"The client grant's organization_usage is '{usage}'; set it to 'allow' or 'require' "
            "before associating it with an organization"
        )
