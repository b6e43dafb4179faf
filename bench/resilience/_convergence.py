"""Did a run converge? The tenant's objects compared with the stack's state and the expected counts.

`TenantInventory.read` lists what exists in the tenant through auth0-python (the bootstrap client,
its grant and the Management API left out); `state_ids` reads the ids a stack's state holds, by
kind. `compare` then names every duplicate (two apps with one name, two grants for one app and
audience), orphan (in the tenant, not in the state) and missing object (in the state, not in the
tenant), and the counts the scenario expected.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from auth0.management import ManagementClient

from auth0_m2m.recovery import CLIENT, CLIENT_GRANT, ORGANIZATION, ORGANIZATION_CLIENT_GRANT, RESOURCE_SERVER

KINDS = ("clients", "grants", "apis", "organizations", "organization_links")
STATE_TYPES = {
    CLIENT: "clients",
    CLIENT_GRANT: "grants",
    RESOURCE_SERVER: "apis",
    ORGANIZATION: "organizations",
    ORGANIZATION_CLIENT_GRANT: "organization_links",
}


@dataclass(frozen=True)
class TenantInventory:
    """Ids (and identifying names) of the tenant's objects, by kind."""

    ids: dict[str, list[str]]
    names: dict[str, list[str]]
    """What identifies each object for a person: app names, `client_id audience` of grants, ..."""

    @classmethod
    def read(cls, mgmt: ManagementClient, bootstrap_client_id: str) -> TenantInventory:
        """List the tenant's objects, without its own."""
        clients = [c for c in mgmt.clients.list(per_page=100) if c.client_id != bootstrap_client_id]
        grants = [g for g in mgmt.client_grants.list(take=100) if g.client_id != bootstrap_client_id]
        apis = [r for r in mgmt.resource_servers.list(per_page=100) if not r.is_system]
        orgs = list(mgmt.organizations.list(take=100))
        links = [
            f"{org.id}::{g.id}"
            for org in orgs
            for g in mgmt.organizations.client_grants.list(str(org.id), per_page=100)
        ]
        return cls(
            ids={
                "clients": [str(c.client_id) for c in clients],
                "grants": [str(g.id) for g in grants],
                "apis": [str(r.id) for r in apis],
                "organizations": [str(o.id) for o in orgs],
                "organization_links": links,
            },
            names={
                "clients": [str(c.name) for c in clients],
                "grants": [f"{g.client_id} {g.audience}" for g in grants],
                "apis": [str(r.identifier) for r in apis],
                "organizations": [str(o.name) for o in orgs],
                "organization_links": links,
            },
        )

    def counts(self) -> dict[str, int]:
        """How many objects of each kind."""
        return {kind: len(self.ids[kind]) for kind in KINDS}


def state_ids(deployment: Mapping[str, Any]) -> dict[str, list[str]]:
    """The ids of the Auth0 objects a stack's state holds, by kind."""
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for resource in deployment.get("resources") or []:
        kind = STATE_TYPES.get(str(resource.get("type")))
        if kind is not None and resource.get("id"):
            found[kind].append(str(resource["id"]))
    return found


@dataclass(frozen=True)
class Convergence:
    """The comparison of the tenant with the state and the expected counts."""

    counts: dict[str, int]
    expected: dict[str, int]
    duplicates: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    pending: int = 0
    """Pending operations left in the state."""

    @property
    def ok(self) -> bool:
        """Exactly the expected objects, each once, all known to the state and nothing pending."""
        counts_ok = all(self.counts.get(kind) == n for kind, n in self.expected.items())
        return counts_ok and not (self.duplicates or self.orphans or self.missing or self.pending)

    def summary(self) -> str:
        """One line: counts, then each problem."""
        counts = " ".join(f"{kind}={self.counts.get(kind)}" for kind in KINDS)
        problems = [
            f"{label}: {', '.join(items)}"
            for label, items in (
                ("duplicates", self.duplicates),
                ("orphans", self.orphans),
                ("missing", self.missing),
            )
            if items
        ]
        wrong = [
            f"{kind} {self.counts.get(kind)} != {n}"
            for kind, n in self.expected.items()
            if self.counts.get(kind) != n
        ]
        pending = [f"{self.pending} pending operation(s)"] if self.pending else []
        return "; ".join([counts, *wrong, *problems, *pending])


def compare(
    inventory: TenantInventory, deployment: Mapping[str, Any], expected: Mapping[str, int]
) -> Convergence:
    """Compare the tenant with a stack's state and the expected number of objects of each kind."""
    in_state = state_ids(deployment)
    duplicates = [
        f"{kind} {name!r} x{count}"
        for kind in ("clients", "grants", "apis", "organizations")
        for name, count in Counter(inventory.names[kind]).items()
        if count > 1
    ]
    orphans = [f"{k} {i}" for k in KINDS for i in inventory.ids[k] if i not in set(in_state[k])]
    missing = [f"{k} {i}" for k in KINDS for i in in_state[k] if i not in set(inventory.ids[k])]
    return Convergence(
        counts=inventory.counts(),
        expected=dict(expected),
        duplicates=duplicates,
        orphans=orphans,
        missing=missing,
        pending=len(deployment.get("pending_operations") or []),
    )
