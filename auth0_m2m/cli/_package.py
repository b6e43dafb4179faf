"""`auth0-m2m package install`: put the component package (`Integration`) in a Pulumi plugin cache.

After it, a Pulumi YAML program in any folder declares `type: auth0-m2m:index:Integration`, and
`pulumi package get-schema auth0-m2m` / `pulumi package gen-sdk auth0-m2m` answer: the CLI runs the plugin
`resource auth0-m2m <version>` from `$PULUMI_HOME/plugins`, a launcher of this environment's Python. It
prints one line: where the plugin is, or why nothing was written (exit 1: a plugin auth0-m2m did not write
is already there and is left alone; exit 2: an unusable `--pulumi-home`).
"""

from __future__ import annotations

import sys

import typer

from auth0_m2m.cli import app
from auth0_m2m.cli._provider import PulumiHomeOption, install_plugin

package_app = typer.Typer(
    name="package",
    help="The auth0-m2m component package plugin (Integration, for Pulumi YAML and other languages).",
    no_args_is_help=True,
)
app.add_typer(package_app, name="package")


@package_app.command("install")
def install(pulumi_home: PulumiHomeOption = None) -> None:
    """Install the component package as plugin `resource auth0-m2m <version>` (never over another plugin)."""
    from auth0_m2m.package import PackagePluginConflictError, install_package_plugin, package_version

    install_plugin(
        "package install",
        pulumi_home,
        install_package_plugin,
        PackagePluginConflictError,
        lambda path: (
            f"installed the auth0-m2m component package as plugin resource auth0-m2m {package_version()}: "
            f"{path} (runs {sys.executable} -m auth0_m2m.package)"
        ),
    )
