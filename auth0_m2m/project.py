"""Where the project is, and how its `local` stack finds the local tenant.

The `local` stack runs against the embedded local Auth0 tenant (`auth0-m2m tenant serve`). Whichever
way the program runs (plain `pulumi up --stack local` in the project directory, or the `auth0-m2m`
commands through the Automation API), the tenant's address and bootstrap credentials come from the
file the tenant writes in its state dir (`bootstrap-client.json`, 0600), so nobody copies them by
hand. The engine's processes also need to trust the tenant's CA and to know the local stack's
passphrase: `write_shell_env` writes `<state dir>/env` for a shell to source (`. .tenant/env`).
"""

from __future__ import annotations

import json
import os
import shlex
import socket
import ssl
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_NAME = "auth0-m2m"
LOCAL_STACK = "local"
LOCAL_PASSPHRASE = "auth0-m2m-local-only"  # noqa: S105 - documented, protects only local-tenant creds
"""Passphrase of the `local` stack's secrets provider. It protects nothing: the local stack only
ever holds credentials of the local tenant. Every other stack brings its own secrets provider."""
TENANT_STATE_DIR = ".tenant"
"""Where `auth0-m2m tenant serve` keeps the local tenant's state by default (relative to the project)."""
TENANT_STATE_DIR_ENV = "AUTH0_M2M_TENANT_STATE_DIR"
"""Overrides where the `local` stack looks for the tenant's state dir."""
SHELL_ENV_FILE = "env"
CA_BUNDLE_FILE = "ca-bundle.pem"


class WorkspaceError(Exception):
    """The project, the engine or a stack could not be opened; the message says what to do."""


def project_root(start: Path | None = None) -> Path:
    """Return the project directory: the nearest folder at or above `start` with our Pulumi.yaml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "Pulumi.yaml"
        if candidate.is_file() and _project_name(candidate) == PROJECT_NAME:
            return folder
    packaged = Path(__file__).resolve().parents[1]
    if (packaged / "Pulumi.yaml").is_file():
        return packaged
    raise WorkspaceError(f"no {PROJECT_NAME} project (Pulumi.yaml) at or above {here}: run from the project")


def _project_name(pulumi_yaml: Path) -> str | None:
    for line in pulumi_yaml.read_text(encoding="utf-8").splitlines():
        if line.startswith("name:"):
            return line.partition(":")[2].strip().strip("'\"")
    return None


@dataclass(frozen=True)
class LocalTenant:
    """Where the local tenant answers and how to trust and log in to it."""

    domain: str
    ca_file: Path
    client_id: str
    client_secret: str = field(repr=False)


def local_tenant_dir(root: Path | None = None) -> Path:
    """The local tenant's state dir: `$AUTH0_M2M_TENANT_STATE_DIR`, else `.tenant` in the project."""
    configured = os.environ.get(TENANT_STATE_DIR_ENV)
    if configured:
        return Path(configured)
    return (root or project_root()) / TENANT_STATE_DIR


def find_local_tenant(state_dir: Path) -> LocalTenant:
    """The running local tenant whose state is in `state_dir` (its CA and bootstrap credentials)."""
    bootstrap = state_dir / "bootstrap-client.json"
    ca_file = state_dir / "ca.pem"
    if not bootstrap.is_file() or not ca_file.is_file():
        raise WorkspaceError(
            f"no local tenant state in {state_dir}: start one with `make tenant` or `auth0-m2m tenant serve`"
        )
    data = json.loads(bootstrap.read_text(encoding="utf-8"))
    tenant = LocalTenant(
        domain=str(data["domain"]),
        ca_file=ca_file,
        client_id=str(data["client_id"]),
        client_secret=str(data["client_secret"]),
    )
    host, _, port = tenant.domain.partition(":")
    try:
        socket.create_connection(("127.0.0.1" if host == "localhost" else host, int(port or 443)), 2).close()
    except OSError:
        raise WorkspaceError(
            f"the local tenant at {tenant.domain} is not running: start it with `auth0-m2m tenant serve`"
        ) from None
    return tenant


def write_shell_env(state_dir: Path, ca_file: Path) -> Path:
    """Write `<state_dir>/env` (and the CA bundle it names) for plain `pulumi` on the `local` stack.

    Sourcing it exports `SSL_CERT_FILE` / `REQUESTS_CA_BUNDLE` (a bundle of the default trusted roots
    plus the tenant's CA, so real tenants stay trusted in the same shell), the local stack's
    documented passphrase and `AUTH0_M2M_TENANT_STATE_DIR`. It holds no credential: the program
    reads those from `bootstrap-client.json`.
    """
    state_dir = state_dir.resolve()
    bundle = state_dir / CA_BUNDLE_FILE
    roots = _default_roots()
    _write_private(bundle, roots.rstrip("\n") + "\n" + ca_file.read_text(encoding="utf-8"))
    lines = [
        "# Written by `auth0-m2m tenant serve`; do not edit. For plain `pulumi` on the `local` stack:",
        "#   . .engine/env && . .tenant/env && pulumi up --stack local",
        "# Trust the local tenant's CA (on top of the default roots), in the provider and in Python clients:",
        f"export SSL_CERT_FILE={shlex.quote(str(bundle))}",
        f"export REQUESTS_CA_BUNDLE={shlex.quote(str(bundle))}",
        "# The local stack's secrets passphrase (documented; it only protects local-tenant credentials):",
        f"export PULUMI_CONFIG_PASSPHRASE={shlex.quote(LOCAL_PASSPHRASE)}",
        "# Where the program finds the tenant's address and bootstrap credentials (bootstrap-client.json):",
        f"export {TENANT_STATE_DIR_ENV}={shlex.quote(str(state_dir))}",
    ]
    env_file = state_dir / SHELL_ENV_FILE
    _write_private(env_file, "\n".join(lines) + "\n")
    return env_file


def _default_roots() -> str:
    """The PEM roots a default TLS context trusts here (certifi's bundle where OpenSSL has no file)."""
    cafile = ssl.get_default_verify_paths().cafile
    if cafile and Path(cafile).is_file():
        return Path(cafile).read_text(encoding="utf-8")
    import certifi

    return Path(certifi.where()).read_text(encoding="utf-8")


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
