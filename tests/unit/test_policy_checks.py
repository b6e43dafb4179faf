"""The least-privilege policy checks: any-organization opt-in and protected production stacks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from auth0_m2m.cli import app
from auth0_m2m.settings import ConfigError, parse_stack_config

ROOT = Path(__file__).resolve().parents[2]
ANY_ORG = "auth0-m2m:integrations.nango-billing.allow_any_organization"


def _any_organization(config: dict[str, Any]) -> dict[str, Any]:
    config["auth0-m2m:integrations"]["nango-billing"]["allow_any_organization"] = True
    return config


def test_allow_any_organization_needs_the_stack_opt_in(clean_env: None, base_config: dict[str, Any]) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_stack_config(_any_organization(base_config), stack="dev")
    assert exc.value.problems == [
        f"{ANY_ORG}: lets the app get tokens for every organization; remove it, or opt in for this stack "
        "with auth0-m2m:policy.allow_any_organization: true"
    ]


def test_allow_any_organization_with_the_opt_in_is_accepted(
    clean_env: None, base_config: dict[str, Any]
) -> None:
    config = _any_organization(base_config)
    config["auth0-m2m:policy"] = {"allow_any_organization": True}
    parsed = parse_stack_config(config, stack="dev")
    assert parsed.integrations["nango-billing"].allow_any_organization is True


@pytest.mark.parametrize("stack", ["prod", "production", "PROD"])
def test_a_production_stack_must_be_protected(
    clean_env: None, base_config: dict[str, Any], stack: str
) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_stack_config(base_config, stack=stack)
    assert exc.value.problems == [
        f"auth0-m2m:protect: must be true (stack '{stack}' is production); set auth0-m2m:protect: true"
    ]


def test_environment_production_must_be_protected_whatever_the_stack_name(
    clean_env: None, base_config: dict[str, Any]
) -> None:
    base_config["auth0-m2m:environment"] = "production"
    with pytest.raises(ConfigError) as exc:
        parse_stack_config(base_config, stack="eu-main")
    assert exc.value.problems == [
        "auth0-m2m:protect: must be true (auth0-m2m:environment is production); set auth0-m2m:protect: true"
    ]
    base_config["auth0-m2m:protect"] = True
    assert parse_stack_config(base_config, stack="eu-main").environment == "production"


def test_unknown_environment_is_refused_with_its_key_path(
    clean_env: None, base_config: dict[str, Any]
) -> None:
    base_config["auth0-m2m:environment"] = "prod-eu"
    with pytest.raises(ConfigError) as exc:
        parse_stack_config(base_config, stack="dev")
    assert [p.split(":", 2)[:2] for p in exc.value.problems] == [["auth0-m2m", "environment"]]


def test_check_config_refuses_an_unprotected_prod_stack(clean_env: None, tmp_path: Path) -> None:
    text = (ROOT / "stacks" / "Pulumi.prod.yaml").read_text().replace("auth0-m2m:protect: true", "")
    (tmp_path / "Pulumi.prod.yaml").write_text(text)
    result = CliRunner().invoke(app, ["check-config", "--stack", "prod", "--stacks-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "auth0-m2m:protect: must be true (stack 'prod' is production)" in result.stdout


def test_the_shipped_prod_stack_passes(clean_env: None) -> None:
    result = CliRunner().invoke(
        app, ["check-config", "--stack", "prod", "--stacks-dir", str(ROOT / "stacks")]
    )
    assert result.exit_code == 0, result.output
