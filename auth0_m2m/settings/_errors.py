"""ConfigError and the mapping from pydantic's error locations to stack config key paths.

Exception tree::

    ConfigError          the stack config is invalid; `.problems` holds one line per problem,
                         each "<key path>: <what is wrong>; <the fix>". Catch it to print the lines.

A key path names the key as it is written in the stack file: `auth0:clientId`,
`auth0-m2m:integrations.nango-billing.scopes[0]`. Values of secrets never appear in a problem.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from auth0_m2m.settings._models import PROJECT, StackConfig

AUTH0_KEYS: dict[str, str] = {"domain": "domain", "client_id": "clientId", "client_secret": "clientSecret"}
"""Model field of `Auth0Connection` → the provider's camelCase config key (`auth0:<key>`)."""

FORBIDDEN_KEYS: dict[str, str] = {
    "allow_all_scopes": "is not allowed: a grant must list its scopes (least privilege); use `scopes: [...]`",
}
"""Keys that look plausible but are refused on purpose, with the reason shown instead of 'unknown key'."""


class ConfigError(Exception):
    """The stack configuration is invalid; `problems` lists one line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__("\n".join(self.problems))


def key_path(loc: Iterable[str | int]) -> str:
    """Render a location in the config as the key path users write: `auth0-m2m:apis.x.scopes[0]`."""
    parts = list(loc)
    if not parts:
        return f"{PROJECT}:"
    head, rest = parts[0], parts[1:]
    if head == "auth0":
        if not rest:
            return "auth0:"
        name = AUTH0_KEYS.get(str(rest[0]), str(rest[0]))
        text, rest = f"auth0:{name}", rest[1:]
    else:
        text = f"{PROJECT}:{head}"
    for part in rest:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _unwrap(annotation: Any) -> Any:
    """Strip `X | None` down to X."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return annotation


def _model_at(loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class whose keys live at `loc` (walking dicts by key and lists by index)."""
    current: Any = StackConfig
    for part in loc:
        current = _unwrap(current)
        origin = get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif origin is dict:
            current = get_args(current)[1]
        elif origin is list:
            current = get_args(current)[0]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _field_at(loc: Sequence[str | int]) -> typing.Any:
    model = _model_at(loc[:-1])
    if model is None:
        return None
    return model.model_fields.get(str(loc[-1]))


def _unknown_key(loc: Sequence[str | int]) -> str:
    name = str(loc[-1])
    if name in FORBIDDEN_KEYS:
        return f"{key_path(loc)}: {FORBIDDEN_KEYS[name]}"
    model = _model_at(loc[:-1])
    allowed = sorted(model.model_fields) if model is not None else []
    hint = difflib.get_close_matches(name, allowed, n=1)
    fix = f"did you mean '{hint[0]}'?" if hint else "remove it"
    return f"{key_path(loc)}: unknown key; {fix} (allowed: {', '.join(allowed)})"


def problems_from_validation_error(error: ValidationError) -> list[str]:
    """One line per pydantic error, naming the key path and the fix; input values are never echoed."""
    problems: list[str] = []
    for item in error.errors(include_url=False, include_input=False):
        loc: tuple[str | int, ...] = tuple(item["loc"])
        kind = item["type"]
        if kind == "extra_forbidden":
            problems.append(_unknown_key(loc))
        elif kind == "missing":
            field = _field_at(loc)
            what = f" ({field.description})" if field is not None and field.description else ""
            problems.append(f"{key_path(loc)}: missing; add it{what}")
        else:
            message = str(item["msg"])
            if kind.endswith("_type") or kind in {"model_type", "dict_type", "list_type"}:
                field = _field_at(loc)
                if field is not None and field.description:
                    message += f" ({field.description})"
            problems.append(f"{key_path(loc)}: {message}")
    return problems
