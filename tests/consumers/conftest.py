"""Fixtures for the consumer tests: a signing key and token factory, sample outputs
and the local tenant (`server`, `mgmt`, `provision`).

The tenant is a real `TenantServer` over HTTPS on 127.0.0.1; `provision` creates an API, an M2M app,
a grant and optionally an organization through its Management API with auth0-python (the token from
auth0-python's `GetToken`) and returns the `IntegrationOutputs` a stack would export. Other servers
(moto, the Nango stand-in, OpenBao) and the free-port helpers are fixtures of tests/conftest.py,
shared with the CLI end-to-end tests.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from auth0.authentication import GetToken
from auth0.management import ManagementClient
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import SecretStr

from auth0_m2m.consumers import JwksCache
from auth0_m2m.outputs import IntegrationOutputs
from auth0_m2m.tenant import TenantServer

SCOPES = ("read:invoices", "write:invoices")
SECRET = "s3cr3t-Value-That-Must-Never-Leak-0123456789abcdef"
HOST = "tenant.example.test"
SPECS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "specs"


def _make_outputs(name: str = "billing", **changes: Any) -> IntegrationOutputs:
    """An integration record with throwaway values."""
    values: dict[str, Any] = {
        "name": name,
        "client_id": f"cid_{name}",
        "client_secret": SecretStr(SECRET + name),
        "hostname": HOST,
        "audience": "https://api.example.test/",
        "token_url": f"https://{HOST}/oauth/token",
        "scopes": ("read:invoices", "write:invoices"),
    }
    values.update(changes)
    return IntegrationOutputs(**values)


class SigningKey:
    """An RSA key that signs test tokens and publishes itself as a JWKS."""

    def __init__(self, kid: str = "test-key-1") -> None:
        self.kid = kid
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        data.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return data

    def sign(self, claims: dict[str, Any], *, alg: str = "RS256", kid: str | None = None) -> str:
        return jwt.encode(claims, self.private, algorithm=alg, headers={"kid": kid or self.kid})


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey()


@pytest.fixture(scope="session")
def new_key() -> Callable[..., SigningKey]:
    """Make another signing key (`new_key(kid="k2")`)."""
    return SigningKey


@pytest.fixture(scope="session")
def make_outputs() -> Callable[..., IntegrationOutputs]:
    """Make an integration record (`make_outputs("name", organization="acme")`)."""
    return _make_outputs


@pytest.fixture(scope="session")
def secret() -> str:
    """The prefix of every client secret `make_outputs` hands out: it must never show up anywhere."""
    return SECRET


@pytest.fixture
def claims_for() -> Callable[..., dict[str, Any]]:
    """Claims Auth0 would put in a token for an integration record, with overrides."""

    def build(outputs: IntegrationOutputs, **changes: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": f"https://{outputs.hostname}/",
            "sub": f"{outputs.client_id}@clients",
            "aud": outputs.audience,
            "iat": now,
            "exp": now + 3600,
            "scope": " ".join(outputs.scopes),
            "gty": "client-credentials",
            "azp": outputs.client_id,
        }
        claims.update(changes)
        return {key: value for key, value in claims.items() if value is not None}

    return build


@pytest.fixture
def jwks_for(signing_key: SigningKey) -> Callable[..., JwksCache]:
    """A JwksCache whose fetch serves the given keys and counts its calls in `.fetches`."""

    def build(*keys: SigningKey) -> JwksCache:
        served = keys or (signing_key,)
        fetches: list[str] = []

        def fetch(hostname: str) -> dict[str, Any]:
            fetches.append(hostname)
            return {"keys": [key.jwk() for key in served]}

        cache = JwksCache(fetch)
        cache.fetches = fetches  # type: ignore[attr-defined]
        return cache

    return build


@pytest.fixture(scope="session")
def server() -> Iterator[TenantServer]:
    with TenantServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def mgmt(server: TenantServer) -> Iterator[ManagementClient]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REQUESTS_CA_BUNDLE", str(server.ca_file))
        token = GetToken(
            server.domain, server.bootstrap_client_id, server.bootstrap_client_secret.get_secret_value()
        )
        answer = token.client_credentials(server.management_audience)
    with httpx.Client(verify=server.ssl_context(), timeout=10) as client:
        yield ManagementClient(domain=server.domain, token=answer["access_token"], httpx_client=client)


class Provisioned:
    """One API + M2M app + grant (+ organization) in the tenant, and its outputs record."""

    def __init__(self, outputs: IntegrationOutputs, grant_id: str) -> None:
        self.outputs = outputs
        self.grant_id = grant_id


@pytest.fixture
def provision(server: TenantServer, mgmt: ManagementClient) -> Callable[..., Provisioned]:
    """`provision(organization_usage=None|"allow"|"require", scopes=SCOPES)` -> Provisioned."""

    def build(organization_usage: str | None = None, scopes: tuple[str, ...] = SCOPES) -> Provisioned:
        tag = secrets.token_hex(4)
        audience = f"https://api-{tag}.example.test/"
        mgmt.resource_servers.create(
            identifier=audience, name=f"api {tag}", scopes=[{"value": s, "description": s} for s in SCOPES]
        )
        client = mgmt.clients.create(
            name=f"m2m {tag}", app_type="non_interactive", grant_types=["client_credentials"]
        )
        grant_args: dict[str, Any] = {"client_id": client.client_id, "scope": list(scopes)}
        if organization_usage:
            grant_args.update(organization_usage=organization_usage, allow_any_organization=False)
        grant = mgmt.client_grants.create(audience=audience, **grant_args)
        org_name = org_id = None
        if organization_usage:
            org = mgmt.organizations.create(name=f"org-{tag}", display_name=f"Org {tag}")
            mgmt.organizations.client_grants.create(org.id, grant_id=grant.id)
            org_name, org_id = org.name, org.id
        outputs = IntegrationOutputs(
            name=f"int-{tag}",
            client_id=client.client_id,
            client_secret=SecretStr(client.client_secret),
            hostname=server.domain,
            audience=audience,
            token_url=f"https://{server.domain}/oauth/token",
            scopes=scopes,
            organization=org_name,
            organization_id=org_id,
        )
        return Provisioned(outputs, grant.id)

    return build
