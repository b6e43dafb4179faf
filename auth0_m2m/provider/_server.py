"""gRPC glue: serve `Auth0Provider` as the engine's `pulumirpc.ResourceProvider`.

The engine starts the plugin as `pulumi-resource-auth0 [flags] <engine address>`, reads the
port it listens on from the first line of its stdout, and calls the RPCs below. Anything
written to stderr shows up in the engine's output, so the plugin only writes there with
`auth0:debug` on.

This implements `ResourceProviderServicer` directly rather than through
`pulumi.provider.experimental`: in pulumi 3.272.0 that layer does not recognise unknown values
during previews, mis-builds `DiffConfig` responses, and adds Python tracebacks to every error.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import traceback
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc, status_pb2

from auth0_m2m.provider._diff import DiffResult
from auth0_m2m.provider._exceptions import PartialCreate, ProviderError, UnsupportedError
from auth0_m2m.provider._provider import Auth0Provider
from auth0_m2m.provider._values import decode_struct, encode_struct

PLUGIN_VERSION = "3.37.1"
"""The `pulumi_auth0` release whose schema this stand-in speaks."""

T = TypeVar("T")
logger = logging.getLogger("auth0_m2m.provider")


def _type_of(urn: str, explicit: str) -> str:
    return explicit or urn.split("::")[-2].split("$")[-1]


def _name_of(urn: str, explicit: str) -> str:
    return explicit or urn.split("::")[-1]


def _old_inputs(request: Any) -> dict[str, Any]:
    if request.HasField("old_inputs") and request.old_inputs.fields:
        return decode_struct(request.old_inputs)
    return decode_struct(request.olds)


class ProviderServicer(provider_pb2_grpc.ResourceProviderServicer):
    """Translate engine RPCs into `Auth0Provider` calls and errors into gRPC statuses."""

    def __init__(self, provider: Auth0Provider | None = None) -> None:
        self.provider = provider or Auth0Provider()

    async def _run(self, context: grpc.aio.ServicerContext[Any, Any], call: Callable[[], Awaitable[T]]) -> T:
        try:
            return await call()
        except PartialCreate as exc:
            await context.abort_with_status(_init_failed(exc))
        except ProviderError as exc:
            await context.abort(grpc.StatusCode.UNKNOWN, str(exc))
        except Exception as exc:
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug("%s", traceback.format_exc())
            await context.abort(
                grpc.StatusCode.INTERNAL, f"auth0-m2m stand-in provider failed: {type(exc).__name__}: {exc}"
            )
        raise AssertionError("unreachable")  # context.abort always raises

    async def GetPluginInfo(self, request: empty_pb2.Empty, context: Any) -> plugin_pb2.PluginInfo:  # noqa: N802
        """The plugin version (the SDK's)."""
        return plugin_pb2.PluginInfo(version=PLUGIN_VERSION)

    async def CheckConfig(
        self, request: provider_pb2.CheckRequest, context: Any
    ) -> provider_pb2.CheckResponse:  # noqa: N802
        """Provider config is validated in Configure (env vars may fill it in)."""
        return provider_pb2.CheckResponse(inputs=request.news)

    async def DiffConfig(self, request: provider_pb2.DiffRequest, context: Any) -> provider_pb2.DiffResponse:  # noqa: N802
        """A config change updates the provider in place; it never replaces resources."""
        olds, news = decode_struct(request.olds), decode_struct(request.news)
        changed = sorted(k for k in set(olds) | set(news) if olds.get(k) != news.get(k))
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME if changed else provider_pb2.DiffResponse.DIFF_NONE,
            diffs=changed,
        )

    async def Configure(  # noqa: N802
        self, request: provider_pb2.ConfigureRequest, context: Any
    ) -> provider_pb2.ConfigureResponse:
        """Read the configuration; accept secrets, support previews."""

        async def call() -> provider_pb2.ConfigureResponse:
            self.provider.configure(decode_struct(request.args), dict(request.variables))
            if self.provider.config is not None and self.provider.config.debug:
                _enable_debug_logging()
            return provider_pb2.ConfigureResponse(
                acceptSecrets=True, supportsPreview=True, acceptResources=False, acceptOutputs=False
            )

        return await self._run(context, call)

    async def Check(self, request: provider_pb2.CheckRequest, context: Any) -> provider_pb2.CheckResponse:  # noqa: N802
        """Autoname and validate inputs."""

        async def call() -> provider_pb2.CheckResponse:
            inputs, failures = self.provider.check(
                _type_of(request.urn, request.type),
                _name_of(request.urn, request.name),
                decode_struct(request.olds),
                decode_struct(request.news),
                request.randomSeed,
            )
            return provider_pb2.CheckResponse(
                inputs=encode_struct(inputs),
                failures=[provider_pb2.CheckFailure(property=p, reason=r) for p, r in failures],
            )

        return await self._run(context, call)

    async def Diff(self, request: provider_pb2.DiffRequest, context: Any) -> provider_pb2.DiffResponse:  # noqa: N802
        """Input-level diff with a detailed diff."""

        async def call() -> provider_pb2.DiffResponse:
            result = self.provider.diff(
                _type_of(request.urn, request.type),
                _old_inputs(request),
                decode_struct(request.news),
                list(request.ignoreChanges),
            )
            return _diff_response(result)

        return await self._run(context, call)

    async def Create(self, request: provider_pb2.CreateRequest, context: Any) -> provider_pb2.CreateResponse:  # noqa: N802
        """Create (or preview) the object."""

        async def call() -> provider_pb2.CreateResponse:
            resource_id, outputs = await self.provider.create(
                _type_of(request.urn, request.type), decode_struct(request.properties), request.preview
            )
            return provider_pb2.CreateResponse(id=resource_id, properties=encode_struct(outputs))

        return await self._run(context, call)

    async def Read(self, request: provider_pb2.ReadRequest, context: Any) -> provider_pb2.ReadResponse:  # noqa: N802
        """Refresh or import; an empty id tells the engine the object is gone."""

        async def call() -> provider_pb2.ReadResponse:
            result = await self.provider.read_with_id(
                _type_of(request.urn, request.type),
                request.id,
                decode_struct(request.inputs),
                decode_struct(request.properties),
            )
            if result is None:
                return provider_pb2.ReadResponse(id="")
            resource_id, outputs, inputs = result
            return provider_pb2.ReadResponse(
                id=resource_id, properties=encode_struct(outputs), inputs=encode_struct(inputs)
            )

        return await self._run(context, call)

    async def Update(self, request: provider_pb2.UpdateRequest, context: Any) -> provider_pb2.UpdateResponse:  # noqa: N802
        """Update (or preview) the object."""

        async def call() -> provider_pb2.UpdateResponse:
            outputs = await self.provider.update(
                _type_of(request.urn, request.type),
                request.id,
                _old_inputs(request),
                decode_struct(request.olds),
                decode_struct(request.news),
                request.preview,
            )
            return provider_pb2.UpdateResponse(properties=encode_struct(outputs))

        return await self._run(context, call)

    async def Delete(self, request: provider_pb2.DeleteRequest, context: Any) -> empty_pb2.Empty:  # noqa: N802
        """Delete the object."""

        async def call() -> empty_pb2.Empty:
            await self.provider.delete(
                _type_of(request.urn, request.type), request.id, decode_struct(request.properties)
            )
            return empty_pb2.Empty()

        return await self._run(context, call)

    async def Invoke(self, request: provider_pb2.InvokeRequest, context: Any) -> provider_pb2.InvokeResponse:  # noqa: N802
        """Data sources (`get_client`, ...) are not implemented."""

        async def call() -> provider_pb2.InvokeResponse:
            raise UnsupportedError(
                f"function {request.tok} is not supported by the auth0-m2m stand-in provider"
            )

        return await self._run(context, call)

    async def Cancel(self, request: empty_pb2.Empty, context: Any) -> empty_pb2.Empty:  # noqa: N802
        """Nothing to cancel beyond the in-flight calls, which the engine abandons."""
        return empty_pb2.Empty()


