"""Running the tenant: `TenantServer` (real HTTPS in a background thread) and the in-process way.

`TenantServer` binds its socket first (port 0 picks a free one), so `domain` is `localhost:PORT`
before uvicorn starts; it serves TLS with the state dir's certificate and stops on `stop()` or at
the end of a `with` block. `state_dir=None` keeps state in memory and certificates in a temporary dir
removed on stop. `open_tenant` + `in_process_client` give the same tenant without sockets or TLS for
fast tests: an `httpx.Client` whose transport runs the ASGI app in the calling thread, so
auth0-python can use it as its `httpx_client`.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

import httpx
import uvicorn
from pydantic import SecretStr
from starlette.applications import Starlette

from auth0_m2m.tenant.core.app import build_app
from auth0_m2m.tenant.core.backend import Tenant
from auth0_m2m.tenant.core.faults import FaultSpec
from auth0_m2m.tenant.core.keys import SigningKey
from auth0_m2m.tenant.core.ratelimit import RateLimit
from auth0_m2m.tenant.core.store import Store
from auth0_m2m.tenant.core.tls import TLSFiles, ensure_certificates
from auth0_m2m.tenant.oauth.models import TokenRequest

DB_FILE = "tenant.sqlite3"
SIGNING_KEY_FILE = "signing-key.pem"


def _as_rate_limit(value: str | RateLimit | None) -> RateLimit | None:
    return RateLimit.parse(value) if isinstance(value, str) else value


def _as_faults(value: str | FaultSpec | None) -> FaultSpec | None:
    return FaultSpec.parse(value) if isinstance(value, str) else value


def open_tenant(
    state_dir: Path | None,
    domain: str,
    *,
    rate_limit: str | RateLimit | None = None,
    faults: str | FaultSpec | None = None,
) -> Tenant:
    """A tenant whose state lives in `state_dir` (SQLite, signing key), or in memory when None."""
    if state_dir is not None:
        state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    store = Store(state_dir / DB_FILE if state_dir else None)
    key = SigningKey(state_dir / SIGNING_KEY_FILE if state_dir else None)
    return Tenant(
        store,
        key,
        domain,
        state_dir=state_dir,
        rate_limit=_as_rate_limit(rate_limit),
        faults=_as_faults(faults),
    )


class InProcessTransport(httpx.BaseTransport):
    """A synchronous httpx transport that runs an ASGI app per request (the caller is a loopback peer)."""

    def __init__(self, app: Starlette) -> None:
        self._inner = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Run the app for one request on a fresh event loop."""
        body = request.read()

        async def run() -> httpx.Response:
            inner = httpx.Request(request.method, request.url, headers=request.headers, content=body)
            response = await self._inner.handle_async_request(inner)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return asyncio.run(run())


def in_process_client(tenant: Tenant) -> httpx.Client:
    """An `httpx.Client` that calls the tenant's ASGI app directly (no socket, no TLS)."""
    return httpx.Client(transport=InProcessTransport(build_app(tenant)), base_url=f"https://{tenant.domain}")


def management_token(tenant: Tenant, scope: str | None = None) -> str:
    """A Management API token for the bootstrap client, minted without HTTP."""
    client_id, secret = tenant.bootstrap_credentials()
    request = TokenRequest("client_credentials", client_id, secret, tenant.management_audience, scope)
    return str(tenant.token_issuer.issue(request)["access_token"])


class TenantServer:
    """The local tenant over HTTPS, in a background thread.

    >>> with TenantServer() as server:            # in memory, free port
    ...     server.domain, server.ca_file          # ("localhost:PORT", Path(".../ca.pem"))
    """

    def __init__(
        self,
        state_dir: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limit: str | RateLimit | None = None,
        faults: str | FaultSpec | None = None,
    ) -> None:
        self.state_dir = state_dir
        self.host = host
        self._requested_port = port
        self._rate_limit = _as_rate_limit(rate_limit)
        self._faults = _as_faults(faults)
        self._tmp: Path | None = None
        self._tenant: Tenant | None = None
        self._tls: TLSFiles | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- life cycle -------------------------------------------------------------------------------
    def start(self, timeout: float = 15.0) -> TenantServer:
        """Bind, prepare state and certificates, and serve; returns when the server accepts requests."""
        if self._thread is not None:
            raise RuntimeError("TenantServer.start(): already started; create a new TenantServer")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets whose proto says TCP (else +40 ms).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self._requested_port))
        except OSError as exc:
            sock.close()
            raise RuntimeError(
                f"cannot listen on {self.host}:{self._requested_port}: {exc.strerror}"
            ) from None
        self.port = int(sock.getsockname()[1])
        cert_dir = self.state_dir
        if cert_dir is None:
            self._tmp = cert_dir = Path(tempfile.mkdtemp(prefix="auth0-m2m-tenant-"))
        cert_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._tls = ensure_certificates(cert_dir)
        self._tenant = open_tenant(
            self.state_dir, f"localhost:{self.port}", rate_limit=self._rate_limit, faults=self._faults
        )
        config = uvicorn.Config(
            build_app(self._tenant),
            ssl_certfile=str(self._tls.cert_file),
            ssl_keyfile=str(self._tls.key_file),
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=f"tenant-{self.port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"local tenant did not start on {self.host}:{self.port}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving, close the store and remove temporary certificates."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._tenant is not None:
            self._tenant.store.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> TenantServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- what callers need ------------------------------------------------------------------------
    @property
    def tenant(self) -> Tenant:
        """The served tenant (backends, stats, limiter, faults)."""
        if self._tenant is None:
            raise RuntimeError("TenantServer is not started; call start() first")
        return self._tenant

    @property
    def domain(self) -> str:
        """`localhost:PORT`: what `AUTH0_DOMAIN` / `auth0:domain` should be."""
        return self.tenant.domain

    @property
    def base_url(self) -> str:
        """`https://localhost:PORT`."""
        return f"https://{self.domain}"

    @property
    def management_audience(self) -> str:
        """`https://localhost:PORT/api/v2/`."""
        return self.tenant.management_audience

    @property
    def ca_file(self) -> Path:
        """The CA certificate to trust (`SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE`)."""
        if self._tls is None:
            raise RuntimeError("TenantServer is not started; call start() first")
        return self._tls.ca_file

    @property
    def bootstrap_client_id(self) -> str:
        """The bootstrap management client's id."""
        return self.tenant.bootstrap_credentials()[0]

    @property
    def bootstrap_client_secret(self) -> SecretStr:
        """The bootstrap management client's current secret."""
        return SecretStr(self.tenant.bootstrap_credentials()[1])

    def ssl_context(self) -> ssl.SSLContext:
        """A client-side context trusting the tenant's CA (for `httpx.Client(verify=...)`)."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    def management_token(self, scope: str | None = None) -> str:
        """A bootstrap Management API token minted in-process (no HTTP request, not counted in stats)."""
        return management_token(self.tenant, scope)
