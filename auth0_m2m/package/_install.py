"""Install the component package as the Pulumi plugin `resource auth0-m2m <version>` in a plugin cache.

The CLI finds a resource plugin `pulumi-resource-<name>` in
`$PULUMI_HOME/plugins/resource-<name>-v<version>/`.
What is written there is a small `sh` launcher that runs `<python> -m auth0_m2m.package`, the same way
`auth0_m2m.provider.install_standin_plugin` installs the stand-in auth0 provider. A file there that is not
such a launcher (a plugin built or installed another way) is never overwritten: `install_package_plugin`
raises `PackagePluginConflictError` and writes nothing.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from auth0_m2m._plugin_cache import is_launcher, write_launcher

PLUGIN_NAME = "pulumi-resource-auth0-m2m"
LAUNCHER_MARKER = b"auth0_m2m.package"
"""What every launcher this module writes contains."""


class PackagePluginConflictError(RuntimeError):
    """A plugin that is not our launcher is installed where the launcher would go; it was left alone."""


def package_plugin_path(pulumi_home: Path | str, version: str) -> Path:
    """Where Pulumi looks for `resource auth0-m2m <version>` in the plugin cache of `pulumi_home`."""
    return Path(pulumi_home) / "plugins" / f"resource-auth0-m2m-v{version}" / PLUGIN_NAME


def is_package_launcher(path: Path) -> bool:
    """True if `path` is a launcher this module wrote: a small file containing `auth0_m2m.package`."""
    return is_launcher(path, LAUNCHER_MARKER)


def _launcher(python: Path, version: str) -> str:
    return (
        "#!/bin/sh\n"
        f"# auth0-m2m component package {version} (auth0_m2m/package), plugin pulumi-resource-auth0-m2m.\n"
        "# Written by `auth0-m2m package install` (also run by make engine); rewritten on every install.\n"
        f'exec {shlex.quote(str(python))} -m auth0_m2m.package "$@"\n'
    )


def install_package_plugin(
    pulumi_home: Path | str, version: str | None = None, python: Path | str = sys.executable
) -> Path:
    """Install the package as plugin `resource auth0-m2m <version>` in `pulumi_home`; return its path.

    `version` defaults to the installed distribution's (`auth0_m2m.package.package_version()`); `python` is
    the interpreter the launcher runs (one that can import `auth0_m2m`; default: this one), kept as given
    (absolute, not resolved) so a virtualenv's `bin/python` stays the virtualenv's. Written atomically and
    only when it differs; a stale `.partial` marker beside the plugin folder is removed.

    Raises `PackagePluginConflictError`, writing nothing, if a file that is not our launcher is there.
    """
    if version is None:
        from auth0_m2m.package import package_version

        version = package_version()
    target = package_plugin_path(pulumi_home, version)
    if (target.exists() or target.is_symlink()) and not is_package_launcher(target):
        raise PackagePluginConflictError(f"{target} is a plugin that auth0-m2m did not write; left as is")
    text = _launcher(Path(os.path.abspath(python)), version)
    write_launcher(target, text)
    return target
