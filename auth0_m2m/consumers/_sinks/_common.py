"""What every export target shares: the `Sink` protocol, the exported fields, the 0600 atomic write
and the check that a file already holds what that write would leave.

Layout rule for targets that hold one document (json, aws-sm, vault): one integration is written
as a flat record of fields; several are written as `{integration name: record}`. Pass a single
integration (`--integration N`) when the consumer needs a stable flat record.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path
from typing import Protocol, runtime_checkable

from auth0_m2m.consumers._exceptions import SinkError
from auth0_m2m.consumers._settings import FIELD_NAMES, check_field_mapping
from auth0_m2m.outputs import IntegrationOutputs


@runtime_checkable
class Sink(Protocol):
    """An export target. `write` stores the records and returns where, in words, without secrets.

    `holds` says whether the target already holds what `write` would store, so a write can be skipped.
    """

    name: str
    """The target kind, as in the spec string (`json`, `aws-sm`, ...)."""

    def write(self, outputs: list[IntegrationOutputs], *, stack: str) -> str:
        """Store `outputs` of stack `stack`; return e.g. "json: wrote 2 integrations to out/creds.json"."""
        ...

    def holds(self, outputs: list[IntegrationOutputs], *, stack: str) -> bool:
        """True when the target already holds exactly what `write(outputs, stack=stack)` would store (so
        a write can be skipped); False when it differs or does not exist.

        Reads only; raises SinkError (one line, secrets redacted) when the target cannot be read.
        """
        ...


def export_fields(outputs: IntegrationOutputs, mapping: dict[str, str] | None = None) -> dict[str, str]:
    """The plain-text record of one integration, keys renamed by `mapping`; unset org fields left out."""
    mapping = mapping or {}
    check_field_mapping(mapping)
    values = {
        "client_id": outputs.client_id,
        "client_secret": outputs.client_secret.get_secret_value(),
        "hostname": outputs.hostname,
        "audience": outputs.audience,
        "organization": outputs.organization,
        "organization_id": outputs.organization_id,
    }
    return {mapping.get(key, key): value for key in FIELD_NAMES if (value := values[key]) is not None}


def document(outputs: list[IntegrationOutputs], mapping: dict[str, str] | None = None) -> dict[str, object]:
    """One flat record for one integration; `{name: record}` for several (see the module docstring)."""
    require_outputs(outputs)
    if len(outputs) == 1:
        return dict(export_fields(outputs[0], mapping))
    return {item.name: export_fields(item, mapping) for item in outputs}


def require_outputs(outputs: list[IntegrationOutputs]) -> None:
    """Refuse an empty export (a filter that matched nothing should not overwrite a target)."""
    if not outputs:
        raise SinkError("export: no integrations to write; check the stack name and --integration")
    names = [item.name for item in outputs]
    dupes = sorted({name for name in names if names.count(name) > 1})
    if dupes:
        raise SinkError(f"export: integration {dupes[0]!r} appears twice")


def secret_values(outputs: list[IntegrationOutputs]) -> list[str]:
    """The client secrets of `outputs`, for `redact`."""
    return [item.client_secret.get_secret_value() for item in outputs]


def one_line(text: str) -> str:
    """`text` with its line breaks and runs of blanks turned into single spaces (for SinkError messages)."""
    return " ".join(text.split())


def write_private_file(path: Path, data: bytes, *, target: str) -> None:
    """Write `data` to `path` atomically: a 0600 temp file beside it (created so), then os.replace.

    Readers see the old file or the new one, never a partial one; the file is never readable by
    others, not even for a moment.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise SinkError(f"{target}: directory {directory} does not exist; create it first")
    if path.is_dir():
        raise SinkError(f"{target}: {path} is a directory; give a file path")
    temp = directory / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise SinkError(f"{target}: cannot write {path}: {exc.strerror or exc}") from None


def private_file_holds(path: Path, data: bytes, *, target: str) -> bool:
    """Whether `path` is what `write_private_file(path, data)` leaves: a regular 0600 file holding `data`.

    A missing file, a symbolic link (the write replaces it with a file), another mode or other bytes
    give False; a directory, or a file that cannot be read, raises SinkError.
    """
    path = Path(path)
    try:
        # no following links, and no blocking on a FIFO someone left at the path
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return False
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return False
        raise SinkError(f"{target}: cannot read {path}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SinkError(f"{target}: {path} is a directory; give a file path")
        if not stat.S_ISREG(info.st_mode) or stat.S_IMODE(info.st_mode) != 0o600:
            return False
        chunks: list[bytes] = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks) == data
    except OSError as exc:
        raise SinkError(f"{target}: cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
