"""Invalid stack configs: each is rejected with its key path named, and the program declares nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from auth0_m2m.program import pulumi_program
from auth0_m2m.settings import ConfigError, parse_stack_config

Mutation = Callable[[dict[str, Any]], None]
PRIVATE_PEM = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"
INTEGRATION = "auth0-m2m:integrations.nango-billing"


def _integration(config: dict[str, Any]) -> dict[str, Any]:
    return config["auth0-m2m:integrations"]["nango-billing"]  # type: ignore[no-any-return]


def _api(config: dict[str, Any]) -> dict[str, Any]:
    return config["auth0-m2m:apis"]["billing"]  # type: ignore[no-any-return]


def _set(**values: Any) -> Mutation:
    return lambda config: _integration(config).update(values)


def _drop(key: str) -> Mutation:
    return lambda config: config.pop(key)


def _rename_integration(new: str) -> Mutation:
    def apply(config: dict[str, Any]) -> None:
        config["auth0-m2m:integrations"] = {new: _integration(config)}

    return apply


CLIENT_ID = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"
API_ID = "5f2b8c0e9d1a4b3c2d1e0f9a"


def _adopt(**adopt: Any) -> Mutation:
    """Adopt the billing API (so grants on it may exist) and set the integration's `adopt:`."""

    def apply(config: dict[str, Any]) -> None:
        _api(config)["adopt"] = API_ID
        _integration(config)["adopt"] = adopt

    return apply


def _second_api(identifier: str) -> Mutation:
    return lambda config: config["auth0-m2m:apis"].update({"billing2": {"identifier": identifier}})


