"""Body checks with Auth0's "Payload validation error" wording; each names the property at fault."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auth0_m2m.tenant.core.exceptions import BadRequest

_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array", dict: "object"}


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return _JSON_TYPES.get(type(value), type(value).__name__)


def payload_error(detail: str, prop: str | None = None) -> BadRequest:
    """A 400 in Auth0's words."""
    where = f" on property {prop}" if prop else ""
    return BadRequest(f"Payload validation error: '{detail}'{where}.")


def require(body: dict[str, Any], key: str) -> Any:
    """The value of a required property."""
    if key not in body or body[key] is None:
        raise payload_error(f"Missing required property: {key}")
    return body[key]


def check_type(body: dict[str, Any], key: str, kind: type, *, nullable: bool = False) -> None:
    """Fail unless `body[key]` is absent or of JSON type `kind` (bool is not an integer)."""
    if key not in body or (nullable and body[key] is None):
        return
    value = body[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok:
        raise payload_error(f"Expected type {_JSON_TYPES[kind]} but found type {_type_name(value)}", key)


def check_str(body: dict[str, Any], key: str, *, min_len: int = 0, max_len: int = 10_000) -> None:
    """A string property within length bounds."""
    check_type(body, key, str)
    if key in body and not min_len <= len(body[key]) <= max_len:
        raise payload_error(f"String length must be between {min_len} and {max_len}", key)


def check_enum(body: dict[str, Any], key: str, allowed: Iterable[str], *, nullable: bool = False) -> None:
    """A property restricted to a set of strings."""
    if key not in body or (nullable and body[key] is None):
        return
    options = list(allowed)
    if body[key] not in options:
        raise payload_error(f"No enum match for: {body[key]!r} (allowed: {', '.join(options)})", key)


def check_str_list(body: dict[str, Any], key: str) -> None:
    """An array of strings."""
    check_type(body, key, list)
    if key in body and not all(isinstance(v, str) and v for v in body[key]):
        raise payload_error("Expected every item to be a non-empty string", key)


def reject_keys(body: dict[str, Any], keys: Iterable[str]) -> None:
    """Properties the operation does not accept (e.g. an immutable identifier on PATCH)."""
    extra = sorted(k for k in keys if k in body)
    if extra:
        raise payload_error(f"Additional properties not allowed: {','.join(extra)}")
