"""ResourceServer and Organization bodies as upstream v1.39.1 builds them.

`internal/auth0/resourceserver/{expand.go,resource.go}`: the whole configuration on every
update; `consent_policy`, `authorization_details`, `token_encryption`, `proof_of_possession`
never sent as their "off" values, nulled in separate PATCHes after the update instead.
`internal/auth0/organization/expand.go`: the whole configuration, metadata when changed,
`token_quota` the only null.
"""

from __future__ import annotations

from typing import Any

import pytest
from provider_scripted_auth0 import ScriptedAuth0

from auth0_m2m.provider._resources import RESOURCE_TYPES
from auth0_m2m.provider._resources.resource_server import ResourceServer

pytestmark = pytest.mark.anyio
ORG = RESOURCE_TYPES["auth0:index/organization:Organization"]
API = "https://api.example.test/v1"
BASE = {"identifier": API, "name": "Orders"}


def quick_server() -> ResourceServer:
    server = ResourceServer()
    server.update_settle_seconds = 0
    return server


async def update(auth0: ScriptedAuth0, api: Any, olds: dict[str, Any], news: dict[str, Any]) -> list[Any]:
    auth0.on("PATCH", "resource-servers/rs_1", body={})
    auth0.on("GET", "resource-servers/rs_1", body={"id": "rs_1", "identifier": API})
    await quick_server().update(api, "rs_1", olds, news)
    return [s.body for s in auth0.sent if s.method == "PATCH"]


async def create(auth0: ScriptedAuth0, api: Any, inputs: dict[str, Any]) -> Any:
    auth0.on("POST", "resource-servers", 201, {"id": "rs_1", "identifier": API})
    auth0.on("GET", "resource-servers/rs_1", body={"id": "rs_1", "identifier": API})
    await quick_server().create(api, inputs)
    return auth0.sent[0].body


@pytest.mark.parametrize(
    ("prop", "off"),
    [
        ("consentPolicy", "null"),
        ("authorizationDetails", [{"disable": True}]),
        ("tokenEncryption", {"disable": True}),
        ("proofOfPossession", {"disable": True}),
    ],
)
async def test_off_values_are_never_sent_on_create(
    auth0: ScriptedAuth0, api_factory: Any, prop: str, off: Any
) -> None:
    assert await create(auth0, api_factory(), {**BASE, prop: off}) == {"identifier": API, "name": "Orders"}


@pytest.mark.parametrize(
    ("prop", "on", "off", "api_key"),
    [
        ("consentPolicy", "transactional-authorization-with-mfa", "null", "consent_policy"),
        ("authorizationDetails", [{"type": "payment"}], [{"disable": True}], "authorization_details"),
        (
            "proofOfPossession",
            {"mechanism": "mtls", "required": True},
            {"disable": True},
            "proof_of_possession",
        ),
    ],
)
async def test_switching_off_sends_a_null_patch_after_the_update(
    auth0: ScriptedAuth0, api_factory: Any, prop: str, on: Any, off: Any, api_key: str
) -> None:
    patches = await update(auth0, api_factory(), {**BASE, prop: on}, {**BASE, prop: off})
    assert patches == [{"name": "Orders"}, {api_key: None}]


async def test_the_update_patches_the_whole_configuration_and_dropped_fields_send_nothing(
    auth0: ScriptedAuth0, api_factory: Any
) -> None:
    olds = {**BASE, "tokenLifetime": 3600, "allowOfflineAccess": True, "verificationLocation": "x"}
    patches = await update(auth0, api_factory(), olds, {**BASE, "tokenLifetime": 7200})
    assert patches == [{"name": "Orders", "token_lifetime": 7200}]


async def test_unchanged_nullable_blocks_are_not_resent_and_disable_is_never_sent(
    auth0: ScriptedAuth0, api_factory: Any
) -> None:
    pop = {"mechanism": "dpop", "required": False, "disable": False}
    olds = {**BASE, "proofOfPossession": pop, "consentPolicy": "transactional-authorization-with-mfa"}
    assert await update(auth0, api_factory(), olds, {**olds, "name": "Orders 2"}) == [{"name": "Orders 2"}]
    auth0.sent.clear()
    news = {**olds, "proofOfPossession": {**pop, "mechanism": "mtls"}}
    patches = await update(auth0, api_factory(), olds, news)
    assert patches == [{"name": "Orders", "proof_of_possession": {"mechanism": "mtls", "required": False}}]


