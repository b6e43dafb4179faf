"""The organization part of an `M2MIntegration`: lets its client grant be used through one organization.

The organization is either one this stack creates (an `Organization` component, which several
integrations may share) or an existing one referenced by id (`ExistingOrganization`).
`organization_link()` declares the `auth0.OrganizationClientGrant` that links it to the grant,
parented to the caller (the integration component); Auth0 only accepts that link when the grant's
`organization_usage` is `allow` or `require`. It was the `auth0-m2m:index:OrganizationAccess`
component until issue 13; an alias under the old component's URN (`legacy_parent`) keeps the links
of stacks made then. With `import_id`
(`<org_id>::<grant_id>`), a link that exists already is adopted instead of created.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_auth0 as auth0

from auth0_m2m.components._legacy import legacy_aliases
from auth0_m2m.components.organization import Organization

LINK_TYPE = "auth0:index/organizationClientGrant:OrganizationClientGrant"


@dataclass(frozen=True)
class ExistingOrganization:
    """An organization that exists in the tenant already and is not managed by this stack."""

    id: pulumi.Input[str]
    """The organization's id (org_...)."""
    name: pulumi.Input[str] | None = None
    """Its name, if known; exported as `organization` (the id is exported when it is not known)."""


@dataclass(frozen=True)
class OrganizationAccessArgs:
    """Arguments of `organization_link()`."""

    organization: Organization | ExistingOrganization
    """The organization to link: created by this stack, or existing."""
    grant_id: pulumi.Input[str]
    """The client grant to link."""
    organization_usage: str
    """The grant's organization_usage; must be `allow` or `require`."""
    import_id: str | None = None
    """`<org_id>::<grant_id>` of an existing link to adopt instead of creating one."""


@dataclass(frozen=True)
class OrganizationAccess:
    """The link `organization_link()` declared and the organization's id and name."""

    link: auth0.OrganizationClientGrant
    """The Auth0 organization client grant."""
    organization_id: pulumi.Output[str]
    """The organization's id (org_...)."""
    organization_name: pulumi.Output[str]
    """The organization's name (its id when an existing organization's name was not given)."""


def check_organization_access(name: str, args: OrganizationAccessArgs) -> None:
    """Raise ValueError (naming `name`) when the grant cannot be linked to an organization."""
    if args.organization_usage not in ("allow", "require"):
        raise ValueError(
            f"{name}: the grant's organization_usage must be allow or require to link an organization"
        )


def organization_link(
    name: str,
    args: OrganizationAccessArgs,
    opts: pulumi.ResourceOptions,
    *,
    legacy_parent: pulumi.Input[str] | None = None,
) -> OrganizationAccess:
    """Declare `<name>-org-grant` with `opts` (its parent and hooks), aliased under `legacy_parent`."""
    check_organization_access(name, args)
    org = args.organization
    if isinstance(org, Organization):
        organization_id, organization_name = org.organization_id, org.organization_name
    else:
        organization_id = pulumi.Output.from_input(org.id)
        organization_name = pulumi.Output.from_input(org.name if org.name is not None else org.id)
    link = auth0.OrganizationClientGrant(
        f"{name}-org-grant",
        organization_id=organization_id,
        grant_id=args.grant_id,
        opts=pulumi.ResourceOptions.merge(
            opts,
            pulumi.ResourceOptions(
                import_=args.import_id,
                aliases=legacy_aliases(legacy_parent, LINK_TYPE, f"{name}-org-grant"),
            ),
        ),
    )
    return OrganizationAccess(link, link.organization_id, organization_name)
