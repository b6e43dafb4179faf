"""`auth0-m2m verify | export | rotate` against a stack that the real Pulumi engine brought up.

One stack per module: the module's local tenant and project copy (tests/e2e/conftest.py and
`e2e_harness`), whose `local` stack declares five integrations and is brought up once. Each
negative case breaks its own integration out of band through the Management API (a deleted grant,
a deleted API, a grant that starts to require an organization), so the cases do not depend on each
other. The commands run through typer's CliRunner in the project copy, as a user would run them
there; every command's output is checked to hold no client secret. Skipped without `make engine`
(fails in CI).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import httpx
import hvac
import jwt
import pytest
import yaml
from auth0.management import ManagementClient
from dotenv import dotenv_values
from e2e_harness import Project
from kubernetes.client import V1Secret
from pulumi import automation as auto
from typer.testing import CliRunner

from auth0_m2m.cli import app
from auth0_m2m.consumers import JwksCache, request_token, validate_access_token, verify_integration
from auth0_m2m.consumers._jwt import jwks_url
from auth0_m2m.outputs import IntegrationOutputs
from auth0_m2m.tenant import TenantServer
from auth0_m2m.workspace import stack_integrations

if TYPE_CHECKING:
    from conftest import NangoStandIn

pytestmark = pytest.mark.e2e
BILLING = "https://api.e2e.test/billing"
LEDGER = "https://api.e2e.test/ledger"
STACK_CONFIG: dict[str, Any] = {
    "auth0:domain": "localhost:8443",  # the CLI points the local stack at the running tenant
    "auth0-m2m:apis": {
        "billing": {
            "identifier": BILLING,
            "name": "Billing API",
            "token_lifetime": 3600,
            "scopes": {
                "read:invoices": "Read invoices",
                "write:invoices": "Create invoices",
                "read:customers": "Read customers",
            },
        },
        "ledger": {"identifier": LEDGER, "name": "Ledger API", "scopes": {"read:entries": "Read"}},
    },
    "auth0-m2m:organizations": {"acme": {"display_name": "Acme Inc"}},
    "auth0-m2m:integrations": {
        "nango-billing": {
            "api": "billing",
            "scopes": ["read:invoices", "write:invoices"],
            "organization": "acme",
            "organization_usage": "require",
        },
        "reporting": {"api": "billing", "scopes": ["read:invoices", "read:customers"]},
        "revoked": {"api": "billing", "scopes": ["read:invoices"]},
        "ledger-sync": {"api": "ledger", "scopes": ["read:entries"]},
        "orgless": {"api": "billing", "scopes": ["read:customers"]},
    },
}


@dataclass
class Deployed:
    """The tenant, the stack and the project copy; `secrets` are every client secret seen so far."""

    tenant: TenantServer
    stack: auto.Stack
    project: Project
    mgmt: ManagementClient
    runner: CliRunner = field(default_factory=CliRunner)
    secrets: set[str] = field(default_factory=set)

    @property
    def root(self) -> Path:
        return self.project.root

    def integrations(self) -> dict[str, IntegrationOutputs]:
        """The stack's outputs now; their secrets join `secrets`."""
        found = stack_integrations(self.stack)
        self.secrets.update(item.client_secret.get_secret_value() for item in found.values())
        return found

    def cli(self, *args: str, env: dict[str, str] | None = None) -> Any:
        """Run `auth0-m2m ARGS` in the project; fail if its output holds any client secret seen."""
        result = self.runner.invoke(app, list(args), env=env)
        for secret in self.secrets:
            assert secret not in result.output, f"`auth0-m2m {' '.join(args)}` printed a client secret"
        return result

    def grant_of(self, client_id: str) -> Any:
        (grant,) = list(self.mgmt.client_grants.list(client_id=client_id))
        return grant


