"""Client create and update bodies as upstream v1.39.1 builds them (`internal/auth0/client/expand.go`).

Upstream PATCHes the whole configuration on every update, nulls only its fixed list of nullable
fields (`fetchNullableFields`) in a PATCH before it, sends a dropped `clientMetadata` key as null,
and sends some values on create only.
"""

from __future__ import annotations

from typing import Any

import pytest
from provider_scripted_auth0 import ScriptedAuth0

from auth0_m2m.provider._client import ManagementClient
from auth0_m2m.provider._resources.client import Client

pytestmark = pytest.mark.anyio
BASE = {"name": "svc", "description": "d"}


def quick_client() -> Client:
    client = Client()
    client.create_settle_seconds = 0
    client.update_settle_seconds = 0
    return client


async def update(
    auth0: ScriptedAuth0, api: ManagementClient, olds: dict[str, Any], news: dict[str, Any]
) -> None:
    auth0.on("PATCH", "clients/cid1", body={})
    auth0.on("GET", "clients/cid1", body={"client_id": "cid1"})
    await quick_client().update(api, "cid1", olds, news)


async def create(auth0: ScriptedAuth0, api: ManagementClient, inputs: dict[str, Any]) -> Any:
    auth0.on("POST", "clients", 201, {"client_id": "cid1"})
    auth0.on("GET", "clients/cid1", body={"client_id": "cid1"})
    await quick_client().create(api, inputs)
    return auth0.sent[0].body


def patches(auth0: ScriptedAuth0) -> list[Any]:
    return [s.body for s in auth0.sent if s.method == "PATCH"]


@pytest.mark.parametrize(
    ("prop", "value"),
    [
        ("allowedOrigins", ["https://a"]),
        ("webOrigins", ["https://a"]),
        ("allowedLogoutUrls", ["https://a/out"]),
        ("clientAliases", ["alias"]),
        ("logoUri", "https://a/logo.png"),
        ("appType", "non_interactive"),
        ("sso", True),
        ("crossOriginAuth", True),
        ("initiateLoginUri", "https://a/login"),
        ("allowedClients", ["cid2"]),
        ("ssoDisabled", True),
        ("customLoginPage", "<html/>"),
        ("formTemplate", "<form/>"),
        ("requirePushedAuthorizationRequests", True),
        ("requireProofOfPossession", True),
        ("complianceLevel", "none"),
        ("resourceServerIdentifier", "https://api"),
    ],
)
async def test_dropping_a_field_upstream_does_not_null_sends_nothing_for_it(
    auth0: ScriptedAuth0, api_factory: Any, prop: str, value: Any
) -> None:
    await update(auth0, api_factory(), {**BASE, prop: value}, dict(BASE))
    assert patches(auth0) == [{"name": "svc", "description": "d"}]


@pytest.mark.parametrize(
    ("prop", "value", "api_key"),
    [
        ("crossOriginLoc", "https://a/loc", "cross_origin_loc"),
        ("tokenQuota", {"clientCredentials": {"perDay": 10}}, "token_quota"),
        ("organizationDiscoveryMethods", ["email"], "organization_discovery_methods"),
        (
            "skipNonVerifiableCallbackUriConfirmationPrompt",
            "true",
            "skip_non_verifiable_callback_uri_confirmation_prompt",
        ),
        ("tokenExchange", {"allowAnyProfileOfType": ["custom_authentication"]}, "token_exchange"),
        ("encryptionKey", {"pub": "x"}, "encryption_key"),
        ("oidcLogout", {"backchannelLogoutUrls": ["https://a/bc"]}, "oidc_backchannel_logout"),
        ("sessionTransfer", {"canCreateSessionTransferToken": True}, "session_transfer"),
    ],
)
async def test_dropping_a_nullable_field_nulls_it_in_a_patch_before_the_update(
    auth0: ScriptedAuth0, api_factory: Any, prop: str, value: Any, api_key: str
) -> None:
    await update(auth0, api_factory(), {**BASE, prop: value}, dict(BASE))
    assert patches(auth0) == [{api_key: None}, {"name": "svc", "description": "d"}]


async def test_an_unchanged_client_is_still_patched_with_its_configuration(
    auth0: ScriptedAuth0, api_factory: Any
) -> None:
    olds = {**BASE, "grantTypes": ["client_credentials"], "allowedOrigins": ["https://a"]}
    await update(auth0, api_factory(), olds, {**olds, "name": "svc2"})
    assert patches(auth0) == [
        {
            "name": "svc2",
            "description": "d",
            "grant_types": ["client_credentials"],
            "allowed_origins": ["https://a"],
        }
    ]


