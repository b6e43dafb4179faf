"""Fixtures for the local-tenant tests: one HTTPS tenant per session, reset before each test.

`server` is a real `TenantServer` on 127.0.0.1 (free port, in memory); `tenant` resets its objects,
stats, faults and rate limit through the control endpoints and returns it; `http` is an httpx client
trusting the tenant's CA; `mgmt` is auth0-python's `ManagementClient` with a token obtained over HTTPS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from auth0.management import ManagementClient
from auth0.management.core.request_options import RequestOptions

from auth0_m2m.tenant import TenantServer

NO_RETRY: RequestOptions = {"max_retries": 0}


@pytest.fixture(scope="session")
def server() -> Iterator[TenantServer]:
    with TenantServer() as srv:
        yield srv


@pytest.fixture
def http(server: TenantServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, verify=server.ssl_context(), timeout=10) as client:
        yield client


@pytest.fixture
def tenant(server: TenantServer, http: httpx.Client) -> TenantServer:
    for method, path in (
        ("POST", "/__tenant/reset"),
        ("DELETE", "/__tenant/stats"),
        ("DELETE", "/__tenant/faults"),
        ("DELETE", "/__tenant/rate-limit"),
    ):
        http.request(method, path).raise_for_status()
    return server


def fetch_token(http: httpx.Client, server: TenantServer, audience: str | None = None, **extra: str) -> str:
    """A token for the bootstrap client over HTTPS (form body, client_secret_post)."""
    form = {
        "grant_type": "client_credentials",
        "client_id": server.bootstrap_client_id,
        "client_secret": server.bootstrap_client_secret.get_secret_value(),
        "audience": audience or server.management_audience,
        **extra,
    }
    response = http.post("/oauth/token", data=form)
    response.raise_for_status()
    return str(response.json()["access_token"])


@pytest.fixture
def get_token(tenant: TenantServer, http: httpx.Client) -> Callable[..., str]:
    """`get_token(audience=None, **form)`: a bootstrap token over HTTPS."""
    return lambda audience=None, **extra: fetch_token(http, tenant, audience, **extra)


@pytest.fixture
def token(tenant: TenantServer, http: httpx.Client) -> str:
    return fetch_token(http, tenant)


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def mgmt(tenant: TenantServer, token: str) -> Iterator[ManagementClient]:
    with httpx.Client(verify=tenant.ssl_context(), timeout=10) as client:
        yield ManagementClient(domain=tenant.domain, token=token, httpx_client=client)
