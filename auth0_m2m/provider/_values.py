"""Convert the engine's protobuf property maps to plain Python values and back.

The engine sends resource properties as `google.protobuf.Struct`s in which two things are encoded
in-band (see `pulumi.runtime.rpc`): a **secret** is a map `{<sig key>: <secret sig>, "value": v}`,
and an **unknown** value (a preview before a dependency exists) is a fixed sentinel string.
Here a secret becomes `Secret(value)` and an unknown becomes `UNKNOWN`, so the rest of the
provider works on ordinary dicts, lists, strings, ints, floats and bools. Numbers arrive as
floats; whole numbers are turned back into `int` (token lifetimes, `lifetimeInSeconds`).

The provider tells the engine in `Configure` that it accepts secrets but not output values or
resource references, so those two encodings never arrive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import rpc

_SIG_KEY: Final = rpc._special_sig_key
_SECRET_SIG: Final = rpc._special_secret_sig
_UNKNOWN_SENTINEL: Final = rpc.UNKNOWN


class _Unknown:
    """The type of `UNKNOWN`: a value the engine does not know yet (during a preview)."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()
"""A value not known until an earlier resource is created (only seen in previews)."""


@dataclass(frozen=True)
class Secret:
    """A value the engine tracks as secret; `repr` never shows it."""

    value: Any

    def __repr__(self) -> str:
        return "Secret(***)"


def decode_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    """Turn an engine property map into plain values with `Secret` and `UNKNOWN` markers."""
    raw = json_format.MessageToDict(struct)
    return {key: _decode(value) for key, value in raw.items()}


def _decode(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return UNKNOWN if value == _UNKNOWN_SENTINEL else value
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        if value.get(_SIG_KEY) == _SECRET_SIG:
            return Secret(_decode(value.get("value")))
        return {key: _decode(item) for key, item in value.items()}
    return value


def encode_struct(values: Mapping[str, Any]) -> struct_pb2.Struct:
    """Turn plain values (with `Secret` and `UNKNOWN` markers) into an engine property map."""
    struct = struct_pb2.Struct()
    struct.update({key: _encode(value) for key, value in values.items()})
    return struct


def _encode(value: Any) -> Any:
    if value is UNKNOWN:
        return _UNKNOWN_SENTINEL
    if isinstance(value, Secret):
        return {_SIG_KEY: _SECRET_SIG, "value": _encode(value.value)}
    if isinstance(value, Mapping):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


def reveal(value: Any) -> Any:
    """Return `value` with every `Secret` wrapper removed (for comparing and sending to Auth0)."""
    if isinstance(value, Secret):
        return reveal(value.value)
    if isinstance(value, Mapping):
        return {key: reveal(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [reveal(item) for item in value]
    return value


def contains_secret(value: Any) -> bool:
    """Whether any part of `value` is a `Secret`."""
    if isinstance(value, Secret):
        return True
    if isinstance(value, Mapping):
        return any(contains_secret(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(contains_secret(item) for item in value)
    return False


def contains_unknown(value: Any) -> bool:
    """Whether any part of `value` is `UNKNOWN`."""
    if value is UNKNOWN:
        return True
    if isinstance(value, Secret):
        return contains_unknown(value.value)
    if isinstance(value, Mapping):
        return any(contains_unknown(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(item) for item in value)
    return False
