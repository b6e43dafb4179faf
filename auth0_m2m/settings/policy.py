"""Least-privilege policy: what the grants of a stack may reach, checked before anything is declared.

A policy check is a function `(config, context) -> Iterable[str]` returning problem lines, like the
rules in `_rules.py`, but about privilege rather than well-formedness. `parse_stack_config` runs
`DEFAULT_CHECKS` unless given others, so new checks (e.g. "production stacks are protected",
"allow_any_organization needs an explicit opt-in") slot in by adding a function to that tuple.
`allow_all_scopes` is refused earlier, as a forbidden key (see `_errors.FORBIDDEN_KEYS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from auth0_m2m.settings._errors import key_path
from auth0_m2m.settings._models import StackConfig
from auth0_m2m.settings._rules import same_audience


def _at(*parts: str | int) -> str:
    """The key path of a location, e.g. _at("apis", "billing") -> auth0-m2m:apis.billing."""
    return key_path(parts)


@dataclass(frozen=True)
class PolicyContext:
    """What a policy check may know besides the config itself."""

    stack: str | None = None
    """The stack (environment) name, e.g. `prod`, when known."""


PolicyCheck = Callable[[StackConfig, PolicyContext], Iterable[str]]


def no_management_api_grant(config: StackConfig, context: PolicyContext) -> Iterator[str]:
    """No integration is granted the Management API, and no API here claims its audience."""
    management = config.auth0.management_audience
    for key, api in config.apis.items():
        if same_audience(api.identifier, management):
            yield (
                f"{_at('apis', key, 'identifier')}: '{api.identifier}' is the Management API; "
                "integrations must not be granted it, use your own API's identifier"
            )
    for name, integration in config.integrations.items():
        if integration.audience is not None and same_audience(integration.audience, management):
            yield (
                f"{_at('integrations', name, 'audience')}: '{integration.audience}' is the Management API; "
                "granting it gives tenant-wide admin rights, grant your own API instead"
            )


DEFAULT_CHECKS: tuple[PolicyCheck, ...] = (no_management_api_grant,)
"""The policy checks every stack passes; extend this tuple to add a check everywhere."""


def run_checks(
    config: StackConfig, context: PolicyContext, checks: Iterable[PolicyCheck] = DEFAULT_CHECKS
) -> list[str]:
    """Run policy checks in order and collect their problem lines."""
    problems: list[str] = []
    for check in checks:
        problems.extend(check(config, context))
    return problems
