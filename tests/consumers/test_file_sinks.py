"""dotenv and json targets: round trip, mode 0600 from creation, atomic replace, layout and renames."""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path

import dotenv
import pytest
from pydantic import SecretStr

from auth0_m2m.consumers import DotenvSink, JsonSink, SinkError
from auth0_m2m.consumers._sinks import write_private_file
from auth0_m2m.outputs import IntegrationOutputs

Outputs = Callable[..., IntegrationOutputs]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_json_round_trip_flat_for_one_integration(tmp_path: Path, make_outputs: Outputs) -> None:
    target = tmp_path / "creds.json"
    item = make_outputs(organization="acme", organization_id="org_1")
    JsonSink(target).write([item], stack="dev")
    assert json.loads(target.read_text()) == {
        "client_id": item.client_id,
        "client_secret": item.client_secret.get_secret_value(),
        "hostname": item.hostname,
        "audience": item.audience,
        "organization": "acme",
        "organization_id": "org_1",
    }
    assert mode(target) == 0o600


def test_json_keys_several_integrations_by_name(tmp_path: Path, make_outputs: Outputs) -> None:
    target = tmp_path / "creds.json"
    JsonSink(target).write([make_outputs("a"), make_outputs("b")], stack="dev")
    data = json.loads(target.read_text())
    assert sorted(data) == ["a", "b"]
    assert data["b"]["client_id"] == "cid_b"
    assert "organization" not in data["a"]


def test_json_applies_field_renames(tmp_path: Path, make_outputs: Outputs) -> None:
    target = tmp_path / "creds.json"
    JsonSink(target, {"client_id": "AUTH0_CLIENT_ID"}).write([make_outputs()], stack="dev")
    data = json.loads(target.read_text())
    assert data["AUTH0_CLIENT_ID"] == "cid_billing"
    assert "client_id" not in data


def test_rename_of_unknown_field_is_refused(tmp_path: Path, make_outputs: Outputs) -> None:
    with pytest.raises(ValueError) as exc:
        JsonSink(tmp_path / "x.json", {"secret": "S"}).write([make_outputs()], stack="dev")
    assert str(exc.value).startswith("AUTH0_M2M_FIELDS: unknown field 'secret'; rename one of client_id")


def test_dotenv_round_trip_and_mode(tmp_path: Path, make_outputs: Outputs) -> None:
    target = tmp_path / "billing.env"
    item = make_outputs()
    DotenvSink(target).write([item], stack="dev")
    values = dotenv.dotenv_values(target, interpolate=False)
    assert values == {
        "client_id": item.client_id,
        "client_secret": item.client_secret.get_secret_value(),
        "hostname": item.hostname,
        "audience": item.audience,
    }
    assert mode(target) == 0o600


def test_dotenv_prefixes_several_integrations(tmp_path: Path, make_outputs: Outputs) -> None:
    target = tmp_path / "all.env"
    DotenvSink(target, {"client_id": "CLIENT_ID"}).write(
        [make_outputs("bill-ing"), make_outputs("crm")], stack="d"
    )
    values = dotenv.dotenv_values(target, interpolate=False)
    assert values["bill_ing_CLIENT_ID"] == "cid_bill-ing"
    assert values["crm_CLIENT_ID"] == "cid_crm"


def test_dotenv_quotes_awkward_values(tmp_path: Path, make_outputs: Outputs) -> None:
    awkward = "a'b\\c\"d e#f\ng"
    target = tmp_path / "x.env"
    DotenvSink(target).write([make_outputs(client_secret=SecretStr(awkward))], stack="dev")
    assert dotenv.dotenv_values(target, interpolate=False)["client_secret"] == awkward


def test_dotenv_refuses_a_name_that_is_no_variable(tmp_path: Path, make_outputs: Outputs) -> None:
    with pytest.raises(SinkError) as exc:
        DotenvSink(tmp_path / "x.env", {"client_id": "client-id"}).write([make_outputs()], stack="dev")
    assert str(exc.value) == "dotenv: 'client-id' is not a variable name; rename it with AUTH0_M2M_FIELDS"


def test_existing_world_readable_file_is_replaced_with_0600(tmp_path: Path, make_outputs: Outputs) -> None:
    target = tmp_path / "creds.json"
    target.write_text("old")
    target.chmod(0o644)
    JsonSink(target).write([make_outputs()], stack="dev")
    assert mode(target) == 0o600
    assert json.loads(target.read_text())["client_id"] == "cid_billing"


def test_file_is_created_0600_even_with_an_open_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        write_private_file(tmp_path / "f", b"x", target="json")
    finally:
        os.umask(old)
    assert mode(tmp_path / "f") == 0o600


def test_no_temp_file_is_left_behind(tmp_path: Path, make_outputs: Outputs) -> None:
    JsonSink(tmp_path / "creds.json").write([make_outputs()], stack="dev")
    assert [p.name for p in tmp_path.iterdir()] == ["creds.json"]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "creds.json"
    target.write_text("old")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("auth0_m2m.consumers._sinks._common.os.replace", broken_replace)
    with pytest.raises(SinkError) as exc:
        write_private_file(target, b"new", target="json")
    assert str(exc.value) == f"json: cannot write {target}: No space left on device"
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["creds.json"]


def test_missing_directory_is_named(tmp_path: Path, make_outputs: Outputs) -> None:
    with pytest.raises(SinkError) as exc:
        JsonSink(tmp_path / "nope" / "creds.json").write([make_outputs()], stack="dev")
    assert str(exc.value) == f"json: directory {tmp_path / 'nope'} does not exist; create it first"


