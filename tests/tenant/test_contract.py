"""Contract: every emulated Management operation's requests and responses validate against Auth0's spec.

The spec is `../shared/specs/auth0-management-api.json` relative to the repo root (missing: fail when
CI=true, skip otherwise). A scenario drives every route over HTTPS while an httpx hook records each
exchange; each request body must validate against the operation's `application/json` request schema,
each status must be one the spec lists (PATCH /resource-servers/{id} and PATCH
/clients/{id}/credentials/{credential_id} are the deliberate exceptions: the spec says 201, Auth0 and
this tenant answer 200), and each JSON response must validate against the
schema for its status. The spec's list responses are `oneOf` alternatives whose properties are all
optional, so they overlap; at the top level of a response schema any one matching alternative is
accepted (nested `oneOf`s are kept strict).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from auth0_m2m.tenant import ROUTES, TenantServer
from tests.tenant.pkjwt import public_pem

SPEC_PATH = Path(__file__).resolve().parents[2].parent / "shared" / "specs" / "auth0-management-api.json"
API = "https://api.example.com"
_STATUS_EXCEPTIONS = {
    ("PATCH", "/resource-servers/{id}", 200),
    ("PATCH", "/clients/{client_id}/credentials/{credential_id}", 200),
}


@dataclass
class Exchange:
    method: str
    path: str
    request: Any
    status: int
    response: Any


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    if not SPEC_PATH.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"contract spec missing at {SPEC_PATH} (CI=true)")
        pytest.skip(f"contract spec not found at {SPEC_PATH}")
    return dict(json.loads(SPEC_PATH.read_text()))


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "/?$")


def _operation(spec: dict[str, Any], method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The spec's (template, operation) for a raw path; literal segments win over parameters."""
    candidates = [
        t for t in spec["paths"] if _template_regex(t).match(path) and method.lower() in spec["paths"][t]
    ]
    assert candidates, f"{method} {path}: not in the spec"
    best = min(candidates, key=lambda t: t.count("{"))
    return best, spec["paths"][best][method.lower()]


def _validate(spec: dict[str, Any], schema: dict[str, Any], instance: Any, where: str) -> None:
    while "$ref" in schema and len(schema) == 1:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    alternatives = schema.get("oneOf") or [schema]
    errors = []
    for alternative in alternatives:
        validator = Draft202012Validator({**alternative, "components": spec["components"]})
        error = next(validator.iter_errors(instance), None)
        if error is None:
            return
        errors.append(f"{list(error.absolute_path)}: {error.message[:300]}")
    raise AssertionError(f"{where}: {errors}")


@pytest.fixture
def recorded(tenant: TenantServer, auth: dict[str, str]) -> Iterator[tuple[httpx.Client, list[Exchange]]]:
    exchanges: list[Exchange] = []

    def record(response: httpx.Response) -> None:
        response.read()
        request = response.request
        path = request.url.raw_path.decode().split("?")[0]
        if not path.startswith("/api/v2/"):
            return
        body = json.loads(request.content) if request.content else None
        payload = response.json() if response.content else None
        exchanges.append(
            Exchange(request.method, path[len("/api/v2") :], body, response.status_code, payload)
        )

    with httpx.Client(
        base_url=tenant.base_url,
        verify=tenant.ssl_context(),
        headers=auth,
        event_hooks={"response": [record]},
    ) as client:
        yield client, exchanges


