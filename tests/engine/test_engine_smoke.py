"""The exposed engine runs an Automation API inline program offline: up, secret outputs, state, destroy.

The program has no provider resources (only the pulumi:pulumi:Stack), so it needs nothing but the `pulumi`
CLI. The backend is a temporary file:// folder with the passphrase secrets provider, and every HTTP(S) proxy
points at a closed port so that any attempt to reach the internet fails the run (see ``offline_stack``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pulumi
import pytest
from pulumi import automation as auto

if TYPE_CHECKING:
    from tests.engine.conftest import StackFactory

pytestmark = pytest.mark.engine

Deployed = tuple[auto.Stack, auto.UpResult, Path]
SECRET = "engine-smoke-plaintext-7f3a9c"
GREETING = "hello from the built engine"
PROJECT = "engine-smoke"


def _program() -> None:
    pulumi.export("greeting", GREETING)
    pulumi.export("token", pulumi.Output.secret(SECRET))


@pytest.fixture(scope="module")
def deployed(offline_stack: StackFactory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    root = tmp_path_factory.mktemp("engine-smoke")
    stack = offline_stack(root, PROJECT, "deployed", _program)
    result = stack.up()
    yield stack, result, root / "state"
    stack.destroy()
    stack.workspace.remove_stack("deployed")


def test_up_creates_only_the_stack_resource(deployed: Deployed) -> None:
    _, result, _ = deployed

    assert result.summary.result == "succeeded"
    assert result.summary.resource_changes == {"create": 1}
    assert result.outputs["greeting"].value == GREETING


def test_secret_output_stays_secret(deployed: Deployed) -> None:
    stack, result, _ = deployed

    outputs = stack.outputs()

    assert result.outputs["token"].secret is True
    assert outputs["token"].secret is True
    assert outputs["token"].value == SECRET
    assert outputs["greeting"].secret is False


def test_state_file_holds_no_plaintext_secret(deployed: Deployed) -> None:
    _, _, backend = deployed
    state_files = sorted(backend.rglob(f"{PROJECT}/deployed.json"))

    texts = [path.read_text() for path in state_files]

    assert len(texts) == 1, state_files
    assert GREETING in texts[0]
    assert "ciphertext" in texts[0]
    assert all(
        SECRET not in path.read_text(errors="replace") for path in backend.rglob("*") if path.is_file()
    )


def test_destroy_removes_what_up_created(offline_stack: StackFactory, tmp_path: Path) -> None:
    stack = offline_stack(tmp_path, PROJECT, "destroyed", _program)
    stack.up()

    result = stack.destroy()

    assert result.summary.result == "succeeded"
    assert result.summary.resource_changes == {"delete": 1}
    deployment = stack.export_stack().deployment or {}
    assert deployment.get("resources") in (None, [])
    stack.workspace.remove_stack("destroyed")
