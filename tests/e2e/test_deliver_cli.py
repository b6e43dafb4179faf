"""`auth0-m2m deliver` and `rotate --scheduled` on a stack that the real Pulumi engine brought up.

One stack per module, the `local` stack of the module's project copy on its local tenant (as in
tests/e2e/test_consumers_cli.py), with two integrations; its stack file declares
`auth0-m2m:deliver` with file targets given as relative paths: `billing-sync` to a json file and,
with `reporting`, to a shared dotenv file. The commands run through typer's CliRunner in the
project copy; every output is checked to hold no client secret. Checked:

- deliver: the first run writes both targets in the project folder (also from a subfolder), with
  the stack's credentials; a second run says `unchanged` and leaves the files alone; `--dry-run`
  says `unchanged` when nothing changed and `would write` for a deleted file, writing nothing;
  `--json` gives stack, dry_run, ok, verify[] and targets[] (target, integrations, status, detail);
  `-i NAME` keeps a shared target whole (every integration it holds, each verified);
- bad input exits 2, one line per problem, nothing written: malformed targets, an integration the
  stack does not have (the line names those it has), `-i` of an integration without targets, a
  `nango:` target without AUTH0_M2M_NANGO__SECRET_KEY (the key path, its index and the variable),
  an AUTH0_M2M_CA_FILE that is not a file; a stack file without the key has nothing to do (exit 0);
- rotate: neither or both of --integration / --scheduled is one line, exit 2; `--scheduled` with
  no integration opting in rotates nothing (exit 0); with `rotate: scheduled` on one integration it
  rotates that one (a new secret in the outputs, the old one refused by the tenant) and not the
  other, and the next `deliver` writes only the targets holding the rotated one; a CA file that is
  not a file rotates nothing (exit 2); a stack file without namespaces (`integrations:`) opts in too.

Skipped without `make engine` (fails in CI).
"""

from __future__ import annotations

import copy
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from dotenv import dotenv_values
from e2e_harness import Project
from pulumi import automation as auto
from typer.testing import CliRunner

from auth0_m2m.cli import app
from auth0_m2m.consumers import verify_integration
from auth0_m2m.outputs import IntegrationOutputs
from auth0_m2m.tenant import TenantServer
from auth0_m2m.workspace import stack_integrations

pytestmark = pytest.mark.e2e
BILLING = "https://api.e2e.test/billing"
JSON_TARGET = "json:out/billing.json"
DOTENV_TARGET = "dotenv:out/all.env"
DELIVER: dict[str, list[str]] = {"billing-sync": [JSON_TARGET, DOTENV_TARGET], "reporting": [DOTENV_TARGET]}
STACK_CONFIG: dict[str, Any] = {
    "auth0:domain": "localhost:8443",  # the CLI points the local stack at the running tenant
    "auth0-m2m:apis": {
        "billing": {
            "identifier": BILLING,
            "name": "Billing API",
            "scopes": {"read:invoices": "Read invoices", "write:invoices": "Create invoices"},
        },
    },
    "auth0-m2m:integrations": {
        "billing-sync": {"api": "billing", "scopes": ["read:invoices", "write:invoices"]},
        "reporting": {"api": "billing", "scopes": ["read:invoices"]},
    },
    "auth0-m2m:deliver": DELIVER,
}


@dataclass
class Deployed:
    """The tenant, the stack and the project copy; `secrets` are every client secret seen so far."""

    tenant: TenantServer
    stack: auto.Stack
    project: Project
    runner: CliRunner = field(default_factory=CliRunner)
    secrets: set[str] = field(default_factory=set)

    @property
    def root(self) -> Path:
        return self.project.root

    def file(self, target: str) -> Path:
        """Where a file target's relative path lands: in the project folder."""
        return self.root / target.partition(":")[2]

    def integrations(self) -> dict[str, IntegrationOutputs]:
        """The stack's outputs now; their secrets join `secrets`."""
        found = stack_integrations(self.stack)
        self.secrets.update(item.client_secret.get_secret_value() for item in found.values())
        return found

    def cli(self, *args: str, env: dict[str, str] | None = None) -> Any:
        """Run `auth0-m2m ARGS` in the project; fail if its output holds any client secret seen."""
        result = self.runner.invoke(app, list(args), env=env)
        for secret in self.secrets:
            assert secret not in result.output, f"`auth0-m2m {' '.join(args)}` printed a client secret"
        return result

    def write_stack(self, config: dict[str, Any]) -> None:
        """Replace the stack file's `config:` map."""
        self.project.write_stack("local", config)


