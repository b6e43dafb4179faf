"""Input-level diff: what changed between the recorded inputs and the program's new inputs.

The rules follow what Terraform's plan gives the bridged provider for these schemas:

- A key the program leaves out is no change when the field is `computed` (the server keeps
  its value), and a removal (`DELETE`) otherwise. Inside nested objects, keys the program
  leaves out are never a change; maps of user keys (`clientMetadata`) compare whole.
- `None`, `""`, `[]` and `{}` all count as "not set"; leaving out a field whose recorded value is
  `False` or `0` is no change either (Terraform's SDK reads an unset primitive as its zero value).
- A value that is still unknown (preview) is a change.
- A change to a `replace` field makes the change a replacement (`*_REPLACE` kinds); the
  resource type says whether the old object must go first (`delete_before_replace`).
- Paths in `ignoreChanges` (top-level names) are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from auth0_m2m.provider._resources._base import ResourceType, is_empty
from auth0_m2m.provider._values import contains_unknown, reveal


class Kind(Enum):
    """How one property changes (the engine's `PropertyDiff.Kind`)."""

    ADD = 0
    ADD_REPLACE = 1
    DELETE = 2
    DELETE_REPLACE = 3
    UPDATE = 4
    UPDATE_REPLACE = 5


@dataclass
class DiffResult:
    """The outcome of comparing old and new inputs of one resource."""

    detailed: dict[str, Kind] = field(default_factory=dict)
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False

    @property
    def changed(self) -> bool:
        """Whether anything changed."""
        return bool(self.detailed)


def diff_inputs(
    rtype: ResourceType,
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    ignore_changes: list[str] = [],  # noqa: B006
) -> DiffResult:
    """Compare the recorded inputs `olds` with the program's `news` for resource type `rtype`."""
    result = DiffResult()
    ignored = {path.split(".", 1)[0].split("[", 1)[0] for path in ignore_changes}
    for key in sorted(set(olds) | set(news)):
        if key in ignored:
            continue
        fld = rtype.field(key)
        if fld is not None and fld.output_only:
            continue
        old, new = olds.get(key), news.get(key)
        old_set, new_set = not is_empty(reveal(old)), not is_empty(reveal(new))
        opaque = fld.opaque_paths if fld is not None else frozenset()
        if not new_set and not contains_unknown(new):
            if not old_set or (fld is not None and fld.computed) or _is_zero(reveal(old)):
                continue
            kind = Kind.DELETE
        elif not old_set:
            kind = Kind.ADD
        elif _differs(reveal(old), reveal(new), key, opaque):
            kind = Kind.UPDATE
        else:
            continue
        if fld is not None and fld.replace:
            kind = Kind(kind.value + 1)
            result.replaces.append(key)
        result.detailed[key] = kind
    result.delete_before_replace = bool(result.replaces) and rtype.delete_before_replace
    return result


def _differs(old: Any, new: Any, path: str, opaque: frozenset[str]) -> bool:
    if contains_unknown(new):
        return True
    if path in opaque:
        return bool(_normal(old) != _normal(new))
    if isinstance(new, Mapping):
        if not isinstance(old, Mapping):
            return not is_empty(new)
        return any(
            _differs(old.get(k), v, f"{path}.{k}", opaque)
            for k, v in new.items()
            if not (is_empty(v) and is_empty(old.get(k)))
        )
    if isinstance(new, list):
        if not isinstance(old, list) or len(old) != len(new):
            return True
        return any(_differs(o, n, path, opaque) for o, n in zip(old, new, strict=True))
    return bool(_normal(old) != _normal(new))


def _is_zero(value: Any) -> bool:
    """`False` and `0` equal an absent value, as Terraform's SDK treats unset primitives."""
    return value is False or (type(value) is int and value == 0)


def _normal(value: Any) -> Any:
    return None if is_empty(value) else value