async def test_token_encryption_key_algorithm_is_sent_as_alg(auth0: ScriptedAuth0, api_factory: Any) -> None:
    key = {"name": "k", "algorithm": "RSA-OAEP-256", "pem": "-----BEGIN PUBLIC KEY-----"}
    body = await create(
        auth0,
        api_factory(),
        {**BASE, "tokenEncryption": {"format": "compact-nested-jwe", "encryptionKey": key}},
    )
    assert body["token_encryption"]["encryption_key"] == {
        "name": "k",
        "alg": "RSA-OAEP-256",
        "pem": key["pem"],
    }


async def test_the_management_api_gets_only_its_three_fields_and_is_never_deleted(
    auth0: ScriptedAuth0, api_factory: Any
) -> None:
    olds = {"identifier": "https://t/api/v2/", "name": "Auth0 Management API", "tokenLifetime": 86400}
    patches = await update(auth0, api_factory(), olds, {**olds, "tokenLifetime": 3600, "signingAlg": "RS256"})
    assert patches == [{"token_lifetime": 3600}]
    auth0.sent.clear()
    await quick_server().delete(api_factory(), "rs_1", {"name": "Auth0 Management API", "isSystem": False})
    assert auth0.sent == []


@pytest.mark.parametrize(
    ("inputs", "prop"),
    [
        ({"authorizationDetails": [{"disable": True, "type": "payment"}]}, "authorizationDetails"),
        ({"tokenEncryption": {"disable": True, "format": "compact-nested-jwe"}}, "tokenEncryption"),
        ({"proofOfPossession": {"disable": True, "mechanism": "mtls"}}, "proofOfPossession"),
        ({"proofOfPossession": {"mechanism": "tls"}}, "proofOfPossession.mechanism"),
    ],
)
def test_disable_blocks_that_set_more_are_refused(inputs: dict[str, Any], prop: str) -> None:
    assert [f[0] for f in ResourceServer().check({**BASE, **inputs})] == [prop]


def test_token_dialect_is_checked_in_any_letter_case() -> None:
    assert ResourceServer().check({**BASE, "tokenDialect": "ACCESS_TOKEN_AUTHZ"}) == []


async def test_organization_update_sends_the_configuration_and_metadata_only_when_changed(
    auth0: ScriptedAuth0, api_factory: Any
) -> None:
    auth0.on("PATCH", "organizations/org_1", body={})
    auth0.on("GET", "organizations/org_1", body={"id": "org_1"})
    olds = {"name": "acme", "displayName": "Acme", "metadata": {"tier": "gold"}}
    await ORG.update(api_factory(), "org_1", olds, {**olds, "name": "acme-2"})
    await ORG.update(api_factory(), "org_1", olds, {"name": "acme", "metadata": {"tier": "silver"}})
    assert [s.body for s in auth0.sent if s.method == "PATCH"] == [
        {"name": "acme-2", "display_name": "Acme"},
        {"name": "acme", "metadata": {"tier": "silver"}},
    ]


@pytest.mark.parametrize(
    ("inputs", "prop"),
    [
        (
            {"subjectTypeAuthorization": {"user": {"policy": "ALLOW_ALL"}}},
            "subjectTypeAuthorization.user.policy",
        ),
        (
            {"subjectTypeAuthorization": {"client": {"policy": "allow_all"}}},
            "subjectTypeAuthorization.client.policy",
        ),
        (
            {"tokenEncryption": {"format": "compact-nested-jwe", "encryptionKey": {"pem": "x"}}},
            "tokenEncryption.encryptionKey.algorithm",
        ),
    ],
)
def test_nested_values_upstream_refuses_are_refused(inputs: dict[str, Any], prop: str) -> None:
    assert [f[0] for f in ResourceServer().check({**BASE, **inputs})] == [prop]
