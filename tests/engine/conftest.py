"""Fixtures for the engine tests: what `make engine` exposed in .engine/, or a fail (CI) / skip (locally)."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pulumi import automation as auto

from auth0_m2m.provider import install_standin_plugin

REPO = Path(__file__).resolve().parents[2]
ENGINE_DIR = REPO / ".engine"
StackFactory = Callable[[Path, str, str, "auto.PulumiFn"], "auto.Stack"]
"""``(root, project, stack_name, program) -> Stack``: see ``_offline_stack``."""
_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")


@dataclass(frozen=True)
class Engine:
    """The binaries `make engine` chose, as recorded in .engine/env."""

    bin_dir: Path
    pulumi: Path
    provider: Path
    """The auth0 plugin pulumi runs: the stand-in in the plugin cache, or a real plugin linked in bin_dir."""
    pulumi_source: str
    """``built`` (from engine/cli, cached) or ``system`` (the user's own pulumi)."""
    pulumi_path: Path
    """Where .engine/bin/pulumi points."""
    provider_kind: str
    """``standin`` (our launcher for auth0_m2m.provider) or ``upstream`` (a real pulumi-resource-auth0)."""
    repo: Path
    versions: dict[str, str]
    """The pins from engine/versions.env (PULUMI_VERSION, AUTH0_PROVIDER_VERSION, PULUMI_MIN_VERSION)."""


def parse_assignments(path: Path) -> dict[str, str]:
    """Read plain ``KEY=value`` lines (shell-quoted values) from a generated shell file."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        match = _LINE.match(line)
        if match:
            words = shlex.split(match.group(2))
            values[match.group(1)] = words[0] if words else ""
    return values


def _offline_stack(engine: Engine, root: Path, project: str, name: str, program: auto.PulumiFn) -> auto.Stack:
    """An inline-program stack on ``root``/state (file:// backend, passphrase secrets), run by our engine.

    Every HTTP(S) proxy points at a closed port: the CLI may only talk to the in-process language runtime and
    plugins on loopback, so a run that reaches for the internet fails. Its own ``root``/pulumi-home has the
    stand-in in its plugin cache, as `make engine` installs it (a real plugin in ``bin_dir`` comes first).
    """
    backend = root / "state"
    backend.mkdir(parents=True, exist_ok=True)
    install_standin_plugin(root / "pulumi-home")
    url = f"file://{backend}"
    env = {
        "PATH": f"{engine.bin_dir}:{os.environ.get('PATH', '')}",
        "PULUMI_HOME": str(root / "pulumi-home"),
        "PULUMI_BACKEND_URL": url,
        "PULUMI_CONFIG_PASSPHRASE": "engine-test-passphrase",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    return auto.create_or_select_stack(
        stack_name=name,
        project_name=project,
        program=program,
        opts=auto.LocalWorkspaceOptions(
            pulumi_home=env["PULUMI_HOME"],
            pulumi_command=auto.PulumiCommand(root=str(engine.bin_dir.parent)),
            env_vars=env,
            secrets_provider="passphrase",
            project_settings=auto.ProjectSettings(
                name=project, runtime="python", backend=auto.ProjectBackend(url=url)
            ),
        ),
    )


def in_ci() -> bool:
    """True when running in CI, where a missing engine is a failure rather than a skip."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The engine exposed by `make engine`; fails in CI and skips elsewhere when it is missing."""
    env_file = ENGINE_DIR / "env"
    bin_dir = ENGINE_DIR / "bin"
    missing = [str(p.relative_to(REPO)) for p in (env_file, bin_dir / "pulumi") if not p.exists()]
    if missing:
        reason = f"engine missing ({', '.join(missing)}): run `make engine`"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    recorded = parse_assignments(env_file)
    return Engine(
        bin_dir=bin_dir,
        pulumi=bin_dir / "pulumi",
        provider=Path(recorded["AUTH0_M2M_ENGINE_PROVIDER_PATH"]),
        pulumi_source=recorded["AUTH0_M2M_ENGINE_PULUMI_SOURCE"],
        pulumi_path=Path(recorded["AUTH0_M2M_ENGINE_PULUMI_PATH"]),
        provider_kind=recorded["AUTH0_M2M_ENGINE_PROVIDER_KIND"],
        repo=REPO,
        versions=parse_assignments(REPO / "engine" / "versions.env"),
    )


@pytest.fixture(scope="session")
def offline_stack(engine: Engine) -> StackFactory:
    """Build inline-program stacks that run offline through the exposed engine (see ``_offline_stack``)."""

    def make(root: Path, project: str, name: str, program: auto.PulumiFn) -> auto.Stack:
        return _offline_stack(engine, root, project, name, program)

    return make
