"""`auth0-m2m:rate_limit`: presets and validation, the pacer's arithmetic, and the hooks the program binds.

With a rate limit every Auth0 resource of the stack carries the pacing hooks (`before_create`,
`before_update`; checked on the registrations the mock monitor receives); without it, none does.
The pacer is checked with a fake clock: what it lets through at once, how long the rest waits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pulumi
import pytest
from pulumi.runtime import settings as runtime_settings
from pulumi.runtime.mocks import MockMonitor

from auth0_m2m.components.pacing import PACE_CREATE_HOOK, PACE_UPDATE_HOOK, RatePacer, management_calls
from auth0_m2m.program import pulumi_program
from auth0_m2m.settings import ConfigError, RateLimit, parse_stack_config
from auth0_m2m.settings._rate import RATE_LIMIT_PRESETS, parse_rate_limit

ConfigSetter = Callable[[dict[str, Any]], None]


@pytest.mark.parametrize(
    ("value", "limit"),
    [
        ("free", RateLimit(2, 10)),
        ("paid", RateLimit(15, 50)),
        ("Enterprise", RateLimit(50, 50)),
        ("15", RateLimit(15, 15)),
        (2.5, RateLimit(2.5, 2.5)),
        (0.5, RateLimit(0.5, 1)),
        (40, RateLimit(40, 40)),
        ("15/50", RateLimit(15, 50)),
        (" 4 / 8 ", RateLimit(4, 8)),
    ],
)
def test_presets_numbers_and_bursts(value: object, limit: RateLimit) -> None:
    assert parse_rate_limit(value) == limit


@pytest.mark.parametrize("value", ["fast", "", 0, -1, True, "nan", 1e9, [15], "15/", "/50", "15/0.5", "a/b"])
def test_bad_rate_limit_is_one_line_naming_the_key_and_the_fix(
    base_config: dict[str, Any], value: object
) -> None:
    with pytest.raises(ConfigError) as error:
        parse_stack_config({**base_config, "auth0-m2m:rate_limit": value}, use_env=False)
    (problem,) = error.value.problems
    assert problem.startswith("auth0-m2m:rate_limit: ")
    assert "requests per second" in problem and "paid (15/s)" in problem


def test_rate_limit_is_optional_and_typed(base_config: dict[str, Any]) -> None:
    assert parse_stack_config(base_config, use_env=False).rate_limit is None
    config = parse_stack_config({**base_config, "auth0-m2m:rate_limit": "paid"}, use_env=False)
    assert config.rate_limit == RATE_LIMIT_PRESETS["paid"]


class FakeClock:
    """A clock the test moves; `sleep` records the waits and moves the clock past them."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def test_the_pacer_lets_the_burst_through_then_keeps_the_rate() -> None:
    clock = FakeClock()
    pacer = RatePacer(10, 50, headroom=0.2, clock=clock, sleep=clock.sleep)
    assert pacer.capacity == 40
    assert [pacer.delay(8) for _ in range(5)] == [0, 0, 0, 0, 0]  # 40 calls: the burst less headroom
    assert pacer.delay(5) == pytest.approx(0.5)  # 5 short at 10/s
    assert pacer.delay(5) == pytest.approx(1.0)  # served in arrival order
    clock.now += 1.0
    assert pacer.delay(1) == pytest.approx(0.1)  # the second refilled what the first waits took
    assert pacer.reserved == 51
    assert pacer.waited == pytest.approx(1.6)


def test_the_pacer_refills_to_its_capacity_only() -> None:
    clock = FakeClock()
    pacer = RatePacer(2, 10, headroom=0, clock=clock, sleep=clock.sleep)
    assert pacer.delay(10) == 0
    clock.now += 3600
    assert pacer.delay(10) == 0
    assert pacer.delay(2) == pytest.approx(1.0)


def test_the_pacer_sleeps_only_when_short(pulumi_event_loop: asyncio.AbstractEventLoop) -> None:
    clock = FakeClock()
    pacer = RatePacer(4, 4, headroom=0, clock=clock, sleep=clock.sleep)
    pulumi_event_loop.run_until_complete(pacer.reserve(4))
    pulumi_event_loop.run_until_complete(pacer.reserve(2))
    assert clock.sleeps == [pytest.approx(0.5)]


@pytest.mark.parametrize(("rate", "burst"), [(0, 5), (5, 0), (-1, 5)])
def test_the_pacer_refuses_a_rate_or_burst_of_zero(rate: float, burst: float) -> None:
    with pytest.raises(ValueError, match="above 0"):
        RatePacer(rate, burst)