@pytest.fixture(scope="module")
def deployed(project: Project, tenant: TenantServer) -> Iterator[Deployed]:
    """The `local` stack up through the engine; the CLI then runs in the project as a user would."""
    project.write_stack("local", STACK_CONFIG)
    (project.root / "out").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        for name in [key for key in os.environ if key.startswith(("AUTH0_", "AWS_"))]:
            patch.delenv(name)
        for name, value in project.env.items():
            patch.setenv(name, value)
        patch.setenv("AUTH0_M2M_TENANT_STATE_DIR", str(tenant.state_dir))
        patch.chdir(project.root)
        stack = project.stack("local")
        stack.up(color="never")
        deployed = Deployed(tenant, stack, project)
        deployed.integrations()
        yield deployed


@pytest.fixture
def fresh(deployed: Deployed) -> Deployed:
    """The deployed stack with neither declared file written yet."""
    for target in (JSON_TARGET, DOTENV_TARGET):
        deployed.file(target).unlink(missing_ok=True)
    return deployed


@pytest.fixture
def delivered(deployed: Deployed) -> Deployed:
    """The deployed stack after a `deliver` that brought both files in line."""
    result = deployed.cli("deliver", "--stack", "local")
    assert result.exit_code == 0, result.output
    return deployed


@pytest.fixture
def declare(deployed: Deployed) -> Iterator[Callable[..., None]]:
    """`declare(deliver)`: the stack file with another `auth0-m2m:deliver` (None: without the key),
    put back as it was after the test."""

    def write(deliver: dict[str, list[str]] | None) -> None:
        config = copy.deepcopy(STACK_CONFIG)
        config.pop("auth0-m2m:deliver")
        if deliver is not None:
            config["auth0-m2m:deliver"] = deliver
        deployed.write_stack(config)

    yield write
    deployed.write_stack(STACK_CONFIG)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _fields(item: IntegrationOutputs) -> dict[str, str]:
    values = {
        "client_id": item.client_id,
        "client_secret": item.client_secret.get_secret_value(),
        "hostname": item.hostname,
        "audience": item.audience,
        "organization": item.organization,
        "organization_id": item.organization_id,
    }
    return {key: value for key, value in values.items() if value is not None}


def _statuses(result: Any) -> list[str]:
    """The target lines of a plain `deliver` run (after the verify lines)."""
    return [line for line in _lines(result.stdout) if not line.startswith(("ok  ", "FAIL "))]


