"""Where the project is, whatever its name, and how a stack finds the local tenant.

Checked here, with files in a temporary folder and no engine:
- `open_project` finds the nearest `Pulumi.yaml` at or above a folder whatever the project's name,
  and reads `stackConfigDir` and `main` (each defaulting to the project folder);
- it raises a one-line `WorkspaceError` that names the fix for: no `Pulumi.yaml` (mentions `-C`),
  a YAML syntax error, no `name:`;
- `Project.runs_config_program` is true for a project named `auth0-m2m`, for a `__main__.py` (or a
  `main:` file) that names `auth0_m2m.program`, and for a stack file with `auth0-m2m:` keys; false
  for a project with none of those;
- `local_tenant_serving` is None for a state dir without `bootstrap-client.json`, with an unreadable
  one or with another domain; with the domain it returns the tenant when it answers and raises a
  one-line error when it does not;
- `find_local_tenant` raises a one-line `WorkspaceError` for a missing state dir and for a corrupt
  `bootstrap-client.json` (not JSON, not an object, a missing key, a domain whose port is no number),
  and never shows the bootstrap client's secret;
- under Pulumi mocks, the program's `local_tenant_connection` for a stack other than `local` (`dev`):
  on the tenant's domain without deployer credentials it uses the tenant's bootstrap client; with its
  own credentials, or on another domain, it keeps the stack's; on a stopped tenant it declares nothing
  and logs one line naming the stack; run outside any project it falls back to the usual
  missing-credentials lines.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest

from auth0_m2m.project import (
    PROJECT_NAME,
    WorkspaceError,
    find_local_tenant,
    local_tenant_serving,
    open_project,
)

BOOTSTRAP_SECRET = "bootstrap-secret-value-never-shown"

WriteProject = Callable[..., Path]
ConfigSetter = Callable[[dict[str, Any]], None]


@pytest.fixture
def write_project(tmp_path: Path) -> WriteProject:
    """Write `Pulumi.yaml` (given text) into `tmp_path/<folder>` and return that folder."""

    def write(text: str, folder: str = "proj") -> Path:
        root = tmp_path / folder
        root.mkdir(parents=True, exist_ok=True)
        (root / "Pulumi.yaml").write_text(text, encoding="utf-8")
        return root

    return write


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    """A tenant state dir with a CA file and no bootstrap file yet."""
    folder = tmp_path / "tenant-state"
    folder.mkdir()
    (folder / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n")
    return folder


@pytest.fixture
def listening_port() -> Iterator[int]:
    """A port on 127.0.0.1 with something listening on it (stands in for a running tenant)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield int(server.getsockname()[1])


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (a stopped tenant)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bootstrap(state_dir: Path, domain: str) -> None:
    document = {"domain": domain, "client_id": "bootstrap-id", "client_secret": BOOTSTRAP_SECRET}
    (state_dir / "bootstrap-client.json").write_text(json.dumps(document), encoding="utf-8")


def _one_line(error: pytest.ExceptionInfo[WorkspaceError]) -> str:
    message = str(error.value)
    assert message and "\n" not in message, message
    return message


# -- open_project ----------------------------------------------------------------------------------
def test_open_project_finds_pulumi_yaml_above_the_folder_whatever_the_name(
    write_project: WriteProject,
) -> None:
    root = write_project("name: acme-auth\nruntime: python\n")
    nested = root / "src" / "deep"
    nested.mkdir(parents=True)

    project = open_project(nested)

    assert project.root == root.resolve()
    assert project.name == "acme-auth"


def test_open_project_defaults_stack_config_dir_and_main_to_the_project_folder(
    write_project: WriteProject,
) -> None:
    root = write_project("name: acme-auth\nruntime: python\n").resolve()

    project = open_project(root)

    assert project.stack_config_dir == root
    assert project.main == root
    assert project.stack_file("dev") == root / "Pulumi.dev.yaml"


def test_open_project_reads_stack_config_dir_and_main(write_project: WriteProject) -> None:
    root = write_project(
        "name: acme-auth\nruntime: python\nstackConfigDir: infra/stacks\nmain: src/\n"
    ).resolve()

    project = open_project(root)

    assert project.stack_config_dir == root / "infra" / "stacks"
    assert project.main == root / "src"
    assert project.stack_file("dev") == root / "infra" / "stacks" / "Pulumi.dev.yaml"


