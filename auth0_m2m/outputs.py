"""The connection details of one integration, as the stack exports them and consumers read them.

This is the hand-over record between the Pulumi side (stack outputs) and the consumers
(verify, export, rotate). The client secret is held as a `SecretStr`, so printing or logging
the record never shows it; call `client_secret.get_secret_value()` only where it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr


@dataclass(frozen=True)
class IntegrationOutputs:
    """What a consumer (Nango's `auth0-cc`, a secrets store) needs to use one M2M integration."""

    name: str
    """The integration's key in `auth0-m2m:integrations`."""
    client_id: str
    client_secret: SecretStr = field(repr=False)
    hostname: str
    """The tenant domain, as Nango's HostName field wants it (no scheme; may carry a port)."""
    audience: str
    """The API identifier the grant is for."""
    token_url: str
    scopes: tuple[str, ...] = ()
    organization: str | None = None
    """The organization's name, when the grant is used through an organization."""
    organization_id: str | None = None

    @classmethod
    def from_mapping(cls, name: str, data: dict[str, Any]) -> IntegrationOutputs:
        """Build the record from one entry of the `integrations` stack output (plain values)."""
        return cls(
            name=name,
            client_id=str(data["client_id"]),
            client_secret=SecretStr(str(data.get("client_secret") or "")),
            hostname=str(data["hostname"]),
            audience=str(data["audience"]),
            token_url=str(data.get("token_url") or f"https://{data['hostname']}/oauth/token"),
            scopes=tuple(data.get("scopes") or ()),
            organization=data.get("organization") or None,
            organization_id=data.get("organization_id") or None,
        )
