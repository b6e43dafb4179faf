"""Client credentials (the public keys of `private_key_jwt`): state and rules, no HTTP.

Rules, as the Management API spec and Auth0's docs give them:
- `POST /clients/{id}/credentials` takes `credential_type` (required; only `public_key` is emulated,
  `x509_cert` / `cert_subject_dn` are mTLS and answer 400), `pem` (an RSA public key, SPKI or PKCS#1,
  or an X.509 certificate; at least 2048 bits; a private key is refused), `alg` (RS256 default,
  RS384, PS256), optional `name` (≤ 128), `kid` (10–64 of `[0-9a-zA-Z-_]`, else the key's RFC 7638
  thumbprint), `expires_at` (a future ISO 8601 time) or `parse_expiry_from_cert: true` (the
  certificate's notAfter; not with `expires_at`, and only for a certificate). Unknown keys are 400.
  The id is `cred_` + 22 letters or digits. The answer never carries the PEM.
- A credential is only *used* once the client lists it in
  `client_authentication_methods.private_key_jwt.credentials` (`[{"id"}]`, at most `MAX_ATTACHED`,
  each a `public_key` credential of that client); the client's `token_endpoint_auth_method` must
  then be null. The cap of 2 is Auth0's documented maximum per application; the tenant applies it to
  the attached list (a create-then-swap rotation may hold more unattached credentials for a moment).
- `PATCH .../credentials/{cid}` changes `expires_at` only (a time, or null for none).
- `DELETE .../credentials/{cid}` of a credential still attached is 400 (detach it first); of an
  unknown one, 404. Deleting a client deletes its credentials.
See: https://auth0.com/docs/api/management/v2/clients/post-credentials
"""

from __future__ import annotations

import base64
import builtins
import datetime as dt
import hashlib
import json
import re
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from auth0_m2m.tenant.clients.exceptions import CredentialInUse, CredentialNotFound
from auth0_m2m.tenant.core import ids
from auth0_m2m.tenant.core import validation as v
from auth0_m2m.tenant.core.store import Store

KIND = "client_credential"
ALGORITHMS = ("RS256", "RS384", "PS256")
CREDENTIAL_TYPES = ("public_key", "cert_subject_dn", "x509_cert")
MAX_ATTACHED = 2
"""Private-key credentials a client may list in `client_authentication_methods` (Auth0's maximum)."""
MIN_RSA_BITS = 2048
_POST_KEYS = (
    "credential_type",
    "name",
    "pem",
    "alg",
    "kid",
    "expires_at",
    "parse_expiry_from_cert",
    "subject_dn",
)
_KID = re.compile(r"^[0-9a-zA-Z_-]{10,64}$")
_METHODS = ("private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth")
_INTERNAL = ("client_id", "pem")


