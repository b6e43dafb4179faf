"""`auth0:index/resourceServer:ResourceServer` and `.../resourceServerScopes:ResourceServerScopes`.

ResourceServer (id = the API's `id`, not its identifier), as upstream (`auth0-facts.md`, section 4):
- create: `POST /resource-servers` (no `scopes`; `verificationLocation` is camelCase in the API),
  then `GET /resource-servers/{id}`.
- update: `PATCH` the whole configuration (never `identifier`), then one `PATCH` per nullable
  property switched off (`consentPolicy: "null"`, `disable: true` blocks; see
  `resource_server_body`), wait 200 ms, `GET`. Dropping any other property sends nothing.
- read: `GET /resource-servers/{id}`; the resource id becomes the API's `id` also when it was
  read by identifier (an import by identifier).
- delete: `DELETE /resource-servers/{id}`, skipped for the "Auth0 Management API" (by name).

A changed `identifier` replaces the API; the old one goes first only when the program named it
(the bridge's rule for autonamed types, see `_diff`).

ResourceServerScopes (id = the identifier URL; owns the whole list, a set: order is no change),
as upstream (section 5):
- create: `GET /resource-servers/{identifier}`; existing scopes must be empty or equal to the
  program's, else "Resource Server with non empty scopes"; `PATCH {"scopes": [{"value",
  "description"}]}`; `GET`.
- update: the same `PATCH` with the full list, then `GET`. delete: `PATCH {"scopes": []}`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from auth0_m2m.provider._client import ManagementClient, path
from auth0_m2m.provider._exceptions import Auth0Error, Auth0NotFound, PartialCreate, ProviderError
from auth0_m2m.provider._resources._base import (
    ID_KEY,
    Field,
    ResourceType,
    fields_from_api,
    one_of,
    required,
)
from auth0_m2m.provider._resources.resource_server_body import (
    MANAGEMENT_API_NAME,
    check_blocks,
    null_patches,
    server_body,
)


class ResourceServer(ResourceType):
    """An Auth0 API."""

    pulumi_type: ClassVar[str] = "auth0:index/resourceServer:ResourceServer"
    autoname: ClassVar[bool] = True
    # Not secret: upstream's signing_secret is not Sensitive (the program asks for it to be secret).
    update_settle_seconds: float = 0.2
    fields: ClassVar[tuple[Field, ...]] = (
        Field("identifier", replace=True),
        Field("name", computed=True),
        Field("signingAlg", computed=True),
        Field("signingSecret", computed=True),
        Field("tokenLifetime", computed=True),
        Field("tokenLifetimeForWeb", computed=True),
        Field("skipConsentForVerifiableFirstPartyClients", computed=True),
        Field("allowOfflineAccess"),
        Field("enforcePolicies", computed=True),
        Field("tokenDialect", computed=True),
        Field("consentPolicy", computed=True),
        Field("verificationLocation", api="verificationLocation"),
        Field("authorizationDetails", computed=True),
        Field("proofOfPossession", computed=True, computed_paths=frozenset({"mechanism", "required"})),
        Field("subjectTypeAuthorization", computed=True, computed_paths=frozenset({"user", "client"})),
        Field(
            "tokenEncryption",
            computed=True,
            computed_paths=frozenset({"format", "encryptionKey", "encryptionKey.name", "encryptionKey.kid"}),
        ),
        Field("clientId", output_only=True),
        Field("isSystem", output_only=True),
    )

    def check(self, inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Upstream's validations of the fields it checks."""
        failures = one_of(
            inputs.get("signingAlg"), "signingAlg", ("HS256", "RS256", "PS256"), ignore_case=True
        )
        failures += one_of(
            inputs.get("tokenDialect"),
            "tokenDialect",
            ("access_token", "access_token_authz", "rfc9068_profile", "rfc9068_profile_authz"),
            ignore_case=True,
        )
        encryption = inputs.get("tokenEncryption")
        if isinstance(encryption, Mapping):
            failures += one_of(
                encryption.get("format"), "tokenEncryption.format", ("compact-nested-jwe",), ignore_case=True
            )
        pop = inputs.get("proofOfPossession")
        if isinstance(pop, Mapping):
            failures += one_of(
                pop.get("mechanism"), "proofOfPossession.mechanism", ("mtls", "dpop"), ignore_case=True
            )
        failures += check_blocks(inputs)
        failures += one_of(
            inputs.get("consentPolicy"),
            "consentPolicy",
            ("transactional-authorization-with-mfa", "null"),
            ignore_case=True,
        )
        secret = inputs.get("signingSecret")
        if isinstance(secret, str) and len(secret) < 16:
            failures.append(("signingSecret", "signingSecret must be at least 16 characters"))
        return failures

    async def create(self, api: ManagementClient, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """POST the API, then read it."""
        created = await api.post("resource-servers", server_body(self.fields, inputs))
        resource_id = str(created["id"])
        return await self.read_after_create(api, resource_id, inputs)

    async def read(
        self, api: ManagementClient, resource_id: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """GET /resource-servers/{id}."""
        obj = await api.find(path("resource-servers", resource_id))
        if obj is None:
            return None
        outputs = fields_from_api(self.fields, obj)
        outputs.setdefault("isSystem", False)
        if obj.get("id"):
            outputs[ID_KEY] = str(
                obj["id"]
            )  # upstream sets the id to the API's id, also after an import by identifier
        return outputs

    async def update(
        self, api: ManagementClient, resource_id: str, olds: Mapping[str, Any], news: dict[str, Any]
    ) -> dict[str, Any]:
        """PATCH the whole configuration, PATCH each nullable property switched off to null, wait, read."""
        await api.patch(path("resource-servers", resource_id), server_body(self.fields, news, olds))
        for nulls in null_patches(olds, news):
            await api.patch(path("resource-servers", resource_id), nulls)
        await asyncio.sleep(self.update_settle_seconds)
        outputs = await self.read(api, resource_id, news)
        if outputs is None:
            raise Auth0NotFound(404, "Not Found", f"API {resource_id} is gone", "GET", "resource-servers")
        return outputs

    async def delete(self, api: ManagementClient, resource_id: str, outputs: Mapping[str, Any]) -> None:
        """DELETE /resource-servers/{id} unless it is the Auth0 Management API (by name, as upstream)."""
        if outputs.get("name") == MANAGEMENT_API_NAME:
            return
        await api.delete_if_present(path("resource-servers", resource_id))


class ResourceServerScopes(ResourceType):
    """The complete scope list of one API."""

    pulumi_type: ClassVar[str] = "auth0:index/resourceServerScopes:ResourceServerScopes"
    fields: ClassVar[tuple[Field, ...]] = (
        Field("resourceServerIdentifier", replace=True),
        Field("scopes", unordered=True),
    )

    def check(self, inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
        """Each scope needs a `name` (Required in upstream's set element)."""
        return required(inputs, "scopes[].name")

    async def create(self, api: ManagementClient, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Take ownership of the API's (empty) scope list and set it."""
        identifier = str(inputs["resourceServerIdentifier"])
        existing = await api.get(path("resource-servers", identifier))
        wanted = _api_scopes(inputs.get("scopes") or [])
        current = existing.get("scopes") or []
        if current and _scope_set(current) != _scope_set(wanted):
            raise ProviderError(
                f"Resource Server with non empty scopes: {identifier} already has scopes; "
                "import it with `pulumi import auth0:index/resourceServerScopes:ResourceServerScopes "
                f"<name> {identifier}` or remove them first"
            )
        try:
            return identifier, await self._set(api, identifier, wanted)
        except Auth0Error as exc:
            raise PartialCreate(identifier, dict(inputs), exc) from exc

    async def read(
        self, api: ManagementClient, resource_id: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """GET the API and report its identifier and scopes."""
        obj = await api.find(path("resource-servers", resource_id))
        return None if obj is None else _scopes_outputs(obj, resource_id)

    async def update(
        self, api: ManagementClient, resource_id: str, olds: Mapping[str, Any], news: dict[str, Any]
    ) -> dict[str, Any]:
        """PATCH the full list, then read."""
        return await self._set(api, resource_id, _api_scopes(news.get("scopes") or []))

    async def delete(self, api: ManagementClient, resource_id: str, outputs: Mapping[str, Any]) -> None:
        """PATCH an empty list."""
        try:
            await api.patch(path("resource-servers", resource_id), {"scopes": []})
        except Auth0NotFound:
            return

    async def _set(
        self, api: ManagementClient, identifier: str, scopes: list[dict[str, str]]
    ) -> dict[str, Any]:
        await api.patch(path("resource-servers", identifier), {"scopes": scopes})
        obj = await api.get(path("resource-servers", identifier))
        return _scopes_outputs(obj, identifier)


def _api_scopes(scopes: list[Mapping[str, Any]]) -> list[dict[str, str]]:
    result = []
    for scope in scopes:
        item = {"value": str(scope["name"])}
        if scope.get("description") is not None:  # upstream sends "" when the program gives ""
            item["description"] = str(scope["description"])
        result.append(item)
    return result


def _scope_set(scopes: Sequence[Mapping[str, Any]]) -> set[tuple[str, str]]:
    return {(str(s.get("value")), str(s.get("description") or "")) for s in scopes}


def _scopes_outputs(obj: Mapping[str, Any], resource_id: str) -> dict[str, Any]:
    scopes = []
    for scope in obj.get("scopes") or []:
        item = {"name": scope.get("value")}
        if scope.get("description"):
            item["description"] = scope["description"]
        scopes.append(item)
    return {"resourceServerIdentifier": obj.get("identifier", resource_id), "scopes": scopes}
