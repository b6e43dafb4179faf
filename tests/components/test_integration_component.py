"""The M2MIntegration component: composition, organization links, outputs and their secrecy."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from auth0_mocks import CLIENT, CLIENT_GRANT, ORG_CLIENT_GRANT, ORGANIZATION, Auth0Mocks

from auth0_m2m.components import (
    Api,
    ApiArgs,
    ExistingOrganization,
    M2MIntegration,
    M2MIntegrationArgs,
    Organization,
    OrganizationArgs,
)

HOST = "dev-example.us.auth0.com"


def _api() -> Api:
    return Api(
        "billing",
        ApiArgs(
            identifier="https://api.example.com/billing", scopes={"read:invoices": "R", "write:invoices": "W"}
        ),
    )


def _outputs(integration: M2MIntegration) -> pulumi.Output[dict[str, Any]]:
    """The connection details, resolved only once every child is registered with the mocks.

    Some details (hostname, scopes) come from the args and resolve at once; waiting for the ids of
    the grant and the organization link too keeps checks from racing the registrations they inspect.
    """
    children: list[pulumi.Output[Any]] = [integration.grant_id, integration.client_id]
    if integration.access is not None:
        children.append(integration.access.organization_id)
    return pulumi.Output.all(
        pulumi.Output.all(*children), pulumi.Output.all(**integration.connection_details())
    ).apply(lambda resolved: resolved[1])


@pulumi.runtime.test
def test_outputs_without_organization(mocks: Auth0Mocks) -> pulumi.Output[None]:
    integration = M2MIntegration(
        "reporting",
        M2MIntegrationArgs(hostname=HOST, scopes=["read:invoices"], description="Reports", api=_api()),
    )

    def check(out: dict[str, Any]) -> None:
        assert out == {
            "client_id": "cid-reporting-client",
            "client_secret": "secret-of-reporting-credentials",
            "hostname": HOST,
            "audience": "https://api.example.com/billing",
            "organization": None,
            "organization_id": None,
            "token_url": f"https://{HOST}/oauth/token",
            "scopes": ["read:invoices"],
            "auth_method": "client_secret_post",
        }
        grant = mocks.one(CLIENT_GRANT)
        assert grant.inputs["organizationUsage"] == "deny"
        assert grant.inputs["allowAnyOrganization"] is False
        assert mocks.of_type(ORG_CLIENT_GRANT) == []

    return _outputs(integration).apply(check)


@pulumi.runtime.test
def test_shared_organization_is_linked_to_the_grant(mocks: Auth0Mocks) -> pulumi.Output[None]:
    acme = Organization("acme", OrganizationArgs(name="acme", display_name="Acme Inc"))
    integration = M2MIntegration(
        "nango-billing",
        M2MIntegrationArgs(
            hostname=HOST,
            scopes=["read:invoices"],
            description="Nango",
            api=_api(),
            organization=acme,
            organization_usage="require",
        ),
    )

    def check(out: dict[str, Any]) -> None:
        org = mocks.one(ORGANIZATION)
        assert org.inputs == {"name": "acme", "displayName": "Acme Inc"}
        link = mocks.one(ORG_CLIENT_GRANT)
        assert link.name == "nango-billing-org-grant"
        assert link.inputs == {"organizationId": "org_acmeorg", "grantId": "cgr_nangobillinggrant"}
        assert mocks.one(CLIENT_GRANT).inputs["organizationUsage"] == "require"
        assert out["organization"] == "acme"
        assert out["organization_id"] == "org_acmeorg"

    return _outputs(integration).apply(check)


@pulumi.runtime.test
def test_existing_api_and_existing_organization(mocks: Auth0Mocks) -> pulumi.Output[None]:
    integration = M2MIntegration(
        "ledger",
        M2MIntegrationArgs(
            hostname=HOST,
            scopes=["read:entries"],
            description="Ledger",
            audience="https://api.example.com/ledger",
            organization=ExistingOrganization(id="org_abc123", name="globex"),
            organization_usage="allow",
        ),
    )

    def check(out: dict[str, Any]) -> None:
        assert mocks.of_type("auth0:index/resourceServer:ResourceServer") == []
        assert mocks.of_type(ORGANIZATION) == []
        grant = mocks.one(CLIENT_GRANT)
        assert grant.inputs["audience"] == "https://api.example.com/ledger"
        assert grant.inputs["organizationUsage"] == "allow"
        assert mocks.one(ORG_CLIENT_GRANT).inputs["organizationId"] == "org_abc123"
        assert (out["audience"], out["organization"], out["organization_id"]) == (
            "https://api.example.com/ledger",
            "globex",
            "org_abc123",
        )

    return _outputs(integration).apply(check)


@pulumi.runtime.test
def test_client_secret_output_is_secret(mocks: Auth0Mocks) -> pulumi.Output[None]:
    integration = M2MIntegration(
        "svc", M2MIntegrationArgs(hostname=HOST, scopes=["read:invoices"], description="d", api=_api())
    )

    async def check() -> None:
        assert await integration.client_secret.is_secret() is True
        assert await integration.client_id.is_secret() is False

    return pulumi.Output.from_input(check())


@pulumi.runtime.test
def test_children_are_direct_children_aliased_to_the_old_tree(mocks: Auth0Mocks) -> pulumi.Output[None]:
    """4 state entries per integration (the component and its Auth0 resources), not 6 or 7; each child
    keeps an alias to the component that held it before issue 13, so old stacks see no replace."""
    integration = M2MIntegration(
        "svc",
        M2MIntegrationArgs(
            hostname=HOST,
            scopes=["read:invoices"],
            description="d",
            api=_api(),
            organization=ExistingOrganization(id="org_x1"),
        ),
    )

    def check(_: object) -> None:
        assert mocks.monitor is not None
        integration_urn = mocks.urn_of("svc")
        assert integration_urn.endswith("$auth0-m2m:index:M2MIntegration::svc")
        legacy = {
            "svc-client": ("MachineClient", "auth0:index/client:Client"),
            "svc-credentials": ("MachineClient", "auth0:index/clientCredentials:ClientCredentials"),
            "svc-grant": ("Grant", "auth0:index/clientGrant:ClientGrant"),
            "svc-org-grant": (
                "OrganizationAccess",
                "auth0:index/organizationClientGrant:OrganizationClientGrant",
            ),
        }
        for child, (old_parent, child_type) in legacy.items():
            assert mocks.parent_type(child) == "auth0-m2m:index:M2MIntegration"
            request = mocks.request(child)
            assert request.parent == integration_urn
            # The old URN as the engine wrote it (it leaves the root stack's type out of a top-level
            # resource's URN; the mock monitor does not), passed as text.
            old_urn = (
                "urn:pulumi:dev::auth0-m2m::auth0-m2m:index:M2MIntegration"
                f"$auth0-m2m:index:{old_parent}${child_type}::{child}"
            )
            (alias,) = request.aliases
            assert alias.urn == old_urn
        components = [r.typ for r in mocks.registered if r.typ.startswith("auth0-m2m:index:")]
        assert sorted(components) == ["auth0-m2m:index:Api", "auth0-m2m:index:M2MIntegration"]

    return _outputs(integration).apply(check)


@pulumi.runtime.test
def test_a_nested_integration_aliases_its_children_under_its_own_urn(
    mocks: Auth0Mocks,
) -> pulumi.Output[None]:
    """Inside a user's component the old parent's URN comes from the integration's own URN."""
    outer = pulumi.ComponentResource("acme:index:Platform", "platform")
    integration = M2MIntegration(
        "svc",
        M2MIntegrationArgs(hostname=HOST, scopes=["read:invoices"], description="d", api=_api()),
        pulumi.ResourceOptions(parent=outer),
    )

    def check(_: object) -> None:
        integration_urn = mocks.urn_of("svc")
        assert integration_urn.endswith("acme:index:Platform$auth0-m2m:index:M2MIntegration::svc")
        (alias,) = mocks.request("svc-client").aliases
        assert alias.spec.parentUrn == (
            f"{integration_urn.removesuffix('::svc')}$auth0-m2m:index:MachineClient::svc"
        )

    return _outputs(integration).apply(check)


