"""The plugin over gRPC: port on stdout, plugin info, unsupported types, previews, partial creates.

The plugin is started the way the engine starts it (`python -m auth0_m2m.provider <engine>`),
and driven with a synchronous gRPC stub.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc, status_pb2

from auth0_m2m.provider._exceptions import PartialCreate
from auth0_m2m.provider._server import PLUGIN_VERSION, _init_failed
from auth0_m2m.provider._values import UNKNOWN, Secret, decode_struct, encode_struct

URN = "urn:pulumi:dev::proj::{type}::{name}"


@pytest.fixture(scope="module")
def stub() -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
    """A stub connected to a plugin process; the port is the first line the plugin prints."""
    with subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "auth0_m2m.provider", "127.0.0.1:1"], stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            port = process.stdout.readline().strip()
            assert port.isdigit(), f"the plugin printed {port!r} instead of a port"
            with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
                yield provider_pb2_grpc.ResourceProviderStub(channel)
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_plugin_info_reports_the_sdk_version(stub: provider_pb2_grpc.ResourceProviderStub) -> None:
    assert stub.GetPluginInfo(empty_pb2.Empty()).version == PLUGIN_VERSION == "3.37.1"


def test_unsupported_type_fails_check_with_its_name(stub: provider_pb2_grpc.ResourceProviderStub) -> None:
    token = "auth0:index/user:User"
    with pytest.raises(grpc.RpcError) as exc:
        stub.Check(provider_pb2.CheckRequest(urn=URN.format(type=token, name="u"), type=token, name="u"))
    assert exc.value.code() == grpc.StatusCode.UNKNOWN
    assert "auth0:index/user:User is not supported by the auth0-m2m stand-in" in str(exc.value.details())


def test_data_sources_fail_with_their_name(stub: provider_pb2_grpc.ResourceProviderStub) -> None:
    with pytest.raises(grpc.RpcError) as exc:
        stub.Invoke(provider_pb2.InvokeRequest(tok="auth0:index/getClient:getClient"))
    assert exc.value.code() == grpc.StatusCode.UNKNOWN
    assert "auth0:index/getClient:getClient" in str(exc.value.details())


def test_preview_create_leaves_the_secret_unknown(stub: provider_pb2_grpc.ResourceProviderStub) -> None:
    stub.Configure(
        provider_pb2.ConfigureRequest(
            args=encode_struct({"domain": "127.0.0.1:1", "clientId": "a", "clientSecret": Secret("b")})
        )
    )
    token = "auth0:index/clientCredentials:ClientCredentials"
    response = stub.Create(
        provider_pb2.CreateRequest(
            urn=URN.format(type=token, name="c"),
            properties=encode_struct({"clientId": UNKNOWN, "authenticationMethod": "client_secret_post"}),
            preview=True,
        )
    )
    outputs = decode_struct(response.properties)
    assert outputs["clientSecret"] is UNKNOWN
    assert outputs["authenticationMethod"] == "client_secret_post"


def test_partial_create_travels_as_resource_init_failed() -> None:
    status = _init_failed(PartialCreate("cid1", {"clientSecret": Secret("s")}, RuntimeError("GET failed")))
    blob = dict(status.trailing_metadata)["grpc-status-details-bin"]
    assert isinstance(blob, bytes)
    packed = status_pb2.Status.FromString(blob)
    detail = provider_pb2.ErrorResourceInitFailed()
    assert packed.details[0].Unpack(detail)
    assert detail.id == "cid1"
    assert decode_struct(detail.properties) == {"clientSecret": Secret("s")}
    assert "GET failed" in detail.reasons[0]


def test_diff_names_nested_paths_and_top_level_properties(
    stub: provider_pb2_grpc.ResourceProviderStub,
) -> None:
    token = "auth0:index/clientCredentials:ClientCredentials"
    credential = {"credentialType": "public_key", "pem": "A", "algorithm": "RS256", "name": "k"}
    olds = {
        "clientId": "c",
        "authenticationMethod": "private_key_jwt",
        "privateKeyJwt": {"credentials": [credential]},
    }
    news = {**olds, "privateKeyJwt": {"credentials": [{**credential, "pem": "B"}]}}
    response = stub.Diff(
        provider_pb2.DiffRequest(
            urn=URN.format(type=token, name="c"),
            old_inputs=encode_struct(olds),
            olds=encode_struct(olds),
            news=encode_struct(news),
        )
    )
    assert response.changes == provider_pb2.DiffResponse.DIFF_SOME
    assert list(response.diffs) == ["privateKeyJwt"]
    assert list(response.replaces) == ["privateKeyJwt"]
    assert not response.deleteBeforeReplace
    assert {k: v.kind for k, v in response.detailedDiff.items()} == {
        "privateKeyJwt.credentials[0].pem": provider_pb2.PropertyDiff.UPDATE_REPLACE
    }
