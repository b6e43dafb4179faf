"""Fixtures of the packaging tests: one build of the distribution and one fresh venv per session."""

from __future__ import annotations

import pytest
from packaging_harness import Dist, WheelVenv, build_dist, make_wheel_venv


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """The sdist and wheel of the working tree."""
    return build_dist(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def wheel_venv(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> WheelVenv:
    """A fresh venv outside the repository with the wheel installed."""
    return make_wheel_venv(tmp_path_factory.mktemp("fresh-venv"), dist.wheel)
