"""The `Grant` component: an `auth0.ClientGrant` giving one app a set of scopes on one API.

`organization_usage` and `allow_any_organization` are always sent explicitly, so what the grant allows
never depends on Auth0's defaults; `allow_all_scopes` is never used (a grant lists its scopes).

With `import_id`, a grant that exists already (made by hand) is adopted by its id. One exception to
"always explicit": an adopted grant leaves out the settings that equal Auth0's reading of their
absence (`organization_usage: deny`, `allow_any_organization: false`), because a grant made by hand
usually has neither, and sending them would turn a faithful adoption into an update.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_auth0 as auth0

GrantOrganizationUsage = Literal["deny", "allow", "require"]


@dataclass(frozen=True)
class GrantArgs:
    """Arguments of `Grant`."""

    client_id: pulumi.Input[str]
    """The app being granted access."""
    audience: pulumi.Input[str]
    """The identifier of the API."""
    scopes: Sequence[str]
    """The scopes granted; must be scopes of the API."""
    organization_usage: GrantOrganizationUsage = "deny"
    """Whether token requests may (`allow`) or must (`require`) name an organization; `deny` without one."""
    allow_any_organization: bool = False
    """Whether the grant works with any organization rather than only the linked ones."""
    depends_on: Sequence[pulumi.Resource] = ()
    """Resources that must exist first, typically the API's scopes resource."""
    import_id: str | None = None
    """The id (cgr_...) of an existing grant to adopt instead of creating one."""


class Grant(pulumi.ComponentResource):
    """A client grant: app + API + scopes, with its organization behaviour set explicitly."""

    grant_id: pulumi.Output[str]
    """The grant's id (cgr_...)."""
    scopes: pulumi.Output[list[str]]
    """The scopes granted."""
    organization_usage: pulumi.Output[str]
    """deny, allow or require."""
    client_grant: auth0.ClientGrant
    """The Auth0 client grant."""

    def __init__(self, name: str, args: GrantArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("auth0-m2m:index:Grant", name, None, opts)
        if not args.scopes:
            raise ValueError(f"{name}: a grant needs at least one scope")
        usage: str | None = args.organization_usage
        any_organization: bool | None = args.allow_any_organization
        if args.import_id is not None:  # leave out what equals Auth0's reading of its absence
            usage = None if usage == "deny" else usage
            any_organization = any_organization or None
        self.client_grant = auth0.ClientGrant(
            f"{name}-grant",
            client_id=args.client_id,
            audience=args.audience,
            scopes=list(args.scopes),
            organization_usage=usage,
            allow_any_organization=any_organization,
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=list(args.depends_on), import_=args.import_id
            ),
        )
        self.grant_id = self.client_grant.id
        self.scopes = pulumi.Output.from_input(list(args.scopes))
        self.organization_usage = pulumi.Output.from_input(args.organization_usage)
        self.register_outputs(
            {"grant_id": self.grant_id, "scopes": self.scopes, "organization_usage": self.organization_usage}
        )