def _file_state(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


# -- deliver -----------------------------------------------------------------------------------------
def test_the_first_delivery_verifies_then_writes_both_targets(fresh: Deployed) -> None:
    result = fresh.cli("deliver", "--stack", "local")

    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    assert [line.split()[:2] for line in lines[:2]] == [["ok", "billing-sync"], ["ok", "reporting"]]
    assert lines[2:] == [
        "written      json:out/billing.json  (billing-sync)",
        "written      dotenv:out/all.env  (billing-sync, reporting)",
    ]


def test_the_files_are_written_in_the_project_folder_with_the_stacks_credentials(fresh: Deployed) -> None:
    fresh.cli("deliver", "--stack", "local")

    integrations = fresh.integrations()
    billing = fresh.file(JSON_TARGET)
    shared = fresh.file(DOTENV_TARGET)
    assert json.loads(billing.read_text()) == _fields(integrations["billing-sync"])
    assert dotenv_values(shared, interpolate=False) == {
        f"{name.replace('-', '_')}_{key}": value
        for name in ("billing-sync", "reporting")
        for key, value in _fields(integrations[name]).items()
    }
    assert {stat.S_IMODE(billing.stat().st_mode), stat.S_IMODE(shared.stat().st_mode)} == {0o600}


def test_relative_paths_are_taken_from_the_project_folder_not_the_working_one(
    fresh: Deployed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(fresh.root / "stacks")

    result = fresh.cli("deliver", "--stack", "local")

    assert result.exit_code == 0, result.output
    assert fresh.file(JSON_TARGET).is_file()
    assert not (fresh.root / "stacks" / "out").exists()


def test_a_second_delivery_says_unchanged_and_leaves_the_files_alone(delivered: Deployed) -> None:
    paths = [delivered.file(JSON_TARGET), delivered.file(DOTENV_TARGET)]
    for path in paths:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # a rewrite could not keep this mtime
    before = [_file_state(path) for path in paths]

    result = delivered.cli("deliver", "--stack", "local")

    assert result.exit_code == 0, result.output
    assert _statuses(result) == [
        "unchanged    json:out/billing.json  (billing-sync)",
        "unchanged    dotenv:out/all.env  (billing-sync, reporting)",
    ]
    assert [_file_state(path) for path in paths] == before


def test_dry_run_with_nothing_changed_says_unchanged(delivered: Deployed) -> None:
    result = delivered.cli("deliver", "--stack", "local", "--dry-run")

    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in _statuses(result)] == ["unchanged", "unchanged"]


def test_dry_run_after_a_file_was_deleted_says_would_write_and_writes_nothing(delivered: Deployed) -> None:
    delivered.file(DOTENV_TARGET).unlink()

    result = delivered.cli("deliver", "--stack", "local", "--dry-run")

    assert result.exit_code == 0, result.output
    assert _statuses(result) == [
        "unchanged    json:out/billing.json  (billing-sync)",
        "would write  dotenv:out/all.env  (billing-sync, reporting)",
    ]
    assert not delivered.file(DOTENV_TARGET).exists()


def test_json_reports_the_verification_and_each_target(fresh: Deployed) -> None:
    result = fresh.cli("deliver", "--stack", "local", "--json")

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {key: document[key] for key in ("stack", "dry_run", "ok")} == {
        "stack": "local",
        "dry_run": False,
        "ok": True,
    }
    assert [(row["name"], row["ok"], row["reason"]) for row in document["verify"]] == [
        ("billing-sync", True, "ok"),
        ("reporting", True, "ok"),
    ]
    assert [(row["target"], row["integrations"], row["status"]) for row in document["targets"]] == [
        (JSON_TARGET, ["billing-sync"], "written"),
        (DOTENV_TARGET, ["billing-sync", "reporting"], "written"),
    ]
    assert document["targets"][0]["detail"] == (
        f"json: wrote 1 integration(s) to {fresh.file(JSON_TARGET)} (mode 0600)"
    )
    assert set(document) == {"stack", "dry_run", "ok", "verify", "targets"}
    assert all(set(row) == {"target", "integrations", "status", "detail"} for row in document["targets"])


def test_dry_run_json_says_so(delivered: Deployed) -> None:
    result = delivered.cli("deliver", "--stack", "local", "--dry-run", "--json")

    document = json.loads(result.stdout)
    assert (document["dry_run"], [row["status"] for row in document["targets"]]) == (
        True,
        ["unchanged", "unchanged"],
    )


def test_integration_option_delivers_a_shared_target_with_every_integration_it_holds(
    delivered: Deployed,
) -> None:
    result = delivered.cli("deliver", "--stack", "local", "-i", "billing-sync")

    assert result.exit_code == 0, result.output
    assert [line.split()[:2] for line in _lines(result.stdout)[:2]] == [
        ["ok", "billing-sync"],
        ["ok", "reporting"],
    ]
    assert _statuses(result) == [
        "unchanged    json:out/billing.json  (billing-sync)",
        "unchanged    dotenv:out/all.env  (billing-sync, reporting)",
    ]
    assert "reporting_client_secret" in dotenv_values(delivered.file(DOTENV_TARGET), interpolate=False)


# -- deliver: bad input ------------------------------------------------------------------------------
def test_malformed_targets_are_one_line_each_and_nothing_is_written(
    deployed: Deployed, declare: Callable[..., None]
) -> None:
    declare({"billing-sync": ["json:out/never.json", "s3:bucket"], "reporting": ["vault:secret"]})

    result = deployed.cli("deliver", "--stack", "local")

    assert result.exit_code == 2
    assert _lines(result.stderr) == [
        "error: auth0-m2m:deliver.billing-sync[1]: target 's3:bucket': expected KIND:ARG with KIND one of "
        "dotenv, json, aws-sm, k8s-secret, nango, vault",
        "error: auth0-m2m:deliver.reporting[0]: target 'vault:secret': expected vault:MOUNT/PATH, "
        "e.g. vault:secret/auth0/billing; nothing was sent",
    ]
    assert result.stdout == ""
    assert not deployed.file("json:out/never.json").exists()


def test_an_integration_the_stack_does_not_have_names_those_it_has(
    deployed: Deployed, declare: Callable[..., None]
) -> None:
    declare({"billing-sync": ["json:out/never.json"], "billing-snyc": ["json:out/never.json"]})

    result = deployed.cli("deliver", "--stack", "local")

    assert result.exit_code == 2
    assert _lines(result.stderr) == [
        "error: auth0-m2m:deliver.billing-snyc: no integration 'billing-snyc' in this stack "
        "(it has: billing-sync, reporting); fix the name; nothing was sent"
    ]
    assert not deployed.file("json:out/never.json").exists()


def test_a_dry_run_says_would_write_for_an_integration_the_stack_file_adds(deployed: Deployed) -> None:
    config = copy.deepcopy(STACK_CONFIG)
    config["auth0-m2m:integrations"]["newcomer"] = {"api": "billing", "scopes": ["read:invoices"]}
    config["auth0-m2m:deliver"] = {**DELIVER, "newcomer": ["json:out/newcomer.json"]}
    deployed.write_stack(config)
    try:
        planned = deployed.cli("deliver", "--stack", "local", "--dry-run")
        delivered = deployed.cli("deliver", "--stack", "local")
    finally:
        deployed.write_stack(STACK_CONFIG)

    assert planned.exit_code == 0, planned.output
    assert "would write  json:out/newcomer.json  (newcomer): not deployed yet: newcomer" in planned.output
    assert delivered.exit_code == 2  # without --dry-run, delivering what is not deployed is bad input
    assert "no integration 'newcomer' in this stack" in delivered.stderr
    assert not deployed.file("json:out/newcomer.json").exists()


def test_integration_option_for_an_integration_without_targets_is_bad_input(
    deployed: Deployed, declare: Callable[..., None]
) -> None:
    declare({"billing-sync": ["json:out/never.json"]})

    result = deployed.cli("deliver", "--stack", "local", "-i", "reporting")

    assert result.exit_code == 2
    assert _lines(result.stderr) == [
        "error: --integration 'reporting': auth0-m2m:deliver in Pulumi.local.yaml gives it no targets"
    ]
    assert not deployed.file("json:out/never.json").exists()


def test_a_nango_target_without_its_secret_key_names_the_key_path_and_the_variable(
    deployed: Deployed, declare: Callable[..., None]
) -> None:
    declare({"billing-sync": ["json:out/never.json", "nango:"]})

    result = deployed.cli("deliver", "--stack", "local")

    assert result.exit_code == 2
    assert _lines(result.stderr) == [
        "error: auth0-m2m:deliver.billing-sync[1]: nango: needs AUTH0_M2M_NANGO__SECRET_KEY; "
        "export it (never in the stack file); nothing was sent"
    ]
    assert not deployed.file("json:out/never.json").exists()


def test_a_stack_file_without_the_key_has_nothing_to_do(
    deployed: Deployed, declare: Callable[..., None]
) -> None:
    declare(None)

    result = deployed.cli("deliver", "--stack", "local")

    assert result.exit_code == 0, result.output
    assert _lines(result.stdout) == [
        "stack 'local' declares no targets (auth0-m2m:deliver in Pulumi.local.yaml); nothing to do"
    ]


def test_a_ca_file_that_is_not_a_file_is_one_line_before_anything_is_sent(fresh: Deployed) -> None:
    not_a_file = fresh.root / "out"

    result = fresh.cli("deliver", "--stack", "local", env={"AUTH0_M2M_CA_FILE": str(not_a_file)})

    assert result.exit_code == 2
    assert _lines(result.stderr) == [
        f"error: AUTH0_M2M_CA_FILE: {not_a_file} is not a file; "
        "give the PEM of the CA that signed the tenant's certificate"
    ]
    assert not fresh.file(JSON_TARGET).exists()


# -- rotate --scheduled ------------------------------------------------------------------------------
@pytest.mark.parametrize("choice", [(), ("--integration", "reporting", "--scheduled")])
def test_rotate_takes_exactly_one_of_integration_and_scheduled(
    deployed: Deployed, choice: tuple[str, ...]
) -> None:
    before = {name: item.client_secret.get_secret_value() for name, item in deployed.integrations().items()}

    result = deployed.cli("rotate", "--stack", "local", *choice)

    assert result.exit_code == 2
    assert _lines(result.stderr) == [
        "error: give --integration NAME, or --scheduled for the integrations that opt in"
    ]
    after = {name: item.client_secret.get_secret_value() for name, item in deployed.integrations().items()}
    assert after == before


def test_scheduled_rotation_with_no_integration_opting_in_rotates_nothing(deployed: Deployed) -> None:
    before = {name: item.client_secret.get_secret_value() for name, item in deployed.integrations().items()}

    result = deployed.cli("rotate", "--stack", "local", "--scheduled")

    assert result.exit_code == 0, result.output
    assert _lines(result.stdout) == [
        "no integration of stack 'local' opts in to scheduled rotation (rotate: scheduled); nothing rotated"
    ]
    after = {name: item.client_secret.get_secret_value() for name, item in deployed.integrations().items()}
    assert after == before


@dataclass(frozen=True)
class ScheduledRotation:
    """`rotate --scheduled` with `reporting` opted in: the outputs before and after, and its result."""

    before: dict[str, IntegrationOutputs]
    after: dict[str, IntegrationOutputs]
    result: Any


@pytest.fixture(scope="module")
def scheduled_rotation(deployed: Deployed) -> Iterator[ScheduledRotation]:
    """Bring the files in line, opt `reporting` in to scheduled rotation and run `rotate --scheduled`."""
    assert deployed.cli("deliver", "--stack", "local").exit_code == 0
    config = copy.deepcopy(STACK_CONFIG)
    config["auth0-m2m:integrations"]["reporting"]["rotate"] = "scheduled"
    deployed.write_stack(config)
    before = deployed.integrations()
    result = deployed.cli("rotate", "--stack", "local", "--scheduled")
    after = deployed.integrations()
    yield ScheduledRotation(before, after, result)
    deployed.write_stack(STACK_CONFIG)


def test_scheduled_rotation_rotates_the_integration_that_opts_in(
    scheduled_rotation: ScheduledRotation,
) -> None:
    result = scheduled_rotation.result

    assert result.exit_code == 0, result.output
    lines = _lines(result.stdout)
    assert lines[0].startswith("rotated: reporting (client ")
    assert lines[1].startswith("ok  reporting  (")
    assert scheduled_rotation.after["reporting"].client_id == scheduled_rotation.before["reporting"].client_id
    new, old = (
        rotation["reporting"].client_secret.get_secret_value()
        for rotation in (scheduled_rotation.after, scheduled_rotation.before)
    )
    assert new != old


def test_the_old_secret_of_the_rotated_integration_is_refused(
    scheduled_rotation: ScheduledRotation, deployed: Deployed
) -> None:
    refused = verify_integration(scheduled_rotation.before["reporting"], ca_file=deployed.tenant.ca_file)

    assert (refused.ok, refused.reason) == (False, "token request refused: access_denied: Unauthorized")


def test_scheduled_rotation_leaves_the_integration_that_does_not_opt_in(
    scheduled_rotation: ScheduledRotation, deployed: Deployed
) -> None:
    before, after = scheduled_rotation.before["billing-sync"], scheduled_rotation.after["billing-sync"]

    assert after.client_secret.get_secret_value() == before.client_secret.get_secret_value()
    assert verify_integration(after, ca_file=deployed.tenant.ca_file).ok


def test_delivery_after_the_rotation_writes_only_the_targets_holding_the_rotated_integration(
    scheduled_rotation: ScheduledRotation, deployed: Deployed
) -> None:
    result = deployed.cli("deliver", "--stack", "local")

    assert result.exit_code == 0, result.output
    assert _statuses(result) == [
        "unchanged    json:out/billing.json  (billing-sync)",
        "written      dotenv:out/all.env  (billing-sync, reporting)",
    ]
    stored = dotenv_values(deployed.file(DOTENV_TARGET), interpolate=False)
    assert (
        stored["reporting_client_secret"]
        == scheduled_rotation.after["reporting"].client_secret.get_secret_value()
    )


def test_rotate_with_a_ca_file_that_is_not_a_file_rotates_nothing(deployed: Deployed) -> None:
    before = {name: item.client_secret.get_secret_value() for name, item in deployed.integrations().items()}

    result = deployed.cli(
        "rotate", "--stack", "local", "-i", "reporting", env={"AUTH0_M2M_CA_FILE": str(deployed.root / "out")}
    )

    assert result.exit_code == 2
    assert _lines(result.stderr)[0].startswith("error: AUTH0_M2M_CA_FILE: ")
    after = {name: item.client_secret.get_secret_value() for name, item in deployed.integrations().items()}
    assert after == before


def test_scheduled_rotation_reads_a_stack_file_without_namespaces(deployed: Deployed) -> None:
    """In a project named auth0-m2m a key without a namespace is the project's (`integrations:`)."""
    config = {key.removeprefix("auth0-m2m:"): copy.deepcopy(value) for key, value in STACK_CONFIG.items()}
    config["integrations"]["billing-sync"]["rotate"] = "scheduled"
    deployed.write_stack(config)
    before = deployed.integrations()
    try:
        result = deployed.cli("rotate", "--stack", "local", "--scheduled", "--json")
    finally:
        deployed.write_stack(STACK_CONFIG)
    after = deployed.integrations()

    assert result.exit_code == 0, result.output
    assert [row["integration"] for row in json.loads(result.stdout)["rotations"]] == ["billing-sync"]
    assert (
        after["billing-sync"].client_secret.get_secret_value()
        != before["billing-sync"].client_secret.get_secret_value()
    )
