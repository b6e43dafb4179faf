"""Token issuance rules for the client-credentials grant (no HTTP).

A token is issued only when the client authenticates, with its current secret or (for a client with
`private_key_jwt` credentials, which may not use its secret) a client assertion (`assertions.py`), may use
`client_credentials`, names an existing API as `audience`, and has a client grant for it (or is the
bootstrap client asking for the Management API). `scope` is the granted scopes, or the requested subset;
asking for an ungranted scope is refused. `organization` (id or name; empty means none) is accepted only
when the grant's `organization_usage` is allow/require, must be associated with the grant unless
`allow_any_organization`, and is required when the usage is `require`; a client's
`default_organization` for `client_credentials` applies when none is sent. Tokens are RS256 JWTs with
`org_id` and `org_name` claims when an organization applies.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auth0_m2m.tenant.oauth.assertions import AssertionVerifier
from auth0_m2m.tenant.oauth.exceptions import (
    AccessDenied,
    InvalidClient,
    InvalidClientAssertion,
    InvalidRequest,
    UnauthorizedClient,
    UnsupportedGrantType,
)
from auth0_m2m.tenant.resource_servers.models import MANAGEMENT_API_SCOPES

if TYPE_CHECKING:
    from auth0_m2m.tenant.core.backend import Tenant


@dataclass(frozen=True)
class TokenRequest:
    """The parameters of a token request, after client authentication was extracted."""

    grant_type: str | None
    client_id: str | None
    client_secret: str | None
    audience: str | None
    scope: str | None = None
    organization: str | None = None
    client_assertion_type: str | None = None
    client_assertion: str | None = None


def _no_grant(audience: str) -> AccessDenied:
    return AccessDenied(
        f'Client is not authorized to access "{audience}". You need to create a "client-grant" associated '
        "to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants"
    )


class TokenIssuer:
    """Applies the rules above and signs the token."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        self.assertions = AssertionVerifier(tenant)

    def issue(self, req: TokenRequest) -> dict[str, Any]:
        """A token response `{access_token, scope, expires_in, token_type}` or an `OAuthError`."""
        t = self.tenant
        if not req.grant_type:
            raise InvalidRequest("Missing required parameter: grant_type")
        if req.grant_type != "client_credentials":
            raise UnsupportedGrantType(req.grant_type)
        client = self._authenticate(req)
        if client.get("token_endpoint_auth_method") == "none" or "client_credentials" not in client.get(
            "grant_types", []
        ):
            raise UnauthorizedClient()
        if not req.audience:
            raise AccessDenied(
                "No audience parameter was provided, and no default audience has been configured"
            )
        rs = t.resource_servers.find(req.audience)
        if rs is None or rs["identifier"] != req.audience:
            raise AccessDenied(f"Service not found: {req.audience}")
        grant = t.client_grants.find_for(client["client_id"], req.audience)
        if grant is not None:
            granted = (
                [s["value"] for s in rs.get("scopes", [])]
                if grant.get("allow_all_scopes")
                else grant["scope"]
            )
        elif client["client_id"] == t.bootstrap_client_id and rs.get("is_system"):
            granted = list(MANAGEMENT_API_SCOPES)
        else:
            raise _no_grant(req.audience)
        scopes = granted
        if req.scope:
            wanted = req.scope.split()
            missing = [s for s in wanted if s not in granted]
            if missing:
                raise AccessDenied(f"Client has not been granted scopes: {' '.join(missing)}")
            scopes = wanted
        claims: dict[str, Any] = self._organization_claims(client, grant, req.organization)
        now = int(time.time())
        lifetime = int(rs.get("token_lifetime", 86400))
        claims.update(
            {
                "iss": t.issuer,
                "sub": f"{client['client_id']}@clients",
                "aud": req.audience,
                "iat": now,
                "exp": now + lifetime,
                "azp": client["client_id"],
                "scope": " ".join(scopes),
                "gty": "client-credentials",
                "jti": secrets.token_hex(16),
            }
        )
        return {
            "access_token": t.signing_key.sign(claims),
            "scope": " ".join(scopes),
            "expires_in": lifetime,
            "token_type": "Bearer",
        }

    def _authenticate(self, req: TokenRequest) -> dict[str, Any]:
        if req.client_assertion is not None or req.client_assertion_type is not None:
            return self.assertions.authenticate(
                req.client_id,
                req.client_assertion_type,
                req.client_assertion or "",
                with_secret=req.client_secret is not None,
            )
        if not req.client_id:
            raise InvalidRequest("Missing required parameter: client_id")
        known = self.tenant.clients.find(req.client_id)
        if known is not None and self.tenant.clients.credential_backend.usable(known) is not None:
            raise InvalidClientAssertion(
                "The client authenticates with private_key_jwt: send a client_assertion, not a client_secret"
            )
        client = self.tenant.clients.authenticate(req.client_id, req.client_secret or "")
        if client is None:
            raise InvalidClient()
        return client

    def _organization_claims(
        self, client: dict[str, Any], grant: dict[str, Any] | None, requested: str | None
    ) -> dict[str, Any]:
        usage = (grant or {}).get("organization_usage", "deny")
        org_ref = requested or None
        if org_ref is None:
            default = client.get("default_organization") or {}
            if usage != "deny" and "client_credentials" in (default.get("flows") or []):
                org_ref = default.get("organization_id")
        if org_ref is None:
            if usage == "require":
                raise AccessDenied(
                    "An organization is required: the client grant's organization_usage is 'require'"
                )
            return {}
        if grant is None or usage == "deny":
            raise InvalidRequest(
                "The organization parameter is not allowed: the client grant's organization_usage is 'deny'"
            )
        orgs = self.tenant.organizations
        org = orgs.find(org_ref) or orgs.find_by_name(org_ref)
        if org is None:
            raise InvalidRequest(f"Invalid organization: {org_ref}")
        if not grant.get("allow_any_organization") and not orgs.is_associated(org["id"], grant["id"]):
            raise AccessDenied(f"The organization {org['name']} is not associated with the client grant")
        return {"org_id": org["id"], "org_name": org["name"]}
