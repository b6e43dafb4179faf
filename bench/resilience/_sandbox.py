"""The stage every scenario runs on: a local tenant over HTTPS and throwaway project copies.

`Sandbox` starts one `TenantServer` (state in `<root>/tenant`) and hands out `Project`s: copies of
the project's `Pulumi.yaml` with their own `stacks/`, file:// backend, `PULUMI_HOME` and `TMPDIR`,
in which the real `auth0-m2m` CLI (a subprocess, as a user or a pipeline runs it) and the real
`pulumi` CLI run. Every command's stdout and stderr is kept (`Project.runs`) for the secrecy scan.
The sandbox also switches the tenant's fault injection and reads its objects through auth0-python
with faults paused, so inspections never disturb or get disturbed by a scenario.
"""

from __future__ import annotations

import json
import os
import shutil
import ssl
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from auth0.management import ManagementClient

from auth0_m2m.tenant import TenantServer
from auth0_m2m.workspace import LOCAL_PASSPHRASE, LOCAL_STACK, project_root, scratch_project

REPO = project_root(Path(__file__).resolve().parent)
ENGINE_BIN = REPO / ".engine" / "bin"
CLI = Path(sys.executable).parent / "auth0-m2m"


@dataclass(frozen=True)
class CommandRun:
    """One finished command: its arguments, exit code and output."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        """stdout and stderr together."""
        return f"{self.stdout}\n{self.stderr}"

    def json(self) -> Any:
        """stdout's last JSON document (the CLI's `--json` output follows the engine's lines)."""
        start = self.stdout.find("{")
        return json.loads(self.stdout[start:]) if start >= 0 else None