def _diff_response(result: DiffResult) -> provider_pb2.DiffResponse:
    return provider_pb2.DiffResponse(
        changes=provider_pb2.DiffResponse.DIFF_SOME
        if result.changed
        else provider_pb2.DiffResponse.DIFF_NONE,
        replaces=result.replaces,
        deleteBeforeReplace=result.delete_before_replace,
        diffs=result.properties,
        detailedDiff={
            key: provider_pb2.PropertyDiff(
                kind=provider_pb2.PropertyDiff.Kind.ValueType(kind.value), inputDiff=True
            )
            for key, kind in result.detailed.items()
        },
        hasDetailedDiff=True,
    )


class _Status(grpc.Status):
    def __init__(self, code: grpc.StatusCode, details: str, trailing_metadata: tuple[tuple[str, bytes], ...]):
        self.code = code
        self.details = details
        self.trailing_metadata = trailing_metadata


def _init_failed(exc: PartialCreate) -> grpc.Status:
    """`ErrorResourceInitFailed`: the engine records the object (id, outputs) and the error."""
    detail = provider_pb2.ErrorResourceInitFailed(
        id=exc.resource_id,
        properties=encode_struct(exc.outputs),
        inputs=encode_struct(exc.outputs),
        reasons=[str(exc)],
    )
    status = status_pb2.Status(code=grpc.StatusCode.UNKNOWN.value[0], message=str(exc))
    status.details.add().Pack(detail)
    return _Status(
        grpc.StatusCode.UNKNOWN, str(exc), (("grpc-status-details-bin", status.SerializeToString()),)
    )


def _enable_debug_logging() -> None:
    root = logging.getLogger("auth0_m2m.provider")
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("auth0-m2m provider: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.DEBUG)


async def serve(port_out: Callable[[int], None]) -> None:
    """Listen on a free 127.0.0.1 port, report it, and serve until terminated."""
    server = grpc.aio.server(options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)])
    servicer = ProviderServicer()
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    port_out(port)
    try:
        await server.wait_for_termination()
    finally:
        await servicer.provider.aclose()


def main(argv: list[str] | None = None) -> None:
    """Entry point: `pulumi-resource-auth0 [--logtostderr] [-v=N] [--tracing X] <engine address>`."""
    parser = argparse.ArgumentParser(prog="pulumi-resource-auth0", description=__doc__)
    parser.add_argument("engine", nargs="?", help="the engine's gRPC address (unused)")
    parser.add_argument("--logtostderr", action="store_true")
    parser.add_argument("--logflow", action="store_true")
    parser.add_argument("--tracing")
    parser.parse_known_args(argv)

    def report(port: int) -> None:
        sys.stdout.write(f"{port}\n")
        sys.stdout.flush()

    try:
        asyncio.run(serve(report))
    except KeyboardInterrupt:
        pass
