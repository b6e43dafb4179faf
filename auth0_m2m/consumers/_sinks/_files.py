"""File targets: `dotenv:PATH` and `json:PATH`, written atomically with mode 0600.

Each sink renders the file's bytes (`render`, deterministic: the same outputs and stack give the
same bytes) apart from writing them, so `holds` compares what a write would leave with the file.

dotenv layout: one integration gives `client_id='...'` lines (names as mapped); several give
`<name>_client_id='...'`, the integration name with characters other than letters, digits and `_`
turned into `_`. Values are single-quoted, with a backslash before any quote or backslash in them;
python-dotenv reads them back exactly with `interpolate=False` (Auth0 secrets hold no `$` anyway).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from auth0_m2m.consumers._exceptions import SinkError
from auth0_m2m.consumers._sinks._common import (
    document,
    export_fields,
    private_file_holds,
    require_outputs,
    write_private_file,
)
from auth0_m2m.outputs import IntegrationOutputs

_ENV_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _quote(value: str) -> str:
    """Single-quote a value; python-dotenv reads `\\'` and `\\\\` inside single quotes as escapes."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass
class DotenvSink:
    """Write KEY='value' lines to a file (see the module docstring for the layout)."""

    path: Path
    mapping: dict[str, str] = field(default_factory=dict)
    name: str = "dotenv"

    def lines(self, outputs: list[IntegrationOutputs]) -> list[str]:
        """The file's lines, in order; raises SinkError for a name that is not a valid variable name."""
        require_outputs(outputs)
        prefixed = len(outputs) > 1
        lines: list[str] = []
        seen: set[str] = set()
        for item in outputs:
            prefix = re.sub(r"[^A-Za-z0-9_]", "_", item.name) + "_" if prefixed else ""
            for key, value in export_fields(item, self.mapping).items():
                env_key = prefix + key
                if not _ENV_KEY.match(env_key):
                    raise SinkError(
                        f"dotenv: {env_key!r} is not a variable name; rename it with AUTH0_M2M_FIELDS"
                    )
                if env_key in seen:
                    raise SinkError(
                        f"dotenv: two values would be written as {env_key!r}; export them separately"
                    )
                seen.add(env_key)
                lines.append(f"{env_key}={_quote(value)}")
        return lines

    def render(self, outputs: list[IntegrationOutputs], *, stack: str) -> bytes:
        """The file's bytes: a header naming the stack, then the lines."""
        header = f"# auth0-m2m export of stack {stack}: holds client secrets, keep it private\n"
        return (header + "\n".join(self.lines(outputs)) + "\n").encode()

    def write(self, outputs: list[IntegrationOutputs], *, stack: str) -> str:
        """Write the file; return where."""
        write_private_file(self.path, self.render(outputs, stack=stack), target=self.name)
        return f"dotenv: wrote {len(outputs)} integration(s) to {self.path} (mode 0600)"

    def holds(self, outputs: list[IntegrationOutputs], *, stack: str) -> bool:
        """Whether the file is 0600 and holds exactly the bytes `write` would write."""
        return private_file_holds(self.path, self.render(outputs, stack=stack), target=self.name)


@dataclass
class JsonSink:
    """Write one JSON document (flat for one integration, keyed by name for several)."""

    path: Path
    mapping: dict[str, str] = field(default_factory=dict)
    name: str = "json"

    def render(self, outputs: list[IntegrationOutputs], *, stack: str) -> bytes:
        """The file's bytes: the document, indented, keys in field order (the stack is not in it)."""
        return (json.dumps(document(outputs, self.mapping), indent=2) + "\n").encode()

    def write(self, outputs: list[IntegrationOutputs], *, stack: str) -> str:
        """Write the file; return where."""
        write_private_file(self.path, self.render(outputs, stack=stack), target=self.name)
        return f"json: wrote {len(outputs)} integration(s) to {self.path} (mode 0600)"

    def holds(self, outputs: list[IntegrationOutputs], *, stack: str) -> bool:
        """Whether the file is 0600 and holds exactly the bytes `write` would write."""
        return private_file_holds(self.path, self.render(outputs, stack=stack), target=self.name)