def _scenario(c: httpx.Client) -> None:
    """Every emulated operation, plus the 404/409 answers the spec lists."""
    rs = c.post(
        "/api/v2/resource-servers", json={"identifier": API, "name": "X", "token_lifetime": 3600}
    ).json()
    c.get("/api/v2/resource-servers?include_totals=true&per_page=50")
    c.get("/api/v2/resource-servers")
    c.get(f"/api/v2/resource-servers/{rs['id']}")
    c.patch(
        "/api/v2/resource-servers/https:%2F%2Fapi.example.com",
        json={"scopes": [{"value": "read:x", "description": "R"}]},
    )
    c.post("/api/v2/resource-servers", json={"identifier": API})  # 409
    client = c.post(
        "/api/v2/clients",
        json={"name": "app", "app_type": "non_interactive", "grant_types": ["client_credentials"]},
    ).json()
    cid = client["client_id"]
    c.get("/api/v2/clients?include_totals=true&per_page=50")
    c.get("/api/v2/clients?page=3&per_page=50")
    c.get(f"/api/v2/clients/{cid}")
    c.get(f"/api/v2/clients/{cid}?fields=client_id%2Capp_type&include_fields=true")
    c.get("/api/v2/clients/missing")  # 404
    c.patch(
        f"/api/v2/clients/{cid}",
        json={"token_endpoint_auth_method": "client_secret_post", "description": "d"},
    )
    c.post(f"/api/v2/clients/{cid}/rotate-secret")
    c.get(f"/api/v2/clients/{cid}/credentials")
    cred = c.post(
        f"/api/v2/clients/{cid}/credentials",
        json={"credential_type": "public_key", "name": "k1", "pem": public_pem(0), "alg": "RS256"},
    ).json()
    c.post(f"/api/v2/clients/{cid}/credentials", json={"credential_type": "public_key"})  # 400
    c.get(f"/api/v2/clients/{cid}/credentials/{cred['id']}")
    c.get(f"/api/v2/clients/{cid}/credentials/cred_missing")  # 404
    c.patch(
        f"/api/v2/clients/{cid}/credentials/{cred['id']}", json={"expires_at": "2999-01-01T00:00:00.000Z"}
    )
    c.patch(
        f"/api/v2/clients/{cid}",
        json={
            "client_authentication_methods": {"private_key_jwt": {"credentials": [{"id": cred["id"]}]}},
            "token_endpoint_auth_method": None,
        },
    )
    c.get(f"/api/v2/clients/{cid}/credentials")
    c.delete(f"/api/v2/clients/{cid}/credentials/{cred['id']}")  # 400: still attached
    c.patch(
        f"/api/v2/clients/{cid}",
        json={"client_authentication_methods": None, "token_endpoint_auth_method": "client_secret_post"},
    )
    c.delete(f"/api/v2/clients/{cid}/credentials/{cred['id']}")
    grant = c.post(
        "/api/v2/client-grants",
        json={
            "client_id": cid,
            "audience": API,
            "scope": ["read:x"],
            "organization_usage": "allow",
            "allow_any_organization": False,
        },
    ).json()
    c.post("/api/v2/client-grants", json={"client_id": cid, "audience": API, "scope": []})  # 409
    c.get(f"/api/v2/client-grants?audience={API}&client_id={cid}&include_totals=true&per_page=50")
    c.get("/api/v2/client-grants?include_totals=true&take=1")
    c.get(f"/api/v2/client-grants/{grant['id']}")
    c.patch(
        f"/api/v2/client-grants/{grant['id']}", json={"scope": ["read:x"], "organization_usage": "require"}
    )
    org = c.post(
        "/api/v2/organizations", json={"name": "acme", "display_name": "Acme", "metadata": {"k": "v"}}
    ).json()
    c.post("/api/v2/organizations", json={"name": "acme"})  # 409
    c.get("/api/v2/organizations?include_totals=true&take=50")
    c.get("/api/v2/organizations?include_totals=true&per_page=50")
    c.get(f"/api/v2/organizations/{org['id']}")
    c.get("/api/v2/organizations/name/acme")
    c.patch(f"/api/v2/organizations/{org['id']}", json={"display_name": "Acme Inc"})
    c.post(f"/api/v2/organizations/{org['id']}/client-grants", json={"grant_id": grant["id"]})
    c.post(f"/api/v2/organizations/{org['id']}/client-grants", json={"grant_id": grant["id"]})  # 409
    c.get(f"/api/v2/organizations/{org['id']}/client-grants?include_totals=true&per_page=50")
    c.get(f"/api/v2/organizations/{org['id']}/client-grants")
    c.get(f"/api/v2/client-grants/{grant['id']}/organizations?include_totals=true&take=50")
    c.delete(f"/api/v2/organizations/{org['id']}/client-grants/{grant['id']}")
    c.delete(f"/api/v2/client-grants/{grant['id']}")
    c.delete(f"/api/v2/organizations/{org['id']}")
    c.delete(f"/api/v2/clients/{cid}")
    c.delete(f"/api/v2/resource-servers/{rs['id']}")


def test_every_emulated_route_is_in_the_spec(spec: dict[str, Any]) -> None:
    for route in ROUTES:
        if route.management:
            _operation(spec, route.method, _spec_shaped(route.template))


def _spec_shaped(template: str) -> str:
    return re.sub(r"\{\w+\}", "x", template.removeprefix("/api/v2"))


def test_scenario_matches_the_spec(
    spec: dict[str, Any], recorded: tuple[httpx.Client, list[Exchange]]
) -> None:
    client, exchanges = recorded
    _scenario(client)
    covered = set()
    for ex in exchanges:
        template, op = _operation(spec, ex.method, ex.path)
        where = f"{ex.method} {ex.path} → {ex.status}"
        covered.add((ex.method, template))
        if ex.request is not None:
            schema = op["requestBody"]["content"]["application/json"]["schema"]
            _validate(spec, schema, ex.request, where + " (request)")
        responses = op["responses"]
        if (ex.method, template, ex.status) in _STATUS_EXCEPTIONS:
            status_key = next(k for k in responses if k.startswith("2"))
        else:
            assert str(ex.status) in responses, (
                f"{where}: status not listed in the spec ({sorted(responses)})"
            )
            status_key = str(ex.status)
        content = responses[status_key].get("content", {}).get("application/json")
        if content and ex.status < 400:
            _validate(spec, content["schema"], ex.response, where + " (response)")
        if ex.status >= 400:
            assert ex.response["statusCode"] == ex.status and ex.response["error"] and ex.response["message"]
    emulated = {
        (r.method, _operation(spec, r.method, _spec_shaped(r.template))[0]) for r in ROUTES if r.management
    }
    assert emulated <= covered, f"not exercised: {sorted(emulated - covered)}"
