"""Pulumi YAML with the component package: examples/yaml deployed by plain `pulumi up` on the real engine.

The example project (`runtime: yaml`, one `auth0-m2m:index:Integration` with its API and organization) is
copied into a temporary folder with its own file:// backend and plugin home, where the stand-in auth0
provider and the component package plugin are installed (`install_standin_plugin`,
`install_package_plugin`, as `make engine` does); `make engine`'s `pulumi` and YAML language host run it
against a local tenant, configured the plain Pulumi way (`auth0:domain` in the stack, the deployer's
credentials as AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET). Checked:
- `pulumi package get-schema auth0-m2m` answers with the `Integration` resource;
- `pulumi up` creates, then `pulumi preview` shows no change; no output and no state file holds the app's
  client secret;
- the tenant holds the same objects (API with its scopes, app, grant with the scopes, organization and its
  link) as the config-driven Python program makes for the same integration on a second tenant;
- `auth0-m2m outputs`, `verify`, `export --to json:` and `rotate` work on the YAML stack through the
  `integrations` contract; after the rotation the new secret verifies and `pulumi preview` shows no change.
Skipped without `make engine` (or without its YAML host); fails in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from auth0.management import ManagementClient
from e2e_harness import ENGINE_BIN, REPO, Project, TenantView, require_engine

from auth0_m2m.package import install_package_plugin
from auth0_m2m.provider import install_standin_plugin
from auth0_m2m.tenant import TenantServer, management_token

pytestmark = [pytest.mark.e2e]

EXAMPLE = REPO / "examples" / "yaml"
STACK = "yaml"
CONSOLE_SCRIPT = REPO / ".venv" / "bin" / "auth0-m2m"
# The example's integration, as the config-driven program's stack file says it.
PROGRAM_CONFIG: dict[str, Any] = {
    "auth0:domain": "placeholder.example.com",  # the workspace points the program at its tenant
    "auth0-m2m:apis": {
        "billing": {
            "identifier": "https://api.example.com/billing",
            "name": "Billing API",
            "scopes": {"read:invoices": "Read invoices", "write:invoices": "Create invoices"},
        }
    },
    "auth0-m2m:organizations": {"acme": {}},
    "auth0-m2m:integrations": {
        "billing-sync": {
            "api": "billing",
            "scopes": ["read:invoices"],
            "organization": "acme",
            "organization_usage": "require",
            "auth_method": "client_secret_post",
            "description": "Billing sync (Pulumi YAML)",
        }
    },
}
VOLATILE = {"id", "client_id", "client_secret", "signing_keys", "signing_secret", "organization_id"}
"""Fields that differ between two tenants for the same declaration (ids, secrets)."""


@dataclass
class YamlProject:
    """The example's copy, the environment plain `pulumi` runs with there, and what the runs printed."""

    root: Path
    env: dict[str, str]
    log: list[str]

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`ARGS` (pulumi, auth0-m2m) in the copy, as a user runs them from a shell."""
        done = subprocess.run(  # noqa: S603 - fixed commands: make engine's pulumi, our console script
            list(args), cwd=self.root, env=self.env, capture_output=True, text=True, timeout=600
        )
        self.log.extend((done.stdout, done.stderr))
        if check and done.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )
        return done


def _mgmt(server: TenantServer) -> Iterator[ManagementClient]:
    context = ssl.create_default_context(cafile=str(server.ca_file))
    with httpx.Client(verify=context, timeout=10) as http:
        yield ManagementClient(domain=server.domain, token=management_token(server.tenant), httpx_client=http)


@pytest.fixture(scope="module")
def yaml_project(tmp_path_factory: pytest.TempPathFactory, tenant: TenantServer) -> YamlProject:
    """The example deployed with plain `pulumi up --stack yaml` against the module's tenant."""
    require_engine("pulumi-language-yaml")
    root = tmp_path_factory.mktemp("yaml-example")
    shutil.copy(EXAMPLE / "Pulumi.yaml", root / "Pulumi.yaml")
    for folder in ("state", "pulumi-home"):
        (root / folder).mkdir(mode=0o700)
    install_standin_plugin(root / "pulumi-home", sys.executable)
    install_package_plugin(root / "pulumi-home", python=sys.executable)
    path = os.pathsep.join([str(ENGINE_BIN), str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {
        **os.environ,
        "PATH": path,
        "PULUMI_HOME": str(root / "pulumi-home"),
        "PULUMI_BACKEND_URL": (root / "state").as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": "yaml-e2e-only",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "SSL_CERT_FILE": str(tenant.ca_file),
        "REQUESTS_CA_BUNDLE": str(tenant.ca_file),
        "AUTH0_CLIENT_ID": tenant.bootstrap_client_id,
        "AUTH0_CLIENT_SECRET": tenant.bootstrap_client_secret.get_secret_value(),
    }
    env.pop("PULUMI_CONFIG", None)
    project = YamlProject(root=root, env=env, log=[])
    project.run("pulumi", "stack", "init", STACK, "--non-interactive")
    project.run("pulumi", "config", "set", "auth0:domain", tenant.domain)
    done = project.run("pulumi", "up", "--stack", STACK, "--yes", "--non-interactive", "--color", "never")
    assert "auth0-m2m:index:Integration" in done.stdout, done.stdout[-2000:]
    return project


@pytest.fixture(scope="module")
def python_twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[dict[str, Any]]]:
    """What the config-driven Python program makes for the same integration, on a tenant of its own."""
    require_engine()
    server = TenantServer(state_dir=tmp_path_factory.mktemp("twin-tenant"))
    server.start()
    try:
        project = Project.create(tmp_path_factory.mktemp("twin-project"), server)
        project.write_stack("twin", PROGRAM_CONFIG)
        project.up("twin")
        for mgmt in _mgmt(server):
            yield _objects(TenantView(mgmt, server))
    finally:
        server.stop()


def _strip(item: dict[str, Any]) -> dict[str, Any]:
    """`item` without the fields in VOLATILE; an API's scopes in name order (Auth0 keeps them as a set)."""
    kept = {k: v for k, v in item.items() if k not in VOLATILE}
    if isinstance(kept.get("scopes"), list) and all(isinstance(s, dict) for s in kept["scopes"]):
        kept["scopes"] = sorted(kept["scopes"], key=lambda scope: str(scope.get("value")))
    return kept


def _objects(view: TenantView) -> list[dict[str, Any]]:
    """The tenant's objects without ids, secrets and times: APIs, apps, grants, organizations and links."""
    organizations = view.organizations()
    return [
        {"apis": [_strip(a) for a in view.apis()]},
        {"clients": [_strip(c) for c in view.clients()]},
        {"grants": [_strip(g) for g in view.grants()]},
        {"organizations": [_strip(o) for o in organizations]},
        {"links": [len(view.organization_grants(o["id"])) for o in organizations]},
    ]


def test_get_schema_answers_with_the_integration(yaml_project: YamlProject) -> None:
    done = yaml_project.run("pulumi", "package", "get-schema", "auth0-m2m")

    schema = json.loads(done.stdout)
    assert schema["name"] == "auth0-m2m"
    assert list(schema["resources"]) == ["auth0-m2m:index:Integration"]


def test_a_second_preview_changes_nothing(yaml_project: YamlProject) -> None:
    done = yaml_project.run(
        "pulumi", "preview", "--stack", STACK, "--expect-no-changes", "--non-interactive", "--color", "never"
    )

    assert "warning: using pulumi-language-yaml from $PATH" not in done.stdout + done.stderr


def test_the_tenant_holds_what_the_python_program_makes(
    yaml_project: YamlProject, tenant: TenantServer, python_twin: list[dict[str, Any]]
) -> None:
    for mgmt in _mgmt(tenant):
        assert _objects(TenantView(mgmt, tenant)) == python_twin
        secret = TenantView(mgmt, tenant).clients()[0]["client_secret"]
    assert python_twin[0]["apis"] and python_twin[2]["grants"][0]["scope"] == ["read:invoices"]
    assert python_twin[4]["links"] == [1]
    state = "\n".join(
        p.read_text(errors="replace") for p in (yaml_project.root / "state").rglob("*") if p.is_file()
    )
    assert secret and secret not in state
    assert not any(secret in text for text in yaml_project.log)


def test_the_consumer_commands_serve_the_yaml_stack(yaml_project: YamlProject, tenant: TenantServer) -> None:
    shown = json.loads(yaml_project.run(str(CONSOLE_SCRIPT), "outputs", "--stack", STACK, "--json").stdout)
    verified = yaml_project.run(str(CONSOLE_SCRIPT), "verify", "--stack", STACK)

    entry = shown["billing-sync"] if "billing-sync" in shown else shown["integrations"]["billing-sync"]
    assert entry["hostname"] == tenant.domain
    assert entry["audience"] == "https://api.example.com/billing"
    assert entry["organization"] == "acme"
    assert entry["token_url"] == f"https://{tenant.domain}/oauth/token"
    assert verified.stdout.startswith("ok  billing-sync"), verified.stdout
    assert "Traceback" not in "".join(yaml_project.log)


def test_export_and_rotate_serve_the_yaml_stack(yaml_project: YamlProject, tmp_path: Path) -> None:
    target = tmp_path / "creds.json"
    yaml_project.run(str(CONSOLE_SCRIPT), "export", "--stack", STACK, "--to", f"json:{target}")
    before = json.loads(target.read_text())

    rotated = yaml_project.run(str(CONSOLE_SCRIPT), "rotate", "--stack", STACK, "-i", "billing-sync")

    assert rotated.stdout.startswith("rotated: billing-sync"), rotated.stdout
    yaml_project.run(str(CONSOLE_SCRIPT), "export", "--stack", STACK, "--to", f"json:{target}")
    after = json.loads(target.read_text())
    assert after["client_id"] == before["client_id"]
    assert after["client_secret"] and after["client_secret"] != before["client_secret"]
    assert yaml_project.run(str(CONSOLE_SCRIPT), "verify", "--stack", STACK).stdout.startswith(
        "ok  billing-sync"
    )
    yaml_project.run("pulumi", "preview", "--stack", STACK, "--expect-no-changes", "--non-interactive")
