"""rotate: the secret rotation against the real local tenant, the deployer's credentials, finding the
`ClientCredentials` resource in a deployment, and the checks around the stack's state.

The stack is the Automation API seam here (`RotatableStack`): a small recording stand-in shows what
`rotate_integration` asks of it and how it reacts when the state does not follow. The real engine
path (a targeted `refresh --run-program`) runs in tests/e2e/test_consumers_cli.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import SecretStr

from auth0_m2m.consumers import (
    Deployer,
    RotationError,
    credentials_urn,
    deployer_from,
    rotate_client_secret,
    rotate_integration,
    verify_integration,
)
from auth0_m2m.outputs import IntegrationOutputs
from auth0_m2m.tenant import TenantServer

Provisioned = Any  # conftest.Provisioned
CREDS = "auth0:index/clientCredentials:ClientCredentials"
PARENTS = "auth0-m2m:index:M2MIntegration$auth0-m2m:index:MachineClient"
URN = f"urn:pulumi:dev::auth0-m2m::{PARENTS}${CREDS}::x-credentials"


@pytest.fixture
def deployer(server: TenantServer) -> Deployer:
    return Deployer(server.domain, server.bootstrap_client_id, server.bootstrap_client_secret, server.ca_file)


# -- rotate_client_secret against the tenant --------------------------------------------------------
def test_new_secret_verifies_and_old_one_is_refused(
    server: TenantServer, deployer: Deployer, provision: Callable[..., Provisioned]
) -> None:
    before = provision().outputs
    new = rotate_client_secret(deployer, before.client_id)
    after = replace(before, client_secret=new)
    assert new.get_secret_value() != before.client_secret.get_secret_value()
    assert verify_integration(after, ca_file=server.ca_file).ok
    refused = verify_integration(before, ca_file=server.ca_file)
    assert (refused.ok, refused.reason) == (False, "token request refused: access_denied: Unauthorized")


def test_unknown_client_is_refused_in_one_line(deployer: Deployer) -> None:
    with pytest.raises(RotationError) as exc:
        rotate_client_secret(deployer, "no-such-client")
    assert str(exc.value) == (
        "rotate-secret of client no-such-client refused: "
        "HTTP 404: inexistent_client: The client does not exist: no-such-client"
    )


def test_wrong_deployer_secret_gets_no_token_and_is_not_shown(
    server: TenantServer, provision: Callable[..., Provisioned]
) -> None:
    wrong = Deployer(server.domain, server.bootstrap_client_id, SecretStr("not-the-secret"), server.ca_file)
    with pytest.raises(RotationError) as exc:
        rotate_client_secret(wrong, provision().outputs.client_id)
    assert str(exc.value) == (
        f"deployer {server.bootstrap_client_id}: no Management API token: "
        "token request refused: access_denied: Unauthorized"
    )
    assert "not-the-secret" not in str(exc.value)


# -- the deployer's credentials ----------------------------------------------------------------------
def test_stack_config_wins_over_environment() -> None:
    config = {"auth0:domain": "dev.eu.auth0.com", "auth0:clientId": "cfg-id", "auth0:clientSecret": "cfg"}
    env = {"AUTH0_DOMAIN": "other.auth0.com", "AUTH0_CLIENT_ID": "env-id", "AUTH0_CLIENT_SECRET": "env"}
    found = deployer_from(config, env)
    assert (found.domain, found.client_id, found.client_secret.get_secret_value()) == (
        "dev.eu.auth0.com",
        "cfg-id",
        "cfg",
    )


def test_environment_fills_what_the_config_lacks() -> None:
    found = deployer_from(
        {"auth0:domain": "dev.eu.auth0.com"}, {"AUTH0_CLIENT_ID": "id", "AUTH0_CLIENT_SECRET": "s"}
    )
    assert (found.client_id, found.client_secret.get_secret_value()) == ("id", "s")
    assert "client_secret" not in repr(found)


def test_missing_deployer_secret_names_the_key_and_variable() -> None:
    with pytest.raises(RotationError) as exc:
        deployer_from({"auth0:domain": "dev.eu.auth0.com", "auth0:clientId": "id"}, {})
    assert str(exc.value) == (
        "auth0:clientSecret: missing; set it with "
        "`pulumi config set --secret auth0:clientSecret ...` or export AUTH0_CLIENT_SECRET"
    )


# -- the ClientCredentials resource in the state ----------------------------------------------------------
def test_credentials_urn_is_found_by_client_id() -> None:
    deployment = {
        "resources": [
            {"urn": "urn:other", "type": "auth0:index/client:Client", "id": "cid"},
            {"urn": URN, "type": CREDS, "id": "cid", "outputs": {"clientId": "cid"}},
        ]
    }
    assert credentials_urn(deployment, "cid") == URN


def test_missing_credentials_resource_is_reported() -> None:
    with pytest.raises(RotationError) as exc:
        credentials_urn({"resources": [{"urn": URN, "type": CREDS, "id": "other"}]}, "cid")
    assert str(exc.value) == f"client cid: no {CREDS} resource in the stack's state; run `up` first"


# -- rotate_integration with a stand-in stack ----------------------------------------------------------------
@dataclass
class RecordingStack:
    """Records the refreshes asked for; `follow` makes the outputs take the tenant's new secret."""

    outputs: dict[str, IntegrationOutputs]
    fail_refresh: bool = False
    refreshed: list[dict[str, Any]] = field(default_factory=list)
    name: str = "dev"

    def export_stack(self) -> Any:
        resources = [
            {"urn": f"urn:{item.name}", "type": CREDS, "id": item.client_id} for item in self.outputs.values()
        ]
        return SimpleNamespace(deployment={"resources": resources})

    def refresh(self, **kwargs: Any) -> Any:
        self.refreshed.append(kwargs)
        if self.fail_refresh:
            raise RuntimeError("code: 255\nstderr: error: the engine stopped")
        return None

    def read(self) -> Mapping[str, IntegrationOutputs]:
        return dict(self.outputs)


