"""Identifiers and secrets in Auth0's shapes, drawn from `secrets` (never a predictable RNG)."""

from __future__ import annotations

import secrets
import string

_ALNUM = string.ascii_letters + string.digits


def _alnum(n: int) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(n))


def client_id() -> str:
    """A 32-character client id like Auth0's."""
    return _alnum(32)


def client_secret() -> str:
    """A 64-character URL-safe client secret."""
    return secrets.token_urlsafe(48)[:64]


def resource_server_id() -> str:
    """A 24-hex-digit resource server id."""
    return secrets.token_hex(12)


def grant_id() -> str:
    """A `cgr_…` client grant id."""
    return "cgr_" + _alnum(16)


def organization_id() -> str:
    """An `org_…` organization id."""
    return "org_" + _alnum(16)


def credential_id() -> str:
    """A `cred_…` client credential id (22 characters after the prefix, as Auth0's)."""
    return "cred_" + _alnum(22)
