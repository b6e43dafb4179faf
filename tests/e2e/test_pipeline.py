"""The GitOps pipeline as it runs: the workflow files' jobs, command by command, against real servers.

The jobs of `.github/workflows/pulumi.yml` (on a push to main and on a pull request) and of
`scheduled.yml` are read from the files and their steps run in order, as CI runs them, in a copy of
the project with the repository's Makefile: `run:` steps as written (with the matrix's stack, and
`STACKS` set to it), `uses: pulumi/actions` steps as their documented CLI equivalent (`pulumi
preview|up --stack S [--refresh]`, `up` with `--yes --skip-preview`); checkout, setup and install
steps are the test's own environment. The stack is the project's `local` stack on a local tenant,
its credentials delivered to moto's Secrets Manager, an OpenBao dev server (KV v2), the Nango
stand-in and a JSON file. Checked, in order:

- the first deploy delivers every declared target, each holding a secret that works;
- a second deploy with no change writes 0 versions in Secrets Manager and OpenBao, makes no Nango
  write and leaves the file alone (counted on the servers), and every target says `unchanged`;
- a pull request previews and plans no write;
- a bad `auth0-m2m:deliver` is one line, exit 2, and 0 requests to any store or to the tenant;
- a grant deleted by hand fails the nightly drift job, naming it, and the next deploy repairs it;
- the scheduled rotation leaves every target of the opted-in integration holding a new secret that
  works, the old one refused, and the other integration's targets untouched;
- no job's log holds a client secret or a store's token.

The version counts after each step are printed (`-s`) for the record.
"""

from __future__ import annotations

import os
import shlex
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import httpx
import hvac
import pytest
import yaml
from auth0.management import ManagementClient
from e2e_harness import ENGINE_BIN, REPO, TenantStats, require_engine

from auth0_m2m.project import write_shell_env
from auth0_m2m.tenant import TenantServer
from auth0_m2m.workspace import scratch_project

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

STACK = "local"
WORKFLOWS = REPO / ".github" / "workflows"
REGION = "eu-west-1"
AWS_SECRET = "auth0/local/billing"
VAULT_PATH = "auth0/local/reporting"
SETUP_STEPS = ("python -m venv", "pip install", "GITHUB_PATH")
"""`run:` steps that set up the runner (the venv, PATH): the test's own environment does that."""

STACK_FILE: dict[str, Any] = {
    "config": {
        "auth0:domain": "set-by-the-local-stack.example.com",
        "auth0-m2m:apis": {
            "billing": {
                "identifier": "https://api.pipeline.test/billing",
                "scopes": {"read:invoices": "Read invoices", "write:invoices": "Create invoices"},
            }
        },
        "auth0-m2m:integrations": {
            "billing": {"api": "billing", "scopes": ["read:invoices"]},
            "reporting": {"api": "billing", "scopes": ["read:invoices"], "rotate": "scheduled"},
        },
        "auth0-m2m:deliver": {
            "billing": ["nango:", f"aws-sm:{AWS_SECRET}"],
            "reporting": [f"vault:secret/{VAULT_PATH}", "json:out/reporting.json"],
        },
    }
}


@dataclass
class Run:
    """One job's run: each command with its exit code, and the whole log."""

    commands: list[tuple[str, int]]
    log: str

    @property
    def ok(self) -> bool:
        """Whether every command exited 0 (a job stops at its first failing step)."""
        return all(code == 0 for _, code in self.commands)


