"""The documented example and the example stack files validate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from auth0_m2m.settings import ConfigError, load_stack_file, parse_stack_config

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- example-stack"


DOCUMENTED = {
    # document: the integrations its example declares
    "README.md": ["nango-billing", "reporting"],
    "docs/config.md": ["ledger-sync", "nango-billing", "reporting"],
}


def _documented_example(doc: str = "docs/config.md") -> dict[str, object]:
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert MARKER in text, f"{doc}: the example marker is gone"
    match = re.search(r"```yaml\n(.*?)```", text.split(MARKER, 1)[1], re.S)
    assert match is not None, f"{doc}: no yaml block after the example marker"
    return yaml.safe_load(match.group(1))["config"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("doc", sorted(DOCUMENTED))
def test_documented_example_validates(clean_env: None, doc: str) -> None:
    config = parse_stack_config(_documented_example(doc))
    assert sorted(config.integrations) == DOCUMENTED[doc]


def test_documented_example_breaks_when_a_scope_is_removed(clean_env: None) -> None:
    example = _documented_example()
    del example["auth0-m2m:apis"]["billing"]["scopes"]["write:invoices"]  # type: ignore[index]
    with pytest.raises(ConfigError) as exc:
        parse_stack_config(example)
    assert exc.value.problems == [
        "auth0-m2m:integrations.reporting.scopes[1]: 'write:invoices' is not a scope of API 'billing'; "
        "add it to auth0-m2m:apis.billing.scopes or remove it here"
    ]


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_example_stack_validates(clean_env: None, stack: str) -> None:
    config = load_stack_file(ROOT / "stacks" / f"Pulumi.{stack}.yaml")
    assert config.integrations
    assert config.auth0.client_secret is None  # no credentials are committed


def test_only_prod_is_protected(clean_env: None) -> None:
    protected = {
        s: load_stack_file(ROOT / "stacks" / f"Pulumi.{s}.yaml").protect for s in ("dev", "staging", "prod")
    }
    assert protected == {"dev": False, "staging": False, "prod": True}


def test_each_stack_targets_its_own_tenant(clean_env: None) -> None:
    domains = {
        load_stack_file(ROOT / "stacks" / f"Pulumi.{s}.yaml").auth0.domain for s in ("dev", "staging", "prod")
    }
    assert len(domains) == 3
