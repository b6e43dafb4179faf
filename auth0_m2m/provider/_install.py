"""Install the stand-in provider as the Pulumi plugin `resource auth0 <PLUGIN_VERSION>` in a plugin cache.

The Pulumi CLI looks for `pulumi-resource-auth0` first on `PATH` (and then warns "using
pulumi-resource-auth0 from $PATH" on every run), then in `$PULUMI_HOME/plugins/resource-auth0-v<version>/`.
Installing the stand-in in that plugin cache makes it a plugin like any other: no warning, listed by
`pulumi plugin ls`, found when ambient plugins are ignored. What is written there is a small `sh`
launcher that runs `<python> -m auth0_m2m.provider`; its first comment line names it the auth0-m2m
STAND-IN, and it contains `auth0_m2m.provider`, which is how this module and `engine/build.sh`
(`is_standin`) recognise it.

A plugin there that is not the stand-in (an upstream `pulumi-resource-auth0`, installed with
`pulumi plugin install resource auth0 3.37.1`) is never overwritten: `install_standin_plugin` raises
`PluginConflictError` instead, and writes nothing. `make engine`, `auth0-m2m provider install` and
`workspace.scratch_project` all install through `install_standin_plugin`.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from auth0_m2m._plugin_cache import is_launcher, write_launcher
from auth0_m2m.provider._server import PLUGIN_VERSION

__all__ = ["STANDIN_MARKER", "PluginConflictError", "install_standin_plugin", "is_standin", "plugin_path"]

PLUGIN_NAME = "pulumi-resource-auth0"
STANDIN_MARKER = b"auth0_m2m.provider"
"""What every stand-in launcher contains (engine/build.sh `is_standin` greps for the same text)."""


class PluginConflictError(RuntimeError):
    """A plugin that is not the stand-in is installed where the stand-in would go; it was left alone."""


def plugin_path(pulumi_home: Path | str) -> Path:
    """Where Pulumi looks for `resource auth0 <PLUGIN_VERSION>` in the plugin cache of `pulumi_home`."""
    return Path(pulumi_home) / "plugins" / f"resource-auth0-v{PLUGIN_VERSION}" / PLUGIN_NAME


def is_standin(path: Path) -> bool:
    """True if `path` is a stand-in launcher: a small file containing `auth0_m2m.provider`.

    The same rule as `is_standin` in engine/build.sh (which also bounds the size), so both agree
    on what may be replaced.
    """
    return is_launcher(path, STANDIN_MARKER)


def _launcher(python: Path) -> str:
    return (
        "#!/bin/sh\n"
        f"# auth0-m2m STAND-IN for pulumi-resource-auth0 {PLUGIN_VERSION}, not the upstream plugin"
        " (auth0_m2m/provider).\n"
        "# Written by `auth0-m2m provider install` (also run by make engine); rewritten on every install.\n"
        f'exec {shlex.quote(str(python))} -m auth0_m2m.provider "$@"\n'
    )


def install_standin_plugin(pulumi_home: Path | str, python: Path | str = sys.executable) -> Path:
    """Install the stand-in as plugin `resource auth0 <PLUGIN_VERSION>` in `pulumi_home`; return its path.

    `python` is the interpreter the launcher runs (one that can import `auth0_m2m`; default: this
    one). Its path is kept as given, made absolute but not resolved, so a virtualenv's `bin/python`
    stays the virtualenv's. The launcher is written atomically (a temporary file renamed over the
    old one) and only when its text or mode differ, so installing again changes nothing; a stale
    `.partial` marker beside the plugin folder (Pulumi skips plugins that have one) is removed.

    Raises `PluginConflictError`, writing nothing, if a plugin that is not the stand-in is there.
    `OSError` from the file system (an unwritable `pulumi_home`) propagates.
    """
    target = plugin_path(pulumi_home)
    if (target.exists() or target.is_symlink()) and not is_standin(target):
        raise PluginConflictError(
            f"{target} is a plugin that is not the auth0-m2m stand-in (an upstream pulumi-resource-auth0?); "
            "left as is"
        )
    text = _launcher(Path(os.path.abspath(python)))
    write_launcher(target, text)
    return target
