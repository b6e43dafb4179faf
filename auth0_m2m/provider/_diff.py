"""Input-level diff: what changed between the recorded inputs and the program's new inputs.

The rules follow what Terraform's plan gives the bridged provider for these schemas:

- A key the program leaves out is no change when the field is `computed` (the server keeps
  its value), and a removal (`DELETE`) otherwise. Inside nested objects the same holds per key:
  a nested key the program drops is no change only when upstream marks it Computed (the field's
  `computed_paths`); otherwise it is a `DELETE` (a `DELETE_REPLACE` on a ForceNew path).
- `None`, `""`, `[]` and `{}` all count as "not set"; leaving out a field whose recorded value is
  `False` or `0` is no change either (Terraform's SDK reads an unset primitive as its zero value).
- A value that is still unknown (preview) is a change.
- A change to a `replace` field, or to a nested `replace_paths` entry, makes the change a
  replacement (`*_REPLACE` kinds); old objects go first when the type always asks for it or,
  as the bridge decides, when the program named an autonamed resource itself.
- Paths in `ignoreChanges` (top-level names) are skipped; so are reserved keys (`__defaults`).

The detailed diff names property paths the way pulumi-terraform-bridge v3.120's detailed diff
does: `description`, `jwtConfiguration.alg`, `clientMetadata.team`, `scopes[2]` (lists of
strings compared as an edit script, so an insertion is one `ADD`), `privateKeyJwt.credentials[0].pem`
(lists of objects element by element), and for sets (`unordered` fields) the elements that
were removed (`DELETE` at the old index) or added (`ADD` at the new index): reordering a set is
no change.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from auth0_m2m.provider._resources._base import Field, ResourceType, is_empty
from auth0_m2m.provider._values import UNKNOWN, contains_unknown, reveal

DEFAULTS_KEY = "__defaults"
"""The reserved input key listing the properties Check filled in (as the bridge records it)."""

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Kind(Enum):
    """How one property changes (the engine's `PropertyDiff.Kind`)."""

    ADD = 0
    ADD_REPLACE = 1
    DELETE = 2
    DELETE_REPLACE = 3
    UPDATE = 4
    UPDATE_REPLACE = 5

    @property
    def replaces(self) -> bool:
        """Whether this kind replaces the resource."""
        return self.value % 2 == 1

    def promoted(self) -> Kind:
        """The replacing variant of this kind."""
        return self if self.replaces else Kind(self.value + 1)


@dataclass
class DiffResult:
    """The outcome of comparing old and new inputs of one resource."""

    detailed: dict[str, Kind] = field(default_factory=dict)
    """Property path (`jwtConfiguration.alg`, `scopes[1]`) → kind of change."""
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False

    @property
    def changed(self) -> bool:
        """Whether anything changed."""
        return bool(self.detailed)

    @property
    def properties(self) -> list[str]:
        """The top-level properties that changed (the engine's `diffs`)."""
        return sorted({_top(path) for path in self.detailed})


def diff_inputs(
    rtype: ResourceType,
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    ignore_changes: list[str] = [],  # noqa: B006
) -> DiffResult:
    """Compare the recorded inputs `olds` with the program's `news` for resource type `rtype`."""
    result = DiffResult()
    ignored = {_top(path) for path in ignore_changes}
    for key in sorted(set(olds) | set(news)):
        if key in ignored or key.startswith("__"):
            continue
        fld = rtype.field(key) or Field(key)
        if fld.output_only:
            continue
        old, new = reveal(olds.get(key)), reveal(news.get(key))
        old_set, new_set = not is_empty(old), not is_empty(new)
        if not new_set and new is not UNKNOWN:
            if not old_set or fld.computed or _is_zero(old):
                continue
            changes = {key: _kind(Kind.DELETE, _triggers(fld, "", old))}
        elif not old_set:
            changes = {key: _kind(Kind.ADD, _triggers(fld, "", new) or new is UNKNOWN and fld.replace)}
        else:
            changes = _Differ(fld).diff(key, "", old, new)
        result.detailed.update(changes)
        if any(kind.replaces for kind in changes.values()):
            result.replaces.append(key)
    result.delete_before_replace = bool(result.replaces) and _delete_first(rtype, news)
    return result


def _delete_first(rtype: ResourceType, news: Mapping[str, Any]) -> bool:
    """The bridge's rule: always for types that say so; for autonamed types when the name is the program's."""
    if rtype.delete_before_replace:
        return True
    defaults = reveal(news.get(DEFAULTS_KEY))
    if not rtype.autoname or not isinstance(defaults, list):
        return False
    return "name" in news and "name" not in defaults


class _Differ:
    """Path-level comparison of one field's old and new (revealed) values."""

    def __init__(self, fld: Field) -> None:
        self.fld = fld
        self.opaque = frozenset(p for p in fld.opaque)
        self.replace = fld.replace_paths | ({""} if fld.replace else frozenset())

    def diff(self, path: str, rel: str, old: Any, new: Any) -> dict[str, Kind]:
        """Changes at and below `path` (`rel` is the schema path inside the field, `[]` for elements)."""
        if new is UNKNOWN or (self.fld.unordered and rel == "" and contains_unknown(new)):
            return {path: _kind(Kind.UPDATE, self._replaces_at(rel))}
        if rel in self.opaque and isinstance(new, Mapping):
            return self._map(path, rel, old if isinstance(old, Mapping) else {}, new)
        if isinstance(new, Mapping):
            if not isinstance(old, Mapping):
                return {path: _kind(Kind.UPDATE, self._replaces_at(rel))}
            changes: dict[str, Kind] = {}
            for key in [*new, *(k for k in old if k not in new)]:
                value, before = new.get(key), old.get(key)
                sub, sub_rel = _join(path, key), _join(rel, key) if rel else key
                if key not in new and (sub_rel in self.fld.computed_paths or _is_zero(before)):
                    continue  # a nested Computed key left out keeps the server's value
                if is_empty(value) and value is not UNKNOWN:
                    if not is_empty(before):
                        changes[sub] = _kind(Kind.DELETE, self._triggers(sub_rel, before))
                elif is_empty(before):
                    changes[sub] = _kind(Kind.ADD, self._triggers(sub_rel, value))
                else:
                    changes.update(self.diff(sub, sub_rel, before, value))
            return changes
        if isinstance(new, list):
            if not isinstance(old, list):
                return {path: _kind(Kind.UPDATE, self._replaces_at(rel))}
            if self.fld.unordered and rel == "":
                return self._set(path, rel, old, new)
            if all(not isinstance(v, Mapping | list) for v in [*old, *new]):
                return self._scalar_list(path, rel, old, new)
            return self._object_list(path, rel, old, new)
        if _normal(old) != _normal(new):
            return {path: _kind(Kind.UPDATE, self._replaces_at(rel))}
        return {}

    def _map(self, path: str, rel: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Kind]:
        changes: dict[str, Kind] = {}
        for key in sorted(set(old) | set(new)):
            before, after = _normal(old.get(key)), _normal(new.get(key))
            if before == after:
                continue
            kind = Kind.ADD if before is None else Kind.DELETE if after is None else Kind.UPDATE
            changes[_join(path, key)] = _kind(kind, self._replaces_at(rel))
        return changes

    def _scalar_list(self, path: str, rel: str, old: list[Any], new: list[Any]) -> dict[str, Kind]:
        changes: dict[str, Kind] = {}
        matcher = difflib.SequenceMatcher(None, [_normal(v) for v in old], [_normal(v) for v in new], False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("delete", "replace"):
                for i in range(i1, i2):
                    _merge(changes, f"{path}[{i}]", Kind.DELETE)
            if tag in ("insert", "replace"):
                for j in range(j1, j2):
                    _merge(changes, f"{path}[{j}]", Kind.ADD)
        replaces = self._replaces_at(rel)
        return {p: _kind(k, replaces) for p, k in changes.items()}

    def _object_list(self, path: str, rel: str, old: list[Any], new: list[Any]) -> dict[str, Kind]:
        changes: dict[str, Kind] = {}
        for index in range(max(len(old), len(new))):
            elem, elem_rel = f"{path}[{index}]", f"{rel}[]"
            if index >= len(new):
                changes[elem] = _kind(Kind.DELETE, self._triggers(elem_rel, old[index]))
            elif index >= len(old):
                changes[elem] = _kind(Kind.ADD, self._triggers(elem_rel, new[index]))
            else:
                changes.update(self.diff(elem, elem_rel, old[index], new[index]))
        return changes

    def _set(self, path: str, rel: str, old: list[Any], new: list[Any]) -> dict[str, Kind]:
        old_ids, new_ids = [_identity(v) for v in old], [_identity(v) for v in new]
        removed = [i for i, ident in enumerate(old_ids) if ident not in new_ids]
        added = [j for j, ident in enumerate(new_ids) if ident not in old_ids]
        changes: dict[str, Kind] = {}
        elem_rel = f"{rel}[]"
        for index in sorted(set(removed) | set(added)):
            elem = f"{path}[{index}]"
            if index in removed and index in added:
                changes.update(self.diff(elem, elem_rel, old[index], new[index]))
            elif index in removed:
                changes[elem] = _kind(Kind.DELETE, self._triggers(elem_rel, old[index]))
            else:
                changes[elem] = _kind(Kind.ADD, self._triggers(elem_rel, new[index]))
        return changes

    def _replaces_at(self, rel: str) -> bool:
        """Whether a change at `rel` (or inside it, for a wholesale change) replaces the resource."""
        if rel == "":
            return bool(self.replace)
        return any(p == rel or p.startswith((rel + ".", rel + "[]")) for p in self.replace)

    def _triggers(self, rel: str, value: Any) -> bool:
        return _triggers(self.fld, rel, value)


def _triggers(fld: Field, rel: str, value: Any) -> bool:
    """Whether setting or removing `value` at `rel` touches a `replace` path (a non-empty value there)."""
    paths = fld.replace_paths | ({""} if fld.replace else frozenset())
    for path in paths:
        if path == rel:
            if not is_empty(value):
                return True
        elif rel == "" or path.startswith((rel + ".", rel + "[]")):
            rest = path if rel == "" else path[len(rel) :]
            if any(not is_empty(v) for v in _walk(value, rest)):
                return True
    return False


def _walk(value: Any, rest: str) -> list[Any]:
    """The values found in `value` along `rest` (`.key` steps and `[]` for every element)."""
    if not rest:
        return [value]
    if rest.startswith("[]"):
        items = value if isinstance(value, list) else []
        return [found for item in items for found in _walk(item, rest[2:])]
    step = rest.lstrip(".")
    key, _, tail = step.partition(".")
    key, bracket, after = key.partition("[]")
    tail = ("[]" + after + ("." + tail if tail else "")) if bracket else ("." + tail if tail else "")
    return _walk(value.get(key), tail) if isinstance(value, Mapping) else []


def _identity(value: Any) -> str:
    """A set element's identity: its value with empty entries dropped, keys sorted."""
    if isinstance(value, Mapping):
        inner = ",".join(f"{k}={_identity(v)}" for k, v in sorted(value.items()) if not is_empty(v))
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ",".join(_identity(v) for v in value) + "]"
    return repr(_normal(value))


def _merge(changes: dict[str, Kind], path: str, kind: Kind) -> None:
    changes[path] = Kind.UPDATE if path in changes else kind


def _kind(kind: Kind, replaces: bool) -> Kind:
    return kind.promoted() if replaces else kind


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if _IDENT.match(key) else f'{path}["{key}"]'


def _top(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def _is_zero(value: Any) -> bool:
    """`False` and `0` equal an absent value, as Terraform's SDK treats unset primitives."""
    return value is False or (type(value) is int and value == 0)


def _normal(value: Any) -> Any:
    return None if is_empty(value) else value
