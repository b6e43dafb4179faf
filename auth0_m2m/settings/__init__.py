"""Typed, validated stack settings: the one reader of `stacks/Pulumi.<env>.yaml` and of a program's config.

Public names::

    StackConfig, Auth0Connection, ApiConfig, OrganizationConfig, IntegrationConfig, PublicKeyConfig,
    PolicyConfig                     (`auth0-m2m:policy`: explicit opt-ins to what the policy refuses)
    AdoptIntegrationConfig           (`adopt:` of an integration; `adopt:` of an API/organization is its id)
    ConfigError                      (.problems: one line per problem, "<key path>: <what>; <fix>")
    parse_stack_config(mapping, *, stack=None, checks=DEFAULT_CHECKS, use_env=True, require_credentials=False)
    load_stack_file(path, *, checks=DEFAULT_CHECKS, use_env=True)      no Pulumi, no network
    from_pulumi_config(*, checks=DEFAULT_CHECKS)                       inside a Pulumi program
    PolicyCheck, PolicyContext, DEFAULT_CHECKS                         least-privilege checks (policy.py)
    RateLimit, RATE_LIMIT_PRESETS, parse_rate_limit               `auth0-m2m:rate_limit` (_rate.py)

Settings never import Pulumi resources; `from_pulumi_config` imports only `pulumi.Config`, lazily.
"""

from __future__ import annotations

from auth0_m2m.settings._errors import ConfigError, key_path
from auth0_m2m.settings._load import Auth0Environment, SecureValue, load_stack_file, parse_stack_config
from auth0_m2m.settings._models import (
    PROJECT,
    AdoptIntegrationConfig,
    ApiConfig,
    Auth0Connection,
    AuthMethod,
    IntegrationConfig,
    OrganizationConfig,
    PolicyConfig,
    PublicKeyConfig,
    StackConfig,
)
from auth0_m2m.settings._pulumi import from_pulumi_config
from auth0_m2m.settings._rate import RATE_LIMIT_PRESETS, RateLimit, parse_rate_limit
from auth0_m2m.settings.policy import DEFAULT_CHECKS, PolicyCheck, PolicyContext

__all__ = [
    "DEFAULT_CHECKS",
    "PROJECT",
    "RATE_LIMIT_PRESETS",
    "AdoptIntegrationConfig",
    "ApiConfig",
    "Auth0Connection",
    "Auth0Environment",
    "AuthMethod",
    "ConfigError",
    "IntegrationConfig",
    "OrganizationConfig",
    "PolicyCheck",
    "PolicyConfig",
    "PolicyContext",
    "RateLimit",
    "PublicKeyConfig",
    "SecureValue",
    "StackConfig",
    "from_pulumi_config",
    "key_path",
    "load_stack_file",
    "parse_rate_limit",
    "parse_stack_config",
]
