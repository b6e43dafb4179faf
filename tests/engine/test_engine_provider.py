"""The auth0 plugin that `make engine` exposes loads in the engine: a preview plans one auth0.Client.

No tenant is needed: a preview of a create checks the inputs through the plugin but calls no Management API.
It runs whichever plugin `make engine` chose: the stand-in, installed in the stack's plugin cache (never on
PATH, so the engine prints no "using pulumi-resource-auth0 from $PATH"), or a real pulumi-resource-auth0
linked into .engine/bin.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pulumi_auth0 as auth0
import pytest
from pulumi import automation as auto

if TYPE_CHECKING:
    from tests.engine.conftest import StackFactory

pytestmark = pytest.mark.engine


def _one_client() -> None:
    auth0.Client("engine-probe", name="engine-probe", app_type="non_interactive")


def test_preview_plans_an_auth0_client_through_the_plugin(
    offline_stack: StackFactory, tmp_path: Path
) -> None:
    stack = offline_stack(tmp_path, "engine-provider", "preview", _one_client)
    stack.set_config("auth0:domain", auto.ConfigValue("localhost:9"))
    stack.set_config("auth0:clientId", auto.ConfigValue("engine-probe-id"))
    stack.set_config("auth0:clientSecret", auto.ConfigValue("engine-probe-secret", secret=True))
    lines: list[str] = []

    result = stack.preview(on_output=lines.append)

    assert result.change_summary == {"create": 2}
    assert any("auth0:index:Client" in line and "engine-probe" in line for line in lines), lines
    assert not any("from $PATH" in line for line in lines), lines  # the plugin comes from the plugin cache
    stack.workspace.remove_stack("preview")
