"""The provider's configuration: `auth0:domain`, `auth0:clientId`, ... with AUTH0_* fallbacks.

The engine hands provider configuration to `Configure` twice over: as `args` (camelCase keys,
values possibly secret, booleans as JSON strings such as `"true"`) and as `variables`
(`auth0:config:<key>` → string). A key that is set in neither falls back to its environment
variable, as the upstream provider does (`engine-build.md`, section 8):

| key            | env var               |
|----------------|-----------------------|
| `domain`       | `AUTH0_DOMAIN`        |
| `clientId`     | `AUTH0_CLIENT_ID`     |
| `clientSecret` | `AUTH0_CLIENT_SECRET` |
| `apiToken`     | `AUTH0_API_TOKEN`     |
| `audience`     | `AUTH0_AUDIENCE`      |
| `debug`        | `AUTH0_DEBUG`         |

`apiToken` wins over the client credentials. `AUTH0_DEBUG` counts as on only when it is exactly
`1`, `true` or `on`, as upstream reads it. The other upstream keys (`cliLogin`,
`clientAssertionPrivateKey`, `dynamicCredentials`) are refused or ignored; `customDomainHeader` is
ignored, which is what upstream's does for these seven resources (go-auth0 adds the header only to
a list of user, ticket and job endpoints).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from auth0_m2m.provider._exceptions import ConfigError, UnsupportedError
from auth0_m2m.provider._values import reveal

_ENV: Final = {
    "domain": "AUTH0_DOMAIN",
    "clientId": "AUTH0_CLIENT_ID",
    "clientSecret": "AUTH0_CLIENT_SECRET",
    "apiToken": "AUTH0_API_TOKEN",
    "audience": "AUTH0_AUDIENCE",
    "debug": "AUTH0_DEBUG",
}
_UNSUPPORTED: Final = ("cliLogin", "clientAssertionPrivateKey", "clientAssertionSigningAlg")
_TRUE: Final = frozenset({"1", "true", "on"})
"""Upstream reads AUTH0_DEBUG as true only for exactly "1", "true" or "on" (case matters)."""


@dataclass(frozen=True)
class ProviderConfig:
    """Where the tenant is and how to authenticate to its Management API."""

    domain: str
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    api_token: str | None = field(default=None, repr=False)
    audience: str | None = None
    debug: bool = False

    @property
    def base_url(self) -> str:
        """`https://<domain>`: anything up to `//` is dropped and `https://` is always used."""
        host = self.domain.split("//", 1)[-1].rstrip("/")
        return f"https://{host}"

    @property
    def token_audience(self) -> str:
        """The Management API audience: `audience` if set, else `https://<domain>/api/v2/`."""
        return self.audience or f"{self.base_url}/api/v2/"

    @classmethod
    def from_engine(
        cls, args: Mapping[str, Any], variables: Mapping[str, str], env: Mapping[str, str]
    ) -> ProviderConfig:
        """Build the configuration from `Configure`'s args and variables, then the environment."""
        values: dict[str, str] = {}
        for key, env_name in _ENV.items():
            raw = reveal(args.get(key))
            if raw is None:
                raw = variables.get(f"auth0:config:{key}") or variables.get(f"auth0:{key}")
            if raw is None or raw == "":
                raw = env.get(env_name) or None
                if key == "debug" and raw is not None:
                    raw = "true" if raw in _TRUE else "false"
            if raw is not None:
                values[key] = str(raw).lower() if isinstance(raw, bool) else str(raw)
        for key in _UNSUPPORTED:
            if reveal(args.get(key)) or variables.get(f"auth0:config:{key}"):
                raise UnsupportedError(
                    f"auth0:{key} is not supported by the auth0-m2m stand-in provider; "
                    "use auth0:clientId/auth0:clientSecret or auth0:apiToken"
                )
        domain = values.get("domain")
        if not domain:
            raise ConfigError(
                "auth0:domain is not set: run `pulumi config set auth0:domain <tenant>` or set AUTH0_DOMAIN"
            )
        config = cls(
            domain=domain,
            client_id=values.get("clientId"),
            client_secret=values.get("clientSecret"),
            api_token=values.get("apiToken"),
            audience=values.get("audience"),
            debug=values.get("debug", "").strip().lower() in ("true", "1"),
        )
        if not config.api_token and not (config.client_id and config.client_secret):
            raise ConfigError(
                "auth0:clientId and auth0:clientSecret (or auth0:apiToken) are not set: "
                "set them with `pulumi config set --secret` or AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET"
            )
        return config
