"""The token endpoint with private_key_jwt: GetToken's client assertion, two keys, and every refusal.

A client gets an API grant and one or two attached public keys; assertions are signed with the
matching private keys (tests/tenant/pkjwt.py). Refusals check status, `error` and the reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest
from auth0.authentication import GetToken
from auth0.management import ManagementClient

from auth0_m2m.tenant import TenantServer
from tests.tenant.pkjwt import ASSERTION_TYPE, assertion, private_pem, public_pem

API = "https://api.example.com"
Setup = Callable[..., dict[str, Any]]


@pytest.fixture
def pkjwt_client(mgmt: ManagementClient, http: httpx.Client, auth: dict[str, str]) -> Setup:
    """`pkjwt_client(keys=(0,), alg="RS256", attach=True)`: a granted client with those public keys."""
    mgmt.resource_servers.create(identifier=API, scopes=[{"value": "read:x"}])

    def make(keys: tuple[int, ...] = (0,), alg: str = "RS256", attach: bool = True) -> dict[str, Any]:
        client = mgmt.clients.create(
            name="pk", app_type="non_interactive", grant_types=["client_credentials"]
        )
        cid = str(client.client_id)
        mgmt.client_grants.create(audience=API, client_id=cid, scope=["read:x"])
        creds = [
            http.post(
                f"/api/v2/clients/{cid}/credentials",
                json={"credential_type": "public_key", "pem": public_pem(n), "alg": alg},
                headers=auth,
            ).json()
            for n in keys
        ]
        if attach:
            body = {
                "client_authentication_methods": {
                    "private_key_jwt": {"credentials": [{"id": c["id"]} for c in creds]}
                },
                "token_endpoint_auth_method": None,
            }
            http.patch(f"/api/v2/clients/{cid}", json=body, headers=auth).raise_for_status()
        return {"client_id": cid, "client_secret": str(client.client_secret), "credentials": creds}

    return make


def _token(http: httpx.Client, client_assertion: str, **extra: str) -> httpx.Response:
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": client_assertion,
        "audience": API,
        **extra,
    }
    return http.post("/oauth/token", data=form)


def _refused(
    response: httpx.Response, fragment: str, *, status: int = 401, error: str = "invalid_client"
) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error, body
    assert fragment in body["error_description"], body


def test_get_token_with_client_assertion_signing_key(
    tenant: TenantServer, pkjwt_client: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tenant.ca_file))
    cid = pkjwt_client()["client_id"]
    got = GetToken(tenant.domain, cid, client_assertion_signing_key=private_pem(0)).client_credentials(API)
    claims = jwt.decode(got["access_token"], options={"verify_signature": False})
    assert claims["sub"] == f"{cid}@clients" and claims["aud"] == API and got["scope"] == "read:x"


def test_token_endpoint_audience_is_accepted_and_json_body_too(
    tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup
) -> None:
    cid = pkjwt_client()["client_id"]
    signed = assertion(cid, tenant.domain, aud=f"https://{tenant.domain}/oauth/token")
    assert _token(http, signed, client_id=cid).status_code == 200
    body = {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion(cid, tenant.domain),
        "audience": API,
    }
    assert http.post("/oauth/token", json=body).status_code == 200


def test_either_of_two_keys_works_and_kid_picks_one(
    tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup
) -> None:
    made = pkjwt_client(keys=(0, 1))
    cid, creds = made["client_id"], made["credentials"]
    assert _token(http, assertion(cid, tenant.domain, n=0)).status_code == 200
    assert _token(http, assertion(cid, tenant.domain, n=1)).status_code == 200
    assert _token(http, assertion(cid, tenant.domain, n=1, kid=creds[1]["kid"])).status_code == 200
    _refused(
        _token(http, assertion(cid, tenant.domain, n=1, kid=creds[0]["kid"])), "signature does not verify"
    )
    _refused(_token(http, assertion(cid, tenant.domain, kid="no-such-kid-1")), "kid")


def test_ps256_and_rs384_credentials(tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup) -> None:
    for alg in ("PS256", "RS384"):
        cid = pkjwt_client(alg=alg)["client_id"]
        assert _token(http, assertion(cid, tenant.domain, alg=alg)).status_code == 200
        _refused(_token(http, assertion(cid, tenant.domain, alg="RS256")), "signature does not verify")


def test_wrong_key_is_refused(tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup) -> None:
    cid = pkjwt_client(keys=(0,))["client_id"]
    _refused(_token(http, assertion(cid, tenant.domain, n=1)), "signature does not verify")


def test_replayed_jti_is_refused(tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup) -> None:
    cid = pkjwt_client()["client_id"]
    signed = assertion(cid, tenant.domain)
    assert _token(http, signed).status_code == 200
    _refused(_token(http, signed), "'jti' claim has been used before")


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"aud": "https://elsewhere.example.com/"}, "'aud' claim must be"),
        ({"aud": "https://{domain}"}, "'aud' claim must be"),  # no trailing slash
        ({"exp": -5}, "expired"),  # times: seconds from when the test runs
        ({"lifetime": 301}, "no more than 5 minutes after 'iat'"),
        ({"iat": 60, "exp": 120}, "'iat' claim"),
        ({"jti": None}, "'jti' claim must be"),
        ({"jti": "j" * 65}, "'jti' claim must be"),
        ({"sub": "someone-else"}, "'sub' claim must be the client id"),
    ],
)
def test_bad_claims_are_refused(
    tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup, overrides: dict[str, Any], fragment: str
) -> None:
    cid = pkjwt_client()["client_id"]
    now = int(time.time())  # not at collection: the suite may run for minutes before this test
    overrides = {k: now + v if k in ("iat", "exp") else v for k, v in overrides.items()}
    if "aud" in overrides:
        overrides = {**overrides, "aud": overrides["aud"].format(domain=tenant.domain)}
    _refused(_token(http, assertion(cid, tenant.domain, **overrides)), fragment)


def test_without_iat_the_lifetime_counts_from_now(
    tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup
) -> None:
    cid = pkjwt_client()["client_id"]
    _refused(_token(http, assertion(cid, tenant.domain, iat=None, lifetime=600)), "5 minutes")
    assert _token(http, assertion(cid, tenant.domain, iat=None, lifetime=120)).status_code == 200


def test_client_id_must_match_iss(tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup) -> None:
    cid = pkjwt_client()["client_id"]
    _refused(_token(http, assertion(cid, tenant.domain), client_id="another"), "not the client_id sent")


def test_unknown_client_is_refused(tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup) -> None:
    pkjwt_client()
    _refused(_token(http, assertion("unknown-client", tenant.domain)), "Unknown client")


def test_client_without_private_key_jwt_is_refused(
    tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup
) -> None:
    cid = pkjwt_client(attach=False)["client_id"]  # keys registered, never attached
    _refused(_token(http, assertion(cid, tenant.domain)), "not configured for private_key_jwt")


def test_a_secret_is_refused_for_a_private_key_jwt_client(
    tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup
) -> None:
    made = pkjwt_client()
    form = {
        "grant_type": "client_credentials",
        "client_id": made["client_id"],
        "client_secret": made["client_secret"],
        "audience": API,
    }
    _refused(http.post("/oauth/token", data=form), "send a client_assertion")


def test_secret_with_assertion_or_a_wrong_type_is_400(
    tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup
) -> None:
    made = pkjwt_client()
    signed = assertion(made["client_id"], tenant.domain)
    both = _token(http, signed, client_secret=made["client_secret"])
    _refused(both, "not both", status=400, error="invalid_request")
    form = {"grant_type": "client_credentials", "client_assertion": signed, "audience": API}
    _refused(
        http.post("/oauth/token", data=form), "client_assertion_type", status=400, error="invalid_request"
    )
    form = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE, "audience": API}
    _refused(
        http.post("/oauth/token", data=form),
        "Missing required parameter: client_assertion",
        status=400,
        error="invalid_request",
    )


def test_not_a_jwt_is_refused(tenant: TenantServer, http: httpx.Client, pkjwt_client: Setup) -> None:
    pkjwt_client()
    _refused(_token(http, "not-a-jwt"), "not a valid JWT")


def test_an_expired_credential_no_longer_verifies(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str], pkjwt_client: Setup
) -> None:
    made = pkjwt_client()
    cid, cred = made["client_id"], made["credentials"][0]
    soon = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
    url = f"/api/v2/clients/{cid}/credentials/{cred['id']}"
    http.patch(url, json={"expires_at": soon}, headers=auth).raise_for_status()
    time.sleep(2.1)
    _refused(_token(http, assertion(cid, tenant.domain)), "no unexpired private_key_jwt credential")


def test_discovery_lists_private_key_jwt(http: httpx.Client) -> None:
    config = http.get("/.well-known/openid-configuration").json()
    assert "private_key_jwt" in config["token_endpoint_auth_methods_supported"]
    assert config["token_endpoint_auth_signing_alg_values_supported"] == ["RS256", "RS384", "PS256"]
