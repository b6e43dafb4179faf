"""R3: every stack config of the invalid corpus is refused before any API call, naming the key path.

The corpus is a folder of stack files (`tests/stress_corpus/<stack>.yaml`); each opens with
`# expect: <text>`, the key path (or file-level message) the refusal must name. The stack is the
file's stem, so `prod.yaml` is checked as the production stack `prod`. `localhost:8443` in a file
stands for the sandbox tenant, and the deployer's credentials are in the environment, so a config
that slipped through would really deploy, and show up in the tenant's request counters.

Each case runs through `auth0-m2m check-config` (in-process) and, when `through_up` is set, through
`auth0-m2m up --stack <stack>` (a subprocess): both must exit 2 with the expected text in their
output, and the tenant must have seen no request at all (reads, writes or token requests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner

from bench.resilience._sandbox import Project, Sandbox

PLACEHOLDER_DOMAIN = "localhost:8443"


@dataclass(frozen=True)
class CorpusCase:
    """One invalid stack file."""

    stack: str
    text: str
    expect: str
    description: str


def load_corpus(directory: Path) -> list[CorpusCase]:
    """Every `*.yaml` of `directory` with its `# expect:` line (a file without one is an error)."""
    cases: list[CorpusCase] = []
    for path in sorted(directory.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        expect = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("# expect:")), None)
        if not expect:
            raise ValueError(f"{path}: no `# expect: <key path>` line; add one")
        description = lines[0].lstrip("# ").strip() if lines else path.stem
        cases.append(CorpusCase(path.stem, text, expect, description))
    return cases


@dataclass(frozen=True)
class CaseOutcome:
    """How one case fared on one path (check-config or up)."""

    case: CorpusCase
    how: str
    exit_code: int
    named: bool
    output: str

    @property
    def rejected(self) -> bool:
        """Refused as bad input (exit 2) with the key path named."""
        return self.exit_code == 2 and self.named


@dataclass
class BadInputResult:
    """R3 over the corpus."""

    total: int
    outcomes: list[CaseOutcome] = field(default_factory=list)
    requests: dict[str, int] = field(default_factory=dict)

    def rejected(self, how: str) -> int:
        """Cases refused (with the key path) on one path."""
        return sum(o.rejected for o in self.outcomes if o.how == how)

    def tried(self, how: str) -> int:
        """Cases run on one path."""
        return sum(o.how == how for o in self.outcomes)

    @property
    def ok(self) -> bool:
        """Every case refused on every path, and the tenant untouched."""
        return all(o.rejected for o in self.outcomes) and not any(self.requests.values())

    def line(self) -> str:
        """The figures line `make stress` prints."""
        paths = [
            f"{self.rejected(how)}/{self.tried(how)} via {label}"
            for how, label in (("check-config", "check-config"), ("up", "`auth0-m2m up`"))
            if self.tried(how)
        ]
        return (
            f"R3 bad input ({self.total} invalid stack configs): rejected with the key path named "
            f"{', '.join(paths)}; tenant writes {self.requests.get('writes', 0)} "
            f"(all requests {self.requests.get('total', 0)}, "
            f"token requests {self.requests.get('token_requests', 0)})"
        )


def _materialize(case: CorpusCase, folder: Path, domain: str) -> Path:
    path = folder / f"Pulumi.{case.stack}.yaml"
    path.write_text(case.text.replace(PLACEHOLDER_DOMAIN, domain), encoding="utf-8")
    return path


def _check_config(case: CorpusCase, folder: Path) -> CaseOutcome:
    from auth0_m2m.cli import app

    result = CliRunner().invoke(app, ["check-config", "--stack", case.stack, "--stacks-dir", str(folder)])
    output = f"{result.stdout}\n{result.stderr}"
    return CaseOutcome(case, "check-config", result.exit_code, case.expect in output, output)


def _up(case: CorpusCase, project: Project, sandbox: Sandbox) -> CaseOutcome:
    env = {
        "AUTH0_CLIENT_ID": sandbox.server.bootstrap_client_id,
        "AUTH0_CLIENT_SECRET": sandbox.server.bootstrap_client_secret.get_secret_value(),
        "SSL_CERT_FILE": str(sandbox.server.ca_file),
        "PULUMI_CONFIG_PASSPHRASE": "stress-bad-input",
    }
    run = project.cli("up", "--stack", case.stack, "--json", env=env, timeout=300)
    return CaseOutcome(case, "up", run.returncode, case.expect in run.text, run.text)


def run_bad_input(
    sandbox: Sandbox, corpus: Path, *, through_up: bool | int = True, domain: str | None = None
) -> BadInputResult:
    """R3: the corpus through check-config, and through `up` (all cases, or the first N if an int)."""
    cases = load_corpus(corpus)
    sandbox.reset()
    project = sandbox.project("r3")
    folder = project.root / "stacks"
    for case in cases:
        _materialize(case, folder, domain or sandbox.server.domain)
    result = BadInputResult(total=len(cases))
    result.outcomes.extend(_check_config(case, folder) for case in cases)
    limit = len(cases) if through_up is True else int(through_up)
    result.outcomes.extend(_up(case, project, sandbox) for case in cases[:limit])
    stats = sandbox.stats()
    result.requests = {
        "writes": int(stats["writes"]),
        "total": int(stats["total"]),
        "token_requests": int(stats["token_requests"]["total"]),
    }
    return result
