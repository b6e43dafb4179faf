"""The auth0 plugin says what it is: `pulumi plugin ls` and `pulumi about` list resource auth0 3.37.1.

`make engine` installs the stand-in launcher in the plugin cache as resource auth0 3.37.1 (and nowhere
on PATH), so `pulumi plugin ls` lists it, and a run that ignores ambient plugins still finds it.
With a real plugin exposed instead, only the listing is checked.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pulumi_auth0 as auth0
import pytest
from pulumi import automation as auto

if TYPE_CHECKING:
    from tests.engine.conftest import Engine

pytestmark = pytest.mark.engine


def _pulumi_json(engine: Engine, args: list[str], env: dict[str, str], cwd: Path) -> Any:
    done = subprocess.run(  # noqa: S603 - our engine binary, fixed arguments
        [str(engine.pulumi), *args, "--json"], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _env(home: Path, engine: Engine) -> dict[str, str]:
    return {
        "PATH": f"{engine.bin_dir}:{engine.repo / '.venv' / 'bin'}:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "PULUMI_HOME": str(home),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }


def _plugin_home(engine: Engine) -> Path:
    return Path(os.environ.get("PULUMI_HOME") or engine.repo / ".pulumi-home")


def test_plugin_ls_lists_auth0_3_37_1(engine: Engine) -> None:
    home = _plugin_home(engine)
    listed = _pulumi_json(engine, ["plugin", "ls"], _env(home, engine), engine.repo)
    version = engine.versions["AUTH0_PROVIDER_VERSION"]
    assert {"name": "auth0", "kind": "resource", "version": version} in [
        {k: p[k] for k in ("name", "kind", "version")} for p in listed
    ], listed
    if engine.provider_kind == "standin":
        installed = home / "plugins" / f"resource-auth0-v{version}" / "pulumi-resource-auth0"
        assert "auth0_m2m.provider" in installed.read_text()
        assert os.access(installed, os.X_OK)


def test_pulumi_about_in_the_project_names_auth0_3_37_1(engine: Engine, tmp_path: Path) -> None:
    env = {**_env(_plugin_home(engine), engine), "PULUMI_BACKEND_URL": f"file://{tmp_path}"}
    about = _pulumi_json(engine, ["about"], env, engine.repo)
    plugins = {(p["kind"], p["name"]): p["version"] for p in about.get("plugins") or []}
    assert plugins.get(("resource", "auth0")) == engine.versions["AUTH0_PROVIDER_VERSION"], about


def test_the_installed_plugin_runs_when_ambient_plugins_are_ignored(engine: Engine, tmp_path: Path) -> None:
    if engine.provider_kind != "standin":
        pytest.skip("a real plugin is exposed: make engine installed nothing in the plugin cache")
    version = engine.versions["AUTH0_PROVIDER_VERSION"]
    source = _plugin_home(engine) / "plugins" / f"resource-auth0-v{version}"
    home = tmp_path / "home"
    shutil.copytree(source, home / "plugins" / source.name)
    (tmp_path / "state").mkdir()
    env = {
        **_env(home, engine),
        "PATH": f"{engine.pulumi.resolve().parent}:/usr/bin:/bin",  # no pulumi-resource-auth0 here
        "PULUMI_IGNORE_AMBIENT_PLUGINS": "true",
        "PULUMI_BACKEND_URL": f"file://{tmp_path / 'state'}",
        "PULUMI_CONFIG_PASSPHRASE": "plugin-listing",
    }

    def program() -> None:
        auth0.Client("probe", name="probe", app_type="non_interactive")

    stack = auto.create_or_select_stack(
        "listing",
        project_name="plugin-listing",
        program=program,
        opts=auto.LocalWorkspaceOptions(
            pulumi_home=str(home),
            env_vars=env,
            pulumi_command=auto.PulumiCommand(root=str(engine.bin_dir.parent), skip_version_check=True),
            project_settings=auto.ProjectSettings(name="plugin-listing", runtime="python"),
        ),
    )
    stack.set_config("auth0:domain", auto.ConfigValue("localhost:9"))
    stack.set_config("auth0:apiToken", auto.ConfigValue("probe-token", secret=True))
    assert stack.preview().change_summary == {"create": 2}
