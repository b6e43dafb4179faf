"""Adoption in the components: each `import_id` reaches the right resources, and only those.

Under mocks the import id of a resource arrives as `MockResourceArgs.resource_id`. Checks: the API's
server is imported by its id and its scopes by the identifier; an app and its credentials by the
client id; a grant by its id, leaving out the organization settings that equal Auth0's defaults; an
organization by its id; an organization link by `org::cgr`; nothing is imported without an id.
"""

from __future__ import annotations

import pulumi
import pytest
from auth0_mocks import (
    CLIENT,
    CLIENT_GRANT,
    CREDENTIALS,
    ORG_CLIENT_GRANT,
    ORGANIZATION,
    RESOURCE_SERVER,
    SCOPES,
    Auth0Mocks,
)

from auth0_m2m.components import (
    Api,
    ApiArgs,
    ExistingOrganization,
    GrantArgs,
    M2MIntegration,
    M2MIntegrationArgs,
    MachineClientArgs,
    Organization,
    OrganizationArgs,
    PublicKey,
    client_grant,
    machine_app,
)

IDENTIFIER = "https://api.example.com/ledger"
OPTS = pulumi.ResourceOptions()
CLIENT_ID = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"


def _api(import_id: str | None) -> Api:
    return Api("ledger", ApiArgs(identifier=IDENTIFIER, scopes={"read:entries": "Read"}, import_id=import_id))


@pulumi.runtime.test
def test_adopted_api_imports_server_by_id_and_scopes_by_identifier(mocks: Auth0Mocks) -> pulumi.Output[None]:
    api = _api("5f2b8c0e9d1a4b3c2d1e0f9a")

    def check(_: object) -> None:
        server = mocks.one(RESOURCE_SERVER)
        assert server.resource_id == "5f2b8c0e9d1a4b3c2d1e0f9a"
        assert mocks.one(SCOPES).resource_id == IDENTIFIER
        assert "skipConsentForVerifiableFirstPartyClients" not in server.inputs
        assert server.inputs["allowOfflineAccess"] is False

    return api.scopes_resource.id.apply(check)


@pulumi.runtime.test
def test_new_api_imports_nothing(mocks: Auth0Mocks) -> pulumi.Output[None]:
    api = _api(None)

    def check(_: object) -> None:
        assert not mocks.one(RESOURCE_SERVER).resource_id
        assert not mocks.one(SCOPES).resource_id
        assert mocks.one(RESOURCE_SERVER).inputs["skipConsentForVerifiableFirstPartyClients"] is True

    return api.scopes_resource.id.apply(check)


def test_adopted_api_needs_a_plain_identifier(mocks: Auth0Mocks) -> None:
    with pytest.raises(ValueError, match="plain string") as exc:
        Api("ledger", ApiArgs(identifier=pulumi.Output.from_input(IDENTIFIER), import_id="5f2b8c0e"))
    assert "ledger" in str(exc.value)


@pulumi.runtime.test
def test_adopted_app_imports_client_and_credentials_by_client_id(mocks: Auth0Mocks) -> pulumi.Output[None]:
    app = machine_app("sync", MachineClientArgs(description="", import_id=CLIENT_ID), OPTS)

    def check(_: object) -> None:
        assert mocks.one(CLIENT).resource_id == CLIENT_ID
        assert mocks.one(CREDENTIALS).resource_id == CLIENT_ID
        assert mocks.one(CLIENT).inputs.get("description", "") == ""

    return pulumi.Output.all(app.client_id, app.credentials.id).apply(check)


def test_private_key_jwt_app_cannot_be_adopted(mocks: Auth0Mocks) -> None:
    key = PublicKey(pem="-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----")
    with pytest.raises(ValueError, match="cannot be adopted"):
        machine_app(
            "sync",
            MachineClientArgs(
                description="x", auth_method="private_key_jwt", public_keys=[key], import_id=CLIENT_ID
            ),
            OPTS,
        )


@pulumi.runtime.test
def test_adopted_grant_leaves_out_default_organization_settings(mocks: Auth0Mocks) -> pulumi.Output[None]:
    grant = client_grant(
        "sync",
        GrantArgs(client_id=CLIENT_ID, audience=IDENTIFIER, scopes=["read:entries"], import_id="cgr_abc"),
        OPTS,
    )

    def check(_: object) -> None:
        registered = mocks.one(CLIENT_GRANT)
        assert registered.resource_id == "cgr_abc"
        assert "organizationUsage" not in registered.inputs
        assert "allowAnyOrganization" not in registered.inputs

    return grant.id.apply(check)


@pulumi.runtime.test
def test_adopted_grant_with_organization_keeps_its_usage(mocks: Auth0Mocks) -> pulumi.Output[None]:
    grant = client_grant(
        "sync",
        GrantArgs(
            client_id=CLIENT_ID,
            audience=IDENTIFIER,
            scopes=["read:entries"],
            organization_usage="require",
            import_id="cgr_abc",
        ),
        OPTS,
    )

    def check(_: object) -> None:
        registered = mocks.one(CLIENT_GRANT)
        assert registered.inputs["organizationUsage"] == "require"
        assert "allowAnyOrganization" not in registered.inputs

    return grant.id.apply(check)


@pulumi.runtime.test
def test_adopted_organization_is_imported_by_id(mocks: Auth0Mocks) -> pulumi.Output[None]:
    org = Organization("globex", OrganizationArgs(name="globex", import_id="org_abc123"))

    def check(_: object) -> None:
        assert mocks.one(ORGANIZATION).resource_id == "org_abc123"

    return org.organization_id.apply(check)


@pulumi.runtime.test
def test_integration_passes_every_import_id_down(mocks: Auth0Mocks) -> pulumi.Output[None]:
    api = _api("5f2b8c0e9d1a4b3c2d1e0f9a")
    integration = M2MIntegration(
        "partner",
        M2MIntegrationArgs(
            hostname="dev-example.us.auth0.com",
            scopes=["read:entries"],
            description="",
            api=api,
            organization=ExistingOrganization(id="org_abc123", name="globex"),
            import_client_id=CLIENT_ID,
            import_grant_id="cgr_abc",
            import_organization_grant_id="org_abc123::cgr_abc",
        ),
    )

    def check(_: object) -> None:
        assert mocks.one(CLIENT).resource_id == CLIENT_ID
        assert mocks.one(CREDENTIALS).resource_id == CLIENT_ID
        assert mocks.one(CLIENT_GRANT).resource_id == "cgr_abc"
        assert mocks.one(ORG_CLIENT_GRANT).resource_id == "org_abc123::cgr_abc"

    links = integration.access.link.id if integration.access is not None else None
    return pulumi.Output.all(integration.client_secret, integration.grant_id, links).apply(check)


def test_adopted_grant_needs_the_adopted_app(mocks: Auth0Mocks) -> None:
    with pytest.raises(ValueError, match="import_client_id"):
        M2MIntegration(
            "partner",
            M2MIntegrationArgs(
                hostname="h",
                scopes=["read:entries"],
                description="",
                audience=IDENTIFIER,
                import_grant_id="cgr_abc",
            ),
        )
