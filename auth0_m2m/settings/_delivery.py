"""The delivery keys: `auth0-m2m:deliver` (where each integration's credentials go) and `rotate:`.

`auth0-m2m:deliver` maps an integration's name to its targets (`KIND:ARG`, `_targets.py`):

```yaml
auth0-m2m:deliver:
  nango-billing: ["nango:", "aws-sm:auth0/dev/nango-billing"]
  reporting: ["vault:secret/auth0/dev/reporting"]
```

`check_delivery` checks it against the integrations a stack has: those of its stack file for the
config-driven program (a rule of `parse_stack_config`), or those its `integrations` output names for
any other program (`parse_delivery`, which `auth0-m2m deliver` runs before any call). Connection
settings and tokens of the stores never go here: they come from the environment (`AUTH0_M2M_*`).
`rotation_rules` checks `rotate: scheduled`, the opt-in to the scheduled rotation job.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from auth0_m2m.settings._errors import ConfigError, key_path, problems_from_validation_error
from auth0_m2m.settings._models import PROJECT, StackConfig, Target
from auth0_m2m.settings._targets import TargetSpec

DELIVER_KEY = f"{PROJECT}:deliver"
LIST_FIX = "; give the integration's targets as a list, e.g. [nango:, json:out/creds.json]"


class _Delivery(BaseModel):
    """The `deliver` key alone, so that its problems carry the same key paths as in a StackConfig."""

    deliver: dict[str, list[Target]]


def check_delivery(deliver: Mapping[str, list[TargetSpec]], integrations: Collection[str]) -> Iterator[str]:
    """Problems of the `deliver` map against the names of the stack's integrations."""
    known = ", ".join(sorted(integrations)) or "none"
    for name, targets in deliver.items():
        where = ("deliver", name)
        if name not in integrations:
            yield f"{key_path(where)}: no integration {name!r} in this stack (it has: {known}); fix the name"
        if not targets:
            yield f"{key_path(where)}: lists no target; give at least one (e.g. nango:) or remove the key"
        seen: set[TargetSpec] = set()
        for index, target in enumerate(targets):
            if target in seen:
                yield f"{key_path((*where, index))}: {target} is listed twice; keep one"
            seen.add(target)


def delivery_rules(config: StackConfig) -> Iterator[str]:
    """`auth0-m2m:deliver` against the stack file's own integrations, and `rotate: scheduled`."""
    yield from check_delivery(config.deliver, config.integrations)
    for name, integration in config.integrations.items():
        if integration.rotate == "scheduled" and integration.auth_method == "private_key_jwt":
            yield (
                f"{key_path(('integrations', name, 'rotate'))}: a private_key_jwt app has no client secret "
                "to rotate; rotate its keys through public_keys, or remove `rotate: scheduled`"
            )


def parse_delivery(value: Any, integrations: Collection[str] | None) -> dict[str, list[TargetSpec]]:
    """The `auth0-m2m:deliver` value of a stack file (YAML map, or JSON text), checked; ConfigError else.

    With `integrations` None only the syntax is checked (the names are checked once they are known).
    """
    if value is None:
        return {}
    if isinstance(value, str):
        import json

        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise ConfigError([f"{DELIVER_KEY}: must be a mapping (YAML map, or JSON object text)"]) from None
    try:
        deliver = _Delivery.model_validate({"deliver": value}).deliver
    except ValidationError as error:
        lines = problems_from_validation_error(error)
        raise ConfigError(
            [line + LIST_FIX if line.endswith("valid list") else line for line in lines]
        ) from None
    problems = list(check_delivery(deliver, deliver if integrations is None else integrations))
    if problems:
        raise ConfigError(problems)
    return deliver
