"""The `M2MIntegration` component: everything one consumer (e.g. Nango's auth0-cc) needs, as one unit.

It declares, as its direct children, an app with its credentials (`machine_app()`), a client grant
on an API (an `Api` of this stack, or an existing API given by its audience; `client_grant()`) and,
optionally, the grant's organization link (`organization_link()`), and exposes the connection
details: client_id, client_secret (secret), hostname, audience, organization, organization_id,
token_url, scopes. The `import_*` args adopt the integration's objects that exist already (made by
hand) instead of creating them: the app (client id), its grant (cgr_...) and the organization link.

Until issue 13 the app, the grant and the link sat one level lower, in `MachineClient`, `Grant` and
`OrganizationAccess` components: one component per integration instead of four makes 4 state
entries instead of 6 (the engine writes its checkpoint after every step). Each child carries an
alias to its old parent, so a stack made by the old tree upgrades without a replace or a call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_auth0 as auth0

from components.api import Api
from components.grant import GrantArgs, check_grant, client_grant
from components.machine_client import (
    AuthMethod,
    MachineClient,
    MachineClientArgs,
    PublicKey,
    check_machine_client,
    machine_app,
)
from components.organization import Organization
from components.organization_access import (
    ExistingOrganization,
    OrganizationAccess,
    OrganizationAccessArgs,
    organization_link,
)

LEGACY_PARENTS = {
    "app": "auth0-m2m:index:MachineClient",
    "grant": "auth0-m2m:index:Grant",
    "link": "auth0-m2m:index:OrganizationAccess",
}
"""The component types that held the integration's resources before issue 13 (each named like the
integration, parented to it): the children's aliases point there."""


@dataclass(frozen=True)
class M2MIntegrationArgs:
    """Arguments of `M2MIntegration`; give exactly one of `api` and `audience`."""

    hostname: pulumi.Input[str]
    """The tenant's domain, as consumers use it (no scheme); the token URL is built from it."""
    scopes: Sequence[str]
    """The scopes granted (a non-empty subset of the API's scopes)."""
    description: pulumi.Input[str]
    """The app's description in Auth0."""
    api: Api | None = None
    """An API created by this stack."""
    audience: pulumi.Input[str] | None = None
    """The identifier of an existing API (instead of `api`)."""
    app_name: pulumi.Input[str] | None = None
    """The app's name in Auth0; defaults to the component name."""
    auth_method: AuthMethod = "client_secret_post"
    """How the app authenticates."""
    public_keys: Sequence[PublicKey] = ()
    """With private_key_jwt: one or two public keys."""
    organization: Organization | ExistingOrganization | None = None
    """The organization the grant is used through, if any."""
    organization_usage: Literal["allow", "require"] = "require"
    """With an organization: whether token requests may or must name it."""
    allow_any_organization: bool = False
    """Let the grant work with any organization (only with an organization)."""
    protect: bool = False
    """Protect the app from deletion (production stacks)."""
    import_client_id: str | None = None
    """The client id of an existing app to adopt (its credentials are adopted with it)."""
    import_grant_id: str | None = None
    """The id (cgr_...) of the app's existing grant on the API to adopt; needs `import_client_id`."""
    import_organization_grant_id: str | None = None
    """`<org_id>::<grant_id>` of the grant's existing organization link to adopt; needs `import_grant_id`."""
    after: Sequence[pulumi.Resource] = ()
    """Resources whose steps must finish before the app is created (the program's rate-limit lanes)."""


