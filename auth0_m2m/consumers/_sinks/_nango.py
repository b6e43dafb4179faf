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

`holds` reads each connection (`GET {base_url}/connections/{connection_id}?provider_config_key=`)
and compares what a write would change (`connection_view`): `credentials.type`, `client_id` and
`client_secret`, `connection_config` `hostname` / `audience` / `organization` (other keys of it
are Nango's and left out), and the tags (the upsert replaces them). Not the token or its expiry:
every write sends a fresh token, so comparing them would make every run a write. It requests no
token from the tenant. Nango itself refreshes an expired token when a connection is read; when it
cannot (`424`, "Connection refresh exhausted", e.g. it still holds a secret rotated since), the
connection does not hold what a write would store. `404` means there is no such connection.
A `private_key_jwt` integration is refused before anything is sent, in one line: Nango's `auth0-cc`
provider only knows the client-secret pair (its OAUTH2_CC code can sign assertions, but `auth0-cc`
does not enable it; auth0-facts.md, section 15), so an empty secret would make a broken connection.
See: https://nango.dev/docs/reference/api/connection/post (spec: docs/spec.yaml in NangoHQ/nango)
and https://nango.dev/docs/reference/api/connection/get
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from auth0_m2m.consumers._exceptions import ConsumerError, SinkError, redact
from auth0_m2m.consumers._logs import redacted_logs
from auth0_m2m.consumers._ratelimit import send_with_retries
from auth0_m2m.consumers._settings import NangoSettings
from auth0_m2m.consumers._sinks._common import one_line, require_outputs
from auth0_m2m.consumers._token import AccessToken, request_token, tls_context
from auth0_m2m.outputs import IntegrationOutputs

TokenSource = Callable[[IntegrationOutputs], AccessToken]
CONFIG_KEYS: tuple[str, ...] = ("hostname", "audience", "organization")
"""The `connection_config` keys the `auth0-cc` provider interpolates, and the ones `holds` compares."""
COMPARED_CREDENTIALS: tuple[str, ...] = ("type", "client_id", "client_secret")
"""The credentials `holds` compares: not `token` / `expires_at`, which every write renews."""


def connection_view(item: IntegrationOutputs, *, stack: str, settings: NangoSettings) -> dict[str, Any]:
    """What a write stores for one integration, less the token and its expiry (holds secrets)."""
    config = {"hostname": item.hostname, "audience": item.audience}
    if item.organization:
        config["organization"] = item.organization
    return {
        "credentials": {
            "type": "OAUTH2_CC",
            "client_id": item.client_id,
            "client_secret": item.client_secret.get_secret_value(),
        },
        "connection_config": config,
        "tags": {"auth0-m2m-stack": stack[:255], "auth0-m2m-integration": item.name[:255]},
    }


def stored_view(connection: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a connection (as `GET /connections/{id}` returns it) that `connection_view` has."""
    credentials = _mapping(connection.get("credentials"))
    config = _mapping(connection.get("connection_config"))
    return {
        "credentials": {key: credentials.get(key) for key in COMPARED_CREDENTIALS},
        "connection_config": {key: config[key] for key in CONFIG_KEYS if config.get(key) is not None},
        "tags": _mapping(connection.get("tags")),
    }


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def connection_request(
    item: IntegrationOutputs,
    token: AccessToken,
    *,
    stack: str,
    settings: NangoSettings,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The `POST /connections` body for one integration (holds secrets: send it, never log it)."""
    view = connection_view(item, stack=stack, settings=settings)
    credentials: dict[str, str] = {**view["credentials"], "token": token.access_token.get_secret_value()}
    if token.expires_in is not None:
        expires = (now or dt.datetime.now(dt.UTC)) + dt.timedelta(seconds=token.expires_in)
        credentials["expires_at"] = expires.isoformat(timespec="seconds").replace("+00:00", "Z")
    return {
        "provider_config_key": settings.provider_config_key,
        "connection_id": settings.connection_id_prefix + item.name,
        "credentials": credentials,
        "connection_config": view["connection_config"],
        "tags": view["tags"],
    }


def refuse_private_key_jwt(outputs: list[IntegrationOutputs]) -> None:
    """SinkError naming the first private_key_jwt integration: `auth0-cc` cannot use it."""
    for item in outputs:
        if item.uses_private_key_jwt:
            raise SinkError(
                f"nango: {item.name} uses private_key_jwt, which Nango's auth0-cc provider does not support "
                "(it takes a client secret only); nothing was sent: export it to another target"
            )


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

    def _secret_key(self) -> str:
        if self.settings.secret_key is None:
            raise SinkError(
                "nango: AUTH0_M2M_NANGO__SECRET_KEY is not set; set it to the Nango environment's secret key"
            )
        return self.settings.secret_key.get_secret_value()

    def _client(self, key: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.settings.base_url.rstrip("/"),
            timeout=self.settings.timeout,
            headers={"Authorization": f"Bearer {key}"},
        )

    def write(self, outputs: list[IntegrationOutputs], *, stack: str) -> str:
        """Upsert each connection; return the connection ids and the Nango base URL."""
        require_outputs(outputs)
        refuse_private_key_jwt(outputs)
        key = self._secret_key()
        base = self.settings.base_url.rstrip("/")
        done: list[str] = []
        with self._client(key) as client:
            for item in outputs:
                done.append(self._upsert(client, item, stack=stack, key=key))
        return (
            f"nango: upserted connection(s) {', '.join(done)} ({self.settings.provider_config_key}) at {base}"
        )

    def holds(self, outputs: list[IntegrationOutputs], *, stack: str) -> bool:
        """Whether every connection exists and matches `connection_view` (see the module docstring).

        Stops at the first connection that differs; requests no token from the tenant.
        """
        require_outputs(outputs)
        refuse_private_key_jwt(outputs)
        key = self._secret_key()
        with self._client(key) as client:
            return all(self._holds_one(client, item, stack=stack, key=key) for item in outputs)

    def _holds_one(self, client: httpx.Client, item: IntegrationOutputs, *, stack: str, key: str) -> bool:
        connection_id = self.settings.connection_id_prefix + item.name
        hidden = [key, item.client_secret.get_secret_value()]
        try:
            with redacted_logs(hidden):
                response = send_with_retries(
                    client,
                    "GET",
                    f"/connections/{quote(connection_id, safe='')}",
                    params={"provider_config_key": self.settings.provider_config_key},
                )
        except httpx.TransportError as exc:
            detail = one_line(redact(f"{type(exc).__name__}: {exc}", hidden))
            raise SinkError(f"nango: cannot reach {self.settings.base_url}: {detail}") from None
        if response.status_code in (404, 424):
            return False
        if response.status_code != 200:
            detail = one_line(redact(_nango_error(response), hidden))
            raise SinkError(f"nango: cannot read connection {connection_id}: {detail}")
        try:
            stored: Any = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            stored = None
        if not isinstance(stored, Mapping):
            raise SinkError(f"nango: cannot read connection {connection_id}: the answer is not a JSON object")
        return stored_view(stored) == connection_view(item, stack=stack, settings=self.settings)

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
