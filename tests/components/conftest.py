"""Fixtures for component tests: fresh `Auth0Mocks` (see auth0_mocks.py) and empty config for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pulumi
import pytest
from auth0_mocks import Auth0Mocks, RecordingMonitor


@pytest.fixture
def mocks(monkeypatch: pytest.MonkeyPatch, pulumi_event_loop: object) -> Iterator[Auth0Mocks]:
    """Fresh mocks and empty config for each test."""
    for name in ("AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "PULUMI_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    mocks = Auth0Mocks()
    mocks.monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_all_config({}, [])
    pulumi.runtime.set_mocks(mocks, project="auth0-m2m", stack="dev", preview=False, monitor=mocks.monitor)
    yield mocks
    pulumi.runtime.set_all_config({}, [])
