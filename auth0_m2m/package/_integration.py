"""`Integration`: the multi-language face of `M2MIntegration`, with plain arguments a YAML or TypeScript
author writes.

The component package (`auth0_m2m.package`) serves this class; its schema is inferred from the annotations
below by the Python SDK's component provider host, so each argument and output is a plain value (a string, a
list of strings, a map of strings, or the `ApiDefinition` object): no Python object crosses the language
boundary. Inside, it builds the Python components (`Api`, `Organization`, `M2MIntegration`) with their own
args: the rules (one of api and audience, scopes, organization usage, auth method) are theirs, not a copy.

Type tokens: the class is `Integration`, so its token is `auth0-m2m:index:Integration`, distinct from the
Python component `auth0-m2m:index:M2MIntegration` it wraps (a child of it). Its Auth0 resources use the auth0
provider the caller passes (`providers` option), else the default one, configured from the stack's `auth0:`
config; the tenant domain exported as `hostname` is `domain`, else that same `auth0:domain` config.

Outputs: the connection details as typed outputs (`clientId`, `clientSecret` (a secret), `hostname`,
`audience`, `tokenUrl`, `scopes`, `organization`, `organizationId`) and `connection`, the same details keyed
exactly as one entry of the `integrations` stack output (docs/outputs.md), so that a program exports
`integrations: {<name>: <integration>.connection}` and the consumer commands serve its stack.
"""

# No `from __future__ import annotations`: the SDK's schema inference reads these annotations as types.
from typing import Any, Literal, NotRequired, TypedDict

import pulumi

from auth0_m2m.components import (
    Api,
    ApiArgs,
    ExistingOrganization,
    M2MIntegration,
    M2MIntegrationArgs,
    Organization,
    OrganizationArgs,
)
from auth0_m2m.components.machine_client import AuthMethod

AUTH_METHODS: dict[str, AuthMethod] = {
    "client_secret_post": "client_secret_post",
    "client_secret_basic": "client_secret_basic",
}
"""The auth methods the facade offers (private_key_jwt needs public keys: use the Python components)."""
ORGANIZATION_USAGES: dict[str, Literal["allow", "require"]] = {"allow": "allow", "require": "require"}


class ApiDefinition(TypedDict):
    """An API (resource server) the integration creates, with the scopes it owns."""

    identifier: str
    """The API's identifier: the `audience` of token requests. Auth0 never lets it change."""
    scopes: dict[str, str]
    """Scope name -> description; the API owns the whole list."""
    name: NotRequired[str]
    """The API's name in Auth0; defaults to the integration's name."""
    signing_alg: NotRequired[str]
    """Algorithm that signs access tokens: RS256 (default) or PS256."""
    token_lifetime: NotRequired[int]
    """Lifetime of access tokens from the token endpoint, in seconds (default 86400)."""


class IntegrationArgs(TypedDict):
    """Arguments of `Integration`: give exactly one of `api` and `audience`."""

    scopes: list[str]
    """The scopes granted: a non-empty subset of the API's scopes."""
    audience: NotRequired[str]
    """The identifier of an existing API (instead of `api`)."""
    api: NotRequired[ApiDefinition]
    """An API to create with the integration (instead of `audience`)."""
    domain: NotRequired[str]
    """The tenant's domain, exported as `hostname` (default: the stack's `auth0:domain` config)."""
    organization: NotRequired[str]
    """An organization's name: one the integration creates, or with `organizationId` the existing one's."""
    organization_id: NotRequired[str]
    """The id (org_...) of an existing organization the grant is used through."""
    organization_display_name: NotRequired[str]
    """The display name of the organization the integration creates."""
    organization_usage: NotRequired[str]
    """With an organization: `require` (default) or `allow` token requests to name it."""
    auth_method: NotRequired[str]
    """How the app authenticates: client_secret_post (default) or client_secret_basic."""
    description: NotRequired[str]
    """The app's description in Auth0 (default: says which integration and stack made it)."""
    app_name: NotRequired[str]
    """The app's name in Auth0; defaults to the integration's name."""


