"""The `integrations` stack output contract (`auth0_m2m.outputs`, `schemas/integrations.v1.json`).

Checked here, without an engine:
- the schema file ships in the package, loads, and is a valid Draft 2020-12 schema;
- the config-driven program's real `integrations` output (run under the recording Pulumi mocks, as in
  test_program.py) has no contract problem: with one integration (through an organization) and with
  two (one `private_key_jwt` app on an existing organization by id), each with its `auth_method`;
- a hand-written minimal entry (client_id, client_secret, hostname, audience) is accepted, and so are
  fields the schema does not list (forward compatible), null optional fields and an empty map;
- each way of breaking it gives exactly one problem line naming the path: a missing client_id, a
  hostname with a scheme, an organization_id that is not `org_...`, scopes that are not a list, a
  whole output that is not a mapping, an `auth_method` not in the enum; several missing fields give one
  line each;
- the client secret's value is never in a problem line nor in the `ContractError` message;
- `parse_integrations` returns `IntegrationOutputs` records (token_url defaulted from the hostname,
  scopes as a tuple, the secret held as a SecretStr) and raises `ContractError` naming the stack.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import pulumi
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jsonschema import Draft202012Validator
from pulumi.runtime import settings as runtime_settings

from auth0_m2m.outputs import (
    CONTRACT_VERSION,
    OUTPUT_NAME,
    ContractError,
    IntegrationOutputs,
    contract_problems,
    integrations_schema,
    parse_integrations,
)
from auth0_m2m.program import pulumi_program

ConfigSetter = Callable[[dict[str, Any]], None]
SECRET = "s3cr3t-client-secret-value-0123456789"
MINIMAL: dict[str, Any] = {
    "client_id": "cid-billing",
    "client_secret": SECRET,
    "hostname": "dev-example.us.auth0.com",
    "audience": "https://api.example.com/billing",
}


@pytest.fixture
def minimal() -> dict[str, Any]:
    """A fresh minimal `integrations` output with one entry, `billing`, to break in a test."""
    return {"billing": copy.deepcopy(MINIMAL)}


@pytest.fixture
def public_pem() -> str:
    """A real RSA public key in PEM (the config rules parse it; RS256 is the default algorithm)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def _program_integrations() -> dict[str, Any]:
    """Run the program under the active mocks and return its `integrations` output, resolved."""
    seen: dict[str, Any] = {}

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        pulumi_program()
        root = runtime_settings.get_root_resource()
        assert root is not None
        outputs = dict(root.outputs)  # type: ignore[attr-defined]

        async def collect() -> None:
            seen["value"] = await pulumi.Output.from_input(outputs[OUTPUT_NAME]).future()

        return pulumi.Output.from_input(collect())

    run()
    value: dict[str, Any] = seen["value"]
    return value


# -- the schema ------------------------------------------------------------------------------------
def test_schema_file_is_shipped_and_is_valid_json() -> None:
    text = resources.files("auth0_m2m").joinpath(f"schemas/integrations.v{CONTRACT_VERSION}.json").read_text()

    assert json.loads(text) == integrations_schema()


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = integrations_schema()

    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# -- the program's own output ----------------------------------------------------------------------
def test_program_output_with_one_integration_follows_the_contract(
    recorder: Any, set_program_config: ConfigSetter, base_config: dict[str, Any]
) -> None:
    set_program_config(base_config)

    value = _program_integrations()

    assert set(value) == {"nango-billing"}
    assert value["nango-billing"]["organization_id"]  # the organization branch is exercised
    assert contract_problems(value) == []


def test_program_output_with_two_integrations_follows_the_contract(
    recorder: Any, set_program_config: ConfigSetter, base_config: dict[str, Any], public_pem: str
) -> None:
    base_config["auth0-m2m:integrations"]["signed"] = {
        "api": "billing",
        "scopes": ["read:invoices", "write:invoices"],
        "organization_id": "org_existing123",
        "auth_method": "private_key_jwt",
        "public_keys": [{"pem": public_pem}],
    }
    set_program_config(base_config)

    value = _program_integrations()

    assert set(value) == {"nango-billing", "signed"}
    assert value["signed"]["organization_id"] == "org_existing123"
    assert (value["signed"]["auth_method"], value["nango-billing"]["auth_method"]) == (
        "private_key_jwt",
        "client_secret_post",
    )
    assert contract_problems(value) == []


# -- what is accepted ------------------------------------------------------------------------------
def test_minimal_hand_written_entry_is_accepted(minimal: dict[str, Any]) -> None:
    assert contract_problems(minimal) == []


def test_unknown_fields_are_accepted(minimal: dict[str, Any]) -> None:
    minimal["billing"]["rotated_at"] = "2026-01-01T00:00:00Z"
    minimal["billing"]["metadata"] = {"team": "billing"}

    assert contract_problems(minimal) == []


def test_null_optional_fields_and_null_secret_are_accepted(minimal: dict[str, Any]) -> None:
    minimal["billing"].update(
        client_secret=None,
        token_url=None,
        scopes=None,
        organization=None,
        organization_id=None,
        auth_method=None,
    )

    assert contract_problems(minimal) == []


def test_hostname_with_a_port_is_accepted(minimal: dict[str, Any]) -> None:
    minimal["billing"]["hostname"] = "localhost:8443"

    assert contract_problems(minimal) == []


