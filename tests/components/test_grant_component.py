"""The Grant component: scopes and organization behaviour always explicit, ordered after the API's scopes."""

from __future__ import annotations

import pulumi
import pytest
from auth0_mocks import CLIENT_GRANT, Auth0Mocks

from components import Api, ApiArgs, Grant, GrantArgs


@pulumi.runtime.test
def test_grant_sends_scopes_and_organization_settings_explicitly(mocks: Auth0Mocks) -> pulumi.Output[None]:
    grant = Grant("svc", GrantArgs(client_id="cid-1", audience="https://api.example.com", scopes=["read:x"]))

    def check(grant_id: str) -> None:
        args = mocks.one(CLIENT_GRANT)
        assert args.name == "svc-grant"
        assert args.inputs["clientId"] == "cid-1"
        assert args.inputs["audience"] == "https://api.example.com"
        assert args.inputs["scopes"] == ["read:x"]
        assert args.inputs["organizationUsage"] == "deny"
        assert args.inputs["allowAnyOrganization"] is False
        assert "allowAllScopes" not in args.inputs
        assert grant_id == "cgr_svcgrant"

    return grant.grant_id.apply(check)


@pulumi.runtime.test
def test_grant_waits_for_the_api_scopes(mocks: Auth0Mocks) -> pulumi.Output[None]:
    api = Api("billing", ApiArgs(identifier="https://api.example.com", scopes={"read:x": "R"}))
    grant = Grant(
        "svc",
        GrantArgs(
            client_id="c", audience=api.identifier, scopes=["read:x"], depends_on=[api.scopes_resource]
        ),
    )

    def check(_: object) -> None:
        request = mocks.request("svc-grant")
        assert mocks.urn_of("billing-scopes") in request.dependencies
        assert mocks.request("svc-grant").parent == mocks.urn_of("svc")

    return pulumi.Output.all(grant.grant_id, api.scopes_resource.id).apply(check)


@pulumi.runtime.test
def test_grant_without_scopes_is_refused(mocks: Auth0Mocks) -> None:
    with pytest.raises(ValueError, match="at least one scope") as exc:
        Grant("svc", GrantArgs(client_id="c", audience="https://a", scopes=[]))
    assert "svc" in str(exc.value)
