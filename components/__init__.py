"""Pulumi components for Auth0 Machine-to-Machine integrations, one component per module.

Type tokens are `auth0-m2m:index:<Class>`; each takes `(name, args, opts)` with a frozen dataclass of
`pulumi.Input` values, parents its children to itself and registers its outputs last. Components never
read config or environment variables: the program (`auth0_m2m.program`) hands them typed args.
"""

from __future__ import annotations

from components.api import Api, ApiArgs
from components.grant import Grant, GrantArgs
from components.integration import M2MIntegration, M2MIntegrationArgs
from components.machine_client import AuthMethod, MachineClient, MachineClientArgs, PublicKey
from components.organization import Organization, OrganizationArgs
from components.organization_access import ExistingOrganization, OrganizationAccess, OrganizationAccessArgs

__all__ = [
    "Api",
    "ApiArgs",
    "AuthMethod",
    "ExistingOrganization",
    "Grant",
    "GrantArgs",
    "M2MIntegration",
    "M2MIntegrationArgs",
    "MachineClient",
    "MachineClientArgs",
    "Organization",
    "OrganizationAccess",
    "OrganizationAccessArgs",
    "OrganizationArgs",
    "PublicKey",
]
