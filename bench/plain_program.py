"""The comparison program: the bench's integrations declared with pulumi-auth0 resources directly.

What a user without auth0-m2m would write: no components, no settings validation, no outputs beyond
the client ids and secrets. It reads the same stack file as our program (`auth0-m2m:apis`,
`auth0-m2m:integrations`) as raw objects and declares the same Auth0 objects with the same values
and resource names as our components' children (`<api>-server`, `<api>-scopes`, `<name>-client`,
`<name>-credentials`, `<name>-grant`), so the engine and the provider do the same work apart from
what the components and validation add. It covers what the bench declares (APIs, integrations on an
API of the stack, secret-based auth); organizations are not part of the bench.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_auth0 as auth0


def plain_program(domain: str, client_id: str, client_secret: str) -> None:
    """Declare the stack's APIs and integrations with bare pulumi-auth0 resources."""
    config = pulumi.Config("auth0-m2m")
    apis: dict[str, Any] = config.require_object("apis")
    integrations: dict[str, Any] = config.require_object("integrations")
    provider = auth0.Provider(
        "auth0-tenant",
        domain=domain,
        client_id=client_id,
        client_secret=pulumi.Output.secret(client_secret),
    )
    servers: dict[str, auth0.ResourceServer] = {}
    scopes: dict[str, auth0.ResourceServerScopes] = {}
    for key, api in apis.items():
        servers[key] = auth0.ResourceServer(
            f"{key}-server",
            identifier=api["identifier"],
            name=api.get("name", key),
            signing_alg="RS256",
            token_lifetime=86400,
            skip_consent_for_verifiable_first_party_clients=True,
            allow_offline_access=False,
            opts=pulumi.ResourceOptions(provider=provider),
        )
        scopes[key] = auth0.ResourceServerScopes(
            f"{key}-scopes",
            resource_server_identifier=servers[key].identifier,
            scopes=[
                auth0.ResourceServerScopesScopeArgs(name=name, description=text)
                for name, text in api["scopes"].items()
            ],
            opts=pulumi.ResourceOptions(provider=provider, depends_on=[servers[key]]),
        )
    exported: dict[str, Any] = {}
    for name, spec in integrations.items():
        client = auth0.Client(
            f"{name}-client",
            name=spec.get("app_name", name),
            description=spec["description"],
            app_type="non_interactive",
            grant_types=["client_credentials"],
            jwt_configuration=auth0.ClientJwtConfigurationArgs(alg="RS256"),
            opts=pulumi.ResourceOptions(provider=provider),
        )
        credentials = auth0.ClientCredentials(
            f"{name}-credentials",
            client_id=client.client_id,
            authentication_method=spec.get("auth_method", "client_secret_post"),
            opts=pulumi.ResourceOptions(provider=provider),
        )
        auth0.ClientGrant(
            f"{name}-grant",
            client_id=client.client_id,
            audience=servers[spec["api"]].identifier,
            scopes=list(spec["scopes"]),
            organization_usage="deny",
            allow_any_organization=False,
            opts=pulumi.ResourceOptions(provider=provider, depends_on=[scopes[spec["api"]]]),
        )
        exported[name] = {"client_id": client.client_id, "client_secret": credentials.client_secret}
    pulumi.export("integrations", exported)
