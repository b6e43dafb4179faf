"""`auth0-m2m:deliver` and `rotate: scheduled`: validated with the stack file, one line per problem.

Checks: a valid map parses into target specs; a malformed target, an unknown integration, an empty
list, a target listed twice and a list given as a string each give one line naming the key path and
the fix; `rotate` accepts manual/scheduled only and refuses scheduled for private_key_jwt; the
deliver value may come as JSON text (how the engine hands structured config to programs);
`parse_delivery` with no known integrations checks the syntax alone.
"""

from __future__ import annotations

from typing import Any

import pytest

from auth0_m2m.settings import ConfigError, parse_stack_config
from auth0_m2m.settings._delivery import parse_delivery
from auth0_m2m.settings._targets import TargetSpec, parse_target_spec

AT0 = "auth0-m2m:deliver.nango-billing[0]: "


def _problems(config: dict[str, Any]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(config, use_env=False)
    return caught.value.problems


def test_a_valid_deliver_map_parses_into_target_specs(base_config: dict[str, Any]) -> None:
    base_config["auth0-m2m:deliver"] = {"nango-billing": ["nango:", "vault:secret/auth0/dev/billing"]}

    config = parse_stack_config(base_config, use_env=False)

    assert config.deliver == {
        "nango-billing": [TargetSpec("nango", ""), TargetSpec("vault", "secret/auth0/dev/billing")]
    }


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        (["bogus:x"], AT0 + "target 'bogus:x': expected KIND:ARG"),
        (
            ["vault:secret"],
            AT0 + "target 'vault:secret': expected vault:MOUNT/PATH",
        ),
        (
            ["json:"],
            AT0 + "target 'json:': missing argument, expected json:PATH",
        ),
        ([], "auth0-m2m:deliver.nango-billing: lists no target; give at least one"),
        (["json:a.json", "json:a.json"], "auth0-m2m:deliver.nango-billing[1]: json:a.json is listed twice"),
    ],
)
def test_a_bad_target_list_is_one_line_naming_the_key(
    base_config: dict[str, Any], targets: list[str], expected: str
) -> None:
    base_config["auth0-m2m:deliver"] = {"nango-billing": targets}

    (problem,) = _problems(base_config)

    assert problem.startswith(expected), problem


def test_an_unknown_integration_names_the_known_ones(base_config: dict[str, Any]) -> None:
    base_config["auth0-m2m:deliver"] = {"ghost": ["nango:"]}

    (problem,) = _problems(base_config)

    assert problem == (
        "auth0-m2m:deliver.ghost: no integration 'ghost' in this stack (it has: nango-billing); fix the name"
    )


def test_rotate_takes_manual_or_scheduled(base_config: dict[str, Any]) -> None:
    base_config["auth0-m2m:integrations"]["nango-billing"]["rotate"] = "weekly"

    (problem,) = _problems(base_config)

    assert problem.startswith(
        "auth0-m2m:integrations.nango-billing.rotate: Input should be 'manual' or 'scheduled'"
    )


def test_scheduled_rotation_of_a_private_key_jwt_app_is_refused() -> None:
    problems = list(
        _private_key_jwt_problems(
            {"auth_method": "private_key_jwt", "rotate": "scheduled", "public_keys": [{"pem": "x"}]}
        )
    )

    assert any(
        p.startswith("auth0-m2m:integrations.signer.rotate: a private_key_jwt app has no") for p in problems
    )


def _private_key_jwt_problems(entry: dict[str, Any]) -> list[str]:
    config = {
        "auth0:domain": "dev-example.us.auth0.com",
        "auth0-m2m:apis": {"billing": {"identifier": "https://api.example.com/b", "scopes": {"read:x": "R"}}},
        "auth0-m2m:integrations": {"signer": {"api": "billing", "scopes": ["read:x"], **entry}},
    }
    return _problems(config)


def test_parse_delivery_takes_json_text_and_checks_names() -> None:
    assert parse_delivery('{"billing": ["nango:"]}', ["billing"]) == {"billing": [TargetSpec("nango", "")]}
    with pytest.raises(ConfigError) as caught:
        parse_delivery({"billing": "nango:"}, ["billing"])
    (problem,) = caught.value.problems
    assert problem.startswith("auth0-m2m:deliver.billing: Input should be a valid list; give the")


def test_parse_delivery_without_integrations_checks_the_syntax_only() -> None:
    assert parse_delivery({"anything": ["json:x.json"]}, None) == {"anything": [TargetSpec("json", "x.json")]}
    assert parse_delivery(None, ["billing"]) == {}


def test_target_spec_round_trips() -> None:
    spec = parse_target_spec(" Vault:secret/auth0/x ")
    assert spec == TargetSpec("vault", "secret/auth0/x")
    assert spec.vault_location == ("secret", "auth0/x")
    assert str(spec) == "vault:secret/auth0/x"