@pytest.fixture(scope="module")
def deployed(project: Project, tenant: TenantServer, mgmt: ManagementClient) -> Iterator[Deployed]:
    """The `local` stack up through the engine; the CLI then runs in the project as a user would."""
    project.write_stack("local", STACK_CONFIG)
    with pytest.MonkeyPatch.context() as patch:
        for name in [key for key in os.environ if key.startswith(("AUTH0_", "AWS_"))]:
            patch.delenv(name)
        for name, value in project.env.items():
            patch.setenv(name, value)
        patch.setenv("AUTH0_M2M_TENANT_STATE_DIR", str(tenant.state_dir))
        patch.chdir(project.root)
        stack = project.stack("local")
        stack.up(color="never")
        deployed = Deployed(tenant, stack, project, mgmt)
        deployed.integrations()
        yield deployed


def _lines(result: Any) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.strip()]


def _fields(item: IntegrationOutputs) -> dict[str, str]:
    values = {
        "client_id": item.client_id,
        "client_secret": item.client_secret.get_secret_value(),
        "hostname": item.hostname,
        "audience": item.audience,
        "organization": item.organization,
        "organization_id": item.organization_id,
    }
    return {key: value for key, value in values.items() if value is not None}


# -- verify ------------------------------------------------------------------------------------------
def test_verify_passes_for_good_credentials(deployed: Deployed) -> None:
    result = deployed.cli("verify", "--stack", "local", "-i", "nango-billing", "-i", "reporting")
    assert result.exit_code == 0, result.output
    lines = _lines(result)
    assert [line.split()[:2] for line in lines] == [["ok", "nango-billing"], ["ok", "reporting"]]
    assert all(line.endswith(" ms)") for line in lines)


def test_verify_json_reports_each_integration(deployed: Deployed) -> None:
    result = deployed.cli("verify", "--stack", "local", "-i", "nango-billing", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["ok"] is True
    assert [(row["name"], row["ok"], row["reason"]) for row in document["integrations"]] == [
        ("nango-billing", True, "ok")
    ]


def test_verify_fails_for_a_revoked_grant(deployed: Deployed) -> None:
    item = deployed.integrations()["revoked"]
    deployed.mgmt.client_grants.delete(deployed.grant_of(item.client_id).id)
    result = deployed.cli("verify", "--stack", "local", "-i", "revoked")
    assert result.exit_code == 1
    assert _lines(result) == [
        "FAIL revoked: token request refused: access_denied: "
        f'Client is not authorized to access "{BILLING}". '
        'You need to create a "client-grant" associated to this API. '
        "See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants"
    ]


def test_verify_fails_for_a_wrong_audience(deployed: Deployed) -> None:
    (api,) = [rs for rs in deployed.mgmt.resource_servers.list() if rs.identifier == LEDGER]
    deployed.mgmt.resource_servers.delete(api.id)
    result = deployed.cli("verify", "--stack", "local", "-i", "ledger-sync")
    assert result.exit_code == 1
    assert _lines(result) == [
        f"FAIL ledger-sync: token request refused: access_denied: Service not found: {LEDGER}"
    ]


def test_verify_fails_for_a_missing_organization(deployed: Deployed) -> None:
    item = deployed.integrations()["orgless"]
    grant = deployed.grant_of(item.client_id)
    deployed.mgmt.client_grants.update(grant.id, organization_usage="require")
    result = deployed.cli("verify", "--stack", "local", "-i", "orgless")
    assert result.exit_code == 1
    assert _lines(result) == [
        "FAIL orgless: token request refused: access_denied: "
        "An organization is required: the client grant's organization_usage is 'require'"
    ]


def test_verify_unknown_integration_is_bad_input(deployed: Deployed) -> None:
    result = deployed.cli("verify", "--stack", "local", "-i", "nope")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --integration 'nope': stack 'local' has no such integration "
        "(has: ledger-sync, nango-billing, orgless, reporting, revoked)"
    )


