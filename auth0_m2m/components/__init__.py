"""Pulumi components for Auth0 Machine-to-Machine integrations.

The components are `Api`, `Organization` and `M2MIntegration` (type tokens `auth0-m2m:index:<Class>`);
each takes `(name, args, opts)` with a frozen dataclass of `pulumi.Input` values, parents its children
to itself and registers its outputs last. An integration's app, grant and organization link are
declared by helper functions (`machine_app`, `client_grant`, `organization_link`) as direct children
of the `M2MIntegration`: one component per integration keeps the engine's steps close to a plain
pulumi-auth0 program's. `pacing_hooks()` makes the resource hooks that keep creates and updates under
the tenant's rate limit (`hooks` in each component's args). Components never read config or
environment variables: the program (`auth0_m2m.program`) hands them typed args.

A program of a team's own (any project name) declares them and calls
`export_integrations({"billing": integration})`, which exports the `integrations` stack output the
consumer commands read (docs/outputs.md).
"""

from __future__ import annotations

from auth0_m2m.components.api import Api, ApiArgs
from auth0_m2m.components.grant import GrantArgs, client_grant
from auth0_m2m.components.integration import M2MIntegration, M2MIntegrationArgs, export_integrations
from auth0_m2m.components.machine_client import (
    AuthMethod,
    MachineClient,
    MachineClientArgs,
    PublicKey,
    machine_app,
)
from auth0_m2m.components.organization import Organization, OrganizationArgs
from auth0_m2m.components.organization_access import (
    ExistingOrganization,
    OrganizationAccess,
    OrganizationAccessArgs,
    organization_link,
)
from auth0_m2m.components.pacing import RatePacer, pacing_hooks

__all__ = [
    "Api",
    "ApiArgs",
    "AuthMethod",
    "ExistingOrganization",
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
    "RatePacer",
    "client_grant",
    "export_integrations",
    "machine_app",
    "organization_link",
    "pacing_hooks",
]
