"""A real preview of the project's own program, for its `dev` stack, through the engine and the plugin.

No tenant is needed: the `dev` stack targets a tenant that cannot be reached from here, and a preview of
creates calls no Management API. This proves that the committed Pulumi.yaml, stack file, settings,
components and program run unchanged on the real engine with the auth0 plugin that `make engine` chose.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import SecretStr

from auth0_m2m.program import pulumi_program
from auth0_m2m.provider import install_standin_plugin
from auth0_m2m.settings import Auth0Connection
from auth0_m2m.workspace import select_stack
from tests.engine.conftest import REPO, Engine

pytestmark = pytest.mark.engine


def test_preview_of_the_dev_stack_plans_every_declared_resource(engine: Engine, tmp_path: Path) -> None:
    shutil.copy(REPO / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    (tmp_path / "stacks").mkdir()
    shutil.copy(REPO / "stacks" / "Pulumi.dev.yaml", tmp_path / "stacks" / "Pulumi.dev.yaml")
    config = yaml.safe_load((REPO / "stacks" / "Pulumi.dev.yaml").read_text())["config"]
    connection = Auth0Connection(
        domain=config["auth0:domain"], client_id="preview-only", client_secret=SecretStr("preview-only")
    )
    env = {
        "PATH": f"{engine.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PULUMI_BACKEND_URL": (tmp_path / "state").as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": "preview-only",
        "PULUMI_HOME": str(tmp_path / "pulumi-home"),
        "HTTP_PROXY": "http://127.0.0.1:9",  # any attempt to leave the machine fails the run
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    (tmp_path / "state").mkdir()
    install_standin_plugin(tmp_path / "pulumi-home")  # as make engine does for the project's PULUMI_HOME
    stack = select_stack("dev", root=tmp_path, program=lambda: pulumi_program(connection=connection), env=env)
    lines: list[str] = []

    result = stack.preview(on_output=lines.append, color="never")

    integrations = len(config["auth0-m2m:integrations"])
    apis, organizations = len(config["auth0-m2m:apis"]), len(config["auth0-m2m:organizations"])
    linked = sum(1 for i in config["auth0-m2m:integrations"].values() if "organization" in i)
    # stack + provider; per API: component, server, scopes; per organization: component, org;
    # per integration: component, client, credentials, grant (its direct children);
    # per organization link: the link.
    expected = 2 + 3 * apis + 2 * organizations + 4 * integrations + linked
    assert result.change_summary == {"create": expected}, "\n".join(lines[-40:])
    assert any("auth0:index:ClientGrant" in line for line in lines)
    assert not any("from $PATH" in line for line in lines), "\n".join(lines)