def test_open_project_defaults_to_the_working_directory(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project("name: acme-auth\n")
    monkeypatch.chdir(root)

    assert open_project().root == root.resolve()


def test_no_pulumi_yaml_is_one_line_naming_dash_c(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as error:
        open_project(tmp_path)

    message = _one_line(error)
    assert "no Pulumi project (Pulumi.yaml)" in message
    assert "-C DIR" in message


def test_yaml_syntax_error_is_one_line_naming_the_file(write_project: WriteProject) -> None:
    root = write_project("name: [acme-auth\n")

    with pytest.raises(WorkspaceError) as error:
        open_project(root)

    message = _one_line(error)
    assert str(root / "Pulumi.yaml") in message
    assert "not a readable Pulumi.yaml" in message
    assert message.endswith("fix it")


@pytest.mark.parametrize(
    "text", ["runtime: python\n", "", "name: ''\n", "- a list\n"], ids=["no-name", "empty", "blank", "list"]
)
def test_pulumi_yaml_without_a_name_is_one_line(write_project: WriteProject, text: str) -> None:
    root = write_project(text)

    with pytest.raises(WorkspaceError) as error:
        open_project(root)

    message = _one_line(error)
    assert "no project `name:`" in message
    assert "must name the project" in message


# -- runs_config_program ---------------------------------------------------------------------------
def test_a_project_named_auth0_m2m_runs_the_config_program(write_project: WriteProject) -> None:
    root = write_project(f"name: {PROJECT_NAME}\n")

    assert open_project(root).runs_config_program() is True


def test_a_main_py_naming_the_program_runs_the_config_program(write_project: WriteProject) -> None:
    root = write_project("name: acme-auth\n")
    (root / "__main__.py").write_text("from auth0_m2m.program import pulumi_program\n\npulumi_program()\n")

    assert open_project(root).runs_config_program() is True


def test_a_main_file_naming_the_program_runs_the_config_program(write_project: WriteProject) -> None:
    root = write_project("name: acme-auth\nmain: infra/program.py\n")
    (root / "infra").mkdir()
    (root / "infra" / "program.py").write_text("import auth0_m2m.program\n")

    assert open_project(root).runs_config_program() is True


def test_a_stack_file_with_auth0_m2m_keys_runs_the_config_program(write_project: WriteProject) -> None:
    root = write_project("name: acme-auth\nstackConfigDir: stacks\n")
    (root / "__main__.py").write_text("import pulumi\n")
    (root / "stacks").mkdir()
    (root / "stacks" / "Pulumi.dev.yaml").write_text(
        "config:\n  auth0:domain: dev.example.com\n  auth0-m2m:integrations: {}\n"
    )

    assert open_project(root).runs_config_program("dev") is True


def test_a_foreign_project_does_not_run_the_config_program(write_project: WriteProject) -> None:
    root = write_project("name: acme-auth\nstackConfigDir: stacks\n")
    (root / "__main__.py").write_text("import pulumi\n\npulumi.export('integrations', {})\n")
    (root / "stacks").mkdir()
    (root / "stacks" / "Pulumi.dev.yaml").write_text("config:\n  aws:region: eu-west-1\n  acme-auth:x: 1\n")

    project = open_project(root)

    assert project.runs_config_program("dev") is False
    assert project.runs_config_program() is False


def test_a_foreign_project_without_stack_file_or_main_does_not_run_the_config_program(
    write_project: WriteProject,
) -> None:
    root = write_project("name: acme-auth\nruntime: nodejs\n")

    assert open_project(root).runs_config_program("nosuch") is False


# -- local_tenant_serving / find_local_tenant ------------------------------------------------------
def test_local_tenant_serving_is_none_without_bootstrap_file(state_dir: Path) -> None:
    assert local_tenant_serving("localhost:8443", state_dir) is None


def test_local_tenant_serving_is_none_for_a_missing_state_dir(tmp_path: Path) -> None:
    assert local_tenant_serving("localhost:8443", tmp_path / "nowhere") is None


def test_local_tenant_serving_is_none_for_another_domain(state_dir: Path, closed_port: int) -> None:
    _bootstrap(state_dir, f"localhost:{closed_port}")

    assert local_tenant_serving("dev-example.us.auth0.com", state_dir) is None


def test_local_tenant_serving_is_none_for_an_unreadable_bootstrap_file(state_dir: Path) -> None:
    (state_dir / "bootstrap-client.json").write_text("{not json")

    assert local_tenant_serving("localhost:8443", state_dir) is None


def test_local_tenant_serving_returns_the_running_tenant_of_that_domain(
    state_dir: Path, listening_port: int
) -> None:
    domain = f"localhost:{listening_port}"
    _bootstrap(state_dir, domain)

    tenant = local_tenant_serving(domain, state_dir)

    assert tenant is not None
    assert tenant.domain == domain
    assert tenant.client_id == "bootstrap-id"
    assert tenant.ca_file == state_dir / "ca.pem"
    assert BOOTSTRAP_SECRET not in repr(tenant)


def test_local_tenant_serving_raises_one_line_when_that_tenant_is_not_running(
    state_dir: Path, closed_port: int
) -> None:
    domain = f"localhost:{closed_port}"
    _bootstrap(state_dir, domain)

    with pytest.raises(WorkspaceError) as error:
        local_tenant_serving(domain, state_dir)

    message = _one_line(error)
    assert f"the local tenant at {domain} is not running" in message
    assert "auth0-m2m tenant serve" in message


def test_find_local_tenant_without_state_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as error:
        find_local_tenant(tmp_path / "nowhere")

    message = _one_line(error)
    assert "no local tenant state" in message
    assert "auth0-m2m tenant serve" in message


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[1, 2]",
        '"a string"',
        json.dumps({"domain": "localhost:8443", "client_secret": BOOTSTRAP_SECRET}),
        json.dumps({"domain": "localhost:no-port", "client_id": "c", "client_secret": BOOTSTRAP_SECRET}),
    ],
    ids=["not-json", "list", "string", "missing-client-id", "port-not-a-number"],
)
def test_corrupt_bootstrap_file_is_one_line(state_dir: Path, text: str) -> None:
    bootstrap = state_dir / "bootstrap-client.json"
    bootstrap.write_text(text, encoding="utf-8")

    with pytest.raises(WorkspaceError) as error:
        find_local_tenant(state_dir)

    message = _one_line(error)
    assert message == (
        f"{bootstrap}: not a tenant's bootstrap file; restart the tenant (`auth0-m2m tenant serve`)"
    )
    assert BOOTSTRAP_SECRET not in message


