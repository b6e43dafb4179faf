"""What `make engine` exposes: the pinned pulumi, the cache reuse, the auth0 plugin, the env file."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.engine.conftest import Engine

pytestmark = pytest.mark.engine

WARM_SECONDS_LIMIT = 30


def _output(args: list[str], **kwargs: Any) -> str:
    """Stdout of a command the test itself spelled out (no untrusted input)."""
    done = subprocess.run(args, capture_output=True, text=True, check=True, timeout=60, **kwargs)  # noqa: S603
    return str(done.stdout)


def _run_make_engine(engine: Engine) -> tuple[str, float]:
    """Run `make engine` against the same cache the current engine came from; return output and seconds."""
    env = dict(os.environ)
    if engine.pulumi_source == "built":
        # <cache>/pulumi-v<version>/bin/pulumi: keep using the cache that built it, whatever the shell says.
        env["AUTH0_M2M_ENGINE_CACHE"] = str(engine.pulumi_path.parents[2])
    started = time.monotonic()
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "engine"],  # noqa: S607 (make comes from PATH, as in a developer shell)
        cwd=engine.repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # an unexpected rebuild must not outlive the test
        proc.communicate()
        pytest.fail("second `make engine` took over 300 s: it rebuilt instead of reusing the cache")
    assert proc.returncode == 0, output
    return output, time.monotonic() - started


def test_pulumi_version_is_the_pinned_one(engine: Engine) -> None:
    out = _output([str(engine.pulumi), "version"]).strip()

    if engine.pulumi_source == "built":
        assert out == f"v{engine.versions['PULUMI_VERSION']}"
    else:
        minimum = tuple(int(p) for p in engine.versions["PULUMI_MIN_VERSION"].split("."))
        assert tuple(int(p) for p in out.lstrip("v").split("-")[0].split(".")) >= minimum, out


def test_second_make_engine_reuses_the_cache(engine: Engine) -> None:
    target = engine.pulumi.resolve()
    before = target.stat()

    output, seconds = _run_make_engine(engine)

    after = target.stat()
    assert "go build" not in output, output
    assert "warm: nothing built" in output, output
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert seconds < WARM_SECONDS_LIMIT, f"warm `make engine` took {seconds:.1f}s"


def test_auth0_plugin_is_executable(engine: Engine) -> None:
    assert os.access(engine.provider, os.X_OK), engine.provider

    if engine.provider_kind == "standin":
        text = engine.provider.read_text()
        assert text.startswith("#!/bin/sh\n# auth0-m2m STAND-IN")
        assert f"exec {engine.repo}/.venv/bin/python -m auth0_m2m.provider" in text
        home = Path(os.environ.get("PULUMI_HOME") or engine.repo / ".pulumi-home")
        version = engine.versions["AUTH0_PROVIDER_VERSION"]
        assert (
            engine.provider
            == home.resolve() / "plugins" / f"resource-auth0-v{version}" / engine.provider.name
        )
        # Not on PATH: an ambient plugin makes every pulumi run warn "using pulumi-resource-auth0 from $PATH".
        assert not (engine.bin_dir / "pulumi-resource-auth0").exists()
    else:
        assert engine.provider.resolve().is_file()


def test_env_file_sets_offline_defaults(engine: Engine) -> None:
    script = (
        ". .engine/env && command -v pulumi && echo $PULUMI_SKIP_UPDATE_CHECK "
        "$PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION $PULUMI_HOME $PULUMI_BACKEND_URL"
    )
    clean = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root")}

    out = _output(["/bin/bash", "-c", script], cwd=engine.repo, env=clean).split()

    assert out == [
        str(engine.pulumi),
        "true",
        "true",
        f"{engine.repo}/.pulumi-home",
        f"file://{engine.repo}/.state",
    ]
