"""The `Organization` component: an Auth0 organization created by the stack.

Kept apart from `OrganizationAccess` because several integrations may share one organization: the
stack creates it once, and each integration's access links its own grant to it. With `import_id`, an
organization that exists already is adopted (imported by its id) instead of created.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_auth0 as auth0


@dataclass(frozen=True)
class OrganizationArgs:
    """Arguments of `Organization`."""

    name: pulumi.Input[str]
    """The organization's name: lowercase a-z, 0-9, '_' and '-', 1-50 characters, unique in the tenant."""
    display_name: pulumi.Input[str] | None = None
    """Human-readable name."""
    metadata: Mapping[str, str] = field(default_factory=dict)
    """Up to 10 string key/value pairs."""
    protect: bool = False
    """Protect the organization from deletion."""
    import_id: str | None = None
    """The id (org_...) of an existing organization to adopt instead of creating one."""
    hooks: pulumi.ResourceHookBinding | None = None
    """Resource hooks bound to each Auth0 resource of the component (the program's rate pacing,
    `auth0_m2m/components/pacing.py`)."""


class Organization(pulumi.ComponentResource):
    """An Auth0 organization that integrations can be linked to."""

    organization_id: pulumi.Output[str]
    """The organization's id (org_...)."""
    organization_name: pulumi.Output[str]
    """The organization's name."""
    organization: auth0.Organization
    """The Auth0 organization."""

    def __init__(self, name: str, args: OrganizationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("auth0-m2m:index:Organization", name, None, opts)
        self.organization = auth0.Organization(
            f"{name}-org",
            name=args.name,
            display_name=args.display_name,
            metadata=dict(args.metadata) or None,
            opts=pulumi.ResourceOptions(
                parent=self, hooks=args.hooks, protect=args.protect, import_=args.import_id
            ),
        )
        self.organization_id = self.organization.id
        self.organization_name = self.organization.name
        self.register_outputs(
            {"organization_id": self.organization_id, "organization_name": self.organization_name}
        )