# -- a stack other than `local` on the local tenant (auth0_m2m.program.local_tenant_connection) -----
def _without_credentials(config: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in config.items() if k not in ("auth0:clientId", "auth0:clientSecret")}


def _run_program() -> None:
    from auth0_m2m.program import pulumi_program

    @pulumi.runtime.test
    def run() -> None:
        pulumi_program()

    run()


def test_a_dev_stack_on_the_tenants_domain_without_credentials_uses_the_tenant(
    recorder: Any,
    set_program_config: ConfigSetter,
    base_config: dict[str, Any],
    state_dir: Path,
    listening_port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    domain = f"localhost:{listening_port}"
    _bootstrap(state_dir, domain)
    monkeypatch.setenv("AUTH0_M2M_TENANT_STATE_DIR", str(state_dir))
    set_program_config({**_without_credentials(base_config), "auth0:domain": domain})

    _run_program()

    (provider,) = recorder.of_type("pulumi:providers:auth0")
    assert provider.inputs["domain"] == domain
    assert provider.inputs["clientId"] == "bootstrap-id"
    assert provider.inputs["clientSecret"]["value"] == BOOTSTRAP_SECRET


def test_a_dev_stack_on_the_tenants_domain_with_its_own_credentials_keeps_them(
    recorder: Any,
    set_program_config: ConfigSetter,
    base_config: dict[str, Any],
    state_dir: Path,
    listening_port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    domain = f"localhost:{listening_port}"
    _bootstrap(state_dir, domain)
    monkeypatch.setenv("AUTH0_M2M_TENANT_STATE_DIR", str(state_dir))
    set_program_config({**base_config, "auth0:domain": domain})

    _run_program()

    (provider,) = recorder.of_type("pulumi:providers:auth0")
    assert provider.inputs["clientId"] == "deployer-client-id"
    assert provider.inputs["clientSecret"]["value"] == "deployer-secret-value"


def test_a_dev_stack_on_another_domain_keeps_its_own_credentials(
    recorder: Any,
    set_program_config: ConfigSetter,
    base_config: dict[str, Any],
    state_dir: Path,
    listening_port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _bootstrap(state_dir, f"localhost:{listening_port}")
    monkeypatch.setenv("AUTH0_M2M_TENANT_STATE_DIR", str(state_dir))
    set_program_config(base_config)

    _run_program()

    (provider,) = recorder.of_type("pulumi:providers:auth0")
    assert provider.inputs["domain"] == "dev-example.us.auth0.com"
    assert provider.inputs["clientId"] == "deployer-client-id"


def test_a_dev_stack_on_a_stopped_tenant_declares_nothing(
    recorder: Any,
    set_program_config: ConfigSetter,
    base_config: dict[str, Any],
    state_dir: Path,
    closed_port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    domain = f"localhost:{closed_port}"
    _bootstrap(state_dir, domain)
    monkeypatch.setenv("AUTH0_M2M_TENANT_STATE_DIR", str(state_dir))
    set_program_config({**_without_credentials(base_config), "auth0:domain": domain})
    logged: list[str] = []
    monkeypatch.setattr(pulumi.log, "error", lambda message, *a, **k: logged.append(message))

    with pytest.raises(pulumi.RunError, match="stack 'dev' needs the local tenant; nothing was declared"):
        _run_program()

    assert logged == [
        f"stack 'dev': the local tenant at {domain} is not running: start it with `auth0-m2m tenant serve`"
    ]
    assert recorder.registered == []


def test_a_dev_stack_without_credentials_outside_a_project_names_the_missing_keys(
    recorder: Any,
    set_program_config: ConfigSetter,
    base_config: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AUTH0_M2M_TENANT_STATE_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # an inline program run from a folder without Pulumi.yaml
    set_program_config(_without_credentials(base_config))
    logged: list[str] = []
    monkeypatch.setattr(pulumi.log, "error", lambda message, *a, **k: logged.append(message))

    with pytest.raises(pulumi.RunError):
        _run_program()

    assert logged == [
        "auth0:clientId: missing; run `pulumi config set auth0:clientId ...` or export AUTH0_CLIENT_ID",
        "auth0:clientSecret: missing; run `pulumi config set --secret auth0:clientSecret ...` "
        "or export AUTH0_CLIENT_SECRET",
    ]
