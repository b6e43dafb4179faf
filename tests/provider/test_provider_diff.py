"""Input-level diff: computed fields, nested shapes, replacements and ignoreChanges."""

from __future__ import annotations

from auth0_m2m.provider._diff import Kind, diff_inputs
from auth0_m2m.provider._resources import RESOURCE_TYPES
from auth0_m2m.provider._values import UNKNOWN, Secret

CLIENT = RESOURCE_TYPES["auth0:index/client:Client"]
GRANT = RESOURCE_TYPES["auth0:index/clientGrant:ClientGrant"]
CREDS = RESOURCE_TYPES["auth0:index/clientCredentials:ClientCredentials"]


def test_equal_inputs_are_no_change() -> None:
    olds = {"name": "svc", "grantTypes": ["client_credentials"], "clientMetadata": {"team": "a"}}
    assert not diff_inputs(CLIENT, olds, dict(olds)).changed


def test_omitting_a_computed_field_is_no_change_but_omitting_a_plain_one_is_a_delete() -> None:
    olds = {"name": "svc", "grantTypes": ["client_credentials"], "allowedOrigins": ["https://a"]}
    result = diff_inputs(CLIENT, olds, {"name": "svc"})
    assert result.detailed == {"allowedOrigins": Kind.DELETE}


def test_nested_keys_the_program_leaves_out_are_no_change() -> None:
    olds = {"jwtConfiguration": {"alg": "RS256", "lifetimeInSeconds": 36000, "secretEncoded": False}}
    assert not diff_inputs(CLIENT, olds, {"jwtConfiguration": {"alg": "RS256"}}).changed
    changed = diff_inputs(CLIENT, olds, {"jwtConfiguration": {"alg": "PS256"}})
    assert changed.detailed == {"jwtConfiguration.alg": Kind.UPDATE}
    assert changed.properties == ["jwtConfiguration"]


def test_user_key_maps_diff_key_by_key() -> None:
    result = diff_inputs(
        CLIENT, {"clientMetadata": {"a": "1", "b": "2"}}, {"clientMetadata": {"a": "x", "c": "3"}}
    )
    assert result.detailed == {
        "clientMetadata.a": Kind.UPDATE,
        "clientMetadata.b": Kind.DELETE,
        "clientMetadata.c": Kind.ADD,
    }


def test_audience_change_replaces_the_grant_creating_the_new_one_first() -> None:
    olds = {"clientId": "c", "audience": "https://a", "scopes": ["r"]}
    result = diff_inputs(GRANT, olds, {**olds, "audience": "https://b"})
    assert result.replaces == ["audience"]
    assert result.detailed == {"audience": Kind.UPDATE_REPLACE}
    assert not result.delete_before_replace


def test_scope_change_updates_in_place() -> None:
    olds = {"clientId": "c", "audience": "https://a", "scopes": ["r"]}
    result = diff_inputs(GRANT, olds, {**olds, "scopes": ["r", "w"]})
    assert result.replaces == []
    assert result.detailed == {"scopes[1]": Kind.ADD}


def test_unknown_value_is_a_change() -> None:
    result = diff_inputs(CREDS, {"clientId": "c"}, {"clientId": UNKNOWN})
    assert result.detailed == {"clientId": Kind.UPDATE_REPLACE}


def test_secrets_compare_by_value() -> None:
    olds = {"clientId": "c", "authenticationMethod": "client_secret_post", "clientSecret": Secret("a")}
    assert not diff_inputs(CREDS, olds, {**olds, "clientSecret": Secret("a")}).changed
    assert diff_inputs(CREDS, olds, {**olds, "clientSecret": Secret("b")}).detailed == {
        "clientSecret": Kind.UPDATE
    }


def test_ignore_changes_skips_the_property() -> None:
    olds = {"clientId": "c", "audience": "https://a", "scopes": ["r"]}
    assert not diff_inputs(GRANT, olds, {**olds, "scopes": ["w"]}, ["scopes"]).changed


def test_omitting_a_field_recorded_as_false_is_no_change() -> None:
    rs = RESOURCE_TYPES["auth0:index/resourceServer:ResourceServer"]
    assert not diff_inputs(
        rs, {"identifier": "https://a", "allowOfflineAccess": False}, {"identifier": "https://a"}
    ).changed
