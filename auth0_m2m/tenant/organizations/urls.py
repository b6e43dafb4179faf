"""Routes of the organizations family (incl. organization client grants)."""

from __future__ import annotations

from auth0_m2m.tenant.core.routing import Route
from auth0_m2m.tenant.organizations import responses as r

_BASE = "/api/v2/organizations"
_ORG_GRANTS = ("read:organization_client_grants",)

url_paths: list[Route] = [
    Route("GET", _BASE, r.list_organizations, ("read:organizations",)),
    Route("POST", _BASE, r.create_organization, ("create:organizations",)),
    Route("GET", _BASE + "/name/{name}", r.get_organization_by_name, ("read:organizations",)),
    Route("GET", _BASE + "/{id}", r.get_organization, ("read:organizations",)),
    Route("PATCH", _BASE + "/{id}", r.update_organization, ("update:organizations",)),
    Route("DELETE", _BASE + "/{id}", r.delete_organization, ("delete:organizations",)),
    Route("GET", _BASE + "/{id}/client-grants", r.list_organization_client_grants, _ORG_GRANTS),
    Route(
        "POST",
        _BASE + "/{id}/client-grants",
        r.associate_client_grant,
        ("create:organization_client_grants",),
    ),
    Route(
        "DELETE",
        _BASE + "/{id}/client-grants/{grant_id}",
        r.dissociate_client_grant,
        ("delete:organization_client_grants",),
    ),
    Route("GET", "/api/v2/client-grants/{id}/organizations", r.list_grant_organizations, _ORG_GRANTS),
]
