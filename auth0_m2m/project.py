"""Where the project is (any Pulumi project, whatever its name), and how it finds the local tenant.

`open_project` reads the nearest `Pulumi.yaml`: the consumer commands serve any project whose stack
exports `integrations`; the commands that run `auth0_m2m.program` ask `runs_config_program`.

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
"""The name of this repository's project (and of its forks); other projects may have any name."""
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


PROGRAM_IMPORTS = ("auth0_m2m.program", "from auth0_m2m import program")
"""How a program imports the config-driven program (`auth0_m2m.program`), configured by `auth0-m2m:`
keys."""


@dataclass(frozen=True)
class Project:
    """A Pulumi project folder, of any name and program: what its `Pulumi.yaml` says about it."""

    root: Path
    name: str
    stack_config_dir: Path
    """Where its `Pulumi.<stack>.yaml` files are (`stackConfigDir`, else the project folder)."""
    main: Path
    """Its program's entry: `main:` of Pulumi.yaml, else the project folder."""

    def stack_file(self, stack: str) -> Path:
        """The config file of `stack`."""
        return self.stack_config_dir / f"Pulumi.{stack}.yaml"

    def runs_config_program(self, stack: str | None = None) -> bool:
        """Whether the project's program is `auth0_m2m.program`, configured by `auth0-m2m:` keys.

        True for a project called `auth0-m2m` (this repository and its forks), a program whose entry
        imports `auth0_m2m.program`, or a stack file with keys in the `auth0-m2m:` namespace.
        """
        if self.name == PROJECT_NAME:
            return True
        entry = self.main / "__main__.py" if self.main.is_dir() else self.main
        try:
            program = entry.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            program = ""
        if any(form in program for form in PROGRAM_IMPORTS):
            return True
        if stack is None:
            return False
        return any(
            str(key).startswith(f"{PROJECT_NAME}:") for key in _stack_config_keys(self.stack_file(stack))
        )


def _stack_config_keys(path: Path) -> list[object]:
    """The keys of a stack file's `config:` map; none when it is missing or unreadable."""
    import yaml

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    config = document.get("config") if isinstance(document, dict) else None
    return list(config) if isinstance(config, dict) else []


def open_project(start: Path | None = None) -> Project:
    """The Pulumi project at or above `start` (default: the working directory), whatever its name."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for file_name in ("Pulumi.yaml", "Pulumi.yml"):
            if (folder / file_name).is_file():
                return _read_project(folder / file_name)
    raise WorkspaceError(
        f"no Pulumi project (Pulumi.yaml) at or above {here}: run in a project folder or pass -C DIR"
    )


def _read_project(pulumi_yaml: Path) -> Project:
    import yaml

    try:
        document = yaml.safe_load(pulumi_yaml.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        reason = str(getattr(error, "problem", None) or type(error).__name__)
        raise WorkspaceError(f"{pulumi_yaml}: not a readable Pulumi.yaml ({reason}); fix it") from None
    name = document.get("name") if isinstance(document, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise WorkspaceError(
            f"{pulumi_yaml}: no project `name:` (a string); Pulumi.yaml must name the project"
        )
    root = pulumi_yaml.parent
    config_dir = document.get("stackConfigDir")
    main = document.get("main")
    return Project(
        root=root,
        name=name.strip(),
        stack_config_dir=root / str(config_dir) if config_dir else root,
        main=root / str(main) if main else root,
    )


def project_root(start: Path | None = None) -> Path:
    """The project folder: the nearest folder at or above `start` with a Pulumi.yaml."""
    return open_project(start).root


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
    try:
        data = json.loads(bootstrap.read_text(encoding="utf-8"))
        tenant = LocalTenant(
            domain=str(data["domain"]),
            ca_file=ca_file,
            client_id=str(data["client_id"]),
            client_secret=str(data["client_secret"]),
        )
        host, _, port_text = tenant.domain.partition(":")
        port = int(port_text or 443)
    except (OSError, ValueError, KeyError, TypeError):
        raise WorkspaceError(
            f"{bootstrap}: not a tenant's bootstrap file; restart the tenant (`auth0-m2m tenant serve`)"
        ) from None
    try:
        socket.create_connection(("127.0.0.1" if host == "localhost" else host, port), 2).close()
    except OSError:
        raise WorkspaceError(
            f"the local tenant at {tenant.domain} is not running: start it with `auth0-m2m tenant serve`"
        ) from None
    return tenant


def local_tenant_serving(domain: str, state_dir: Path) -> LocalTenant | None:
    """The local tenant of `state_dir` when it serves `domain`, else None.

    This is how a stack other than `local` (a team's `dev` stack pointed at `localhost:8443`, say)
    is recognised as the local tenant's: by its domain. Raises WorkspaceError when the state dir
    names that domain but the tenant is not running.
    """
    try:
        data = json.loads((state_dir / "bootstrap-client.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("domain") != domain:
        return None
    return find_local_tenant(state_dir)


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
