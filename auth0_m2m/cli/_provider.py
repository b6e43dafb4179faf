"""`auth0-m2m provider install`: put the stand-in auth0 provider in a Pulumi plugin cache.

For a project that uses this package without an upstream `pulumi-resource-auth0` (which cannot be
built where the Go module proxy refuses it): after it, plain `pulumi` and the `auth0-m2m` commands
find `resource auth0 3.37.1` in `$PULUMI_HOME/plugins` and run the stand-in with this environment's
Python. It prints one line: where the plugin is, or why nothing was written (exit 1: a plugin that
is not the stand-in is already there and is left alone; exit 2: an unusable `--pulumi-home`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from auth0_m2m.cli import app

provider_app = typer.Typer(
    name="provider", help="The stand-in auth0 provider plugin (auth0_m2m.provider).", no_args_is_help=True
)
app.add_typer(provider_app, name="provider")


def _default_pulumi_home() -> Path:
    """Where the Pulumi CLI keeps plugins: `$PULUMI_HOME`, else `~/.pulumi`."""
    configured = os.environ.get("PULUMI_HOME")
    return Path(configured) if configured else Path.home() / ".pulumi"


PulumiHomeOption = Annotated[
    Path | None,
    typer.Option(
        "--pulumi-home",
        help="The Pulumi home whose plugins/ gets the plugin (default: $PULUMI_HOME, else ~/.pulumi).",
    ),
]


def install_plugin(
    command: str,
    pulumi_home: Path | None,
    install: Callable[[Path], Path],
    conflict: type[Exception],
    installed: Callable[[Path], str],
) -> None:
    """The install commands' shell: check `--pulumi-home`, install, print one line (exit 1 on a conflict,
    2 on an unusable home)."""
    home = (pulumi_home or _default_pulumi_home()).expanduser()
    if home.exists() and not home.is_dir():
        typer.echo(f"{command}: --pulumi-home {home} is not a directory", err=True)
        raise typer.Exit(2)
    try:
        path = install(home.absolute())
    except conflict as exc:
        typer.echo(f"{command}: not installed: {exc}", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"{command}: cannot write to --pulumi-home {home}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(installed(path))


@provider_app.command("install")
def install(pulumi_home: PulumiHomeOption = None) -> None:
    """Install the stand-in as plugin `resource auth0 3.37.1` (never over a real plugin)."""
    from auth0_m2m.provider import PLUGIN_VERSION, PluginConflictError, install_standin_plugin

    install_plugin(
        "provider install",
        pulumi_home,
        install_standin_plugin,
        PluginConflictError,
        lambda path: (
            f"installed the auth0-m2m stand-in as plugin resource auth0 {PLUGIN_VERSION}: {path} "
            f"(runs {sys.executable} -m auth0_m2m.provider)"
        ),
    )
