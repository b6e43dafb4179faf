"""Settling the pending operations of an interrupted run against the tenant's objects (no I/O)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from auth0_m2m.recovery import (
    CLIENT,
    CLIENT_CREDENTIALS,
    CLIENT_GRANT,
    ORGANIZATION_CLIENT_GRANT,
    RecoveryError,
    TenantObjects,
    clear_torn_attributes,
    settle_pending,
)

STACK = "urn:pulumi:local::auth0-m2m::"


def _pending(
    kind: str, name: str, inputs: dict[str, Any], *, custom: bool = True, op: str = "creating"
) -> dict[str, Any]:
    return {
        "type": op,
        "resource": {"urn": f"{STACK}{kind}::{name}", "type": kind, "custom": custom, "inputs": inputs},
    }


def _deployment(*pending: dict[str, Any]) -> dict[str, Any]:
    known = {"urn": f"{STACK}{CLIENT}::old", "type": CLIENT, "id": "cid-old", "custom": True}
    return {"manifest": {}, "resources": [known], "pending_operations": list(pending)}


CLIENT_INPUTS = {"name": "billing", "description": "auth0-m2m integration 'billing' (stack local)"}


def test_a_created_app_is_adopted_with_its_tenant_id() -> None:
    objects = TenantObjects(clients=[{"client_id": "cid-new", **CLIENT_INPUTS}])
    settled, (resolution,) = settle_pending(
        _deployment(_pending(CLIENT, "billing-client", CLIENT_INPUTS)), objects
    )
    assert resolution.found_id == "cid-new"
    assert settled["pending_operations"] == []
    adopted = settled["resources"][-1]
    assert (adopted["id"], adopted["type"], adopted["inputs"]) == ("cid-new", CLIENT, CLIENT_INPUTS)


def test_an_app_already_in_the_state_is_not_adopted_twice() -> None:
    objects = TenantObjects(clients=[{"client_id": "cid-old", **CLIENT_INPUTS}])
    settled, (resolution,) = settle_pending(
        _deployment(_pending(CLIENT, "billing-client", CLIENT_INPUTS)), objects
    )
    assert resolution.found_id is None
    assert [r["id"] for r in settled["resources"]] == ["cid-old"]


def test_a_create_that_never_reached_the_tenant_is_dropped() -> None:
    settled, (resolution,) = settle_pending(
        _deployment(_pending(CLIENT, "billing-client", CLIENT_INPUTS)), TenantObjects()
    )
    assert resolution.found_id is None and "not in the tenant" in resolution.line
    assert settled["pending_operations"] == [] and len(settled["resources"]) == 1


def test_two_candidate_apps_stop_the_recovery() -> None:
    twins = [{"client_id": f"cid-{n}", **CLIENT_INPUTS} for n in (1, 2)]
    with pytest.raises(RecoveryError) as exc:
        settle_pending(
            _deployment(_pending(CLIENT, "billing-client", CLIENT_INPUTS)), TenantObjects(clients=twins)
        )
    assert "2 objects in the tenant" in str(exc.value) and "cid-1, cid-2" in str(exc.value)


def test_grants_credentials_and_links_are_found_by_their_keys() -> None:
    objects = TenantObjects(
        clients=[{"client_id": "cid-old"}],
        grants=[{"id": "cgr_1", "client_id": "cid-old", "audience": "https://api/x"}],
        organization_grants={"org_1": {"cgr_1"}},
    )
    deployment = _deployment(
        _pending(CLIENT_GRANT, "g", {"clientId": "cid-old", "audience": "https://api/x"}),
        _pending(CLIENT_CREDENTIALS, "c", {"clientId": "cid-old"}),
        _pending(ORGANIZATION_CLIENT_GRANT, "l", {"organizationId": "org_1", "grantId": "cgr_1"}),
    )
    _, resolutions = settle_pending(deployment, objects)
    assert [r.found_id for r in resolutions] == ["cgr_1", "cid-old", "org_1::cgr_1"]


def test_components_and_other_pending_operations_are_dropped() -> None:
    deployment = _deployment(
        _pending("auth0-m2m:index:MachineClient", "billing", {}, custom=False),
        _pending(CLIENT, "old", CLIENT_INPUTS, op="updating"),
    )
    settled, resolutions = settle_pending(
        deployment, TenantObjects(clients=[{"client_id": "x", **CLIENT_INPUTS}])
    )
    assert [r.found_id for r in resolutions] == [None, None]
    assert settled["pending_operations"] == [] and len(settled["resources"]) == 1


def test_empty_attribute_files_of_the_stack_are_removed(tmp_path: Path) -> None:
    stacks = tmp_path / ".pulumi" / "stacks" / "auth0-m2m"
    stacks.mkdir(parents=True)
    (stacks / "local.json").write_text("{}")
    (stacks / "local.json.attrs").write_text("")  # torn by a kill
    (stacks / "local.json.bak.attrs").write_text('{"user.metadata": null}')
    (stacks / "dev.json.attrs").write_text("")  # another stack: not ours to touch

    removed = clear_torn_attributes(tmp_path.as_uri(), "auth0-m2m", "local")

    assert [p.name for p in removed] == ["local.json.attrs"]
    left = sorted(p.name for p in stacks.iterdir())
    assert left == ["dev.json.attrs", "local.json", "local.json.bak.attrs"]


def test_other_backends_are_left_alone(tmp_path: Path) -> None:
    assert clear_torn_attributes("s3://bucket/state", "auth0-m2m", "local") == []
    assert clear_torn_attributes(None, "auth0-m2m", "local") == []
