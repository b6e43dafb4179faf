"""The `M2MIntegration` component: everything one consumer (e.g. Nango's auth0-cc) needs, as one unit.

It composes a `MachineClient`, a `Grant` on an API (an `Api` of this stack, or an existing API given
by its audience) and, optionally, an `OrganizationAccess`, and exposes the connection details:
client_id, client_secret (secret), hostname, audience, organization, organization_id, token_url, scopes.
The `import_*` args adopt the integration's objects that exist already (made by hand) instead of
creating them: the app (client id), its grant (cgr_...) and the grant's organization link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi

from components.api import Api
from components.grant import Grant, GrantArgs
from components.machine_client import AuthMethod, MachineClient, MachineClientArgs, PublicKey
from components.organization import Organization
from components.organization_access import ExistingOrganization, OrganizationAccess, OrganizationAccessArgs


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
    machine_client: MachineClient
    grant: Grant
    access: OrganizationAccess | None

    def __init__(
        self, name: str, args: M2MIntegrationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("auth0-m2m:index:M2MIntegration", name, None, opts)
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
        child = pulumi.ResourceOptions(parent=self)
        self.machine_client = MachineClient(
            name,
            MachineClientArgs(
                description=args.description,
                display_name=args.app_name if args.app_name is not None else name,
                auth_method=args.auth_method,
                public_keys=args.public_keys,
                protect=args.protect,
                import_id=args.import_client_id,
            ),
            child,
        )
        if args.api is not None:
            audience: pulumi.Input[str] = args.api.identifier
            depends_on: list[pulumi.Resource] = [args.api.scopes_resource]
        else:
            assert args.audience is not None  # noqa: S101 - checked above; narrows the type
            audience, depends_on = args.audience, []
        self.grant = Grant(
            name,
            GrantArgs(
                client_id=self.machine_client.client_id,
                audience=audience,
                scopes=args.scopes,
                organization_usage=args.organization_usage if args.organization is not None else "deny",
                allow_any_organization=args.allow_any_organization,
                depends_on=depends_on,
                import_id=args.import_grant_id,
            ),
            child,
        )
        self.access = None
        if args.organization is not None:
            self.access = OrganizationAccess(
                name,
                OrganizationAccessArgs(
                    organization=args.organization,
                    grant_id=self.grant.grant_id,
                    organization_usage=args.organization_usage,
                    import_id=args.import_organization_grant_id,
                ),
                child,
            )
        self.client_id = self.machine_client.client_id
        self.client_secret = self.machine_client.client_secret
        self.hostname = pulumi.Output.from_input(args.hostname)
        self.audience = pulumi.Output.from_input(audience)
        self.token_url = pulumi.Output.concat("https://", self.hostname, "/oauth/token")
        self.scopes = self.grant.scopes
        none: pulumi.Output[str | None] = pulumi.Output.from_input(None)
        self.organization = self.access.organization_name if self.access is not None else none
        self.organization_id = self.access.organization_id if self.access is not None else none
        self.register_outputs(self.connection_details())

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
