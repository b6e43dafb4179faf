"""R4: after `up`, `verify`, `export` and `rotate`, no client secret appears in plaintext anywhere.

The scenario runs the real CLIs as a user would (`auth0-m2m up | verify | export | outputs |
rotate`), then the engine with its most verbose logging: Automation API `preview`, `refresh` and
`up` with `log_verbosity=9`, `log_flow` (the provider plugin logs too), `log_to_std_err` and
`debug`, and plain `pulumi refresh -v=9 --logflow` both to stderr and to log files (in the
project's `TMPDIR`). It then searches for every client secret, the current ones and the one
replaced by the rotation, as plaintext, URL-encoded and inside an HTTP Basic header
(`base64(client_id:secret)`), in:

- every file of the project copy: stack files, the file backend (state, history, backups, locks),
  the plugin home, the engine's log files;
- the stdout and stderr of every command, and of every Automation API call.

The export targets are left out (they hold the secrets on purpose) but their modes must be 0600.
Not searched: the tenant's own database (it is the Auth0 side) and `PULUMI_DEBUG_GRPC` wire dumps
(a debugging tool that records raw RPC payloads by design).
"""

from __future__ import annotations

import base64
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from pulumi import automation as auto

from auth0_m2m.consumers import deployer_from, rotate_integration
from auth0_m2m.workspace import LOCAL_PASSPHRASE, LocalTenant, select_stack, stack_integrations
from bench.resilience._sandbox import CommandRun, Project, Sandbox
from bench.resilience._stackconfig import integrations_config

VERBOSE: dict[str, Any] = {"log_verbosity": 9, "log_flow": True, "log_to_std_err": True, "debug": True}


@dataclass(frozen=True)
class Hit:
    """A secret found in plaintext (never the secret itself: which integration, which form, where)."""

    integration: str
    form: str
    where: str


@dataclass
class SecrecyResult:
    """R4's findings."""

    secrets: int = 0
    previous: int = 0
    files: int = 0
    outputs: int = 0
    hits: list[Hit] = field(default_factory=list)
    modes: dict[str, int] = field(default_factory=dict)
    control_hits: int = 0
    """Hits in the export targets, which hold the secrets on purpose: proves the search finds them."""
    steps: dict[str, bool] = field(default_factory=dict)
    """Each step and whether it succeeded (a failed step weakens the search; it is reported)."""

    @property
    def private_exports(self) -> int:
        """Exported files readable by their owner only."""
        return sum(1 for mode in self.modes.values() if mode & 0o077 == 0)

    @property
    def ok(self) -> bool:
        """No hit, every export private, every step done."""
        all_private = self.private_exports == len(self.modes) and bool(self.modes)
        return not self.hits and all_private and all(self.steps.values()) and self.control_hits > 0

    def line(self) -> str:
        """The figures line `make stress` prints."""
        failed = [name for name, done in self.steps.items() if not done]
        steps = f"; FAILED steps: {', '.join(failed)}" if failed else ""
        where = sorted({h.where for h in self.hits})
        found = f" in {', '.join(where[:5])}" if where else ""
        return (
            f"R4 secrecy: plaintext hits {len(self.hits)}{found} (searched {self.secrets} secrets, "
            f"{self.previous} of them replaced by rotate, in 3 forms, in {self.files} files and the output "
            f"of {self.outputs} commands and engine runs, -v=9 logs included); exported files 0600: "
            f"{self.private_exports}/{len(self.modes)}; control: {self.control_hits} hits in the "
            f"export files, which hold them on purpose{steps}"
        )


