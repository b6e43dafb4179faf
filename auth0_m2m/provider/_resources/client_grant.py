"""`auth0:index/clientGrant:ClientGrant` over `/api/v2/client-grants`.

Calls, as upstream (`auth0-facts.md`, section 6):
- create: `GET /client-grants?audience=&client_id=&include_totals=true&per_page=50` (an envelope
  `{"client_grants": [...]}`); the first grant listed is adopted, whatever its `subject_type`
  (v1.39.1; matching on `subject_type` came in v1.53), instead of a `POST /client-grants` with
  `scope` (the API key is singular) and the fields the program sets; then `GET /client-grants/{id}`.
  One addition: an adopted grant whose scopes or organization settings differ from the
  program's is `PATCH`ed to match, because this provider diffs inputs, and the difference
  would otherwise stay hidden until a refresh.
- update: `PATCH {"allow_all_scopes": false, "scope": []}` first when `allowAllScopes` is
  switched off, then `PATCH` the changed fields (skipped when empty), then `GET`.
- delete: `DELETE /client-grants/{id}` (404 = already gone).
`clientId`, `audience` and `subjectType` replace the grant; the new one is created first (the
bridge asks for delete-before-replace only for types with a name). `scopes` is a list upstream
(v1.39.1 `TypeList`): reordering it is an update.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from auth0_m2m.provider._client import ManagementClient, path
from auth0_m2m.provider._exceptions import Auth0NotFound
from auth0_m2m.provider._resources._base import Field, ResourceType, fields_from_api, fields_to_api, one_of

_MUTABLE = (
    "scopes",
    "allowAnyOrganization",
    "organizationUsage",
    "authorizationDetailsTypes",
    "allowAllScopes",
)


class ClientGrant(ResourceType):
    """A client's permission to get tokens for one API."""

    pulumi_type: ClassVar[str] = "auth0:index/clientGrant:ClientGrant"
    fields: ClassVar[tuple[Field, ...]] = (
        Field("clientId", replace=True),
        Field("audience", replace=True),
        Field("scopes", api="scope"),
        Field("allowAllScopes"),
        Field("organizationUsage"),
        Field("allowAnyOrganization"),
        Field("subjectType", replace=True, computed=True),
        Field("authorizationDetailsTypes"),
        Field("isSystem", output_only=True),
    )

    def check(self, inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
        """`scopes` or `allowAllScopes`, not both; organizationUsage is deny|allow|require."""
        failures = []
        if inputs.get("scopes") is None and not inputs.get("allowAllScopes"):
            failures.append(("scopes", "scopes is required unless allowAllScopes is true"))
        if inputs.get("scopes") is not None and inputs.get("allowAllScopes") is True:
            failures.append(("scopes", "scopes cannot be set when allowAllScopes is true"))
        for key in ("scopes", "authorizationDetailsTypes"):  # upstream: StringIsNotEmpty per element
            items = inputs.get(key)
            if isinstance(items, list) and any(item == "" for item in items):
                failures.append((key, f"{key} must not hold an empty string"))
        # Upstream validates both case-insensitively (StringInSlice(..., true)).
        failures += one_of(
            inputs.get("organizationUsage"),
            "organizationUsage",
            ("allow", "deny", "require"),
            ignore_case=True,
        )
        failures += one_of(inputs.get("subjectType"), "subjectType", ("client", "user"), ignore_case=True)
        return failures

    async def create(self, api: ManagementClient, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Adopt a matching grant or POST a new one, then read it."""
        listing = await api.get(
            "client-grants",
            {
                "audience": str(inputs["audience"]),
                "client_id": str(inputs["clientId"]),
                "include_totals": "true",
                "per_page": "50",
            },
        )
        grants = listing.get("client_grants") or []
        adopted = grants[0] if grants else None
        if adopted is None:
            created = await api.post("client-grants", fields_to_api(self.fields, inputs))
            grant_id = str(created["id"])
        else:
            grant_id = str(adopted["id"])
            differing = {k for k in _MUTABLE if k in inputs and self.outputs(adopted).get(k) != inputs[k]}
            body = fields_to_api(self.fields, inputs, differing)
            if body:
                await api.patch(path("client-grants", grant_id), body)
        return await self.read_after_create(api, grant_id, inputs)

    async def read(
        self, api: ManagementClient, resource_id: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """GET /client-grants/{id}."""
        obj = await api.find(path("client-grants", resource_id))
        return None if obj is None else self.outputs(obj)

    async def update(
        self, api: ManagementClient, resource_id: str, olds: Mapping[str, Any], news: dict[str, Any]
    ) -> dict[str, Any]:
        """PATCH (after switching allowAllScopes off, if needed), then read."""
        if olds.get("allowAllScopes") and not news.get("allowAllScopes"):
            await api.patch(path("client-grants", resource_id), {"allow_all_scopes": False, "scope": []})
        changed, _ = self.changed_keys(olds, news)
        body = fields_to_api(self.fields, news, changed & set(_MUTABLE))  # a dropped field is not sent
        if body:
            await api.patch(path("client-grants", resource_id), body)
        outputs = await self.read(api, resource_id, news)
        if outputs is None:
            raise Auth0NotFound(404, "Not Found", f"grant {resource_id} is gone", "GET", "client-grants")
        return outputs

    async def delete(self, api: ManagementClient, resource_id: str, outputs: Mapping[str, Any]) -> None:
        """DELETE /client-grants/{id}."""
        await api.delete_if_present(path("client-grants", resource_id))

    def outputs(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        """Pulumi outputs from an API grant (`scope` is not kept when all scopes are allowed)."""
        outputs = fields_from_api(self.fields, obj)
        if obj.get("allow_all_scopes"):
            outputs.pop("scopes", None)
        outputs.setdefault("subjectType", "client")
        outputs.setdefault("isSystem", False)
        return outputs
