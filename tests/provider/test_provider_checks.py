"""Plan-time checks and ClientGrant update bodies, as upstream v1.39.1 makes them.

`internal/auth0/client/resource.go` (Client validations), `resource_grant.go`
(`validateClientGrant`, `expandClientGrant`, StringIsNotEmpty scopes), `commons/token_quota.go`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from provider_scripted_auth0 import ScriptedAuth0

from auth0_m2m.provider._client import ManagementClient
from auth0_m2m.provider._provider import Auth0Provider
from auth0_m2m.provider._resources import RESOURCE_TYPES

CLIENT = RESOURCE_TYPES["auth0:index/client:Client"]
GRANT = RESOURCE_TYPES["auth0:index/clientGrant:ClientGrant"]
ORG = RESOURCE_TYPES["auth0:index/organization:Organization"]
API = "https://api.example.test/v1"


@pytest.mark.parametrize(
    ("inputs", "prop"),
    [
        ({"initiateLoginUri": "http://a/login"}, "initiateLoginUri"),
        ({"initiateLoginUri": "https://"}, "initiateLoginUri"),
        ({"complianceLevel": "FAPI1_ADV_PKJ_PAR"}, "complianceLevel"),
        ({"asyncApprovalNotificationChannels": ["sms"]}, "asyncApprovalNotificationChannels"),
        ({"organizationDiscoveryMethods": ["Email"]}, "organizationDiscoveryMethods"),
        (
            {"refreshToken": {"rotationType": "Rotating", "expirationType": "expiring"}},
            "refreshToken.rotationType",
        ),
        (
            {"refreshToken": {"rotationType": "rotating", "expirationType": "never"}},
            "refreshToken.expirationType",
        ),
        ({"sessionTransfer": {"enforceDeviceBinding": "IP"}}, "sessionTransfer.enforceDeviceBinding"),
        (
            {"refreshToken": {"rotationType": "rotating"}},
            "refreshToken.expirationType",
        ),  # Required in the block
        ({"tokenQuota": {"clientCredentials": {"perDay": 0}}}, "tokenQuota.clientCredentials.perDay"),
    ],
)
def test_client_inputs_upstream_refuses_are_refused(inputs: dict[str, Any], prop: str) -> None:
    assert [f[0] for f in CLIENT.check({"name": "svc", **inputs})] == [prop]


def test_client_inputs_upstream_accepts_are_accepted() -> None:
    inputs = {
        "name": "svc",
        "initiateLoginUri": "",
        "complianceLevel": "none",
        "asyncApprovalNotificationChannels": ["guardian-push", "email"],
        "refreshToken": {"rotationType": "non-rotating", "expirationType": "non-expiring"},
        "tokenQuota": {"clientCredentials": {"perHour": 1, "enforce": True}},
    }
    assert CLIENT.check(inputs) == []


def test_organization_token_quota_is_bounded() -> None:
    assert [
        f[0] for f in ORG.check({"name": "acme", "tokenQuota": {"clientCredentials": {"perHour": 0}}})
    ] == ["tokenQuota.clientCredentials.perHour"]


@pytest.mark.parametrize(
    ("inputs", "prop"),
    [
        ({"scopes": [], "allowAllScopes": True}, "scopes"),  # validateClientGrant: scopes not null
        ({"scopes": ["read", ""]}, "scopes"),
        ({"scopes": ["read"], "authorizationDetailsTypes": [""]}, "authorizationDetailsTypes"),
    ],
)
def test_grant_inputs_upstream_refuses_are_refused(inputs: dict[str, Any], prop: str) -> None:
    assert [f[0] for f in GRANT.check({"clientId": "c", "audience": API, **inputs})] == [prop]


@pytest.mark.anyio
async def test_grant_switching_to_all_scopes_does_not_send_the_dropped_scopes(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("PATCH", "client-grants/cgr_1", body={})
    auth0.on("GET", "client-grants/cgr_1", body={"id": "cgr_1", "allow_all_scopes": True})
    olds = {"clientId": "c", "audience": API, "scopes": ["read"]}
    await GRANT.update(
        api_factory(), "cgr_1", olds, {"clientId": "c", "audience": API, "allowAllScopes": True}
    )
    assert [s.body for s in auth0.sent if s.method == "PATCH"] == [{"allow_all_scopes": True}]


def test_nested_defaults_are_filled_inside_blocks_the_program_sets() -> None:
    provider = Auth0Provider(env={})
    inputs, _ = provider.check(
        CLIENT.pulumi_type,
        "svc",
        {},
        {
            "name": "svc",
            "sessionTransfer": {"canCreateSessionTransferToken": True},
            "tokenQuota": {"clientCredentials": {"perDay": 5}},
        },
        b"s",
    )
    assert inputs["sessionTransfer"] == {
        "canCreateSessionTransferToken": True,
        "enforceCascadeRevocation": True,
        "enforceOnlineRefreshTokens": True,
    }
    assert inputs["tokenQuota"] == {"clientCredentials": {"perDay": 5, "enforce": True}}
    org, _ = provider.check(
        ORG.pulumi_type, "acme", {}, {"name": "acme", "tokenQuota": {"clientCredentials": {}}}, b"s"
    )
    assert org["tokenQuota"] == {"clientCredentials": {"enforce": True}}
    plain, _ = provider.check(CLIENT.pulumi_type, "svc", {}, {"name": "svc"}, b"s")
    assert "sessionTransfer" not in plain and "tokenQuota" not in plain


@pytest.mark.anyio
async def test_scope_description_given_as_empty_is_sent_as_empty(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    scopes = RESOURCE_TYPES["auth0:index/resourceServerScopes:ResourceServerScopes"]
    auth0.on("PATCH", "resource-servers/https:", body={})
    auth0.on("GET", "resource-servers/https:", body={"identifier": API, "scopes": []})
    await scopes.update(
        api_factory(),
        API,
        {},
        {"resourceServerIdentifier": API, "scopes": [{"name": "r", "description": ""}]},
    )
    assert auth0.sent[0].body == {"scopes": [{"value": "r", "description": ""}]}


@pytest.mark.parametrize(
    ("expires_at", "ok"), [("2030-01-01", False), ("tomorrow", False), ("2030-01-01T00:00:00Z", True)]
)
def test_credential_expiry_must_be_rfc3339(expires_at: str, ok: bool) -> None:
    creds = RESOURCE_TYPES["auth0:index/clientCredentials:ClientCredentials"]
    credential = {
        "credentialType": "public_key",
        "pem": "-----BEGIN PUBLIC KEY-----",
        "expiresAt": expires_at,
    }
    inputs = {
        "clientId": "c",
        "authenticationMethod": "private_key_jwt",
        "privateKeyJwt": {"credentials": [credential]},
    }
    failures = [f[0] for f in creds.check(inputs)]
    assert failures == ([] if ok else ["privateKeyJwt.credentials[].expiresAt"])


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("prop", "value"),
    [
        ("organizationUsage", "allow"),
        ("allowAnyOrganization", True),
        ("authorizationDetailsTypes", ["payment"]),
    ],
)
async def test_grant_dropping_a_plain_field_sends_nothing(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient], prop: str, value: Any
) -> None:
    auth0.on("GET", "client-grants/cgr_1", body={"id": "cgr_1"})
    olds = {"clientId": "c", "audience": API, "scopes": ["read"]}
    await GRANT.update(api_factory(), "cgr_1", {**olds, prop: value}, dict(olds))
    assert auth0.calls() == ["GET /api/v2/client-grants/cgr_1"]


@pytest.mark.anyio
async def test_grant_dropping_allow_all_scopes_first_clears_then_patches_the_scopes(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("PATCH", "client-grants/cgr_1", body={})
    auth0.on("GET", "client-grants/cgr_1", body={"id": "cgr_1"})
    olds = {"clientId": "c", "audience": API, "allowAllScopes": True}
    await GRANT.update(api_factory(), "cgr_1", olds, {"clientId": "c", "audience": API, "scopes": ["read"]})
    assert [s.body for s in auth0.sent if s.method == "PATCH"] == [
        {"allow_all_scopes": False, "scope": []},
        {"scope": ["read"]},
    ]


@pytest.mark.parametrize(
    ("token", "inputs", "prop"),
    [
        (
            "auth0:index/clientCredentials:ClientCredentials",
            {"clientId": "c", "privateKeyJwt": {"credentials": [{"credentialType": "public_key"}]}},
            "privateKeyJwt.credentials[].pem",
        ),
        (
            "auth0:index/resourceServerScopes:ResourceServerScopes",
            {"resourceServerIdentifier": API, "scopes": [{"description": "no name"}]},
            "scopes[].name",
        ),
        (
            "auth0:index/client:Client",
            {
                "name": "svc",
                "refreshToken": {
                    "rotationType": "rotating",
                    "expirationType": "expiring",
                    "policies": [{"scope": ["a"]}],
                },
            },
            "refreshToken.policies[].audience",
        ),
        ("auth0:index/client:Client", {"name": "svc", "oidcLogout": {}}, "oidcLogout.backchannelLogoutUrls"),
        (
            "auth0:index/client:Client",
            {"name": "svc", "tokenExchange": {}},
            "tokenExchange.allowAnyProfileOfType",
        ),
    ],
)
def test_nested_required_keys_are_required(token: str, inputs: dict[str, Any], prop: str) -> None:
    assert [f[0] for f in RESOURCE_TYPES[token].check(inputs)] == [prop]
