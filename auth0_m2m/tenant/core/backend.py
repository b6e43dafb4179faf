"""The tenant: every family's backend over one store, the bootstrap client, reset, seed and dump.

`Tenant` wires the families together (deleting a client or an API deletes its grants; deleting a grant
or an organization removes associations), keeps the system Management API resource server at
`https://{domain}/api/v2/` (moved when the tenant is served on another port), and keeps a bootstrap
management client (all Management scopes, granted to the Management API) whose credentials survive
restarts and resets.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auth0_m2m.tenant.client_grants.models import ClientGrantBackend
from auth0_m2m.tenant.clients.credentials import KIND as CREDENTIAL_KIND
from auth0_m2m.tenant.clients.models import ClientBackend
from auth0_m2m.tenant.core.faults import FaultInjector, FaultSpec
from auth0_m2m.tenant.core.keys import SigningKey
from auth0_m2m.tenant.core.ratelimit import RateLimit, RateLimiter
from auth0_m2m.tenant.core.stats import Stats
from auth0_m2m.tenant.core.store import Store
from auth0_m2m.tenant.core.tls import write_private
from auth0_m2m.tenant.core.validation import payload_error
from auth0_m2m.tenant.oauth.models import TokenIssuer
from auth0_m2m.tenant.organizations.models import ASSOCIATION, OrganizationBackend
from auth0_m2m.tenant.resource_servers.models import MANAGEMENT_API_SCOPES, ResourceServerBackend

BOOTSTRAP_CLIENT_NAME = "auth0-m2m local deployer"
BOOTSTRAP_FILE = "bootstrap-client.json"
_REDACTED = "<redacted>"


class Tenant:
    """One local Auth0 tenant."""

    def __init__(
        self,
        store: Store,
        signing_key: SigningKey,
        domain: str,
        *,
        state_dir: Path | None = None,
        rate_limit: RateLimit | None = None,
        faults: FaultSpec | None = None,
    ) -> None:
        self.store = store
        self.signing_key = signing_key
        self.state_dir = state_dir
        self.domain = domain
        self.clients = ClientBackend(store)
        self.resource_servers = ResourceServerBackend(store)
        self.client_grants = ClientGrantBackend(store, self.clients, self.resource_servers)
        self.organizations = OrganizationBackend(store, self.client_grants)
        self.token_issuer = TokenIssuer(self)
        self.clients.on_delete.append(self.client_grants.delete_for_client)
        self.resource_servers.on_delete.append(self.client_grants.delete_for_resource_server)
        self.client_grants.on_delete.append(self.organizations.delete_for_grant)
        self.rate_limiter = RateLimiter(rate_limit)
        self.faults = FaultInjector(faults)
        self.stats = Stats()
        self.set_domain(domain)

    @property
    def issuer(self) -> str:
        """`https://{domain}/`, the `iss` of every token."""
        return f"https://{self.domain}/"

    @property
    def management_audience(self) -> str:
        """`https://{domain}/api/v2/`, the Management API audience (port included)."""
        return f"https://{self.domain}/api/v2/"

    @property
    def bootstrap_client_id(self) -> str | None:
        """The bootstrap management client's id."""
        return self.store.get_meta("bootstrap_client_id")

    def bootstrap_credentials(self) -> tuple[str, str]:
        """(client_id, client_secret) of the bootstrap client, as stored now."""
        client = self.clients.get(self.bootstrap_client_id or "")
        return client["client_id"], client["client_secret"]

    def set_domain(self, domain: str) -> None:
        """Serve as `domain`: move the Management API identifier and its grants, ensure the bootstrap."""
        with self.store.transaction():
            old = self.resource_servers.system_identifier()
            self.domain = domain
            self.resource_servers.ensure_system(self.management_audience)
            if old is not None and old != self.management_audience:
                self.client_grants.move_audience(old, self.management_audience)
            self.store.set_meta("domain", domain)
            self._ensure_bootstrap()

    def _ensure_bootstrap(self, fixed: tuple[str, str] | None = None) -> None:
        client_id = self.bootstrap_client_id
        if client_id is None or self.clients.find(client_id) is None:
            body: dict[str, Any] = {
                "name": BOOTSTRAP_CLIENT_NAME,
                "description": "Bootstrap Management API client of the local tenant",
                "app_type": "non_interactive",
                "grant_types": ["client_credentials"],
                "token_endpoint_auth_method": "client_secret_post",
            }
            if fixed is not None:
                body.update(client_id=fixed[0], client_secret=fixed[1])
            client_id = self.clients.create(body, allow_fixed=True)["client_id"]
            self.store.set_meta("bootstrap_client_id", client_id)
        if self.client_grants.find_for(client_id, self.management_audience) is None:
            self.client_grants.create(
                {
                    "client_id": client_id,
                    "audience": self.management_audience,
                    "scope": list(MANAGEMENT_API_SCOPES),
                }
            )
        self.write_bootstrap_file()

    def write_bootstrap_file(self) -> None:
        """Keep the bootstrap credentials in the state dir (0600) for people and scripts."""
        if self.state_dir is None:
            return
        client_id, secret = self.bootstrap_credentials()
        data = {"domain": self.domain, "client_id": client_id, "client_secret": secret}
        write_private(self.state_dir / BOOTSTRAP_FILE, (json.dumps(data, indent=2) + "\n").encode())

    def reset(self) -> None:
        """Forget every object except the Management API and the bootstrap client (same credentials)."""
        with self.store.transaction():
            fixed = self.bootstrap_credentials() if self.bootstrap_client_id else None
            self.store.clear()
            self.resource_servers.ensure_system(self.management_audience)
            self._ensure_bootstrap(fixed)

    def seed(self, data: dict[str, Any]) -> dict[str, Any]:
        """Create objects from JSON in one transaction (all or nothing); see `core.control`."""
        created: dict[str, list[dict[str, Any]]] = {
            "resource_servers": [],
            "clients": [],
            "organizations": [],
            "client_grants": [],
        }
        with self.store.transaction():
            for body in data.get("resource_servers", []):
                created["resource_servers"].append(self.resource_servers.create(dict(body)))
            for body in data.get("clients", []):
                created["clients"].append(self.clients.create(dict(body), allow_fixed=True))
            for body in data.get("organizations", []):
                created["organizations"].append(self.organizations.create(dict(body)))
            for body in data.get("client_grants", []):
                body = dict(body)
                orgs = body.pop("organizations", [])
                if "client_name" in body:
                    name = body.pop("client_name")
                    match = [c for c in self.clients.list() if c.get("name") == name]
                    if not match:
                        raise payload_error(f"no client named {name!r}", "client_name")
                    body["client_id"] = match[0]["client_id"]
                grant = self.client_grants.create(body)
                for ref in orgs:
                    org = self.organizations.find(ref) or self.organizations.get_by_name(ref)
                    self.organizations.associate(org["id"], grant["id"])
                created["client_grants"].append(grant)
        return created

    def dump(self) -> dict[str, Any]:
        """Every object, with client secrets and API signing secrets redacted."""
        clients = [
            {**c, "client_secret": _REDACTED} if "client_secret" in c else c for c in self.clients.list()
        ]
        apis = [
            {**rs, "signing_secret": _REDACTED} if "signing_secret" in rs else rs
            for rs in self.resource_servers.list()
        ]
        return {
            "domain": self.domain,
            "bootstrap_client_id": self.bootstrap_client_id,
            "clients": clients,
            "client_credentials": self.store.list(CREDENTIAL_KIND),
            "resource_servers": apis,
            "client_grants": self.client_grants.list(),
            "organizations": self.organizations.list(),
            "organization_client_grants": self.store.list(ASSOCIATION),
        }
