"""What a property the program drops does, as upstream (terraform-provider-auth0 v1.39.1) plans it.

Terraform plans the program against the state: a nested key the program drops is a change unless
upstream marks that key Computed (then the state keeps the server's value). Each test pins one
schema fact; docs/provider-fidelity.md names them per row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from provider_scripted_auth0 import ScriptedAuth0

from auth0_m2m.provider._client import ManagementClient
from auth0_m2m.provider._diff import Kind, diff_inputs
from auth0_m2m.provider._provider import Auth0Provider
from auth0_m2m.provider._resources import RESOURCE_TYPES
from auth0_m2m.provider._values import Secret

CLIENT = RESOURCE_TYPES["auth0:index/client:Client"]
CREDS = RESOURCE_TYPES["auth0:index/clientCredentials:ClientCredentials"]
SERVER = RESOURCE_TYPES["auth0:index/resourceServer:ResourceServer"]
PEM = "-----BEGIN PUBLIC KEY-----A"


def creds(**extra: Any) -> dict[str, Any]:
    credential = {"credentialType": "public_key", "pem": PEM, "algorithm": "RS256", **extra}
    return {
        "clientId": "cid1",
        "authenticationMethod": "private_key_jwt",
        "privateKeyJwt": {"credentials": [credential]},
    }


def test_dropping_a_credential_name_replaces_the_credentials() -> None:
    result = diff_inputs(CREDS, creds(name="k1"), creds())
    assert result.detailed == {"privateKeyJwt.credentials[0].name": Kind.DELETE_REPLACE}
    assert result.replaces == ["privateKeyJwt"]


def test_dropping_parse_expiry_from_cert_true_replaces_but_false_is_no_change() -> None:
    result = diff_inputs(CREDS, creds(parseExpiryFromCert=True), creds())
    assert result.detailed == {"privateKeyJwt.credentials[0].parseExpiryFromCert": Kind.DELETE_REPLACE}
    assert not diff_inputs(CREDS, creds(parseExpiryFromCert=False), creds()).changed


def test_dropping_a_credential_expiry_is_no_change_it_is_computed() -> None:
    assert not diff_inputs(CREDS, creds(expiresAt="2031-01-01T00:00:00Z"), creds()).changed


def test_dropping_jwt_alg_is_an_update_but_dropping_lifetime_is_no_change() -> None:
    olds = {"name": "svc", "jwtConfiguration": {"alg": "RS256", "lifetimeInSeconds": 3600}}
    dropped_alg = diff_inputs(CLIENT, olds, {"name": "svc", "jwtConfiguration": {"lifetimeInSeconds": 3600}})
    assert dropped_alg.detailed == {"jwtConfiguration.alg": Kind.DELETE}
    assert dropped_alg.replaces == []
    assert not diff_inputs(CLIENT, olds, {"name": "svc", "jwtConfiguration": {"alg": "RS256"}}).changed


def test_dropping_jwt_scopes_is_an_update() -> None:
    olds = {"name": "svc", "jwtConfiguration": {"alg": "RS256", "scopes": {"a": "b"}}}
    result = diff_inputs(CLIENT, olds, {"name": "svc", "jwtConfiguration": {"alg": "RS256"}})
    assert result.detailed == {"jwtConfiguration.scopes": Kind.DELETE}


def test_dropping_a_refresh_token_policy_list_is_an_update_but_a_computed_lifetime_is_not() -> None:
    base = {"rotationType": "rotating", "expirationType": "expiring"}
    olds = {
        "name": "svc",
        "refreshToken": {**base, "leeway": 10, "policies": [{"audience": "a", "scope": ["s"]}]},
    }
    result = diff_inputs(
        CLIENT, olds, {"name": "svc", "refreshToken": {**base, "policies": olds["refreshToken"]["policies"]}}
    )
    assert not result.changed
    assert diff_inputs(CLIENT, olds, {"name": "svc", "refreshToken": {**base, "leeway": 10}}).detailed == {
        "refreshToken.policies": Kind.DELETE
    }


def test_dropping_token_encryption_format_is_no_change_it_is_computed() -> None:
    olds = {"identifier": "https://a", "tokenEncryption": {"format": "compact-nested-jwe", "disable": False}}
    assert not diff_inputs(SERVER, olds, {"identifier": "https://a", "tokenEncryption": {}}).changed


# --- ClientCredentials: what an update works from when the program leaves the method out ----------


@pytest.mark.anyio
async def test_changed_secret_with_the_method_left_out_patches_the_secret(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    # upstream updateClientCredentials takes data.Get("authentication_method") from the state
    auth0.on("GET", "clients/cid1?fields=client_id", body={"client_id": "cid1"})
    auth0.on("PATCH", "clients/cid1", body={})
    auth0.on(
        "GET", "clients/cid1", body={"client_id": "cid1", "token_endpoint_auth_method": "client_secret_post"}
    )
    provider = Auth0Provider(env={})
    provider._api = api_factory()
    state = {"clientId": "cid1", "authenticationMethod": "client_secret_post", "clientSecret": Secret("old")}
    await provider.update(
        CREDS.pulumi_type,
        "cid1",
        {"clientId": "cid1", "clientSecret": Secret("old")},
        state,
        {"clientId": "cid1", "clientSecret": Secret("new")},
        preview=False,
    )
    assert [(s.method, s.body) for s in auth0.sent if s.method == "PATCH"] == [
        ("PATCH", {"client_secret": "new"})
    ]


@pytest.mark.anyio
async def test_credentials_delete_with_keys_reads_then_detaches_with_signed_request_object_null(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("GET", "clients/cid1/credentials", body=[{"id": "cred_1"}])
    auth0.on("GET", "clients/cid1?fields=", body={"client_id": "cid1", "app_type": "non_interactive"})
    auth0.on("PATCH", "clients/cid1", body={})
    auth0.on("DELETE", "clients/cid1/credentials/cred_1", 204)
    await CREDS.delete(api_factory(), "cid1", {})
    assert auth0.calls() == [
        "GET /api/v2/clients/cid1?fields=client_id%2Capp_type&include_fields=true",
        "GET /api/v2/clients/cid1/credentials?include_totals=true&per_page=50",
        "GET /api/v2/clients/cid1?fields=client_id%2Capp_type&include_fields=true",
        "PATCH /api/v2/clients/cid1",
        "DELETE /api/v2/clients/cid1/credentials/cred_1",
    ]
    assert auth0.sent[3].body == {
        "client_authentication_methods": None,
        "signed_request_object": None,
        "token_endpoint_auth_method": "client_secret_post",
    }


@pytest.mark.anyio
async def test_credentials_read_says_private_key_jwt_when_a_credentials_list_is_there(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    methods = {"private_key_jwt": {"credentials": []}}
    client = {"client_id": "cid1", "token_endpoint_auth_method": "client_secret_post"}
    auth0.on("GET", "clients/cid1", body={**client, "client_authentication_methods": methods})
    outputs = await CREDS.read(api_factory(), "cid1", {})
    assert outputs is not None and outputs["authenticationMethod"] == "private_key_jwt"


@pytest.mark.anyio
async def test_credentials_expiry_update_takes_the_credential_id_from_the_state(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    # upstream modifyAuthenticationMethodCredentials: data.Get("private_key_jwt.0.credentials.N.id")
    auth0.on("GET", "clients/cid1?fields=client_id", body={"client_id": "cid1"})
    auth0.on("PATCH", "clients/cid1/credentials/cred_1", body={})
    auth0.on("GET", "clients/cid1/credentials/cred_1", body={"id": "cred_1"})
    attached = {"private_key_jwt": {"credentials": [{"id": "cred_1"}]}}
    auth0.on("GET", "clients/cid1", body={"client_id": "cid1", "client_authentication_methods": attached})
    provider = Auth0Provider(env={})
    provider._api = api_factory()
    olds = creds(expiresAt="2030-01-01T00:00:00Z")
    state = {
        **olds,
        "privateKeyJwt": {"credentials": [{"id": "cred_1", "expiresAt": "2030-01-01T00:00:00Z"}]},
    }
    await provider.update(
        CREDS.pulumi_type, "cid1", olds, state, creds(expiresAt="2031-01-01T00:00:00Z"), False
    )
    assert auth0.calls()[:2] == [
        "GET /api/v2/clients/cid1?fields=client_id&include_fields=true",
        "PATCH /api/v2/clients/cid1/credentials/cred_1",
    ]


@pytest.mark.anyio
async def test_credentials_detach_for_an_express_configuration_app_is_reshaped(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    # upstream updateClientInternal: express_configuration apps get no token_endpoint_auth_method or
    # signed_request_object, and an empty private_key_jwt credentials list instead of null
    auth0.on("GET", "clients/cid1/credentials", body=[{"id": "cred_1"}])
    auth0.on("GET", "clients/cid1?fields=", body={"client_id": "cid1", "app_type": "express_configuration"})
    auth0.on("PATCH", "clients/cid1", body={})
    auth0.on("DELETE", "clients/cid1/credentials/cred_1", 204)
    await CREDS.delete(api_factory(), "cid1", {})
    assert auth0.sent[3].body == {"client_authentication_methods": {"private_key_jwt": {"credentials": []}}}
