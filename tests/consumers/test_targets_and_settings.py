"""Target spec parsing, settings from AUTH0_M2M_* variables, and the package's public surface."""

from __future__ import annotations

from pathlib import Path

import pytest

import auth0_m2m.consumers as consumers
from auth0_m2m.consumers import (
    AwsSecretsManagerSink,
    ConsumerSettings,
    ConsumerSettingsError,
    DotenvSink,
    JsonSink,
    KubernetesSecretSink,
    NangoSink,
    Sink,
    TargetSpecError,
    VaultSink,
    load_settings,
    parse_target,
)

KINDS = "dotenv, json, aws-sm, k8s-secret, nango, vault"


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        ("dotenv:out/a.env", DotenvSink),
        ("json:out/a.json", JsonSink),
        ("aws-sm:auth0/dev", AwsSecretsManagerSink),
        ("k8s-secret:out/s.yaml", KubernetesSecretSink),
        ("nango:", NangoSink),
        ("vault:secret/auth0/dev", VaultSink),
    ],
)
def test_each_kind_parses_to_a_sink(spec: str, kind: type) -> None:
    sink = parse_target(spec, ConsumerSettings())
    assert isinstance(sink, kind)
    assert isinstance(sink, Sink)
    assert sink.name == spec.split(":")[0]


def test_paths_and_names_are_kept() -> None:
    settings = ConsumerSettings()
    assert parse_target("json:out/creds.json", settings).path == Path("out/creds.json")  # type: ignore[attr-defined]
    assert parse_target("aws-sm:a/b", settings).secret_name == "a/b"  # type: ignore[attr-defined]
    vault = parse_target("vault:kv/team/auth0", settings)
    assert (vault.mount, vault.path) == ("kv", "team/auth0")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "s3:bucket",
            "target 's3:bucket': expected KIND:ARG with KIND one of " + KINDS,
        ),
        (
            "json",
            "target 'json': expected KIND:ARG with KIND one of " + KINDS,
        ),
        ("json:", "target 'json:': missing argument, expected json:PATH"),
        ("aws-sm:", "target 'aws-sm:': missing argument, expected aws-sm:SECRET_NAME"),
        (
            "nango:https://x",
            "target 'nango:https://x': nango takes no argument; set AUTH0_M2M_NANGO__BASE_URL instead",
        ),
    ],
)
def test_bad_specs_get_one_clear_line(spec: str, message: str) -> None:
    with pytest.raises(TargetSpecError) as exc:
        parse_target(spec, ConsumerSettings())
    assert str(exc.value) == message


def test_nested_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH0_M2M_AWS__ENDPOINT_URL", "http://127.0.0.1:5000")
    monkeypatch.setenv("AUTH0_M2M_NANGO__SECRET_KEY", "nango-key")
    monkeypatch.setenv("AUTH0_M2M_FIELDS__CLIENT_ID", "AUTH0_CLIENT_ID")
    monkeypatch.setenv("AUTH0_M2M_K8S__NAMESPACE", "apps")
    settings = load_settings()
    assert settings.aws.endpoint_url == "http://127.0.0.1:5000"
    assert settings.nango.secret_key is not None
    assert settings.nango.secret_key.get_secret_value() == "nango-key"
    assert "nango-key" not in repr(settings)
    assert settings.fields == {"client_id": "AUTH0_CLIENT_ID"}
    assert settings.k8s.namespace == "apps"


def test_field_mapping_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH0_M2M_FIELDS", '{"hostname": "AUTH0_DOMAIN"}')
    assert load_settings().fields == {"hostname": "AUTH0_DOMAIN"}


def test_invalid_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH0_M2M_NANGO__TIMEOUT", "soon")
    with pytest.raises(ConsumerSettingsError) as exc:
        load_settings()
    assert str(exc.value) == (
        "AUTH0_M2M_NANGO__TIMEOUT: Input should be a valid number, unable to parse string as a number"
    )


def test_unknown_field_rename_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH0_M2M_FIELDS__SECRET", "X")
    with pytest.raises(ConsumerSettingsError) as exc:
        load_settings()
    assert str(exc.value).startswith("AUTH0_M2M_FIELDS: unknown field 'secret'; rename one of client_id")


def test_two_fields_renamed_to_one_name_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH0_M2M_FIELDS", '{"client_id": "hostname"}')
    with pytest.raises(ConsumerSettingsError) as exc:
        load_settings()
    assert str(exc.value) == "AUTH0_M2M_FIELDS: two fields would be exported as 'hostname'"


def test_a_ca_file_that_is_not_a_file_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AUTH0_M2M_CA_FILE", str(tmp_path))
    with pytest.raises(ConsumerSettingsError) as exc:
        load_settings()
    assert str(exc.value) == (
        f"AUTH0_M2M_CA_FILE: {tmp_path} is not a file; "
        "give the PEM of the CA that signed the tenant's certificate"
    )


def test_broken_json_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH0_M2M_FIELDS", "{not json")
    with pytest.raises(ConsumerSettingsError) as exc:
        load_settings()
    assert "AUTH0_M2M_" in str(exc.value)
    assert "\n" not in str(exc.value)


def test_all_lists_the_public_names() -> None:
    public = {name for name in dir(consumers) if not name.startswith("_")}
    modules = {"annotations"}
    assert set(consumers.__all__) == {name for name in public if name not in modules}
