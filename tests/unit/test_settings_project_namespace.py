"""Whose config keys are whose when the Pulumi project is not called `auth0-m2m`.

`parse_stack_config(..., project=NAME)` sorts keys by namespace. Checked here:
- in a project named `acme-auth`: `acme-auth:<key>` keys are ignored (they belong to the team's
  program), bare keys are ignored too (Pulumi puts them in the project's own namespace), while the
  `auth0-m2m:` keys are validated as usual (a wrong scope or an unknown `auth0-m2m:` key is still one
  problem line); other providers' keys (`aws:region`) are left to the team's program, but a namespace
  that looks like a misspelt `auth0-m2m` or `auth0` is one problem line;
- with the default project (`auth0-m2m`) bare keys are ours: `integrations` is
  `auth0-m2m:integrations`, an unknown bare key is reported as `auth0-m2m:<key>`;
- under Pulumi mocks whose project is `acme-auth`, the program validates and declares a stack whose
  config also holds an `acme-auth:other` key, and it still stops on a bad `auth0-m2m:` key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pulumi
import pytest
from pulumi.runtime import settings as runtime_settings

from auth0_m2m.settings import ConfigError, parse_stack_config

ConfigSetter = Callable[[dict[str, Any]], None]
TEAM = "acme-auth"


def _problems(mapping: dict[str, Any], project: str) -> list[str]:
    with pytest.raises(ConfigError) as error:
        parse_stack_config(mapping, use_env=False, project=project)
    return list(error.value.problems)


@pytest.fixture
def team_mocks(recorder: Any) -> Iterator[Any]:
    """The recording mocks, as the runtime of a stack of project `acme-auth`."""
    pulumi.runtime.set_mocks(recorder, project=TEAM, stack="dev", preview=False)
    yield recorder


# -- a team's project ------------------------------------------------------------------------------
def test_keys_of_the_teams_namespace_are_ignored(base_config: dict[str, Any]) -> None:
    base_config[f"{TEAM}:foo"] = 1
    base_config[f"{TEAM}:integrations"] = "not ours, whatever it is"

    config = parse_stack_config(base_config, use_env=False, project=TEAM)

    assert list(config.integrations) == ["nango-billing"]


def test_bare_keys_belong_to_the_team_and_are_ignored(base_config: dict[str, Any]) -> None:
    base_config["foo"] = 1
    base_config["integrations"] = "the team's own"

    config = parse_stack_config(base_config, use_env=False, project=TEAM)

    assert list(config.integrations) == ["nango-billing"]


def test_bare_integrations_do_not_count_as_ours_in_a_teams_project(base_config: dict[str, Any]) -> None:
    base_config["integrations"] = base_config.pop("auth0-m2m:integrations")

    problems = _problems(base_config, TEAM)

    assert len(problems) == 1
    assert problems[0].startswith("auth0-m2m:integrations: missing")


def test_auth0_m2m_keys_are_validated_in_a_teams_project(base_config: dict[str, Any]) -> None:
    base_config["auth0-m2m:integrations"]["nango-billing"]["scopes"] = ["write:all"]

    assert _problems(base_config, TEAM) == [
        "auth0-m2m:integrations.nango-billing.scopes[0]: 'write:all' is not a scope of API 'billing'; "
        "add it to auth0-m2m:apis.billing.scopes or remove it here"
    ]


def test_an_unknown_auth0_m2m_key_is_one_line_in_a_teams_project(base_config: dict[str, Any]) -> None:
    base_config["auth0-m2m:integration"] = {}

    (problem,) = _problems(base_config, TEAM)

    assert problem.startswith("auth0-m2m:integration: unknown key; did you mean 'auth0-m2m:integrations'?")


def test_other_providers_keys_are_left_to_the_teams_program(base_config: dict[str, Any]) -> None:
    base_config["aws:region"] = "eu-west-1"
    base_config["kubernetes:context"] = "prod"

    assert list(parse_stack_config(base_config, use_env=False, project=TEAM).integrations) == [
        "nango-billing"
    ]


def test_a_misspelt_namespace_of_ours_is_one_line_in_a_teams_project(base_config: dict[str, Any]) -> None:
    base_config["auth0m2m:protect"] = True

    (problem,) = _problems(base_config, TEAM)

    assert problem.startswith("auth0m2m:protect: unknown namespace 'auth0m2m'; use auth0-m2m: or auth0: keys")


def test_pulumi_namespace_is_ignored_in_a_teams_project(base_config: dict[str, Any]) -> None:
    base_config["pulumi:tags"] = {"team": "billing"}

    assert list(parse_stack_config(base_config, use_env=False, project=TEAM).integrations) == [
        "nango-billing"
    ]


# -- this repository's project (the default) -------------------------------------------------------
def test_bare_keys_are_ours_in_the_auth0_m2m_project(base_config: dict[str, Any]) -> None:
    base_config["integrations"] = base_config.pop("auth0-m2m:integrations")
    base_config["protect"] = True

    config = parse_stack_config(base_config, use_env=False)

    assert list(config.integrations) == ["nango-billing"]
    assert config.protect is True


def test_an_unknown_bare_key_is_reported_as_ours_in_the_auth0_m2m_project(
    base_config: dict[str, Any],
) -> None:
    base_config["foo"] = 1

    (problem,) = _problems(base_config, "auth0-m2m")

    assert problem.startswith("auth0-m2m:foo: unknown key;")


def test_another_projects_namespace_is_unknown_in_the_auth0_m2m_project(base_config: dict[str, Any]) -> None:
    base_config[f"{TEAM}:foo"] = 1

    (problem,) = _problems(base_config, "auth0-m2m")

    assert problem.startswith(f"{TEAM}:foo: unknown namespace '{TEAM}'")


# -- the program in a team's project, under mocks --------------------------------------------------
def _run_program() -> None:
    from auth0_m2m.program import pulumi_program

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        pulumi_program()
        root = runtime_settings.get_root_resource()
        assert root is not None
        return pulumi.Output.all(*dict(root.outputs).values())  # type: ignore[attr-defined]

    run()


def test_program_declares_in_a_teams_project_despite_its_own_keys(
    team_mocks: Any, set_program_config: ConfigSetter, base_config: dict[str, Any]
) -> None:
    base_config[f"{TEAM}:other"] = {"anything": ["the team's program reads it"]}
    set_program_config(base_config)

    _run_program()

    assert pulumi.get_project() == TEAM
    (client,) = team_mocks.of_type("auth0:index/client:Client")
    assert client.name == "nango-billing-client"
    assert len(team_mocks.of_type("auth0:index/clientGrant:ClientGrant")) == 1


def test_program_still_stops_on_a_bad_auth0_m2m_key_in_a_teams_project(
    team_mocks: Any, set_program_config: ConfigSetter, base_config: dict[str, Any]
) -> None:
    base_config[f"{TEAM}:other"] = "fine"
    base_config["auth0-m2m:bogus"] = True
    set_program_config(base_config)

    with pytest.raises(pulumi.RunError, match="1 problem"):
        _run_program()

    assert team_mocks.of_type("auth0:index/client:Client") == []
