"""`auth0-m2m provider install`: one line saying where the stand-in went, or why it did not."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auth0_m2m.cli import app
from auth0_m2m.provider import PLUGIN_VERSION

runner = CliRunner()


def _plugin(home: Path) -> Path:
    return home / "plugins" / f"resource-auth0-v{PLUGIN_VERSION}" / "pulumi-resource-auth0"


def test_installs_into_the_given_pulumi_home(tmp_path: Path) -> None:
    result = runner.invoke(app, ["provider", "install", "--pulumi-home", str(tmp_path / "home")])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"installed the auth0-m2m stand-in as plugin resource auth0 {PLUGIN_VERSION}: "
        f"{_plugin(tmp_path / 'home')} (runs {sys.executable} -m auth0_m2m.provider)"
    ]
    assert f"exec {sys.executable} -m auth0_m2m.provider" in _plugin(tmp_path / "home").read_text()


def test_defaults_to_pulumi_home_then_the_users_pulumi_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULUMI_HOME", str(tmp_path / "from-env"))
    assert runner.invoke(app, ["provider", "install"]).exit_code == 0
    assert _plugin(tmp_path / "from-env").is_file()

    monkeypatch.delenv("PULUMI_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert runner.invoke(app, ["provider", "install"]).exit_code == 0
    assert _plugin(tmp_path / "user" / ".pulumi").is_file()


def test_a_pulumi_home_that_is_a_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")

    result = runner.invoke(app, ["provider", "install", "--pulumi-home", str(not_a_dir)])

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"provider install: --pulumi-home {not_a_dir} is not a directory"]
    assert result.stdout == ""


def test_an_unwritable_pulumi_home_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("")  # a file where a folder of the path should be

    result = runner.invoke(app, ["provider", "install", "--pulumi-home", str(blocked / "home")])

    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"provider install: cannot write to --pulumi-home {blocked / 'home'}: ")
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_real_plugin_is_left_alone_with_one_line_and_exit_1(tmp_path: Path) -> None:
    plugin = _plugin(tmp_path)
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(b"\x7fELF" + b"\0" * 100_000)

    result = runner.invoke(app, ["provider", "install", "--pulumi-home", str(tmp_path)])

    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("provider install: not installed: ") and "not the auth0-m2m stand-in" in line
    assert plugin.read_bytes().startswith(b"\x7fELF")
