"""Recover a stack after an interrupted run: clear the stale lock and settle every pending create.

When the `pulumi` process dies in the middle of an `up` (SIGKILL, a cancelled CI job, a lost
runner), the file backend keeps two traces (checked with CLI v3.274.1):

- the stack's lock file (`.pulumi/locks/...`): every later `up`/`refresh` stops with "the stack is
  currently locked"; `pulumi cancel` (the Automation API's `Stack.cancel()`) removes it, on a
  file:// or cloud-storage backend as on Pulumi Cloud;
- `pending_operations` of type `creating`: the engine asked the provider to create an object and
  never heard back. The object may or may not exist in the tenant. A plain `up` drops these with a
  warning and creates them again, which duplicates every app that did get created (Auth0 client
  names are not unique); `refresh --clear-pending-creates` drops them and orphans those objects.
  `refresh --import-pending-creates URN ID` wants the ids, which only the tenant knows.

A kill can also land while the file backend writes a checkpoint's metadata sidecar
(`<stack>.json.attrs`, gocloud's fileblob): the sidecar is left empty and every command fails with
"failed to load checkpoint: EOF". `clear_torn_attributes` removes such empty sidecars (an absent one
means "no attributes"; the checkpoint itself is written to a temp file and renamed, so it is whole).

`recover_stack` settles each pending create against the tenant: it looks the object up by what
identifies it (an app by name and description among apps the state does not know yet; an API by
identifier; an organization by name; a grant by app and audience; an organization link by both ids),
records the found id as a resource in the state (`stack import`), drops the creates that never
reached the tenant, then refreshes so the adopted objects' outputs are read. The next `up` then
converges with no duplicate and no orphan. Other pending operations (updates, deletes) are dropped
too: the refresh reads the truth for those resources.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

import httpx

from auth0_m2m.consumers import Deployer, RateLimiter, RetryPolicy
from auth0_m2m.consumers._ratelimit import PacedTransport
from auth0_m2m.consumers._rotate import management_token
from auth0_m2m.consumers._token import tls_context

CLIENT = "auth0:index/client:Client"
CLIENT_CREDENTIALS = "auth0:index/clientCredentials:ClientCredentials"
CLIENT_GRANT = "auth0:index/clientGrant:ClientGrant"
RESOURCE_SERVER = "auth0:index/resourceServer:ResourceServer"
RESOURCE_SERVER_SCOPES = "auth0:index/resourceServerScopes:ResourceServerScopes"
ORGANIZATION = "auth0:index/organization:Organization"
ORGANIZATION_CLIENT_GRANT = "auth0:index/organizationClientGrant:OrganizationClientGrant"


class RecoveryError(Exception):
    """The stack could not be recovered automatically; the message says what to check by hand."""


@dataclass(frozen=True)
class Resolution:
    """What happened to one pending operation."""

    urn: str
    type: str
    operation: str
    """The pending operation's kind: `creating`, `updating`, `deleting`, ..."""
    found_id: str | None
    """The id of the object found in the tenant (now in the state), or None (dropped)."""

    @property
    def line(self) -> str:
        """One line for the terminal, e.g. `imported i00-client (auth0:index/client:Client) as xM0m...`."""
        name = self.urn.rsplit("::", 1)[-1]
        if self.found_id is not None:
            return f"adopted {name} ({self.type}): it was created before the interruption, id {self.found_id}"
        if self.operation == "creating":
            return f"dropped {name} ({self.type}): not in the tenant; `up` creates it"
        return f"dropped pending {self.operation} of {name} ({self.type}): refresh reads its state"


@dataclass
class TenantObjects:
    """The tenant's objects that pending creates are matched against (read once per recovery)."""

    clients: list[dict[str, Any]] = field(default_factory=list)
    resource_servers: list[dict[str, Any]] = field(default_factory=list)
    grants: list[dict[str, Any]] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    organization_grants: dict[str, set[str]] = field(default_factory=dict)
    """Organization id → ids of the client grants linked to it."""


class Lookup(Protocol):
    """Reads the tenant's objects (`fetch_tenant_objects` over the Management API, or a test double)."""

    def __call__(self) -> TenantObjects:
        """Every client, API, grant and organization of the tenant, and each organization's links."""
        ...


def _matches(op_resource: Mapping[str, Any], objects: TenantObjects, known: set[str]) -> list[str]:
    kind = str(op_resource.get("type"))
    inputs: Mapping[str, Any] = op_resource.get("inputs") or {}
    if kind == CLIENT:
        return [
            str(c["client_id"])
            for c in objects.clients
            if c.get("name") == inputs.get("name")
            and (c.get("description") or "") == (inputs.get("description") or "")
            and str(c["client_id"]) not in known
        ]
    if kind == RESOURCE_SERVER:
        return [
            str(r["id"]) for r in objects.resource_servers if r.get("identifier") == inputs.get("identifier")
        ]
    if kind == RESOURCE_SERVER_SCOPES:
        identifier = inputs.get("resourceServerIdentifier")
        return (
            [str(identifier)]
            if any(r.get("identifier") == identifier for r in objects.resource_servers)
            else []
        )
    if kind == ORGANIZATION:
        return [str(o["id"]) for o in objects.organizations if o.get("name") == inputs.get("name")]
    if kind == CLIENT_GRANT:
        return [
            str(g["id"])
            for g in objects.grants
            if g.get("client_id") == inputs.get("clientId") and g.get("audience") == inputs.get("audience")
        ]
    if kind == CLIENT_CREDENTIALS:
        client_id = inputs.get("clientId")
        return [str(client_id)] if any(c.get("client_id") == client_id for c in objects.clients) else []
    if kind == ORGANIZATION_CLIENT_GRANT:
        org, grant = str(inputs.get("organizationId")), str(inputs.get("grantId"))
        return [f"{org}::{grant}"] if grant in objects.organization_grants.get(org, set()) else []
    raise RecoveryError(
        f"{op_resource.get('urn')}: no rule to find a {kind} in the tenant; settle it by hand"
    )


