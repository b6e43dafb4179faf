"""The component package as a plugin: its inferred schema and `auth0-m2m package install`.

The schema (what `pulumi package get-schema auth0-m2m` answers, inferred by the SDK's component provider
host) has the one resource `auth0-m2m:index:Integration`, never the Python component's token, with plain
inputs and the contract's fields as outputs. The install writes a launcher of this interpreter into the
plugin cache, rewrites only its own launcher, and leaves any other plugin alone (exit 1, one line).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pulumi.provider.experimental.component import ComponentProvider
from typer.testing import CliRunner

from auth0_m2m.cli import app
from auth0_m2m.package import PACKAGE_NAME, Integration, package_plugin_path, package_version

runner = CliRunner()


def _schema() -> dict[str, object]:
    provider = ComponentProvider([Integration], PACKAGE_NAME, None, package_version())
    assert provider.schema is not None  # what GetSchema answers
    schema: dict[str, object] = json.loads(provider.schema)
    return schema


def test_the_schema_has_the_facade_alone_under_its_own_token() -> None:
    schema = _schema()
    resources = schema["resources"]
    assert isinstance(resources, dict)

    assert list(resources) == ["auth0-m2m:index:Integration"]
    facade = resources["auth0-m2m:index:Integration"]
    assert facade["isComponent"] is True
    assert set(facade["inputProperties"]) == {
        "scopes", "audience", "api", "domain", "organization", "organizationId", "organizationDisplayName",
        "organizationUsage", "authMethod", "description", "appName",
    }  # fmt: skip
    assert facade["requiredInputs"] == ["scopes"]
    assert set(facade["properties"]) == {
        "clientId", "clientSecret", "hostname", "audience", "tokenUrl", "scopes", "organization",
        "organizationId", "connection",
    }  # fmt: skip
    assert schema["types"]["auth0-m2m:index:ApiDefinition"]["required"] == ["identifier", "scopes"]  # type: ignore[index]


def test_install_writes_a_launcher_of_this_interpreter(tmp_path: Path) -> None:
    result = runner.invoke(app, ["package", "install", "--pulumi-home", str(tmp_path)])

    plugin = package_plugin_path(tmp_path, package_version())
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"installed the auth0-m2m component package as plugin resource auth0-m2m {package_version()}: "
        f"{plugin} (runs {sys.executable} -m auth0_m2m.package)"
    ]
    assert plugin.name == "pulumi-resource-auth0-m2m"
    assert f"exec {sys.executable} -m auth0_m2m.package" in plugin.read_text()
    before = plugin.stat().st_mtime_ns
    assert runner.invoke(app, ["package", "install", "--pulumi-home", str(tmp_path)]).exit_code == 0
    assert plugin.stat().st_mtime_ns == before  # unchanged: not rewritten


def test_install_never_overwrites_another_plugin(tmp_path: Path) -> None:
    plugin = package_plugin_path(tmp_path, package_version())
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(b"\x7fELF a real plugin")

    result = runner.invoke(app, ["package", "install", "--pulumi-home", str(tmp_path)])

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"package install: not installed: {plugin} is a plugin that auth0-m2m did not write; left as is"
    ]
    assert plugin.read_bytes() == b"\x7fELF a real plugin"


def test_a_pulumi_home_that_is_a_file_is_exit_2(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")

    result = runner.invoke(app, ["package", "install", "--pulumi-home", str(not_a_dir)])

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"package install: --pulumi-home {not_a_dir} is not a directory"]