def test_an_empty_map_is_accepted() -> None:
    assert contract_problems({}) == []


# -- what is refused: one line naming the path, never the secret ----------------------------------
def _drop_client_id(value: dict[str, Any]) -> Any:
    del value["billing"]["client_id"]
    return value


def _set(**fields: Any) -> Callable[[dict[str, Any]], Any]:
    def apply(value: dict[str, Any]) -> Any:
        value["billing"].update(fields)
        return value

    return apply


BROKEN: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("missing client_id", _drop_client_id, "integrations.billing.client_id: "),
    ("hostname with a scheme", _set(hostname="https://x"), "integrations.billing.hostname: "),
    ("organization_id not org_", _set(organization_id="acme"), "integrations.billing.organization_id: "),
    ("scopes not a list", _set(scopes="read:invoices"), "integrations.billing.scopes: "),
    ("client_secret not a string", _set(client_secret=[SECRET]), "integrations.billing.client_secret: "),
    ("token_url not https", _set(token_url="http://x/oauth/token"), "integrations.billing.token_url: "),
    ("auth_method unknown", _set(auth_method="magic"), "integrations.billing.auth_method: "),
    ("output a list", lambda value: [value["billing"]], "integrations: "),
    ("output a string", lambda value: json.dumps(value), "integrations: "),
    ("entry not a mapping", lambda value: {"billing": SECRET}, "integrations.billing: "),
]


@pytest.mark.parametrize(("case", "breaks", "path"), BROKEN, ids=[case for case, _, _ in BROKEN])
def test_each_break_is_one_line_naming_the_path(
    minimal: dict[str, Any], case: str, breaks: Callable[[dict[str, Any]], Any], path: str
) -> None:
    problems = contract_problems(breaks(minimal))

    assert len(problems) == 1, problems
    assert problems[0].startswith(path), problems
    assert "\n" not in problems[0]


@pytest.mark.parametrize(("case", "breaks", "path"), BROKEN, ids=[case for case, _, _ in BROKEN])
def test_the_secret_value_is_never_in_a_problem_or_the_error(
    minimal: dict[str, Any], case: str, breaks: Callable[[dict[str, Any]], Any], path: str
) -> None:
    value = breaks(minimal)

    with pytest.raises(ContractError) as error:
        parse_integrations(value, stack="dev")

    assert all(SECRET not in line for line in contract_problems(value))
    assert SECRET not in str(error.value)
    assert SECRET not in repr(error.value)


def test_several_missing_fields_give_one_line_each(minimal: dict[str, Any]) -> None:
    minimal["billing"] = {"audience": "https://api.example.com/billing"}

    assert contract_problems(minimal) == [
        "integrations.billing.client_id: missing (a required field)",
        "integrations.billing.client_secret: missing (a required field)",
        "integrations.billing.hostname: missing (a required field)",
    ]


def test_an_empty_integration_name_is_named_as_such(minimal: dict[str, Any]) -> None:
    (problem,) = contract_problems({"": minimal["billing"]})

    assert problem == "integrations: an integration's name must be 1 to 255 characters"


def test_contract_error_names_the_stack_the_first_problem_and_the_count(minimal: dict[str, Any]) -> None:
    minimal["billing"].update(hostname="https://x", scopes="read:invoices")

    with pytest.raises(ContractError) as error:
        parse_integrations(minimal, stack="dev")

    message = str(error.value)
    assert message.startswith("stack 'dev': integrations.billing.hostname: ")
    assert "(and 1 more)" in message
    assert f"contract v{CONTRACT_VERSION}" in message
    assert "\n" not in message


# -- parse_integrations ----------------------------------------------------------------------------
def test_parse_integrations_defaults_token_url_from_the_hostname(minimal: dict[str, Any]) -> None:
    records = parse_integrations(minimal, stack="dev")

    assert records == {
        "billing": IntegrationOutputs(
            name="billing",
            client_id="cid-billing",
            client_secret=records["billing"].client_secret,
            hostname="dev-example.us.auth0.com",
            audience="https://api.example.com/billing",
            token_url="https://dev-example.us.auth0.com/oauth/token",
        )
    }
    assert records["billing"].client_secret.get_secret_value() == SECRET


def test_parse_integrations_keeps_given_fields(minimal: dict[str, Any]) -> None:
    minimal["billing"].update(
        token_url="https://login.example.com/oauth/token",
        scopes=["read:invoices", "write:invoices"],
        organization="acme",
        organization_id="org_acme123",
    )

    record = parse_integrations(minimal, stack="dev")["billing"]

    assert record.token_url == "https://login.example.com/oauth/token"
    assert record.scopes == ("read:invoices", "write:invoices")
    assert record.organization == "acme"
    assert record.organization_id == "org_acme123"


def test_parse_integrations_reads_a_null_secret_as_empty(minimal: dict[str, Any]) -> None:
    minimal["billing"]["client_secret"] = None

    record = parse_integrations(minimal, stack="dev")["billing"]

    assert record.client_secret.get_secret_value() == ""


def test_a_record_never_shows_its_secret(minimal: dict[str, Any]) -> None:
    record = parse_integrations(minimal, stack="dev")["billing"]

    assert SECRET not in repr(record)
    assert SECRET not in str(record)
