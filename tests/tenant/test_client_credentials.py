"""Client credentials over HTTPS: create (auth0-python and raw), read, expiry, attach to a client, delete.

One behaviour per test; refusals are checked for status and Auth0's error body.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from auth0.management import ManagementClient
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from auth0_m2m.tenant import TenantServer
from tests.tenant.pkjwt import key, private_pem, public_pem


@pytest.fixture
def cid(mgmt: ManagementClient) -> str:
    client = mgmt.clients.create(name="pk", app_type="non_interactive", grant_types=["client_credentials"])
    return str(client.client_id)


def _post(http: httpx.Client, auth: dict[str, str], cid: str, **body: Any) -> httpx.Response:
    body.setdefault("credential_type", "public_key")
    return http.post(f"/api/v2/clients/{cid}/credentials", json=body, headers=auth)


def _attach(http: httpx.Client, auth: dict[str, str], cid: str, *ids: str, **extra: Any) -> httpx.Response:
    body = {
        "client_authentication_methods": {"private_key_jwt": {"credentials": [{"id": i} for i in ids]}},
        "token_endpoint_auth_method": None,
        **extra,
    }
    return http.patch(f"/api/v2/clients/{cid}", json=body, headers=auth)


def _bad_request(response: httpx.Response, fragment: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["statusCode"] == 400 and body["error"] == "Bad Request"
    assert fragment in body["message"]


def test_create_with_auth0_python(mgmt: ManagementClient, cid: str) -> None:
    created = mgmt.clients.credentials.create(
        cid, credential_type="public_key", name="current", pem=public_pem(0), alg="PS256"
    )
    assert str(created.id).startswith("cred_") and len(str(created.id)) == 27
    assert created.alg == "PS256" and created.name == "current" and created.credential_type == "public_key"
    assert created.kid and 10 <= len(created.kid) <= 64
    listed = mgmt.clients.credentials.list(cid)
    assert [c.id for c in listed] == [created.id]
    assert mgmt.clients.credentials.get(cid, str(created.id)).kid == created.kid


def test_answers_never_carry_the_pem_and_list_is_a_bare_array(
    http: httpx.Client, auth: dict[str, str], cid: str
) -> None:
    created = _post(http, auth, cid, pem=public_pem(0))
    assert created.status_code == 201
    assert "pem" not in created.json() and "client_id" not in created.json()
    assert created.json()["alg"] == "RS256"  # the default
    listed = http.get(f"/api/v2/clients/{cid}/credentials?include_totals=true&per_page=50", headers=auth)
    assert isinstance(listed.json(), list) and "pem" not in listed.json()[0]


def test_given_kid_is_kept_and_same_key_same_default_kid(
    http: httpx.Client, auth: dict[str, str], cid: str
) -> None:
    assert _post(http, auth, cid, pem=public_pem(0), kid="my-key-0001").json()["kid"] == "my-key-0001"
    first = _post(http, auth, cid, pem=public_pem(1)).json()["kid"]
    assert _post(http, auth, cid, pem=public_pem(1)).json()["kid"] == first


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"pem": None}, "Missing required property: pem"),
        ({"pem": "not a pem"}, "not a valid PEM"),
        ({"alg": "HS256"}, "No enum match"),
        ({"credential_type": "x509_cert"}, "not emulated"),
        ({"extra": 1}, "Additional properties not allowed: extra"),
        ({"name": "n" * 129}, "String length"),
        ({"kid": "short"}, "does not match pattern"),
        ({"expires_at": "2000-01-01T00:00:00Z"}, "must be in the future"),
        ({"expires_at": "tomorrow"}, "date-time"),
        ({"parse_expiry_from_cert": True}, "needs an X.509 certificate"),
    ],
)
def test_bad_bodies_are_400(
    http: httpx.Client, auth: dict[str, str], cid: str, body: dict[str, Any], fragment: str
) -> None:
    body = {"pem": public_pem(0), **body}
    _bad_request(_post(http, auth, cid, **body), fragment)


def test_a_private_key_is_refused(http: httpx.Client, auth: dict[str, str], cid: str) -> None:
    _bad_request(_post(http, auth, cid, pem=private_pem(0)), "never a private key")


def test_a_short_rsa_key_is_refused(http: httpx.Client, auth: dict[str, str], cid: str) -> None:
    weak = 1024  # the point of the test
    small = rsa.generate_private_key(public_exponent=65537, key_size=weak).public_key()  # noqa: S505
    pem = small.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    _bad_request(_post(http, auth, cid, pem=pem.decode()), "at least 2048 bits")


def test_expiry_parsed_from_a_certificate(http: httpx.Client, auth: dict[str, str], cid: str) -> None:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pk")])
    not_after = dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key(0).public_key())
        .serial_number(1)
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(not_after)
        .sign(key(0), hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    created = _post(http, auth, cid, pem=pem, parse_expiry_from_cert=True)
    assert created.status_code == 201, created.text
    assert created.json()["expires_at"] == "2031-05-06T07:08:09.000Z"
    both = _post(http, auth, cid, pem=pem, parse_expiry_from_cert=True, expires_at="2030-01-01T00:00:00Z")
    _bad_request(both, "cannot be used together")


def test_patch_sets_and_clears_expires_at(http: httpx.Client, auth: dict[str, str], cid: str) -> None:
    cred = _post(http, auth, cid, pem=public_pem(0)).json()
    url = f"/api/v2/clients/{cid}/credentials/{cred['id']}"
    patched = http.patch(url, json={"expires_at": "2999-01-01T00:00:00+00:00"}, headers=auth)
    assert patched.status_code == 200 and patched.json()["expires_at"] == "2999-01-01T00:00:00.000Z"
    cleared = http.patch(url, json={"expires_at": None}, headers=auth)
    assert "expires_at" not in cleared.json()
    _bad_request(http.patch(url, json={"name": "x"}, headers=auth), "Additional properties")
    _bad_request(http.patch(url, json={}, headers=auth), "minimum 1")


def test_unknown_credential_and_client_are_404(http: httpx.Client, auth: dict[str, str], cid: str) -> None:
    missing = http.get(f"/api/v2/clients/{cid}/credentials/cred_nope", headers=auth)
    assert missing.status_code == 404 and missing.json()["errorCode"] == "inexistent_client_credential"
    assert http.delete(f"/api/v2/clients/{cid}/credentials/cred_nope", headers=auth).status_code == 404
    assert _post(http, auth, "nope", pem=public_pem(0)).status_code == 404


def test_attach_shows_on_the_client_without_an_auth_method(
    http: httpx.Client, auth: dict[str, str], cid: str
) -> None:
    cred = _post(http, auth, cid, pem=public_pem(0)).json()
    patched = _attach(http, auth, cid, cred["id"])
    assert patched.status_code == 200, patched.text
    client = http.get(f"/api/v2/clients/{cid}", headers=auth).json()
    assert client["client_authentication_methods"] == {
        "private_key_jwt": {"credentials": [{"id": cred["id"]}]}
    }
    assert "token_endpoint_auth_method" not in client


def test_attach_refusals(http: httpx.Client, auth: dict[str, str], cid: str, mgmt: ManagementClient) -> None:
    ids = [_post(http, auth, cid, pem=public_pem(n % 2)).json()["id"] for n in range(3)]
    _bad_request(_attach(http, auth, cid, *ids), "at most 2")
    _bad_request(_attach(http, auth, cid, ids[0], ids[0]), "listed twice")
    _bad_request(_attach(http, auth, cid, "cred_unknown"), "does not exist for this client")
    other = str(mgmt.clients.create(name="other", app_type="non_interactive").client_id)
    foreign = _post(http, auth, other, pem=public_pem(0)).json()["id"]
    _bad_request(_attach(http, auth, cid, foreign), "does not exist for this client")
    _bad_request(
        _attach(http, auth, cid, ids[0], token_endpoint_auth_method="client_secret_post"),
        "token_endpoint_auth_method must be null",
    )
    both_null = {"client_authentication_methods": None, "token_endpoint_auth_method": None}
    _bad_request(http.patch(f"/api/v2/clients/{cid}", json=both_null, headers=auth), "cannot both be null")
    methods = {"tls_client_auth": {"credentials": []}}
    response = http.patch(
        f"/api/v2/clients/{cid}", json={"client_authentication_methods": methods}, headers=auth
    )
    _bad_request(response, "not emulated")


def test_attached_credential_cannot_be_deleted_until_detached(
    http: httpx.Client, auth: dict[str, str], cid: str
) -> None:
    cred = _post(http, auth, cid, pem=public_pem(0)).json()
    _attach(http, auth, cid, cred["id"]).raise_for_status()
    url = f"/api/v2/clients/{cid}/credentials/{cred['id']}"
    _bad_request(http.delete(url, headers=auth), "in use")
    detach = {"client_authentication_methods": None, "token_endpoint_auth_method": "client_secret_post"}
    http.patch(f"/api/v2/clients/{cid}", json=detach, headers=auth).raise_for_status()
    assert http.delete(url, headers=auth).status_code == 204
    assert http.get(f"/api/v2/clients/{cid}/credentials", headers=auth).json() == []


def test_deleting_the_client_deletes_its_credentials(
    tenant: TenantServer, http: httpx.Client, auth: dict[str, str], cid: str
) -> None:
    _post(http, auth, cid, pem=public_pem(0)).raise_for_status()
    http.delete(f"/api/v2/clients/{cid}", headers=auth).raise_for_status()
    dump = http.get("/__tenant/data.json").json()
    assert dump["client_credentials"] == []


def test_create_with_client_authentication_methods_is_a_documented_gap(
    http: httpx.Client, auth: dict[str, str]
) -> None:
    body = {
        "name": "x",
        "client_authentication_methods": {
            "private_key_jwt": {"credentials": [{"credential_type": "public_key"}]}
        },
    }
    _bad_request(http.post("/api/v2/clients", json=body, headers=auth), "not emulated")
