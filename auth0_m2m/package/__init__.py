"""The auth0-m2m component package: `Integration` for Pulumi YAML, TypeScript and any other Pulumi language.

A component package is a provider plugin that serves `Construct` for its components and answers
`GetSchema` with their schema; Pulumi YAML uses the schema directly and `pulumi package gen-sdk` turns it
into an SDK for another language. This one is the Python SDK's component provider host
(`pulumi.provider.experimental`) serving `Integration` (`auth0_m2m/package/_integration.py`) as package
`auth0-m2m` (token `auth0-m2m:index:Integration`), launched by the CLI as the resource plugin
`pulumi-resource-auth0-m2m`: `install_package_plugin` (`auth0-m2m package install`, `make engine`) writes
that launcher into a plugin cache, beside the stand-in auth0 provider. README "From YAML / TypeScript" has
the commands.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from auth0_m2m.package._install import (
    PLUGIN_NAME,
    PackagePluginConflictError,
    install_package_plugin,
    is_package_launcher,
    package_plugin_path,
)
from auth0_m2m.package._integration import ApiDefinition, Integration, IntegrationArgs

__all__ = [
    "PACKAGE_NAME",
    "PLUGIN_NAME",
    "ApiDefinition",
    "Integration",
    "IntegrationArgs",
    "PackagePluginConflictError",
    "install_package_plugin",
    "is_package_launcher",
    "package_plugin_path",
    "package_version",
    "serve",
]

PACKAGE_NAME = "auth0-m2m"
"""The Pulumi package name: the first part of every type token (`auth0-m2m:index:Integration`)."""


def package_version() -> str:
    """The plugin's version: the installed auth0-m2m distribution's (0.0.0 in a source tree without one)."""
    try:
        return version("auth0-m2m")
    except PackageNotFoundError:
        return "0.0.0"


def serve() -> None:
    """Serve the package's components over gRPC to the engine whose address is the first argument."""
    from pulumi.provider.experimental import component_provider_host

    component_provider_host([Integration], name=PACKAGE_NAME, version=package_version())