async def test_dropping_a_metadata_key_sends_it_as_null_and_unchanged_metadata_is_not_sent(
    auth0: ScriptedAuth0, api_factory: Any
) -> None:
    olds = {**BASE, "clientMetadata": {"team": "a", "tier": "gold"}}
    await update(auth0, api_factory(), olds, {**BASE, "clientMetadata": {"team": "a"}})
    assert patches(auth0)[-1]["client_metadata"] == {"team": "a", "tier": None}
    auth0.sent.clear()
    await update(auth0, api_factory(), olds, {**olds, "name": "svc2"})
    assert "client_metadata" not in patches(auth0)[-1]
    auth0.sent.clear()
    await update(auth0, api_factory(), olds, dict(BASE))
    assert patches(auth0) == [{**BASE, "client_metadata": {"team": None, "tier": None}}]


async def test_secret_encoded_is_sent_on_create_only(auth0: ScriptedAuth0, api_factory: Any) -> None:
    jwt = {"alg": "HS256", "secretEncoded": True}
    assert (await create(auth0, api_factory(), {**BASE, "jwtConfiguration": jwt}))["jwt_configuration"] == {
        "alg": "HS256",
        "secret_encoded": True,
    }
    auth0.sent.clear()
    await update(
        auth0,
        api_factory(),
        {**BASE, "jwtConfiguration": jwt},
        {**BASE, "jwtConfiguration": jwt, "name": "x"},
    )
    assert patches(auth0)[-1]["jwt_configuration"] == {"alg": "HS256"}


async def test_resource_server_identifier_is_sent_on_create_for_resource_server_apps_only(
    auth0: ScriptedAuth0, api_factory: Any
) -> None:
    inputs = {**BASE, "appType": "resource_server", "resourceServerIdentifier": "https://api"}
    assert (await create(auth0, api_factory(), inputs))["resource_server_identifier"] == "https://api"
    auth0.sent.clear()
    other = {**inputs, "appType": "non_interactive"}
    assert "resource_server_identifier" not in await create(auth0, api_factory(), other)
    auth0.sent.clear()
    await update(auth0, api_factory(), inputs, {**inputs, "name": "x"})
    assert "resource_server_identifier" not in patches(auth0)[-1]


async def test_ip_header_trusted_forces_client_secret_post_on_create_unless_the_app_type_says_otherwise(
    auth0: ScriptedAuth0, api_factory: Any
) -> None:
    body = await create(auth0, api_factory(), {**BASE, "isTokenEndpointIpHeaderTrusted": False})
    assert body["token_endpoint_auth_method"] == "client_secret_post"
    auth0.sent.clear()
    spa = await create(
        auth0, api_factory(), {**BASE, "isTokenEndpointIpHeaderTrusted": True, "appType": "spa"}
    )
    assert spa["token_endpoint_auth_method"] == "none"


async def test_skip_prompt_null_is_left_out_of_the_body(auth0: ScriptedAuth0, api_factory: Any) -> None:
    prompt = "skipNonVerifiableCallbackUriConfirmationPrompt"
    body = await create(auth0, api_factory(), {**BASE, prompt: "null"})
    assert "skip_non_verifiable_callback_uri_confirmation_prompt" not in body
    auth0.sent.clear()
    body = await create(auth0, api_factory(), {**BASE, prompt: "false"})
    assert body["skip_non_verifiable_callback_uri_confirmation_prompt"] is False


async def test_default_organization_disabled_is_nulled_not_sent(
    auth0: ScriptedAuth0, api_factory: Any
) -> None:
    olds = {**BASE, "defaultOrganization": {"organizationId": "org_1", "flows": ["client_credentials"]}}
    await update(auth0, api_factory(), olds, {**BASE, "defaultOrganization": {"disable": True}})
    assert patches(auth0) == [{"default_organization": None}, dict(BASE)]


async def test_express_configuration_sends_the_oin_client_id_as_submission_id_too(
    auth0: ScriptedAuth0, api_factory: Any
) -> None:
    # upstream expandExpressConfiguration sets oin_submission_id from okta_oin_client_id
    body = await create(auth0, api_factory(), {**BASE, "expressConfiguration": {"oktaOinClientId": "oin1"}})
    assert body["express_configuration"] == {"okta_oin_client_id": "oin1", "oin_submission_id": "oin1"}
