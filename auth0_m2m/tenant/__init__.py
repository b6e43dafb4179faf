"""A local Auth0 tenant: the Management API subset and token endpoint the toolkit needs, over HTTPS.

Families (`clients`, `client_grants`, `resource_servers`, `organizations`, `oauth`) each hold
`models.py` (state and rules, no HTTP), `responses.py` (HTTP layer), `urls.py` (routes) and
`exceptions.py`; `core` holds the shared error base, SQLite store, app, auth guard, rate limiter,
fault injector, stats, control endpoints and the server. This package imports nothing else of ours.

Auth0 behaviours not emulated (known gaps):
- Only the client-credentials grant; no login flows, users, connections, roles, actions or logs.
- Private-key JWT is emulated (`/clients/{id}/credentials`, `client_authentication_methods`,
  `client_assertion` at `/oauth/token`: `clients/credentials.py`, `oauth/assertions.py`), except:
  mTLS (`x509_cert` / `cert_subject_dn` credentials, `tls_client_auth`, `self_signed_tls_client_auth`),
  `signed_request_object`, and `client_authentication_methods` in `POST /clients` (400: create the
  credentials, then PATCH the client). The cap of 2 private-key credentials applies to the ones a
  client lists, not to those merely created. A PATCH that leaves a client with both
  `token_endpoint_auth_method` and `client_authentication_methods` set, or with neither, is 400
  (inferred from upstream's calls; Auth0's exact rule and wording are unverified), so switching back to
  a secret means nulling `client_authentication_methods` in the same PATCH. The `error_description`s of
  refused assertions and the `errorCode`s of credential errors are the tenant's wording.
- `q` (Lucene search) and `external_client_id` filters on `GET /clients`; `include_fields` on
  resource servers; `sort` and `include_client_association_for` on organizations.
- Per-endpoint and Authentication-API rate limits: one bucket covers the whole Management API;
  `/oauth/token` is never limited nor fault-injected (the provider does not retry it).
- HS256 APIs: every access token is signed RS256 with the tenant key, whatever `signing_alg` says;
  `token_dialect`, `token_quota`, RBAC (`enforce_policies`) have no effect on tokens.
- Grant scopes are not checked against the API's scopes; `allow_organization_name_in_authentication_api`
  is treated as on (organization names work in token requests and tokens carry `org_name`).
- Token-endpoint enforcement of `token_endpoint_auth_method` (basic vs post): both are accepted.
- Exact Auth0 error codes for organization token failures and some 4xx `errorCode`s are unverified.
- Changing a grant's `organization_usage` to `deny` keeps existing organization associations.
- Revocation: tokens stay valid until `exp` even if their client is deleted or rotated (as in Auth0).
"""

from __future__ import annotations

from auth0_m2m.tenant.core.app import ROUTES, build_app
from auth0_m2m.tenant.core.backend import Tenant
from auth0_m2m.tenant.core.faults import FaultSpec
from auth0_m2m.tenant.core.ratelimit import RateLimit
from auth0_m2m.tenant.core.server import TenantServer, in_process_client, management_token, open_tenant
from auth0_m2m.tenant.resource_servers.models import MANAGEMENT_API_SCOPES

__all__ = [
    "MANAGEMENT_API_SCOPES",
    "ROUTES",
    "FaultSpec",
    "RateLimit",
    "Tenant",
    "TenantServer",
    "build_app",
    "in_process_client",
    "management_token",
    "open_tenant",
]