def test_refresh_targets_the_credentials_and_runs_the_program(
    deployer: Deployer, provision: Callable[..., Provisioned]
) -> None:
    item = provision().outputs
    stack = RecordingStack({item.name: item})
    with pytest.raises(RotationError) as exc:  # this stand-in's outputs never follow the tenant
        rotate_integration(stack, item, deployer, read_outputs=stack.read)
    assert stack.refreshed == [
        {"target": [f"urn:{item.name}"], "run_program": True, "color": "never", "on_output": None}
    ]
    assert str(exc.value) == (
        f"the tenant has the new secret of {item.name!r} but stack 'dev' still exports another one; "
        "run `auth0-m2m up --stack dev --refresh`"
    )


def test_failed_refresh_says_how_to_recover(
    deployer: Deployer, provision: Callable[..., Provisioned]
) -> None:
    item = provision().outputs
    stack = RecordingStack({item.name: item}, fail_refresh=True)
    with pytest.raises(RotationError) as exc:
        rotate_integration(stack, item, deployer, read_outputs=stack.read)
    assert str(exc.value) == (
        "the tenant has the new secret but refreshing stack 'dev' failed "
        "(stderr: error: the engine stopped); "
        "bring the state in line with `auth0-m2m up --stack dev --refresh`"
    )


def test_rotation_returns_the_outputs_the_stack_now_exports(
    server: TenantServer, deployer: Deployer, provision: Callable[..., Provisioned]
) -> None:
    item = provision().outputs
    stack = RecordingStack({item.name: item})

    def read_from_tenant() -> Mapping[str, IntegrationOutputs]:
        current = server.tenant.clients.get(item.client_id)["client_secret"]  # what a refresh reads
        return {item.name: replace(item, client_secret=SecretStr(current))}

    rotation = rotate_integration(stack, item, deployer, read_outputs=read_from_tenant)
    assert rotation.old_secret == item.client_secret
    assert rotation.outputs.client_secret != item.client_secret
    assert verify_integration(rotation.outputs, ca_file=server.ca_file).ok


def test_integration_without_secret_is_refused_before_the_tenant(make_outputs: Callable[..., Any]) -> None:
    item = make_outputs("keys", client_secret=SecretStr(""))
    unreachable = Deployer("127.0.0.1:9", "id", SecretStr("s"))
    stack = RecordingStack({item.name: item})
    with pytest.raises(RotationError) as exc:
        rotate_integration(stack, item, unreachable, read_outputs=stack.read)
    assert str(exc.value) == (
        "integration 'keys' has no client secret (private_key_jwt?): rotate its keys by "
        "changing public_keys in the stack config, then `up`"
    )
    assert stack.refreshed == []
