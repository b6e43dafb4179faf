"""What every resource type of the stand-in provider shares: field tables and key mapping.

A resource type lists its `Field`s: the Pulumi property name (camelCase, as `pulumi_auth0` 3.37.1
sends it), the Management API key (snake_case), and how the field behaves:

- `computed`: Optional+Computed in the upstream schema (a non-optional output in the SDK). The
  server fills it in when the program leaves it out, so leaving it out is never a change.
- `replace`: changing it replaces the resource (upstream `ForceNew`).
- `replace_paths`: nested paths (`credentials[].pem`, `secretEncoded`) that are `ForceNew` upstream
  inside an updatable block; `[]` stands for any list element.
- `unordered`: the value is a set upstream (`TypeSet`): order never matters, elements are matched
  by value.
- `output_only`: a server-side field the program cannot set (`clientId`, `isSystem`, ...).
- `opaque`: dotted paths inside the value whose maps hold user keys (`clientMetadata`,
  `jwtConfiguration.scopes`), which are never case-converted.
- `write_only`: Auth0 does not send it back, so refresh and read keep the program's value.
- `computed_paths`: nested paths (`lifetimeInSeconds`, `credentials[].expiresAt`) that are
  Optional+Computed (or Computed) upstream: dropping one is no change; dropping any other
  nested key is a removal.

`ResourceType` is the interface the server drives; each module in this package implements one
Auth0 object family against the same Management API calls the upstream provider makes
(`auth0-facts.md`, part 1).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from auth0_m2m.provider._client import ManagementClient
from auth0_m2m.provider._exceptions import Auth0Error, PartialCreate, ProviderError

_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")


def camel_to_snake(name: str) -> str:
    """`lifetimeInSeconds` → `lifetime_in_seconds`."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def snake_to_camel(name: str) -> str:
    """`lifetime_in_seconds` → `lifetimeInSeconds`."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def convert_keys(value: Any, to_api: bool, opaque: frozenset[str], path: str) -> Any:
    """Case-convert map keys inside `value` (at Pulumi `path`), leaving `opaque` maps untouched."""
    if path in opaque:
        return value
    if isinstance(value, Mapping):
        result: dict[str, Any] = {}
        for key, item in value.items():
            pulumi_key = key if to_api else snake_to_camel(key)
            new_key = camel_to_snake(key) if to_api else pulumi_key
            result[new_key] = convert_keys(item, to_api, opaque, f"{path}.{pulumi_key}")
        return result
    if isinstance(value, list):
        return [convert_keys(item, to_api, opaque, path) for item in value]
    return value


def drop_nulls(value: Any) -> Any:
    """Remove `None` entries from maps, recursively (Auth0 sends nulls for unset fields)."""
    if isinstance(value, Mapping):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(item) for item in value]
    return value


def cleared(fields: tuple[Field, ...], olds: Mapping[str, Any], removed: set[str]) -> dict[str, Any]:
    """The API body that clears `removed` fields: `false` for booleans, `[]` for lists, else null."""
    body: dict[str, Any] = {}
    for field in fields:
        if field.name in removed:
            old = olds.get(field.name)
            body[field.api_key] = False if isinstance(old, bool) else [] if isinstance(old, list) else None
    return body


ID_KEY = "__id"
"""An output key a `read` may set to the object's own id when it was read by another key."""


def one_of(
    value: Any, prop: str, allowed: tuple[str, ...], ignore_case: bool = False
) -> list[tuple[str, str]]:
    """A failure for `prop` when `value` is a string outside `allowed` (upstream's `StringInSlice`)."""
    if not isinstance(value, str):
        return []
    if ignore_case:
        ok = value.lower() in {a.lower() for a in allowed}
    else:
        ok = value in allowed
    return [] if ok else [(prop, f"{prop} must be one of {', '.join(allowed)}")]


def required(inputs: Mapping[str, Any], *paths: str) -> list[tuple[str, str]]:
    """Failures for nested Required keys (`block.key`, `list[].key`) missing in blocks the program sets."""
    failures: list[tuple[str, str]] = []
    for dotted in paths:
        parent, _, key = dotted.rpartition(".")
        found: list[Any] = [inputs]
        for step in parent.split("."):
            name, many = step.removesuffix("[]"), step.endswith("[]")
            values = [v.get(name) for v in found if isinstance(v, Mapping)]
            found = [i for v in values if isinstance(v, list) for i in v] if many else values
        if any(isinstance(v, Mapping) and v.get(key) is None for v in found):
            failures.append((dotted, f"{dotted} is required"))
    return failures


def is_empty(value: Any) -> bool:
    """Whether a value counts as 'not set': absent, `None`, `""`, `[]` or `{}`."""
    return value is None or value == "" or value == [] or value == {}


@dataclass(frozen=True)
class Field:
    """One property of a resource, in Pulumi and in the Management API."""

    name: str
    api: str = ""
    computed: bool = False
    replace: bool = False
    replace_paths: frozenset[str] = frozenset()
    unordered: bool = False
    output_only: bool = False
    write_only: bool = False
    opaque: frozenset[str] = frozenset()
    computed_paths: frozenset[str] = frozenset()

    @property
    def api_key(self) -> str:
        """The Management API key (defaults to the snake_case of `name`)."""
        return self.api or camel_to_snake(self.name)

    @property
    def opaque_paths(self) -> frozenset[str]:
        """The Pulumi paths (`clientMetadata`, `jwtConfiguration.scopes`) whose map keys are user data."""
        return frozenset(f"{self.name}.{p}" if p else self.name for p in self.opaque)


