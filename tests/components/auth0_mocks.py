"""Pulumi mocks for component tests: `Auth0Mocks` keyed by type token (installed per test by conftest.py).

The mocks record every registration (type, name, inputs, provider) and fill in what Auth0 would
compute: client ids, a client secret (returned as a plain value, like the real engine before it
applies additional_secret_outputs, so tests prove the components mark it secret themselves),
grant and organization ids.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs

CLIENT = "auth0:index/client:Client"
CREDENTIALS = "auth0:index/clientCredentials:ClientCredentials"
RESOURCE_SERVER = "auth0:index/resourceServer:ResourceServer"
SCOPES = "auth0:index/resourceServerScopes:ResourceServerScopes"
CLIENT_GRANT = "auth0:index/clientGrant:ClientGrant"
ORGANIZATION = "auth0:index/organization:Organization"
ORG_CLIENT_GRANT = "auth0:index/organizationClientGrant:OrganizationClientGrant"
PROVIDER = "pulumi:providers:auth0"


class RecordingMonitor(MockMonitor):
    """A mock monitor that also keeps each registration request (parent, protect, dependencies)."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.requests: dict[str, Any] = {}

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method name
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        self.requests[response.urn] = request
        return response


class Auth0Mocks(pulumi.runtime.Mocks):
    """Records registrations and answers like Auth0 would, keyed on the type token."""

    def __init__(self) -> None:
        self.registered: list[MockResourceArgs] = []
        self.monitor: RecordingMonitor | None = None

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.registered.append(args)
        state = dict(args.inputs)
        name = args.name
        if args.typ == CLIENT:
            state["clientId"] = f"cid-{name}"
            return state["clientId"], state
        if args.typ == CREDENTIALS:
            method = args.inputs.get("authenticationMethod")
            state["clientSecret"] = "" if method == "private_key_jwt" else f"secret-of-{name}"
            return str(args.inputs["clientId"]), state
        if args.typ == RESOURCE_SERVER:
            return f"rs-{name}", state
        if args.typ == SCOPES:
            return str(args.inputs["resourceServerIdentifier"]), state
        if args.typ == CLIENT_GRANT:
            return f"cgr_{name.replace('-', '')}", state
        if args.typ == ORGANIZATION:
            return f"org_{name.replace('-', '')}", state
        if args.typ == ORG_CLIENT_GRANT:
            return f"{args.inputs['organizationId']}::{args.inputs['grantId']}", state
        if args.typ == PROVIDER:
            return "provider-id", state
        return f"{name}-id", state

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        raise AssertionError(f"unexpected invoke {args.token}")

    def of_type(self, typ: str) -> list[MockResourceArgs]:
        """Registrations of one type token, in order."""
        return [r for r in self.registered if r.typ == typ]

    def one(self, typ: str) -> MockResourceArgs:
        """The single registration of a type token (fails if there are none or several)."""
        found = self.of_type(typ)
        assert len(found) == 1, f"expected one {typ}, got {[r.name for r in found]}"
        return found[0]

    def request(self, name: str) -> Any:
        """The registration request of the resource with this name (parent, protect, dependencies...)."""
        assert self.monitor is not None
        found = [r for urn, r in self.monitor.requests.items() if urn.endswith(f"::{name}")]
        assert len(found) == 1, f"expected one resource named {name}, got {len(found)}"
        return found[0]

    def urn_of(self, name: str) -> str:
        """The URN of the resource with this name."""
        assert self.monitor is not None
        found = [urn for urn in self.monitor.requests if urn.endswith(f"::{name}")]
        assert len(found) == 1, f"expected one resource named {name}, got {found}"
        return found[0]

    def parent_type(self, name: str) -> str:
        """The type token of the resource's parent (the last but one link of its URN type chain)."""
        chain = self.urn_of(name).split("::")[2].split("$")
        return chain[-2]
