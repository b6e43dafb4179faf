"""Client authentication with `private_key_jwt` at the token endpoint (no HTTP).

A client assertion authenticates a client whose `client_authentication_methods.private_key_jwt`
lists credentials. As Auth0 documents it ("Authenticate with Private Key JWT"):
- `client_assertion_type` is `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`, a
  `client_assertion` is sent, and no `client_secret` comes with it (else 400 `invalid_request`);
- the JWT is signed with the private key of one of the client's attached, unexpired credentials, with
  that credential's `alg` (RS256, RS384 or PS256); a header `kid` picks the credential with that
  `kid`, otherwise each is tried and whichever verifies counts;
- `iss` = `sub` = the client id (and = `client_id` when the body sends one); `aud` = the tenant,
  `https://{domain}/` (Auth0's docs) or its token endpoint `https://{domain}/oauth/token` (Auth0's
  support article); `exp` in the future and at most 5 minutes after `iat` (or now, without `iat`);
  `iat` / `nbf`, when present, no more than 10 seconds ahead (Auth0's clock skew);
- `jti` is required and single use: a replay before the assertion expires is refused. Used ids are
  kept in the tenant's store until then, so a restart does not reopen them; `iss`, `sub` and `jti`
  are at most 64 characters.
Every failure is 401 `invalid_client` with one line saying what is wrong (Auth0's failed-exchange
logs say "Failed client authentication"; its exact `error_description`s are unverified).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import jwt

from auth0_m2m.tenant.clients.credentials import load_public_key
from auth0_m2m.tenant.core.exceptions import BadRequest
from auth0_m2m.tenant.oauth.exceptions import InvalidClientAssertion, InvalidRequest

if TYPE_CHECKING:
    from auth0_m2m.tenant.core.backend import Tenant

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
MAX_LIFETIME = 300
"""Seconds an assertion may live (`exp` − `iat`): Auth0's maximum of 5 minutes."""
CLOCK_SKEW = 10
"""Seconds `iat` / `nbf` may be ahead of the tenant's clock."""
MAX_CLAIM_LENGTH = 64
JTI_KIND = "client_assertion_jti"


def _claims_unverified(assertion: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise InvalidClientAssertion("client_assertion is not a valid JWT") from None
    return claims


class AssertionVerifier:
    """Checks client assertions against the tenant's clients, credentials and used `jti`s."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    def authenticate(
        self, client_id: str | None, assertion_type: str | None, assertion: str, *, with_secret: bool
    ) -> dict[str, Any]:
        """The client the assertion authenticates, or an `OAuthError`."""
        if assertion_type != ASSERTION_TYPE:
            raise InvalidRequest(f"client_assertion_type must be {ASSERTION_TYPE}")
        if not assertion:
            raise InvalidRequest("Missing required parameter: client_assertion")
        if with_secret:
            raise InvalidRequest("Send either client_secret or client_assertion, not both")
        claims = _claims_unverified(assertion)
        issuer = claims.get("iss")
        if not isinstance(issuer, str) or not issuer:
            raise InvalidClientAssertion("The client_assertion has no 'iss' claim (the client id)")
        if client_id is not None and client_id != issuer:
            raise InvalidClientAssertion("The 'iss' claim of client_assertion is not the client_id sent")
        client = self.tenant.clients.find(issuer)
        if client is None:
            raise InvalidClientAssertion("Unknown client in the 'iss' claim of client_assertion")
        credentials = self.tenant.clients.credential_backend.usable(client)
        if credentials is None:
            raise InvalidClientAssertion("The client is not configured for private_key_jwt authentication")
        verified = self._verify_signature(assertion, credentials)
        self._check_claims(verified, issuer)
        self._use_jti(issuer, str(verified["jti"]), float(verified["exp"]))
        return client

    def _verify_signature(self, assertion: str, credentials: list[dict[str, Any]]) -> dict[str, Any]:
        try:
            kid = jwt.get_unverified_header(assertion).get("kid")
        except jwt.PyJWTError:
            raise InvalidClientAssertion("client_assertion is not a valid JWT") from None
        if kid is not None:
            credentials = [c for c in credentials if c.get("kid") == kid]
            if not credentials:
                raise InvalidClientAssertion(f"No usable credential of the client has kid {kid!r}")
        if not credentials:
            raise InvalidClientAssertion("The client has no unexpired private_key_jwt credential")
        for credential in credentials:
            try:
                key, _ = load_public_key(str(credential["pem"]))
            except BadRequest:
                continue
            try:
                claims: dict[str, Any] = jwt.decode(
                    assertion,
                    key,
                    algorithms=[str(credential["alg"])],
                    options={
                        "verify_exp": False,
                        "verify_iat": False,
                        "verify_nbf": False,
                        "verify_aud": False,
                        "verify_iss": False,
                    },
                )
            except jwt.PyJWTError:
                continue
            return claims
        raise InvalidClientAssertion(
            "The client_assertion signature does not verify with the algorithm and public key of any "
            "of the client's credentials"
        )

    def _check_claims(self, claims: dict[str, Any], client_id: str) -> None:
        issuer = self.tenant.issuer
        now = time.time()
        for name in ("iss", "sub", "jti"):
            value = claims.get(name)
            if not isinstance(value, str) or not 0 < len(value) <= MAX_CLAIM_LENGTH:
                raise InvalidClientAssertion(f"'{name}' claim must be a string of 1 to 64 characters")
        if claims["sub"] != client_id:
            raise InvalidClientAssertion("'sub' claim must be the client id, as 'iss'")
        audiences = claims.get("aud")
        accepted = (issuer, f"{issuer}oauth/token")
        listed = audiences if isinstance(audiences, list) else [audiences]
        if not any(a in accepted for a in listed):
            raise InvalidClientAssertion(f"'aud' claim must be {accepted[0]} or {accepted[1]}")
        exp = claims.get("exp")
        if not isinstance(exp, int | float) or isinstance(exp, bool):
            raise InvalidClientAssertion("'exp' claim is required")
        if exp <= now:
            raise InvalidClientAssertion("client_assertion has expired ('exp' is in the past)")
        for name in ("iat", "nbf"):
            value = claims.get(name)
            if value is not None and (not isinstance(value, int | float) or value > now + CLOCK_SKEW):
                raise InvalidClientAssertion(f"'{name}' claim must be a time no later than now")
        start = claims.get("iat", now)
        if exp - start > MAX_LIFETIME:
            raise InvalidClientAssertion(
                "'exp' claim must specify a time that is no more than 5 minutes after 'iat'"
            )

    def _use_jti(self, client_id: str, jti: str, exp: float) -> None:
        store = self.tenant.store
        key = f"{client_id}:{jti}"
        now = time.time()
        with store.transaction():
            if store.get(JTI_KIND, key) is not None:
                raise InvalidClientAssertion(
                    "'jti' claim has been used before: a client assertion is single use"
                )
            for used in store.list(JTI_KIND):
                if float(used["exp"]) < now:
                    store.delete(JTI_KIND, str(used["key"]))
            store.put(JTI_KIND, key, {"key": key, "exp": exp})
