"""Fixtures for the stand-in provider tests: a scripted tenant, a config, a client factory, and for
the engine tests the pulumi binary, a local tenant and Automation API workspace options."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from provider_scripted_auth0 import DOMAIN, ScriptedAuth0
from pulumi import automation as auto

from auth0_m2m.provider._client import ManagementClient
from auth0_m2m.provider._config import ProviderConfig
from auth0_m2m.provider._install import install_standin_plugin
from auth0_m2m.tenant import TenantServer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def auth0() -> ScriptedAuth0:
    """A fresh scripted tenant."""
    return ScriptedAuth0()


@pytest.fixture
def config() -> ProviderConfig:
    """A provider configuration with client credentials."""
    return ProviderConfig(domain=DOMAIN, client_id="deployer", client_secret="deployer-secret")


async def _no_sleep(_: float) -> None:
    return None


@pytest.fixture
def api_factory(auth0: ScriptedAuth0, config: ProviderConfig) -> Callable[..., ManagementClient]:
    """Build a ManagementClient over the scripted tenant (no real sleeping)."""

    def make(**kwargs: Any) -> ManagementClient:
        kwargs.setdefault("sleep", _no_sleep)
        return ManagementClient(
            kwargs.pop("config", config), transport=httpx.MockTransport(auth0.handler), **kwargs
        )

    return make


@pytest.fixture
def anyio_backend() -> str:
    """Run the async tests on asyncio (the engine-facing server uses asyncio)."""
    return "asyncio"


def find_pulumi() -> Path | None:
    """The engine: .engine/bin, then the trial build, then PATH."""
    for candidate in (REPO / ".engine" / "bin" / "pulumi", Path("/tmp/clibuild/bin/pulumi")):  # noqa: S108
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("pulumi")
    return Path(found) if found else None


@pytest.fixture(scope="module")
def pulumi_bin() -> Path:
    """The pulumi binary, or a skip (a failure in CI) naming where it was looked for."""
    found = find_pulumi()
    if found is None:
        reason = "no pulumi binary in .engine/bin, /tmp/clibuild/bin or PATH: run `make engine`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def tenant() -> Iterator[TenantServer]:
    """A local tenant over HTTPS on a free port."""
    with TenantServer() as server:
        yield server


@pytest.fixture
def workspace(tmp_path: Path, pulumi_bin: Path, tenant: TenantServer) -> auto.LocalWorkspaceOptions:
    """Workspace options: file backend, passphrase, the stand-in in the plugin cache, tenant env.

    Ambient plugins are ignored, so the engine runs this stand-in even where a real
    pulumi-resource-auth0 is on PATH (an upstream plugin that `make engine` linked into .engine/bin).
    """
    install_standin_plugin(tmp_path / "home", sys.executable)
    (tmp_path / "state").mkdir()
    env = {
        "PATH": f"{pulumi_bin.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PULUMI_HOME": str(tmp_path / "home"),
        "PULUMI_IGNORE_AMBIENT_PLUGINS": "true",
        "PULUMI_CONFIG_PASSPHRASE": "e2e-passphrase",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "SSL_CERT_FILE": str(tenant.ca_file),
        "AUTH0_DOMAIN": tenant.domain,
        "AUTH0_CLIENT_ID": tenant.bootstrap_client_id,
        "AUTH0_CLIENT_SECRET": tenant.bootstrap_client_secret.get_secret_value(),
    }
    return auto.LocalWorkspaceOptions(
        env_vars=env,
        pulumi_command=auto.PulumiCommand(str(pulumi_bin.parent.parent), skip_version_check=True),
        project_settings=auto.ProjectSettings(
            name="provider-e2e",
            runtime="python",
            backend=auto.ProjectBackend(url=f"file://{tmp_path / 'state'}"),
        ),
    )