def test_empty_export_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SinkError) as exc:
        JsonSink(tmp_path / "creds.json").write([], stack="dev")
    assert str(exc.value) == "export: no integrations to write; check the stack name and --integration"
    assert not (tmp_path / "creds.json").exists()


@pytest.mark.parametrize("sink_class", [DotenvSink, JsonSink])
def test_no_secret_in_description_or_logs(
    tmp_path: Path,
    make_outputs: Outputs,
    secret: str,
    sink_class: type[DotenvSink] | type[JsonSink],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    described = sink_class(tmp_path / "out").write([make_outputs()], stack="dev")
    assert str(tmp_path / "out") in described
    assert secret not in described
    assert secret not in caplog.text
    assert secret not in repr(sink_class(tmp_path / "out"))


# -- holds: whether the file already holds what write would write --------------------------------
FileSink = type[DotenvSink] | type[JsonSink]
FILE_SINKS = pytest.mark.parametrize("sink_class", [DotenvSink, JsonSink])


@FILE_SINKS
def test_holds_is_false_before_the_first_write(
    tmp_path: Path, make_outputs: Outputs, sink_class: FileSink
) -> None:
    assert sink_class(tmp_path / "out").holds([make_outputs()], stack="dev") is False


@FILE_SINKS
def test_holds_right_after_a_write_of_the_same_outputs(
    tmp_path: Path, make_outputs: Outputs, sink_class: FileSink
) -> None:
    sink = sink_class(tmp_path / "out", {"client_id": "AUTH0_CLIENT_ID"})
    sink.write([make_outputs("a", organization="acme"), make_outputs("b")], stack="dev")
    assert sink.holds([make_outputs("a", organization="acme"), make_outputs("b")], stack="dev") is True


@FILE_SINKS
def test_holds_is_false_after_the_secret_is_rotated(
    tmp_path: Path, make_outputs: Outputs, sink_class: FileSink
) -> None:
    sink = sink_class(tmp_path / "out")
    sink.write([make_outputs()], stack="dev")
    assert sink.holds([make_outputs(client_secret=SecretStr("rotated-secret"))], stack="dev") is False


@FILE_SINKS
def test_holds_is_false_when_another_field_changes(
    tmp_path: Path, make_outputs: Outputs, sink_class: FileSink
) -> None:
    sink = sink_class(tmp_path / "out")
    sink.write([make_outputs()], stack="dev")
    assert sink.holds([make_outputs(audience="https://other.example.test/")], stack="dev") is False


@FILE_SINKS
def test_holds_is_false_under_other_field_names(
    tmp_path: Path, make_outputs: Outputs, sink_class: FileSink
) -> None:
    sink_class(tmp_path / "out").write([make_outputs()], stack="dev")
    renamed = sink_class(tmp_path / "out", {"client_id": "AUTH0_CLIENT_ID"})
    assert renamed.holds([make_outputs()], stack="dev") is False


@FILE_SINKS
def test_holds_again_after_writing_the_new_outputs(
    tmp_path: Path, make_outputs: Outputs, sink_class: FileSink
) -> None:
    sink = sink_class(tmp_path / "out")
    sink.write([make_outputs()], stack="dev")
    rotated = [make_outputs(client_secret=SecretStr("rotated-secret"))]
    sink.write(rotated, stack="dev")
    assert sink.holds(rotated, stack="dev") is True


def test_dotenv_holds_is_false_for_another_stack(tmp_path: Path, make_outputs: Outputs) -> None:
    sink = DotenvSink(tmp_path / "x.env")
    sink.write([make_outputs()], stack="dev")
    assert sink.holds([make_outputs()], stack="prod") is False  # the header names the stack


@FILE_SINKS
def test_holds_is_false_for_a_file_others_may_read(
    tmp_path: Path, make_outputs: Outputs, sink_class: FileSink
) -> None:
    sink = sink_class(tmp_path / "out")
    sink.write([make_outputs()], stack="dev")
    (tmp_path / "out").chmod(0o644)
    assert sink.holds([make_outputs()], stack="dev") is False  # a write would make it 0600 again


@FILE_SINKS
def test_holds_is_false_for_a_symlink_to_the_same_bytes(
    tmp_path: Path, make_outputs: Outputs, sink_class: FileSink
) -> None:
    sink_class(tmp_path / "real").write([make_outputs()], stack="dev")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert sink_class(tmp_path / "link").holds([make_outputs()], stack="dev") is False


@FILE_SINKS
def test_holds_only_reads(tmp_path: Path, make_outputs: Outputs, sink_class: FileSink) -> None:
    target = tmp_path / "out"
    target.write_text("old")
    target.chmod(0o644)
    before = target.stat()
    assert sink_class(target).holds([make_outputs()], stack="dev") is False
    after = target.stat()
    assert (after.st_mtime_ns, after.st_ino, stat.S_IMODE(after.st_mode)) == (
        before.st_mtime_ns,
        before.st_ino,
        0o644,
    )
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@FILE_SINKS
def test_holds_on_a_directory_is_one_line(
    tmp_path: Path, make_outputs: Outputs, sink_class: FileSink
) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(SinkError) as exc:
        sink_class(tmp_path / "out").holds([make_outputs()], stack="dev")
    assert str(exc.value) == f"{sink_class.name}: {tmp_path / 'out'} is a directory; give a file path"


@FILE_SINKS
def test_holds_logs_no_secret(
    tmp_path: Path,
    make_outputs: Outputs,
    secret: str,
    sink_class: FileSink,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    sink = sink_class(tmp_path / "out")
    sink.write([make_outputs()], stack="dev")
    sink.holds([make_outputs(client_secret=SecretStr(secret + "-rotated"))], stack="dev")
    assert secret not in caplog.text