CASES: list[tuple[str, Mutation, str]] = [
    ("unknown project key", lambda c: c.update({"auth0-m2m:integration": {}}), "auth0-m2m:integration:"),
    ("unknown namespace", lambda c: c.update({"auth0m2m:apis": {}}), "auth0m2m:apis:"),
    ("unsupported auth0 key", lambda c: c.update({"auth0:apiToken": "x"}), "auth0:apiToken:"),
    ("unknown api key", lambda c: _api(c).update({"scope": {}}), "auth0-m2m:apis.billing.scope:"),
    ("unknown integration key", _set(scops=["read:invoices"]), f"{INTEGRATION}.scops:"),
    ("allow_all_scopes", _set(allow_all_scopes=True), f"{INTEGRATION}.allow_all_scopes:"),
    ("missing domain", _drop("auth0:domain"), "auth0:domain:"),
    ("missing integrations", _drop("auth0-m2m:integrations"), "auth0-m2m:integrations:"),
    ("missing api identifier", lambda c: _api(c).pop("identifier"), "auth0-m2m:apis.billing.identifier:"),
    ("missing integration scopes", lambda c: _integration(c).pop("scopes"), f"{INTEGRATION}.scopes:"),
    (
        "api scope with a space",
        lambda c: _api(c)["scopes"].update({"read all": "x"}),
        "billing.scopes.read all:",
    ),
    ("grant scope with a quote", _set(scopes=['read"x']), f"{INTEGRATION}.scopes[0]:"),
    ("duplicate grant scope", _set(scopes=["read:invoices", "read:invoices"]), f"{INTEGRATION}.scopes[1]:"),
    ("scope not of the api", _set(scopes=["read:invoices", "write:all"]), f"{INTEGRATION}.scopes[1]:"),
    ("empty grant scopes", _set(scopes=[]), f"{INTEGRATION}.scopes:"),
    (
        "grant on the management api",
        _set(api=None, audience="https://dev-example.us.auth0.com/api/v2/"),
        f"{INTEGRATION}.audience:",
    ),
    (
        "api claims the management audience",
        lambda c: _api(c).update({"identifier": "https://dev-example.us.auth0.com/api/v2"}),
        "auth0-m2m:apis.billing.identifier:",
    ),
    (
        "organization key is not a valid name",
        lambda c: c.update({"auth0-m2m:organizations": {"Acme": {}}}) or _set(organization="Acme")(c),
        "auth0-m2m:organizations.Acme:",
    ),
    (
        "organization name too long",
        lambda c: c["auth0-m2m:organizations"]["acme"].update({"name": "a" * 51}),
        "auth0-m2m:organizations.acme.name:",
    ),
    ("unknown api reference", _set(api="payments"), f"{INTEGRATION}.api:"),
    ("unknown organization reference", _set(organization="globex"), f"{INTEGRATION}.organization:"),
    (
        "duplicate audience",
        _second_api("https://api.example.com/billing/"),
        "auth0-m2m:apis.billing2.identifier:",
    ),
    (
        "integration name unusable",
        _rename_integration("nango billing!"),
        "auth0-m2m:integrations.nango billing!:",
    ),
    (
        "organization_usage without organization",
        _set(organization=None),
        f"{INTEGRATION}.organization_usage:",
    ),
    ("organization_usage deny", _set(organization_usage="deny"), f"{INTEGRATION}.organization_usage:"),
    ("unknown auth method", _set(auth_method="client_secret_jwt"), f"{INTEGRATION}.auth_method:"),
    ("private_key_jwt without keys", _set(auth_method="private_key_jwt"), f"{INTEGRATION}.public_keys:"),
    (
        "private key instead of public key",
        _set(auth_method="private_key_jwt", public_keys=[{"pem": PRIVATE_PEM}]),
        f"{INTEGRATION}.public_keys[0].pem:",
    ),
    (
        "public keys without private_key_jwt",
        _set(public_keys=[{"pem": "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----"}]),
        f"{INTEGRATION}.public_keys:",
    ),
    (
        "token lifetime too long",
        lambda c: _api(c).update({"token_lifetime": 2592001}),
        "billing.token_lifetime:",
    ),
    ("token lifetime too short", lambda c: _api(c).update({"token_lifetime": 10}), "billing.token_lifetime:"),
    ("api and audience", _set(audience="https://api.example.com/other"), f"{INTEGRATION}:"),
    ("organization and organization_id", _set(organization_id="org_abc"), f"{INTEGRATION}:"),
    (
        "malformed organization_id",
        _set(organization=None, organization_id="acme"),
        f"{INTEGRATION}.organization_id:",
    ),
    ("domain with scheme", lambda c: c.update({"auth0:domain": "https://x.auth0.com"}), "auth0:domain:"),
    (
        "audience of an api defined here",
        _set(api=None, audience="https://api.example.com/billing"),
        f"{INTEGRATION}.audience:",
    ),
    ("protect not a boolean", lambda c: c.update({"auth0-m2m:protect": "maybe"}), "auth0-m2m:protect:"),
    (
        "allow_any_organization without organization",
        _set(organization=None, organization_usage=None, allow_any_organization=True),
        f"{INTEGRATION}.allow_any_organization:",
    ),
    ("description too long", _set(description="x" * 141), f"{INTEGRATION}.description:"),
    (
        "too much organization metadata",
        lambda c: c["auth0-m2m:organizations"]["acme"].update(
            {"metadata": {f"k{i}": "v" for i in range(11)}}
        ),
        "auth0-m2m:organizations.acme.metadata:",
    ),
    (
        "adopt an api by its identifier",
        lambda c: _api(c).update({"adopt": "https://api.example.com/billing"}),
        "auth0-m2m:apis.billing.adopt:",
    ),
    ("adopt an api by a malformed id", lambda c: _api(c).update({"adopt": "rs 12"}), "billing.adopt:"),
    (
        "adopt an organization by its name",
        lambda c: c["auth0-m2m:organizations"]["acme"].update({"adopt": "acme"}),
        "auth0-m2m:organizations.acme.adopt:",
    ),
    ("adopt an app by its name", _adopt(client_id="Nango Billing"), f"{INTEGRATION}.adopt.client_id:"),
    ("adopt without client_id", _adopt(grant_id="cgr_abc"), f"{INTEGRATION}.adopt.client_id:"),
    (
        "adopt a malformed grant id",
        _adopt(client_id=CLIENT_ID, grant_id="abc"),
        f"{INTEGRATION}.adopt.grant_id:",
    ),
    ("unknown adopt key", _adopt(client_id=CLIENT_ID, grant="cgr_abc"), f"{INTEGRATION}.adopt.grant:"),
    (
        "adopt a grant on an api created here",
        _set(adopt={"client_id": CLIENT_ID, "grant_id": "cgr_abc"}),
        f"{INTEGRATION}.adopt.grant_id:",
    ),
    (
        "adopt an organization link without a grant",
        _adopt(client_id=CLIENT_ID, organization_grant=True),
        f"{INTEGRATION}.adopt.organization_grant:",
    ),
    (
        "adopt a link to an organization created here",
        _adopt(client_id=CLIENT_ID, grant_id="cgr_abc", organization_grant=True),
        f"{INTEGRATION}.adopt.organization_grant:",
    ),
    (
        "adopt one app twice",
        lambda c: (
            _adopt(client_id=CLIENT_ID)(c)
            or c["auth0-m2m:integrations"].update(
                {
                    "reporting": {
                        "api": "billing",
                        "scopes": ["read:invoices"],
                        "adopt": {"client_id": CLIENT_ID},
                    }
                }
            )
        ),
        "auth0-m2m:integrations.reporting.adopt.client_id:",
    ),
    (
        "adopt a private_key_jwt app",
        lambda c: _adopt(client_id=CLIENT_ID)(c) or _set(auth_method="private_key_jwt")(c),
        f"{INTEGRATION}.adopt:",
    ),
    (
        "adopted organization also given by id",
        lambda c: (
            c["auth0-m2m:organizations"]["acme"].update({"adopt": "org_abc123"})
            or _set(organization=None, organization_id="org_abc123")(c)
        ),
        f"{INTEGRATION}.organization_id:",
    ),
]


def _invalid(base: dict[str, Any], mutate: Mutation) -> dict[str, Any]:
    mutate(base)
    return base


@pytest.mark.parametrize(("mutate", "path"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_config_names_the_key_path(
    clean_env: None, base_config: dict[str, Any], mutate: Mutation, path: str
) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_stack_config(_invalid(base_config, mutate), require_credentials=True)
    assert any(path in problem for problem in exc.value.problems), exc.value.problems
    assert all("\n" not in problem for problem in exc.value.problems)
    assert "deployer-secret-value" not in str(exc.value)


@pytest.mark.parametrize("mutate", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_invalid_config_declares_nothing(
    recorder: Any,
    set_program_config: Callable[[dict[str, Any]], None],
    base_config: dict[str, Any],
    mutate: Mutation,
) -> None:
    set_program_config(_invalid(base_config, mutate))

    @pulumi.runtime.test
    def run() -> None:
        with pytest.raises(pulumi.RunError) as exc:
            pulumi_program()
        assert isinstance(exc.value.__cause__, ConfigError)

    run()
    assert recorder.registered == []


def test_corpus_has_at_least_25_cases() -> None:
    assert len(CASES) >= 25
    assert len({name for name, _, _ in CASES}) == len(CASES)
