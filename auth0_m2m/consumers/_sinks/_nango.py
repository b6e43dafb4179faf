"""Nango target (`nango:`): upsert one `auth0-cc` connection per integration through Nango's API.

`POST {base_url}/connections` ("Upsert a connection", Nango API 1.0.0) with:
- `provider_config_key`: the Nango integration's unique key (`AUTH0_M2M_NANGO__PROVIDER_CONFIG_KEY`,
  default `auth0-cc`), `connection_id`: the prefix plus the integration's name;
- `credentials`: `OAuth2ClientCredentials` = `{type: OAUTH2_CC, client_id, client_secret, token,
  expires_at}`. The schema requires a current `token`, so the target first requests one exactly as
  Nango would (`_token.request_token`), which also proves the credentials before Nango stores them;
- `connection_config`: `hostname`, `audience` and, when set, `organization` (the names the
  `auth0-cc` provider interpolates; field renames do not apply, Nango's names are fixed);
- `tags`: `auth0-m2m-stack` and `auth0-m2m-integration`.
Authorization is `Bearer` + the environment's secret key from `AUTH0_M2M_NANGO__SECRET_KEY`.
See: https://nango.dev/docs/reference/api/connection/post (spec: docs/spec.yaml in NangoHQ/nango)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from auth0_m2m.consumers._exceptions import ConsumerError, SinkError, redact
from auth0_m2m.consumers._ratelimit import send_with_retries
from auth0_m2m.consumers._settings import NangoSettings
from auth0_m2m.consumers._sinks._common import require_outputs
from auth0_m2m.consumers._token import AccessToken, request_token, tls_context
from auth0_m2m.outputs import IntegrationOutputs

TokenSource = Callable[[IntegrationOutputs], AccessToken]


def connection_request(
    item: IntegrationOutputs,
    token: AccessToken,
    *,
    stack: str,
    settings: NangoSettings,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The `POST /connections` body for one integration (holds secrets: send it, never log it)."""
    credentials: dict[str, str] = {
        "type": "OAUTH2_CC",
        "client_id": item.client_id,
        "client_secret": item.client_secret.get_secret_value(),
        "token": token.access_token.get_secret_value(),
    }
    if token.expires_in is not None:
        expires = (now or dt.datetime.now(dt.UTC)) + dt.timedelta(seconds=token.expires_in)
        credentials["expires_at"] = expires.isoformat(timespec="seconds").replace("+00:00", "Z")
    config = {"hostname": item.hostname, "audience": item.audience}
    if item.organization:
        config["organization"] = item.organization
    return {
        "provider_config_key": settings.provider_config_key,
        "connection_id": settings.connection_id_prefix + item.name,
        "credentials": credentials,
        "connection_config": config,
        "tags": {"auth0-m2m-stack": stack[:255], "auth0-m2m-integration": item.name[:255]},
    }


def _nango_error(response: httpx.Response) -> str:
    try:
        data: Any = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return f"HTTP {response.status_code}"
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        return f"HTTP {response.status_code}: {error.get('code')}: {error.get('message') or ''}".rstrip(": ")
    return f"HTTP {response.status_code}"


@dataclass
class NangoSink:
    """Upsert `auth0-cc` connections in one Nango environment."""

    settings: NangoSettings
    ca_file: Path | None = None
    """CA for the token request to the tenant (not for Nango: Nango's TLS uses the system store)."""
    token_source: TokenSource | None = None
    """How to get the current token; by default a request to the tenant as Nango sends it."""
    name: str = "nango"

    def _token(self, item: IntegrationOutputs) -> AccessToken:
        if self.token_source is not None:
            return self.token_source(item)
        with httpx.Client(verify=tls_context(self.ca_file), timeout=self.settings.timeout) as client:
            return request_token(item, client=client)

    def write(self, outputs: list[IntegrationOutputs], *, stack: str) -> str:
        """Upsert each connection; return the connection ids and the Nango base URL."""
        require_outputs(outputs)
        if self.settings.secret_key is None:
            raise SinkError(
                "nango: AUTH0_M2M_NANGO__SECRET_KEY is not set; set it to the Nango environment's secret key"
            )
        key = self.settings.secret_key.get_secret_value()
        base = self.settings.base_url.rstrip("/")
        done: list[str] = []
        with httpx.Client(
            base_url=base,
            timeout=self.settings.timeout,
            headers={"Authorization": f"Bearer {key}"},
        ) as client:
            for item in outputs:
                done.append(self._upsert(client, item, stack=stack, key=key))
        return (
            f"nango: upserted connection(s) {', '.join(done)} ({self.settings.provider_config_key}) at {base}"
        )

    def _upsert(self, client: httpx.Client, item: IntegrationOutputs, *, stack: str, key: str) -> str:
        hidden = [key, item.client_secret.get_secret_value()]
        try:
            token = self._token(item)
        except (ConsumerError, ValueError) as exc:
            raise SinkError(
                f"nango: no token for {item.name}, so no connection: {redact(str(exc), hidden)}"
            ) from None
        hidden.append(token.access_token.get_secret_value())
        body = connection_request(item, token, stack=stack, settings=self.settings)
        try:
            response = send_with_retries(client, "POST", "/connections", json=body)
        except httpx.TransportError as exc:
            detail = redact(f"{type(exc).__name__}: {exc}", hidden)
            raise SinkError(f"nango: cannot reach {self.settings.base_url}: {detail}") from None
        if response.status_code not in (200, 201):
            detail = redact(_nango_error(response), hidden)
            raise SinkError(f"nango: connection {body['connection_id']} refused: {detail}")
        return str(body["connection_id"])
