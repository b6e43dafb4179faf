"""`deliver_targets` and its helpers (`auth0_m2m/consumers/_deliver.py`), with fake sinks that count calls.

Checks: `plan_targets` lists each target once with the integrations it holds, targets and
integrations in declaration order; per target, `deliver_targets` says `unchanged` without writing
when the sink already holds the records, `written` after one write (the write's line as detail),
`would write` with `dry_run` without writing, `skipped` without reading or writing when any
integration of the target failed verification, and `failed` when reading, writing or building the
sink raises, while the other targets still go on; the sink gets the target's records in plan order
and the stack's name; `TargetResult.ok` is true for the three in-line statuses only;
`missing_settings` names the variable a nango, vault or aws-sm target lacks, and nothing for files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pytest

from auth0_m2m.consumers import (
    ConsumerSettings,
    Sink,
    SinkError,
    TargetResult,
    TargetSpecError,
    deliver_targets,
    missing_settings,
    plan_targets,
)
from auth0_m2m.outputs import IntegrationOutputs
from auth0_m2m.settings._targets import TargetSpec, parse_target_spec

Outputs = Callable[..., IntegrationOutputs]
JSON = parse_target_spec("json:out/creds.json")
NANGO = parse_target_spec("nango:")
VAULT = parse_target_spec("vault:secret/auth0/dev")


@dataclass
class FakeSink:
    """A target that holds (or not) what `write` would store, and counts its calls."""

    name: str
    held: bool = False
    holds_error: Exception | None = None
    write_error: Exception | None = None
    holds_calls: list[tuple[list[str], str]] = field(default_factory=list)
    write_calls: list[tuple[list[str], str]] = field(default_factory=list)

    def holds(self, outputs: list[IntegrationOutputs], *, stack: str) -> bool:
        self.holds_calls.append(([item.name for item in outputs], stack))
        if self.holds_error is not None:
            raise self.holds_error
        return self.held

    def write(self, outputs: list[IntegrationOutputs], *, stack: str) -> str:
        self.write_calls.append(([item.name for item in outputs], stack))
        if self.write_error is not None:
            raise self.write_error
        return f"{self.name}: wrote {len(outputs)} integration(s)"


@dataclass
class Targets:
    """The fake sink of each target spec, handed out by `sink_for`, which counts its builds and raises
    the target's error in `unbuildable`, if any."""

    sinks: dict[TargetSpec, FakeSink]
    unbuildable: dict[TargetSpec, Exception] = field(default_factory=dict)
    builds: list[TargetSpec] = field(default_factory=list)

    def __post_init__(self) -> None:
        for sink in self.sinks.values():
            assert isinstance(sink, Sink), f"{sink!r} does not implement the Sink protocol"

    def sink_for(self, target: TargetSpec) -> Sink:
        self.builds.append(target)
        if target in self.unbuildable:
            raise self.unbuildable[target]
        return self.sinks[target]


@pytest.fixture
def integrations(make_outputs: Outputs) -> dict[str, IntegrationOutputs]:
    """Two integrations, `billing` and `reporting`, as a stack exports them."""
    return {name: make_outputs(name) for name in ("billing", "reporting")}


@pytest.fixture
def deliver(
    integrations: dict[str, IntegrationOutputs],
) -> Callable[..., list[TargetResult]]:
    """`deliver(plan, targets, verified=..., dry_run=...)`: deliver_targets on stack `dev`."""

    def run(
        plan: Mapping[TargetSpec, Sequence[str]],
        fakes: Targets,
        *,
        verified: Sequence[str] = ("billing", "reporting"),
        dry_run: bool = False,
    ) -> list[TargetResult]:
        return deliver_targets(
            plan, integrations, fakes.sink_for, verified=set(verified), stack="dev", dry_run=dry_run
        )

    return run


