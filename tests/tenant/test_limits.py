"""Rate limiting, fault injection, stats and the control endpoints."""

from __future__ import annotations

import time

import httpx
import pytest
from auth0.management import ManagementClient, TooManyRequestsError

from auth0_m2m.tenant import FaultSpec, RateLimit, TenantServer

from .conftest import NO_RETRY


def test_rate_limit_headers_on_every_management_response(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str]
) -> None:
    http.put("/__tenant/rate-limit", json={"spec": "5/10"}).raise_for_status()
    for response in (http.get("/api/v2/clients", headers=auth), http.get("/api/v2/clients")):
        assert response.headers["X-RateLimit-Limit"] == "10"
        assert int(response.headers["X-RateLimit-Remaining"]) <= 9
        assert int(response.headers["X-RateLimit-Reset"]) >= int(time.time())


def test_burst_exhausted_gives_auth0_429(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str]
) -> None:
    http.put("/__tenant/rate-limit", json={"rps": 0.5, "burst": 2}).raise_for_status()
    statuses = [http.get("/api/v2/clients", headers=auth) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    limited = statuses[2]
    assert limited.json() == {
        "statusCode": 429,
        "error": "Too Many Requests",
        "message": "Global limit has been reached",
        "errorCode": "too_many_requests",
    }
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert int(limited.headers["X-RateLimit-Reset"]) > time.time()
    assert http.get("/__tenant/stats").json()["rate_limited"] == 1


def test_auth0_python_raises_too_many_requests(
    tenant: TenantServer, mgmt: ManagementClient, http: httpx.Client
) -> None:
    http.put("/__tenant/rate-limit", json={"spec": "0.1/1"}).raise_for_status()
    mgmt.clients.list(request_options=NO_RETRY)
    with pytest.raises(TooManyRequestsError) as exc:
        mgmt.clients.list(request_options=NO_RETRY)
    assert exc.value.status_code == 429


def test_injected_faults_are_seeded_and_counted(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str]
) -> None:
    def run() -> list[int]:
        http.put("/__tenant/faults", json={"spec": "429=0.3,503=0.3", "seed": 7}).raise_for_status()
        return [http.get("/api/v2/clients", headers=auth).status_code for _ in range(20)]

    first = run()
    assert first == run()
    assert {429, 503, 200} == set(first)
    injected = http.get("/__tenant/stats").json()["injected"]
    assert injected == {"429": 2 * first.count(429), "503": 2 * first.count(503)}


def test_injected_429_carries_reset(tenant: TenantServer, http: httpx.Client, auth: dict[str, str]) -> None:
    http.put("/__tenant/faults", json={"spec": "429=1"}).raise_for_status()
    response = http.get("/api/v2/clients", headers=auth)
    assert response.status_code == 429 and int(response.headers["X-RateLimit-Reset"]) >= int(time.time())


def test_injected_latency(tenant: TenantServer, http: httpx.Client, auth: dict[str, str]) -> None:
    http.put("/__tenant/faults", json={"spec": "latency=150ms"}).raise_for_status()
    started = time.perf_counter()
    http.get("/api/v2/clients", headers=auth)
    assert time.perf_counter() - started >= 0.15


def test_bad_fault_spec_is_400(tenant: TenantServer, http: httpx.Client) -> None:
    response = http.put("/__tenant/faults", json={"spec": "418=0.5"})
    assert response.status_code == 400 and "418" in response.json()["message"]


def test_stats_split_reads_and_writes_by_route_template(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str]
) -> None:
    cid = http.post("/api/v2/clients", json={"name": "s"}, headers=auth).json()["client_id"]
    http.get(f"/api/v2/clients/{cid}", headers=auth)
    http.patch(f"/api/v2/clients/{cid}", json={"description": "x"}, headers=auth)
    stats = http.get("/__tenant/stats?reset=true").json()
    assert stats["reads"] == 1 and stats["writes"] == 2
    assert stats["by_route"] == {
        "GET /api/v2/clients/{id}": 1,
        "PATCH /api/v2/clients/{id}": 1,
        "POST /api/v2/clients": 1,
    }
    assert http.get("/__tenant/stats").json()["total"] == 0


def test_stats_and_dump_never_show_client_secrets(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str]
) -> None:
    secret = http.post("/api/v2/clients", json={"name": "s"}, headers=auth).json()["client_secret"]
    bootstrap = tenant.bootstrap_client_secret.get_secret_value()
    for path in ("/__tenant/stats", "/__tenant/data.json"):
        text = http.get(path).text
        assert secret not in text and bootstrap not in text


def test_seed_click_path_then_token(tenant: TenantServer, http: httpx.Client) -> None:
    seeded = http.post(
        "/__tenant/seed",
        json={
            "resource_servers": [{"identifier": "https://api.example.com", "scopes": [{"value": "read:x"}]}],
            "clients": [
                {"name": "app", "app_type": "non_interactive", "grant_types": ["client_credentials"]}
            ],
            "organizations": [{"name": "acme"}],
            "client_grants": [
                {
                    "client_name": "app",
                    "audience": "https://api.example.com",
                    "scope": ["read:x"],
                    "organization_usage": "allow",
                    "organizations": ["acme"],
                }
            ],
        },
    )
    assert seeded.status_code == 201
    client = seeded.json()["clients"][0]
    token = http.post(
        "/oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
            "audience": "https://api.example.com",
            "organization": "acme",
        },
    )
    assert token.status_code == 200 and token.json()["scope"] == "read:x"


def test_failed_seed_changes_nothing(tenant: TenantServer, http: httpx.Client) -> None:
    before = http.get("/__tenant/data.json").json()
    response = http.post(
        "/__tenant/seed", json={"clients": [{"name": "ok"}], "organizations": [{"name": "BAD NAME"}]}
    )
    assert response.status_code == 400
    assert http.get("/__tenant/data.json").json() == before


def test_control_refuses_browser_origin(tenant: TenantServer, http: httpx.Client) -> None:
    response = http.post("/__tenant/reset", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403


def test_control_refuses_foreign_host_header(tenant: TenantServer, http: httpx.Client) -> None:
    response = http.post("/__tenant/reset", headers={"Host": "evil.example"})
    assert response.status_code == 403


def test_rate_limit_and_fault_specs_parse() -> None:
    assert RateLimit.parse("15/50") == RateLimit(15.0, 50)
    assert (
        FaultSpec.parse("429=0.2,503=0.05,latency=20ms,seed=3").to_spec()
        == "429=0.2,503=0.05,latency=20ms,seed=3"
    )
    with pytest.raises(ValueError, match="RPS/BURST"):
        RateLimit.parse("fast")
    with pytest.raises(ValueError, match="at most 1"):
        FaultSpec.parse("429=0.7,503=0.7")