@dataclass
class Project:
    """A project copy with its own state; runs the CLIs with the sandbox tenant as `local`."""

    root: Path
    sandbox: Sandbox
    runs: list[CommandRun] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        """The environment of every command run in this project."""
        bins = f"{ENGINE_BIN}{os.pathsep}{CLI.parent}{os.pathsep}{os.environ.get('PATH', '')}"
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "AUTH0_"))}
        # The CLI trusts the local tenant's CA through SSL_CERT_FILE; an inherited one would win.
        env = {k: v for k, v in inherited.items() if k not in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")}
        return env | {
            "PATH": bins,
            "PULUMI_BACKEND_URL": (self.root / "state").as_uri(),
            "PULUMI_HOME": str(self.root / "pulumi-home"),
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "AUTH0_M2M_TENANT_STATE_DIR": str(self.sandbox.tenant_dir),
            "TMPDIR": str(self.root / "tmp"),
            "NO_COLOR": "1",
        }

    def write_stack(self, name: str, config: Mapping[str, Any]) -> Path:
        """Write `stacks/Pulumi.<name>.yaml` with `config` (full keys)."""
        path = self.root / "stacks" / f"Pulumi.{name}.yaml"
        existing = yaml.safe_load(path.read_text()) if path.exists() else None
        document = existing if isinstance(existing, dict) else {}
        document["config"] = dict(config)
        path.write_text(yaml.safe_dump(document, sort_keys=False))
        return path

    def _run(self, args: list[str], env: Mapping[str, str] | None, timeout: float) -> CommandRun:
        done = subprocess.run(  # noqa: S603 - our own CLIs with arguments we build
            args,
            cwd=self.root,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        run = CommandRun(tuple(args), done.returncode, done.stdout, done.stderr)
        self.runs.append(run)
        return run

    def cli(self, *args: str, env: Mapping[str, str] | None = None, timeout: float = 900) -> CommandRun:
        """Run `auth0-m2m ARGS` in the project and keep its output."""
        return self._run([str(CLI), *args], env, timeout)

    def pulumi(self, *args: str, env: Mapping[str, str] | None = None, timeout: float = 900) -> CommandRun:
        """Run the engine's `pulumi ARGS` in the project (non-interactive) and keep its output."""
        return self._run([str(ENGINE_BIN / "pulumi"), "--non-interactive", *args], env, timeout)

    def start_cli(self, *args: str) -> subprocess.Popen[str]:
        """Start `auth0-m2m ARGS` without waiting (its output goes to `<root>/tmp/started.log`)."""
        with open(self.root / "tmp" / "started.log", "a") as log:  # the child keeps its own copy
            return subprocess.Popen(  # noqa: S603 - our own CLI
                [str(CLI), *args],
                cwd=self.root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )

    def deployment(self, stack: str = LOCAL_STACK) -> dict[str, Any]:
        """The stack's state (`pulumi stack export`, secrets stay encrypted)."""
        run = self.pulumi("stack", "export", "--stack", stack)
        if run.returncode != 0:
            raise RuntimeError(f"pulumi stack export failed: {run.stderr.strip()[-300:]}")
        data: dict[str, Any] = json.loads(run.stdout)["deployment"]
        return data

    def files(self, *, exclude: tuple[Path, ...] = ()) -> Iterator[Path]:
        """Every file in the project copy (state, history, backups, plugin home, logs in tmp)."""
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not any(path.is_relative_to(x) for x in exclude):
                yield path


class Sandbox:
    """A local tenant (HTTPS, free port, state in `<root>/tenant`) and the projects that use it."""

    def __init__(self, root: Path, *, rate_limit: str | None = None) -> None:
        self.root = root
        self.tenant_dir = root / "tenant"
        self.server = TenantServer(state_dir=self.tenant_dir, rate_limit=rate_limit)
        self._projects = 0

    def __enter__(self) -> Sandbox:
        # .engine/env is written once the auth0 plugin is chosen; the stand-in is never on PATH but in each
        # project copy's plugin cache (scratch_project installs it).
        missing = [str(p) for p in (ENGINE_BIN / "pulumi", ENGINE_BIN.parent / "env") if not p.exists()]
        if missing:
            raise RuntimeError(f"{', '.join(missing)} missing: run `make engine`")
        self.root.mkdir(parents=True, exist_ok=True)
        self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stop()

    # -- projects ---------------------------------------------------------------------------------
    def project(self, name: str | None = None) -> Project:
        """A fresh project copy under the sandbox root."""
        self._projects += 1
        root = self.root / (name or f"project-{self._projects}")
        shutil.rmtree(root, ignore_errors=True)
        scratch_project(root, passphrase=LOCAL_PASSPHRASE)
        (root / "tmp").mkdir(mode=0o700)
        return Project(root=root, sandbox=self)

    # -- tenant control ---------------------------------------------------------------------------
    def _control(self, method: str, name: str, body: Mapping[str, Any] | None = None) -> Any:
        url = f"https://{self.server.domain}/__tenant/{name}"
        response = httpx.request(method, url, json=body, verify=self.server.ssl_context(), timeout=30)
        response.raise_for_status()
        return response.json() if response.content else None

    def reset(self) -> None:
        """Forget every object but the Management API and the bootstrap client; zero the counters."""
        self._control("POST", "reset")
        self._control("DELETE", "stats")

    def set_faults(self, spec: str | None, seed: int | None = None) -> None:
        """Inject faults (`429=0.2,503=0.05,latency=20ms`), or none."""
        if spec:
            self._control("PUT", "faults", {"spec": spec, "seed": seed})
        else:
            self._control("DELETE", "faults")

    def stats(self) -> dict[str, Any]:
        """The tenant's request counters."""
        data: dict[str, Any] = self._control("GET", "stats")
        return data

    @contextmanager
    def faults_paused(self) -> Iterator[None]:
        """No injected faults inside the block; the previous setting afterwards."""
        before = self._control("GET", "faults")
        self.set_faults(None)
        try:
            yield
        finally:
            self.set_faults(before.get("spec") or None, before.get("seed"))

    @contextmanager
    def management(self) -> Iterator[ManagementClient]:
        """auth0-python on the tenant as the bootstrap client (token minted in-process, not counted)."""
        context = ssl.create_default_context(cafile=str(self.server.ca_file))
        with httpx.Client(verify=context, timeout=30) as http:
            yield ManagementClient(
                domain=self.server.domain, token=self.server.management_token(), httpx_client=http
            )
