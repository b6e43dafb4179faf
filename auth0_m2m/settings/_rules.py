"""Rules that check values against Auth0's platform rules and against each other.

Each rule takes the shape-checked `StackConfig` and yields problem lines ("<key path>: <what>; <fix>").
They run after pydantic accepted the shape, so they can follow references between keys. The
least-privilege checks (what a grant may reach) live apart, in `policy.py`.

Auth0 facts used here: organization names are lowercase a-z, 0-9, '_' and '-', 1-50 characters;
scope values are 1-280 characters (RFC 6749 scope-token characters: printable ASCII without space,
'"' or '\\') with descriptions up to 500; an app description is at most 140 characters; names of
apps and APIs may not contain '<' or '>'; an organization has at most 10 metadata keys.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from auth0_m2m.settings._errors import key_path
from auth0_m2m.settings._models import IntegrationConfig, StackConfig


def _at(*parts: str | int) -> str:
    """The key path of a location, e.g. _at("apis", "billing") -> auth0-m2m:apis.billing."""
    return key_path(parts)


SCOPE_RE = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]{1,280}$")
ORGANIZATION_NAME_RE = re.compile(r"^[a-z0-9_-]{1,50}$")
RESOURCE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$")
ORGANIZATION_ID_RE = re.compile(r"^org_[A-Za-z0-9]{1,64}$")
DOMAIN_RE = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$"
)

SCOPE_FIX = "use printable ASCII without spaces, quotes or backslashes, 1-280 characters (e.g. read:invoices)"
ORG_NAME_FIX = "use lowercase letters, digits, '_' and '-', 1-50 characters"
RESOURCE_NAME_FIX = "use letters, digits, '-' and '_', starting with a letter or digit, at most 50 characters"

Rule = Callable[[StackConfig], Iterator[str]]


def same_audience(a: str, b: str) -> bool:
    """Whether two API identifiers name the same audience (ignoring case and a trailing slash)."""
    return a.rstrip("/").lower() == b.rstrip("/").lower()


def check_domain(config: StackConfig) -> Iterator[str]:
    """The tenant domain is a bare hostname, optionally with a port."""
    domain = config.auth0.domain
    where = _at("auth0", "domain")
    if "://" in domain:
        yield f"{where}: '{domain}' has a scheme; give the bare hostname (e.g. dev-example.us.auth0.com)"
    elif not DOMAIN_RE.match(domain):
        yield f"{where}: '{domain}' is not a hostname; give the tenant domain, e.g. dev-example.us.auth0.com"


def _pulumi_name(section: str, key: str) -> Iterator[str]:
    if not RESOURCE_NAME_RE.match(key):
        yield f"{_at(section, key)}: '{key}' cannot be used as a resource name; {RESOURCE_NAME_FIX}"


def check_apis(config: StackConfig) -> Iterator[str]:
    """API keys, identifiers (unique), display names and scope names."""
    seen: dict[str, str] = {}
    for key, api in config.apis.items():
        yield from _pulumi_name("apis", key)
        where = ("apis", key)
        if not api.identifier.strip() or any(c.isspace() for c in api.identifier):
            yield f"{_at(*where, 'identifier')}: must be non-empty without spaces (e.g. https://api.example.com/x)"
        for other, identifier in seen.items():
            if same_audience(identifier, api.identifier):
                yield (
                    f"{_at(*where, 'identifier')}: '{api.identifier}' is already the identifier of API "
                    f"'{other}'; give each API its own identifier"
                )
        seen[key] = api.identifier
        if api.name is not None and (not api.name.strip() or "<" in api.name or ">" in api.name):
            yield f"{_at(*where, 'name')}: must be non-empty and may not contain '<' or '>'"
        for scope, description in api.scopes.items():
            if not SCOPE_RE.match(scope):
                yield f"{_at(*where, 'scopes', scope)}: '{scope}' is not a valid scope name; {SCOPE_FIX}"
            if len(description) > 500:
                yield f"{_at(*where, 'scopes', scope)}: description is longer than 500 characters; shorten it"


def check_organizations(config: StackConfig) -> Iterator[str]:
    """Organization keys and names (Auth0's name rule, unique), display names and metadata."""
    names: Counter[str] = Counter()
    for key, org in config.organizations.items():
        yield from _pulumi_name("organizations", key)
        where = ("organizations", key)
        name = org.name if org.name is not None else key
        if not ORGANIZATION_NAME_RE.match(name):
            at = _at(*where, "name") if org.name is not None else _at(*where)
            fix = ORG_NAME_FIX if org.name is not None else f"{ORG_NAME_FIX}, or set `name:`"
            yield f"{at}: '{name}' is not a valid organization name; {fix}"
        names[name] += 1
        if names[name] == 2:
            yield f"{_at(*where)}: organization name '{name}' is used twice; organization names are unique"
        if org.display_name is not None and not 1 <= len(org.display_name) <= 255:
            yield f"{_at(*where, 'display_name')}: must be 1-255 characters"
        if len(org.metadata) > 10:
            yield f"{_at(*where, 'metadata')}: has {len(org.metadata)} keys; Auth0 allows at most 10"
        for meta_key, value in org.metadata.items():
            if len(value) > 255:
                yield f"{_at(*where, 'metadata', meta_key)}: longer than 255 characters; shorten it"


def _api_reference(config: StackConfig, name: str, integration: IntegrationConfig) -> Iterator[str]:
    where = ("integrations", name)
    if (integration.api is None) == (integration.audience is None):
        yield (
            f"{_at(*where)}: set exactly one of `api:` (a key of {_at('apis')}) "
            "or `audience:` (the identifier of an existing API)"
        )
        return
    if integration.api is not None:
        api = config.apis.get(integration.api)
        if api is None:
            known = ", ".join(sorted(config.apis)) or "none defined"
            yield f"{_at(*where, 'api')}: '{integration.api}' is not a key of {_at('apis')} ({known})"
            return
        for index, scope in enumerate(integration.scopes):
            if SCOPE_RE.match(scope) and scope not in api.scopes:
                yield (
                    f"{_at(*where, 'scopes', index)}: '{scope}' is not a scope of API '{integration.api}'; "
                    f"add it to {_at('apis', integration.api, 'scopes')} or remove it here"
                )
    elif integration.audience is not None:
        for key, api in config.apis.items():
            if same_audience(api.identifier, integration.audience):
                yield f"{_at(*where, 'audience')}: is the identifier of API '{key}' here; use `api: {key}`"


def _scopes(name: str, integration: IntegrationConfig) -> Iterator[str]:
    where = ("integrations", name, "scopes")
    if not integration.scopes:
        yield f"{_at(*where)}: is empty; grant at least one scope of the API"
    seen: set[str] = set()
    for index, scope in enumerate(integration.scopes):
        if not SCOPE_RE.match(scope):
            yield f"{_at(*where, index)}: '{scope}' is not a valid scope name; {SCOPE_FIX}"
        if scope in seen:
            yield f"{_at(*where, index)}: '{scope}' is listed twice; list each scope once"
        seen.add(scope)


def _organization(config: StackConfig, name: str, integration: IntegrationConfig) -> Iterator[str]:
    where = ("integrations", name)
    has_org = integration.organization is not None or integration.organization_id is not None
    if integration.organization is not None and integration.organization_id is not None:
        yield f"{_at(*where)}: set `organization:` or `organization_id:`, not both"
    if integration.organization is not None and integration.organization not in config.organizations:
        known = ", ".join(sorted(config.organizations)) or "none defined"
        yield (
            f"{_at(*where, 'organization')}: '{integration.organization}' is not a key of "
            f"{_at('organizations')} ({known}); define it there or use `organization_id:`"
        )
    if integration.organization_id is not None and not ORGANIZATION_ID_RE.match(integration.organization_id):
        org_id = integration.organization_id
        yield f"{_at(*where, 'organization_id')}: '{org_id}' is not an organization id; use the org_... id"
    if integration.organization_name is not None:
        if integration.organization_id is None:
            yield f"{_at(*where, 'organization_name')}: only with `organization_id:`; remove it"
        elif not ORGANIZATION_NAME_RE.match(integration.organization_name):
            yield (
                f"{_at(*where, 'organization_name')}: '{integration.organization_name}' is not a valid "
                f"organization name; {ORG_NAME_FIX}"
            )
    if not has_org and integration.organization_usage is not None:
        yield (
            f"{_at(*where, 'organization_usage')}: only with an organization; "
            "set `organization:` (or `organization_id:`) or remove it"
        )
    if not has_org and integration.allow_any_organization:
        yield f"{_at(*where, 'allow_any_organization')}: only with an organization; remove it"


def _public_key_problem(pem: str) -> str | None:
    if "PRIVATE KEY" in pem:
        return "is a private key; give only the public key (and remove the private key from this file)"
    data = pem.encode()
    try:
        if b"CERTIFICATE" in data:
            x509.load_pem_x509_certificate(data)
        else:
            serialization.load_pem_public_key(data)
    except ValueError:
        return "is not a PEM public key or certificate"
    return None


def _authentication(name: str, integration: IntegrationConfig) -> Iterator[str]:
    where = ("integrations", name)
    keys = integration.public_keys
    if integration.auth_method == "private_key_jwt":
        if not 1 <= len(keys) <= 2:
            yield f"{_at(*where, 'public_keys')}: private_key_jwt needs 1 or 2 public keys, got {len(keys)}"
    elif keys:
        yield f"{_at(*where, 'public_keys')}: only with `auth_method: private_key_jwt`; remove them"
    for index, key in enumerate(keys):
        problem = _public_key_problem(key.pem)
        if problem is not None:
            yield f"{_at(*where, 'public_keys', index, 'pem')}: {problem}"


def check_integrations(config: StackConfig) -> Iterator[str]:
    """Integration names, references, scopes, organizations and authentication."""
    if not config.integrations:
        yield f"{_at('integrations')}: is empty; define at least one integration"
    for name, integration in config.integrations.items():
        yield from _pulumi_name("integrations", name)
        yield from _api_reference(config, name, integration)
        yield from _scopes(name, integration)
        yield from _organization(config, name, integration)
        yield from _authentication(name, integration)
        where = ("integrations", name)
        if integration.description is not None and len(integration.description) > 140:
            yield f"{_at(*where, 'description')}: longer than 140 characters; shorten it"
        if integration.app_name is not None and (
            not integration.app_name.strip() or "<" in integration.app_name or ">" in integration.app_name
        ):
            yield f"{_at(*where, 'app_name')}: must be non-empty and may not contain '<' or '>'"


RULES: tuple[Rule, ...] = (check_domain, check_apis, check_organizations, check_integrations)
"""Every platform and consistency rule, in reporting order."""
