"""The resource types the stand-in provider implements, keyed by Pulumi type token.

One module per Auth0 object family; each type maps `pulumi_auth0` 3.37.1 properties to
Management API JSON and makes the same calls as the upstream provider.
"""

from __future__ import annotations

from auth0_m2m.provider._exceptions import UnsupportedError
from auth0_m2m.provider._resources._base import Field, ResourceType
from auth0_m2m.provider._resources.client import Client
from auth0_m2m.provider._resources.client_credentials import ClientCredentials
from auth0_m2m.provider._resources.client_grant import ClientGrant
from auth0_m2m.provider._resources.organization import Organization, OrganizationClientGrant
from auth0_m2m.provider._resources.resource_server import ResourceServer, ResourceServerScopes

RESOURCE_TYPES: dict[str, ResourceType] = {
    rtype.pulumi_type: rtype
    for rtype in (
        Client(),
        ClientCredentials(),
        ResourceServer(),
        ResourceServerScopes(),
        ClientGrant(),
        Organization(),
        OrganizationClientGrant(),
    )
}


def resource_type(token: str) -> ResourceType:
    """The implementation of `token`, or `UnsupportedError` naming it and what is supported."""
    try:
        return RESOURCE_TYPES[token]
    except KeyError:
        supported = ", ".join(sorted(RESOURCE_TYPES))
        raise UnsupportedError(
            f"{token} is not supported by the auth0-m2m stand-in for pulumi-resource-auth0 "
            f"(it implements only: {supported})"
        ) from None


__all__ = ["RESOURCE_TYPES", "Field", "ResourceType", "resource_type"]
