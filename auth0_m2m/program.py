"""The Pulumi program: settings → components → stack outputs, for `pulumi up` and the Automation API.

`__main__.py` calls `pulumi_program()`; the CLI and tests pass the same function as an Automation API
inline program. The stack config is validated first: if it has problems, each is logged as one error
line and the run stops before any resource is declared. Otherwise the program builds one explicit
`auth0.Provider` for the stack's tenant, each API and organization once (integrations share them),
one `M2MIntegration` per integration, and exports `integrations.<name>` (plus the top-level
client_id, client_secret, hostname, audience and organization when there is exactly one integration).
Objects named by `adopt:` keys are imported instead of created (see docs/config.md, "Adopting objects
made by hand").

With `auth0-m2m:rate_limit`, an `up` must not send calls faster than the tenant's limit: the program
binds pacing hooks (`auth0_m2m/components/pacing.py`) to every Auth0 resource, so that each create or update
waits until the calls the provider makes for it fit the limit. The engine runs hooks only for steps
that call Auth0: a preview or a no-op `up` pays nothing, and plain `pulumi up` paces itself whatever
its `--parallel`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pulumi
import pulumi_auth0 as auth0

from auth0_m2m.components import (
    Api,
    ApiArgs,
    ExistingOrganization,
    M2MIntegration,
    M2MIntegrationArgs,
    Organization,
    OrganizationArgs,
    PublicKey,
    RatePacer,
    export_integrations,
    pacing_hooks,
)
from auth0_m2m.project import (
    LOCAL_STACK,
    LocalTenant,
    WorkspaceError,
    find_local_tenant,
    local_tenant_dir,
    local_tenant_serving,
)
from auth0_m2m.settings import (
    Auth0Connection,
    ConfigError,
    IntegrationConfig,
    StackConfig,
    from_pulumi_config,
)

PROVIDER_NAME = "auth0-tenant"
"""The explicit provider's resource name; renaming it would replace every resource of the stack."""
SINGLE_INTEGRATION_OUTPUTS = ("client_id", "client_secret", "hostname", "audience", "organization")
"""Outputs also exported at the top level when a stack has exactly one integration."""


def load_settings(connection: Auth0Connection | None = None) -> StackConfig:
    """Validate the running program's config, logging one error line per problem before raising."""
    try:
        return from_pulumi_config(connection=connection)
    except ConfigError as error:
        for problem in error.problems:
            pulumi.log.error(problem)
        count = len(error.problems)
        raise pulumi.RunError(
            f"the stack configuration has {count} problem(s), listed above; nothing was declared"
        ) from error


def build_provider(settings: StackConfig, *, overridden: bool = False) -> auth0.Provider:
    """An explicit provider for the stack's own tenant; the client secret travels as a secret."""
    connection = settings.auth0
    secret: pulumi.Input[str] | None = None
    if not overridden:
        secret = pulumi.Config("auth0").get_secret("clientSecret")
    if secret is None and connection.client_secret is not None:
        secret = pulumi.Output.secret(connection.client_secret.get_secret_value())
    return auth0.Provider(
        PROVIDER_NAME,
        domain=connection.domain,
        client_id=connection.client_id,
        client_secret=secret,
    )


def organization_grant_import_id(settings: StackConfig, integration: IntegrationConfig) -> str | None:
    """`<org_id>::<grant_id>` of the organization link an integration adopts, if it adopts one."""
    adopt = integration.adopt
    if adopt is None or not adopt.organization_grant or adopt.grant_id is None:
        return None
    org_id = integration.organization_id
    if integration.organization is not None:
        org_id = settings.organizations[integration.organization].adopt
    return f"{org_id}::{adopt.grant_id}" if org_id is not None else None


