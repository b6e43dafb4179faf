"""A stack's life with plain `pulumi` commands in a project copy, as a user runs them from a shell.

The Python language host from `make engine` runs `__main__.py`, the same program the `auth0-m2m`
commands run inline. The stack is named `local`, so the program finds the tenant by itself through
the env file the tenant's state dir holds (`. .tenant/env`: its CA, the local passphrase and where
`bootstrap-client.json` is). Steps run in file order on one stack: up, no-op up with 0 writes (the
tenant's own stats), in-place change, drift shown by `preview --refresh` and repaired, secrets absent
from state and output, destroy. Without the language host the tests skip, and fail in CI.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from auth0.management import ManagementClient
from e2e_harness import Project, TenantStats, TenantView, require_engine

from auth0_m2m.project import write_shell_env
from auth0_m2m.tenant import TenantServer

pytestmark = pytest.mark.e2e

STACK = "local"
API = "https://api.plain.test/billing"
CONFIG: dict[str, Any] = {
    "auth0:domain": "localhost:8443",  # the program uses the running tenant's address instead
    "auth0-m2m:apis": {
        "billing": {
            "identifier": API,
            "name": "Billing API",
            "scopes": {"read:invoices": "Read invoices", "write:invoices": "Create invoices"},
        }
    },
    "auth0-m2m:organizations": {"acme": {"display_name": "Acme Inc"}},
    "auth0-m2m:integrations": {
        "nango-billing": {"api": "billing", "scopes": ["read:invoices"], "organization": "acme"},
        "reporting": {"api": "billing", "scopes": ["read:invoices"], "auth_method": "client_secret_basic"},
    },
}


@pytest.fixture(scope="module")
def env_file(tenant: TenantServer) -> Path:
    """The tenant's `env` file, as `auth0-m2m tenant serve` writes it."""
    require_engine("pulumi-language-python")
    assert tenant.state_dir is not None
    return write_shell_env(tenant.state_dir, tenant.ca_file)


@pytest.fixture(scope="module")
def deployed(project: Project, env_file: Path) -> dict[str, Any]:
    project.write_stack(STACK, CONFIG)
    project.pulumi("stack", "select", "--create", "--stack", STACK, source=env_file)
    done = project.pulumi("up", "--stack", STACK, "--yes", source=env_file)
    assert "created" in done.stdout, done.stdout[-2000:]
    # The auth0 plugin comes from the copy's plugin cache (scratch_project installs the stand-in), not PATH.
    assert "from $PATH" not in done.stdout + done.stderr, done.stdout[-2000:]
    return outputs(project, env_file)


def outputs(project: Project, env_file: Path) -> dict[str, Any]:
    """The stack's outputs with secrets revealed (kept in memory only)."""
    shown = project.pulumi("stack", "output", "--stack", STACK, "--json", "--show-secrets", source=env_file)
    project.log.pop(-2)  # the revealed secrets are not part of what the engine printed
    data: dict[str, Any] = json.loads(shown.stdout)
    return data


def test_up_runs_the_program_and_creates_the_declared_objects(
    deployed: dict[str, Any], view: TenantView
) -> None:
    clients = {c["name"]: c for c in view.clients()}
    assert sorted(clients) == ["nango-billing", "reporting"]
    assert {c["token_endpoint_auth_method"] for c in clients.values()} == {
        "client_secret_post",
        "client_secret_basic",
    }
    (api,) = view.apis()
    assert api["identifier"] == API
    (org,) = view.organizations()
    integrations = deployed["integrations"]
    assert integrations["nango-billing"]["client_id"] == clients["nango-billing"]["client_id"]
    assert integrations["nango-billing"]["organization_id"] == org["id"]
    assert integrations["reporting"]["hostname"].startswith("localhost:")
    assert integrations["reporting"]["audience"] == API


def test_second_up_is_a_no_op_with_zero_writes(
    deployed: dict[str, Any], project: Project, env_file: Path, stats: TenantStats
) -> None:
    stats.reset()
    done = project.pulumi("up", "--stack", STACK, "--yes", source=env_file)
    assert stats.read()["writes"] == 0
    assert "unchanged" in done.stdout
    assert "created" not in done.stdout and "updated" not in done.stdout


def test_config_change_updates_in_place(
    deployed: dict[str, Any], project: Project, env_file: Path, view: TenantView
) -> None:
    before = {c["name"]: c["client_id"] for c in view.clients()}
    config = copy.deepcopy(CONFIG)
    config["auth0-m2m:integrations"]["reporting"]["scopes"].append("write:invoices")
    project.write_stack(STACK, config)
    done = project.pulumi("up", "--stack", STACK, "--yes", source=env_file)
    assert "updated" in done.stdout and "replaced" not in done.stdout and "deleted" not in done.stdout
    after = {c["name"]: c["client_id"] for c in view.clients()}
    assert after == before
    grant = next(g for g in view.grants() if g["client_id"] == after["reporting"])
    assert sorted(grant["scope"]) == ["read:invoices", "write:invoices"]


def test_drift_shows_in_preview_refresh_and_up_repairs_it(
    deployed: dict[str, Any], project: Project, env_file: Path, view: TenantView, mgmt: ManagementClient
) -> None:
    reporting = next(c["client_id"] for c in view.clients() if c["name"] == "reporting")
    grant = next(g for g in view.grants() if g["client_id"] == reporting)
    mgmt.client_grants.update(grant["id"], scope=["read:invoices"])  # out of band, as a person would
    preview = project.pulumi("preview", "--stack", STACK, "--refresh", "--diff", source=env_file)
    assert "write:invoices" in preview.stdout and "1 to update" in preview.stdout, preview.stdout[-2000:]
    project.pulumi("up", "--stack", STACK, "--refresh", "--yes", source=env_file)
    grant = next(g for g in view.grants() if g["id"] == grant["id"])
    assert sorted(grant["scope"]) == ["read:invoices", "write:invoices"]
    clean = project.pulumi("preview", "--stack", STACK, "--refresh", "--expect-no-changes", source=env_file)
    assert clean.returncode == 0


def test_client_secrets_never_appear_in_state_or_output(
    deployed: dict[str, Any], project: Project, env_file: Path
) -> None:
    shown = project.pulumi("stack", "output", "--stack", STACK, source=env_file)
    assert "[secret]" in shown.stdout
    secrets = [v["client_secret"] for v in deployed["integrations"].values()]
    assert len(secrets) == 2 and all(len(s) >= 32 for s in secrets)
    texts = {"state files": project.state_text(), "pulumi output": "\n".join(project.log)}
    for where, text in texts.items():
        for secret in secrets:
            assert secret not in text, f"a client secret appears in plaintext in the {where}"


def test_destroy_leaves_nothing(
    deployed: dict[str, Any], project: Project, env_file: Path, view: TenantView
) -> None:
    project.pulumi("destroy", "--stack", STACK, "--yes", source=env_file)
    assert view.clients() == []
    assert view.apis() == []
    assert view.grants() == []
    assert view.organizations() == []
