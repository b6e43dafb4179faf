"""The Api component: resource server inputs, the scopes resource as sole owner, parenting, protect."""

from __future__ import annotations

import pulumi
from auth0_mocks import RESOURCE_SERVER, SCOPES, Auth0Mocks

from auth0_m2m.components import Api, ApiArgs


def _api(protect: bool = False) -> Api:
    return Api(
        "billing",
        ApiArgs(
            identifier="https://api.example.com/billing",
            display_name="Billing API",
            scopes={"read:invoices": "Read invoices", "write:invoices": "Create invoices"},
            token_lifetime=3600,
            protect=protect,
        ),
    )


@pulumi.runtime.test
def test_resource_server_inputs(mocks: Auth0Mocks) -> pulumi.Output[None]:
    api = _api()

    def check(identifier: str) -> None:
        server = mocks.one(RESOURCE_SERVER)
        assert server.name == "billing-server"
        assert server.inputs["identifier"] == "https://api.example.com/billing" == identifier
        assert server.inputs["name"] == "Billing API"
        assert server.inputs["signingAlg"] == "RS256"
        assert server.inputs["tokenLifetime"] == 3600
        assert server.inputs["skipConsentForVerifiableFirstPartyClients"] is True
        assert server.inputs["allowOfflineAccess"] is False
        assert "scopes" not in server.inputs

    return api.identifier.apply(check)


@pulumi.runtime.test
def test_scopes_are_owned_by_one_resource(mocks: Auth0Mocks) -> pulumi.Output[None]:
    api = _api()

    def check(names: list[str]) -> None:
        scopes = mocks.one(SCOPES)
        assert scopes.name == "billing-scopes"
        assert scopes.inputs["resourceServerIdentifier"] == "https://api.example.com/billing"
        assert scopes.inputs["scopes"] == [
            {"name": "read:invoices", "description": "Read invoices"},
            {"name": "write:invoices", "description": "Create invoices"},
        ]
        assert mocks.of_type("auth0:index/resourceServerScope:ResourceServerScope") == []
        assert names == ["read:invoices", "write:invoices"]

    return pulumi.Output.all(api.scope_names, api.scopes_resource.id).apply(lambda v: check(v[0]))


@pulumi.runtime.test
def test_children_are_parented_to_the_component(mocks: Auth0Mocks) -> pulumi.Output[None]:
    api = _api()

    def check(_: object) -> None:
        component = mocks.urn_of("billing")
        assert mocks.request("billing-server").parent == component
        assert mocks.request("billing-scopes").parent == component
        assert mocks.parent_type("billing-server") == "auth0-m2m:index:Api"

    return pulumi.Output.all(api.resource_server.urn, api.scopes_resource.urn).apply(check)


@pulumi.runtime.test
def test_scopes_depend_on_the_server(mocks: Auth0Mocks) -> pulumi.Output[None]:
    api = _api()

    def check(_: object) -> None:
        assert mocks.urn_of("billing-server") in mocks.request("billing-scopes").dependencies

    return api.scopes_resource.id.apply(check)


@pulumi.runtime.test
def test_protect_applies_to_the_resource_server_only(mocks: Auth0Mocks) -> pulumi.Output[None]:
    protected = _api(protect=True)
    plain = Api("other", ApiArgs(identifier="https://x.example.com"))

    def check(_: object) -> None:
        assert mocks.request("billing-server").protect is True
        assert not mocks.request("billing-scopes").protect
        assert not mocks.request("other-server").protect

    return pulumi.Output.all(protected.scopes_resource.id, plain.scopes_resource.id).apply(check)