class M2MIntegration(pulumi.ComponentResource):
    """One Machine-to-Machine integration and its connection details."""

    client_id: pulumi.Output[str]
    """The app's client ID."""
    client_secret: pulumi.Output[str]
    """The app's client secret (a Pulumi secret)."""
    hostname: pulumi.Output[str]
    """The tenant domain (Nango's HostName)."""
    audience: pulumi.Output[str]
    """The API identifier (Nango's Audience)."""
    organization: pulumi.Output[str | None]
    """The organization's name (Nango's Organization), or None."""
    organization_id: pulumi.Output[str | None]
    """The organization's id (org_...), or None."""
    token_url: pulumi.Output[str]
    """https://{hostname}/oauth/token."""
    scopes: pulumi.Output[list[str]]
    """The scopes granted."""
    app: MachineClient
    """The app and its credentials."""
    client_grant: auth0.ClientGrant
    """The app's grant on the API."""
    grant_id: pulumi.Output[str]
    """The grant's id (cgr_...)."""
    access: OrganizationAccess | None
    """The grant's organization link, if the integration has an organization."""

    def __init__(
        self, name: str, args: M2MIntegrationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        _check(name, args)
        super().__init__("auth0-m2m:index:M2MIntegration", name, None, opts)
        app_args = MachineClientArgs(
            description=args.description,
            display_name=args.app_name if args.app_name is not None else name,
            auth_method=args.auth_method,
            public_keys=args.public_keys,
            protect=args.protect,
            import_id=args.import_client_id,
        )
        self.app = machine_app(
            name,
            app_args,
            self._child(name, "app"),
            client_opts=pulumi.ResourceOptions(depends_on=list(args.after)) if args.after else None,
        )
        if args.api is not None:
            audience: pulumi.Input[str] = args.api.identifier
            depends_on: list[pulumi.Resource] = [args.api.scopes_resource]
        else:
            assert args.audience is not None  # noqa: S101 - checked above; narrows the type
            audience, depends_on = args.audience, []
        self.client_grant = client_grant(
            name,
            _grant_args(args, self.app.client_id, audience, depends_on),
            self._child(name, "grant"),
        )
        self.grant_id = self.client_grant.id
        self.access = None
        if args.organization is not None:
            self.access = organization_link(
                name,
                OrganizationAccessArgs(
                    organization=args.organization,
                    grant_id=self.grant_id,
                    organization_usage=args.organization_usage,
                    import_id=args.import_organization_grant_id,
                ),
                self._child(name, "link"),
            )
        self.client_id = self.app.client_id
        self.client_secret = self.app.client_secret
        self.hostname = pulumi.Output.from_input(args.hostname)
        self.audience = pulumi.Output.from_input(audience)
        self.token_url = pulumi.Output.concat("https://", self.hostname, "/oauth/token")
        self.scopes = pulumi.Output.from_input(list(args.scopes))
        none: pulumi.Output[str | None] = pulumi.Output.from_input(None)
        self.organization = self.access.organization_name if self.access is not None else none
        self.organization_id = self.access.organization_id if self.access is not None else none
        self.register_outputs(self.connection_details())

    def _child(self, name: str, part: str) -> pulumi.ResourceOptions:
        """Options of a direct child, aliased to where the pre-issue-13 tree had it."""
        legacy_parent = pulumi.create_urn(name, LEGACY_PARENTS[part], parent=self)
        return pulumi.ResourceOptions(parent=self, aliases=[pulumi.Alias(parent=legacy_parent)])

    def connection_details(self) -> dict[str, pulumi.Output[object]]:
        """The outputs consumers need, keyed as the stack exports them (see auth0_m2m.outputs)."""
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "hostname": self.hostname,
            "audience": self.audience,
            "organization": self.organization,
            "organization_id": self.organization_id,
            "token_url": self.token_url,
            "scopes": self.scopes,
        }


def _check(name: str, args: M2MIntegrationArgs) -> None:
    """Every rule the integration's args must meet, before anything is declared."""
    if (args.api is None) == (args.audience is None):
        raise ValueError(f"{name}: give exactly one of api and audience")
    if args.allow_any_organization and args.organization is None:
        raise ValueError(f"{name}: allow_any_organization needs an organization")
    if args.import_grant_id is not None and args.import_client_id is None:
        raise ValueError(f"{name}: an adopted grant needs its app adopted too (import_client_id)")
    if args.import_organization_grant_id is not None and (
        args.import_grant_id is None or args.organization is None
    ):
        raise ValueError(f"{name}: an adopted organization link needs an organization and a grant")
    check_machine_client(
        name,
        MachineClientArgs(
            description="",
            auth_method=args.auth_method,
            public_keys=args.public_keys,
            import_id=args.import_client_id,
        ),
    )
    check_grant(name, GrantArgs(client_id="", audience="", scopes=args.scopes))


def _grant_args(
    args: M2MIntegrationArgs,
    client_id: pulumi.Input[str],
    audience: pulumi.Input[str],
    depends_on: list[pulumi.Resource],
) -> GrantArgs:
    return GrantArgs(
        client_id=client_id,
        audience=audience,
        scopes=args.scopes,
        organization_usage=args.organization_usage if args.organization is not None else "deny",
        allow_any_organization=args.allow_any_organization,
        depends_on=depends_on,
        import_id=args.import_grant_id,
    )
