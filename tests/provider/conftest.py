"""Fixtures for the stand-in provider tests: a scripted tenant, a config, a client factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from provider_scripted_auth0 import DOMAIN, ScriptedAuth0

from auth0_m2m.provider._client import ManagementClient
from auth0_m2m.provider._config import ProviderConfig


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
