"""Write a Python-launched Pulumi plugin into a plugin cache: the one mechanism both installers share.

The Pulumi CLI finds a resource plugin `pulumi-resource-<name>` in
`$PULUMI_HOME/plugins/resource-<name>-v<version>/`. The stand-in auth0 provider
(`auth0_m2m.provider.install_standin_plugin`) and the component package
(`auth0_m2m.package.install_package_plugin`) each install there a small `sh` launcher that runs a module
of this package with a given interpreter. `is_launcher` recognises such a launcher by a marker (a small
file containing the module's name), so a plugin built or installed another way is never overwritten;
`write_launcher` writes one atomically and only when it differs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

LAUNCHER_MAX_BYTES = 64 * 1024
"""A launcher is a few hundred bytes; a larger file is a real plugin binary, whatever it contains."""


def is_launcher(path: Path, marker: bytes) -> bool:
    """True if `path` is a small file containing `marker` (a launcher we wrote)."""
    try:
        if not path.is_file() or path.stat().st_size >= LAUNCHER_MAX_BYTES:
            return False
        return marker in path.read_bytes()
    except OSError:
        return False


def write_launcher(target: Path, text: str) -> None:
    """Write the launcher `text` at `target` (mode 0755) atomically, only when its text or mode differ.

    A temporary file beside it is renamed over the old one; a stale `.partial` marker beside the plugin
    folder (Pulumi skips plugins that have one) is removed. `OSError` from the file system propagates.
    """
    unchanged = False
    with contextlib.suppress(OSError):
        unchanged = (
            not target.is_symlink() and target.read_text() == text and target.stat().st_mode & 0o777 == 0o755
        )
    if not unchanged:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(text)
            os.chmod(tmp, 0o755)  # noqa: S103 - a plugin executable the CLI runs
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    partial = target.parent.with_name(target.parent.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
