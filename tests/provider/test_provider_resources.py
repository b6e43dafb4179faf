"""Resource types against a scripted tenant: bodies, call order, outputs, refresh and import inputs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from provider_scripted_auth0 import ScriptedAuth0

from auth0_m2m.provider._client import ManagementClient
from auth0_m2m.provider._exceptions import ProviderError
from auth0_m2m.provider._resources.client import Client
from auth0_m2m.provider._resources.client_credentials import ClientCredentials
from auth0_m2m.provider._resources.client_grant import ClientGrant
from auth0_m2m.provider._resources.organization import OrganizationClientGrant
from auth0_m2m.provider._resources.resource_server import ResourceServer, ResourceServerScopes
from auth0_m2m.provider._values import Secret

pytestmark = pytest.mark.anyio
API_ID = "https://api.example.test/v1"
ESCAPED = "https:%2F%2Fapi.example.test%2Fv1"


def quick_client() -> Client:
    client = Client()
    client.create_settle_seconds = 0
    client.update_settle_seconds = 0
    return client


async def test_client_create_sends_snake_case_and_forces_the_auth_method(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    server_client = {
        "client_id": "cid1",
        "name": "svc",
        "app_type": "non_interactive",
        "client_metadata": {"ownerTeam": "a"},
        "jwt_configuration": {"alg": "RS256", "lifetime_in_seconds": "36000", "secret_encoded": False},
        "signing_keys": [{"cert": "---", "current": True, "subject": None}],
        "cross_origin_authentication": False,
    }
    auth0.on("POST", "clients", 201, server_client)
    auth0.on("GET", "clients/cid1", body=server_client)
    inputs = {
        "name": "svc",
        "appType": "non_interactive",
        "clientMetadata": {"ownerTeam": "a"},
        "jwtConfiguration": {"alg": "RS256"},
        "crossOriginAuth": False,
    }
    resource_id, outputs = await quick_client().create(api_factory(), inputs)
    assert resource_id == "cid1"
    assert auth0.calls() == ["POST /api/v2/clients", "GET /api/v2/clients/cid1"]
    assert auth0.sent[0].body == {
        "name": "svc",
        "app_type": "non_interactive",
        "client_metadata": {"ownerTeam": "a"},
        "jwt_configuration": {"alg": "RS256"},
        "cross_origin_authentication": False,
        "token_endpoint_auth_method": "client_secret_post",
    }
    assert outputs["clientId"] == "cid1"
    assert outputs["clientMetadata"] == {"ownerTeam": "a"}
    assert outputs["jwtConfiguration"] == {"alg": "RS256", "lifetimeInSeconds": 36000, "secretEncoded": False}
    assert outputs["signingKeys"] == [{"cert": "---", "current": "true"}]
    assert outputs["crossOriginAuth"] is False


async def test_client_update_patches_the_whole_configuration_and_leaves_dropped_fields(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    # Upstream (expand.go expandClient + fetchNullableFields) never nulls allowed_origins: the
    # dropped field keeps its value in Auth0; the PATCH carries every configured property.
    auth0.on("PATCH", "clients/cid1", body={})
    auth0.on("GET", "clients/cid1", body={"client_id": "cid1", "name": "new"})
    olds = {"name": "old", "allowedOrigins": ["https://a"], "description": "d"}
    await quick_client().update(api_factory(), "cid1", olds, {"name": "new", "description": "d"})
    assert auth0.calls() == ["PATCH /api/v2/clients/cid1", "GET /api/v2/clients/cid1"]
    assert auth0.sent[0].body == {"name": "new", "description": "d"}


async def test_client_check_rejects_addons() -> None:
    failures = Client().check({"addons": {"samlp": {}}})
    assert [f[0] for f in failures] == ["addons"]


async def test_credentials_create_follows_upstream_call_order(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("GET", "clients/cid1?fields=client_id", body={"client_id": "cid1"})
    auth0.on("PATCH", "clients/cid1", body={})
    auth0.on(
        "GET",
        "clients/cid1",
        body={
            "client_id": "cid1",
            "client_secret": "s3cret",
            "token_endpoint_auth_method": "client_secret_basic",
        },
    )
    inputs = {"clientId": "cid1", "authenticationMethod": "client_secret_basic", "clientSecret": "chosen"}
    resource_id, outputs = await ClientCredentials().create(api_factory(), inputs)
    assert resource_id == "cid1"
    assert auth0.calls() == [
        "GET /api/v2/clients/cid1?fields=client_id&include_fields=true",
        "PATCH /api/v2/clients/cid1",
        "PATCH /api/v2/clients/cid1",
        "GET /api/v2/clients/cid1",
    ]
    assert [s.body for s in auth0.sent[1:3]] == [
        {"token_endpoint_auth_method": "client_secret_basic"},
        {"client_secret": "chosen"},
    ]
    assert outputs["clientSecret"] == Secret("s3cret")
    assert outputs["authenticationMethod"] == "client_secret_basic"


async def test_credentials_private_key_jwt_posts_credentials_and_attaches_them(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("GET", "clients/cid1?fields=client_id", body={"client_id": "cid1"})
    auth0.on("POST", "clients/cid1/credentials", 201, {"id": "cred_1"})
    auth0.on("PATCH", "clients/cid1", body={})
    auth0.on("GET", "clients/cid1/credentials/cred_1", body={"id": "cred_1", "kid": "k1", "alg": "RS256"})
    auth0.on(
        "GET",
        "clients/cid1",
        body={
            "client_id": "cid1",
            "client_authentication_methods": {"private_key_jwt": {"credentials": [{"id": "cred_1"}]}},
        },
    )
    credential = {"credentialType": "public_key", "pem": "-----BEGIN PUBLIC KEY-----", "name": "k"}
    inputs = {
        "clientId": "cid1",
        "authenticationMethod": "private_key_jwt",
        "privateKeyJwt": {"credentials": [credential]},
    }
    _, outputs = await ClientCredentials().create(api_factory(), inputs)
    assert auth0.sent[1].body == {
        "credential_type": "public_key",
        "name": "k",
        "pem": "-----BEGIN PUBLIC KEY-----",
        "alg": "RS256",
    }
    assert auth0.calls()[:5] == [
        "GET /api/v2/clients/cid1?fields=client_id&include_fields=true",
        "POST /api/v2/clients/cid1/credentials",
        "GET /api/v2/clients/cid1?fields=client_id%2Capp_type&include_fields=true",  # internal read
        "PATCH /api/v2/clients/cid1",
        "GET /api/v2/clients/cid1",
    ]
    assert auth0.sent[3].body == {
        "client_authentication_methods": {"private_key_jwt": {"credentials": [{"id": "cred_1"}]}},
        "token_endpoint_auth_method": None,
    }
    assert outputs["authenticationMethod"] == "private_key_jwt"
    assert outputs["privateKeyJwt"]["credentials"][0]["keyId"] == "k1"
    assert outputs["privateKeyJwt"]["credentials"][0]["pem"] == credential["pem"]


async def test_credentials_delete_resets_the_default_method(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("GET", "clients/cid1/credentials", body=[])
    auth0.on("GET", "clients/cid1?fields=", body={"client_id": "cid1", "app_type": "non_interactive"})
    auth0.on("PATCH", "clients/cid1", body={})
    await ClientCredentials().delete(api_factory(), "cid1", {})
    assert auth0.calls() == [
        "GET /api/v2/clients/cid1?fields=client_id%2Capp_type&include_fields=true",
        "GET /api/v2/clients/cid1/credentials?include_totals=true&per_page=50",
        "PATCH /api/v2/clients/cid1",
    ]
    assert auth0.sent[2].body == {"token_endpoint_auth_method": "client_secret_post"}


async def test_scopes_refuse_an_api_with_other_scopes(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on(
        "GET", f"resource-servers/{ESCAPED}", body={"identifier": API_ID, "scopes": [{"value": "other"}]}
    )
    with pytest.raises(ProviderError) as exc:
        await ResourceServerScopes().create(
            api_factory(), {"resourceServerIdentifier": API_ID, "scopes": [{"name": "read:x"}]}
        )
    assert "non empty scopes" in str(exc.value)
    assert auth0.calls() == [f"GET /api/v2/resource-servers/{ESCAPED}"]


async def test_scopes_create_patches_value_and_description(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on(
        "GET", f"resource-servers/{ESCAPED}", body={"identifier": API_ID, "scopes": [{"value": "read:x"}]}
    )
    auth0.on("PATCH", f"resource-servers/{ESCAPED}", body={})
    scopes = [{"name": "read:x"}, {"name": "write:x", "description": "Write"}]
    resource_id, outputs = await ResourceServerScopes().create(
        api_factory(), {"resourceServerIdentifier": API_ID, "scopes": scopes[:1]}
    )
    assert resource_id == API_ID
    assert auth0.sent[1].body == {"scopes": [{"value": "read:x"}]}
    assert outputs == {"resourceServerIdentifier": API_ID, "scopes": [{"name": "read:x"}]}


async def test_resource_server_create_has_no_scopes_and_keeps_camel_verification_location(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    obj = {"id": "rs1", "identifier": API_ID, "name": "api", "is_system": False, "token_lifetime": 3600}
    auth0.on("POST", "resource-servers", 201, obj)
    auth0.on("GET", "resource-servers/rs1", body=obj)
    inputs = {"identifier": API_ID, "name": "api", "tokenLifetime": 3600, "verificationLocation": "x"}
    resource_id, outputs = await ResourceServer().create(api_factory(), inputs)
    assert resource_id == "rs1"
    assert auth0.sent[0].body == {
        "identifier": API_ID,
        "name": "api",
        "token_lifetime": 3600,
        "verificationLocation": "x",
    }
    assert outputs["isSystem"] is False


async def test_grant_create_prechecks_then_posts_scope_singular(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("GET", "client-grants?", body={"client_grants": [], "start": 0, "limit": 50, "total": 0})
    auth0.on("POST", "client-grants", 201, {"id": "cgr_1"})
    auth0.on(
        "GET",
        "client-grants/cgr_1",
        body={"id": "cgr_1", "client_id": "c", "audience": API_ID, "scope": ["r"]},
    )
    inputs = {
        "clientId": "c",
        "audience": API_ID,
        "scopes": ["r"],
        "organizationUsage": "allow",
        "allowAnyOrganization": False,
    }
    resource_id, outputs = await ClientGrant().create(api_factory(), inputs)
    assert resource_id == "cgr_1"
    assert auth0.calls()[0] == (
        "GET /api/v2/client-grants?audience=https%3A%2F%2Fapi.example.test%2Fv1"
        "&client_id=c&include_totals=true&per_page=50"
    )
    assert auth0.sent[1].body == {
        "client_id": "c",
        "audience": API_ID,
        "scope": ["r"],
        "organization_usage": "allow",
        "allow_any_organization": False,
    }
    assert outputs["scopes"] == ["r"]
    assert outputs["subjectType"] == "client"


async def test_grant_create_adopts_an_existing_grant(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    existing = {"id": "cgr_9", "client_id": "c", "audience": API_ID, "scope": ["r"]}
    auth0.on("GET", "client-grants?", body={"client_grants": [existing], "start": 0, "limit": 50, "total": 1})
    auth0.on("GET", "client-grants/cgr_9", body=existing)
    resource_id, _ = await ClientGrant().create(
        api_factory(), {"clientId": "c", "audience": API_ID, "scopes": ["r"]}
    )
    assert resource_id == "cgr_9"
    assert [c.split(" ")[0] for c in auth0.calls()] == ["GET", "GET"]


async def test_org_client_grant_read_scans_the_first_page(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on(
        "GET", "organizations/org_1/client-grants", body={"client_grants": [{"id": "cgr_1"}], "total": 1}
    )
    found = await OrganizationClientGrant().read(api_factory(), "org_1::cgr_1", {})
    missing = await OrganizationClientGrant().read(api_factory(), "org_1::cgr_2", {})
    assert found == {"organizationId": "org_1", "grantId": "cgr_1"}
    assert missing is None


def test_refresh_inputs_follow_the_program_shape_and_import_takes_settable_fields() -> None:
    outputs = {
        "name": "svc",
        "clientId": "cid1",
        "jwtConfiguration": {"alg": "RS256", "lifetimeInSeconds": 36000},
        "clientMetadata": {"a": "1", "b": "2"},
        "allowedOrigins": [],
    }
    refreshed = Client().inputs_from_outputs(
        outputs, {"name": "old", "jwtConfiguration": {"alg": "HS256"}, "clientMetadata": {"a": "1"}}
    )
    assert refreshed == {
        "name": "svc",
        "jwtConfiguration": {"alg": "RS256"},
        "clientMetadata": {"a": "1", "b": "2"},
    }
    imported = Client().inputs_from_outputs(outputs, {})
    assert imported == {
        "name": "svc",
        "jwtConfiguration": outputs["jwtConfiguration"],
        "clientMetadata": outputs["clientMetadata"],
    }
