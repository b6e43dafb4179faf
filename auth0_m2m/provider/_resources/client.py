"""`auth0:index/client:Client` over `/api/v2/clients`.

Calls, as upstream (`auth0-facts.md`, section 2):
- create: `POST /clients` with the fields the program sets, plus `token_endpoint_auth_method`
  (`client_secret_post` for `regular_web`/`non_interactive`, `none` for `spa`/`native`); the
  resource id is the response's `client_id`; wait 800 ms; `GET /clients/{id}`.
- update: `PATCH /clients/{id}` with nulls for the nullable fields the program dropped (only
  if any; upstream's fixed list, see `client_body`), `PATCH` with the whole configuration
  (always, as upstream), wait 200 ms, `GET`. Other dropped fields keep their value in Auth0.
- delete: `DELETE /clients/{id}` (404 = already gone).

Check fills in `description` = "Managed by Pulumi" when the program leaves it out (the bridge
default), so it is sent on create and a removed description goes back to it. A changed
`jwtConfiguration.secretEncoded` replaces the client (upstream ForceNew); nothing else does.

Outputs carry `clientId` and `signingKeys` (a list of maps with string values only).
Not implemented: `addons` and the deprecated `oidcBackchannelLogoutUrls` (Check rejects them).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, ClassVar

from auth0_m2m.provider._client import ManagementClient, path
from auth0_m2m.provider._exceptions import Auth0NotFound
from auth0_m2m.provider._resources._base import (
    Field,
    ResourceType,
    fields_from_api,
    one_of,
)
from auth0_m2m.provider._resources.client_body import SKIP_PROMPT as _SKIP_PROMPT
from auth0_m2m.provider._resources.client_body import client_body, nulls_body
from auth0_m2m.provider._resources.client_checks import check_more, nested_defaults

_OPAQUE_MAP = frozenset({""})
_AUTH_METHOD_FOR_APP_TYPE = {
    "regular_web": "client_secret_post",
    "non_interactive": "client_secret_post",
    "spa": "none",
    "native": "none",
}
_UNSUPPORTED = {
    "addons": "use the Auth0 dashboard or Management API for add-ons",
    "oidcBackchannelLogoutUrls": "it is deprecated upstream; use oidcLogout.backchannelLogoutUrls",
}
_APP_TYPES = (
    "native", "spa", "regular_web", "non_interactive", "resource_server", "rms", "box", "cloudbees", "concur",
    "dropbox", "mscrm", "echosign", "egnyte", "newrelic", "office365", "salesforce", "sentry", "sharepoint",
    "slack", "springcm", "sso_integration", "zendesk", "zoom", "express_configuration",
)  # fmt: skip
"""Upstream v1.39.1's `ValidAppTypes`."""
_JWT_ALGS = ("HS256", "RS256", "PS256")
DEFAULT_DESCRIPTION = "Managed by Pulumi"
"""pulumi-auth0 3.37.1 `resources.go` gives `auth0_client.description` this default."""


