"""`auth0-m2m:rate_limit`: presets and validation, the lanes that fit, and the program's lanes.

With a rate limit the program declares the integrations in lanes: each app waits for the integration
one lane-width earlier (checked on the registrations' dependencies), whatever the engine's
parallelism; a preview, which makes no calls the limit counts, has no lanes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest
from pulumi.runtime import settings as runtime_settings
from pulumi.runtime.mocks import MockMonitor

from auth0_m2m.program import pulumi_program
from auth0_m2m.settings import ConfigError, parse_stack_config
from auth0_m2m.settings._rate import CALLS_PER_LANE, RATE_LIMIT_PRESETS, lanes_for, parse_rate_limit

ConfigSetter = Callable[[dict[str, Any]], None]


@pytest.mark.parametrize(
    ("value", "rate"),
    [("free", 2.0), ("paid", 15.0), ("Enterprise", 50.0), ("15", 15.0), (2.5, 2.5), (40, 40.0)],
)
def test_presets_and_numbers(value: object, rate: float) -> None:
    assert parse_rate_limit(value) == rate


@pytest.mark.parametrize("value", ["fast", "", 0, -1, True, "nan", 1e9, [15]])
def test_bad_rate_limit_is_one_line_naming_the_key_and_the_fix(
    base_config: dict[str, Any], value: object
) -> None:
    with pytest.raises(ConfigError) as error:
        parse_stack_config({**base_config, "auth0-m2m:rate_limit": value}, use_env=False)
    (problem,) = error.value.problems
    assert problem.startswith("auth0-m2m:rate_limit: ")
    assert "requests per second" in problem and "paid (15/s)" in problem


def test_rate_limit_is_optional(base_config: dict[str, Any]) -> None:
    assert parse_stack_config(base_config, use_env=False).rate_limit is None


def test_parallelism_fits_the_rate() -> None:
    assert lanes_for(RATE_LIMIT_PRESETS["free"]) == 1
    assert lanes_for(RATE_LIMIT_PRESETS["paid"]) == int(15 // CALLS_PER_LANE)
    assert lanes_for(0.5) == 1
    assert lanes_for(RATE_LIMIT_PRESETS["enterprise"]) > lanes_for(RATE_LIMIT_PRESETS["paid"])


class _DependencyMonitor(MockMonitor):
    """A mock monitor that keeps each registration's dependencies by resource name."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.dependencies: dict[str, set[str]] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method name
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        self.dependencies[request.name] = {urn.rsplit("::", 1)[-1] for urn in request.dependencies}
        return response


def _dependencies(
    recorder: Any, config: dict[str, Any], set_config: ConfigSetter, *, preview: bool = False
) -> dict[str, set[str]]:
    """Run the program under mocks; each registration's dependencies by resource name."""
    monitor = _DependencyMonitor(recorder)
    pulumi.runtime.set_mocks(recorder, project="auth0-m2m", stack="dev", preview=preview, monitor=monitor)
    set_config(config)

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        pulumi_program()
        root = runtime_settings.get_root_resource()
        return pulumi.Output.all(*root.outputs.values())  # type: ignore[union-attr]

    run()
    return monitor.dependencies


def _five_integrations(config: dict[str, Any], rate_limit: str | None = "paid") -> dict[str, Any]:
    if rate_limit is not None:
        config["auth0-m2m:rate_limit"] = rate_limit
    config["auth0-m2m:integrations"] = {
        f"app-{i}": {"api": "billing", "scopes": ["read:invoices"]} for i in range(5)
    }
    return config


def test_a_rate_limit_puts_the_integrations_in_lanes(
    recorder: Any, base_config: dict[str, Any], set_program_config: ConfigSetter
) -> None:
    lanes = lanes_for(15)
    deps = _dependencies(recorder, _five_integrations(base_config), set_program_config)
    for i in range(5):
        expected = {f"app-{i - lanes}-credentials", f"app-{i - lanes}-grant"} if i >= lanes else set()
        assert deps[f"app-{i}-client"] == expected, i
    assert deps["app-4-grant"] >= {"app-4-client", "billing-scopes"}


@pytest.mark.parametrize(("rate_limit", "preview"), [(None, False), ("paid", True), ("1000", False)])
def test_no_lanes_without_a_limit_in_a_preview_or_when_each_has_its_own(
    recorder: Any,
    base_config: dict[str, Any],
    set_program_config: ConfigSetter,
    rate_limit: str | None,
    preview: bool,
) -> None:
    config = _five_integrations(base_config, rate_limit)
    deps = _dependencies(recorder, config, set_program_config, preview=preview)
    assert all(not deps[f"app-{i}-client"] for i in range(5))