@pytest.fixture
def no_settings_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AUTH0_M2M_* variable, so ConsumerSettings holds only what a test passes."""
    for name in [key for key in os.environ if key.startswith("AUTH0_M2M_")]:
        monkeypatch.delenv(name)


# -- plan_targets ------------------------------------------------------------------------------------
def test_plan_lists_each_target_once_with_its_integrations_in_declaration_order() -> None:
    plan = plan_targets({"reporting": [VAULT, NANGO], "billing": [NANGO, JSON]})

    assert list(plan.items()) == [
        (VAULT, ["reporting"]),
        (NANGO, ["reporting", "billing"]),
        (JSON, ["billing"]),
    ]


def test_plan_of_nothing_declared_is_empty() -> None:
    assert plan_targets({}) == {}


# -- deliver_targets ---------------------------------------------------------------------------------
def test_a_target_that_holds_the_records_is_unchanged_and_not_written(
    deliver: Callable[..., list[TargetResult]],
) -> None:
    fakes = Targets({JSON: FakeSink("json", held=True)})

    results = deliver({JSON: ["billing"]}, fakes)

    assert results == [TargetResult("json:out/creds.json", ("billing",), "unchanged")]
    assert fakes.sinks[JSON].write_calls == []


def test_a_target_that_differs_is_written_once_with_the_write_line_as_detail(
    deliver: Callable[..., list[TargetResult]],
) -> None:
    fakes = Targets({JSON: FakeSink("json")})

    results = deliver({JSON: ["billing"]}, fakes)

    assert results == [
        TargetResult("json:out/creds.json", ("billing",), "written", "json: wrote 1 integration(s)")
    ]
    assert len(fakes.sinks[JSON].write_calls) == 1


def test_the_sink_gets_the_records_of_its_integrations_in_plan_order_and_the_stack(
    deliver: Callable[..., list[TargetResult]],
) -> None:
    fakes = Targets({NANGO: FakeSink("nango")})

    deliver({NANGO: ["reporting", "billing"]}, fakes)

    expected = [(["reporting", "billing"], "dev")]
    assert (fakes.sinks[NANGO].holds_calls, fakes.sinks[NANGO].write_calls) == (expected, expected)


def test_dry_run_says_would_write_and_writes_nothing(deliver: Callable[..., list[TargetResult]]) -> None:
    fakes = Targets({JSON: FakeSink("json")})

    results = deliver({JSON: ["billing"]}, fakes, dry_run=True)

    assert results == [TargetResult("json:out/creds.json", ("billing",), "would write")]
    assert len(fakes.sinks[JSON].holds_calls) == 1
    assert fakes.sinks[JSON].write_calls == []


def test_dry_run_still_says_unchanged_for_a_target_in_line(
    deliver: Callable[..., list[TargetResult]],
) -> None:
    fakes = Targets({JSON: FakeSink("json", held=True)})

    (result,) = deliver({JSON: ["billing"]}, fakes, dry_run=True)

    assert result.status == "unchanged"


def test_a_shared_target_with_one_unverified_integration_is_skipped_untouched(
    deliver: Callable[..., list[TargetResult]],
) -> None:
    fakes = Targets({NANGO: FakeSink("nango"), JSON: FakeSink("json")})

    results = deliver({NANGO: ["billing", "reporting"], JSON: ["billing"]}, fakes, verified=["billing"])

    assert results[0] == TargetResult(
        "nango:", ("billing", "reporting"), "skipped", "not delivered: reporting failed verification"
    )
    assert (fakes.sinks[NANGO].holds_calls, fakes.sinks[NANGO].write_calls) == ([], [])
    assert fakes.builds == [JSON]


def test_a_target_of_a_verified_integration_goes_on_beside_a_skipped_one(
    deliver: Callable[..., list[TargetResult]],
) -> None:
    fakes = Targets({NANGO: FakeSink("nango"), JSON: FakeSink("json")})

    results = deliver({NANGO: ["reporting"], JSON: ["billing"]}, fakes, verified=["billing"])

    assert [result.status for result in results] == ["skipped", "written"]


def test_a_target_that_cannot_be_read_fails_and_the_next_is_still_written(
    deliver: Callable[..., list[TargetResult]],
) -> None:
    unreadable = FakeSink(
        "vault", holds_error=SinkError("vault: cannot read secret/auth0/dev: permission denied")
    )
    fakes = Targets({VAULT: unreadable, JSON: FakeSink("json")})

    results = deliver({VAULT: ["billing"], JSON: ["billing"]}, fakes)

    assert results[0] == TargetResult(
        "vault:secret/auth0/dev",
        ("billing",),
        "failed",
        "vault: cannot read secret/auth0/dev: permission denied",
    )
    assert unreadable.write_calls == []
    assert results[1].status == "written"


def test_a_target_whose_write_fails_is_failed_and_the_next_is_still_written(
    deliver: Callable[..., list[TargetResult]],
) -> None:
    broken = FakeSink("json", write_error=SinkError("json: directory out does not exist; create it first"))
    fakes = Targets({JSON: broken, NANGO: FakeSink("nango")})

    results = deliver({JSON: ["billing"], NANGO: ["billing"]}, fakes)

    assert results[0] == TargetResult(
        "json:out/creds.json", ("billing",), "failed", "json: directory out does not exist; create it first"
    )
    assert results[1].status == "written"


@pytest.mark.parametrize(
    "error",
    [TargetSpecError("target 'json:': missing argument, expected json:PATH"), ValueError("bad CA file")],
)
def test_a_target_whose_sink_cannot_be_built_fails_and_the_next_is_still_written(
    deliver: Callable[..., list[TargetResult]], error: Exception
) -> None:
    fakes = Targets({JSON: FakeSink("json"), NANGO: FakeSink("nango")}, unbuildable={JSON: error})

    results = deliver({JSON: ["billing"], NANGO: ["billing"]}, fakes)

    assert results[0] == TargetResult("json:out/creds.json", ("billing",), "failed", str(error))
    assert results[1].status == "written"


def test_each_target_gets_one_result_in_plan_order(deliver: Callable[..., list[TargetResult]]) -> None:
    fakes = Targets({VAULT: FakeSink("vault", held=True), JSON: FakeSink("json"), NANGO: FakeSink("nango")})

    results = deliver({VAULT: ["reporting"], JSON: ["billing"], NANGO: ["billing", "reporting"]}, fakes)

    assert [(result.target, result.status) for result in results] == [
        ("vault:secret/auth0/dev", "unchanged"),
        ("json:out/creds.json", "written"),
        ("nango:", "written"),
    ]


# -- TargetResult ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "ok"),
    [("unchanged", True), ("written", True), ("would write", True), ("skipped", False), ("failed", False)],
)
def test_a_result_is_ok_when_the_target_is_or_would_be_in_line(status: str, ok: bool) -> None:
    assert TargetResult("nango:", ("billing",), status).ok is ok  # type: ignore[arg-type]


# -- missing_settings --------------------------------------------------------------------------------
@pytest.mark.usefixtures("no_settings_env")
def test_nango_without_a_secret_key_names_the_variable() -> None:
    assert missing_settings(NANGO, ConsumerSettings(), env={}) == "AUTH0_M2M_NANGO__SECRET_KEY"


@pytest.mark.usefixtures("no_settings_env")
def test_nango_with_a_secret_key_misses_nothing() -> None:
    settings = ConsumerSettings(nango={"secret_key": "nango-key"})

    assert missing_settings(NANGO, settings, env={}) is None


@pytest.mark.usefixtures("no_settings_env")
def test_vault_without_a_token_names_the_variable() -> None:
    assert missing_settings(VAULT, ConsumerSettings(), env={}) == "AUTH0_M2M_VAULT__TOKEN"


@pytest.mark.usefixtures("no_settings_env")
def test_vault_with_a_token_misses_nothing() -> None:
    settings = ConsumerSettings(vault={"token": "bao-token"})

    assert missing_settings(VAULT, settings, env={}) is None


@pytest.mark.usefixtures("no_settings_env")
def test_aws_sm_without_any_region_names_the_variables() -> None:
    target = parse_target_spec("aws-sm:auth0/dev/billing")

    assert missing_settings(target, ConsumerSettings(), env={}) == "AUTH0_M2M_AWS__REGION (or AWS_REGION)"


@pytest.mark.usefixtures("no_settings_env")
@pytest.mark.parametrize(
    ("aws", "env"),
    [
        ({"region": "eu-west-1"}, {}),
        ({}, {"AWS_REGION": "eu-west-1"}),
        ({}, {"AWS_DEFAULT_REGION": "eu-west-1"}),
    ],
)
def test_aws_sm_with_a_region_from_settings_or_aws_variables_misses_nothing(
    aws: dict[str, str], env: dict[str, str]
) -> None:
    target = parse_target_spec("aws-sm:auth0/dev/billing")

    assert missing_settings(target, ConsumerSettings(aws=aws), env=env) is None


@pytest.mark.usefixtures("no_settings_env")
@pytest.mark.parametrize("spec", ["dotenv:out/a.env", "json:out/a.json", "k8s-secret:out/s.yaml"])
def test_file_targets_need_no_setting(spec: str) -> None:
    assert missing_settings(parse_target_spec(spec), ConsumerSettings(), env={}) is None
