"""The grant part of an `M2MIntegration`: an `auth0.ClientGrant` giving one app scopes on one API.

`organization_usage` and `allow_any_organization` are always sent explicitly, so what the grant allows
never depends on Auth0's defaults; `allow_all_scopes` is never used (a grant lists its scopes).

`client_grant()` declares the resource parented to the caller (the integration component). It was the
`auth0-m2m:index:Grant` component until issue 13 removed that extra engine step per integration;
an alias under the old component's URN (`legacy_parent`) keeps the grants of stacks made then.

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

from auth0_m2m.components._legacy import legacy_aliases

GrantOrganizationUsage = Literal["deny", "allow", "require"]


@dataclass(frozen=True)
class GrantArgs:
    """Arguments of `client_grant()`."""

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


def check_grant(name: str, args: GrantArgs) -> None:
    """Raise ValueError (naming `name`) for a grant Auth0 would refuse."""
    if not args.scopes:
        raise ValueError(f"{name}: a grant needs at least one scope")


def client_grant(
    name: str,
    args: GrantArgs,
    opts: pulumi.ResourceOptions,
    *,
    legacy_parent: pulumi.Input[str] | None = None,
) -> auth0.ClientGrant:
    """Declare `<name>-grant` with `opts` (its parent and hooks), aliased under `legacy_parent`."""
    check_grant(name, args)
    usage: str | None = args.organization_usage
    any_organization: bool | None = args.allow_any_organization
    if args.import_id is not None:  # leave out what equals Auth0's reading of its absence
        usage = None if usage == "deny" else usage
        any_organization = any_organization or None
    return auth0.ClientGrant(
        f"{name}-grant",
        client_id=args.client_id,
        audience=args.audience,
        scopes=list(args.scopes),
        organization_usage=usage,
        allow_any_organization=any_organization,
        opts=pulumi.ResourceOptions.merge(
            opts,
            pulumi.ResourceOptions(
                depends_on=list(args.depends_on),
                import_=args.import_id,
                aliases=legacy_aliases(legacy_parent, "auth0:index/clientGrant:ClientGrant", f"{name}-grant"),
            ),
        ),
    )
