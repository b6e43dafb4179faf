"""What the packaging tests share: the built distribution, a fresh venv with the wheel, and `run`.

Used by `conftest.py` (fixtures) and the tests of this folder; it has no fixtures of its own. A
`WheelVenv` is a venv made in a temporary folder outside the repository with only the wheel (and its
dependencies, from the package index through pip's cache) installed, and an environment with neither
the repository's venv nor its engine on PATH, nor PYTHONPATH.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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
