"""The consumer commands on stacks of a team's own Pulumi project, through the installed console script.

One project per module, `acme-auth`, in a temporary folder outside the repository, with its own
file:// backend, passphrase and plugin home; its stacks are made by Automation API inline programs
that export an `integrations` output (or none) and declare no resource, so no tenant is needed.
`.venv/bin/auth0-m2m` runs as a subprocess with the engine from `make engine` first on PATH. Checked:
- `outputs`, `verify`, `export --to json:...` and `rotate -i x` on a stack that does not exist exit 2
  with one line naming the stack, `pulumi stack ls` and `pulumi up`;
- on a stack without an `integrations` output: exit 2, one line saying so;
- on a stack whose output breaks the contract (a hostname with a scheme, for each command; a missing
  client_id, for `outputs`): exit 2, one line naming the field, never the client secret, nothing
  written;
- on a stack that follows the contract (with a field the schema does not list): `outputs --json`
  masks the secret, `export --to json:PATH` writes the credentials (mode 0600), an unknown
  `--integration` is one line; `-C DIR` after the sub-command works from another folder;
- no output holds a traceback. Skipped without `make engine` (fails in CI).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pytest
from e2e_harness import ENGINE_BIN, REPO, require_engine
from pulumi import automation as auto

pytestmark = [pytest.mark.e2e]

PROJECT = "acme-auth"
SECRET = "acme-client-secret-never-printed-0123"
CONSOLE_SCRIPT = REPO / ".venv" / "bin" / "auth0-m2m"
COMMANDS: list[list[str]] = [
    ["outputs"],
    ["verify"],
    ["export", "--to", "json:o.json"],
    ["rotate", "-i", "x"],
]
VALID_ENTRY: dict[str, Any] = {
    "client_id": "cid-billing",
    "hostname": "acme.eu.auth0.com",
    "audience": "https://api.acme.test/billing",
    "scopes": ["read:invoices"],
    "rotated_by": "a field the schema does not list",
}


@dataclass(frozen=True)
class TeamProject:
    """The team's project folder and the environment its commands run with."""

    root: Path
    env: dict[str, str]

    def up(self, stack: str, program: Callable[[], None]) -> None:
        """Create `stack` with an inline program and run `up` on it."""
        engine_env = {key: self.env[key] for key in ENGINE_KEYS}
        opts = auto.LocalWorkspaceOptions(
            work_dir=str(self.root),
            env_vars=engine_env,
            pulumi_command=auto.PulumiCommand(root=str(ENGINE_BIN.parent)),  # make engine's pulumi
        )
        created = auto.create_or_select_stack(stack, project_name=PROJECT, program=program, opts=opts)
        created.up(on_output=None, color="never")

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """`auth0-m2m ARGS` as a user runs it in the project folder (or `cwd`)."""
        return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [str(CONSOLE_SCRIPT), *args],
            cwd=cwd or self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


ENGINE_KEYS = (
    "PATH",
    "PULUMI_BACKEND_URL",
    "PULUMI_CONFIG_PASSPHRASE",
    "PULUMI_HOME",
    "PULUMI_SKIP_UPDATE_CHECK",
    "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION",
)


def _one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single line a failed command printed; no traceback, nothing on stdout."""
    text = done.stdout + done.stderr
    assert "Traceback" not in text, text
    assert done.stdout == "", text
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert lines[0].startswith("error: "), text
    return lines[0]


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> TeamProject:
    """The `acme-auth` project (its own program, not ours) with its own backend, outside the repo."""
    require_engine()
    base = tmp_path_factory.mktemp("team")
    root, state, home = base / "acme", base / "state", base / "pulumi-home"
    for folder in (root, state, home):
        folder.mkdir(mode=0o700)
    (root / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: python\n")
    (root / "__main__.py").write_text('import pulumi\n\npulumi.export("integrations", {})\n')
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AUTH0_", "PULUMI_")) and key != "SSL_CERT_FILE"
    }
    env.update(
        PATH=os.pathsep.join([str(ENGINE_BIN), str(CONSOLE_SCRIPT.parent), os.environ.get("PATH", "")]),
        PULUMI_BACKEND_URL=state.as_uri(),
        PULUMI_CONFIG_PASSPHRASE="acme-only",
        PULUMI_HOME=str(home),
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
    )
    return TeamProject(root=root, env=env)


@pytest.fixture(scope="module")
def stacks(team: TeamProject) -> TeamProject:
    """The project's stacks: `no-output`, `bad-hostname`, `no-client-id` and `valid`."""

    def export(entry: dict[str, Any]) -> Callable[[], None]:
        def program() -> None:
            pulumi.export(
                "integrations", {"billing": {**entry, "client_secret": pulumi.Output.secret(SECRET)}}
            )

        return program

    team.up("no-output", lambda: pulumi.export("something_else", 1))
    team.up("bad-hostname", export({**VALID_ENTRY, "hostname": "https://acme.eu.auth0.com"}))
    team.up("no-client-id", export({k: v for k, v in VALID_ENTRY.items() if k != "client_id"}))
    team.up("valid", export(VALID_ENTRY))
    return team


