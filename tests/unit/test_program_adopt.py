"""The program turns `adopt:` keys into import ids on the right resources (Pulumi mocks).

Checks: a fully adopted click-path config imports the API, the organization, the app with its
credentials, the grant and the `org::cgr` link; an adopted app without `description:` keeps its own
(the program sends ""), while a new app gets the stack's description; the documented example
(docs/config.md, "Adopting objects made by hand") validates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime import settings as runtime_settings

from auth0_m2m.program import pulumi_program
from auth0_m2m.settings import parse_stack_config

CLIENT_ID = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"
API_ID = "5f2b8c0e9d1a4b3c2d1e0f9a"


def _run() -> None:
    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        pulumi_program()
        root = runtime_settings.get_root_resource()
        assert root is not None
        return pulumi.Output.all(*dict(root.outputs).values())  # type: ignore[attr-defined]

    run()


def _adopting(config: dict[str, Any]) -> dict[str, Any]:
    config["auth0-m2m:apis"]["billing"]["adopt"] = API_ID
    config["auth0-m2m:organizations"]["acme"]["adopt"] = "org_acme123"
    config["auth0-m2m:integrations"]["nango-billing"]["adopt"] = {
        "client_id": CLIENT_ID,
        "grant_id": "cgr_nango1",
        "organization_grant": True,
    }
    return config


def test_adopt_keys_become_import_ids(
    recorder: Any, set_program_config: Callable[[dict[str, Any]], None], base_config: dict[str, Any]
) -> None:
    set_program_config(_adopting(base_config))
    _run()
    imported = {r.typ.split(":")[-1]: r.resource_id for r in recorder.registered if r.custom}
    assert imported == {
        "auth0": "",
        "ResourceServer": API_ID,
        "ResourceServerScopes": "https://api.example.com/billing",
        "Organization": "org_acme123",
        "Client": CLIENT_ID,
        "ClientCredentials": CLIENT_ID,
        "ClientGrant": "cgr_nango1",
        "OrganizationClientGrant": "org_acme123::cgr_nango1",
    }


def test_adopted_app_keeps_its_description_unless_one_is_given(
    recorder: Any, set_program_config: Callable[[dict[str, Any]], None], base_config: dict[str, Any]
) -> None:
    config = _adopting(base_config)
    config["auth0-m2m:integrations"]["reporting"] = {"api": "billing", "scopes": ["read:invoices"]}
    set_program_config(config)
    _run()
    descriptions = {
        c.name: c.inputs.get("description", "") for c in recorder.of_type("auth0:index/client:Client")
    }
    assert descriptions == {
        "nango-billing-client": "",
        "reporting-client": "auth0-m2m integration 'reporting' (stack dev)",
    }


def test_documented_adopt_example_validates(clean_env: None) -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "config.md").read_text(encoding="utf-8")
    match = re.search(r"```yaml\n(.*?)```", text.split("<!-- adopt-example", 1)[1], re.S)
    assert match is not None
    config = parse_stack_config(yaml.safe_load(match.group(1))["config"], use_env=False)
    assert config.apis["ledger"].adopt == "5f2b8c0e9d1a4b3c2d1e0f9a"
    partner = config.integrations["partner-sync"].adopt
    assert partner is not None and partner.organization_grant
