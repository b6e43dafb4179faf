"""Typed models of a stack's configuration: the `auth0:` connection and the `auth0-m2m:` keys.

Pydantic checks the shape here (types, required and unknown keys, enumerations, ranges); the rules
that compare values with each other (references, scope subsets, Auth0 naming rules) live in
`_rules.py`, `_adopt.py` (the `adopt:` keys) and `policy.py`, so that every problem can be reported
with its exact key path. Every field carries a description: the error formatter quotes it when a key
is missing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SecretStr, field_validator
from pydantic_core import PydanticCustomError

from auth0_m2m.settings._rate import RateLimit, parse_rate_limit
from auth0_m2m.settings._targets import TargetSpec, parse_target_spec

PROJECT = "auth0-m2m"
"""The Pulumi project name, which is also the namespace of the toolkit's config keys."""

AuthMethod = Literal["client_secret_post", "client_secret_basic", "private_key_jwt"]
SigningAlg = Literal["RS256", "PS256"]
KeyAlgorithm = Literal["RS256", "RS384", "PS256"]
OrganizationUsage = Literal["allow", "require"]
Rotation = Literal["manual", "scheduled"]

DEFAULT_TOKEN_LIFETIME = 86400
"""Auth0's default access-token lifetime for an API, in seconds (one day)."""
MAX_TOKEN_LIFETIME = 2592000
"""Auth0's largest allowed access-token lifetime for an API, in seconds (30 days)."""
MIN_TOKEN_LIFETIME = 60
"""The toolkit's smallest token lifetime: shorter tokens only multiply token requests."""


def _target(value: object) -> TargetSpec:
    if isinstance(value, TargetSpec):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("target", "must be a target spec such as json:out/creds.json")
    try:
        return parse_target_spec(value)
    except ValueError as error:
        raise PydanticCustomError("target", str(error)) from None


Target = Annotated[TargetSpec, BeforeValidator(_target)]
"""A delivery target, written `KIND:ARG` in the stack file (`_targets.py`)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Auth0Connection(_Model):
    """The tenant a stack targets and the deployer's credentials (`auth0:*` keys or `AUTH0_*` env vars)."""

    domain: str = Field(
        description="The tenant's domain, e.g. dev-example.us.auth0.com (no scheme; may carry a port).",
    )
    client_id: str | None = Field(
        default=None,
        description="Client ID of the deployer's Machine-to-Machine app with Management API access.",
    )
    client_secret: SecretStr | None = Field(
        default=None,
        description="Client secret of the deployer's app; set it with `pulumi config set --secret`.",
    )

    @property
    def management_audience(self) -> str:
        """The Management API's audience on this tenant, which no integration may be granted."""
        return f"https://{self.domain}/api/v2/"


class ApiConfig(_Model):
    """An API (Auth0 resource server) that the stack creates and owns, with all of its scopes."""

    identifier: str = Field(
        description="The API's identifier, used as the audience in token requests; cannot change later.",
    )
    name: str | None = Field(default=None, description="Display name in Auth0; defaults to the API's key.")
    scopes: dict[str, str] = Field(
        default_factory=dict,
        description="The API's scopes, each `name: description`; this stack owns the whole list.",
    )
    signing_alg: SigningAlg = Field(default="RS256", description="Algorithm that signs access tokens.")
    token_lifetime: int = Field(
        default=DEFAULT_TOKEN_LIFETIME,
        ge=MIN_TOKEN_LIFETIME,
        le=MAX_TOKEN_LIFETIME,
        description=f"Access-token lifetime in seconds ({MIN_TOKEN_LIFETIME} to {MAX_TOKEN_LIFETIME}).",
    )
    adopt: str | None = Field(
        default=None,
        description="The id of an existing API to adopt instead of creating one (not its identifier).",
    )


class OrganizationConfig(_Model):
    """An Auth0 organization that the stack creates; integrations reference it by its key."""

    name: str | None = Field(
        default=None,
        description="Organization name (lowercase a-z, 0-9, _ and -, 1-50 characters); defaults to the key.",
    )
    display_name: str | None = Field(default=None, description="Human-readable name, 1-255 characters.")
    metadata: dict[str, str] = Field(default_factory=dict, description="Up to 10 string key/value pairs.")
    adopt: str | None = Field(
        default=None, description="The id (org_...) of an existing organization to adopt, not create."
    )


class PublicKeyConfig(_Model):
    """A public key the integration's app signs client assertions with (private_key_jwt)."""

    pem: str = Field(description="The PEM-encoded public key or X.509 certificate (never the private key).")
    algorithm: KeyAlgorithm = Field(default="RS256", description="Signing algorithm: RS256, RS384 or PS256.")
    name: str | None = Field(default=None, description="A label for the credential in Auth0.")