# -- export ------------------------------------------------------------------------------------------
def test_export_dotenv_round_trips(deployed: Deployed) -> None:
    target = deployed.root / "billing.env"
    result = deployed.cli("export", "--stack", "local", "--to", f"dotenv:{target}", "-i", "nango-billing")
    assert result.exit_code == 0, result.output
    assert _lines(result) == [f"dotenv: wrote 1 integration(s) to {target} (mode 0600)"]
    assert dotenv_values(target, interpolate=False) == _fields(deployed.integrations()["nango-billing"])
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_json_of_every_integration_round_trips(deployed: Deployed) -> None:
    target = deployed.root / "all.json"
    result = deployed.cli("export", "--stack", "local", "--to", f"json:{target}", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["integrations"] == ["ledger-sync", "nango-billing", "orgless", "reporting", "revoked"]
    assert [row["ok"] for row in report["targets"]] == [True]
    expected = {name: _fields(item) for name, item in deployed.integrations().items()}
    assert json.loads(target.read_text()) == expected
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_aws_secrets_manager_round_trips(deployed: Deployed, moto_url: str) -> None:
    aws = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AUTH0_M2M_AWS__ENDPOINT_URL": moto_url,
        "AUTH0_M2M_AWS__REGION": "eu-west-1",
    }
    result = deployed.cli(
        "export", "--stack", "local", "--to", "aws-sm:auth0/local/billing", "-i", "nango-billing", env=aws
    )
    assert result.exit_code == 0, result.output
    assert _lines(result)[0].startswith("aws-sm: created secret auth0/local/billing in eu-west-1, version ")
    client = boto3.client(
        "secretsmanager", endpoint_url=moto_url, region_name="eu-west-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip
    stored = json.loads(client.get_secret_value(SecretId="auth0/local/billing")["SecretString"])
    assert stored == _fields(deployed.integrations()["nango-billing"])


def test_export_k8s_manifest_round_trips(deployed: Deployed) -> None:
    target = deployed.root / "secrets.yaml"
    result = deployed.cli(
        "export", "--stack", "local", "--to", f"k8s-secret:{target}", "-i", "nango-billing", "-i", "reporting"
    )
    assert result.exit_code == 0, result.output
    docs = [V1Secret.from_dict(doc) for doc in yaml.safe_load_all(target.read_text()) if doc]
    integrations = deployed.integrations()
    assert {doc.metadata.name: doc.string_data for doc in docs} == {
        "nango-billing": _fields(integrations["nango-billing"]),
        "reporting": _fields(integrations["reporting"]),
    }
    assert {doc.metadata.labels["auth0-m2m/stack"] for doc in docs} == {"local"}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_nango_creates_the_connection(deployed: Deployed, nango: tuple[str, NangoStandIn]) -> None:
    base_url, state = nango
    env = {"AUTH0_M2M_NANGO__BASE_URL": base_url, "AUTH0_M2M_NANGO__SECRET_KEY": state.key}
    deployed.secrets.add(state.key)
    result = deployed.cli("export", "--stack", "local", "--to", "nango:", "-i", "nango-billing", env=env)
    assert result.exit_code == 0, result.output
    assert state.problems == []
    stored = httpx.get(
        f"{base_url}/connections/nango-billing",
        params={"provider_config_key": "auth0-cc"},
        headers={"Authorization": f"Bearer {state.key}"},
    ).json()
    item = deployed.integrations()["nango-billing"]
    assert stored["credentials"]["client_secret"] == item.client_secret.get_secret_value()
    assert stored["connection_config"] == {
        "hostname": deployed.tenant.domain,
        "audience": BILLING,
        "organization": "acme",
    }
    claims = jwt.decode(stored["credentials"]["token"], options={"verify_signature": False})
    assert (claims["azp"], claims["org_id"]) == (item.client_id, item.organization_id)


def test_export_vault_round_trips(deployed: Deployed, bao_addr: str, bao_token: str) -> None:
    env = {"AUTH0_M2M_VAULT__ADDR": bao_addr, "AUTH0_M2M_VAULT__TOKEN": bao_token}
    deployed.secrets.add(bao_token)
    result = deployed.cli(
        "export", "--stack", "local", "--to", "vault:secret/auth0/local", "-i", "reporting", env=env
    )
    assert result.exit_code == 0, result.output
    assert _lines(result) == [f"vault: wrote secret/auth0/local at {bao_addr}, version 1 (stack local)"]
    stored = hvac.Client(url=bao_addr, token=bao_token).secrets.kv.v2.read_secret_version(
        path="auth0/local", mount_point="secret", raise_on_deleted_version=True
    )["data"]["data"]
    assert stored == _fields(deployed.integrations()["reporting"])


def test_export_bad_target_writes_nothing(deployed: Deployed) -> None:
    good = deployed.root / "never.json"
    result = deployed.cli("export", "--stack", "local", "--to", f"json:{good}", "--to", "s3:bucket")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --to target 's3:bucket': expected KIND:ARG with KIND one of "
        "dotenv, json, aws-sm, k8s-secret, nango, vault; nothing was written"
    )
    assert not good.exists()


