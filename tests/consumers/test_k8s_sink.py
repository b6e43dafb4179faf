"""k8s-secret target: the manifest parses into the official client's V1Secret model, labels and all."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubernetes.client import V1Secret
from pydantic import SecretStr

from auth0_m2m.consumers import ConsumerSettings, KubernetesSecretSink, SinkError, parse_target
from auth0_m2m.consumers._settings import KubernetesSettings
from auth0_m2m.outputs import IntegrationOutputs

Outputs = Callable[..., IntegrationOutputs]


def load(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def test_manifest_round_trips_through_v1secret(tmp_path: Path, make_outputs: Outputs) -> None:
    target = tmp_path / "secrets.yaml"
    item = make_outputs(organization="acme", organization_id="org_1")
    parse_target(f"k8s-secret:{target}", ConsumerSettings()).write([item], stack="dev")
    (doc,) = load(target)
    secret = V1Secret.from_dict(doc)
    assert secret.api_version == "v1"
    assert secret.kind == "Secret"
    assert secret.type == "Opaque"
    assert secret.metadata.name == "billing"
    assert secret.metadata.labels == {
        "app.kubernetes.io/managed-by": "auth0-m2m",
        "auth0-m2m/stack": "dev",
        "auth0-m2m/integration": "billing",
    }
    assert secret.string_data == {
        "client_id": item.client_id,
        "client_secret": item.client_secret.get_secret_value(),
        "hostname": item.hostname,
        "audience": item.audience,
        "organization": "acme",
        "organization_id": "org_1",
    }
    assert set(doc) <= set(V1Secret.attribute_map.values())  # nothing the model would drop
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_one_secret_per_integration_with_namespace_and_prefix(tmp_path: Path, make_outputs: Outputs) -> None:
    target = tmp_path / "secrets.yaml"
    settings = KubernetesSettings(namespace="payments", name_prefix="auth0-")
    described = KubernetesSecretSink(target, settings).write(
        [make_outputs("a_b"), make_outputs("c")], stack="prod"
    )
    secrets = [V1Secret.from_dict(doc) for doc in load(target)]
    assert [s.metadata.name for s in secrets] == ["auth0-a-b", "auth0-c"]
    assert {s.metadata.namespace for s in secrets} == {"payments"}
    assert [s.metadata.labels["auth0-m2m/integration"] for s in secrets] == ["a_b", "c"]
    assert described == f"k8s-secret: wrote Secret(s) auth0-a-b, auth0-c to {target} (mode 0600)"


def test_field_renames_apply_to_secret_keys(tmp_path: Path, make_outputs: Outputs) -> None:
    target = tmp_path / "s.yaml"
    KubernetesSecretSink(target, mapping={"client_secret": "AUTH0_CLIENT_SECRET"}).write(
        [make_outputs()], stack="d"
    )
    assert "AUTH0_CLIENT_SECRET" in V1Secret.from_dict(load(target)[0]).string_data


def test_invalid_secret_name_is_refused(tmp_path: Path, make_outputs: Outputs) -> None:
    with pytest.raises(SinkError) as exc:
        KubernetesSecretSink(tmp_path / "s.yaml").write([make_outputs("Bad Name")], stack="dev")
    assert str(exc.value).startswith(
        "k8s-secret: 'bad name' is not a valid Secret name (lowercase DNS subdomain)"
    )
    assert not (tmp_path / "s.yaml").exists()


def test_invalid_label_value_is_refused(tmp_path: Path, make_outputs: Outputs) -> None:
    with pytest.raises(SinkError) as exc:
        KubernetesSecretSink(tmp_path / "s.yaml").write([make_outputs()], stack="org/proj/dev")
    assert str(exc.value) == (
        "k8s-secret: stack 'org/proj/dev' is not a valid label value (63 chars of A-Z a-z 0-9 - _ .)"
    )


def test_description_holds_no_secret(tmp_path: Path, make_outputs: Outputs, secret: str) -> None:
    described = KubernetesSecretSink(tmp_path / "s.yaml").write([make_outputs()], stack="dev")
    assert secret not in described


# -- holds: whether the manifest file already holds what write would write ----------------------
def test_holds_is_false_before_the_first_write(tmp_path: Path, make_outputs: Outputs) -> None:
    assert KubernetesSecretSink(tmp_path / "s.yaml").holds([make_outputs()], stack="dev") is False


def test_holds_right_after_a_write_of_the_same_outputs(tmp_path: Path, make_outputs: Outputs) -> None:
    sink = KubernetesSecretSink(tmp_path / "s.yaml", KubernetesSettings(namespace="payments"))
    sink.write([make_outputs("a", organization="acme"), make_outputs("b")], stack="dev")
    assert sink.holds([make_outputs("a", organization="acme"), make_outputs("b")], stack="dev") is True


def test_holds_is_false_after_the_secret_is_rotated(tmp_path: Path, make_outputs: Outputs) -> None:
    sink = KubernetesSecretSink(tmp_path / "s.yaml")
    sink.write([make_outputs()], stack="dev")
    assert sink.holds([make_outputs(client_secret=SecretStr("rotated-secret"))], stack="dev") is False


def test_holds_is_false_when_another_field_changes(tmp_path: Path, make_outputs: Outputs) -> None:
    sink = KubernetesSecretSink(tmp_path / "s.yaml")
    sink.write([make_outputs()], stack="dev")
    assert sink.holds([make_outputs(organization="acme")], stack="dev") is False


def test_holds_is_false_for_another_stack_label(tmp_path: Path, make_outputs: Outputs) -> None:
    sink = KubernetesSecretSink(tmp_path / "s.yaml")
    sink.write([make_outputs()], stack="dev")
    assert sink.holds([make_outputs()], stack="prod") is False


def test_holds_is_false_for_another_namespace(tmp_path: Path, make_outputs: Outputs) -> None:
    KubernetesSecretSink(tmp_path / "s.yaml").write([make_outputs()], stack="dev")
    moved = KubernetesSecretSink(tmp_path / "s.yaml", KubernetesSettings(namespace="payments"))
    assert moved.holds([make_outputs()], stack="dev") is False


def test_holds_again_after_writing_the_new_outputs(tmp_path: Path, make_outputs: Outputs) -> None:
    sink = KubernetesSecretSink(tmp_path / "s.yaml")
    sink.write([make_outputs()], stack="dev")
    rotated = [make_outputs(client_secret=SecretStr("rotated-secret"))]
    sink.write(rotated, stack="dev")
    assert sink.holds(rotated, stack="dev") is True


def test_holds_checks_names_as_write_does(tmp_path: Path, make_outputs: Outputs) -> None:
    with pytest.raises(SinkError) as exc:
        KubernetesSecretSink(tmp_path / "s.yaml").holds([make_outputs("Bad Name")], stack="dev")
    assert str(exc.value).startswith("k8s-secret: 'bad name' is not a valid Secret name")


def test_holds_on_a_directory_is_one_line(tmp_path: Path, make_outputs: Outputs) -> None:
    (tmp_path / "s.yaml").mkdir()
    with pytest.raises(SinkError) as exc:
        KubernetesSecretSink(tmp_path / "s.yaml").holds([make_outputs()], stack="dev")
    assert str(exc.value) == f"k8s-secret: {tmp_path / 's.yaml'} is a directory; give a file path"
