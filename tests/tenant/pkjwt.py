"""Helpers for the private_key_jwt tests: RSA key pairs (made once per process) and client assertions."""

from __future__ import annotations

import time
import uuid
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@cache
def key(n: int = 0) -> rsa.RSAPrivateKey:
    """The n-th test key pair (2048 bits), the same for the whole run."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(n: int = 0) -> str:
    """The n-th key's public half as SPKI PEM."""
    return (
        key(n)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def private_pem(n: int = 0) -> str:
    """The n-th key's private half as PKCS#8 PEM."""
    return (
        key(n)
        .private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        .decode()
    )


def assertion(
    client_id: str,
    domain: str,
    *,
    n: int = 0,
    alg: str = "RS256",
    kid: str | None = None,
    lifetime: int = 60,
    **overrides: Any,
) -> str:
    """A client assertion for `client_id` at `https://{domain}/`, signed with the n-th key."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": client_id,
        "sub": client_id,
        "aud": f"https://{domain}/",
        "iat": now,
        "exp": now + lifetime,
        "jti": str(uuid.uuid4()),
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    headers = {"kid": kid} if kid else None
    return jwt.encode(claims, key(n), algorithm=alg, headers=headers)
