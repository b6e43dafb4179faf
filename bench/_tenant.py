"""The local tenant in its own process, and its `/__tenant/` control endpoints.

The bench never runs the tenant in its own interpreter: the Automation API runs the Pulumi program
inside the bench process, and a tenant thread there would share its GIL. `TenantProcess` starts
`auth0-m2m tenant serve --json` with a state dir (SQLite, as `make tenant` does), pinned to CPU 0
with `taskset` when the machine has more than one core, and reads the ready line for the domain,
the CA and the bootstrap credentials (kept in memory, never printed).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from auth0_m2m.workspace import LocalTenant

TENANT_CPU = 0
"""The core the tenant is pinned to; load generators go on the others."""


def pinned(command: list[str], cpu: int) -> list[str]:
    """`command` prefixed with `taskset -c cpu` when taskset exists and there is more than one core."""
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", str(cpu), *command]
    return command


class TenantProcess:
    """`auth0-m2m tenant serve` on a free port in a child process; use as a context manager."""

    def __init__(self, state_dir: Path, *, pin: bool = True, env: dict[str, str] | None = None) -> None:
        self.state_dir = state_dir
        self.pin = pin
        self.env = env
        self.pinned_cpu: int | None = None
        self._proc: subprocess.Popen[str] | None = None
        self._ready: dict[str, str] = {}
        self._http: httpx.Client | None = None

    def __enter__(self) -> TenantProcess:
        command = [sys.executable, "-c", "from auth0_m2m.cli import main; main()"]
        command += ["tenant", "serve", "--port", "0", "--state-dir", str(self.state_dir), "--json"]
        if self.pin:
            pinned_command = pinned(command, TENANT_CPU)
            self.pinned_cpu = TENANT_CPU if pinned_command != command else None
            command = pinned_command
        self._proc = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **self.env} if self.env else None,
        )
        assert self._proc.stdout is not None  # noqa: S101 - PIPE was asked for
        line = self._proc.stdout.readline()
        if not line.strip():
            err = self._proc.stderr.read() if self._proc.stderr else ""
            self._proc.kill()
            raise RuntimeError(f"the local tenant did not start: {err.strip()[-500:]}")
        self._ready = json.loads(line)
        context = ssl.create_default_context(cafile=self._ready["ca_file"])
        self._http = httpx.Client(base_url=f"https://{self.domain}/__tenant/", verify=context, timeout=30)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._http is not None:
            self._http.close()
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()

    # -- where it is ----------------------------------------------------------------------------
    @property
    def pid(self) -> int:
        """The tenant's process id (for CPU accounting)."""
        assert self._proc is not None  # noqa: S101 - only after __enter__
        return self._proc.pid

    def cpu_seconds(self) -> float:
        """User + system CPU seconds the tenant process has used so far (0 where /proc is missing)."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    @property
    def domain(self) -> str:
        """`localhost:PORT`."""
        return self._ready["domain"]

    @property
    def ca_file(self) -> Path:
        """The tenant's CA certificate."""
        return Path(self._ready["ca_file"])

    def local_tenant(self) -> LocalTenant:
        """Connection details as `select_stack` takes them."""
        return LocalTenant(
            domain=self.domain,
            ca_file=self.ca_file,
            client_id=self._ready["client_id"],
            client_secret=self._ready["client_secret"],
        )

    # -- control endpoints ----------------------------------------------------------------------
    def _call(self, method: str, name: str, body: dict[str, Any] | None = None) -> Any:
        assert self._http is not None  # noqa: S101 - only after __enter__
        response = self._http.request(method, name, json=body)
        response.raise_for_status()
        return response.json() if response.content else None

    def reset(self) -> None:
        """Forget every object but the bootstrap client and the Management API."""
        self._call("POST", "reset")

    def set_rate_limit(self, spec: str | None) -> None:
        """`RPS/BURST` (the bucket starts full), or None for no limit."""
        if spec is None:
            self._call("DELETE", "rate-limit")
        else:
            self._call("PUT", "rate-limit", {"spec": spec})

    def reset_stats(self) -> None:
        """Zero the request counters."""
        self._call("DELETE", "stats")

    def stats(self) -> dict[str, Any]:
        """The request counters since the last reset."""
        data: dict[str, Any] = self._call("GET", "stats")
        return data

    def fresh(self, rate_limit: str | None) -> None:
        """An empty tenant, a full bucket and zeroed counters: the start of every measured run."""
        self.reset()
        self.set_rate_limit(rate_limit)
        self.reset_stats()
