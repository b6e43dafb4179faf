"""`auth0:index/organization:Organization` and `.../organizationClientGrant:OrganizationClientGrant`.

Organization (id `org_…`), as upstream (`auth0-facts.md`, section 7; `organization/expand.go`):
`POST /organizations` then `GET /organizations/{id}`; update `PATCH` the whole configuration
(`metadata` only when it changed), then `PATCH {"token_quota": null}` when the program drops
or empties `tokenQuota` (the only field upstream nulls: dropping `displayName` or `branding`
sends nothing), `GET`; delete `DELETE /organizations/{id}`.

OrganizationClientGrant (id `<org_id>::<grant_id>`, no update: both fields replace), as
upstream (section 8): `POST /organizations/{org}/client-grants {"grant_id"}`; read scans the
first page of `GET /organizations/{org}/client-grants?include_totals=true&per_page=50` (an
envelope) for the grant, so an association missing right after create fails the create;
delete `DELETE /organizations/{org}/client-grants/{grant}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from auth0_m2m.provider._client import ManagementClient, path
from auth0_m2m.provider._exceptions import Auth0NotFound, ProviderError
from auth0_m2m.provider._resources._base import Field, ResourceType, fields_from_api, fields_to_api
from auth0_m2m.provider._resources.client_body import token_quota_empty
from auth0_m2m.provider._resources.client_checks import check_more, nested_defaults


class Organization(ResourceType):
    """An Auth0 organization."""

    pulumi_type: ClassVar[str] = "auth0:index/organization:Organization"
    autoname: ClassVar[bool] = True
    fields: ClassVar[tuple[Field, ...]] = (
        Field("name", computed=True),
        Field("displayName"),
        Field("metadata", opaque=frozenset({""})),
        Field("branding", computed=True, opaque=frozenset({"colors"})),
        Field("tokenQuota"),
    )

    def fill_defaults(self, inputs: dict[str, Any]) -> list[str]:
        """`tokenQuota.clientCredentials.enforce` defaults to true (upstream nested schema default)."""
        nested_defaults(inputs)
        return []

    def check(self, inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
        """`tokenQuota` per-day/per-hour limits are 1..2^31-1 (upstream `commons/token_quota.go`)."""
        return check_more({"tokenQuota": inputs.get("tokenQuota")})

    async def create(self, api: ManagementClient, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """POST the organization, then read it."""
        created = await api.post("organizations", fields_to_api(self.fields, inputs))
        org_id = str(created["id"])
        return await self.read_after_create(api, org_id, inputs)

    async def read(
        self, api: ManagementClient, resource_id: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """GET /organizations/{id}."""
        obj = await api.find(path("organizations", resource_id))
        return None if obj is None else fields_from_api(self.fields, obj)

    async def update(
        self, api: ManagementClient, resource_id: str, olds: Mapping[str, Any], news: dict[str, Any]
    ) -> dict[str, Any]:
        """PATCH the whole configuration (metadata only when changed), then `token_quota: null` if dropped."""
        inputs = dict(news)
        if olds.get("metadata") == news.get("metadata"):
            inputs.pop("metadata", None)
        await api.patch(path("organizations", resource_id), fields_to_api(self.fields, inputs))
        if olds.get("tokenQuota") != news.get("tokenQuota") and token_quota_empty(news.get("tokenQuota")):
            await api.patch(path("organizations", resource_id), {"token_quota": None})
        outputs = await self.read(api, resource_id, news)
        if outputs is None:
            raise Auth0NotFound(
                404, "Not Found", f"organization {resource_id} is gone", "GET", "organizations"
            )
        return outputs

    async def delete(self, api: ManagementClient, resource_id: str, outputs: Mapping[str, Any]) -> None:
        """DELETE /organizations/{id}."""
        await api.delete_if_present(path("organizations", resource_id))


class OrganizationClientGrant(ResourceType):
    """The association of a client grant with an organization."""

    pulumi_type: ClassVar[str] = "auth0:index/organizationClientGrant:OrganizationClientGrant"
    fields: ClassVar[tuple[Field, ...]] = (
        Field("organizationId", replace=True),
        Field("grantId", replace=True),
    )

    async def create(self, api: ManagementClient, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """POST the association, then find it on the first page of the organization's grants."""
        org_id, grant_id = str(inputs["organizationId"]), str(inputs["grantId"])
        await api.post(path("organizations", org_id, "client-grants"), {"grant_id": grant_id})
        resource_id = f"{org_id}::{grant_id}"
        outputs = await self.read(api, resource_id, inputs)
        if outputs is None:
            raise ProviderError(
                f"grant {grant_id} is not listed on the first page of organization {org_id}'s client grants "
                "right after it was associated"
            )
        return resource_id, outputs

    async def read(
        self, api: ManagementClient, resource_id: str, inputs: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """Scan the first page of the organization's client grants for the grant."""
        org_id, grant_id = split_id(resource_id)
        try:
            listing = await api.get(
                path("organizations", org_id, "client-grants"), {"include_totals": "true", "per_page": "50"}
            )
        except Auth0NotFound:
            return None
        if not any(g.get("id") == grant_id for g in listing.get("client_grants", [])):
            return None
        return {"organizationId": org_id, "grantId": grant_id}

    async def update(
        self, api: ManagementClient, resource_id: str, olds: Mapping[str, Any], news: dict[str, Any]
    ) -> dict[str, Any]:
        """Never called: every field replaces the association."""
        raise ProviderError("OrganizationClientGrant has no update: changing a field replaces it")

    async def delete(self, api: ManagementClient, resource_id: str, outputs: Mapping[str, Any]) -> None:
        """DELETE /organizations/{org}/client-grants/{grant}."""
        org_id, grant_id = split_id(resource_id)
        try:
            await api.delete(path("organizations", org_id, "client-grants", grant_id))
        except Auth0NotFound:
            return


def split_id(resource_id: str) -> tuple[str, str]:
    """`org_…::cgr_…` → (`org_…`, `cgr_…`); a bad id names the expected form."""
    org_id, sep, grant_id = resource_id.partition("::")
    if not sep or not org_id or not grant_id:
        raise ProviderError(f"OrganizationClientGrant id {resource_id!r} must look like <org_id>::<grant_id>")
    return org_id, grant_id
