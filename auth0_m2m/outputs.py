"""The `integrations` stack output: the contract between the Pulumi side and every consumer.

A stack exports `integrations`, a map from integration name to its connection details; the shape
is a versioned JSON Schema shipped in this package (`schemas/integrations.v1.json`, documented in
docs/outputs.md). The consumers (verify, export, rotate) know a stack only through it, never
through the program that made it: ours, a team's own program with our components, or one in
another Pulumi language. `parse_integrations` checks an output against the schema and turns each
entry into an `IntegrationOutputs`, the record consumers use. The client secret is held as a
`SecretStr`, so printing or logging the record never shows it; call
`client_secret.get_secret_value()` only where it is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from pydantic import SecretStr

OUTPUT_NAME = "integrations"
"""The stack output that holds the integrations."""
CONTRACT_VERSION = 1
"""The contract's major version; `integrations_schema()` is its JSON Schema."""


class ContractError(ValueError):
    """An `integrations` output that does not follow the contract; the message names the field."""


@cache
def integrations_schema(version: int = CONTRACT_VERSION) -> dict[str, Any]:
    """The JSON Schema of the `integrations` output (a fresh parse, cached per version)."""
    text = resources.files("auth0_m2m").joinpath(f"schemas/integrations.v{version}.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def contract_problems(value: Any) -> list[str]:
    """Every way `value` breaks the contract, one line each (`integrations.<name>.<field>: ...`).

    Values are never quoted in the lines: an entry's client secret must not end up in a message.
    """
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(integrations_schema())
    problems: list[str] = []
    for error in sorted(validator.iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path]):
        where = ".".join([OUTPUT_NAME, *(str(part) for part in error.absolute_path)])
        if error.validator != "required":
            problems.append(f"{where}: {_reason(error)}")
            continue
        # jsonschema reports each missing field as its own error, each with the whole `required` list
        for name in error.validator_value:
            line = f"{where}.{name}: missing (a required field)"
            if name not in error.instance and line not in problems:
                problems.append(line)
    return problems


def _reason(error: Any) -> str:
    """What is wrong, said without the offending value."""
    kind = error.validator
    if "propertyNames" in error.schema_path:
        return "an integration's name must be 1 to 255 characters"
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return f"must be of type {expected}"
    if kind == "pattern":
        return f"does not match {error.validator_value!r}"
    if kind == "minLength":
        return "must not be empty"
    if kind == "uniqueItems":
        return "has duplicate items"
    if kind == "enum":
        return (
            "must be one of " + ", ".join(str(v) for v in error.validator_value if v is not None) + " or null"
        )
    return f"fails the schema's {kind!r} rule"


def parse_integrations(value: Any, *, stack: str) -> dict[str, IntegrationOutputs]:
    """The records of an `integrations` output that follows the contract; ContractError otherwise."""
    problems = contract_problems(value)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ContractError(
            f"stack {stack!r}: {problems[0]}{more}; the output must follow the auth0-m2m "
            f"contract v{CONTRACT_VERSION} (docs/outputs.md)"
        )
    return {name: IntegrationOutputs.from_mapping(name, dict(entry)) for name, entry in sorted(value.items())}


@dataclass(frozen=True)
class IntegrationOutputs:
    """What a consumer (Nango's `auth0-cc`, a secrets store) needs to use one M2M integration."""

    name: str
    """The integration's name: its key in the `integrations` output."""
    client_id: str
    client_secret: SecretStr = field(repr=False)
    hostname: str
    """The tenant domain, as Nango's HostName field wants it (no scheme; may carry a port)."""
    audience: str
    """The API identifier the grant is for."""
    token_url: str
    scopes: tuple[str, ...] = ()
    organization: str | None = None
    """The organization's name, when the grant is used through an organization."""
    organization_id: str | None = None
    auth_method: str | None = None
    """How the app authenticates: `client_secret_post`, `client_secret_basic` or `private_key_jwt`."""

    @property
    def uses_private_key_jwt(self) -> bool:
        """True for a private_key_jwt app: its `auth_method` says so or, without one, it has no secret."""
        if self.auth_method:
            return self.auth_method == "private_key_jwt"
        return not self.client_secret.get_secret_value()

    @classmethod
    def from_mapping(cls, name: str, data: dict[str, Any]) -> IntegrationOutputs:
        """Build the record from one entry of the `integrations` stack output (plain values)."""
        return cls(
            name=name,
            client_id=str(data["client_id"]),
            client_secret=SecretStr(str(data.get("client_secret") or "")),
            hostname=str(data["hostname"]),
            audience=str(data["audience"]),
            token_url=str(data.get("token_url") or f"https://{data['hostname']}/oauth/token"),
            scopes=tuple(data.get("scopes") or ()),
            organization=data.get("organization") or None,
            organization_id=data.get("organization_id") or None,
            auth_method=data.get("auth_method") or None,
        )
