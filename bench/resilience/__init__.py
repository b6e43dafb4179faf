"""Resilience scenarios (issue 7) on the real engine and the local tenant, as reusable functions.

Each scenario takes a `Sandbox` (a local tenant over HTTPS and throwaway project copies, in which
the real `auth0-m2m` and `pulumi` CLIs run) and returns a result whose `line()` is the figure line
that `make stress` (bench/stress.py) prints; the e2e tests (tests/e2e/test_resilience.py) run the same
functions at a smaller size. This is test tooling, kept out of the `auth0_m2m` package and its wheel.

- R1 `run_faults`: `up` under injected 429s and 503s converges, and a second `up` is a no-op;
- R2 `run_crash`: the `pulumi` process is SIGKILLed mid-`up`; `auth0-m2m recover` then `up` converge;
- R3 `run_bad_input`: a corpus of invalid stack configs, each refused before any API call;
- R4 `run_secrecy`: no client secret (current or previous) in state, command output or engine logs;
- R5 `run_guard`: the tenant refuses requests without a valid Management API token.
"""

from __future__ import annotations

from bench.resilience._bad_input import BadInputResult, CorpusCase, load_corpus, run_bad_input
from bench.resilience._convergence import Convergence, TenantInventory, compare, state_ids
from bench.resilience._crash import CrashResult, kill_engine, run_crash
from bench.resilience._faults import DEFAULT_FAULTS, FaultsResult, run_faults
from bench.resilience._guard import GuardResult, run_guard
from bench.resilience._sandbox import CommandRun, Project, Sandbox
from bench.resilience._secrecy import SecrecyResult, hits_by_place, run_secrecy
from bench.resilience._stackconfig import expected_objects, integrations_config

__all__ = [
    "DEFAULT_FAULTS",
    "BadInputResult",
    "CommandRun",
    "Convergence",
    "CorpusCase",
    "CrashResult",
    "FaultsResult",
    "GuardResult",
    "Project",
    "Sandbox",
    "SecrecyResult",
    "TenantInventory",
    "compare",
    "expected_objects",
    "hits_by_place",
    "integrations_config",
    "kill_engine",
    "load_corpus",
    "run_bad_input",
    "run_crash",
    "run_faults",
    "run_guard",
    "run_secrecy",
    "state_ids",
]
