"""The stand-in behaves like upstream (terraform-provider-auth0 v1.39.1 via pulumi-auth0 3.37.1).

Each test pins one fact read from upstream's schema or CRUD code (docs/provider-fidelity.md
names the test per property): set vs list, ForceNew, defaults the bridge fills in, which side
goes first on a replacement, what a grant create adopts, and the detailed-diff paths.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from provider_scripted_auth0 import ScriptedAuth0

from auth0_m2m.provider._client import ManagementClient
from auth0_m2m.provider._config import ProviderConfig
from auth0_m2m.provider._diff import Kind, diff_inputs
from auth0_m2m.provider._exceptions import Auth0APIError
from auth0_m2m.provider._provider import Auth0Provider
from auth0_m2m.provider._resources import RESOURCE_TYPES
from auth0_m2m.provider._resources.client import Client
from auth0_m2m.provider._resources.client_credentials import ClientCredentials
from auth0_m2m.provider._resources.client_grant import ClientGrant

CLIENT = RESOURCE_TYPES["auth0:index/client:Client"]
CREDS = RESOURCE_TYPES["auth0:index/clientCredentials:ClientCredentials"]
SERVER = RESOURCE_TYPES["auth0:index/resourceServer:ResourceServer"]
SCOPES = RESOURCE_TYPES["auth0:index/resourceServerScopes:ResourceServerScopes"]
GRANT = RESOURCE_TYPES["auth0:index/clientGrant:ClientGrant"]
ORG = RESOURCE_TYPES["auth0:index/organization:Organization"]
ORG_GRANT = RESOURCE_TYPES["auth0:index/organizationClientGrant:OrganizationClientGrant"]
API = "https://api.example.test/v1"
PEM_A = "-----BEGIN PUBLIC KEY-----A"
PEM_B = "-----BEGIN PUBLIC KEY-----B"


def scope_list(*names: str) -> list[dict[str, str]]:
    return [{"name": n, "description": f"Scope {n}"} for n in names]


def key(pem: str, **extra: Any) -> dict[str, Any]:
    return {"credentialType": "public_key", "pem": pem, "algorithm": "RS256", "name": "k", **extra}


def jwt_creds(*credentials: dict[str, Any]) -> dict[str, Any]:
    return {
        "clientId": "cid1",
        "authenticationMethod": "private_key_jwt",
        "privateKeyJwt": {"credentials": list(credentials)},
    }


# --- ResourceServerScopes.scopes is a TypeSet upstream -------------------------------------------


def test_scopes_set_reordered_is_no_change() -> None:
    olds = {"resourceServerIdentifier": API, "scopes": scope_list("read", "write", "admin")}
    news = {"resourceServerIdentifier": API, "scopes": scope_list("admin", "read", "write")}
    assert not diff_inputs(SCOPES, olds, news).changed


def test_scopes_set_names_added_and_removed_elements() -> None:
    olds = {"resourceServerIdentifier": API, "scopes": scope_list("read", "write")}
    news = {"resourceServerIdentifier": API, "scopes": scope_list("write", "admin", "read", "audit")}
    assert diff_inputs(SCOPES, olds, news).detailed == {"scopes[1]": Kind.ADD, "scopes[3]": Kind.ADD}
    removed = diff_inputs(SCOPES, olds, {**olds, "scopes": scope_list("write")})
    assert removed.detailed == {"scopes[0]": Kind.DELETE}
    assert removed.replaces == []


def test_scopes_set_description_change_is_an_element_update() -> None:
    olds = {"resourceServerIdentifier": API, "scopes": [{"name": "read", "description": "Read"}]}
    news = {"resourceServerIdentifier": API, "scopes": [{"name": "read", "description": "Read all"}]}
    assert diff_inputs(SCOPES, olds, news).detailed == {"scopes[0].description": Kind.UPDATE}


def test_scopes_identifier_change_replaces_creating_first() -> None:
    olds = {"resourceServerIdentifier": API, "scopes": scope_list("read")}
    result = diff_inputs(SCOPES, olds, {**olds, "resourceServerIdentifier": API + "2"})
    assert result.detailed == {"resourceServerIdentifier": Kind.UPDATE_REPLACE}
    assert not result.delete_before_replace


# --- ClientGrant.scopes is a TypeList upstream (v1.39.1) -----------------------------------------


def test_grant_scopes_are_a_list_so_reordering_is_an_in_place_update() -> None:
    olds = {"clientId": "c", "audience": API, "scopes": ["read", "write"]}
    result = diff_inputs(GRANT, olds, {**olds, "scopes": ["write", "read"]})
    assert result.changed and result.properties == ["scopes"]
    assert result.replaces == []
    assert all(path.startswith("scopes[") for path in result.detailed)


def test_grant_scope_edits_name_list_positions() -> None:
    olds = {"clientId": "c", "audience": API, "scopes": ["a", "b", "c"]}
    assert diff_inputs(GRANT, olds, {**olds, "scopes": ["a", "x", "b", "c"]}).detailed == {
        "scopes[1]": Kind.ADD
    }
    assert diff_inputs(GRANT, olds, {**olds, "scopes": ["a", "c"]}).detailed == {"scopes[1]": Kind.DELETE}


@pytest.mark.parametrize("prop", ["clientId", "audience", "subjectType"])
def test_grant_force_new_properties_replace_creating_first(prop: str) -> None:
    olds = {"clientId": "c", "audience": API, "scopes": ["read"], "subjectType": "client"}
    result = diff_inputs(GRANT, olds, {**olds, prop: "user" if prop == "subjectType" else "other"})
    assert result.replaces == [prop]
    assert not result.delete_before_replace


@pytest.mark.parametrize(
    ("prop", "value"),
    [("scopes", ["read", "write"]), ("organizationUsage", "require"), ("allowAnyOrganization", True)],
)
def test_grant_other_properties_update_in_place(prop: str, value: Any) -> None:
    olds = {"clientId": "c", "audience": API, "scopes": ["read"], "organizationUsage": "allow"}
    result = diff_inputs(GRANT, olds, {**olds, prop: value})
    assert result.changed and result.replaces == []


# --- ClientCredentials: ForceNew inside private_key_jwt, expires_at in place ---------------------


def test_credentials_key_change_replaces_at_the_pem_path() -> None:
    result = diff_inputs(CREDS, jwt_creds(key(PEM_A)), jwt_creds(key(PEM_B)))
    assert result.detailed == {"privateKeyJwt.credentials[0].pem": Kind.UPDATE_REPLACE}
    assert result.replaces == ["privateKeyJwt"]
    assert not result.delete_before_replace


def test_credentials_adding_or_removing_a_key_replaces() -> None:
    one, two = jwt_creds(key(PEM_A)), jwt_creds(key(PEM_A), key(PEM_B, name="k2"))
    assert diff_inputs(CREDS, one, two).detailed == {"privateKeyJwt.credentials[1]": Kind.ADD_REPLACE}
    assert diff_inputs(CREDS, two, one).detailed == {"privateKeyJwt.credentials[1]": Kind.DELETE_REPLACE}


@pytest.mark.parametrize(("prop", "value"), [("name", "renamed"), ("algorithm", "PS256")])
def test_credentials_other_force_new_key_fields_replace(prop: str, value: str) -> None:
    result = diff_inputs(CREDS, jwt_creds(key(PEM_A)), jwt_creds(key(PEM_A, **{prop: value})))
    assert result.detailed == {f"privateKeyJwt.credentials[0].{prop}": Kind.UPDATE_REPLACE}


def test_credentials_expiry_change_updates_in_place() -> None:
    olds = jwt_creds(key(PEM_A, expiresAt="2030-01-01T00:00:00Z"))
    news = jwt_creds(key(PEM_A, expiresAt="2031-01-01T00:00:00Z"))
    result = diff_inputs(CREDS, olds, news)
    assert result.detailed == {"privateKeyJwt.credentials[0].expiresAt": Kind.UPDATE}
    assert result.replaces == []


def test_credentials_client_id_replaces_and_method_or_secret_update() -> None:
    olds = {"clientId": "c1", "authenticationMethod": "client_secret_post", "clientSecret": "s"}
    assert diff_inputs(CREDS, olds, {**olds, "clientId": "c2"}).replaces == ["clientId"]
    for prop, value in (("authenticationMethod", "client_secret_basic"), ("clientSecret", "t")):
        result = diff_inputs(CREDS, olds, {**olds, prop: value})
        assert result.detailed == {prop: Kind.UPDATE}


def test_credentials_authentication_method_is_optional_and_computed() -> None:
    assert ClientCredentials().check({"clientId": "cid1"}) == []
    olds = {"clientId": "cid1", "authenticationMethod": "client_secret_post"}
    assert not diff_inputs(CREDS, olds, {"clientId": "cid1"}).changed


def test_credentials_algorithm_defaults_to_rs256() -> None:
    provider = Auth0Provider(env={})
    no_alg = {"credentialType": "public_key", "pem": PEM_A}
    inputs, failures = provider.check(CREDS.pulumi_type, "creds", {}, jwt_creds(no_alg), b"seed")
    assert failures == []
    assert inputs["privateKeyJwt"]["credentials"][0]["algorithm"] == "RS256"


@pytest.mark.anyio
async def test_credentials_expiry_update_patches_only_expires_at(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("GET", "clients/cid1?fields=client_id", body={"client_id": "cid1"})
    auth0.on("PATCH", "clients/cid1/credentials/cred_1", body={})
    auth0.on("GET", "clients/cid1/credentials/cred_1", body={"id": "cred_1", "kid": "k1"})
    attached = {"private_key_jwt": {"credentials": [{"id": "cred_1"}]}}
    auth0.on("GET", "clients/cid1", body={"client_id": "cid1", "client_authentication_methods": attached})
    olds = jwt_creds(key(PEM_A, expiresAt="2030-01-01T00:00:00Z"))
    news = jwt_creds(key(PEM_A, expiresAt="2031-01-01T00:00:00Z"))
    await ClientCredentials().update(api_factory(), "cid1", olds, news)
    patches = [s for s in auth0.sent if s.method == "PATCH"]
    assert [(s.target, s.body) for s in patches] == [
        ("/api/v2/clients/cid1/credentials/cred_1", {"expires_at": "2031-01-01T00:00:00Z"})
    ]
    assert not any(s.method == "POST" for s in auth0.sent)


# --- Client: bridge default for description, secretEncoded ForceNew, nothing else replaces -------


def test_client_description_defaults_to_managed_by_pulumi() -> None:
    inputs, _ = Auth0Provider(env={}).check(CLIENT.pulumi_type, "svc", {}, {"name": "svc"}, b"s")
    assert inputs["description"] == "Managed by Pulumi"
    assert inputs["__defaults"] == ["description"]
    explicit, _ = Auth0Provider(env={}).check(CLIENT.pulumi_type, "svc", {}, {"description": "d"}, b"s")
    assert explicit["description"] == "d"
    assert explicit["__defaults"] == ["name"]


def test_client_description_removed_goes_back_to_the_default() -> None:
    olds = {"name": "svc", "description": "Orders sync"}
    news, _ = Auth0Provider(env={}).check(CLIENT.pulumi_type, "svc", olds, {"name": "svc"}, b"s")
    assert diff_inputs(CLIENT, olds, news).detailed == {"description": Kind.UPDATE}


def test_client_description_longer_than_140_is_refused() -> None:
    assert [f[0] for f in Client().check({"description": "x" * 141})] == ["description"]


@pytest.mark.anyio
async def test_client_create_sends_the_default_description(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("POST", "clients", 201, {"client_id": "cid1"})
    auth0.on("GET", "clients/cid1", body={"client_id": "cid1"})
    inputs, _ = Auth0Provider(env={}).check(CLIENT.pulumi_type, "svc", {}, {"name": "svc"}, b"s")
    client = Client()
    client.create_settle_seconds = 0
    await client.create(api_factory(), inputs)
    assert auth0.sent[0].body == {"name": "svc", "description": "Managed by Pulumi"}


def test_client_secret_encoded_change_replaces_the_client() -> None:
    olds = {"name": "svc", "jwtConfiguration": {"alg": "HS256", "secretEncoded": False}}
    result = diff_inputs(
        CLIENT, olds, {"name": "svc", "jwtConfiguration": {"alg": "HS256", "secretEncoded": True}}
    )
    assert result.detailed == {"jwtConfiguration.secretEncoded": Kind.UPDATE_REPLACE}


@pytest.mark.parametrize(
    ("prop", "value"),
    [
        ("name", "renamed"),
        ("description", "new text"),
        ("appType", "regular_web"),
        ("grantTypes", ["client_credentials", "implicit"]),
        ("jwtConfiguration", {"alg": "PS256"}),
        ("organizationUsage", "require"),
        ("clientMetadata", {"team": "b"}),
    ],
)
def test_client_program_properties_update_in_place(prop: str, value: Any) -> None:
    olds = {
        "name": "svc",
        "description": "d",
        "appType": "non_interactive",
        "grantTypes": ["client_credentials"],
        "jwtConfiguration": {"alg": "RS256"},
        "organizationUsage": "allow",
        "clientMetadata": {"team": "a"},
    }
    result = diff_inputs(CLIENT, olds, {**olds, prop: value})
    assert result.changed and result.replaces == []


# --- ResourceServer / Organization / OrganizationClientGrant ------------------------------------


def test_resource_server_identifier_replaces_deleting_first_only_when_the_program_named_it() -> None:
    olds = {"identifier": API, "name": "Orders"}
    named = diff_inputs(SERVER, olds, {"identifier": API + "2", "name": "Orders", "__defaults": []})
    assert named.detailed == {"identifier": Kind.UPDATE_REPLACE}
    assert named.delete_before_replace
    autonamed = {"identifier": API + "2", "name": "api-1234567", "__defaults": ["name"]}
    assert not diff_inputs(SERVER, olds, autonamed).delete_before_replace
    assert not diff_inputs(SERVER, olds, {"identifier": API + "2", "name": "Orders"}).delete_before_replace


@pytest.mark.parametrize(
    ("prop", "value"),
    [("name", "Renamed"), ("signingAlg", "HS256"), ("tokenLifetime", 7200), ("allowOfflineAccess", True)],
)
def test_resource_server_other_properties_update_in_place(prop: str, value: Any) -> None:
    olds = {"identifier": API, "name": "Orders", "signingAlg": "RS256", "tokenLifetime": 3600}
    result = diff_inputs(SERVER, olds, {**olds, prop: value})
    assert result.changed and result.replaces == []


@pytest.mark.parametrize(
    ("prop", "value"), [("name", "acme-2"), ("displayName", "Acme 2"), ("metadata", {"tier": "silver"})]
)
def test_organization_properties_update_in_place(prop: str, value: Any) -> None:
    olds = {"name": "acme", "displayName": "Acme", "metadata": {"tier": "gold"}}
    result = diff_inputs(ORG, olds, {**olds, prop: value})
    assert result.changed and result.replaces == []
    if prop == "metadata":
        assert result.detailed == {"metadata.tier": Kind.UPDATE}


@pytest.mark.parametrize("prop", ["organizationId", "grantId"])
def test_org_client_grant_fields_replace_creating_first(prop: str) -> None:
    olds = {"organizationId": "org_1", "grantId": "cgr_1"}
    result = diff_inputs(ORG_GRANT, olds, {**olds, prop: "other"})
    assert result.replaces == [prop]
    assert not result.delete_before_replace


# --- ClientGrant create adopts the first listed grant (v1.39.1) ----------------------------------


@pytest.mark.anyio
async def test_grant_create_adopts_the_first_listed_grant_whatever_its_subject_type(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    existing = {"id": "cgr_u", "client_id": "c", "audience": API, "scope": ["read"], "subject_type": "user"}
    auth0.on("GET", "client-grants?", body={"client_grants": [existing], "total": 1})
    auth0.on("GET", "client-grants/cgr_u", body=existing)
    grant_id, _ = await ClientGrant().create(
        api_factory(), {"clientId": "c", "audience": API, "scopes": ["read"]}
    )
    assert grant_id == "cgr_u"
    assert not any(s.method == "POST" for s in auth0.sent)


# --- provider configuration --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "on"),
    [("1", True), ("true", True), ("on", True), ("yes", False), ("TRUE", False), ("0", False)],
)
def test_auth0_debug_env_is_on_only_for_1_true_on(value: str, on: bool) -> None:
    env = {"AUTH0_DOMAIN": "t.example.test", "AUTH0_API_TOKEN": "tok", "AUTH0_DEBUG": value}
    assert ProviderConfig.from_engine({}, {}, env).debug is on


def test_debug_config_key_wins_over_the_env() -> None:
    env = {"AUTH0_DOMAIN": "t.example.test", "AUTH0_API_TOKEN": "tok", "AUTH0_DEBUG": "true"}
    assert ProviderConfig.from_engine({"debug": "false"}, {}, env).debug is False


@pytest.mark.anyio
async def test_resource_server_signing_secret_is_not_a_secret_output_as_upstream(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on(
        "GET", "resource-servers/rs_1", body={"id": "rs_1", "identifier": API, "signing_secret": "x" * 24}
    )
    provider = Auth0Provider(env={})
    provider._api = api_factory()
    result = await provider.read(SERVER.pulumi_type, "rs_1", {"identifier": API}, {})
    assert result is not None
    outputs, _ = result
    assert outputs["signingSecret"] == "x" * 24  # plain, not Secret: the program must ask for it


# --- validations upstream makes at plan time ---------------------------------------------------


@pytest.mark.parametrize(
    ("rtype", "inputs", "prop"),
    [
        (SERVER, {"identifier": API, "signingAlg": "ES256"}, "signingAlg"),
        (SERVER, {"identifier": API, "signingSecret": "short"}, "signingSecret"),
        (SERVER, {"identifier": API, "tokenDialect": "jwt"}, "tokenDialect"),
        (CLIENT, {"name": "a", "appType": "m2m"}, "appType"),
        (CLIENT, {"name": "a", "organizationUsage": "Allow"}, "organizationUsage"),
        (CLIENT, {"name": "a", "jwtConfiguration": {"alg": "ES256"}}, "jwtConfiguration.alg"),
        (GRANT, {"clientId": "c", "audience": API, "scopes": ["r"], "subjectType": "robot"}, "subjectType"),
        (CREDS, jwt_creds(key(PEM_A, algorithm="ES256")), "privateKeyJwt.credentials[].algorithm"),
        (CREDS, {**jwt_creds(key(PEM_A)), "clientSecret": "s" * 32}, "clientSecret"),  # ConflictsWith
    ],
)
def test_inputs_upstream_refuses_are_refused(rtype: Any, inputs: dict[str, Any], prop: str) -> None:
    assert [f[0] for f in rtype.check(inputs)] == [prop]


@pytest.mark.parametrize(
    ("rtype", "inputs"),
    [
        (SERVER, {"identifier": API, "signingAlg": "rs256"}),  # case-insensitive upstream
        (GRANT, {"clientId": "c", "audience": API, "scopes": ["r"], "organizationUsage": "Allow"}),
        (GRANT, {"clientId": "c", "audience": API, "scopes": ["r"], "subjectType": "USER"}),
        (CREDS, {"clientId": "c"}),  # authenticationMethod is optional
    ],
)
def test_inputs_upstream_accepts_are_accepted(rtype: Any, inputs: dict[str, Any]) -> None:
    assert rtype.check(inputs) == []


def test_auth0_audience_overrides_the_token_audience() -> None:
    env = {"AUTH0_DOMAIN": "t.example.test:8443", "AUTH0_CLIENT_ID": "a", "AUTH0_CLIENT_SECRET": "b"}
    assert ProviderConfig.from_engine({}, {}, env).token_audience == "https://t.example.test:8443/api/v2/"
    custom = {**env, "AUTH0_AUDIENCE": "https://login.example.test/api/v2/"}
    assert ProviderConfig.from_engine({}, {}, custom).token_audience == "https://login.example.test/api/v2/"


# --- errors: 401, 403, 409 are reported at once with Auth0's message; 404 on read drops ----------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("status", "error"), [(401, "Unauthorized"), (403, "Forbidden"), (409, "Conflict"), (400, "Bad Request")]
)
async def test_client_errors_are_reported_once_with_auth0s_message(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient], status: int, error: str
) -> None:
    auth0.on("POST", "client-grants", status, {"statusCode": status, "error": error, "message": "Nope"})
    with pytest.raises(Auth0APIError) as exc:
        await api_factory().post("client-grants", {"client_id": "c"})
    assert str(exc.value) == f"POST /api/v2/client-grants: {status} {error}: Nope"
    assert len(auth0.sent) == 1  # not retried


@pytest.mark.anyio
async def test_404_on_read_drops_the_object_from_state(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("GET", "client-grants/cgr_1", 404, {"statusCode": 404, "error": "Not Found", "message": "gone"})
    provider = Auth0Provider(env={})
    provider._api = api_factory()
    assert await provider.read(GRANT.pulumi_type, "cgr_1", {"clientId": "c"}, {}) is None


# --- the schema flags, type by type, against upstream v1.39.1 ----------------------------------

UPSTREAM_FLAGS: dict[str, tuple[set[str], set[str], set[str]]] = {
    # type: (Optional+Computed or Computed properties the stand-in implements (leaving them out is no
    #        change), ForceNew paths, TypeSet properties). `name` is left out: Required upstream and
    #        always filled in by autonaming, so it is never left out.
    CLIENT.pulumi_type: (
        {
            "isFirstParty", "isTokenEndpointIpHeaderTrusted", "oidcConformant", "callbacks", "grantTypes",
            "asyncApprovalNotificationChannels", "organizationUsage", "organizationRequireBehavior",
            "jwtConfiguration", "customLoginPageOn", "mobile", "nativeSocialLogin", "refreshToken",
            "defaultOrganization", "expressConfiguration", "clientId", "signingKeys",
        },
        {"jwtConfiguration.secretEncoded"},
        set(),
    ),
    CREDS.pulumi_type: (
        {"authenticationMethod", "clientSecret"},
        {"clientId"} | {
            f"privateKeyJwt.credentials[].{k}"
            for k in ("name", "credentialType", "pem", "algorithm", "parseExpiryFromCert")
        },
        set(),
    ),
    SERVER.pulumi_type: (
        {
            "signingAlg", "signingSecret", "tokenLifetime", "tokenLifetimeForWeb",
            "skipConsentForVerifiableFirstPartyClients", "enforcePolicies", "tokenDialect", "consentPolicy",
            "authorizationDetails", "tokenEncryption", "proofOfPossession", "subjectTypeAuthorization",
            "clientId", "isSystem",
        },
        {"identifier"},
        set(),
    ),
    SCOPES.pulumi_type: (set(), {"resourceServerIdentifier"}, {"scopes"}),
    GRANT.pulumi_type: ({"subjectType", "isSystem"}, {"clientId", "audience", "subjectType"}, set()),
    ORG.pulumi_type: ({"branding"}, set(), set()),
    ORG_GRANT.pulumi_type: (set(), {"organizationId", "grantId"}, set()),
}  # fmt: skip


@pytest.mark.parametrize("token", sorted(UPSTREAM_FLAGS))
def test_schema_flags_match_upstream(token: str) -> None:
    rtype = RESOURCE_TYPES[token]
    computed, force_new, sets = UPSTREAM_FLAGS[token]
    fields = [f for f in rtype.fields if f.name != "name"]
    assert {f.name for f in fields if f.computed or f.output_only} == computed
    replace = {f.name for f in fields if f.replace} | {
        f"{f.name}.{p}" for f in fields for p in f.replace_paths
    }
    assert replace == force_new
    assert {f.name for f in fields if f.unordered} == sets


@pytest.mark.anyio
async def test_resource_server_imported_by_identifier_gets_the_apis_id(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    auth0.on("GET", "resource-servers/https:%2F%2F", body={"id": "rs_1", "identifier": API, "name": "Orders"})
    provider = Auth0Provider(env={})
    provider._api = api_factory()
    found = await provider.read_with_id(SERVER.pulumi_type, API, {}, {})
    assert found is not None
    resource_id, outputs, inputs = found
    assert resource_id == "rs_1"
    assert "__id" not in outputs and inputs["identifier"] == API


@pytest.mark.anyio
async def test_organization_update_patches_the_configuration_then_nulls_only_token_quota(
    auth0: ScriptedAuth0, api_factory: Callable[..., ManagementClient]
) -> None:
    # upstream organization/expand.go: fetchNullableFields holds token_quota only
    auth0.on("PATCH", "organizations/org_1", body={})
    auth0.on("GET", "organizations/org_1", body={"id": "org_1", "name": "acme-2"})
    olds = {
        "name": "acme",
        "displayName": "Acme",
        "metadata": {"tier": "gold"},
        "tokenQuota": {"clientCredentials": {"perDay": 5}},
    }
    await ORG.update(api_factory(), "org_1", olds, {"name": "acme-2"})
    assert [s.body for s in auth0.sent if s.method == "PATCH"] == [{"name": "acme-2"}, {"token_quota": None}]
