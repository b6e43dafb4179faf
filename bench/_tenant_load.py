"""P3: the local tenant alone under load, on one core.

The tenant runs in its own process pinned to CPU 0 (`TenantProcess`), with no rate limit; the load
generator (`bench._loadgen`) runs in another process pinned to CPU 1. Three kinds of request, one
after the other: reads (`GET /api/v2/clients/{id}`), writes (`PATCH /api/v2/clients/{id}`) and token
requests (`POST /oauth/token`, client credentials). The tenant's CPU use over each phase is reported
beside the figures: near 1.0 means the tenant's core was the limit; well below, the generator was.
"""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from bench._tenant import TENANT_CPU, TenantProcess, pinned

GENERATOR_CPU = TENANT_CPU + 1
REPO = Path(__file__).resolve().parents[1]
KINDS = ("reads", "writes", "tokens")


def _setup(tenant: TenantProcess) -> dict[str, Any]:
    """An API, an M2M client granted on it, and a Management API token; returns the job base."""
    local = tenant.local_tenant()
    context = ssl.create_default_context(cafile=str(local.ca_file))
    with httpx.Client(base_url=f"https://{local.domain}", verify=context, timeout=30) as http:
        management_audience = f"https://{local.domain}/api/v2/"
        reply = http.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": local.client_id,
                "client_secret": local.client_secret,
                "audience": management_audience,
            },
        )
        reply.raise_for_status()
        headers = {"Authorization": f"Bearer {reply.json()['access_token']}"}
        audience = "https://api.load.test/items"
        http.post(
            "/api/v2/resource-servers",
            headers=headers,
            json={"identifier": audience, "name": "Load API", "scopes": [{"value": "read:items"}]},
        ).raise_for_status()
        created = http.post(
            "/api/v2/clients",
            headers=headers,
            json={
                "name": "load",
                "app_type": "non_interactive",
                "grant_types": ["client_credentials"],
                "token_endpoint_auth_method": "client_secret_post",
            },
        )
        created.raise_for_status()
        client = created.json()
        http.post(
            "/api/v2/client-grants",
            headers=headers,
            json={"client_id": client["client_id"], "audience": audience, "scope": ["read:items"]},
        ).raise_for_status()
    return {
        "base_url": f"https://{local.domain}",
        "ca_file": str(local.ca_file),
        "management_token": headers["Authorization"].removeprefix("Bearer "),
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
        "audience": audience,
    }


def run_load(tenant: TenantProcess, *, duration: float, concurrency: int) -> dict[str, dict[str, Any]]:
    """One phase per kind of request; each phase's figures plus the tenant's CPU share."""
    tenant.fresh(None)
    base = _setup(tenant)
    results: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        job = {**base, "kind": kind, "duration": duration, "concurrency": concurrency}
        cpu_before = tenant.cpu_seconds()
        done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            pinned([sys.executable, "-m", "bench._loadgen"], GENERATOR_CPU),
            input=json.dumps(job),
            capture_output=True,
            text=True,
            timeout=duration + 120,
            check=False,
            cwd=REPO,
        )
        if done.returncode != 0:
            raise RuntimeError(f"load generator ({kind}) failed: {done.stderr.strip()[-500:]}")
        figures: dict[str, Any] = json.loads(done.stdout)
        figures["tenant_cpu_share"] = (tenant.cpu_seconds() - cpu_before) / figures["wall_s"]
        results[kind] = figures
    return results