class Integration(pulumi.ComponentResource):
    """One Auth0 Machine-to-Machine integration (app, credentials, grant, optional API and organization) and
    its connection details, shaped as an entry of auth0-m2m's `integrations` stack output."""

    client_id: pulumi.Output[str]
    """The app's Client ID."""
    client_secret: pulumi.Output[str]
    """The app's Client Secret (a secret)."""
    hostname: pulumi.Output[str]
    """The tenant domain (Nango's HostName)."""
    audience: pulumi.Output[str]
    """The API identifier (Nango's Audience)."""
    token_url: pulumi.Output[str]
    """https://{hostname}/oauth/token."""
    scopes: pulumi.Output[list[str]]
    """The scopes granted."""
    organization: pulumi.Output[str | None]
    """The organization's name (Nango's Organization), or null."""
    organization_id: pulumi.Output[str | None]
    """The organization's id (org_...), or null."""
    connection: pulumi.Output[dict[str, Any]]
    """The details keyed as an entry of the `integrations` stack output (docs/outputs.md): export it as
    `integrations.<name>`."""

    def __init__(self, name: str, args: IntegrationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("auth0-m2m:index:Integration", name, None, opts)
        self.integration = M2MIntegration(
            name, integration_args(name, args, self), pulumi.ResourceOptions(parent=self)
        )
        details = self.integration.connection_details()
        self.client_id = self.integration.client_id
        self.client_secret = pulumi.Output.secret(self.integration.client_secret)
        self.hostname = self.integration.hostname
        self.audience = self.integration.audience
        self.token_url = self.integration.token_url
        self.scopes = self.integration.scopes
        self.organization = self.integration.organization
        self.organization_id = self.integration.organization_id
        self.connection = pulumi.Output.from_input(details)
        self.register_outputs({"connection": self.connection})


def integration_args(name: str, args: IntegrationArgs, parent: pulumi.Resource) -> M2MIntegrationArgs:
    """The Python component's args for the facade's: the API and organization declared as `parent`'s children.

    Raises ValueError naming `name` for a value the facade does not offer (the Python components check the
    rest).
    """
    auth_method = AUTH_METHODS.get(args.get("auth_method", "client_secret_post"))
    if auth_method is None:
        raise ValueError(f"{name}: authMethod must be one of {', '.join(AUTH_METHODS)}")
    usage = ORGANIZATION_USAGES.get(args.get("organization_usage", "require"))
    if usage is None:
        raise ValueError(f"{name}: organizationUsage must be allow or require")
    if ("api" in args) == ("audience" in args):
        raise ValueError(f"{name}: give exactly one of api and audience")
    domain = args.get("domain") or pulumi.Config("auth0").get("domain")
    if not domain:
        raise ValueError(f"{name}: give domain, or set the stack's auth0:domain config")
    child = pulumi.ResourceOptions(parent=parent)
    api: Api | None = None
    if "api" in args:
        definition = args["api"]
        api = Api(
            f"{name}-api",
            ApiArgs(
                identifier=definition["identifier"],
                display_name=definition.get("name", name),
                scopes=dict(definition["scopes"]),
                signing_alg=definition.get("signing_alg", "RS256"),
                token_lifetime=int(definition.get("token_lifetime", 86400)),
            ),
            child,
        )
    organization: Organization | ExistingOrganization | None = None
    if "organization_id" in args:
        organization = ExistingOrganization(id=args["organization_id"], name=args.get("organization"))
    elif "organization" in args:
        organization = Organization(
            f"{name}-organization",
            OrganizationArgs(name=args["organization"], display_name=args.get("organization_display_name")),
            child,
        )
    stack = pulumi.get_stack()
    return M2MIntegrationArgs(
        hostname=domain,
        scopes=list(args["scopes"]),
        description=args.get("description") or f"auth0-m2m integration '{name}' (stack {stack})",
        api=api,
        audience=args.get("audience"),
        app_name=args.get("app_name") or name,
        auth_method=auth_method,
        organization=organization,
        organization_usage=usage,
    )