class Client(ResourceType):
    """An Auth0 application."""

    pulumi_type: ClassVar[str] = "auth0:index/client:Client"
    autoname: ClassVar[bool] = True
    secret_outputs: ClassVar[frozenset[str]] = frozenset({"signingKeys"})
    create_settle_seconds: float = 0.8
    update_settle_seconds: float = 0.2
    fields: ClassVar[tuple[Field, ...]] = (
        Field("name", computed=True),
        Field("description"),
        Field("appType"),
        Field("grantTypes", computed=True),
        Field("callbacks", computed=True),
        Field("allowedOrigins"),
        Field("webOrigins"),
        Field("allowedLogoutUrls"),
        Field("allowedClients"),
        Field("isFirstParty", computed=True),
        Field("oidcConformant", computed=True),
        Field(
            "jwtConfiguration",
            computed=True,
            opaque=frozenset({"scopes"}),
            replace_paths=frozenset({"secretEncoded"}),
            computed_paths=frozenset({"lifetimeInSeconds", "secretEncoded"}),
        ),
        Field("clientMetadata", opaque=_OPAQUE_MAP),
        Field("organizationUsage", computed=True),
        Field("organizationRequireBehavior", computed=True),
        Field("organizationDiscoveryMethods"),
        Field(
            "defaultOrganization",
            computed=True,
            computed_paths=frozenset({"flows", "organizationId", "disable"}),
        ),
        Field(
            "refreshToken",
            computed=True,
            computed_paths=frozenset(
                {
                    "leeway",
                    "tokenLifetime",
                    "infiniteTokenLifetime",
                    "infiniteIdleTokenLifetime",
                    "idleTokenLifetime",
                }
            ),
        ),
        Field("crossOriginAuth", api="cross_origin_authentication"),
        Field("crossOriginLoc"),
        Field("customLoginPage"),
        Field("customLoginPageOn", computed=True),
        Field("initiateLoginUri"),
        Field("logoUri"),
        Field("formTemplate"),
        Field("sso"),
        Field("ssoDisabled"),
        Field("isTokenEndpointIpHeaderTrusted", computed=True),
        Field("requirePushedAuthorizationRequests"),
        Field("requireProofOfPossession"),
        Field("complianceLevel"),
        Field("encryptionKey", opaque=_OPAQUE_MAP),
        Field("tokenQuota"),
        Field(
            "sessionTransfer",
            computed_paths=frozenset(
                {
                    "canCreateSessionTransferToken",
                    "allowedAuthenticationMethods",
                    "enforceDeviceBinding",
                    "allowRefreshToken",
                }
            ),
        ),  # fmt: skip
        Field("tokenExchange"),
        Field("mobile", computed=True, computed_paths=frozenset({"android", "ios"})),
        Field("nativeSocialLogin", computed=True, computed_paths=frozenset({"apple", "facebook", "google"})),
        Field("oidcLogout"),
        Field("clientAliases"),
        Field("asyncApprovalNotificationChannels", computed=True),
        Field(
            "expressConfiguration",
            computed=True,
            computed_paths=frozenset({"oktaOinClientId", "oinSubmissionId", "linkedClients"}),
        ),
        Field("resourceServerIdentifier"),
        Field(_SKIP_PROMPT),
        Field("clientId", output_only=True),
        Field("signingKeys", output_only=True),
    )

    def fill_defaults(self, inputs: dict[str, Any]) -> list[str]:
        """`description` defaults to "Managed by Pulumi" (pulumi-auth0's override of the schema).

        Nested schema defaults inside blocks the program sets, as the bridge fills them:
        `sessionTransfer.enforceCascadeRevocation`/`enforceOnlineRefreshTokens` and
        `tokenQuota.clientCredentials.enforce` default to true.
        """
        nested_defaults(inputs)
        if inputs.get("description") is None:
            inputs["description"] = DEFAULT_DESCRIPTION
            return ["description"]
        return []

    def check(self, inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Reject fields the stand-in does not implement; description is at most 140 characters."""
        failures = [
            (key, f"{key} is not supported by the auth0-m2m stand-in provider: {fix}")
            for key, fix in _UNSUPPORTED.items()
            if inputs.get(key) not in (None, [], {})
        ]
        failures += one_of(inputs.get("appType"), "appType", _APP_TYPES)
        failures += one_of(inputs.get("organizationUsage"), "organizationUsage", ("deny", "allow", "require"))
        failures += one_of(
            inputs.get("organizationRequireBehavior"),
            "organizationRequireBehavior",
            ("no_prompt", "pre_login_prompt", "post_login_prompt"),
        )
        jwt = inputs.get("jwtConfiguration")
        if isinstance(jwt, Mapping):
            failures += one_of(jwt.get("alg"), "jwtConfiguration.alg", _JWT_ALGS)
        failures += check_more(inputs)
        description = inputs.get("description")
        if isinstance(description, str) and len(description) > 140:
            failures.append(("description", "description must be at most 140 characters"))
        prompt = inputs.get(_SKIP_PROMPT)
        if isinstance(prompt, str) and prompt not in ("true", "false", "null"):
            failures.append((_SKIP_PROMPT, f'{_SKIP_PROMPT} must be "true", "false" or "null"'))
        return failures

    async def create(self, api: ManagementClient, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """POST the client, wait, read it back."""
        body = client_body(self.fields, inputs)
        if inputs.get("isTokenEndpointIpHeaderTrusted") is not None:
            body["token_endpoint_auth_method"] = "client_secret_post"  # noqa: S105 (a method name)
        method = _AUTH_METHOD_FOR_APP_TYPE.get(str(inputs.get("appType", "")))
        if method is not None:
            body["token_endpoint_auth_method"] = method
        created = await api.post("clients", body)
        client_id = str(created["client_id"])
        await asyncio.sleep(self.create_settle_seconds)
        return await self.read_after_create(api, client_id, inputs)

    async def read(
        self, api: ManagementClient, resource_id: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """GET /clients/{id}."""
        obj = await api.find(path("clients", resource_id))
        return None if obj is None else self.outputs(obj)

    async def update(
        self, api: ManagementClient, resource_id: str, olds: Mapping[str, Any], news: dict[str, Any]
    ) -> dict[str, Any]:
        """PATCH nulls for the nullable fields dropped (if any), PATCH the whole configuration, wait, read."""
        nulls = nulls_body(self.fields, olds, news)
        if nulls:
            await api.patch(path("clients", resource_id), nulls)
        await api.patch(path("clients", resource_id), client_body(self.fields, news, olds))
        await asyncio.sleep(self.update_settle_seconds)
        outputs = await self.read(api, resource_id, news)
        if outputs is None:
            raise Auth0NotFound(404, "Not Found", f"client {resource_id} is gone", "GET", "clients")
        return outputs

    async def delete(self, api: ManagementClient, resource_id: str, outputs: Mapping[str, Any]) -> None:
        """DELETE /clients/{id}."""
        await api.delete_if_present(path("clients", resource_id))

    def outputs(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        """Pulumi outputs from a Management API client object."""
        outputs = fields_from_api(self.fields, obj)
        prompt = obj.get("skip_non_verifiable_callback_uri_confirmation_prompt")
        if isinstance(prompt, bool):
            outputs[_SKIP_PROMPT] = "true" if prompt else "false"
        else:
            outputs.pop(_SKIP_PROMPT, None)
        jwt = outputs.get("jwtConfiguration")
        if isinstance(jwt, dict) and isinstance(jwt.get("lifetimeInSeconds"), str):
            jwt["lifetimeInSeconds"] = int(jwt["lifetimeInSeconds"])
        keys = obj.get("signing_keys")
        if isinstance(keys, list):
            outputs["signingKeys"] = [
                {k: _as_string(v) for k, v in key.items() if v is not None}
                for key in keys
                if isinstance(key, dict)
            ]
        return outputs


def _as_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
