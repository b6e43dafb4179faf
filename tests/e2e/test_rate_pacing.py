"""`auth0-m2m:rate_limit` on the real engine: a paced `up` stays under the tenant's limit.

The tenant enforces 5 requests/s with bursts of 10 (its `/__tenant/rate-limit`). Plain `pulumi up
--stack local` (the language host running `__main__.py`) with `auth0-m2m:rate_limit: "5/10"` creates
an API, an organization and four integrations, then updates four apps. Neither run gets a 429; the
create sends exactly the calls the pacing table (`auth0_m2m/components/pacing.py`) reserved for the steps the
engine ran, the update no more (an update's entry is its most), and the create took at least as long
as the limit allows for its calls. The control is the same kind of stack without the key, run by the
Automation API: it hits the limit (429s), so the limit is real and the pacing is what keeps the
first stack under it.
"""

from __future__ import annotations

import copy
import json
import ssl
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_harness import Project, TenantStats, TenantView, require_engine

from auth0_m2m.components.pacing import RatePacer, management_calls
from auth0_m2m.project import write_shell_env
from auth0_m2m.tenant import TenantServer

pytestmark = pytest.mark.e2e

STACK = "local"
RATE, BURST = 5.0, 10.0


def _config(prefix: str, *, organization: bool) -> dict[str, Any]:
    integrations: dict[str, Any] = {
        f"{prefix}-{i}": {"api": "billing", "scopes": ["read:invoices"], "description": "v1"}
        for i in range(4)
    }
    config: dict[str, Any] = {
        "auth0:domain": "localhost:8443",
        "auth0-m2m:apis": {
            "billing": {
                "identifier": f"https://api.{prefix}.test/billing",
                "name": f"{prefix} API",
                "scopes": {"read:invoices": "Read invoices"},
            }
        },
        "auth0-m2m:integrations": integrations,
    }
    if organization:
        config["auth0-m2m:organizations"] = {"acme": {"display_name": "Acme Inc"}}
        integrations[f"{prefix}-0"]["organization"] = "acme"
    return config


PACED = {**_config("paced", organization=True), "auth0-m2m:rate_limit": f"{RATE:g}/{BURST:g}"}


@pytest.fixture(scope="module")
def env_file(tenant: TenantServer) -> Path:
    """The tenant's `env` file, as `auth0-m2m tenant serve` writes it."""
    require_engine("pulumi-language-python")
    assert tenant.state_dir is not None
    return write_shell_env(tenant.state_dir, tenant.ca_file)


@pytest.fixture(scope="module", autouse=True)
def limited(tenant: TenantServer) -> None:
    """The tenant at RATE requests/s, bursts of BURST, for the whole module."""
    context = ssl.create_default_context(cafile=str(tenant.ca_file))
    url = f"https://{tenant.domain}/__tenant/rate-limit"
    httpx.put(url, json={"spec": f"{RATE:g}/{BURST:g}"}, verify=context).raise_for_status()


def _full_bucket() -> None:
    """Let the tenant's bucket (and the next run's pacer) start full."""
    time.sleep(BURST / RATE + 0.5)


def _steps(preview_json: str) -> Counter[tuple[str, str]]:
    """(type, op) of the steps a `pulumi preview --json` plans for Auth0 resources."""
    steps = json.loads(preview_json).get("steps", [])
    return Counter(
        (s["newState"]["type"], s["op"])
        for s in steps
        if s["op"] in ("create", "update") and s["newState"]["type"].startswith("auth0:index/")
    )


def _reserved(steps: Counter[tuple[str, str]]) -> int:
    return sum(management_calls(type_, op, None) * n for (type_, op), n in steps.items())


def _paced_run(project: Project, env_file: Path, stats: TenantStats) -> tuple[int, float, dict[str, Any]]:
    """Preview (to learn the steps), then a plain `pulumi up`; calls reserved, seconds, counters."""
    preview = project.pulumi("preview", "--stack", STACK, "--json", source=env_file)
    reserved = _reserved(_steps(preview.stdout))
    _full_bucket()
    stats.reset()
    started = time.monotonic()
    project.pulumi("up", "--stack", STACK, "--yes", "--skip-preview", source=env_file)
    return reserved, time.monotonic() - started, stats.read()


def _least_seconds(calls: int) -> float:
    """The shortest time the pacer can take for `calls`: all but its starting tokens at RATE."""
    return max(0.0, calls - RatePacer(RATE, BURST).capacity) / RATE


def test_a_paced_plain_up_creates_everything_without_a_429(
    project: Project, env_file: Path, stats: TenantStats
) -> None:
    project.write_stack(STACK, PACED)
    project.pulumi("stack", "select", "--create", "--stack", STACK, source=env_file)
    reserved, seconds, counters = _paced_run(project, env_file, stats)
    assert counters["rate_limited"] == 0, counters["by_status"]
    assert reserved == 2 + 3 + 2 + 4 * 8 + 2  # API and scopes, organization, 4 apps, 1 link
    assert counters["total"] == reserved, counters["by_route"]
    assert seconds >= _least_seconds(reserved) * 0.95, seconds


def test_a_paced_update_stays_under_the_limit(project: Project, env_file: Path, stats: TenantStats) -> None:
    changed = copy.deepcopy(PACED)
    for integration in changed["auth0-m2m:integrations"].values():
        integration["description"] = "v2"
    project.write_stack(STACK, changed)
    reserved, seconds, counters = _paced_run(project, env_file, stats)
    assert reserved == 4 * 3  # four apps updated in place
    assert counters["rate_limited"] == 0, counters["by_status"]
    # The table holds an update's most calls (a nulls PATCH goes only when a field was removed).
    assert counters["by_route"] == {"PATCH /api/v2/clients/{id}": 4, "GET /api/v2/clients/{id}": 4}


def test_without_the_key_the_same_kind_of_up_hits_the_limit(project: Project, stats: TenantStats) -> None:
    project.write_stack("control", _config("control", organization=False))
    _full_bucket()
    stats.reset()
    project.up("control")
    counters = stats.read()
    assert counters["rate_limited"] > 0, counters["by_status"]


def test_a_paced_stack_destroys_without_the_program(
    project: Project, env_file: Path, view: TenantView
) -> None:
    """The hooks in the state are create and update hooks only: `pulumi destroy`, which does not run
    the program (so registers no hook), deletes everything (a delete hook would fail it)."""
    project.pulumi("destroy", "--stack", STACK, "--yes", source=env_file)
    assert not [c for c in view.clients() if c["name"].startswith("paced-")]
    assert not [a for a in view.apis() if "paced" in a["identifier"]]
