"""`auth0-m2m:rate_limit`: presets and validation, the parallelism that fits, and how runs get it.

`auth0-m2m` commands get it as the engine's `PULUMI_PARALLEL` (workspace.engine_env); under a plain
`pulumi up` whose parallelism is higher, the program declares the integrations in lanes: each app
waits for the integration one lane-width earlier (checked on the registrations' dependencies).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from pulumi.runtime import settings as runtime_settings
from pulumi.runtime.mocks import MockMonitor

from auth0_m2m.program import pulumi_program
from auth0_m2m.settings import ConfigError, parse_stack_config
from auth0_m2m.settings._rate import CALLS_PER_SLOT, RATE_LIMIT_PRESETS, parallelism_for, parse_rate_limit
from auth0_m2m.workspace import engine_env, stack_parallelism

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
    assert parallelism_for(RATE_LIMIT_PRESETS["free"]) == 1
    assert parallelism_for(RATE_LIMIT_PRESETS["paid"]) == int(15 // CALLS_PER_SLOT)
    assert parallelism_for(0.5) == 1
    assert parallelism_for(RATE_LIMIT_PRESETS["enterprise"]) > parallelism_for(RATE_LIMIT_PRESETS["paid"])


def _stack_file(root: Path, stack: str, config: dict[str, Any]) -> None:
    (root / "stacks").mkdir(exist_ok=True)
    (root / "stacks" / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}))


def test_commands_give_the_engine_the_fitting_parallelism(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULUMI_PARALLEL", raising=False)
    _stack_file(tmp_path, "dev", {"auth0-m2m:rate_limit": "paid"})
    _stack_file(tmp_path, "prod", {"auth0:domain": "x.example.com"})
    _stack_file(tmp_path, "bad", {"auth0-m2m:rate_limit": "fast"})
    assert stack_parallelism(tmp_path, "dev") == parallelism_for(15)
    assert engine_env(tmp_path, "dev")["PULUMI_PARALLEL"] == str(parallelism_for(15))
    assert "PULUMI_PARALLEL" not in engine_env(tmp_path, "prod")
    assert "PULUMI_PARALLEL" not in engine_env(tmp_path, "bad")  # check-config reports it
    assert "PULUMI_PARALLEL" not in engine_env(tmp_path, "missing")
    monkeypatch.setenv("PULUMI_PARALLEL", "6")  # the caller's own choice wins
    assert "PULUMI_PARALLEL" not in engine_env(tmp_path, "dev")


class _DependencyMonitor(MockMonitor):
    """A mock monitor that keeps each registration's dependencies by resource name."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.dependencies: dict[str, set[str]] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method name
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        self.dependencies[request.name] = {urn.rsplit("::", 1)[-1] for urn in request.dependencies}
        return response


def _run_with_engine_parallel(
    recorder: Any,
    monkeypatch: pytest.MonkeyPatch,
    config: dict[str, Any],
    set_config: ConfigSetter,
    engine: int,
) -> dict[str, set[str]]:
    monitor = _DependencyMonitor(recorder)
    pulumi.runtime.set_mocks(recorder, project="auth0-m2m", stack="dev", preview=False, monitor=monitor)
    monkeypatch.setattr(runtime_settings.SETTINGS, "parallel", engine)
    set_config(config)

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        pulumi_program()
        root = runtime_settings.get_root_resource()
        return pulumi.Output.all(*root.outputs.values())  # type: ignore[union-attr]

    run()
    return monitor.dependencies


def _five_integrations(config: dict[str, Any]) -> dict[str, Any]:
    config["auth0-m2m:rate_limit"] = "paid"
    config["auth0-m2m:integrations"] = {
        f"app-{i}": {"api": "billing", "scopes": ["read:invoices"]} for i in range(5)
    }
    return config


def test_plain_pulumi_up_above_the_fitting_parallelism_gets_lanes(
    recorder: Any,
    monkeypatch: pytest.MonkeyPatch,
    base_config: dict[str, Any],
    set_program_config: ConfigSetter,
) -> None:
    lanes = parallelism_for(15)
    deps = _run_with_engine_parallel(
        recorder, monkeypatch, _five_integrations(base_config), set_program_config, 8
    )
    for i in range(5):
        expected = {f"app-{i - lanes}-credentials", f"app-{i - lanes}-grant"} if i >= lanes else set()
        assert deps[f"app-{i}-client"] == expected, i
    assert deps["app-4-grant"] >= {"app-4-client", "billing-scopes"}


def test_no_lanes_when_the_engine_already_fits(
    recorder: Any,
    monkeypatch: pytest.MonkeyPatch,
    base_config: dict[str, Any],
    set_program_config: ConfigSetter,
) -> None:
    config = _five_integrations(base_config)
    deps = _run_with_engine_parallel(recorder, monkeypatch, config, set_program_config, parallelism_for(15))
    assert all(not deps[f"app-{i}-client"] for i in range(5))
