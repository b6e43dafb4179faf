"""Without a `pulumi` CLI the consumer commands say so in one line (exit 2), in any project.

The engine is looked up on PATH (and in `.engine/bin` of an auth0-m2m checkout); a project of its
own has neither here, so the line must name both ways to get one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from auth0_m2m.cli import app

COMMANDS = (
    ["outputs"],
    ["verify"],
    ["export", "--to", "json:creds.json"],
    ["rotate", "--integration", "billing"],
    ["recover"],
)


@pytest.fixture
def foreign_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: acme-auth\nruntime: python\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    monkeypatch.delenv("PULUMI_HOME", raising=False)
    return tmp_path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_no_engine_is_one_line_naming_the_fix(foreign_project: Path, command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--stack", "dev"])

    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert len(lines) == 1, lines
    assert "`pulumi` CLI was not found" in lines[0] and "make engine" in lines[0]