@pulumi.runtime.test
def test_protect_reaches_the_app(mocks: Auth0Mocks) -> pulumi.Output[None]:
    integration = M2MIntegration(
        "svc",
        M2MIntegrationArgs(
            hostname=HOST, scopes=["read:invoices"], description="d", api=_api(), protect=True
        ),
    )
    return pulumi.Output.all(integration.client_id, integration.grant_id).apply(
        lambda _: _assert_protected(mocks)
    )


def _assert_protected(mocks: Auth0Mocks) -> None:
    assert mocks.request("svc-client").protect is True
    assert not mocks.request("svc-grant").protect
    assert mocks.one(CLIENT).inputs["appType"] == "non_interactive"


@pulumi.runtime.test
def test_api_and_audience_are_exclusive(mocks: Auth0Mocks) -> None:
    with pytest.raises(ValueError, match="exactly one of api and audience") as exc:
        M2MIntegration("svc", M2MIntegrationArgs(hostname=HOST, scopes=["a"], description="d"))
    assert "svc" in str(exc.value)


@pulumi.runtime.test
def test_organization_link_needs_allow_or_require(mocks: Auth0Mocks) -> None:
    from auth0_m2m.components import OrganizationAccessArgs, organization_link

    with pytest.raises(ValueError, match="allow or require") as exc:
        organization_link(
            "x",
            OrganizationAccessArgs(
                organization=ExistingOrganization(id="org_1"), grant_id="cgr_1", organization_usage="deny"
            ),
            pulumi.ResourceOptions(),
        )
    assert "x:" in str(exc.value)
