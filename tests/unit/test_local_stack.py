"""The `local` stack finds the local tenant by itself, as plain `pulumi up --stack local` needs.

The program reads the tenant's address and bootstrap credentials from its state dir
(`$AUTH0_M2M_TENANT_STATE_DIR`), and stops before declaring anything when no tenant runs there. The
env file that `tenant serve` writes (`. .tenant/env`) exports the CA bundle, the local passphrase and
the state dir, and holds no credential.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from typer.testing import CliRunner

from auth0_m2m.cli import app
from auth0_m2m.program import pulumi_program
from auth0_m2m.project import LOCAL_PASSPHRASE, write_shell_env

ConfigSetter = Callable[[dict[str, Any]], None]
CA_PEM = "-----BEGIN CERTIFICATE-----\nlocal-test-ca\n-----END CERTIFICATE-----\n"
SECRET = "bootstrap-secret-0123456789abcdef0123456789abcdef"


@pytest.fixture
def listening() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts connections (where the tenant would answer)."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server.getsockname()[1]


def state_dir(root: Path, port: int) -> Path:
    """A tenant state dir as `tenant serve` leaves it: its CA and the bootstrap client."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "ca.pem").write_text(CA_PEM)
    bootstrap = {"domain": f"localhost:{port}", "client_id": "bootstrap-id", "client_secret": SECRET}
    (root / "bootstrap-client.json").write_text(json.dumps(bootstrap))
    return root


@pytest.fixture
def local_stack(recorder: Any) -> Any:
    """The recording mocks, with the stack named `local`."""
    pulumi.runtime.set_mocks(recorder, project="auth0-m2m", stack="local", preview=False)
    return recorder


def without_credentials(config: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in config.items() if k not in ("auth0:clientId", "auth0:clientSecret")}


def test_local_stack_uses_the_running_tenants_address_and_credentials(
    local_stack: Any,
    set_program_config: ConfigSetter,
    base_config: dict[str, Any],
    listening: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AUTH0_M2M_TENANT_STATE_DIR", str(state_dir(tmp_path / "tenant", listening)))
    set_program_config(without_credentials(base_config))

    @pulumi.runtime.test
    def run() -> None:
        pulumi_program()

    run()
    (provider,) = local_stack.of_type("pulumi:providers:auth0")
    assert provider.inputs["domain"] == f"localhost:{listening}"
    assert provider.inputs["clientId"] == "bootstrap-id"
    assert provider.inputs["clientSecret"]["value"] == SECRET  # arrives wrapped as a secret


def test_local_stack_without_a_running_tenant_declares_nothing(
    local_stack: Any,
    set_program_config: ConfigSetter,
    base_config: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        closed = server.getsockname()[1]
    monkeypatch.setenv("AUTH0_M2M_TENANT_STATE_DIR", str(state_dir(tmp_path / "tenant", closed)))
    set_program_config(without_credentials(base_config))
    logged: list[str] = []
    monkeypatch.setattr(pulumi.log, "error", lambda message, *a, **k: logged.append(message))

    @pulumi.runtime.test
    def run() -> None:
        pulumi_program()

    with pytest.raises(pulumi.RunError, match="needs the local tenant; nothing was declared"):
        run()
    assert logged == [
        f"stack 'local': the local tenant at localhost:{closed} is not running: "
        "start it with `auth0-m2m tenant serve`"
    ]
    assert local_stack.registered == []


def test_env_file_exports_trust_passphrase_and_state_dir_but_no_credential(tmp_path: Path) -> None:
    tenant = state_dir(tmp_path / "tenant", 8443)

    env_file = write_shell_env(tenant, tenant / "ca.pem")

    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    text = env_file.read_text()
    assert SECRET not in text and "bootstrap-id" not in text
    names = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "PULUMI_CONFIG_PASSPHRASE", "AUTH0_M2M_TENANT_STATE_DIR")
    script = f'. "{env_file}" && printf "%s\\n" ' + " ".join(f'"${name}"' for name in names)
    out = subprocess.run(  # noqa: S603 - bash with a fixed script
        ["/bin/bash", "-c", script], capture_output=True, text=True, check=True, env={"PATH": os.defpath}
    ).stdout.split("\n")
    bundle = tenant.resolve() / "ca-bundle.pem"
    assert out[:4] == [str(bundle), str(bundle), LOCAL_PASSPHRASE, str(tenant.resolve())]
    roots = bundle.read_text()
    assert roots.endswith(CA_PEM) and roots.count("BEGIN CERTIFICATE") > 10  # the default roots stay trusted


def test_tenant_env_command_writes_the_file_or_names_the_missing_ca(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["tenant", "env", "--state-dir", str(tmp_path / "none")])
    assert missing.exit_code == 2
    assert "--state-dir: no " in missing.output and "auth0-m2m tenant serve" in missing.output

    tenant = state_dir(tmp_path / "tenant", 8443)
    done = runner.invoke(app, ["tenant", "env", "--state-dir", str(tenant)])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == str(tenant.resolve() / "env")
