"""Fixtures for settings and program tests: a clean environment and recording Pulumi mocks."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pulumi
import pytest
from pulumi.runtime import settings as runtime_settings
from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs

BASE_CONFIG: dict[str, Any] = {
    "auth0:domain": "dev-example.us.auth0.com",
    "auth0:clientId": "deployer-client-id",
    "auth0:clientSecret": "deployer-secret-value",
    "auth0-m2m:apis": {
        "billing": {
            "identifier": "https://api.example.com/billing",
            "name": "Billing API",
            "scopes": {"read:invoices": "Read invoices", "write:invoices": "Create invoices"},
        }
    },
    "auth0-m2m:organizations": {"acme": {"display_name": "Acme Inc"}},
    "auth0-m2m:integrations": {
        "nango-billing": {
            "api": "billing",
            "scopes": ["read:invoices"],
            "organization": "acme",
            "organization_usage": "require",
            "auth_method": "client_secret_post",
        }
    },
}
"""The issue's example config plus deployer credentials: valid, one integration."""


class RecordingMocks(pulumi.runtime.Mocks):
    """Records every resource registration and answers with plausible Auth0 ids."""

    def __init__(self) -> None:
        self.registered: list[MockResourceArgs] = []

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.registered.append(args)
        state = dict(args.inputs)
        if args.typ == "auth0:index/client:Client":
            state["clientId"] = f"cid-{args.name}"
            return state["clientId"], state
        if args.typ == "auth0:index/clientCredentials:ClientCredentials":
            state["clientSecret"] = f"secret-of-{args.name}"
        if args.typ == "auth0:index/organization:Organization":
            return f"org_{args.name.replace('-', '')}", state
        return f"{args.name}-id", state

    def call(self, args: MockCallArgs) -> tuple[dict[Any, Any], list[tuple[str, str]] | None]:
        raise AssertionError(f"unexpected invoke {args.token}")

    def of_type(self, typ: str) -> list[MockResourceArgs]:
        """Registrations of one type token."""
        return [r for r in self.registered if r.typ == typ]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AUTH0_* or PULUMI_CONFIG variables leak in from the developer's shell."""
    for name in ("AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "PULUMI_CONFIG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def base_config() -> dict[str, Any]:
    """A fresh deep copy of the valid base config, to mutate in a test."""
    return copy.deepcopy(BASE_CONFIG)


@pytest.fixture
def recorder(clean_env: None, pulumi_event_loop: object) -> Iterator[RecordingMocks]:
    """Pulumi mocks with a fresh root stack and empty config, for one test."""
    mocks = RecordingMocks()
    runtime_settings.ROOT.set(None)
    pulumi.runtime.set_all_config({}, [])
    pulumi.runtime.set_mocks(mocks, project="auth0-m2m", stack="dev", preview=False)
    yield mocks
    pulumi.runtime.set_all_config({}, [])


@pytest.fixture
def set_program_config() -> Callable[[dict[str, Any]], None]:
    """Give the program its config the way the engine does: structured values as JSON text."""

    def apply(mapping: dict[str, Any]) -> None:
        engine_form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in mapping.items()}
        secret_keys = [k for k in engine_form if k == "auth0:clientSecret"]
        pulumi.runtime.set_all_config(engine_form, secret_keys)

    return apply
