"""Reading stack files offline: secure values, duplicate keys, YAML errors, environment fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from auth0_m2m.settings import ConfigError, load_stack_file

STACK = """\
config:
  auth0:domain: dev-example.us.auth0.com
  auth0:clientId: abc
  auth0:clientSecret:
    secure: AAABAJ0cipherTEXTthatMustNeverBeShown==
  auth0-m2m:apis:
    billing:
      identifier: https://api.example.com/billing
      scopes: {read:invoices: Read}
  auth0-m2m:integrations:
    svc: {api: billing, scopes: [read:invoices]}
"""


def _write(tmp_path: Path, text: str, name: str = "Pulumi.dev.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_secure_value_counts_as_present_and_is_never_decrypted(clean_env: None, tmp_path: Path) -> None:
    config = load_stack_file(_write(tmp_path, STACK))
    assert config.auth0.client_secret is not None
    assert "cipher" not in config.auth0.client_secret.get_secret_value()
    assert "cipher" not in repr(config)


def test_secure_value_outside_credentials_is_refused(clean_env: None, tmp_path: Path) -> None:
    text = STACK.replace("auth0:domain: dev-example.us.auth0.com", "auth0:domain:\n    secure: AAAB")
    with pytest.raises(ConfigError) as exc:
        load_stack_file(_write(tmp_path, text))
    assert exc.value.problems[0].startswith("auth0:domain: must not be a secure value")


def test_duplicate_keys_are_reported_with_their_line(clean_env: None, tmp_path: Path) -> None:
    text = STACK.replace(
        "scopes: {read:invoices: Read}", "scopes: {read:invoices: Read, read:invoices: Again}"
    )
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        load_stack_file(path)
    assert exc.value.problems == [f"{path}:9: duplicate key 'read:invoices'; keep only one"]


def test_yaml_syntax_error_names_the_line(clean_env: None, tmp_path: Path) -> None:
    path = _write(tmp_path, "config:\n  auth0:domain: [unclosed\n")
    with pytest.raises(ConfigError) as exc:
        load_stack_file(path)
    assert exc.value.problems[0].startswith(f"{path}:")
    assert "not valid YAML" in exc.value.problems[0]


def test_missing_file(clean_env: None, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as exc:
        load_stack_file(tmp_path / "Pulumi.nope.yaml")
    assert "no such stack file" in exc.value.problems[0]


def test_domain_may_come_from_the_environment(
    clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH0_DOMAIN", "env-tenant.eu.auth0.com")
    config = load_stack_file(
        _write(tmp_path, STACK.replace("  auth0:domain: dev-example.us.auth0.com\n", ""))
    )
    assert config.auth0.domain == "env-tenant.eu.auth0.com"


def test_stack_file_value_wins_over_the_environment(
    clean_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH0_DOMAIN", "env-tenant.eu.auth0.com")
    assert load_stack_file(_write(tmp_path, STACK)).auth0.domain == "dev-example.us.auth0.com"
