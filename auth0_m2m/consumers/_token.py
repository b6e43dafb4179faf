"""Request a client-credentials access token exactly as Nango's `auth0-cc` provider does.

Nango's provider (auth0-facts.md, section 15) posts to `https://{hostname}/oauth/token` a JSON body
of the OAUTH2_CC pair `client_id` / `client_secret` plus its `token_params`: `grant_type`,
`audience` and `organization`. We send the same fields and leave `organization` out when the
integration has none.

Why httpx and not auth0-python's `GetToken`: `GetToken.client_credentials` sends
`"organization": null` when no organization is given (python-apis.md, section 4.1), which is not
what Nango sends, and it talks through `requests` with no way to pass a CA: the only hook is the
process-wide `REQUESTS_CA_BUNDLE` variable, which cannot be scoped to one call when integrations
are checked concurrently in threads, and which would leak into every other `requests` user of the
process. httpx takes an `ssl.SSLContext` per client, and the body is a five-key dict we build here.

A `private_key_jwt` app has no secret: given its private key (`PrivateKey`, from
`AUTH0_M2M_PRIVATE_KEYS__<NAME>`), the body carries a client assertion instead, built as auth0-python's
`client_assertion_signing_key` builds it: `iss` = `sub` = the client id, `aud` = `https://{hostname}/`,
a 3-minute lifetime and a fresh `jti`, signed with the key's algorithm (PyJWT).
"""

from __future__ import annotations

import json
import logging
import os
import ssl
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
from pydantic import SecretStr

from auth0_m2m.consumers._exceptions import TokenRequestError, redact
from auth0_m2m.consumers._ratelimit import RateLimiter, RetryPolicy, send_with_retries
from auth0_m2m.consumers._settings import PrivateKey
from auth0_m2m.outputs import IntegrationOutputs

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccessToken:
    """The tenant's answer to a client-credentials request."""

    access_token: SecretStr = field(repr=False)
    token_type: str
    expires_in: int | None


def token_url(outputs: IntegrationOutputs) -> str:
    """The URL Nango posts to: `https://${connectionConfig.hostname}/oauth/token`."""
    return f"https://{outputs.hostname}/oauth/token"


ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME = 180
"""Seconds a client assertion lives (auth0-python's choice; Auth0 allows at most 300)."""


def client_assertion(outputs: IntegrationOutputs, key: PrivateKey) -> str:
    """A single-use client assertion for `outputs`, signed with `key`."""
    now = int(time.time())
    claims = {
        "iss": outputs.client_id,
        "sub": outputs.client_id,
        "aud": f"https://{outputs.hostname}/",
        "iat": now,
        "exp": now + ASSERTION_LIFETIME,
        "jti": str(uuid.uuid4()),
    }
    return jwt.encode(claims, key.pem.get_secret_value(), algorithm=key.alg)


def token_request_body(outputs: IntegrationOutputs, private_key: PrivateKey | None = None) -> dict[str, str]:
    """The JSON body Nango's `auth0-cc` sends, with `organization` only when the integration has one.

    With `private_key`, a client assertion (private_key_jwt) takes the place of the client secret.
    """
    body = {"grant_type": "client_credentials", "client_id": outputs.client_id}
    if private_key is not None:
        body["client_assertion_type"] = ASSERTION_TYPE
        body["client_assertion"] = client_assertion(outputs, private_key)
    else:
        body["client_secret"] = outputs.client_secret.get_secret_value()
    body["audience"] = outputs.audience
    if outputs.organization:
        body["organization"] = outputs.organization
    return body


def tls_context(ca_file: Path | None) -> ssl.SSLContext | bool:
    """The `verify=` value for httpx: only the CAs in `ca_file`, else the default roots.

    Without `ca_file`, an `SSL_CERT_FILE` in the environment is honoured as OpenSSL and the `pulumi`
    provider honour it (`. .tenant/env` points it at the default roots plus the local tenant's CA);
    httpx alone would use certifi's roots and ignore it.
    """
    if ca_file is None:
        return ssl.create_default_context() if os.environ.get("SSL_CERT_FILE") else True
    if not Path(ca_file).is_file():
        raise ValueError(
            f"ca_file: {ca_file} is not a file; pass the PEM of the CA that signed the tenant's cert"
        )
    return ssl.create_default_context(cafile=str(ca_file))


def _error_fields(response: httpx.Response) -> tuple[str, str]:
    """Auth0's `error` and `error_description` from an error response, or the status and raw text."""
    try:
        data: Any = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = None
    if isinstance(data, dict):
        error = str(data.get("error") or data.get("errorCode") or response.status_code)
        description = str(data.get("error_description") or data.get("message") or "")
        return error, description
    return str(response.status_code), response.text.strip().splitlines()[0][
        :200
    ] if response.text.strip() else ""


def request_token(
    outputs: IntegrationOutputs,
    *,
    client: httpx.Client,
    limiter: RateLimiter | None = None,
    policy: RetryPolicy | None = None,
    private_key: PrivateKey | None = None,
) -> AccessToken:
    """POST the client-credentials request for `outputs` and return the token.

    `private_key` authenticates a private_key_jwt app with a client assertion instead of its secret.

    Raises `TokenRequestError` with one line such as
    `token request refused: access_denied: Client has not been granted scopes: read:x` or
    `token request failed: ConnectError: ...`. No message contains the client secret.
    """
    secret = outputs.client_secret.get_secret_value()
    url = token_url(outputs)
    logger.debug("requesting a token for %s from %s", outputs.name, url)
    try:
        response = send_with_retries(
            client, "POST", url, limiter=limiter, policy=policy, json=token_request_body(outputs, private_key)
        )
    except httpx.TransportError as exc:
        hint = " (pass the tenant's CA with ca_file)" if "CERTIFICATE_VERIFY_FAILED" in str(exc) else ""
        detail = redact(str(exc) or "no detail", [secret])
        raise TokenRequestError(f"token request failed: {type(exc).__name__}: {detail}{hint}") from None
    if response.status_code != 200:
        error, description = _error_fields(response)
        line = (
            f"token request refused: {error}: {description}"
            if description
            else f"token request refused: {error}"
        )
        if response.status_code == 429:
            line += f" (HTTP 429 after {(policy or RetryPolicy()).max_tries} tries)"
        raise TokenRequestError(redact(line, [secret]), status_code=response.status_code, error=error)
    try:
        data = response.json()
        token = str(data["access_token"])
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError):
        raise TokenRequestError("token request failed: the answer has no access_token") from None
    expires = data.get("expires_in")
    return AccessToken(
        access_token=SecretStr(token),
        token_type=str(data.get("token_type") or ""),
        expires_in=int(expires) if isinstance(expires, int | float) else None,
    )
