"""Least-privilege policy: what the grants of a stack may reach, checked before anything is declared.

A policy check is a function `(config, context) -> Iterable[str]` returning problem lines, like the
rules in `_rules.py`, but about privilege rather than well-formedness. `parse_stack_config` runs
`DEFAULT_CHECKS` unless given others (so `check-config`, `preview` and `up` all apply them); a new
check slots in by adding a function to that tuple. The default checks:

- no grant to the Management API audience, and no API here claiming it (`no_management_api_grant`);
- `allow_any_organization: true` only with the stack-level opt-in `auth0-m2m:policy:
  {allow_any_organization: true}` (`any_organization_needs_opt_in`);
- a production stack (named `prod`/`production`, or `auth0-m2m:environment: production`) sets
  `auth0-m2m:protect: true` (`production_is_protected`).

Checked elsewhere, before these run: `allow_all_scopes` is a forbidden key (`_errors.FORBIDDEN_KEYS`),
and the scopes of a grant on an API of this stack must be scopes of that API (`_rules.py`). The
scopes of an API referenced by `audience:` live in the tenant and are checked by Auth0 at `up`.
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


PRODUCTION_STACK_NAMES = frozenset({"prod", "production"})
"""Stack names that mean production even without `auth0-m2m:environment: production`."""


def is_production(config: StackConfig, context: PolicyContext) -> bool:
    """Whether the stack is a production stack, by its declared environment or its name."""
    if config.environment is not None:
        return config.environment == "production"
    return (context.stack or "").lower() in PRODUCTION_STACK_NAMES


def any_organization_needs_opt_in(config: StackConfig, context: PolicyContext) -> Iterator[str]:
    """`allow_any_organization` opens a grant to every organization: only with the stack's opt-in."""
    if config.policy.allow_any_organization:
        return
    for name, integration in config.integrations.items():
        if integration.allow_any_organization:
            yield (
                f"{_at('integrations', name, 'allow_any_organization')}: lets the app get tokens for every "
                f"organization; remove it, or opt in for this stack with "
                f"{_at('policy', 'allow_any_organization')}: true"
            )


def production_is_protected(config: StackConfig, context: PolicyContext) -> Iterator[str]:
    """A production stack protects its APIs and apps from deletion."""
    if is_production(config, context) and not config.protect:
        why = (
            f"stack '{context.stack}' is production"
            if config.environment is None
            else f"{_at('environment')} is production"
        )
        yield f"{_at('protect')}: must be true ({why}); set {_at('protect')}: true"


DEFAULT_CHECKS: tuple[PolicyCheck, ...] = (
    no_management_api_grant,
    any_organization_needs_opt_in,
    production_is_protected,
)
"""The policy checks every stack passes; extend this tuple to add a check everywhere."""


def run_checks(
    config: StackConfig, context: PolicyContext, checks: Iterable[PolicyCheck] = DEFAULT_CHECKS
) -> list[str]:
    """Run policy checks in order and collect their problem lines."""
    problems: list[str] = []
    for check in checks:
        problems.extend(check(config, context))
    return problems
