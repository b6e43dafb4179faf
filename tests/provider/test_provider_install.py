"""`install_standin_plugin`: the stand-in as plugin resource auth0 3.37.1 in a Pulumi plugin cache.

It writes a small 0755 launcher where Pulumi looks (`<home>/plugins/resource-auth0-v3.37.1/`), leaves a
real plugin there alone, changes nothing when run again, and agrees with engine/build.sh on what a
stand-in is and on the version.
"""

from __future__ import annotations

import importlib.metadata
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from auth0_m2m.provider import PLUGIN_VERSION, PluginConflictError, install_standin_plugin
from auth0_m2m.provider._install import is_standin, plugin_path

REPO = Path(__file__).resolve().parents[2]


def _versions_env() -> dict[str, str]:
    lines = (REPO / "engine" / "versions.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_the_version_is_the_sdk_pin_and_versions_env() -> None:
    assert PLUGIN_VERSION == _versions_env()["AUTH0_PROVIDER_VERSION"]
    assert PLUGIN_VERSION == importlib.metadata.version("pulumi_auth0")


def test_writes_an_executable_launcher_where_pulumi_looks(tmp_path: Path) -> None:
    path = install_standin_plugin(tmp_path / "home", "/opt/venv/bin/python")

    folder = tmp_path / "home" / "plugins" / f"resource-auth0-v{PLUGIN_VERSION}"
    assert path == folder / "pulumi-resource-auth0"
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    lines = path.read_text().splitlines()
    assert lines[0] == "#!/bin/sh"
    assert lines[1].startswith("# auth0-m2m STAND-IN for pulumi-resource-auth0 3.37.1")
    assert lines[-1] == 'exec /opt/venv/bin/python -m auth0_m2m.provider "$@"'
    assert sorted(p.name for p in path.parent.iterdir()) == ["pulumi-resource-auth0"]  # no temporary left


def test_the_default_python_is_this_interpreter_unresolved(tmp_path: Path) -> None:
    path = install_standin_plugin(tmp_path)

    assert f"exec {sys.executable} -m auth0_m2m.provider" in path.read_text()


def test_the_launcher_starts_the_provider(tmp_path: Path) -> None:
    path = install_standin_plugin(tmp_path)

    done = subprocess.run([str(path), "--help"], capture_output=True, text=True, timeout=60, check=False)  # noqa: S603

    assert done.returncode == 0, done.stderr
    assert "pulumi-resource-auth0" in done.stdout


def test_installing_again_changes_nothing(tmp_path: Path) -> None:
    path = install_standin_plugin(tmp_path, "/opt/venv/bin/python")
    before = path.stat()

    assert install_standin_plugin(tmp_path, "/opt/venv/bin/python") == path

    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_stale_stand_in_is_replaced_and_the_partial_marker_removed(tmp_path: Path) -> None:
    path = plugin_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text('#!/bin/sh\nexec /old/venv/bin/python -m auth0_m2m.provider "$@"\n')  # an older launcher
    path.chmod(0o700)
    partial = path.parent.with_name(path.parent.name + ".partial")
    partial.touch()

    install_standin_plugin(tmp_path, "/new/venv/bin/python")

    assert "/new/venv/bin/python" in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o755
    assert not partial.exists()


def test_a_real_plugin_is_never_overwritten(tmp_path: Path) -> None:
    path = plugin_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x7fELF" + b"\0" * 100_000)  # a binary, as the upstream plugin is
    path.chmod(0o755)
    before = path.read_bytes()

    with pytest.raises(PluginConflictError, match="not the auth0-m2m stand-in") as raised:
        install_standin_plugin(tmp_path)

    assert "\n" not in str(raised.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["pulumi-resource-auth0"]


def test_a_large_file_mentioning_the_module_is_not_a_stand_in(tmp_path: Path) -> None:
    big = tmp_path / "pulumi-resource-auth0"
    big.write_bytes(b"auth0_m2m.provider" + b"\0" * 70_000)

    assert not is_standin(big)


@pytest.mark.parametrize("kind", ["launcher", "small-other", "big-mention", "missing"])
def test_build_sh_agrees_on_what_a_stand_in_is(tmp_path: Path, kind: str) -> None:
    """engine/build.sh's `is_standin` and the Python one give the same answer."""
    if kind == "launcher":
        path = install_standin_plugin(tmp_path)
    else:
        path = tmp_path / "candidate"
        if kind == "small-other":
            path.write_text('#!/bin/sh\nexec /usr/local/bin/something-else "$@"\n')
        elif kind == "big-mention":
            path.write_bytes(b"auth0_m2m.provider" + b"\0" * 70_000)
    script = (REPO / "engine" / "build.sh").read_text().splitlines()
    definition = next(line for line in script if line.startswith("is_standin()"))
    done = subprocess.run(  # noqa: S603 - bash with the function copied from build.sh and a test path
        ["bash", "-c", f'{definition}\nis_standin "$1"', "bash", str(path)],  # noqa: S607
        check=False,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
    )
    assert (done.returncode == 0) == is_standin(path)
