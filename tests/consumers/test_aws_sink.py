"""aws-sm target against moto's standalone server, a real process on 127.0.0.1, through boto3."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import boto3
import pytest
from pydantic import SecretStr

from auth0_m2m.consumers import AwsSecretsManagerSink, ConsumerSettings, SinkError, parse_target
from auth0_m2m.consumers._settings import AwsSettings
from auth0_m2m.outputs import IntegrationOutputs

Outputs = Callable[..., IntegrationOutputs]
REGION = "eu-west-1"


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, moto_url: str) -> str:
    """Fake AWS credentials for moto, and our endpoint/region settings through the environment."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AUTH0_M2M_AWS__ENDPOINT_URL", moto_url)
    monkeypatch.setenv("AUTH0_M2M_AWS__REGION", REGION)
    return moto_url


def read_secret(moto_url: str, name: str) -> tuple[dict[str, object], dict[str, str]]:
    client = boto3.client("secretsmanager", endpoint_url=moto_url, region_name=REGION)
    value = json.loads(client.get_secret_value(SecretId=name)["SecretString"])
    tags = {tag["Key"]: tag["Value"] for tag in client.describe_secret(SecretId=name).get("Tags", [])}
    return value, tags


def versions(moto_url: str, name: str) -> int:
    """How many versions of the secret the server keeps (deprecated ones included)."""
    client = boto3.client("secretsmanager", endpoint_url=moto_url, region_name=REGION)
    return len(client.list_secret_version_ids(SecretId=name, IncludeDeprecated=True)["Versions"])


def test_creates_secret_from_the_environment_settings(aws_env: str, make_outputs: Outputs) -> None:
    sink = parse_target("aws-sm:auth0/dev/billing")
    item = make_outputs()
    described = sink.write([item], stack="dev")
    value, tags = read_secret(aws_env, "auth0/dev/billing")
    assert value["client_secret"] == item.client_secret.get_secret_value()
    assert value["hostname"] == item.hostname
    assert tags == {"auth0-m2m:stack": "dev", "auth0-m2m:integrations": "billing"}
    assert described.startswith(f"aws-sm: created secret auth0/dev/billing in {REGION}, version ")


def test_second_write_puts_a_new_version(aws_env: str, make_outputs: Outputs) -> None:
    sink = parse_target("aws-sm:auth0/dev/rotating")
    sink.write([make_outputs(client_id="old")], stack="dev")
    described = sink.write([make_outputs(client_id="new")], stack="dev")
    value, _ = read_secret(aws_env, "auth0/dev/rotating")
    assert value["client_id"] == "new"
    assert described.startswith("aws-sm: updated secret auth0/dev/rotating")


def test_several_integrations_are_keyed_by_name(aws_env: str, make_outputs: Outputs) -> None:
    parse_target("aws-sm:auth0/dev/all").write([make_outputs("a"), make_outputs("b")], stack="dev")
    value, tags = read_secret(aws_env, "auth0/dev/all")
    assert sorted(value) == ["a", "b"]
    assert tags["auth0-m2m:integrations"] == "a b"


