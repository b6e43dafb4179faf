"""Rules for `adopt:`: taking objects made by hand (dashboard or Management API) under the stack's management.

An adopted object is imported (Pulumi's `import` resource option) instead of created. These rules check
what can be checked without the tenant: the ids have Auth0's shapes (a pasted name or URL is caught
here, not by a failed import), each object is adopted once, and an adoption asks only for objects
that can exist already: a grant on an API the stack is about to create, or a link to an organization
it is about to create, cannot. Values are compared with the tenant by the engine, during the import.

Auth0 id shapes: a client id is letters and digits (32 in Auth0); an API's id is letters and digits
(24 hex digits in Auth0) and differs from its identifier (usually a URL); grants are `cgr_...` and
organizations `org_...`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from auth0_m2m.settings._errors import key_path
from auth0_m2m.settings._models import IntegrationConfig, StackConfig
from auth0_m2m.settings._rules import ORGANIZATION_ID_RE

CLIENT_ID_RE = re.compile(r"^[A-Za-z0-9]{16,64}$")
RESOURCE_SERVER_ID_RE = re.compile(r"^[A-Za-z0-9]{1,64}$")
GRANT_ID_RE = re.compile(r"^cgr_[A-Za-z0-9]{1,64}$")

CLIENT_ID_FIX = "copy the app's Client ID (Auth0 dashboard: Applications → the app → Settings)"
API_ID_FIX = "copy the API's Id (Auth0 dashboard: APIs → the API → Settings → Id), not its identifier"
GRANT_ID_FIX = (
    "give the grant's id (cgr_...), e.g. from `GET /api/v2/client-grants?client_id=<client id>` "
    "(the dashboard does not show it)"
)


def _at(*parts: str | int) -> str:
    return key_path(parts)


def _duplicates(section: str, ids: dict[str, str], what: str, *field: str) -> Iterator[str]:
    seen: dict[str, str] = {}
    for key, object_id in ids.items():
        if object_id in seen:
            yield (
                f"{_at(section, key, 'adopt', *field)}: {what} '{object_id}' is already adopted by "
                f"{_at(section, seen[object_id])}; adopt each object once"
            )
        else:
            seen[object_id] = key


def check_adopted_apis(config: StackConfig) -> Iterator[str]:
    """An adopted API is given by its id (not its identifier), once."""
    adopted: dict[str, str] = {}
    for key, api in config.apis.items():
        if api.adopt is None:
            continue
        where = _at("apis", key, "adopt")
        if api.adopt.rstrip("/") == api.identifier.rstrip("/") or "://" in api.adopt:
            yield f"{where}: '{api.adopt}' is an identifier, not an id; {API_ID_FIX}"
        elif not RESOURCE_SERVER_ID_RE.match(api.adopt):
            yield f"{where}: '{api.adopt}' is not an API id; {API_ID_FIX}"
        else:
            adopted[key] = api.adopt
    yield from _duplicates("apis", adopted, "API")


def check_adopted_organizations(config: StackConfig) -> Iterator[str]:
    """An adopted organization is given by its org_... id, once, and is not also used by id."""
    adopted: dict[str, str] = {}
    for key, org in config.organizations.items():
        if org.adopt is None:
            continue
        if not ORGANIZATION_ID_RE.match(org.adopt):
            yield (
                f"{_at('organizations', key, 'adopt')}: '{org.adopt}' is not an organization id; "
                "give its id (org_...) (Auth0 dashboard: Organizations → the organization)"
            )
        else:
            adopted[key] = org.adopt
    yield from _duplicates("organizations", adopted, "organization")
    by_id = {org_id: key for key, org_id in adopted.items()}
    for name, integration in config.integrations.items():
        owner = by_id.get(integration.organization_id or "")
        if owner is not None:
            yield (
                f"{_at('integrations', name, 'organization_id')}: '{integration.organization_id}' is adopted "
                f"by {_at('organizations', owner)}; use `organization: {owner}` instead"
            )


def _organization_link(config: StackConfig, name: str, integration: IntegrationConfig) -> Iterator[str]:
    """`organization_grant: true` needs a grant to adopt and an organization that exists already."""
    where = ("integrations", name, "adopt", "organization_grant")
    adopt = integration.adopt
    if adopt is None or not adopt.organization_grant:
        return
    if adopt.grant_id is None:
        yield f"{_at(*where)}: only with `grant_id:` (a new grant has no link); add grant_id or remove it"
    if integration.organization is None and integration.organization_id is None:
        yield f"{_at(*where)}: only with an organization (`organization:` or `organization_id:`); remove it"
    key = integration.organization or ""
    org = config.organizations.get(key)
    if org is not None and org.adopt is None:
        yield (
            f"{_at(*where)}: organization '{key}' is created by this stack, so no link to it exists "
            f"yet; adopt it too ({_at('organizations', key, 'adopt')}) or remove organization_grant"
        )


def _adopted_integration(config: StackConfig, name: str, integration: IntegrationConfig) -> Iterator[str]:
    adopt = integration.adopt
    if adopt is None:
        return
    where = ("integrations", name, "adopt")
    if not CLIENT_ID_RE.match(adopt.client_id):
        yield f"{_at(*where, 'client_id')}: '{adopt.client_id}' is not a client id; {CLIENT_ID_FIX}"
    if adopt.grant_id is not None:
        if not GRANT_ID_RE.match(adopt.grant_id):
            yield f"{_at(*where, 'grant_id')}: '{adopt.grant_id}' is not a grant id; {GRANT_ID_FIX}"
        key = integration.api or ""
        api = config.apis.get(key)
        if api is not None and api.adopt is None:
            yield (
                f"{_at(*where, 'grant_id')}: API '{key}' is created by this stack, so no grant on it "
                f"exists yet; adopt the API too ({_at('apis', key, 'adopt')}) or remove grant_id"
            )
    if integration.auth_method == "private_key_jwt":
        yield (
            f"{_at(*where)}: an app using private_key_jwt cannot be adopted (Auth0 never returns its "
            "public keys); adopt it with client_secret_post, then switch auth_method in a later update"
        )
    yield from _organization_link(config, name, integration)


def check_adopted_integrations(config: StackConfig) -> Iterator[str]:
    """Client and grant ids have Auth0's shapes, are adopted once, and can exist already."""
    clients: dict[str, str] = {}
    grants: dict[str, str] = {}
    for name, integration in config.integrations.items():
        yield from _adopted_integration(config, name, integration)
        if integration.adopt is not None:
            clients[name] = integration.adopt.client_id
            if integration.adopt.grant_id is not None:
                grants[name] = integration.adopt.grant_id
    yield from _duplicates("integrations", clients, "app", "client_id")
    yield from _duplicates("integrations", grants, "grant", "grant_id")


ADOPT_RULES = (check_adopted_apis, check_adopted_organizations, check_adopted_integrations)
"""The adoption rules, in reporting order; `parse_stack_config` runs them after `RULES`."""