class AdoptIntegrationConfig(_Model):
    """The objects of an integration that exist already (made by hand) and that the stack adopts."""

    client_id: str = Field(description="The Client ID of the existing Machine-to-Machine app.")
    grant_id: str | None = Field(
        default=None, description="The id (cgr_...) of the app's existing grant on the integration's API."
    )
    organization_grant: bool = Field(
        default=False,
        description="Whether the grant is already linked to the integration's organization (adopt the link).",
    )


class IntegrationConfig(_Model):
    """One Machine-to-Machine integration: an app, its grant on one API and an optional organization."""

    api: str | None = Field(default=None, description="A key of auth0-m2m:apis (the API this stack owns).")
    audience: str | None = Field(
        default=None, description="The identifier of an existing API not managed here (instead of `api`)."
    )
    scopes: list[str] = Field(description="The scopes granted: a non-empty subset of the API's scopes.")
    organization: str | None = Field(default=None, description="A key of auth0-m2m:organizations.")
    organization_id: str | None = Field(
        default=None, description="The id (org_...) of an existing organization (instead of `organization`)."
    )
    organization_name: str | None = Field(
        default=None, description="The name of the existing organization given by `organization_id`."
    )
    organization_usage: OrganizationUsage | None = Field(
        default=None,
        description="With an organization: `require` (default) or `allow` an organization in token requests.",
    )
    allow_any_organization: bool = Field(
        default=False, description="Let the grant be used with any organization, not only the linked one."
    )
    auth_method: AuthMethod = Field(
        default="client_secret_post",
        description="How the app authenticates: client_secret_post, client_secret_basic or private_key_jwt.",
    )
    public_keys: list[PublicKeyConfig] = Field(
        default_factory=list, description="With private_key_jwt: one or two public keys (two for rotation)."
    )
    app_name: str | None = Field(default=None, description="The app's name in Auth0; defaults to the key.")
    description: str | None = Field(
        default=None, description="The app's description in Auth0 (at most 140 characters)."
    )
    adopt: AdoptIntegrationConfig | None = Field(
        default=None,
        description="Existing objects to adopt: `client_id`, optional `grant_id` and `organization_grant`.",
    )
    rotate: Rotation = Field(
        default="manual",
        description="`scheduled`: the scheduled pipeline rotates the client secret; `manual` (default): not.",
    )


Environment = Literal["development", "staging", "production"]


class PolicyConfig(_Model):
    """Explicit opt-ins to grants that the least-privilege policy refuses by default (`auth0-m2m:policy`)."""

    allow_any_organization: bool = Field(
        default=False,
        description="Let integrations set `allow_any_organization: true` (access to every organization).",
    )


class StackConfig(_Model):
    """The whole validated configuration of one stack."""

    auth0: Auth0Connection = Field(description="The tenant and the deployer's credentials.")
    apis: dict[str, ApiConfig] = Field(default_factory=dict, description="APIs this stack creates, by key.")
    organizations: dict[str, OrganizationConfig] = Field(
        default_factory=dict, description="Organizations this stack creates, by key."
    )
    integrations: dict[str, IntegrationConfig] = Field(
        description="The Machine-to-Machine integrations, by name (at least one)."
    )
    protect: bool = Field(
        default=False, description="Protect APIs and apps from deletion (set true for production)."
    )
    environment: Environment | None = Field(
        default=None,
        description="The kind of environment: development, staging or production (production must protect).",
    )
    policy: PolicyConfig = Field(
        default_factory=PolicyConfig, description="Opt-ins to grants the least-privilege policy refuses."
    )
    rate_limit: RateLimit | None = Field(
        default=None,
        description="The tenant's Management API limit: requests/s, '<rate>/<burst>' or a preset "
        "(free, paid, enterprise).",
    )
    deliver: dict[str, list[Target]] = Field(
        default_factory=dict,
        description="Where `auth0-m2m deliver` puts each integration's credentials: integration name → "
        "targets (dotenv:PATH, json:PATH, aws-sm:NAME, k8s-secret:PATH, vault:MOUNT/PATH, nango:).",
    )

    @field_validator("rate_limit", mode="before")
    @classmethod
    def _rate_limit(cls, value: object) -> RateLimit | None:
        if value is None or isinstance(value, RateLimit):
            return value
        try:
            return parse_rate_limit(value)
        except ValueError as error:
            raise PydanticCustomError("rate_limit", str(error)) from None

    def organization_name_of(self, integration: IntegrationConfig) -> str | None:
        """The organization name an integration exports, when it is known from the config."""
        if integration.organization is not None:
            org = self.organizations[integration.organization]
            return org.name or integration.organization
        return integration.organization_name
