"""The `OrganizationAccess` component: lets one client grant be used through one organization.

The organization is either one this stack creates (an `Organization` component) or an existing one
referenced by id (`ExistingOrganization`). `auth0.OrganizationClientGrant` links it to the grant;
Auth0 only accepts that link when the grant's `organization_usage` is `allow` or `require`. With
`import_id` (`<org_id>::<grant_id>`), a link that exists already is adopted instead of created.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_auth0 as auth0

from components.organization import Organization


@dataclass(frozen=True)
class ExistingOrganization:
    """An organization that exists in the tenant already and is not managed by this stack."""

    id: pulumi.Input[str]
    """The organization's id (org_...)."""
    name: pulumi.Input[str] | None = None
    """Its name, if known; exported as `organization` (the id is exported when it is not known)."""


@dataclass(frozen=True)
class OrganizationAccessArgs:
    """Arguments of `OrganizationAccess`."""

    organization: Organization | ExistingOrganization
    """The organization to link: created by this stack, or existing."""
    grant_id: pulumi.Input[str]
    """The client grant to link."""
    organization_usage: str
    """The grant's organization_usage; must be `allow` or `require`."""
    import_id: str | None = None
    """`<org_id>::<grant_id>` of an existing link to adopt instead of creating one."""


class OrganizationAccess(pulumi.ComponentResource):
    """The link between an organization and a client grant."""

    organization_id: pulumi.Output[str]
    """The organization's id (org_...)."""
    organization_name: pulumi.Output[str]
    """The organization's name (its id when an existing organization's name was not given)."""
    link: auth0.OrganizationClientGrant
    """The Auth0 organization client grant."""

    def __init__(
        self, name: str, args: OrganizationAccessArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("auth0-m2m:index:OrganizationAccess", name, None, opts)
        if args.organization_usage not in ("allow", "require"):
            raise ValueError(
                f"{name}: the grant's organization_usage must be allow or require to link an organization"
            )
        org = args.organization
        if isinstance(org, Organization):
            organization_id, organization_name = org.organization_id, org.organization_name
        else:
            organization_id = pulumi.Output.from_input(org.id)
            organization_name = pulumi.Output.from_input(org.name if org.name is not None else org.id)
        self.link = auth0.OrganizationClientGrant(
            f"{name}-org-grant",
            organization_id=organization_id,
            grant_id=args.grant_id,
            opts=pulumi.ResourceOptions(parent=self, import_=args.import_id),
        )
        self.organization_id = self.link.organization_id
        self.organization_name = organization_name
        self.register_outputs(
            {"organization_id": self.organization_id, "organization_name": self.organization_name}
        )