def iso(moment: dt.datetime) -> str:
    """Auth0's timestamp shape: `2026-01-01T00:00:00.000Z`."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(value: Any, prop: str) -> dt.datetime:
    """An ISO 8601 date-time (a `Z` or an offset; naive means UTC), else 400 naming `prop`."""
    if not isinstance(value, str):
        raise v.payload_error("Expected type string but found another type", prop)
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise v.payload_error(f"Object didn't pass validation for format date-time: {value}", prop) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def load_public_key(pem: str) -> tuple[rsa.RSAPublicKey, x509.Certificate | None]:
    """The RSA public key of a PEM public key or certificate; 400 for anything else."""
    if "PRIVATE KEY" in pem:
        raise v.payload_error("pem must be a public key or a certificate, never a private key", "pem")
    data = pem.strip().encode()
    cert: x509.Certificate | None = None
    key: object
    try:
        if b"CERTIFICATE" in data:
            cert = x509.load_pem_x509_certificate(data)
            key = cert.public_key()
        else:
            key = serialization.load_pem_public_key(data)
    except ValueError:
        raise v.payload_error("pem is not a valid PEM public key or X.509 certificate", "pem") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise v.payload_error("pem must hold an RSA key", "pem")
    if key.key_size < MIN_RSA_BITS:
        raise v.payload_error(f"The RSA key must be at least {MIN_RSA_BITS} bits", "pem")
    return key, cert


def thumbprint(key: rsa.RSAPublicKey) -> str:
    """The key's RFC 7638 JWK thumbprint (SHA-256, base64url): the default `kid`."""
    numbers = key.public_numbers()

    def b64(n: int) -> str:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    jwk = json.dumps({"e": b64(numbers.e), "kty": "RSA", "n": b64(numbers.n)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(hashlib.sha256(jwk.encode()).digest()).decode().rstrip("=")


def render(credential: dict[str, Any]) -> dict[str, Any]:
    """The credential as the API returns it: no PEM, no owner."""
    return {k: val for k, val in credential.items() if k not in _INTERNAL}


def attached_ids(client: dict[str, Any]) -> list[str] | None:
    """The ids in the client's `private_key_jwt.credentials`, or None when it has no such method."""
    methods = client.get("client_authentication_methods") or {}
    private_key_jwt = methods.get("private_key_jwt")
    if not isinstance(private_key_jwt, dict):
        return None
    return [str(ref.get("id")) for ref in private_key_jwt.get("credentials") or []]


class CredentialBackend:
    """The credentials of every client, kept apart from the client objects."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, client: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        """POST /clients/{id}/credentials for an existing `client`."""
        v.reject_keys(body, [k for k in body if k not in _POST_KEYS])
        v.require(body, "credential_type")
        v.check_enum(body, "credential_type", CREDENTIAL_TYPES)
        if body["credential_type"] != "public_key":
            raise v.payload_error(
                f"credential_type {body['credential_type']!r} (mTLS) is not emulated by the local tenant",
                "credential_type",
            )
        v.require(body, "pem")
        v.check_str(body, "pem", min_len=1)
        v.check_enum(body, "alg", ALGORITHMS)
        v.check_str(body, "name", max_len=128)
        v.check_type(body, "parse_expiry_from_cert", bool)
        if "kid" in body and not (isinstance(body["kid"], str) and _KID.match(body["kid"])):
            raise v.payload_error("String does not match pattern ^([0-9a-zA-Z-_]{10,64})$", "kid")
        key, cert = load_public_key(body["pem"])
        now = dt.datetime.now(dt.UTC)
        expires: dt.datetime | None = None
        if body.get("parse_expiry_from_cert"):
            if "expires_at" in body:
                raise v.payload_error("expires_at and parse_expiry_from_cert cannot be used together")
            if cert is None:
                raise v.payload_error("parse_expiry_from_cert needs an X.509 certificate in pem", "pem")
            expires = cert.not_valid_after_utc
        elif body.get("expires_at") is not None:
            expires = parse_time(body["expires_at"], "expires_at")
        if expires is not None and expires <= now:
            raise v.payload_error("The expiry must be in the future", "expires_at")
        credential: dict[str, Any] = {
            "id": ids.credential_id(),
            "credential_type": "public_key",
            "name": body.get("name", ""),
            "kid": body.get("kid") or thumbprint(key),
            "alg": body.get("alg", "RS256"),
            "created_at": iso(now),
            "updated_at": iso(now),
            "client_id": client["client_id"],
            "pem": body["pem"],
        }
        if expires is not None:
            credential["expires_at"] = iso(expires)
        self.store.put(KIND, credential["id"], credential)
        return credential

    def list(self, client_id: str) -> list[dict[str, Any]]:
        """The client's credentials in creation order."""
        return [c for c in self.store.list(KIND) if c["client_id"] == client_id]

    def get(self, client_id: str, credential_id: str) -> dict[str, Any]:
        """One credential of the client, or 404."""
        credential = self.store.get(KIND, credential_id)
        if credential is None or credential["client_id"] != client_id:
            raise CredentialNotFound(credential_id)
        return credential

    def update(self, client_id: str, credential_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """PATCH: only `expires_at` (a future time, or null for never)."""
        v.reject_keys(body, [k for k in body if k != "expires_at"])
        if "expires_at" not in body:
            raise v.payload_error("Too few properties defined (0), minimum 1")
        with self.store.transaction():
            credential = self.get(client_id, credential_id)
            if body["expires_at"] is None:
                credential.pop("expires_at", None)
            else:
                expires = parse_time(body["expires_at"], "expires_at")
                if expires <= dt.datetime.now(dt.UTC):
                    raise v.payload_error("The expiry must be in the future", "expires_at")
                credential["expires_at"] = iso(expires)
            credential["updated_at"] = iso(dt.datetime.now(dt.UTC))
            self.store.put(KIND, credential_id, credential)
        return credential

    def delete(self, client: dict[str, Any], credential_id: str) -> None:
        """Delete a detached credential; an attached one is 400, an unknown one 404."""
        with self.store.transaction():
            self.get(client["client_id"], credential_id)
            if credential_id in (attached_ids(client) or []):
                raise CredentialInUse(credential_id)
            self.store.delete(KIND, credential_id)

    def delete_for_client(self, client: dict[str, Any]) -> None:
        """`on_delete` hook of clients: a deleted client's credentials go with it."""
        for credential in self.list(client["client_id"]):
            self.store.delete(KIND, credential["id"])

    def check_methods(self, client_id: str, methods: Any) -> None:
        """Validate `client_authentication_methods` of a PATCH (null clears it)."""
        if methods is None:
            return
        if not isinstance(methods, dict) or len(methods) != 1 or next(iter(methods)) not in _METHODS:
            raise v.payload_error(
                "Expected exactly one of private_key_jwt, tls_client_auth, self_signed_tls_client_auth",
                "client_authentication_methods",
            )
        if "private_key_jwt" not in methods:
            raise v.payload_error(
                "mTLS methods are not emulated by the local tenant", "client_authentication_methods"
            )
        where = "client_authentication_methods.private_key_jwt"
        body = methods["private_key_jwt"]
        refs = body.get("credentials") if isinstance(body, dict) else None
        if not isinstance(refs, list) or set(body) != {"credentials"}:
            raise v.payload_error("Expected an object with one property: credentials", where)
        if len(refs) > MAX_ATTACHED:
            raise v.payload_error(f"A client may use at most {MAX_ATTACHED} private key credentials", where)
        seen: set[str] = set()
        for ref in refs:
            if not isinstance(ref, dict) or set(ref) != {"id"} or not isinstance(ref["id"], str):
                raise v.payload_error('Expected each credential as {"id": "cred_..."}', where)
            if ref["id"] in seen:
                raise v.payload_error(f"Credential {ref['id']} is listed twice", where)
            seen.add(ref["id"])
            credential = self.store.get(KIND, ref["id"])
            if credential is None or credential["client_id"] != client_id:
                raise v.payload_error(f"Credential {ref['id']} does not exist for this client", where)

    def usable(self, client: dict[str, Any]) -> builtins.list[dict[str, Any]] | None:
        """The attached credentials that have not expired (None: the client has no private_key_jwt)."""
        refs = attached_ids(client)
        if refs is None:
            return None
        now = iso(dt.datetime.now(dt.UTC))
        found = [self.store.get(KIND, ref) for ref in refs]
        return [c for c in found if c is not None and (c.get("expires_at") or "9999") > now]