def fields_to_api(
    fields: tuple[Field, ...], inputs: Mapping[str, Any], keys: set[str] | None = None
) -> dict[str, Any]:
    """The Management API body for the program's `inputs` (only `keys`, if given)."""
    body: dict[str, Any] = {}
    for field in fields:
        if field.output_only or field.name not in inputs or (keys is not None and field.name not in keys):
            continue
        field_body = convert_keys(inputs[field.name], True, field.opaque_paths, field.name)
        body[field.api_key] = field_body
    return body


def fields_from_api(fields: tuple[Field, ...], obj: Mapping[str, Any]) -> dict[str, Any]:
    """Pulumi outputs for the fields present (and not null) in a Management API object."""
    outputs: dict[str, Any] = {}
    for field in fields:
        if field.api_key in obj and obj[field.api_key] is not None:
            outputs[field.name] = drop_nulls(
                convert_keys(obj[field.api_key], False, field.opaque_paths, field.name)
            )
    return outputs


class ResourceType(ABC):
    """One Pulumi resource type of the `auth0` package, implemented over the Management API."""

    pulumi_type: ClassVar[str]
    fields: ClassVar[tuple[Field, ...]]
    delete_before_replace: ClassVar[bool] = False
    secret_outputs: ClassVar[frozenset[str]] = frozenset()
    autoname: ClassVar[bool] = False
    """Whether `name` is filled in as `<resource name>-<7 hex chars>` when the program omits it."""

    async def read_after_create(
        self, api: ManagementClient, resource_id: str, inputs: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        """Read a just-created object; a failure becomes `PartialCreate` so the id is not lost."""
        try:
            outputs = await self.read(api, resource_id, inputs)
        except Auth0Error as exc:
            raise PartialCreate(resource_id, dict(inputs), exc) from exc
        if outputs is None:
            gone = ProviderError(f"{resource_id} could not be read right after it was created")
            raise PartialCreate(resource_id, dict(inputs), gone)
        return resource_id, outputs

    @classmethod
    def field(cls, name: str) -> Field | None:
        """The field called `name`, if the type has one."""
        return next((f for f in cls.fields if f.name == name), None)

    def check(self, inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Validate the program's (revealed) inputs; return (property, reason) failures."""
        return []

    def fill_defaults(self, inputs: dict[str, Any]) -> list[str]:
        """Fill in upstream's defaults the program left out (in place); return the top-level keys filled."""
        return []

    def planned(
        self, olds: dict[str, Any], news: dict[str, Any], old_outputs: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The (old, new) values an update works from; a type may take left-out values from the state."""
        return olds, news

    @abstractmethod
    async def create(self, api: ManagementClient, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Create the object; return its id and outputs."""

    @abstractmethod
    async def read(
        self, api: ManagementClient, resource_id: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """Read the object's outputs; `None` if it no longer exists. `inputs` may be empty (import)."""

    @abstractmethod
    async def update(
        self, api: ManagementClient, resource_id: str, olds: Mapping[str, Any], news: dict[str, Any]
    ) -> dict[str, Any]:
        """Apply the change from old inputs `olds` to new inputs `news`; return the new outputs."""

    @abstractmethod
    async def delete(self, api: ManagementClient, resource_id: str, outputs: Mapping[str, Any]) -> None:
        """Delete the object; an object that is already gone is not an error."""

    def changed_keys(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> tuple[set[str], set[str]]:
        """Split the input change into (keys set or changed, non-computed keys removed)."""
        changed = {k for k, v in news.items() if olds.get(k) != v}
        removed = set()
        for key in olds:
            field = self.field(key)
            old = olds[key]
            zero = old is False or (type(old) is int and old == 0) or is_empty(old)
            if key not in news and field is not None and not field.computed and not zero:
                removed.add(key)
        return changed, removed

    def inputs_from_outputs(
        self, outputs: Mapping[str, Any], old_inputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The inputs a refresh (old inputs given) or an import (no old inputs) records.

        On refresh each old input takes the server's value, cut to the shape the program used
        (so server-filled nested keys do not show up as changes). On import every settable,
        non-empty field is taken.
        """
        if old_inputs:
            inputs: dict[str, Any] = {}
            for key, old in old_inputs.items():
                field = self.field(key)
                if field is not None and field.write_only:
                    inputs[key] = old
                elif key in outputs:
                    opaque = field.opaque_paths if field is not None else frozenset({key})
                    inputs[key] = _project(outputs[key], old, key, opaque)
            return inputs
        return {
            f.name: outputs[f.name]
            for f in self.fields
            if not f.output_only and f.name in outputs and not is_empty(outputs[f.name])
        }


def _project(value: Any, shape: Any, path: str, opaque: frozenset[str]) -> Any:
    if path not in opaque and isinstance(value, Mapping) and isinstance(shape, Mapping):
        return {k: _project(value[k], shape[k], f"{path}.{k}", opaque) for k in shape if k in value}
    return value
