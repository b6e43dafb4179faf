"""Validate an Auth0 access token against the tenant's JWKS and the integration's grant.

Checks, each failing with one short line (joined with "; " when several claim checks fail):
- header: `alg` is RS256 and `kid` names a key of `https://{hostname}/.well-known/jwks.json`;
- signature and `exp` (PyJWT), `iss == https://{hostname}/`, `aud` contains the audience;
- `scope` holds every granted scope and nothing else ("scope mismatch: missing a, unexpected b");
- with an organization: `org_id` is present and equals the organization's id when known (or the
  organization itself when that is an `org_` id), and `org_name`, when the tenant sends it, equals
  the organization's name. Without one, an `org_id` in the token is allowed: a client's default
  organization puts it there (auth0-facts.md, section 12).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

import jwt

from auth0_m2m.consumers._exceptions import AccessTokenError
from auth0_m2m.outputs import IntegrationOutputs

ALGORITHM = "RS256"


def jwks_url(hostname: str) -> str:
    """Where Auth0 publishes a tenant's signing keys."""
    return f"https://{hostname}/.well-known/jwks.json"


def issuer(hostname: str) -> str:
    """The `iss` Auth0 puts in tokens of the tenant at `hostname` (with the trailing slash)."""
    return f"https://{hostname}/"


class JwksCache:
    """Key sets per tenant, fetched once and fetched again when a token names an unknown `kid`.

    `fetch(hostname)` returns the JWKS document as a dict; the cache is safe to share across threads.
    """

    def __init__(self, fetch: Callable[[str], Mapping[str, Any]]) -> None:
        self._fetch = fetch
        self._sets: dict[str, jwt.PyJWKSet] = {}
        self._lock = threading.Lock()

    def _load(self, hostname: str) -> jwt.PyJWKSet:
        try:
            keys = jwt.PyJWKSet.from_dict(dict(self._fetch(hostname)))
        except jwt.PyJWKSetError as exc:
            raise AccessTokenError([f"JWKS at {jwks_url(hostname)} is unusable: {exc}"]) from None
        with self._lock:
            self._sets[hostname] = keys
        return keys

    def key(self, hostname: str, kid: str) -> jwt.PyJWK:
        """The signing key `kid` of the tenant, refetching the set once if the key is not known yet."""
        with self._lock:
            cached = self._sets.get(hostname)
        for keys in (cached, None):
            if keys is None:
                keys = self._load(hostname)
            try:
                return keys[kid]
            except KeyError:
                continue
        raise AccessTokenError([f"signing key {kid!r} is not in the tenant's JWKS"])


def _claim_problems(claims: Mapping[str, Any], outputs: IntegrationOutputs) -> list[str]:
    problems: list[str] = []
    expected_iss = issuer(outputs.hostname)
    if claims.get("iss") != expected_iss:
        problems.append(f"issuer mismatch: expected {expected_iss}, got {claims.get('iss')}")
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else list(aud or [])
    if outputs.audience not in audiences:
        problems.append(
            f"audience mismatch: expected {outputs.audience}, got {', '.join(map(str, audiences))}"
        )
    granted = set(str(claims.get("scope") or "").split())
    expected = set(outputs.scopes)
    missing, unexpected = sorted(expected - granted), sorted(granted - expected)
    if missing or unexpected:
        parts = ([f"missing {' '.join(missing)}"] if missing else []) + (
            [f"unexpected {' '.join(unexpected)}"] if unexpected else []
        )
        problems.append(f"scope mismatch: {', '.join(parts)}")
    if outputs.organization:
        problems.extend(_org_problems(claims, outputs))
    return problems


def _org_problems(claims: Mapping[str, Any], outputs: IntegrationOutputs) -> list[str]:
    org = outputs.organization or ""
    expected_id = outputs.organization_id or (org if org.startswith("org_") else None)
    org_id = claims.get("org_id")
    if not org_id:
        return ["org_id missing"]
    problems = []
    if expected_id and org_id != expected_id:
        problems.append(f"org_id mismatch: expected {expected_id}, got {org_id}")
    org_name = claims.get("org_name")
    if org_name is not None and not org.startswith("org_") and str(org_name).lower() != org.lower():
        problems.append(f"org_name mismatch: expected {org}, got {org_name}")
    return problems


def validate_access_token(
    token: str, outputs: IntegrationOutputs, jwks: JwksCache, *, leeway: float = 0
) -> dict[str, Any]:
    """Return the token's claims if it passes every check above; raise `AccessTokenError` otherwise."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.DecodeError as exc:
        raise AccessTokenError([f"not a JWT: {exc}"]) from None
    if header.get("alg") != ALGORITHM:
        raise AccessTokenError([f"algorithm mismatch: expected {ALGORITHM}, got {header.get('alg')}"])
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise AccessTokenError(["token header has no kid"])
    key = jwks.key(outputs.hostname, kid)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            leeway=leeway,
            options={"verify_aud": False, "verify_iss": False, "require": ["exp", "iss", "aud"]},
        )
    except jwt.InvalidSignatureError:
        raise AccessTokenError(["signature invalid"]) from None
    except jwt.ExpiredSignatureError:
        raise AccessTokenError(["token expired"]) from None
    except jwt.MissingRequiredClaimError as exc:
        raise AccessTokenError([f"{exc.claim} missing"]) from None
    except jwt.InvalidTokenError as exc:
        raise AccessTokenError([f"token invalid: {exc}"]) from None
    problems = _claim_problems(claims, outputs)
    if problems:
        raise AccessTokenError(problems)
    return claims