@dataclass
class Pipeline:
    """The project copy, the servers and the environment every job runs in."""

    root: Path
    env: dict[str, str]
    logs: list[str] = field(default_factory=list)

    def commands(self, workflow: str, job: str, event: str) -> list[str]:
        """The commands job `job` of `workflow` runs for `event`, in order, as the test runs them."""
        steps = yaml.safe_load((WORKFLOWS / workflow).read_text())["jobs"][job]["steps"]
        commands = []
        for step in steps:
            if "if" in step and not _applies(step["if"], event):
                continue
            if "uses" in step:
                command = _pulumi_action(step)
                if command is not None:
                    commands.append(command)
            elif not any(marker in step["run"] for marker in SETUP_STEPS):
                run = step["run"].replace("${{ matrix.stack }}", STACK)
                commands.append(run.replace('STACKS="dev staging prod"', f'STACKS="{STACK}"'))
        return commands

    def job(self, workflow: str, job: str, event: str = "push") -> Run:
        """Run the job's commands in order, stopping at the first that fails, as CI does."""
        done: list[tuple[str, int]] = []
        log = []
        for command in self.commands(workflow, job, event):
            finished = subprocess.run(  # noqa: S603 - bash running the workflow's own step
                ["bash", "-c", command],  # noqa: S607 - bash from PATH, as a runner has it
                cwd=self.root,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            log.append(f"$ {command}\n{finished.stdout}{finished.stderr}")
            done.append((command, finished.returncode))
            if finished.returncode != 0:
                break
        run = Run(done, "\n".join(log))
        self.logs.append(run.log)
        return run

    def make(self, target: str) -> subprocess.CompletedProcess[str]:
        """One make target, as a step runs it."""
        finished = subprocess.run(  # noqa: S603 - make with fixed arguments
            ["make", "--no-print-directory", target, f"STACK={STACK}"],  # noqa: S607 - make from PATH
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        self.logs.append(finished.stdout + finished.stderr)
        return finished


def _applies(condition: str, event: str) -> bool:
    """Evaluate a step's `if:` of the form `github.x == 'v' && ...` for a push to main or a PR."""
    context = {
        "github.event_name": event,
        "github.ref": "refs/heads/main" if event == "push" else "refs/pull/1",
    }
    for clause in condition.split("&&"):
        left, _, right = clause.partition("==")
        if context[left.strip()] != right.strip().strip("'\""):
            return False
    return True


def _pulumi_action(step: dict[str, Any]) -> str | None:
    """The CLI equivalent of a `uses: pulumi/actions` step (None for any other action)."""
    if not step["uses"].startswith("pulumi/actions@") or "with" not in step:
        return None  # checkout, setup-python, or pulumi/actions only installing the CLI
    options = step["with"]
    stack = options["stack-name"].replace("${{ matrix.stack }}", STACK)
    command = f"pulumi {options['command']} --stack {stack}"
    if options.get("refresh"):
        command += " --refresh"
    if options["command"] == "up":
        command += " --yes --skip-preview"
    return command


@pytest.fixture(scope="module")
def pipeline(
    tenant: TenantServer,
    tmp_path_factory: pytest.TempPathFactory,
    moto_url: str,
    bao_addr: str,
    bao_token: str,
    nango: tuple[str, Any],
) -> Iterator[Pipeline]:
    """A project copy with the Makefile and the `local` stack file, and the servers' settings."""
    require_engine("pulumi-language-python")
    assert tenant.state_dir is not None
    write_shell_env(tenant.state_dir, tenant.ca_file)  # as `auth0-m2m tenant serve` does on start
    root = tmp_path_factory.mktemp("pipeline")
    scratch = scratch_project(root, passphrase="unused: the tenant's env file sets the local one")
    shutil.copy(REPO / "Makefile", root / "Makefile")
    (root / "out").mkdir()
    (root / "stacks" / f"Pulumi.{STACK}.yaml").write_text(yaml.safe_dump(STACK_FILE, sort_keys=False))
    base_url, _ = nango
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTH0_", "PULUMI_", "AWS_"))}
    env |= {
        "PATH": f"{ENGINE_BIN}{os.pathsep}{os.environ['PATH']}",
        "PULUMI_BACKEND_URL": scratch["PULUMI_BACKEND_URL"],
        "PULUMI_HOME": scratch["PULUMI_HOME"],
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "AUTH0_M2M_TENANT_STATE_DIR": str(tenant.state_dir),
        # The environment's secrets and variables, as the workflow maps them.
        "AUTH0_M2M_NANGO__BASE_URL": base_url,
        "AUTH0_M2M_NANGO__SECRET_KEY": nango[1].key,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AUTH0_M2M_AWS__ENDPOINT_URL": moto_url,
        "AUTH0_M2M_AWS__REGION": REGION,
        "AUTH0_M2M_VAULT__ADDR": bao_addr,
        "AUTH0_M2M_VAULT__TOKEN": bao_token,
    }
    env |= _shell_exports(tenant.state_dir / "env")  # the pulumi/actions steps on the local stack need it
    init = subprocess.run(  # noqa: S603 - the stack exists before its first deploy ("Add an environment")
        ["pulumi", "stack", "init", STACK],  # noqa: S607 - make engine's pulumi, first on PATH
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert init.returncode == 0, init.stderr
    yield Pipeline(root=root, env=env)


def _shell_exports(path: Path) -> dict[str, str]:
    exports = {}
    for line in path.read_text().splitlines():
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            exports[name] = shlex.split(value)[0]
    return exports


@dataclass
class Stores:
    """What each store holds and how many versions it has written, read on the servers themselves."""

    moto_url: str
    bao_addr: str
    bao_token: str
    nango: Any
    json_file: Path

    def aws_versions(self) -> int:
        """Versions of the Secrets Manager secret (0 when it does not exist)."""
        client = boto3.client(
            "secretsmanager", endpoint_url=self.moto_url, region_name=REGION,
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )  # fmt: skip
        try:
            return len(client.list_secret_version_ids(SecretId=AWS_SECRET)["Versions"])
        except client.exceptions.ResourceNotFoundException:
            return 0

    def aws_secret(self) -> dict[str, str]:
        client = boto3.client(
            "secretsmanager", endpoint_url=self.moto_url, region_name=REGION,
            aws_access_key_id="testing", aws_secret_access_key="testing",
        )  # fmt: skip
        value: dict[str, str] = yaml.safe_load(client.get_secret_value(SecretId=AWS_SECRET)["SecretString"])
        return value

    def vault(self) -> hvac.Client:
        return hvac.Client(url=self.bao_addr, token=self.bao_token)

    def vault_versions(self) -> int:
        """The KV v2 secret's current version (0 when it does not exist)."""
        try:
            metadata = self.vault().secrets.kv.v2.read_secret_metadata(path=VAULT_PATH, mount_point="secret")
        except hvac.exceptions.InvalidPath:
            return 0
        return int(metadata["data"]["current_version"])

    def vault_secret(self) -> dict[str, str]:
        answer = self.vault().secrets.kv.v2.read_secret_version(
            path=VAULT_PATH, mount_point="secret", raise_on_deleted_version=True
        )
        data: dict[str, str] = answer["data"]["data"]
        return data

    def nango_writes(self) -> int:
        return int(self.nango.posts)

    def nango_secret(self) -> str:
        return str(self.nango.connections[("auth0-cc", "billing")]["credentials"]["client_secret"])

    def counts(self) -> dict[str, int]:
        return {
            "aws-sm versions": self.aws_versions(),
            "vault versions": self.vault_versions(),
            "nango writes": self.nango_writes(),
            "json mtime_ns": self.json_file.stat().st_mtime_ns if self.json_file.exists() else 0,
        }


@pytest.fixture(scope="module")
def stores(
    pipeline: Pipeline, moto_url: str, bao_addr: str, bao_token: str, nango: tuple[str, Any]
) -> Stores:
    return Stores(moto_url, bao_addr, bao_token, nango[1], pipeline.root / "out" / "reporting.json")


def _token_status(tenant: TenantServer, client_id: str, secret: str) -> int:
    """The token endpoint's status for these credentials, as the consumer asks (client_secret_post)."""
    body = {
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_secret": secret,
        "audience": "https://api.pipeline.test/billing",
    }
    context = ssl.create_default_context(cafile=str(tenant.ca_file))
    response = httpx.post(f"https://{tenant.domain}/oauth/token", json=body, verify=context)
    return response.status_code


def _statuses(log: str) -> list[str]:
    """The per-target statuses `deliver` printed (its lines start with the status)."""
    statuses = ("unchanged", "written", "would write", "skipped", "failed")
    return [s for line in log.splitlines() for s in statuses if line.startswith(s + " ")]


def _deploy(pipeline: Pipeline) -> None:
    for job in ("check-config", "deploy"):
        run = pipeline.job("pulumi.yml", job)
        assert run.ok, run.log[-4000:]


SEEN_SECRETS: list[str] = []
"""Every client secret the stores held at some point: none may appear in a log."""


def test_the_first_deploy_delivers_every_declared_target(
    pipeline: Pipeline, stores: Stores, tenant: TenantServer
) -> None:
    commands = pipeline.commands("pulumi.yml", "deploy", "push")
    assert commands == [
        f"pulumi up --stack {STACK} --refresh --yes --skip-preview",
        f"make gitops-verify STACK={STACK}",
        f"make gitops-deliver STACK={STACK}",
    ]

    _deploy(pipeline)

    counts = stores.counts()
    print("after the first deploy:", counts)  # noqa: T201 - the figures for the record
    assert counts["aws-sm versions"] == 1 and counts["vault versions"] == 1 and counts["nango writes"] == 1
    billing, reporting = stores.aws_secret(), stores.vault_secret()
    assert stores.nango_secret() == billing["client_secret"]
    assert yaml.safe_load(stores.json_file.read_text()) == reporting
    assert stores.json_file.stat().st_mode & 0o777 == 0o600
    for record in (billing, reporting):
        assert _token_status(tenant, record["client_id"], record["client_secret"]) == 200
        SEEN_SECRETS.append(record["client_secret"])


def test_a_second_deploy_with_no_change_writes_nothing(pipeline: Pipeline, stores: Stores) -> None:
    before = stores.counts()

    _deploy(pipeline)

    after = stores.counts()
    print("after a second deploy:", after)  # noqa: T201
    assert after == before
    assert _statuses(pipeline.logs[-1]) == ["unchanged"] * 4, pipeline.logs[-1]  # the four declared targets


def test_a_pull_request_previews_and_plans_no_write(pipeline: Pipeline, stores: Stores) -> None:
    before = stores.counts()
    commands = pipeline.commands("pulumi.yml", "deploy", "pull_request")

    run = pipeline.job("pulumi.yml", "deploy", "pull_request")

    assert commands == [
        f"pulumi preview --stack {STACK} --refresh",
        f"make gitops-deliver-plan STACK={STACK}",
    ]
    assert run.ok, run.log[-4000:]
    assert _statuses(run.log) == ["unchanged"] * 4, run.log
    assert stores.counts() == before


def test_a_bad_delivery_config_is_one_line_and_sends_nothing(
    pipeline: Pipeline, stores: Stores, tenant: TenantServer
) -> None:
    stack_file = pipeline.root / "stacks" / f"Pulumi.{STACK}.yaml"
    good = stack_file.read_text()
    bad = yaml.safe_load(good)
    bad["config"]["auth0-m2m:deliver"]["reporting"][0] = "vault:secret"  # no path under the mount
    stack_file.write_text(yaml.safe_dump(bad, sort_keys=False))
    stats = TenantStats(tenant)
    stats.reset()
    before, nango_reads = stores.counts(), stores.nango.gets
    try:
        done = pipeline.make("gitops-deliver")
    finally:
        stack_file.write_text(good)

    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode != 0
    assert errors == [
        "error: auth0-m2m:deliver.reporting[0]: target 'vault:secret': expected vault:MOUNT/PATH, "
        "e.g. vault:secret/auth0/billing; nothing was sent"
    ], done.stderr
    assert "Error 2" in done.stderr  # make reports the command's exit status 2
    assert stats.read()["total"] == 0
    assert stores.counts() == before and stores.nango.gets == nango_reads


def test_a_grant_deleted_by_hand_fails_the_drift_job_and_the_next_deploy_repairs_it(
    pipeline: Pipeline, tenant: TenantServer, mgmt: ManagementClient
) -> None:
    reporting = next(c for c in mgmt.clients.list(per_page=100) if c.name == "reporting")
    (reporting_grant,) = mgmt.client_grants.list(
        audience="https://api.pipeline.test/billing", client_id=reporting.client_id
    )
    mgmt.client_grants.delete(reporting_grant.id)

    drifted = pipeline.job("scheduled.yml", "drift")
    _deploy(pipeline)
    clean = pipeline.job("scheduled.yml", "drift")

    assert not drifted.ok
    assert "reporting-grant" in drifted.log and "create" in drifted.log, drifted.log[-3000:]
    assert clean.ok, clean.log[-3000:]


def test_the_scheduled_rotation_leaves_every_target_with_a_working_secret(
    pipeline: Pipeline, stores: Stores, tenant: TenantServer
) -> None:
    old_reporting, old_billing = stores.vault_secret(), stores.aws_secret()
    before = stores.counts()

    drift = pipeline.job("scheduled.yml", "drift")  # the rotate job `needs` it
    rotated = pipeline.job("scheduled.yml", "rotate")

    after = stores.counts()
    print("after the scheduled rotation:", after)  # noqa: T201
    assert drift.ok and rotated.ok, rotated.log[-4000:]
    new_reporting = stores.vault_secret()
    SEEN_SECRETS.append(new_reporting["client_secret"])
    assert new_reporting["client_id"] == old_reporting["client_id"]
    assert new_reporting["client_secret"] != old_reporting["client_secret"]
    assert yaml.safe_load(stores.json_file.read_text()) == new_reporting
    assert after["vault versions"] == before["vault versions"] + 1
    assert _token_status(tenant, new_reporting["client_id"], new_reporting["client_secret"]) == 200
    assert _token_status(tenant, old_reporting["client_id"], old_reporting["client_secret"]) == 401
    # billing does not opt in: its targets are untouched and its secret still works
    assert stores.aws_secret() == old_billing
    assert (after["aws-sm versions"], after["nango writes"]) == (
        before["aws-sm versions"],
        before["nango writes"],
    )
    assert _token_status(tenant, old_billing["client_id"], old_billing["client_secret"]) == 200


def test_no_job_log_holds_a_secret(pipeline: Pipeline, tenant: TenantServer, bao_token: str) -> None:
    text = "\n".join(pipeline.logs)
    secrets = [*SEEN_SECRETS, tenant.bootstrap_client_secret.get_secret_value(), bao_token]
    assert SEEN_SECRETS, "the earlier tests recorded no secret"
    for secret in secrets:
        assert secret not in text, "a secret was printed in a job's log"
    assert "Traceback" not in text
