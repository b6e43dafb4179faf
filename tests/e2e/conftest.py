"""Fixtures for end-to-end tests: the real engine, a local tenant over HTTPS, throwaway projects.

Every test here runs the `pulumi` CLI built by `make engine` (`.engine/bin`) and the `auth0` plugin
it chose, against a `TenantServer` on 127.0.0.1 that the fixture starts and stops, with the project's
one program run inline by the Automation API (see `e2e_harness`). Without an engine the tests are
skipped with the command to run, except in CI where they fail.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import httpx
import pytest
from auth0.management import ManagementClient
from e2e_harness import Project, TenantStats, TenantView, require_engine

from auth0_m2m.tenant import TenantServer, management_token


@pytest.fixture(scope="module")
def tenant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TenantServer]:
    """A local tenant over HTTPS with durable state in a temporary folder, for one test module."""
    require_engine()
    server = TenantServer(state_dir=tmp_path_factory.mktemp("tenant"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, tenant: TenantServer) -> Project:
    """One project copy per test module, sharing the module's tenant."""
    return Project.create(tmp_path_factory.mktemp("project"), tenant)


@pytest.fixture(scope="module")
def mgmt(tenant: TenantServer) -> Iterator[ManagementClient]:
    """auth0-python's Management client on the tenant, as an independent observer of what exists."""
    context = ssl.create_default_context(cafile=str(tenant.ca_file))
    with httpx.Client(verify=context, timeout=10) as http:
        yield ManagementClient(domain=tenant.domain, token=management_token(tenant.tenant), httpx_client=http)


@pytest.fixture(scope="module")
def view(mgmt: ManagementClient, tenant: TenantServer) -> TenantView:
    """The tenant's objects, without its own."""
    return TenantView(mgmt, tenant)


@pytest.fixture(scope="module")
def stats(tenant: TenantServer) -> TenantStats:
    """The module tenant's request counters."""
    return TenantStats(tenant)