# -- rotate ------------------------------------------------------------------------------------------
def _jwks(deployed: Deployed) -> JwksCache:
    def fetch(hostname: str) -> dict[str, Any]:
        data: dict[str, Any] = httpx.get(jwks_url(hostname), verify=deployed.tenant.ssl_context()).json()
        return data

    return JwksCache(fetch)


def test_rotate_yields_a_new_secret_that_verifies_while_the_old_is_refused(deployed: Deployed) -> None:
    before = deployed.integrations()["reporting"]
    with httpx.Client(verify=deployed.tenant.ssl_context()) as http:
        issued_before = request_token(before, client=http).access_token.get_secret_value()
    target = deployed.root / "reporting.json"
    result = deployed.cli("rotate", "--stack", "local", "-i", "reporting", "--to", f"json:{target}", "--json")
    after = deployed.integrations()["reporting"]  # adds the new secret to the checked ones
    assert result.exit_code == 0, result.output
    for secret in deployed.secrets:
        assert secret not in result.output
    report = json.loads(result.stdout)
    assert (report["rotated"], report["verify"]["ok"], report["targets"][0]["ok"]) == (True, True, True)
    assert after.client_id == before.client_id
    assert after.client_secret.get_secret_value() != before.client_secret.get_secret_value()
    assert json.loads(target.read_text())["client_secret"] == after.client_secret.get_secret_value()
    ca_file = deployed.tenant.ca_file
    assert verify_integration(after, ca_file=ca_file).ok
    refused = verify_integration(before, ca_file=ca_file)
    assert (refused.ok, refused.reason) == (False, "token request refused: access_denied: Unauthorized")
    # a token issued with the old secret stays valid until it expires
    assert validate_access_token(issued_before, before, _jwks(deployed))["azp"] == before.client_id


def test_rotated_secret_verifies_through_the_cli(deployed: Deployed) -> None:
    result = deployed.cli("verify", "--stack", "local", "-i", "reporting")
    assert result.exit_code == 0, result.output
    assert _lines(result)[0].startswith("ok  reporting  (")


def test_state_never_holds_a_secret_in_plaintext(deployed: Deployed) -> None:
    state = deployed.project.state_text()  # state, history and backups
    assert "ciphertext" in state
    for secret in deployed.secrets:
        assert secret not in state


def test_rotate_prints_the_old_tokens_note_and_no_secret(deployed: Deployed) -> None:
    result = deployed.cli("rotate", "--stack", "local", "-i", "nango-billing")
    deployed.integrations()
    assert result.exit_code == 0, result.output
    lines = _lines(result)
    assert lines[0].startswith("rotated: nango-billing (client ")
    assert lines[1].startswith("ok  nango-billing  (")
    assert lines[2].startswith("note: access tokens issued before the rotation stay valid until they expire")
    for secret in deployed.secrets:
        assert secret not in result.output


def test_rotate_unknown_integration_changes_nothing(deployed: Deployed) -> None:
    before = {name: item.client_secret.get_secret_value() for name, item in deployed.integrations().items()}
    result = deployed.cli("rotate", "--stack", "local", "-i", "nope")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --integration 'nope': stack 'local' has no such integration")
    after = {name: item.client_secret.get_secret_value() for name, item in deployed.integrations().items()}
    assert after == before
