"""The JSON a Client create or update sends, as upstream v1.39.1 builds it.

Upstream (`internal/auth0/client/expand.go`) builds the body from the whole configuration on
create **and** on update, so an update PATCHes every property the program sets, not only the
changed ones. A few blocks are sent only when they changed (`clientMetadata`,
`defaultOrganization`, `tokenExchange`, `sessionTransfer`), `jwtConfiguration.secretEncoded` and
`resourceServerIdentifier` only on create. Removing a property sends nothing, except for a fixed
list of nullable fields, which a separate PATCH before the update sets to null when the program
drops or empties them (`NULLABLE`). Removing a `clientMetadata` key sends that key as null
(Auth0 merges metadata on PATCH).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from auth0_m2m.provider._resources._base import Field, fields_to_api, is_empty

SKIP_PROMPT = "skipNonVerifiableCallbackUriConfirmationPrompt"
_CHANGED_ONLY = ("clientMetadata", "defaultOrganization", "tokenExchange", "sessionTransfer")


def _truthy(block: Any, *keys: str) -> bool:
    return isinstance(block, Mapping) and any(
        not is_empty(block.get(k)) and block.get(k) is not False for k in keys
    )


def _default_org_empty(value: Any) -> bool:
    if not isinstance(value, Mapping) or value.get("disable") is True:
        return True
    return value.get("flows") is None and value.get("organizationId") is None


def _oidc_logout_empty(value: Any) -> bool:
    if not isinstance(value, Mapping):
        return True
    metadata = value.get("backchannelLogoutSessionMetadata")
    has_metadata = isinstance(metadata, Mapping) and metadata.get("include") is not None
    initiators = value.get("backchannelLogoutInitiators")
    return not (
        _truthy(value, "backchannelLogoutUrls")
        or _truthy(initiators, "mode", "selectedInitiators")
        or has_metadata
    )


def token_quota_empty(value: Any) -> bool:
    creds = value.get("clientCredentials") if isinstance(value, Mapping) else None
    if not isinstance(creds, Mapping):
        return True
    return not (
        creds.get("enforce") is True or creds.get("perHour") is not None or creds.get("perDay") is not None
    )


def _map_empty(value: Any) -> bool:
    return not isinstance(value, Mapping) or all(is_empty(v) for v in value.values())


NULLABLE: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "defaultOrganization": ("default_organization", _default_org_empty),
    "sessionTransfer": (
        "session_transfer",
        lambda v: (
            not _truthy(
                v, "canCreateSessionTransferToken", "enforceDeviceBinding", "allowedAuthenticationMethods"
            )
        ),
    ),
    "oidcLogout": ("oidc_backchannel_logout", _oidc_logout_empty),
    "crossOriginLoc": ("cross_origin_loc", lambda v: v is None),
    "encryptionKey": ("encryption_key", _map_empty),
    "tokenQuota": ("token_quota", token_quota_empty),
    SKIP_PROMPT: ("skip_non_verifiable_callback_uri_confirmation_prompt", lambda v: v is None),
    "organizationDiscoveryMethods": ("organization_discovery_methods", lambda v: v is None),
    "tokenExchange": ("token_exchange", lambda v: not isinstance(v, Mapping) or not v),
}
"""Upstream's `fetchNullableFields`: Pulumi name → (key sent as null, "the value counts as none")."""


def has_change(fields: tuple[Field, ...], olds: Mapping[str, Any], news: Mapping[str, Any], key: str) -> bool:
    """Terraform's `HasChange` as far as inputs tell: a left-out Computed field keeps its value."""
    field = next((f for f in fields if f.name == key), None)
    if key not in news:
        return not (field is not None and field.computed) and not is_empty(olds.get(key))
    if key == SKIP_PROMPT and olds.get(key) == "null" and is_empty(news.get(key)):
        return False
    return olds.get(key) != news.get(key)


def nulls_body(fields: tuple[Field, ...], olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
    """The nulls PATCH of an update: each nullable field that changed to none."""
    return {
        api_key: None
        for name, (api_key, is_none) in NULLABLE.items()
        if has_change(fields, olds, news, name) and is_none(news.get(name))
    }


def client_body(
    fields: tuple[Field, ...], news: Mapping[str, Any], olds: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The create body (`olds` None) or the update body: the whole configuration, shaped as upstream."""
    creating = olds is None
    inputs = dict(news)
    for key in _CHANGED_ONLY:
        if not creating and olds is not None and not has_change(fields, olds, news, key):
            inputs.pop(key, None)
    default_org = inputs.get("defaultOrganization")
    if default_org is not None:
        if _default_org_empty(default_org):
            inputs.pop("defaultOrganization")
        else:
            inputs["defaultOrganization"] = {k: v for k, v in default_org.items() if k != "disable"}
    for key in ("oidcLogout", "tokenExchange"):
        if key in inputs and NULLABLE[key][1](inputs[key]):
            inputs.pop(key)
    jwt = inputs.get("jwtConfiguration")
    if isinstance(jwt, Mapping) and not creating:
        inputs["jwtConfiguration"] = {k: v for k, v in jwt.items() if k != "secretEncoded"}
    if not creating or inputs.get("appType") != "resource_server":
        inputs.pop("resourceServerIdentifier", None)
    body = fields_to_api(fields, inputs)
    express = body.get("express_configuration")
    if isinstance(express, dict) and "okta_oin_client_id" in express:
        express["oin_submission_id"] = express["okta_oin_client_id"]  # upstream fills both from the one input
    prompt = body.pop("skip_non_verifiable_callback_uri_confirmation_prompt", None)
    if prompt in ("true", "false"):
        body["skip_non_verifiable_callback_uri_confirmation_prompt"] = prompt == "true"
    if olds is not None and has_change(fields, olds, news, "clientMetadata"):
        metadata = dict(news.get("clientMetadata") or {})
        metadata.update({k: None for k in olds.get("clientMetadata") or {} if k not in metadata})
        body["client_metadata"] = metadata
    return body
