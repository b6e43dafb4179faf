"""What the packaging tests share: the built distribution, a fresh venv with the wheel, and `run`.

Used by `conftest.py` (fixtures) and the tests of this folder; it has no fixtures of its own. A
`WheelVenv` is a venv made in a temporary folder outside the repository with only the wheel (and its
dependencies, from the package index through pip's cache) installed, and an environment with neither
the repository's venv nor its engine on PATH, nor PYTHONPATH.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Dist:
    """The files `python -m build` made."""

    wheel: Path
    sdist: Path


@dataclass(frozen=True)
class WheelVenv:
    """A fresh venv outside the repository with the wheel installed."""

    bin: Path
    env: dict[str, str]
    """The environment to run its programs in: the venv first on PATH, nothing of the repository."""


def run(args: list[str | Path], *, timeout: float, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a program to completion, capturing its output as text."""
    return subprocess.run(  # noqa: S603 - our own interpreter, console scripts and the built engine
        [str(a) for a in args], capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )


def outside_repo(path: Path) -> None:
    """Fail when `path` lies inside the repository (the point is to be where users are)."""
    assert not path.resolve().is_relative_to(REPO), f"{path} is inside the repository"


def build_dist(out: Path) -> Dist:
    """`python -m build` of the repository into `out`: the sdist, and the wheel built from it."""
    built = run([sys.executable, "-m", "build", "--outdir", out, REPO], timeout=600, cwd=REPO)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = out.glob("auth0_m2m-*.whl")
    (sdist,) = out.glob("auth0_m2m-*.tar.gz")
    return Dist(wheel=wheel, sdist=sdist)


def make_wheel_venv(root: Path, wheel: Path) -> WheelVenv:
    """A venv in `root/venv` with `wheel` installed, and the environment to use it in."""
    outside_repo(root)
    venv = root / "venv"
    made = run([sys.executable, "-m", "venv", venv], timeout=300)
    assert made.returncode == 0, made.stderr
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    pip = run(
        [venv / "bin" / "python", "-m", "pip", "install", "-q", "--no-compile", wheel], timeout=900, env=env
    )
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    return WheelVenv(bin=venv / "bin", env=env)


@contextmanager
def serve_tenant(
    bin_dir: Path, state_dir: Path, *, cwd: Path, env: dict[str, str]
) -> Iterator[dict[str, str]]:
    """`auth0-m2m tenant serve --json` of a venv on a free port until the block ends, then SIGTERM.

    Yields the ready line, parsed (domain, ca_file and the bootstrap client's credentials); fails the
    test without showing that line, which holds the bootstrap secret, when it is not JSON. Asserts
    the tenant stops cleanly (exit 0).
    """
    command = [bin_dir / "auth0-m2m", "tenant", "serve", "--json", "--port", "0", "--state-dir", state_dir]
    with subprocess.Popen(  # noqa: S603 - the installed console script
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(process.stdout, selectors.EVENT_READ)
                ready = selector.select(timeout=120)
            line = process.stdout.readline() if ready else ""
            if not line:
                process.kill()
                code, errors = process.wait(), process.stderr.read()[-2000:]
                pytest.fail(f"tenant serve printed no ready line; exit {code}: {errors}")
            try:
                info: dict[str, str] = json.loads(line)
            except json.JSONDecodeError:
                pytest.fail("tenant serve's first line is not JSON")  # the line itself holds the secret
            yield info
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=60) == 0, process.stderr.read()[-2000:]
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
