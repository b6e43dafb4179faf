"""verify against the real local tenant over HTTPS: good credentials, revoked grant, wrong audience,
missing organization, organization claims, scope drift and a tampered signature.

Apps, APIs, grants and organizations are created through the tenant's Management API with
auth0-python's ManagementClient, its token obtained with auth0-python's GetToken.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from auth0.management import ManagementClient
from pydantic import SecretStr

from auth0_m2m.consumers import (
    AccessTokenError,
    RateLimiter,
    request_token,
    validate_access_token,
    verify_all,
    verify_integration,
)
from auth0_m2m.consumers._verify import _jwks_fetcher
from auth0_m2m.outputs import IntegrationOutputs
from auth0_m2m.tenant import TenantServer

Provisioned = Any  # conftest.Provisioned
SCOPES = ("read:invoices", "write:invoices")


def test_good_credentials_verify(server: TenantServer, provision: Callable[..., Provisioned]) -> None:
    result = verify_integration(provision().outputs, ca_file=server.ca_file)
    assert (result.ok, result.reason) == (True, "ok")
    assert result.latency > 0


def test_organization_credentials_verify(server: TenantServer, provision: Callable[..., Provisioned]) -> None:
    result = verify_integration(provision("require").outputs, ca_file=server.ca_file)
    assert (result.ok, result.reason) == (True, "ok")


def test_organization_given_by_id_verifies(
    server: TenantServer, provision: Callable[..., Provisioned]
) -> None:
    outputs = provision("require").outputs
    by_id = IntegrationOutputs(**{**outputs.__dict__, "organization": outputs.organization_id})
    assert verify_integration(by_id, ca_file=server.ca_file).reason == "ok"


def test_revoked_grant_fails(
    server: TenantServer, mgmt: ManagementClient, provision: Callable[..., Provisioned]
) -> None:
    made = provision()
    mgmt.client_grants.delete(made.grant_id)
    result = verify_integration(made.outputs, ca_file=server.ca_file)
    assert not result.ok
    assert result.reason == (
        "token request refused: access_denied: "
        f'Client is not authorized to access "{made.outputs.audience}". '
        'You need to create a "client-grant" associated to this API. '
        "See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants"
    )


def test_wrong_audience_fails(server: TenantServer, provision: Callable[..., Provisioned]) -> None:
    outputs = provision().outputs
    wrong = IntegrationOutputs(**{**outputs.__dict__, "audience": "https://nope.example.test/"})
    result = verify_integration(wrong, ca_file=server.ca_file)
    assert not result.ok
    assert (
        result.reason == "token request refused: access_denied: Service not found: https://nope.example.test/"
    )


def test_missing_organization_fails(server: TenantServer, provision: Callable[..., Provisioned]) -> None:
    outputs = provision("require").outputs
    without = IntegrationOutputs(**{**outputs.__dict__, "organization": None, "organization_id": None})
    result = verify_integration(without, ca_file=server.ca_file)
    assert not result.ok
    assert result.reason.startswith("token request refused: ")
    assert "An organization is required" in result.reason


def test_scope_drift_fails(server: TenantServer, provision: Callable[..., Provisioned]) -> None:
    outputs = provision(scopes=("read:invoices",)).outputs
    expecting_more = IntegrationOutputs(**{**outputs.__dict__, "scopes": SCOPES})
    result = verify_integration(expecting_more, ca_file=server.ca_file)
    assert (result.ok, result.reason) == (False, "scope mismatch: missing write:invoices")


def test_wrong_secret_fails(server: TenantServer, provision: Callable[..., Provisioned]) -> None:
    outputs = provision().outputs
    wrong = IntegrationOutputs(**{**outputs.__dict__, "client_secret": SecretStr("wrong-secret")})
    result = verify_integration(wrong, ca_file=server.ca_file)
    assert not result.ok
    assert result.reason == "token request refused: access_denied: Unauthorized"  # what Auth0 answers
    assert "wrong-secret" not in result.reason


def test_tampered_signature_fails_against_the_tenant_jwks(
    server: TenantServer, provision: Callable[..., Provisioned]
) -> None:
    outputs = provision().outputs
    with httpx.Client(verify=server.ssl_context(), timeout=10) as client:
        token = request_token(outputs, client=client).access_token.get_secret_value()
        jwks = _jwks_fetcher(client, None, None)
        assert validate_access_token(token, outputs, jwks)["azp"] == outputs.client_id
        header, payload, signature = token.split(".")
        flipped = "A" if signature[10] != "A" else "B"
        tampered = f"{header}.{payload}.{signature[:10]}{flipped}{signature[11:]}"
        with pytest.raises(AccessTokenError) as exc:
            validate_access_token(tampered, outputs, jwks)
    assert str(exc.value) == "signature invalid"


def test_untrusted_ca_is_reported(provision: Callable[..., Provisioned]) -> None:
    result = verify_integration(provision().outputs)
    assert not result.ok
    assert result.reason.startswith("token request failed: ConnectError: ")
    assert result.reason.endswith("(pass the tenant's CA with ca_file)")


def test_verify_all_checks_concurrently_in_order(
    server: TenantServer,
    mgmt: ManagementClient,
    provision: Callable[..., Provisioned],
    secret: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    good, org, revoked = provision(), provision("require"), provision()
    mgmt.client_grants.delete(revoked.grant_id)
    items = [good.outputs, org.outputs, revoked.outputs]
    results = verify_all(items, concurrency=3, ca_file=server.ca_file, limiter=RateLimiter(rate=50, burst=5))
    assert [r.name for r in results] == [i.name for i in items]
    assert [r.ok for r in results] == [True, True, False]
    for item in items:
        assert item.client_secret.get_secret_value() not in caplog.text
        assert all(item.client_secret.get_secret_value() not in r.reason for r in results)


def test_verify_all_reports_each_result_as_it_comes(
    server: TenantServer, provision: Callable[..., Provisioned]
) -> None:
    items = [provision().outputs, provision().outputs]
    seen: list[str] = []
    results = verify_all(items, ca_file=server.ca_file, on_result=lambda result: seen.append(result.name))
    assert sorted(seen) == sorted(item.name for item in items)
    assert [r.ok for r in results] == [True, True]
