"""The Python language host from `make engine`: plain `pulumi` runs the project's `__main__.py`.

The CLI v3.274.1 starts `pulumi-language-python` (found beside the real `pulumi`, or on PATH); where
no Pulumi install brings one, `make engine` builds v3.79.0 from the sdk/v3 module and exposes it
through a launcher that passes the project's `runtime.options.virtualenv` (the 2023 host takes it as
a flag the CLI no longer passes). These tests run plain `pulumi` in a copy of the project, no tenant:
a preview of the `dev` stack plans the declared resources (with no "using pulumi-resource-auth0 from
$PATH" warning: the stand-in is in the copy's plugin cache), `pulumi about` names the host and the
project's interpreter, and a project whose virtualenv lacks the SDK fails with the host's hint.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from auth0_m2m.workspace import scratch_project
from tests.engine.conftest import REPO, Engine, in_ci, parse_assignments

pytestmark = pytest.mark.engine

HOST = "pulumi-language-python"


@pytest.fixture(scope="module")
def host(engine: Engine) -> Path:
    """The exposed language host; a missing one fails in CI (plain `pulumi up` is the main path)."""
    path = engine.bin_dir / HOST
    if not path.exists():
        reason = f"{path} missing: run `make engine`"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def copy_project(root: Path) -> Path:
    """A scratch copy of the project (`workspace.scratch_project`) in `root`, with its dev stack file.

    Its `.venv` links to the running interpreter's environment unless `root/.venv` exists already.
    """
    root.mkdir(parents=True, exist_ok=True)
    scratch_project(root, passphrase="preview-only")
    shutil.copy(REPO / "stacks" / "Pulumi.dev.yaml", root / "stacks" / "Pulumi.dev.yaml")
    return root


def pulumi(engine: Engine, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Plain `pulumi ARGS` in `root`, offline: any attempt to leave the machine fails the run."""
    env = {
        **os.environ,
        "PATH": f"{engine.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PULUMI_BACKEND_URL": (root / "state").as_uri(),
        "PULUMI_CONFIG_PASSPHRASE": "preview-only",
        "PULUMI_HOME": str(root / "pulumi-home"),
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "AUTH0_CLIENT_ID": "preview-only",
        "AUTH0_CLIENT_SECRET": "preview-only",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    return subprocess.run(  # noqa: S603 - our engine, fixed arguments
        [str(engine.pulumi), *args, "--non-interactive", "--color", "never"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_host_is_exposed_with_its_executor(engine: Engine, host: Path) -> None:
    recorded = parse_assignments(engine.repo / ".engine" / "env")
    assert os.access(host, os.X_OK)
    if recorded["AUTH0_M2M_ENGINE_HOST_SOURCE"] == "built":
        built = Path(recorded["AUTH0_M2M_ENGINE_HOST_PATH"])
        assert built.name == HOST and os.access(built, os.X_OK)
        assert os.access(built.parent / f"{HOST}-exec", os.X_OK), "the host needs its -exec script beside it"
        launcher = host.resolve()
        if engine.pulumi_source == "built":  # beside the real pulumi: the CLI finds it without a warning
            assert launcher.parent == engine.pulumi.resolve().parent
        assert f"host={built}" in launcher.read_text()


def test_plain_preview_of_the_dev_stack_plans_the_declared_resources(
    engine: Engine, host: Path, tmp_path: Path
) -> None:
    root = copy_project(tmp_path)
    assert pulumi(engine, root, "stack", "init", "dev").returncode == 0

    done = pulumi(engine, root, "preview", "--stack", "dev", "--json")

    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    # The auth0 plugin comes from the copy's plugin cache (scratch_project installs the stand-in), not PATH.
    assert "from $PATH" not in done.stdout + done.stderr, done.stdout[-3000:] + done.stderr[-3000:]
    steps = json.loads(done.stdout)["steps"]
    assert {s["op"] for s in steps} == {"create"}
    kinds = Counter(s["urn"].split("::")[2].split("$")[-1] for s in steps)
    config = yaml.safe_load((REPO / "stacks" / "Pulumi.dev.yaml").read_text())["config"]
    integrations = len(config["auth0-m2m:integrations"])
    assert kinds["auth0:index/client:Client"] == integrations
    assert kinds["auth0:index/clientCredentials:ClientCredentials"] == integrations
    assert kinds["auth0:index/clientGrant:ClientGrant"] == integrations
    assert kinds["auth0:index/resourceServer:ResourceServer"] == len(config["auth0-m2m:apis"])
    assert kinds["pulumi:providers:auth0"] == 1


def test_about_names_the_host_and_the_projects_interpreter(
    engine: Engine, host: Path, tmp_path: Path
) -> None:
    root = copy_project(tmp_path)
    pulumi(engine, root, "stack", "init", "dev")

    done = pulumi(engine, root, "about", "--stack", "dev")

    assert done.returncode == 0, done.stderr[-3000:]
    assert "language  python" in done.stdout, done.stdout
    assert f"executable='{root / '.venv' / 'bin'}" in done.stdout, done.stdout


def test_a_virtualenv_without_the_sdk_fails_with_the_hosts_hint(
    engine: Engine, host: Path, tmp_path: Path
) -> None:
    root = tmp_path / "project"
    subprocess.run([sys.executable, "-m", "venv", str(root / ".venv")], check=True)  # noqa: S603
    copy_project(root)
    pulumi(engine, root, "stack", "init", "dev")

    done = pulumi(engine, root, "preview", "--stack", "dev")

    assert done.returncode != 0
    assert "No module named 'pulumi'" in done.stdout, done.stdout[-3000:]
    assert "pip install" in done.stdout
