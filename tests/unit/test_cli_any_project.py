"""The `auth0-m2m` command line outside this repository: no project, `-C DIR`, a team's own project.

Checked here with typer's CliRunner on `auth0_m2m.cli.app`, and through the console script's
`auth0_m2m.cli.main` (sys.argv patched) where `-C` is hoisted; no engine is started:
- in a folder with no Pulumi project, each command (`outputs`, `verify`, `export`, `rotate`,
  `check-config`, `up`, `preview`, `refresh`, `destroy --yes`, `recover`) exits 2 with exactly one
  line, `error: no Pulumi project ... -C DIR`, and no traceback;
- `-C <missing folder>` is one line, exit 2, before or after the sub-command;
- `_hoist_cwd` moves `-C DIR`, `--cwd DIR` and `--cwd=DIR` given after the sub-command to the front,
  leaves a leading one alone and looks at nothing after `--`; `main()` honours `-C` after the
  sub-command;
- in a project of its own program (`name: acme-auth`, a `__main__.py` that does not name
  auth0_m2m.program, a stack file with only `aws:` keys): `check-config`, `up`, `preview`, `refresh`
  and `destroy --yes` exit 2 with one line saying the project does not use auth0_m2m.program, `up`
  and `preview` naming `pulumi up` / `pulumi preview`;
- in a config-driven project named `acme-auth` with `stackConfigDir: infra/stacks`, check-config
  validates `infra/stacks/Pulumi.dev.yaml` (its `acme-auth:` keys ignored) and prints one OK line,
  and reports a problem of that file the usual way;
- `main()` turns an unexpected exception into one `error: unexpected ...` line, exit 1.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

import auth0_m2m.cli._stack as cli_stack
from auth0_m2m.cli import _hoist_cwd, app, main

runner = CliRunner()
NO_PROJECT = "no Pulumi project (Pulumi.yaml) at or above"
STACK_CONFIG: dict[str, Any] = {
    "auth0:domain": "dev-example.us.auth0.com",
    "auth0-m2m:apis": {
        "billing": {
            "identifier": "https://api.example.com/billing",
            "name": "Billing API",
            "scopes": {"read:invoices": "Read invoices", "write:invoices": "Create invoices"},
        }
    },
    "auth0-m2m:organizations": {"acme": {"display_name": "Acme Inc"}},
    "auth0-m2m:integrations": {
        "nango-billing": {
            "api": "billing",
            "scopes": ["read:invoices"],
            "organization": "acme",
            "organization_usage": "require",
            "auth_method": "client_secret_post",
        }
    },
}
"""tests/unit/conftest.py's BASE_CONFIG without the deployer's credentials, as a stack file holds it."""

COMMANDS: list[list[str]] = [
    ["outputs"],
    ["verify"],
    ["export", "--to", "json:x.json"],
    ["rotate", "-i", "x"],
    ["check-config"],
    ["up"],
    ["preview"],
    ["refresh"],
    ["destroy", "--yes"],
    ["recover"],
]
CONFIG_PROGRAM_COMMANDS: list[list[str]] = [["up"], ["preview"], ["refresh"], ["destroy", "--yes"]]
RunMain = Callable[..., tuple[int, str, str]]


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _only_line(result: Result) -> str:
    """The one non-empty line a failed command printed (stdout and stderr together)."""
    lines = _lines(result.output)
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def empty_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory with no Pulumi project at or above it."""
    folder = tmp_path / "empty"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def foreign_project(tmp_path: Path) -> Path:
    """A team's project with its own program: no auth0_m2m.program, no `auth0-m2m:` keys."""
    root = tmp_path / "acme"
    (root / "stacks").mkdir(parents=True)
    (root / "Pulumi.yaml").write_text("name: acme-auth\nruntime: python\nstackConfigDir: stacks\n")
    (root / "__main__.py").write_text('import pulumi\n\npulumi.export("integrations", {})\n')
    (root / "stacks" / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": {"aws:region": "eu-west-1"}}))
    return root


@pytest.fixture
def config_driven_project(tmp_path: Path) -> Path:
    """A team's project named `acme-auth` whose program is auth0_m2m.program, stacks in infra/stacks."""
    root = tmp_path / "acme-config"
    (root / "infra" / "stacks").mkdir(parents=True)
    (root / "Pulumi.yaml").write_text("name: acme-auth\nruntime: python\nstackConfigDir: infra/stacks\n")
    (root / "__main__.py").write_text("from auth0_m2m.program import pulumi_program\n\npulumi_program()\n")
    config = {**copy.deepcopy(STACK_CONFIG), "acme-auth:team": "billing"}
    (root / "infra" / "stacks" / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": config}))
    return root


@pytest.fixture
def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> RunMain:
    """Run the console script's `main()` with these arguments: (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["auth0-m2m", *args])
        with pytest.raises(SystemExit) as exit_info:
            main()
        captured = capsys.readouterr()
        code = exit_info.value.code
        return (code if isinstance(code, int) else 1), captured.out, captured.err

    return run


# -- no project ------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_no_project_is_one_line_naming_dash_c(clean_env: None, empty_dir: Path, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--stack", "dev"])

    assert result.exit_code == 2, result.output
    line = _only_line(result)
    assert line.startswith(f"error: {NO_PROJECT}")
    assert "-C DIR" in line


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_no_project_through_main_is_one_line_on_stderr(
    clean_env: None, empty_dir: Path, run_main: RunMain, command: list[str]
) -> None:
    code, out, err = run_main(*command, "--stack", "dev")

    assert code == 2
    assert out == ""
    assert len(_lines(err)) == 1, err
    assert err.startswith(f"error: {NO_PROJECT} {empty_dir.resolve()}")


def test_missing_dash_c_folder_is_one_line(clean_env: None, empty_dir: Path) -> None:
    result = runner.invoke(app, ["-C", str(empty_dir / "nope"), "verify", "--stack", "dev"])

    assert result.exit_code == 2
    line = _only_line(result)
    assert line == f"error: -C {empty_dir / 'nope'}: no such folder; give a Pulumi project's folder"


def test_missing_dash_c_folder_after_the_command_is_one_line(
    clean_env: None, empty_dir: Path, run_main: RunMain
) -> None:
    code, out, err = run_main("verify", "--stack", "dev", "-C", str(empty_dir / "nope"))

    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        f"error: -C {empty_dir / 'nope'}: no such folder; give a Pulumi project's folder"
    ]


# -- -C hoisting -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "hoisted"),
    [
        (["verify", "--stack", "dev", "-C", "d"], ["-C", "d", "verify", "--stack", "dev"]),
        (["verify", "-C", "d", "--stack", "dev"], ["-C", "d", "verify", "--stack", "dev"]),
        (["verify", "--stack", "dev", "--cwd", "d"], ["--cwd", "d", "verify", "--stack", "dev"]),
        (["verify", "--cwd=d", "--stack", "dev"], ["--cwd=d", "verify", "--stack", "dev"]),
        (["-C", "d", "verify", "--stack", "dev"], ["-C", "d", "verify", "--stack", "dev"]),
        (["export", "--stack", "dev", "--", "-C", "d"], ["export", "--stack", "dev", "--", "-C", "d"]),
        (["export", "--", "--cwd=d"], ["export", "--", "--cwd=d"]),
        (["verify", "--stack", "dev"], ["verify", "--stack", "dev"]),
    ],
    ids=["end", "middle", "long", "equals", "leading", "after-dashdash", "equals-after-dashdash", "none"],
)
def test_hoist_cwd(given: list[str], hoisted: list[str]) -> None:
    assert _hoist_cwd(given) == hoisted


def test_main_honours_dash_c_after_the_command(
    clean_env: None, empty_dir: Path, tmp_path: Path, run_main: RunMain
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    code, _, err = run_main("verify", "--stack", "dev", "-C", str(elsewhere))

    assert code == 2
    assert err.splitlines() == [
        f"error: {NO_PROJECT} {elsewhere.resolve()}: run in a project folder or pass -C DIR"
    ]


def test_main_honours_cwd_equals_after_the_command(
    clean_env: None, empty_dir: Path, foreign_project: Path, run_main: RunMain
) -> None:
    code, _, err = run_main("check-config", "--stack", "dev", f"--cwd={foreign_project}")

    assert code == 2
    assert "project 'acme-auth' does not use" in err


# -- a project with its own program ----------------------------------------------------------------
def test_check_config_in_a_foreign_project_is_one_line(
    clean_env: None, empty_dir: Path, foreign_project: Path
) -> None:
    result = runner.invoke(app, ["-C", str(foreign_project), "check-config", "--stack", "dev"])

    assert result.exit_code == 2
    assert _only_line(result) == (
        "error: check-config validates the auth0-m2m: keys of auth0_m2m.program, which project "
        "'acme-auth' does not use (none in Pulumi.dev.yaml); nothing to check"
    )


@pytest.mark.parametrize("command", CONFIG_PROGRAM_COMMANDS, ids=[c[0] for c in CONFIG_PROGRAM_COMMANDS])
def test_config_program_commands_refuse_a_foreign_project(
    clean_env: None, empty_dir: Path, foreign_project: Path, command: list[str]
) -> None:
    result = runner.invoke(app, ["-C", str(foreign_project), *command, "--stack", "dev"])

    assert result.exit_code == 2
    line = _only_line(result)
    assert line.startswith(
        f"error: `auth0-m2m {command[0]}` runs auth0_m2m.program, which project 'acme-auth'"
    )
    assert "does not use" in line
    assert f"use `pulumi {command[0]} --stack dev` there" in line


@pytest.mark.parametrize("command", ["up", "preview"])
def test_up_and_preview_name_the_pulumi_command_through_main(
    clean_env: None, foreign_project: Path, monkeypatch: pytest.MonkeyPatch, run_main: RunMain, command: str
) -> None:
    monkeypatch.chdir(foreign_project)

    code, out, err = run_main(command, "--stack", "dev")

    assert code == 2
    assert out == ""
    assert len(_lines(err)) == 1, err
    assert f"`pulumi {command} --stack dev`" in err


# -- a config-driven project of another name -------------------------------------------------------
def test_check_config_validates_the_stack_config_dir_of_a_config_driven_project(
    clean_env: None, config_driven_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(config_driven_project)

    result = runner.invoke(app, ["check-config", "--stack", "dev"])

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"{Path('infra/stacks/Pulumi.dev.yaml')}: OK (1 integration(s), 1 API(s), 1 organization(s))"
    ]


def test_check_config_with_dash_c_finds_the_stack_config_dir(
    clean_env: None, empty_dir: Path, config_driven_project: Path
) -> None:
    result = runner.invoke(app, ["-C", str(config_driven_project), "check-config", "--stack", "dev"])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{Path('infra/stacks/Pulumi.dev.yaml')}: OK")


def test_check_config_reports_a_problem_in_a_config_driven_project(
    clean_env: None, config_driven_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack_file = config_driven_project / "infra" / "stacks" / "Pulumi.dev.yaml"
    document = yaml.safe_load(stack_file.read_text())
    document["config"]["auth0-m2m:integrations"]["nango-billing"]["scopes"] = ["write:all"]
    stack_file.write_text(yaml.safe_dump(document))
    monkeypatch.chdir(config_driven_project)

    result = runner.invoke(app, ["check-config", "--stack", "dev"])

    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "auth0-m2m:integrations.nango-billing.scopes[0]: 'write:all' is not a scope of API 'billing'; "
        "add it to auth0-m2m:apis.billing.scopes or remove it here"
    ]


def test_check_config_recognises_a_config_driven_project_by_its_stack_keys(
    clean_env: None, config_driven_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (config_driven_project / "__main__.py").write_text("import acme_infra\n\nacme_infra.run()\n")
    monkeypatch.chdir(config_driven_project)

    result = runner.invoke(app, ["check-config", "--stack", "dev"])

    assert result.exit_code == 0, result.output
    assert "OK (1 integration(s)" in result.stdout


# -- the last resort -------------------------------------------------------------------------------
def test_main_turns_an_unexpected_exception_into_one_line(
    clean_env: None,
    empty_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_main: RunMain,
) -> None:
    monkeypatch.delenv("AUTH0_M2M_DEBUG", raising=False)

    def broken() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli_stack, "open_project", broken)

    code, out, err = run_main("up", "--stack", "dev")

    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "error: unexpected RuntimeError: boom (a bug in auth0-m2m; AUTH0_M2M_DEBUG=1 shows the traceback)"
    ]
