"""`client_grant()`: scopes and organization behaviour always explicit, ordered after the API's scopes."""

from __future__ import annotations

import pulumi
import pytest
from auth0_mocks import CLIENT_GRANT, Auth0Mocks

from auth0_m2m.components import Api, ApiArgs, GrantArgs, client_grant

OPTS = pulumi.ResourceOptions()


@pulumi.runtime.test
def test_grant_sends_scopes_and_organization_settings_explicitly(mocks: Auth0Mocks) -> pulumi.Output[None]:
    grant = client_grant(
        "svc", GrantArgs(client_id="cid-1", audience="https://api.example.com", scopes=["read:x"]), OPTS
    )

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

    return grant.id.apply(check)


@pulumi.runtime.test
def test_grant_waits_for_the_api_scopes(mocks: Auth0Mocks) -> pulumi.Output[None]:
    api = Api("billing", ApiArgs(identifier="https://api.example.com", scopes={"read:x": "R"}))
    grant = client_grant(
        "svc",
        GrantArgs(
            client_id="c", audience=api.identifier, scopes=["read:x"], depends_on=[api.scopes_resource]
        ),
        OPTS,
    )

    def check(_: object) -> None:
        request = mocks.request("svc-grant")
        assert mocks.urn_of("billing-scopes") in request.dependencies

    return pulumi.Output.all(grant.id, api.scopes_resource.id).apply(check)


@pulumi.runtime.test
def test_grant_without_scopes_is_refused(mocks: Auth0Mocks) -> None:
    with pytest.raises(ValueError, match="at least one scope") as exc:
        client_grant("svc", GrantArgs(client_id="c", audience="https://a", scopes=[]), OPTS)
    assert "svc" in str(exc.value)