def declare(
    settings: StackConfig, provider: pulumi.ProviderResource | None = None
) -> dict[str, M2MIntegration]:
    """Declare the stack's APIs, organizations and integrations; returns the integrations by name."""
    opts = pulumi.ResourceOptions(provider=provider) if provider is not None else None
    stack = pulumi.get_stack()
    hooks = rate_hooks(settings)
    apis = {
        key: Api(
            key,
            ApiArgs(
                identifier=api.identifier,
                display_name=api.name or key,
                scopes=api.scopes,
                signing_alg=api.signing_alg,
                token_lifetime=api.token_lifetime,
                protect=settings.protect,
                import_id=api.adopt,
                hooks=hooks,
            ),
            opts,
        )
        for key, api in settings.apis.items()
    }
    organizations = {
        key: Organization(
            key,
            OrganizationArgs(
                name=org.name or key,
                display_name=org.display_name,
                metadata=org.metadata,
                import_id=org.adopt,
                hooks=hooks,
            ),
            opts,
        )
        for key, org in settings.organizations.items()
    }
    integrations: dict[str, M2MIntegration] = {}
    for name, integration in settings.integrations.items():
        organization: Organization | ExistingOrganization | None = None
        if integration.organization is not None:
            organization = organizations[integration.organization]
        elif integration.organization_id is not None:
            organization = ExistingOrganization(
                id=integration.organization_id, name=integration.organization_name
            )
        adopt = integration.adopt
        description = integration.description
        if not description:  # an adopted app keeps its own; a new one says where it comes from
            description = "" if adopt is not None else f"auth0-m2m integration '{name}' (stack {stack})"
        integrations[name] = M2MIntegration(
            name,
            M2MIntegrationArgs(
                hostname=settings.auth0.domain,
                scopes=integration.scopes,
                description=description,
                api=apis[integration.api] if integration.api is not None else None,
                audience=integration.audience,
                app_name=integration.app_name or name,
                auth_method=integration.auth_method,
                public_keys=[
                    PublicKey(pem=k.pem, algorithm=k.algorithm, name=k.name) for k in integration.public_keys
                ],
                organization=organization,
                organization_usage=integration.organization_usage or "require",  # only with an organization
                allow_any_organization=integration.allow_any_organization,
                protect=settings.protect,
                import_client_id=adopt.client_id if adopt is not None else None,
                import_grant_id=adopt.grant_id if adopt is not None else None,
                import_organization_grant_id=organization_grant_import_id(settings, integration),
                hooks=hooks,
            ),
            opts,
        )
    return integrations


def rate_hooks(settings: StackConfig) -> pulumi.ResourceHookBinding | None:
    """The pacing hooks for the stack's `auth0-m2m:rate_limit`, or None without the key."""
    limit = settings.rate_limit
    if limit is None:
        return None
    if not pulumi.runtime.is_dry_run():
        pulumi.log.info(f"auth0-m2m:rate_limit {limit}: each create and update waits for room in the limit")
    return pacing_hooks(RatePacer(limit.rate, limit.burst))


def export_outputs(integrations: dict[str, M2MIntegration]) -> None:
    """Export `integrations.<name>` and, for a single integration, the top-level connection details."""
    export_integrations(integrations)
    if len(integrations) == 1:
        (only,) = (item.connection_details() for item in integrations.values())
        for key in SINGLE_INTEGRATION_OUTPUTS:
            pulumi.export(key, only[key])


def local_tenant_connection() -> Auth0Connection | None:
    """The running local tenant's address and bootstrap credentials, when this stack uses it.

    The `local` stack always does; any other stack does when its `auth0:domain` is the local
    tenant's and it gives no deployer credentials (a team's `dev` stack pointed at `localhost:8443`).
    The tenant is found through its state dir (`$AUTH0_M2M_TENANT_STATE_DIR`, else `.tenant` in the
    project), so plain `pulumi up` needs no hand-copied credentials.
    """
    stack = pulumi.get_stack()
    try:
        tenant: LocalTenant | None
        if stack == LOCAL_STACK:
            tenant = find_local_tenant(local_tenant_dir(_project_root()))
        else:
            auth0_config = pulumi.Config("auth0")
            domain = auth0_config.get("domain") or os.environ.get("AUTH0_DOMAIN")
            given = auth0_config.get("clientId") or os.environ.get("AUTH0_CLIENT_ID")
            if not domain or given:
                return None
            try:
                state_dir = local_tenant_dir(_project_root())
            except WorkspaceError:  # no project, so no `.tenant` of it: the stack's own credentials apply
                return None
            tenant = local_tenant_serving(domain, state_dir)
    except WorkspaceError as error:
        pulumi.log.error(f"stack {stack!r}: {error}")
        raise pulumi.RunError(f"stack {stack!r} needs the local tenant; nothing was declared") from None
    if tenant is None:
        return None
    return Auth0Connection(
        domain=tenant.domain, client_id=tenant.client_id, client_secret=tenant.client_secret
    )


def _project_root() -> Path | None:
    """The running stack's project folder (where its Pulumi.yaml is), as the engine tells the program."""
    root = pulumi.get_root_directory()
    return Path(root) if root else None


def pulumi_program(connection: Auth0Connection | None = None) -> None:
    """Validate the config, then declare and export everything; the program of every run.

    `connection` overrides the stack's `auth0:` keys; the Automation API runner passes the local
    tenant's here. Without it, a stack on the local tenant finds it itself
    (`local_tenant_connection`: plain `pulumi up --stack local` through `__main__.py`).
    """
    if connection is None:
        connection = local_tenant_connection()
    settings = load_settings(connection)
    provider = build_provider(settings, overridden=connection is not None)
    export_outputs(declare(settings, provider))