@pytest.mark.parametrize(
    ("type_", "operation", "inputs", "calls"),
    [
        ("auth0:index/client:Client", "create", {}, 2),
        ("auth0:index/client:Client", "update", {}, 3),
        ("auth0:index/clientCredentials:ClientCredentials", "create", {"authenticationMethod": "x"}, 3),
        ("auth0:index/clientCredentials:ClientCredentials", "create", {"clientSecret": "s"}, 4),
        (
            "auth0:index/clientCredentials:ClientCredentials",
            "create",
            {"privateKeyJwt": {"credentials": [{"pem": "a"}, {"pem": "b"}]}},
            7,
        ),
        ("auth0:index/clientGrant:ClientGrant", "create", None, 3),
        ("auth0:index/resourceServerScopes:ResourceServerScopes", "update", None, 3),
        ("auth0:index/unknown:Unknown", "create", None, 3),
    ],
)
def test_calls_per_step_follow_upstream_call_order(
    type_: str, operation: str, inputs: dict[str, Any] | None, calls: int
) -> None:
    assert management_calls(type_, operation, inputs) == calls


class _HookMonitor(MockMonitor):
    """A mock monitor that keeps each registration's hook names and the hooks registered."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.hooks: dict[str, tuple[list[str], list[str], list[str]]] = {}
        self.registered: list[str] = []

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method name
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        bound = request.hooks
        self.hooks[f"{request.type}::{request.name}"] = (
            list(bound.before_create),
            list(bound.before_update),
            list(bound.before_delete),
        )
        return response

    def RegisterResourceHook(self, request: Any) -> Any:  # noqa: N802 - the gRPC method name
        self.registered.append(request.name)
        return super().RegisterResourceHook(request)  # type: ignore[no-untyped-call]


def _hooks(
    recorder: Any, config: dict[str, Any], set_config: ConfigSetter, *, preview: bool = False
) -> _HookMonitor:
    """Run the program under mocks; the monitor that saw its registrations."""
    monitor = _HookMonitor(recorder)
    pulumi.runtime.set_mocks(recorder, project="auth0-m2m", stack="dev", preview=preview, monitor=monitor)
    set_config(config)

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        pulumi_program()
        root = runtime_settings.get_root_resource()
        return pulumi.Output.all(*root.outputs.values())  # type: ignore[union-attr]

    run()
    return monitor


def _with_organization(config: dict[str, Any], rate_limit: str | None) -> dict[str, Any]:
    if rate_limit is not None:
        config["auth0-m2m:rate_limit"] = rate_limit
    config["auth0-m2m:organizations"] = {"acme": {"display_name": "Acme"}}
    config["auth0-m2m:integrations"] = {
        "plain": {"api": "billing", "scopes": ["read:invoices"]},
        "linked": {"api": "billing", "scopes": ["read:invoices"], "organization": "acme"},
    }
    return config


@pytest.mark.parametrize("preview", [False, True])
def test_a_rate_limit_binds_the_pacing_hooks_to_every_auth0_resource(
    recorder: Any, base_config: dict[str, Any], set_program_config: ConfigSetter, preview: bool
) -> None:
    monitor = _hooks(recorder, _with_organization(base_config, "paid"), set_program_config, preview=preview)
    auth0_resources = {k: v for k, v in monitor.hooks.items() if k.startswith("auth0:index")}
    assert len(auth0_resources) == 2 + 1 + 2 * 3 + 1  # API, organization, 2 integrations, 1 link
    for key, bound in auth0_resources.items():
        assert bound == ([PACE_CREATE_HOOK], [PACE_UPDATE_HOOK], []), key  # never a delete hook
    others = {k: v for k, v in monitor.hooks.items() if not k.startswith("auth0:index")}
    assert others and all(bound == ([], [], []) for bound in others.values()), others
    assert sorted(monitor.registered) == sorted([PACE_CREATE_HOOK, PACE_UPDATE_HOOK])


def test_no_hooks_without_a_rate_limit(
    recorder: Any, base_config: dict[str, Any], set_program_config: ConfigSetter
) -> None:
    monitor = _hooks(recorder, _with_organization(base_config, None), set_program_config)
    assert monitor.hooks and all(bound == ([], [], []) for bound in monitor.hooks.values())
    assert monitor.registered == []
