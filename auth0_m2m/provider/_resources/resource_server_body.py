"""The JSON a ResourceServer create or update sends, as upstream v1.39.1 builds it.

Upstream (`internal/auth0/resourceserver/expand.go`, `resource.go`) builds the body from the
whole configuration on create and on update (`identifier` on create only). Four properties are
sent only on create or when they changed, and never as their "off" value: `consentPolicy`
("null"), `authorizationDetails` (an empty list or a `disable: true` item), `tokenEncryption` and
`proofOfPossession` (a `disable: true` block). When one of them changes to that "off" value, an
update sends it as null in a PATCH of its own after the update (`fixNullableAttributes`), in
that order. Dropping any other property sends nothing. For the "Auth0 Management API" (by
name, in the state) only `tokenLifetime`, `skipConsentForVerifiableFirstPartyClients` and
`subjectTypeAuthorization` are sent, and delete sends nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auth0_m2m.provider._resources._base import Field, fields_to_api, is_empty, one_of

MANAGEMENT_API_NAME = "Auth0 Management API"
_MANAGEMENT_API_KEYS = (
    "tokenLifetime",
    "skipConsentForVerifiableFirstPartyClients",
    "subjectTypeAuthorization",
)
NULLABLE = {
    "consentPolicy": "consent_policy",
    "authorizationDetails": "authorization_details",
    "tokenEncryption": "token_encryption",
    "proofOfPossession": "proof_of_possession",
}
"""Upstream's `fixNullableAttributes`, in its order: Pulumi name → API key sent as null."""


def _disabled(block: Any) -> bool:
    return isinstance(block, Mapping) and block.get("disable") is True


def is_off(name: str, value: Any) -> bool:
    """Whether the program's value of a nullable property means "none" upstream."""
    if name == "consentPolicy":
        return bool(value == "null")
    if name == "authorizationDetails":
        items = value if isinstance(value, list) else []
        return not items or any(_disabled(item) for item in items)
    return value is None or _disabled(value)


def _has_change(olds: Mapping[str, Any], news: Mapping[str, Any], key: str) -> bool:
    """HasChange for the four Optional+Computed nullable properties: left out is no change."""
    return key in news and olds.get(key) != news.get(key)


def _shaped(name: str, value: Any) -> Any:
    """The block as upstream expands it: `disable` never sent; the key's `algorithm` is `alg`."""
    if name == "authorizationDetails":
        return [{"type": item["type"]} for item in value if isinstance(item, Mapping) and item.get("type")]
    block = {k: v for k, v in value.items() if k != "disable"}
    key = block.get("encryptionKey")
    if name == "tokenEncryption" and isinstance(key, Mapping):
        block["encryptionKey"] = {("alg" if k == "algorithm" else k): v for k, v in key.items()}
    return block


def server_body(
    fields: tuple[Field, ...], news: Mapping[str, Any], olds: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The create body (`olds` None) or the update body."""
    inputs = dict(news)
    if olds is not None:
        inputs.pop("identifier", None)
        if olds.get("name") == MANAGEMENT_API_NAME:
            inputs = {k: v for k, v in inputs.items() if k in _MANAGEMENT_API_KEYS}
    for name in NULLABLE:
        if name not in inputs:
            continue
        value = inputs[name]
        if (olds is not None and not _has_change(olds, news, name)) or is_off(name, value):
            inputs.pop(name)
        elif name != "consentPolicy":
            inputs[name] = _shaped(name, value)
    body = fields_to_api(fields, inputs)
    return {k: v for k, v in body.items() if not (k in NULLABLE.values() and is_empty(v))}


def null_patches(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The PATCHes after an update, one per nullable property that changed to its "off" value."""
    return [
        {api_key: None}
        for name, api_key in NULLABLE.items()
        if _has_change(olds, news, name) and is_off(name, news.get(name))
    ]


def check_blocks(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Upstream's `validateResourceServer` (a `disable: true` block sets nothing else), nested checks."""
    failures = []
    details = inputs.get("authorizationDetails")
    if isinstance(details, list):
        items = [i for i in details if isinstance(i, Mapping)]
        if any(_disabled(i) for i in items) and any(i.get("type") is not None for i in items):
            failures.append(("authorizationDetails", "only one of disable and type should be set"))
    encryption = inputs.get("tokenEncryption")
    if (
        isinstance(encryption, Mapping)
        and _disabled(encryption)
        and (encryption.get("format") is not None or not is_empty(encryption.get("encryptionKey")))
    ):
        failures.append(("tokenEncryption", "only one of disable and format or encryptionKey should be set"))
    key = encryption.get("encryptionKey") if isinstance(encryption, Mapping) else None
    if isinstance(key, Mapping):
        failures += [
            (f"tokenEncryption.encryptionKey.{k}", f"tokenEncryption.encryptionKey.{k} is required")
            for k in ("algorithm", "pem")
            if key.get(k) is None
        ]
    sta = inputs.get("subjectTypeAuthorization")
    if isinstance(sta, Mapping):
        for who, allowed in (("user", ("allow_all", "deny_all", "require_client_grant")),
                             ("client", ("deny_all", "require_client_grant"))):  # fmt: skip
            block = sta.get(who)
            if isinstance(block, Mapping):
                failures += one_of(block.get("policy"), f"subjectTypeAuthorization.{who}.policy", allowed)
    pop = inputs.get("proofOfPossession")
    if (
        isinstance(pop, Mapping)
        and _disabled(pop)
        and (pop.get("mechanism") is not None or pop.get("required") is True)
    ):
        failures.append(("proofOfPossession", "only one of disable and mechanism or required should be set"))
    return failures
