"""Management API client with the upstream provider's connection behaviour.

Mirrors terraform-provider-auth0's transport as described in `engine-build.md`, section 8:

- HTTPS only, base `https://<domain>/api/v2/`; TLS trust from the system store, where OpenSSL
  honours `SSL_CERT_FILE`/`SSL_CERT_DIR` (the local tenant's CA in tests).
- Token: `auth0:apiToken` is sent as is; otherwise `POST https://<domain>/oauth/token`
  form-encoded (`grant_type=client_credentials`, `audience`), first with HTTP Basic client
  authentication, once more with the credentials in the form if that is refused; the style
  that worked is kept. The token is reused until 10 s before `expires_in`. Not retried.
- Retries: 429 without limit, waiting until `X-RateLimit-Reset` (5 s if absent); 500, 502,
  503, 504, 524 and connection errors up to 3 times with jittered exponential backoff between
  0.5 s and 10 s. Certificate errors are not retried.
- Errors: any status >= 400 becomes `Auth0APIError` (`Auth0NotFound` for 404) from Auth0's
  `{"statusCode","error","message"}` body.
- Paths: every segment is escaped like Go's `url.PathEscape` (so `/` → `%2F`); query keys are
  sorted like Go's `url.Values.Encode`.

With `debug`, each request is logged to stderr (method, path, status, time) with its JSON body;
bodies that carry a secret key are logged with that value replaced by `***`.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import random
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final
from urllib.parse import quote, quote_plus, urlencode

import httpx

from auth0_m2m.provider._config import ProviderConfig
from auth0_m2m.provider._exceptions import (
    Auth0APIError,
    Auth0ConnectionError,
    Auth0NotFound,
    Auth0TokenError,
)

logger = logging.getLogger("auth0_m2m.provider.http")

RETRY_STATUSES: Final = frozenset({500, 502, 503, 504, 524})
MAX_RETRIES: Final = 3
BACKOFF_MIN: Final = 0.5
BACKOFF_MAX: Final = 10.0
RATE_LIMIT_DEFAULT_WAIT: Final = 5.0
SECRET_KEYS: Final = frozenset({"client_secret", "signing_secret", "access_token", "pem", "private_key"})
_PATH_SAFE: Final = ":@!$&'()*+="
USER_AGENT: Final = "auth0-m2m-provider/3.37.1 (stand-in for Terraform-Provider-Auth0)"


def path(*segments: str) -> str:
    """Join path segments under /api/v2/, escaping each one (`/` inside a segment → `%2F`)."""
    return "/".join(quote(segment, safe=_PATH_SAFE) for segment in segments)


def redact(value: Any) -> Any:
    """Return `value` with the values of secret-bearing keys replaced by `***` (for logs)."""
    if isinstance(value, Mapping):
        return {k: "***" if k in SECRET_KEYS and v else redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def tls_context() -> ssl.SSLContext:
    """A verifying TLS context over the system store (OpenSSL reads SSL_CERT_FILE/SSL_CERT_DIR)."""
    return ssl.create_default_context()


class ManagementClient:
    """An async Auth0 Management API client for one provider configuration."""

    def __init__(
        self,
        config: ProviderConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._config = config
        self._sleep = sleep
        self._clock = clock
        self._http = httpx.AsyncClient(
            transport=transport,
            verify=tls_context() if transport is None else True,
            timeout=httpx.Timeout(60.0),
            headers={"User-Agent": USER_AGENT},
        )
        self._token: str | None = config.api_token
        self._token_expiry: float | None = None
        self._token_lock = asyncio.Lock()
        self._basic_auth_works: bool | None = None
        self.requests_sent = 0
        """How many HTTP requests (token included, retries included) this client has sent."""

    @property
    def api_base(self) -> str:
        """`https://<domain>/api/v2/`."""
        return f"{self._config.base_url}/api/v2/"

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._http.aclose()

    # ---- Management API calls -------------------------------------------------------------

    async def get(self, api_path: str, params: Mapping[str, str] | None = None) -> Any:
        """GET /api/v2/<api_path> and return the decoded JSON body."""
        return await self.call("GET", api_path, params=params)

    async def post(self, api_path: str, body: Mapping[str, Any]) -> Any:
        """POST a JSON body to /api/v2/<api_path>."""
        return await self.call("POST", api_path, body=body)

    async def patch(self, api_path: str, body: Mapping[str, Any]) -> Any:
        """PATCH a JSON body to /api/v2/<api_path>."""
        return await self.call("PATCH", api_path, body=body)

    async def delete(self, api_path: str) -> Any:
        """DELETE /api/v2/<api_path>; an empty body gives `None`."""
        return await self.call("DELETE", api_path)

    async def find(self, api_path: str) -> Any | None:
        """GET /api/v2/<api_path>, or `None` when the object no longer exists (a 404 drops it from state)."""
        try:
            return await self.get(api_path)
        except Auth0NotFound:
            return None

    async def delete_if_present(self, api_path: str) -> None:
        """DELETE /api/v2/<api_path>; a 404 means it is gone already, as upstream treats it."""
        try:
            await self.delete(api_path)
        except Auth0NotFound:
            return

    async def call(
        self,
        method: str,
        api_path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        """Send one Management API request with retries; raise `Auth0APIError` on >= 400."""
        url = self.api_base + api_path
        if params:
            url += "?" + urlencode(sorted(params.items()))
        content = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        started = self._clock()
        response = await self._send_with_retries(method, url, content)
        if self._config.debug:
            shown = "" if body is None else " " + json.dumps(redact(body))
            logger.debug(
                "%s /api/v2/%s%s -> %s (%.0f ms)",
                method,
                api_path,
                shown,
                response.status_code,
                (self._clock() - started) * 1000,
            )
        if response.status_code >= 400:
            raise _api_error(response, method, "/api/v2/" + api_path)
        if not response.content.strip():
            return None
        return response.json()

    async def _send_with_retries(self, method: str, url: str, content: bytes | None) -> httpx.Response:
        attempt = 0
        while True:
            headers = {"Authorization": f"Bearer {await self._access_token()}"}
            if content is not None:
                headers["Content-Type"] = "application/json"
            try:
                self.requests_sent += 1
                response = await self._http.request(method, url, content=content, headers=headers)
            except httpx.TransportError as exc:
                if _is_certificate_error(exc) or attempt >= MAX_RETRIES:
                    raise Auth0ConnectionError(f"{method} {_strip_query(url)}: {exc}") from exc
                await self._sleep(backoff_delay(attempt))
                attempt += 1
                continue
            if response.status_code == 429:
                await self._sleep(self.rate_limit_wait(response))
                continue
            if response.status_code in RETRY_STATUSES and attempt < MAX_RETRIES:
                await self._sleep(backoff_delay(attempt))
                attempt += 1
                continue
            return response

    def rate_limit_wait(self, response: httpx.Response) -> float:
        """Seconds to wait after a 429: until `X-RateLimit-Reset`, 5 s without a usable header."""
        reset = response.headers.get("X-RateLimit-Reset")
        try:
            return max(0.0, float(reset) - self._clock()) if reset is not None else RATE_LIMIT_DEFAULT_WAIT
        except ValueError:
            return RATE_LIMIT_DEFAULT_WAIT

    # ---- token ------------------------------------------------------------------------

    async def _access_token(self) -> str:
        if self._config.api_token:
            return self._config.api_token
        async with self._token_lock:
            if self._token and (self._token_expiry is None or self._clock() < self._token_expiry - 10):
                return self._token
            token, expires_in = await self._request_token()
            self._token = token
            self._token_expiry = None if expires_in is None else self._clock() + expires_in
            return token

    async def _request_token(self) -> tuple[str, float | None]:
        client_id = self._config.client_id or ""
        client_secret = self._config.client_secret or ""
        form = {"audience": self._config.token_audience, "grant_type": "client_credentials"}
        url = f"{self._config.base_url}/oauth/token"
        styles = [True, False] if self._basic_auth_works is None else [self._basic_auth_works]
        response: httpx.Response | None = None
        for use_basic in styles:
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            data = dict(form)
            if use_basic:
                pair = f"{quote_plus(client_id)}:{quote_plus(client_secret)}".encode()
                headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
            else:
                data.update(client_id=client_id, client_secret=client_secret)
            try:
                self.requests_sent += 1
                response = await self._http.post(
                    url, content=urlencode(sorted(data.items())), headers=headers
                )
            except httpx.TransportError as exc:
                raise Auth0ConnectionError(f"POST {url}: {exc}") from exc
            if self._config.debug:
                logger.debug("POST /oauth/token (basic=%s) -> %s", use_basic, response.status_code)
            if response.is_success:
                self._basic_auth_works = use_basic
                break
        assert response is not None  # noqa: S101 - styles is never empty
        if not response.is_success:
            raise _token_error(response)
        payload = response.json()
        token = payload.get("access_token")
        if not token:
            raise Auth0TokenError(response.status_code, "POST /oauth/token: the response has no access_token")
        expires_in = payload.get("expires_in")
        return str(token), float(expires_in) if expires_in else None


def backoff_delay(attempt: int) -> float:
    """Jittered exponential backoff for retry `attempt` (0-based), between 0.5 s and 10 s."""
    ceiling = min(BACKOFF_MAX, BACKOFF_MIN * 2 ** (attempt + 1))
    return random.uniform(BACKOFF_MIN, ceiling)  # noqa: S311 - jitter, not cryptography


def _is_certificate_error(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _strip_query(url: str) -> str:
    return url.split("?", 1)[0]


def _api_error(response: httpx.Response, method: str, api_path: str) -> Auth0APIError:
    try:
        payload = response.json()
    except ValueError:
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    status = int(payload.get("statusCode") or response.status_code)
    error = str(payload.get("error") or response.reason_phrase)
    message = str(payload.get("message") or response.text[:200])
    cls = Auth0NotFound if status == 404 else Auth0APIError
    return cls(status, error, message, method, api_path)


def _token_error(response: httpx.Response) -> Auth0TokenError:
    try:
        payload = response.json()
    except ValueError:
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    error = payload.get("error", response.reason_phrase)
    description = payload.get("error_description", "")
    return Auth0TokenError(
        response.status_code,
        f"POST /oauth/token: {response.status_code} {error}: {description} "
        "(check auth0:clientId/auth0:clientSecret and the client's grant on the Management API)",
    )
