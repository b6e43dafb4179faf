"""auth0-m2m used from a team's own project, outside the repository, as a new user would.

A fresh venv holds only the wheel. A local tenant runs from that venv (`auth0-m2m tenant serve`), the
stand-in auth0 plugin goes into the test's own plugin home (`auth0-m2m provider install`), and the
engine is `make engine`'s `pulumi` and Python language host; state is a file backend in the test's
folder. Two ways in, each with plain `pulumi` and the installed `auth0-m2m`:

(a) a hand-written project named `acme-auth` whose `__main__.py` declares an `Api` and an
    `M2MIntegration` with `auth0_m2m.components` and calls `export_integrations`: `pulumi up`, then
    `auth0-m2m outputs | verify | export | rotate` from its folder and with `-C` from elsewhere; the
    output follows the contract; rotation leaves a secret that works; the config-only commands say
    in one line that this project is not theirs;
(y) the repository's Pulumi YAML example (`examples/yaml`, the component package's `Integration`): `auth0-m2m
    package install` puts the fresh venv's package plugin in the plugin home, plain `pulumi up` with the
    YAML host from `make engine`, then `auth0-m2m verify`;
(b) `pulumi new <repo>/templates/auth0-m2m-python --stack dev`: the template installs the wheel
    (through `PIP_FIND_LINKS`) into the new project's `.venv`; `check-config`, `pulumi up` against
    the local tenant found by its domain, `auth0-m2m verify`.

Nothing printed holds a client secret, no run prints a Python traceback, and no `pulumi` run warns
that it took a plugin from `$PATH`.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from packaging_harness import REPO, Dist, WheelVenv, outside_repo, run, serve_tenant

pytestmark = [pytest.mark.packaging, pytest.mark.e2e, pytest.mark.slow]

ENGINE_BIN = REPO / ".engine" / "bin"
TEMPLATE = REPO / "templates" / "auth0-m2m-python"

ACME_PROGRAM = '''\
"""Acme's own program: one API and one integration, declared with auth0-m2m's components."""

import pulumi
import pulumi_auth0 as auth0

from auth0_m2m.components import Api, ApiArgs, M2MIntegration, M2MIntegrationArgs, export_integrations

domain = pulumi.Config("auth0").require("domain")
opts = pulumi.ResourceOptions(provider=auth0.Provider("tenant", domain=domain))
billing = Api(
    "billing",
    ApiArgs(
        identifier="https://api.acme.test/billing",
        display_name="Billing",
        scopes={"read:invoices": "Read invoices"},
    ),
    opts,
)
reporting = M2MIntegration(
    "reporting",
    M2MIntegrationArgs(hostname=domain, scopes=["read:invoices"], description="Reporting", api=billing),
    opts,
)
export_integrations({"reporting": reporting})
'''


@dataclass
class Session:
    """The fresh venv, the running tenant and the environment every command of the test runs in."""

    venv: WheelVenv
    env: dict[str, str]
    tenant: dict[str, str] = field(repr=False)
    transcript: list[str] = field(default_factory=list)

    def run(self, *args: str | Path, cwd: Path, timeout: float = 300, **extra: str) -> str:
        """Run a command to success and return its output; every output joins the transcript."""
        done = run(list(args), timeout=timeout, cwd=cwd, env=self.env | extra)
        text = done.stdout + done.stderr
        self.transcript.append(f"$ {' '.join(str(a) for a in args)}\n{text}")
        assert done.returncode == 0, f"{args} exited {done.returncode}:\n{text[-3000:]}"
        return done.stdout

    def fails(self, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
        """Run a command that must fail; its output joins the transcript."""
        done = run(list(args), timeout=300, cwd=cwd, env=self.env)
        self.transcript.append(f"$ {' '.join(str(a) for a in args)}\n{done.stdout}{done.stderr}")
        assert done.returncode != 0, f"{args} succeeded:\n{done.stdout}"
        return done

    def auth0_m2m(self, *args: str | Path, cwd: Path, bin_dir: Path | None = None) -> str:
        """Run `auth0-m2m` (the fresh venv's, or another venv's) to success."""
        return self.run((bin_dir or self.venv.bin) / "auth0-m2m", *args, cwd=cwd)


@pytest.fixture(scope="module")
def session(wheel_venv: WheelVenv, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """The local tenant served by the fresh venv, and plain Pulumi's environment around it."""
    missing = [n for n in ("pulumi", "pulumi-language-python") if not (ENGINE_BIN / n).exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing in {ENGINE_BIN}: run `make engine`")
    root = tmp_path_factory.mktemp("own-project")
    outside_repo(root)
    (root / "state").mkdir()
    state_dir = root / "tenant"
    env = wheel_venv.env | {
        "PATH": f"{ENGINE_BIN}:{wheel_venv.env['PATH']}",
        "PULUMI_HOME": str(root / "pulumi-home"),
        "PULUMI_BACKEND_URL": (root / "state").as_uri(),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }
    with serve_tenant(wheel_venv.bin, state_dir, cwd=root, env=env) as tenant:
        # What `. <state dir>/env` exports: trust of the tenant's CA, its passphrase, its state dir.
        env |= _shell_exports(state_dir / "env")
        yield Session(venv=wheel_venv, env=env, tenant=tenant)


def _shell_exports(path: Path) -> dict[str, str]:
    """The `export NAME=value` lines of a sourceable env file."""
    exports = {}
    for line in path.read_text().splitlines():
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            exports[name] = shlex.split(value)[0]
    return exports


def test_the_stand_in_plugin_installs_into_the_users_plugin_home(session: Session, tmp_path: Path) -> None:
    said = session.auth0_m2m("provider", "install", cwd=tmp_path)
    plugin = Path(session.env["PULUMI_HOME"]) / "plugins" / "resource-auth0-v3.37.1" / "pulumi-resource-auth0"
    assert plugin.is_file() and str(plugin) in said
    assert str(session.venv.bin.parent) in plugin.read_text()  # it runs the fresh venv's provider


@pytest.fixture(scope="module")
def acme(session: Session, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written project, deployed with plain `pulumi up --stack dev`."""
    session.auth0_m2m("provider", "install", cwd=tmp_path_factory.getbasetemp())
    project = tmp_path_factory.mktemp("acme") / "acme-auth"
    project.mkdir()
    venv = session.venv.bin.parent
    (project / "Pulumi.yaml").write_text(
        f"name: acme-auth\nruntime:\n  name: python\n  options:\n    virtualenv: {venv}\n"
    )
    (project / "__main__.py").write_text(ACME_PROGRAM)
    deployer = {
        "AUTH0_CLIENT_ID": session.tenant["client_id"],
        "AUTH0_CLIENT_SECRET": session.tenant["client_secret"],
    }
    session.env |= deployer
    session.run("pulumi", "stack", "init", "dev", cwd=project)
    session.run("pulumi", "config", "set", "auth0:domain", session.tenant["domain"], cwd=project)
    started = time.monotonic()
    session.run("pulumi", "up", "--stack", "dev", "--yes", cwd=project)
    session.transcript.append(f"timing: acme pulumi up {time.monotonic() - started:.1f}s")
    return project


def test_a_hand_written_project_serves_every_consumer_command(
    session: Session, acme: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    shown = json.loads(session.auth0_m2m("outputs", "--stack", "dev", "--json", cwd=acme))
    verified = session.auth0_m2m("verify", "--stack", "dev", cwd=acme)
    exported = tmp_path / "creds.json"
    session.auth0_m2m("-C", acme, "export", "--stack", "dev", "--to", f"json:{exported}", cwd=elsewhere)
    before = json.loads(exported.read_text())
    rotated = session.auth0_m2m("rotate", "--stack", "dev", "-i", "reporting", "-C", acme, cwd=elsewhere)
    session.auth0_m2m("export", "--stack", "dev", "--to", f"json:{exported}", "-C", acme, cwd=elsewhere)
    after = json.loads(exported.read_text())
    again = session.auth0_m2m("verify", "--stack", "dev", "--cwd", acme, cwd=elsewhere)

    (row,) = shown["integrations"].values()
    assert row["hostname"] == session.tenant["domain"] and row["client_secret"] == "[secret]"
    assert row["audience"] == "https://api.acme.test/billing" and row["scopes"] == ["read:invoices"]
    assert verified.startswith("ok  reporting") and again.startswith("ok  reporting")
    assert exported.stat().st_mode & 0o777 == 0o600
    old, new = _secret(before), _secret(after)
    assert old and new and old != new, "rotate left the exported secret as it was"
    assert "rotated: reporting" in rotated
    _assert_clean(session, secrets=[old, new, session.tenant["client_secret"]])


def test_config_only_commands_say_in_one_line_that_the_project_is_not_theirs(
    session: Session, acme: Path
) -> None:
    for command in (["check-config"], ["up"], ["preview"]):
        done = session.fails(session.venv.bin / "auth0-m2m", *command, "--stack", "dev", cwd=acme)
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        assert done.returncode == 2 and len(lines) == 1, lines
        assert "acme-auth" in lines[0] and "auth0_m2m.program" in lines[0]


def test_a_yaml_project_uses_the_component_package_from_the_wheel(session: Session, tmp_path: Path) -> None:
    if not (ENGINE_BIN / "pulumi-language-yaml").exists():
        pytest.fail(f"pulumi-language-yaml missing in {ENGINE_BIN}: run `make engine`")
    said = session.auth0_m2m("package", "install", cwd=tmp_path)
    project = tmp_path / "billing-yaml"
    project.mkdir()
    shutil.copy(REPO / "examples" / "yaml" / "Pulumi.yaml", project / "Pulumi.yaml")
    deployer = {
        "AUTH0_CLIENT_ID": session.tenant["client_id"],
        "AUTH0_CLIENT_SECRET": session.tenant["client_secret"],
    }
    session.run("pulumi", "stack", "init", "dev", cwd=project)
    session.run("pulumi", "config", "set", "auth0:domain", session.tenant["domain"], cwd=project)
    session.run("pulumi", "up", "--stack", "dev", "--yes", cwd=project, **deployer)
    verified = session.auth0_m2m("verify", "--stack", "dev", cwd=project)

    plugin = Path(session.env["PULUMI_HOME"]) / "plugins" / f"resource-auth0-m2m-v{_version()}"
    assert str(plugin / "pulumi-resource-auth0-m2m") in said
    assert str(session.venv.bin.parent) in (plugin / "pulumi-resource-auth0-m2m").read_text()
    assert verified.startswith("ok  billing-sync")
    _assert_clean(session, secrets=[session.tenant["client_secret"]])


def test_pulumi_new_from_the_template_makes_a_project_that_deploys_and_verifies(
    session: Session, dist: Dist, tmp_path: Path
) -> None:
    project = tmp_path / "from-template"
    project.mkdir()
    started = time.monotonic()
    session.run(
        "pulumi", "new", TEMPLATE, "--stack", "dev", "--yes", "--name", "acme-template",
        "--description", "Acme M2M", "--config", f"auth0:domain={session.tenant['domain']}",
        cwd=project, timeout=900, PIP_FIND_LINKS=str(dist.wheel.parent),
    )  # fmt: skip
    created = time.monotonic() - started
    venv_bin = project / ".venv" / "bin"
    # A stack of its own with no deployer credentials: the program finds the local tenant by its domain.
    env_without_deployer = {k: v for k, v in session.env.items() if not k.startswith("AUTH0_CLIENT_")}
    session.env = env_without_deployer
    checked = session.auth0_m2m("check-config", "--stack", "dev", cwd=project, bin_dir=venv_bin)
    session.run("pulumi", "up", "--stack", "dev", "--yes", cwd=project)
    verified = session.auth0_m2m("verify", "--stack", "dev", cwd=project, bin_dir=venv_bin)
    session.transcript.append(f"timing: pulumi new {created:.1f}s")

    settings = yaml.safe_load((project / "Pulumi.yaml").read_text())
    stack_file = yaml.safe_load((project / "stacks" / "Pulumi.dev.yaml").read_text())
    assert settings["name"] == "acme-template" and "template" not in settings
    assert stack_file["config"]["auth0:domain"] == session.tenant["domain"]
    assert (project / "requirements.txt").read_text().split() == [f"auth0-m2m=={_version()}"]
    assert (project / ".github" / "workflows" / "pulumi.yml").is_file()
    assert "auth0_m2m.program" in (project / "__main__.py").read_text()
    assert "OK (1 integration(s), 1 API(s), 0 organization(s))" in checked
    assert verified.startswith("ok  my-integration")
    _assert_clean(session, secrets=[session.tenant["client_secret"]])


def _secret(export: dict[str, object]) -> str:
    """The client secret in a `json:` export of one integration (a flat object)."""
    return str(export["client_secret"])


def _version() -> str:
    import tomllib

    return str(tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"])


def _assert_clean(session: Session, *, secrets: list[str]) -> None:
    text = "\n".join(session.transcript)
    assert "Traceback" not in text
    assert "from $PATH" not in text
    for secret in secrets:
        assert secret not in text, "a client secret was printed"
