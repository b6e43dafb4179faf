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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pulumi
import pulumi_auth0 as auth0

from auth0_m2m.components.api import Api
from auth0_m2m.components.grant import GrantArgs, check_grant, client_grant
from auth0_m2m.components.machine_client import (
    AuthMethod,
    MachineClient,
    MachineClientArgs,
    PublicKey,
    check_machine_client,
    machine_app,
)
from auth0_m2m.components.organization import Organization
from auth0_m2m.components.organization_access import (
    ExistingOrganization,
    OrganizationAccess,
    OrganizationAccessArgs,
    organization_link,
)

TYPE = "auth0-m2m:index:M2MIntegration"
OUTPUT_NAME = "integrations"
"""The stack output the consumers read (`auth0_m2m.outputs.OUTPUT_NAME`; components import no
other part of the package)."""

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
    hooks: pulumi.ResourceHookBinding | None = None
    """Resource hooks bound to each Auth0 resource of the integration (the program's rate pacing,
    `auth0_m2m/components/pacing.py`)."""


class M2MIntegration(pulumi.ComponentResource):
    """One Machine-to-Machine integration and its connection details."""

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
        super().__init__(TYPE, name, None, opts)
        self._top_level = opts is None or opts.parent is None
        child = pulumi.ResourceOptions(parent=self, hooks=args.hooks)
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
            child,
            legacy_parent=self._legacy_parent(name, "app"),
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
            child,
            legacy_parent=self._legacy_parent(name, "grant"),
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
                child,
                legacy_parent=self._legacy_parent(name, "link"),
            )
        self._hostname = args.hostname
        self._audience = audience
        self._scopes = list(args.scopes)
        self._auth_method = args.auth_method
        self.register_outputs(self.connection_details())

    # The connection details are properties: each is an Output only when asked for. Outputs are not
    # free (the SDK tracks every one until the run ends), and `connection_details()` hands the export
    # the plain values it already has.
    @property
    def client_id(self) -> pulumi.Output[str]:
        """The app's client ID."""
        return self.app.client_id

    @property
    def client_secret(self) -> pulumi.Output[str]:
        """The app's client secret (a Pulumi secret)."""
        return self.app.client_secret

    @property
    def hostname(self) -> pulumi.Output[str]:
        """The tenant domain (Nango's HostName)."""
        return pulumi.Output.from_input(self._hostname)

    @property
    def audience(self) -> pulumi.Output[str]:
        """The API identifier (Nango's Audience)."""
        return pulumi.Output.from_input(self._audience)

    @property
    def token_url(self) -> pulumi.Output[str]:
        """https://{hostname}/oauth/token."""
        return pulumi.Output.from_input(_token_url(self._hostname))

    @property
    def scopes(self) -> pulumi.Output[list[str]]:
        """The scopes granted."""
        return pulumi.Output.from_input(self._scopes)

    @property
    def organization(self) -> pulumi.Output[str | None]:
        """The organization's name (Nango's Organization), or None."""
        return pulumi.Output.from_input(self.access.organization_name if self.access else None)

    @property
    def organization_id(self) -> pulumi.Output[str | None]:
        """The organization's id (org_...), or None."""
        return pulumi.Output.from_input(self.access.organization_id if self.access else None)

    def _legacy_parent(self, name: str, part: str) -> pulumi.Input[str]:
        """The URN of the component that held `part` before issue 13 (auth0_m2m/components/_legacy.py): text
        for a top-level integration (the program's), else computed from this one's URN."""
        if self._top_level:
            project, stack = pulumi.get_project(), pulumi.get_stack()
            return f"urn:pulumi:{stack}::{project}::{TYPE}${LEGACY_PARENTS[part]}::{name}"
        return pulumi.create_urn(name, LEGACY_PARENTS[part], parent=self)

    def connection_details(self) -> dict[str, pulumi.Input[Any]]:
        """The outputs consumers need, keyed as the stack exports them (see auth0_m2m.outputs): plain
        values where the integration knows them, Outputs where the resources resolve them."""
        access = self.access
        return {
            "client_id": self.app.client_id,
            "client_secret": self.app.client_secret,
            "hostname": self._hostname,
            "audience": self._audience,
            "organization": access.organization_name if access is not None else None,
            "organization_id": access.organization_id if access is not None else None,
            "token_url": _token_url(self._hostname),
            "scopes": self._scopes,
            "auth_method": self._auth_method,
        }


def export_integrations(integrations: Mapping[str, M2MIntegration]) -> None:
    """Export the `integrations` stack output for these integrations, keyed by name.

    The output follows the consumers' contract (`auth0_m2m.outputs`, docs/outputs.md), so
    `auth0-m2m outputs | verify | export | rotate` serve the stack whatever program made it.
    """
    pulumi.export(OUTPUT_NAME, {name: item.connection_details() for name, item in integrations.items()})


def _token_url(hostname: pulumi.Input[str]) -> pulumi.Input[str]:
    """https://{hostname}/oauth/token, a plain string when the hostname is one."""
    if isinstance(hostname, str):
        return f"https://{hostname}/oauth/token"
    return pulumi.Output.concat("https://", hostname, "/oauth/token")


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
