"""Environments side by side: two stacks on one tenant keep to their own objects; GitOps targets run.

`dev` and `staging` are declared on the same tenant (as a team with one sandbox tenant would), each
with its own API and organization. Each stack only ever touches what it created: destroying `dev`
leaves `staging` whole and its preview clean. The GitOps make targets (`gitops-check`,
`gitops-preview`, `gitops-up`) are run as a CI job would run them (plain `pulumi`, as the workflow's
pulumi/actions steps), on the project's `local` stack, pointed at this module's tenant and a temporary
backend.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import ENGINE_BIN, REPO, Project, TenantStats, TenantView, require_engine

from auth0_m2m.project import write_shell_env
from auth0_m2m.provider import install_standin_plugin
from auth0_m2m.tenant import TenantServer

pytestmark = pytest.mark.e2e


def environment(env: str) -> dict[str, Any]:
    """A stack config for `env`, with its own API identifier and organization name."""
    return {
        "auth0:domain": "placeholder.example.com",
        "auth0-m2m:apis": {
            "billing": {
                "identifier": f"https://api.{env}.test/billing",
                "scopes": {"read:invoices": "Read invoices", "write:invoices": "Create invoices"},
            }
        },
        "auth0-m2m:organizations": {"acme": {"name": f"acme-{env}", "display_name": f"Acme ({env})"}},
        "auth0-m2m:integrations": {
            "nango-billing": {
                "api": "billing",
                "scopes": ["read:invoices"],
                "organization": "acme",
                "organization_usage": "require",
            }
        },
    }


@pytest.fixture(scope="module")
def both(project: Project) -> dict[str, dict[str, Any]]:
    outputs = {}
    for env in ("dev", "staging"):
        project.write_stack(env, environment(env))
        result = project.up(env)
        outputs[env] = result.outputs["integrations"].value["nango-billing"]
    return outputs


def test_each_stack_has_its_own_objects(both: dict[str, dict[str, Any]], view: TenantView) -> None:
    assert both["dev"]["client_id"] != both["staging"]["client_id"]
    assert {a["identifier"] for a in view.apis()} == {
        "https://api.dev.test/billing",
        "https://api.staging.test/billing",
    }
    assert {o["name"] for o in view.organizations()} == {"acme-dev", "acme-staging"}
    assert len(view.clients()) == 2
    assert len(view.grants()) == 2


def test_destroying_one_stack_leaves_the_other_whole(
    both: dict[str, dict[str, Any]], project: Project, view: TenantView, stats: TenantStats
) -> None:
    project.stack("dev").destroy(color="never")
    assert [c["client_id"] for c in view.clients()] == [both["staging"]["client_id"]]
    assert {a["identifier"] for a in view.apis()} == {"https://api.staging.test/billing"}
    assert {o["name"] for o in view.organizations()} == {"acme-staging"}
    stats.reset()
    preview = project.stack("staging").preview(refresh=True, color="never")
    assert set(preview.change_summary) == {"same"}, preview.change_summary
    assert stats.read()["writes"] == 0


def test_gitops_targets_check_preview_and_up_the_local_stack(tenant: TenantServer, tmp_path: Path) -> None:
    """The targets run plain `pulumi` as the workflow's pulumi/actions steps do, after `. <tenant>/env`."""
    require_engine("pulumi-language-python")
    assert tenant.state_dir is not None
    write_shell_env(tenant.state_dir, tenant.ca_file)  # as `auth0-m2m tenant serve` does on start
    install_standin_plugin(tmp_path / "pulumi-home")  # as make engine does for the project's PULUMI_HOME
    env = {
        **os.environ,
        "PATH": f"{ENGINE_BIN}{os.pathsep}{os.environ['PATH']}",
        "AUTH0_M2M_TENANT_STATE_DIR": str(tenant.state_dir),
        "PULUMI_BACKEND_URL": tmp_path.as_uri(),
        "PULUMI_HOME": str(tmp_path / "pulumi-home"),
    }
    env.pop("PULUMI_CONFIG_PASSPHRASE", None)  # the env file brings the local stack's documented passphrase
    for target in ("gitops-check", "gitops-preview", "gitops-up", "gitops-preview"):
        done = subprocess.run(  # noqa: S603 - make with fixed arguments
            ["make", "--no-print-directory", target, "STACK=local"],  # noqa: S607 - make from PATH, as CI runs it
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"make {target} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "pulumi preview --stack local --refresh" in done.stdout  # plain pulumi, as the workflow runs it
    assert "Resources:" in done.stdout
    assert "from $PATH" not in done.stdout + done.stderr  # the plugin comes from the plugin cache
    assert "to create" not in done.stdout and "to update" not in done.stdout