# -- no such stack ---------------------------------------------------------------------------------
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_missing_stack_is_one_line_naming_the_fix(team: TeamProject, command: list[str]) -> None:
    done = team.run(*command, "--stack", "nosuch")

    assert done.returncode == 2
    line = _one_error_line(done)
    assert f"stack 'nosuch' of project '{PROJECT}' does not exist" in line
    assert "`pulumi stack ls`" in line
    assert "`pulumi up --stack nosuch`" in line


# -- stacks whose output is missing or broken ------------------------------------------------------
@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_stack_without_integrations_is_one_line(stacks: TeamProject, command: list[str]) -> None:
    done = stacks.run(*command, "--stack", "no-output")

    assert done.returncode == 2
    line = _one_error_line(done)
    assert "stack 'no-output' has no `integrations` output" in line


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_hostname_with_a_scheme_is_one_contract_line(stacks: TeamProject, command: list[str]) -> None:
    done = stacks.run(*command, "--stack", "bad-hostname")

    assert done.returncode == 2
    line = _one_error_line(done)
    assert line.startswith("error: stack 'bad-hostname': integrations.billing.hostname: ")
    assert "contract v1" in line
    assert SECRET not in line
    assert not (stacks.root / "o.json").exists()


def test_a_missing_client_id_is_one_contract_line(stacks: TeamProject) -> None:
    done = stacks.run("outputs", "--stack", "no-client-id")

    assert done.returncode == 2
    line = _one_error_line(done)
    assert line.startswith("error: stack 'no-client-id': integrations.billing.client_id: missing")
    assert SECRET not in line


# -- a stack that follows the contract -------------------------------------------------------------
def test_outputs_of_a_valid_stack_mask_the_secret(stacks: TeamProject) -> None:
    done = stacks.run("outputs", "--stack", "valid", "--json")

    assert done.returncode == 0, done.stderr
    assert SECRET not in done.stdout + done.stderr
    billing = json.loads(done.stdout)["integrations"]["billing"]
    assert billing["client_id"] == "cid-billing"
    assert billing["client_secret"] == "[secret]"
    assert billing["token_url"] == "https://acme.eu.auth0.com/oauth/token"
    assert billing["scopes"] == ["read:invoices"]


def test_export_of_a_valid_stack_writes_the_credentials(stacks: TeamProject, tmp_path: Path) -> None:
    target = tmp_path / "billing.json"

    done = stacks.run("export", "--stack", "valid", "--to", f"json:{target}")

    assert done.returncode == 0, done.stderr
    assert SECRET not in done.stdout + done.stderr
    assert json.loads(target.read_text())["client_secret"] == SECRET
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_unknown_integration_is_one_line(stacks: TeamProject) -> None:
    done = stacks.run("verify", "--stack", "valid", "--integration", "nosuch")

    assert done.returncode == 2
    line = _one_error_line(done)
    assert "--integration 'nosuch': stack 'valid' has no such integration (has: billing)" in line


def test_dash_c_after_the_command_opens_the_project_from_elsewhere(
    stacks: TeamProject, tmp_path: Path
) -> None:
    done = stacks.run("outputs", "--stack", "valid", "--json", "-C", str(stacks.root), cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stack"] == "valid"
