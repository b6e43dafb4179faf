"""The component package's `Integration` (auth0_m2m/package): plain args in, the Python components inside.

Checked with the Pulumi mocks: an integration with an API to create declares `Api`, `M2MIntegration` and
their Auth0 resources as its children, and its `connection` output is exactly one contract entry
(`auth0_m2m.outputs.contract_problems` finds nothing) with the client secret a secret; an existing audience
and an existing organization by id declare no API and no organization; the domain defaults to the stack's
`auth0:domain`; an auth0 provider passed in the `providers` option is the one every Auth0 resource uses;
values the facade does not offer are one ValueError naming the integration.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_auth0 as auth0
import pytest
from auth0_mocks import (
    CLIENT_GRANT,
    ORG_CLIENT_GRANT,
    ORGANIZATION,
    PROVIDER,
    RESOURCE_SERVER,
    SCOPES,
    Auth0Mocks,
)

from auth0_m2m.outputs import contract_problems
from auth0_m2m.package import Integration, IntegrationArgs

HOST = "dev-example.us.auth0.com"
API: Any = {
    "identifier": "https://api.example.com/billing",
    "name": "Billing API",
    "scopes": {"read:invoices": "Read invoices", "write:invoices": "Create invoices"},
}


def _settled(integration: Integration) -> pulumi.Output[dict[str, Any]]:
    """The connection entry, resolved once the grant (the last child but the link) is registered."""
    inner = integration.integration
    waits: list[pulumi.Output[Any]] = [inner.grant_id, inner.client_id]
    if inner.access is not None:
        waits.append(inner.access.organization_id)
    return pulumi.Output.all(pulumi.Output.all(*waits), integration.connection).apply(lambda r: r[1])


@pulumi.runtime.test
def test_an_integration_with_its_api_and_organization(mocks: Auth0Mocks) -> pulumi.Output[None]:
    args: IntegrationArgs = {
        "api": API,
        "scopes": ["read:invoices"],
        "domain": HOST,
        "organization": "acme",
        "auth_method": "client_secret_basic",
    }
    integration = Integration("billing-sync", args)

    def check(entry: dict[str, Any]) -> None:
        assert contract_problems({"billing-sync": entry}) == []
        assert entry["client_id"] == "cid-billing-sync-client"
        assert entry["hostname"] == HOST
        assert entry["audience"] == API["identifier"]
        assert entry["token_url"] == f"https://{HOST}/oauth/token"
        assert entry["scopes"] == ["read:invoices"]
        assert entry["organization"] == "acme"
        assert entry["organization_id"] == "org_billingsyncorganizationorg"
        server = mocks.one(RESOURCE_SERVER)
        assert (server.name, server.inputs["name"]) == ("billing-sync-api-server", "Billing API")
        assert [s["name"] for s in mocks.one(SCOPES).inputs["scopes"]] == ["read:invoices", "write:invoices"]
        grant = mocks.one(CLIENT_GRANT)
        assert grant.inputs["scopes"] == ["read:invoices"]
        assert grant.inputs["organizationUsage"] == "require"
        assert mocks.one(ORGANIZATION).inputs["name"] == "acme"
        assert len(mocks.of_type(ORG_CLIENT_GRANT)) == 1
        assert mocks.parent_type("billing-sync-api") == "auth0-m2m:index:Integration"

    return _settled(integration).apply(check)


@pulumi.runtime.test
def test_the_client_secret_stays_secret(mocks: Auth0Mocks) -> pulumi.Output[None]:
    integration = Integration(
        "reporting", {"audience": "https://api.example.com/x", "scopes": ["r"], "domain": HOST}
    )

    def check(secret: bool) -> None:
        assert secret

    return pulumi.Output.all(_settled(integration), integration.client_secret.is_secret()).apply(
        lambda r: check(r[1])
    )


@pulumi.runtime.test
def test_an_existing_audience_and_organization_declare_neither(mocks: Auth0Mocks) -> pulumi.Output[None]:
    pulumi.runtime.set_all_config({"auth0:domain": HOST}, [])
    args: IntegrationArgs = {
        "audience": "https://api.example.com/existing",
        "scopes": ["read:things"],
        "organization_id": "org_existing1",
        "organization": "globex",
        "organization_usage": "allow",
    }
    integration = Integration("existing", args)

    def check(entry: dict[str, Any]) -> None:
        assert contract_problems({"existing": entry}) == []
        assert (entry["hostname"], entry["audience"]) == (HOST, "https://api.example.com/existing")
        assert (entry["organization"], entry["organization_id"]) == ("globex", "org_existing1")
        assert mocks.of_type(RESOURCE_SERVER) == [] and mocks.of_type(ORGANIZATION) == []
        assert mocks.one(CLIENT_GRANT).inputs["organizationUsage"] == "allow"

    return _settled(integration).apply(check)


@pulumi.runtime.test
def test_a_provider_passed_in_is_the_one_every_auth0_resource_uses(mocks: Auth0Mocks) -> pulumi.Output[None]:
    tenant = auth0.Provider("tenant", domain=HOST)
    args: IntegrationArgs = {"api": API, "scopes": ["read:invoices"], "domain": HOST, "organization": "acme"}
    integration = Integration("billing-sync", args, pulumi.ResourceOptions(providers=[tenant]))

    def check(_: dict[str, Any]) -> None:
        children = [r for r in mocks.registered if r.typ.startswith("auth0:index/")]
        assert len(children) == 7, [r.typ for r in children]
        assert all((r.provider or "").startswith(mocks.urn_of("tenant")) for r in children), children
        assert [r.name for r in mocks.of_type(PROVIDER)] == ["tenant"]  # no default provider

    return _settled(integration).apply(check)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"scopes": ["r"], "domain": HOST}, "give exactly one of api and audience"),
        (
            {"scopes": ["r"], "domain": HOST, "audience": "a", "api": API},
            "give exactly one of api and audience",
        ),
        ({"scopes": ["r"], "audience": "a"}, "give domain, or set the stack's auth0:domain config"),
        ({"scopes": ["r"], "domain": HOST, "audience": "a", "auth_method": "private_key_jwt"}, "authMethod"),
        (
            {"scopes": ["r"], "domain": HOST, "audience": "a", "organization_usage": "deny"},
            "organizationUsage",
        ),
    ],
)
@pulumi.runtime.test
def test_args_the_facade_does_not_take_name_the_integration(
    mocks: Auth0Mocks, args: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        Integration("bad", args)
    assert str(raised.value).startswith("bad: ")
