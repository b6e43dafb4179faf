"""A stand-in for the `pulumi-resource-auth0` plugin, written in Python.

The upstream provider (pulumi-auth0 3.37.1, bridging terraform-provider-auth0 v1.39.1) cannot be
built here: the Go module proxy refuses its modules. This package is **not** that provider. It
implements only the resource types this project uses, with the schema of the unmodified
`pulumi_auth0==3.37.1` SDK (type tokens, camelCase properties, ids, import ids) and the same
Management API calls the upstream provider makes for them:

    auth0:index/client:Client                        id: client_id
    auth0:index/clientCredentials:ClientCredentials  id: client_id
    auth0:index/resourceServer:ResourceServer        id: the API's id
    auth0:index/resourceServerScopes:ResourceServerScopes  id: the API identifier
    auth0:index/clientGrant:ClientGrant              id: cgr_…
    auth0:index/organization:Organization            id: org_…
    auth0:index/organizationClientGrant:OrganizationClientGrant  id: <org_id>::<cgr_id>

Any other type or function fails with an error naming it. The engine finds it as the plugin
`resource auth0 3.37.1` in its plugin cache (`$PULUMI_HOME/plugins/resource-auth0-v3.37.1/`), where
`install_standin_plugin` (`auth0-m2m provider install`, `make engine`) writes a launcher script
running `python -m auth0_m2m.provider`.
"""

from __future__ import annotations

from auth0_m2m.provider._exceptions import (
    Auth0APIError,
    Auth0ConnectionError,
    Auth0Error,
    Auth0NotFound,
    Auth0TokenError,
    ConfigError,
    ProviderError,
    UnsupportedError,
)
from auth0_m2m.provider._install import PluginConflictError, install_standin_plugin
from auth0_m2m.provider._provider import Auth0Provider
from auth0_m2m.provider._server import PLUGIN_VERSION, main

__all__ = [
    "PLUGIN_VERSION",
    "Auth0APIError",
    "Auth0ConnectionError",
    "Auth0Error",
    "Auth0NotFound",
    "Auth0Provider",
    "Auth0TokenError",
    "ConfigError",
    "PluginConflictError",
    "ProviderError",
    "UnsupportedError",
    "install_standin_plugin",
    "main",
]