def _needles(secrets: dict[str, tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(integration, form, text) for each secret: plain, URL-encoded, in a Basic header."""
    found: list[tuple[str, str, str]] = []
    for label, (client_id, secret) in secrets.items():
        found.append((label, "plaintext", secret))
        if quote_plus(secret) != secret:
            found.append((label, "url-encoded", quote_plus(secret)))
        found.append((label, "basic-auth", base64.b64encode(f"{client_id}:{secret}".encode()).decode()))
    return found


def _named(run: CommandRun) -> str:
    """`auth0-m2m up`, `pulumi refresh`, ...: where an output came from."""
    words = [a for a in run.args[1:] if not a.startswith("-")][:2]
    return " ".join([Path(run.args[0]).name, *words])


def _secrets(stack: auto.Stack, label: str) -> dict[str, tuple[str, str]]:
    return {
        f"{name} ({label})": (item.client_id, item.client_secret.get_secret_value())
        for name, item in stack_integrations(stack).items()
    }


def _local_tenant(sandbox: Sandbox) -> LocalTenant:
    server = sandbox.server
    return LocalTenant(
        server.domain,
        server.ca_file,
        server.bootstrap_client_id,
        server.bootstrap_client_secret.get_secret_value(),
    )


def _rotate(project: Project, stack: auto.Stack, name: str, target: Path, sandbox: Sandbox) -> bool:
    run = project.cli("rotate", "--stack", "local", "--integration", name, "--to", f"json:{target}")
    if run.returncode == 0:
        return True
    server = sandbox.server
    deployer = deployer_from(
        {
            "auth0:domain": server.domain,
            "auth0:clientId": server.bootstrap_client_id,
            "auth0:clientSecret": server.bootstrap_client_secret.get_secret_value(),
        },
        {},
        ca_file=server.ca_file,
    )
    current = stack_integrations(stack)[name]
    rotate_integration(stack, current, deployer, read_outputs=lambda: stack_integrations(stack))
    return False


def run_secrecy(sandbox: Sandbox, *, integrations: int = 3) -> SecrecyResult:
    """R4: up, verify, export, outputs, rotate, verbose engine runs; then search for every secret."""
    sandbox.reset()
    result = SecrecyResult()
    project = sandbox.project("r4")
    exports = project.root / "exports"
    exports.mkdir(mode=0o700)
    project.write_stack("local", integrations_config(integrations, apis=1, organizations=1))
    steps = result.steps
    steps["up"] = project.cli("up", "--stack", "local").returncode == 0
    steps["verify"] = project.cli("verify", "--stack", "local").returncode == 0
    export = project.cli(
        "export",
        "--stack",
        "local",
        "--to",
        f"json:{exports / 'creds.json'}",
        "--to",
        f"dotenv:{exports / 'creds.env'}",
    )
    steps["export"] = export.returncode == 0
    steps["outputs"] = all(
        project.cli(*args).returncode == 0
        for args in (("outputs", "--stack", "local"), ("outputs", "--stack", "local", "--json"))
    )
    stack = select_stack("local", root=project.root, tenant=_local_tenant(sandbox), env=project.env)
    before = _secrets(stack, "previous")
    rotated = sorted(stack_integrations(stack))[0]
    steps["rotate (CLI)"] = _rotate(project, stack, rotated, exports / "rotated.json", sandbox)
    after = _secrets(stack, "current")
    previous = {k: v for k, v in before.items() if v[1] not in {s for _, s in after.values()}}
    secrets = {**after, **previous}
    result.secrets, result.previous = len(secrets), len(previous)
    steps["verify after rotate"] = project.cli("verify", "--stack", "local").returncode == 0

    engine: list[tuple[str, str]] = []
    for name, call in (
        ("preview -v=9", lambda: stack.preview(color="never", diff=True, **VERBOSE)),
        ("refresh -v=9", lambda: stack.refresh(color="never", **VERBOSE)),
        ("up -v=9", lambda: stack.up(color="never", **VERBOSE)),
    ):
        try:
            answer = call()
            engine.append((f"automation {name}", f"{answer.stdout}\n{answer.stderr}"))
            steps[f"automation {name}"] = True
        except auto.errors.CommandError as error:
            engine.append((f"automation {name}", str(error)))
            steps[f"automation {name}"] = False
    plain_env = {"PULUMI_CONFIG_PASSPHRASE": LOCAL_PASSPHRASE, "SSL_CERT_FILE": str(sandbox.server.ca_file)}
    for args in (
        ("refresh", "--yes", "--stack", "local", "-v=9", "--logflow", "--logtostderr"),
        ("refresh", "--yes", "--stack", "local", "-v=9", "--logflow"),  # log files in TMPDIR
        ("stack", "export", "--stack", "local"),
        ("stack", "output", "--stack", "local", "--json"),
        ("stack", "history", "--stack", "local"),
        ("config", "--stack", "local"),
    ):
        run = project.pulumi(*args, env=plain_env)
        steps[f"pulumi {' '.join(args[:2])}"] = steps.get(f"pulumi {' '.join(args[:2])}", True) and (
            run.returncode == 0
        )

    needles = _needles(secrets)
    places = [(_named(run), run.text) for run in project.runs]
    places += engine
    files = list(project.files(exclude=(exports,)))
    result.files, result.outputs = len(files), len(project.runs) + len(engine)
    for path in files:
        places.append((str(path.relative_to(project.root)), path.read_bytes().decode("utf-8", "replace")))
    for where, text in places:
        for label, form, needle in needles:
            if needle in text:
                result.hits.append(Hit(label, form, where))
    for path in sorted(exports.iterdir()):
        result.modes[path.name] = stat.S_IMODE(path.stat().st_mode)
        text = path.read_text(encoding="utf-8", errors="replace")
        result.control_hits += sum(1 for _, form, needle in needles if form == "plaintext" and needle in text)
    return result


def hits_by_place(result: SecrecyResult) -> list[str]:
    """One line per hit, for a failure report (names the secret's integration, never its value)."""
    return [f"{hit.where}: {hit.integration}, {hit.form}" for hit in result.hits]
