"""Read the stack configuration inside a running Pulumi program (CLI run or Automation API inline program).

The engine hands the program its config as a map of full keys (through `PULUMI_CONFIG` for a CLI run,
or `set_all_config` for an inline program); this module collects the `auth0-m2m:` and `auth0:` keys
from both and validates them with `parse_stack_config`. Only `pulumi.Config` and the runtime's config
map are used: no resources are declared here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auth0_m2m.settings._load import parse_stack_config
from auth0_m2m.settings._models import Auth0Connection, StackConfig
from auth0_m2m.settings.policy import DEFAULT_CHECKS, PolicyCheck


def pulumi_config_mapping() -> dict[str, Any]:
    """Every config key the running program was given, with its (plain) value."""
    import pulumi
    from pulumi.runtime import config as runtime_config

    keys: set[str] = set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())
    mapping: dict[str, Any] = {}
    for key in sorted(keys):
        namespace, _, name = key.partition(":")
        mapping[key] = pulumi.Config(namespace).get(name)
    return mapping


def from_pulumi_config(
    *, checks: Iterable[PolicyCheck] = DEFAULT_CHECKS, connection: Auth0Connection | None = None
) -> StackConfig:
    """Validate the running program's config (plus `AUTH0_*` env vars); raises ConfigError.

    The deployer's credentials are required here, because the program builds the provider from them.
    The client secret is held as a `SecretStr`; the program passes it on as a secret Output.
    `connection`, when given, replaces the stack's `auth0:` keys (the local tenant's address and
    bootstrap credentials, which change with every tenant instance).
    """
    import pulumi

    mapping = pulumi_config_mapping()
    if connection is not None:
        mapping["auth0:domain"] = connection.domain
        mapping["auth0:clientId"] = connection.client_id
        if connection.client_secret is not None:
            mapping["auth0:clientSecret"] = connection.client_secret.get_secret_value()
    return parse_stack_config(
        mapping,
        stack=pulumi.get_stack(),
        checks=checks,
        require_credentials=True,
        project=pulumi.get_project(),
    )