def test_secret_stays_out_of_botocore_debug_logs(
    aws_env: str, make_outputs: Outputs, secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    described = parse_target("aws-sm:auth0/dev/logged").write([make_outputs()], stack="dev")
    assert any(record.name == "botocore.endpoint" for record in caplog.records)  # botocore did log the call
    assert secret not in caplog.text
    assert secret not in described


def test_missing_region_is_named(monkeypatch: pytest.MonkeyPatch, make_outputs: Outputs) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    with pytest.raises(SinkError) as exc:
        AwsSecretsManagerSink("x", AwsSettings()).write([make_outputs()], stack="dev")
    assert str(exc.value) == "aws-sm: no AWS region; set AUTH0_M2M_AWS__REGION (or AWS_REGION)"


def test_unreachable_endpoint_is_reported(
    monkeypatch: pytest.MonkeyPatch, free_port: Callable[[], int], make_outputs: Outputs
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    settings = ConsumerSettings(
        aws=AwsSettings(endpoint_url=f"http://127.0.0.1:{free_port()}", region=REGION)
    )
    with pytest.raises(SinkError) as exc:
        parse_target("aws-sm:x", settings).write([make_outputs()], stack="dev")
    assert str(exc.value).startswith("aws-sm: cannot write secret x: Could not connect to the endpoint URL")


# -- holds: whether the secret already holds what write would store -------------------------------
def test_holds_is_false_before_the_first_write(aws_env: str, make_outputs: Outputs) -> None:
    assert parse_target("aws-sm:auth0/dev/holds-new").holds([make_outputs()], stack="dev") is False


def test_holds_right_after_a_write_of_the_same_outputs(aws_env: str, make_outputs: Outputs) -> None:
    sink = parse_target("aws-sm:auth0/dev/holds-same")
    sink.write([make_outputs("a", organization="acme"), make_outputs("b")], stack="dev")
    assert sink.holds([make_outputs("b"), make_outputs("a", organization="acme")], stack="dev") is True


def test_holds_adds_no_version(aws_env: str, make_outputs: Outputs) -> None:
    sink = parse_target("aws-sm:auth0/dev/holds-count")
    sink.write([make_outputs()], stack="dev")
    assert sink.holds([make_outputs()], stack="dev") is True
    assert sink.holds([make_outputs()], stack="dev") is True
    assert versions(aws_env, "auth0/dev/holds-count") == 1


def test_holds_is_false_after_the_secret_is_rotated(aws_env: str, make_outputs: Outputs) -> None:
    sink = parse_target("aws-sm:auth0/dev/holds-rotated")
    sink.write([make_outputs()], stack="dev")
    assert sink.holds([make_outputs(client_secret=SecretStr("rotated-secret"))], stack="dev") is False


def test_holds_is_false_when_another_field_changes(aws_env: str, make_outputs: Outputs) -> None:
    sink = parse_target("aws-sm:auth0/dev/holds-field")
    sink.write([make_outputs()], stack="dev")
    assert sink.holds([make_outputs(hostname="other.example.test")], stack="dev") is False


def test_holds_is_false_under_other_field_names(aws_env: str, make_outputs: Outputs) -> None:
    parse_target("aws-sm:auth0/dev/holds-renamed").write([make_outputs()], stack="dev")
    renamed = AwsSecretsManagerSink(
        "auth0/dev/holds-renamed", AwsSettings(endpoint_url=aws_env, region=REGION), {"client_id": "ID"}
    )
    assert renamed.holds([make_outputs()], stack="dev") is False


def test_write_after_a_rotation_adds_one_version_and_then_holds(aws_env: str, make_outputs: Outputs) -> None:
    sink = parse_target("aws-sm:auth0/dev/holds-rewrite")
    sink.write([make_outputs()], stack="dev")
    rotated = [make_outputs(client_secret=SecretStr("rotated-secret"))]
    assert sink.holds(rotated, stack="dev") is False
    sink.write(rotated, stack="dev")
    assert sink.holds(rotated, stack="dev") is True
    assert versions(aws_env, "auth0/dev/holds-rewrite") == 2


def test_holds_is_false_for_a_value_that_is_not_json(aws_env: str, make_outputs: Outputs) -> None:
    client = boto3.client("secretsmanager", endpoint_url=aws_env, region_name=REGION)
    client.create_secret(Name="auth0/dev/holds-text", SecretString="not json")
    assert parse_target("aws-sm:auth0/dev/holds-text").holds([make_outputs()], stack="dev") is False


def test_holds_keeps_a_stored_old_secret_out_of_botocore_debug_logs(
    aws_env: str, make_outputs: Outputs, secret: str, caplog: pytest.LogCaptureFixture
) -> None:
    sink = parse_target("aws-sm:auth0/dev/holds-logged")
    sink.write([make_outputs()], stack="dev")  # the stored secret starts with `secret`
    caplog.set_level(logging.DEBUG)
    assert sink.holds([make_outputs(client_secret=SecretStr("rotated-secret"))], stack="dev") is False
    assert any(record.name == "botocore.parsers" for record in caplog.records)  # botocore did log the answer
    assert secret not in caplog.text
    assert "rotated-secret" not in caplog.text


def test_holds_on_an_unreachable_endpoint_is_one_line(
    monkeypatch: pytest.MonkeyPatch, free_port: Callable[[], int], make_outputs: Outputs, secret: str
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    settings = ConsumerSettings(
        aws=AwsSettings(endpoint_url=f"http://127.0.0.1:{free_port()}", region=REGION)
    )
    with pytest.raises(SinkError) as exc:
        parse_target("aws-sm:x", settings).holds([make_outputs()], stack="dev")
    message = str(exc.value)
    assert message.startswith("aws-sm: cannot read secret x: Could not connect to the endpoint URL")
    assert "\n" not in message
    assert secret not in message
