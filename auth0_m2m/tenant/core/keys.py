"""The tenant's token signing key: RS256 JWTs, the JWKS document and token verification.

The RSA key is kept in the state dir (`signing-key.pem`, 0600) so tokens issued before a restart
still verify after it; an in-memory tenant makes a fresh key. PyJWT does the signing and checking.
Callers send the same bearer token on every request, so a token that verified once is remembered
(with its claims) until it expires: the RSA check and JWT parsing ran on every Management request and
were a third of the tenant's CPU per read (bench P3). Expiry is still checked on every use.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from auth0_m2m.tenant.core.tls import write_private

VERIFIED_CACHE_SIZE = 1024
"""Verified tokens remembered at most; the cache is emptied when full (tokens are few and long-lived)."""


class SigningKey:
    """One RS256 key pair with a stable `kid`."""

    def __init__(self, path: Path | None = None) -> None:
        key: rsa.RSAPrivateKey | None = None
        if path is not None and path.exists():
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if isinstance(loaded, rsa.RSAPrivateKey):
                key = loaded
        if key is None:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            if path is not None:
                pem = key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
                write_private(path, pem)
        self._key = key
        self._public_key = key.public_key()
        self._verified: dict[tuple[str, str, str], dict[str, Any]] = {}
        der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
        self.kid = base64.urlsafe_b64encode(hashlib.sha256(der).digest()[:15]).decode().rstrip("=")

    def sign(self, claims: dict[str, Any]) -> str:
        """A compact RS256 JWT carrying `claims`."""
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid, "typ": "JWT"})

    def decode(self, token: str, *, audience: str, issuer: str) -> dict[str, Any]:
        """Verify signature, expiry, audience and issuer; raises `jwt.PyJWTError`."""
        cache_key = (token, audience, issuer)
        known = self._verified.get(cache_key)
        if known is not None:
            if time.time() < float(known["exp"]):
                return dict(known)
            del self._verified[cache_key]  # expired: the full check below raises the right error
        header = jwt.get_unverified_header(token)
        if header.get("kid") not in (None, self.kid):
            raise jwt.InvalidSignatureError("unknown kid")
        claims: dict[str, Any] = jwt.decode(
            token, self._public_key, algorithms=["RS256"], audience=audience, issuer=issuer
        )
        if isinstance(claims.get("exp"), int | float):
            if len(self._verified) >= VERIFIED_CACHE_SIZE:
                self._verified.clear()
            self._verified[cache_key] = dict(claims)
        return claims

    def jwks(self) -> dict[str, Any]:
        """The public JWKS document served at `/.well-known/jwks.json`."""
        jwk = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}
