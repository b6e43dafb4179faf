"""`auth0-m2m tenant serve --json`: one ready line, a working tenant, a clean exit on SIGTERM."""

from __future__ import annotations

import json
import signal
import ssl
import subprocess
import sys
from pathlib import Path

import httpx

_SERVE = [sys.executable, "-c", "from auth0_m2m.cli import main; main()", "tenant", "serve"]


def test_serve_json_prints_ready_line_and_stops_on_sigterm(tmp_path: Path) -> None:
    proc = subprocess.Popen(  # noqa: S603 - fixed argv running our own CLI
        [*_SERVE, "--port", "0", "--state-dir", str(tmp_path / "state"), "--json", "--rate-limit", "50/100"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        ready = json.loads(proc.stdout.readline())
        assert set(ready) == {"domain", "ca_file", "client_id", "client_secret"}
        context = ssl.create_default_context(cafile=ready["ca_file"])
        response = httpx.post(
            f"https://{ready['domain']}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": ready["client_id"],
                "client_secret": ready["client_secret"],
                "audience": f"https://{ready['domain']}/api/v2/",
            },
            verify=context,
        )
        assert response.status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err


def test_bad_rate_limit_is_one_clear_line() -> None:
    result = subprocess.run(  # noqa: S603 - fixed argv running our own CLI
        [*_SERVE, "--in-memory", "--rate-limit", "fast"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "--rate-limit: rate limit 'fast': expected RPS/BURST, e.g. 15/50"