def settle_pending(
    deployment: Mapping[str, Any], objects: TenantObjects
) -> tuple[dict[str, Any], list[Resolution]]:
    """A copy of `deployment` with every pending operation settled against `objects` (no I/O).

    A pending create whose object exists becomes a resource with that id (outputs are read by the
    refresh that follows); the others (component resources included: they have no object in the
    tenant and the next `up` registers them again), and every other pending operation, are dropped.
    """
    resources: list[dict[str, Any]] = [dict(r) for r in deployment.get("resources") or []]
    known = {str(r["id"]) for r in resources if r.get("id")}
    resolutions: list[Resolution] = []
    for op in deployment.get("pending_operations") or []:
        resource: Mapping[str, Any] = op.get("resource") or {}
        kind, urn, operation = str(resource.get("type")), str(resource.get("urn")), str(op.get("type"))
        found: str | None = None
        if operation == "creating" and resource.get("custom", True):
            ids = _matches(resource, objects, known)
            if len(ids) > 1:
                raise RecoveryError(
                    f"{urn}: {len(ids)} objects in the tenant could be the one the interrupted run created "
                    f"({', '.join(ids)}); delete the extra ones, then run recover again"
                )
            if ids:
                found = ids[0]
                known.add(found)
                resources.append({**resource, "id": found, "outputs": dict(resource.get("outputs") or {})})
        resolutions.append(Resolution(urn, kind, operation, found))
    settled = {**deployment, "resources": resources, "pending_operations": []}
    return settled, resolutions


def _dumps(items: Sequence[Any]) -> list[dict[str, Any]]:
    return [item.model_dump() for item in items]


def fetch_tenant_objects(
    deployer: Deployer, *, limiter: RateLimiter | None = None, policy: RetryPolicy | None = None
) -> TenantObjects:
    """Read the tenant's objects as the deployer, paced and retried like every Management call of ours."""
    from auth0.management import ManagementClient

    transport = PacedTransport(
        limiter or RateLimiter(),
        policy or RetryPolicy(max_tries=6),
        verify=tls_context(deployer.ca_file),
    )
    no_retry: Any = {"max_retries": 0}
    with httpx.Client(transport=transport, timeout=30) as http:
        token = management_token(deployer, client=http).get_secret_value()
        api = ManagementClient(domain=deployer.domain, token=token, httpx_client=http)
        objects = TenantObjects(
            clients=_dumps(list(api.clients.list(per_page=100, request_options=no_retry))),
            resource_servers=_dumps(list(api.resource_servers.list(per_page=100, request_options=no_retry))),
            grants=_dumps(list(api.client_grants.list(take=100, request_options=no_retry))),
            organizations=_dumps(list(api.organizations.list(take=100, request_options=no_retry))),
        )
        for org in objects.organizations:
            links = api.organizations.client_grants.list(org["id"], per_page=100, request_options=no_retry)
            objects.organization_grants[str(org["id"])] = {str(g.id) for g in links if g.id}
    return objects


class RecoverableStack(Protocol):
    """What recovery needs of an Automation API stack (`pulumi.automation.Stack` fits)."""

    @property
    def name(self) -> str:
        """The stack's name."""
        ...

    def cancel(self) -> None:
        """Remove the lock of an update that is not running any more."""
        ...

    def export_stack(self) -> Any:
        """The stack's deployment (`.version`, `.deployment`)."""
        ...

    def import_stack(self, state: Any) -> None:
        """Replace the stack's deployment."""
        ...

    def refresh(self, *, color: str, on_output: Any) -> Any:
        """Read every resource's state from the tenant."""
        ...


def clear_torn_attributes(backend_url: str | None, project: str, stack: str) -> list[Path]:
    """Remove the empty metadata sidecars a killed write left for `stack` in a file:// backend."""
    if not backend_url or not backend_url.startswith("file://"):
        return []
    folder = Path(unquote(urlparse(backend_url).path)) / ".pulumi" / "stacks" / project
    torn = [p for p in sorted(folder.glob(f"{stack}.json*.attrs")) if p.stat().st_size == 0]
    for path in torn:
        path.unlink()
    return torn


def recover_stack(
    stack: RecoverableStack,
    lookup: Lookup,
    *,
    on_output: Callable[[str], None] | None = None,
) -> list[Resolution]:
    """Unlock `stack`, settle its pending operations against the tenant and refresh it.

    Run it only when no `up` of the stack is running any more (it removes the lock). Afterwards
    `up` converges. Raises RecoveryError when a pending create matches several tenant objects.
    A torn metadata file must be cleared first (`clear_torn_attributes`): the stack cannot be
    opened before.
    """
    from pulumi import automation as auto

    try:
        stack.cancel()
    except auto.errors.CommandError as exc:  # nothing to cancel is not a problem
        if "no update" not in str(exc).lower() and "not currently" not in str(exc).lower():
            raise RecoveryError(f"`pulumi cancel` of stack {stack.name!r} failed: {_last(exc)}") from None
    exported = stack.export_stack()
    pending = exported.deployment.get("pending_operations") or []
    resolutions: list[Resolution] = []
    if pending:
        settled, resolutions = settle_pending(exported.deployment, lookup())
        stack.import_stack(auto.Deployment(version=exported.version, deployment=settled))
    stack.refresh(color="never", on_output=on_output)
    return resolutions


def _last(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[-1] if lines else type(exc).__name__
