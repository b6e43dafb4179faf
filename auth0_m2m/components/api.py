"""The `Api` component: an Auth0 API (resource server) and the scopes it owns.

`auth0.ResourceServer` carries the identifier (the audience), the signing algorithm and the token
lifetime; `auth0.ResourceServerScopes` is the only owner of the scope list (never mixed with
`ResourceServerScope`, which appends single scopes and would fight over the list).

With `import_id`, an API that exists already (made by hand) is adopted: the resource server is imported
by its id and the scope list by the identifier. An adopted API keeps its "allow skipping user consent"
setting (the stack sets it only on APIs it creates: it concerns user logins, not M2M tokens), so that
adopting an API exactly as it is described changes nothing in it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_auth0 as auth0


@dataclass(frozen=True)
class ApiArgs:
    """Arguments of `Api`."""

    identifier: pulumi.Input[str]
    """The API's identifier: the `audience` of token requests. Auth0 never lets it change."""
    display_name: pulumi.Input[str] | None = None
    """The API's name in Auth0; defaults to the component name."""
    scopes: Mapping[str, str] = field(default_factory=dict)
    """Scope name → description; this component owns the whole list."""
    signing_alg: pulumi.Input[str] = "RS256"
    """Algorithm that signs access tokens (RS256 or PS256)."""
    token_lifetime: pulumi.Input[int] = 86400
    """Lifetime of access tokens from the token endpoint, in seconds."""
    protect: bool = False
    """Protect the resource server from deletion (production stacks)."""
    import_id: str | None = None
    """The id of an existing API to adopt (not its identifier); `identifier` must then be a plain string."""
    hooks: pulumi.ResourceHookBinding | None = None
    """Resource hooks bound to each Auth0 resource of the component (the program's rate pacing,
    `auth0_m2m/components/pacing.py`)."""


class Api(pulumi.ComponentResource):
    """An Auth0 API with its scopes; integrations are granted a subset of them."""

    identifier: pulumi.Output[str]
    """The API's identifier (the audience)."""
    scope_names: pulumi.Output[list[str]]
    """The names of the API's scopes, in order."""
    resource_server: auth0.ResourceServer
    """The Auth0 resource server."""
    scopes_resource: auth0.ResourceServerScopes
    """The resource that owns the scopes; grants depend on it so the scopes exist first."""

    def __init__(self, name: str, args: ApiArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("auth0-m2m:index:Api", name, None, opts)
        scopes_import_id: str | None = None
        if args.import_id is not None:
            if not isinstance(args.identifier, str):
                raise ValueError(f"{name}: an adopted API needs its identifier as a plain string")
            scopes_import_id = args.identifier
        child = pulumi.ResourceOptions(parent=self, hooks=args.hooks)
        self.resource_server = auth0.ResourceServer(
            f"{name}-server",
            identifier=args.identifier,
            name=args.display_name if args.display_name is not None else name,
            signing_alg=args.signing_alg,
            token_lifetime=args.token_lifetime,
            skip_consent_for_verifiable_first_party_clients=True if args.import_id is None else None,
            allow_offline_access=False,
            # Upstream does not mark signing_secret Sensitive: without this it lands in the state in
            # plaintext (docs/provider-fidelity.md).
            opts=pulumi.ResourceOptions(
                parent=self,
                hooks=args.hooks,
                protect=args.protect,
                import_=args.import_id,
                additional_secret_outputs=["signingSecret"],
            ),
        )
        self.scopes_resource = auth0.ResourceServerScopes(
            f"{name}-scopes",
            resource_server_identifier=self.resource_server.identifier,
            scopes=[
                auth0.ResourceServerScopesScopeArgs(name=scope, description=description)
                for scope, description in args.scopes.items()
            ],
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[self.resource_server], import_=scopes_import_id)
            ),
        )
        self.identifier = self.resource_server.identifier
        self.scope_names = pulumi.Output.from_input(list(args.scopes))
        self.register_outputs({"identifier": self.identifier, "scope_names": self.scope_names})
