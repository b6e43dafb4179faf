"""`auth0-m2m package install`: put the component package (`Integration`) in a Pulumi plugin cache.

After it, a Pulumi YAML program in any folder declares `type: auth0-m2m:index:Integration`, and
`pulumi package get-schema auth0-m2m` / `pulumi package gen-sdk auth0-m2m` answer: the CLI runs the plugin
`resource auth0-m2m <version>` from `$PULUMI_HOME/plugins`, a launcher of this environment's Python. It
prints one line: where the plugin is, or why nothing was written (exit 1: a plugin auth0-m2m did not write
is already there and is left alone; exit 2: an unusable `--pulumi-home`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from auth0_m2m.cli import app
from auth0_m2m.cli._provider import _default_pulumi_home

package_app = typer.Typer(
    name="package",
    help="The auth0-m2m component package plugin (Integration, for Pulumi YAML and other languages).",
    no_args_is_help=True,
)
app.add_typer(package_app, name="package")


@package_app.command("install")
def install(
    pulumi_home: Annotated[
        Path | None,
        typer.Option(
            "--pulumi-home",
            help="The Pulumi home whose plugins/ gets the plugin (default: $PULUMI_HOME, else ~/.pulumi).",
        ),
    ] = None,
) -> None:
    """Install the component package as plugin `resource auth0-m2m <version>` (never over another plugin)."""
    from auth0_m2m.package import PackagePluginConflictError, install_package_plugin, package_version

    home = (pulumi_home or _default_pulumi_home()).expanduser()
    if home.exists() and not home.is_dir():
        typer.echo(f"package install: --pulumi-home {home} is not a directory", err=True)
        raise typer.Exit(2)
    try:
        path = install_package_plugin(home.absolute())
    except PackagePluginConflictError as exc:
        typer.echo(f"package install: not installed: {exc}", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"package install: cannot write to --pulumi-home {home}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(
        f"installed the auth0-m2m component package as plugin resource auth0-m2m {package_version()}: {path} "
        f"(runs {sys.executable} -m auth0_m2m.package)"
    )
