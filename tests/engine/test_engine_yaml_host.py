"""The YAML language host, the Node.js SDK generator and the component package plugin from `make engine`.

Read from `.engine/env` and the cache's build records: a built YAML host is the pinned pulumi-yaml version and
is the same file as the one beside the built `pulumi` (a hard link: the CLI warns about a host on `PATH` whose
resolved path is not the one beside it); a built `pulumi-sdkgen-nodejs` is exposed in `.engine/bin` and
answers a usage line; the component package plugin was installed in the plugin cache as a launcher of the
project's venv. No tenant, no network.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.engine.conftest import parse_assignments

if TYPE_CHECKING:
    from tests.engine.conftest import Engine

pytestmark = pytest.mark.engine


def _recorded(engine: Engine) -> dict[str, str]:
    return parse_assignments(engine.repo / ".engine" / "env")


def test_the_yaml_host_is_exposed_beside_pulumi(engine: Engine) -> None:
    recorded = _recorded(engine)
    exposed = engine.bin_dir / "pulumi-language-yaml"
    host = Path(recorded["AUTH0_M2M_ENGINE_YAML_HOST_PATH"])

    assert os.access(exposed, os.X_OK), exposed
    assert exposed.samefile(host)
    if recorded["AUTH0_M2M_ENGINE_YAML_HOST_SOURCE"] == "built":
        versions = parse_assignments(engine.repo / "engine" / "versions.env")
        lines = (host.parents[1] / "build-info").read_text().splitlines()
        info = dict(line.split("=", 1) for line in lines if "=" in line)
        assert info["version"] == f"v{versions['YAML_HOST_VERSION']}"
    if engine.pulumi_source == "built":
        beside = engine.pulumi_path.parent / "pulumi-language-yaml"
        assert not beside.is_symlink() and beside.samefile(host)


def test_the_sdk_generator_answers_its_usage(engine: Engine) -> None:
    path = _recorded(engine)["AUTH0_M2M_ENGINE_SDKGEN_PATH"]
    if not path:
        pytest.skip("your pulumi ships the Node.js language host: no generator was built")

    done = subprocess.run(  # noqa: S603 - make engine's generator, no arguments
        [str(engine.bin_dir / "pulumi-sdkgen-nodejs")], capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 2
    assert done.stderr.strip() == "usage: pulumi-sdkgen-nodejs SCHEMA.json OUT_DIR"


def test_the_component_package_plugin_is_installed(engine: Engine) -> None:
    plugin = Path(_recorded(engine)["AUTH0_M2M_ENGINE_PACKAGE_PATH"])

    assert plugin.name == "pulumi-resource-auth0-m2m"
    assert plugin.parent.name.startswith("resource-auth0-m2m-v")
    assert "-m auth0_m2m.package" in plugin.read_text()
