"""`make bench` in its quick mode runs end to end and prints the table (no timing is asserted).

Runs `python -m bench` with `BENCH_QUICK=1` (one run, N=3, 1 s load phases) as `make bench` would,
on the engine from `make engine`, and checks that every scenario's section and a saved JSON file
appear. The figures themselves are not checked: the machine running tests is not idle.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from e2e_harness import REPO, require_engine

pytestmark = pytest.mark.e2e


def test_quick_bench_prints_every_section_and_saves_json() -> None:
    require_engine()
    env = {**os.environ, "BENCH_QUICK": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "bench"], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    for heading in ("P1 up of N integrations", "P2 ours vs a plain", "P3 the tenant alone", "P4 verify"):
        assert heading in out
    saved = Path(out.strip().splitlines()[-1].removeprefix("saved "))
    data = json.loads(saved.read_text())
    saved.unlink()
    up = data["engine"]["ours"]["3"][0]["up"]
    assert up["calls"] > 0
    assert data["engine"]["ours"]["3"][0]["noop_up"]["writes"] == 0
    assert set(data["load"][0]) == {"reads", "writes", "tokens"}
