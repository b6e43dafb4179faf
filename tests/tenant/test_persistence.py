"""Durable state across restarts, secret file modes, and consistency under concurrent writes."""

from __future__ import annotations

import json
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from auth0_m2m.tenant import TenantServer


def _token(server: TenantServer, client: httpx.Client) -> dict[str, str]:
    form = {
        "grant_type": "client_credentials",
        "audience": server.management_audience,
        "client_id": server.bootstrap_client_id,
        "client_secret": server.bootstrap_client_secret.get_secret_value(),
    }
    return {"Authorization": "Bearer " + client.post("/oauth/token", data=form).json()["access_token"]}


def test_restart_keeps_state_bootstrap_and_ca(tmp_path: Path) -> None:
    with (
        TenantServer(state_dir=tmp_path) as first,
        httpx.Client(base_url=first.base_url, verify=first.ssl_context()) as c,
    ):
        auth = _token(first, c)
        cid = c.post("/api/v2/clients", json={"name": "kept"}, headers=auth).json()["client_id"]
        c.post("/api/v2/resource-servers", json={"identifier": "https://api.example.com"}, headers=auth)
        bootstrap = (first.bootstrap_client_id, first.bootstrap_client_secret.get_secret_value())
        ca = first.ca_file.read_bytes()
    with (
        TenantServer(state_dir=tmp_path) as second,
        httpx.Client(base_url=second.base_url, verify=second.ssl_context()) as c,
    ):
        assert (second.bootstrap_client_id, second.bootstrap_client_secret.get_secret_value()) == bootstrap
        assert second.ca_file.read_bytes() == ca
        auth = _token(second, c)
        assert c.get(f"/api/v2/clients/{cid}", headers=auth).json()["name"] == "kept"
        system = c.get(
            f"/api/v2/resource-servers/{second.management_audience.replace('/', '%2F')}", headers=auth
        )
        assert system.json()["is_system"] is True
        saved = json.loads((tmp_path / "bootstrap-client.json").read_text())
        assert saved["client_id"] == bootstrap[0] and saved["domain"] == second.domain


def test_secret_files_are_owner_only(tmp_path: Path) -> None:
    with TenantServer(state_dir=tmp_path):
        pass
    for name in (
        "ca-key.pem",
        "server-key.pem",
        "signing-key.pem",
        "bootstrap-client.json",
        "tenant.sqlite3",
    ):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


def test_concurrent_duplicate_grants_create_exactly_one(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str]
) -> None:
    http.post("/api/v2/resource-servers", json={"identifier": "https://api.example.com"}, headers=auth)
    cid = http.post("/api/v2/clients", json={"name": "race"}, headers=auth).json()["client_id"]
    body = {"client_id": cid, "audience": "https://api.example.com", "scope": []}

    def post(_: int) -> int:
        with httpx.Client(base_url=tenant.base_url, verify=tenant.ssl_context()) as client:
            return client.post("/api/v2/client-grants", json=body, headers=auth).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(post, range(8)))
    assert statuses == [201] + [409] * 7


def test_concurrent_creates_all_land(tenant: TenantServer, http: httpx.Client, auth: dict[str, str]) -> None:
    def create(i: int) -> str:
        with httpx.Client(base_url=tenant.base_url, verify=tenant.ssl_context()) as client:
            return str(
                client.post("/api/v2/clients", json={"name": f"c{i}"}, headers=auth).json()["client_id"]
            )

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(create, range(24)))
    listed = http.get("/api/v2/clients?per_page=100&include_totals=true", headers=auth).json()
    assert len(ids) == 24 and ids <= {c["client_id"] for c in listed["clients"]}
    assert listed["total"] == 25  # 24 + the bootstrap client
