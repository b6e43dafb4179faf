"""Settings of the export targets, read from the environment (prefix `AUTH0_M2M_`, nested with `__`).

No secret is ever taken from the command line: the Nango secret key and the Vault token come from
`AUTH0_M2M_NANGO__SECRET_KEY` and `AUTH0_M2M_VAULT__TOKEN`; AWS credentials come from boto3's own
chain (`AWS_ACCESS_KEY_ID`, profiles, roles). Examples:

```
AUTH0_M2M_FIELDS__CLIENT_ID=AUTH0_CLIENT_ID      # rename a field (or AUTH0_M2M_FIELDS='{"...": "..."}')
AUTH0_M2M_CA_FILE=.tenant/ca.pem                 # extra CA for requests to the tenant (Nango target)
AUTH0_M2M_AWS__ENDPOINT_URL=http://127.0.0.1:5000
AUTH0_M2M_AWS__REGION=eu-west-1
AUTH0_M2M_NANGO__BASE_URL=https://api.nango.dev
AUTH0_M2M_NANGO__SECRET_KEY=...
AUTH0_M2M_VAULT__ADDR=http://127.0.0.1:8200
AUTH0_M2M_PRIVATE_KEYS__NANGO_BILLING=/keys/nango-billing.pem   # private_key_jwt: verify signs with it
AUTH0_M2M_PRIVATE_KEYS='{"nango-billing": "PS256:/keys/nango-billing.pem"}'   # or all at once, as JSON
```

`PRIVATE_KEYS` maps an integration to the path of its unencrypted RSA private key in PEM, optionally
prefixed with the credential's algorithm (`RS256:`, the default, `RS384:` or `PS256:`). In the
variable's name, the integration's name is upper case with every other character than a letter or a
digit as `_`. The file is read when a command needs the key, held as a secret and never printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pydantic import BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from auth0_m2m.consumers._exceptions import ConsumerSettingsError

ENV_PREFIX = "AUTH0_M2M_"

FIELD_NAMES: tuple[str, ...] = (
    "client_id",
    "client_secret",
    "hostname",
    "audience",
    "organization",
    "organization_id",
)
"""Exported fields, named as Nango's `auth0-cc` form asks for them (plus the organization's id)."""


class AwsSettings(BaseModel):
    """AWS Secrets Manager target (`aws-sm:NAME`)."""

    endpoint_url: str | None = None
    """Another endpoint than AWS's (a moto server, LocalStack, a VPC endpoint)."""
    region: str | None = None
    """Region of the secret; boto3's default chain (AWS_REGION, profile) when unset."""
    kms_key_id: str | None = None
    """KMS key for new secrets; the account's default `aws/secretsmanager` key when unset."""


class NangoSettings(BaseModel):
    """Nango target (`nango:`)."""

    base_url: str = "https://api.nango.dev"
    secret_key: SecretStr | None = None
    """The Nango environment's secret key (sent as `Authorization: Bearer`)."""
    provider_config_key: str = "auth0-cc"
    """The integration's unique key in Nango (created in Nango with the `auth0-cc` provider)."""
    connection_id_prefix: str = ""
    """Prefix of each connection id; the id is the prefix plus the integration's name."""
    timeout: float = 10.0


class KubernetesSettings(BaseModel):
    """Kubernetes Secret manifest target (`k8s-secret:PATH`)."""

    namespace: str | None = None
    name_prefix: str = ""
    """Prefix of each Secret's name; the name is the prefix plus the integration's name."""


class VaultSettings(BaseModel):
    """Vault / OpenBao KV v2 target (`vault:MOUNT/PATH`)."""

    addr: str = "http://127.0.0.1:8200"
    token: SecretStr | None = None
    namespace: str | None = None


class ConsumerSettings(BaseSettings):
    """Everything the export targets read from the environment."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="ignore")

    fields: dict[str, str] = Field(default_factory=dict)
    """Renames of exported fields, e.g. {"client_id": "AUTH0_CLIENT_ID"}."""
    ca_file: Path | None = None
    """Extra CA to trust for requests to the tenant (the local tenant's CA)."""
    aws: AwsSettings = Field(default_factory=AwsSettings)
    nango: NangoSettings = Field(default_factory=NangoSettings)
    k8s: KubernetesSettings = Field(default_factory=KubernetesSettings)
    vault: VaultSettings = Field(default_factory=VaultSettings)
    private_keys: dict[str, str] = Field(default_factory=dict)
    """private_key_jwt integrations' private keys: integration name → `[ALG:]path of the PEM`."""


def _env_name(loc: tuple[int | str, ...]) -> str:
    return ENV_PREFIX + "__".join(str(part).upper() for part in loc)


def load_settings() -> ConsumerSettings:
    """Read `ConsumerSettings` from the environment; a bad value raises one line naming the variable."""
    try:
        settings = ConsumerSettings()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConsumerSettingsError(f"{_env_name(first['loc'])}: {first['msg']}") from None
    except SettingsError as exc:
        raise ConsumerSettingsError(
            f"{exc}; check the {ENV_PREFIX}* variables (JSON values must be valid JSON)"
        ) from None
    check_field_mapping(settings.fields)
    if settings.ca_file is not None and not settings.ca_file.is_file():
        raise ConsumerSettingsError(
            f"{ENV_PREFIX}CA_FILE: {settings.ca_file} is not a file; "
            "give the PEM of the CA that signed the tenant's certificate"
        )
    return settings


def check_field_mapping(mapping: dict[str, str]) -> None:
    """Reject renames of unknown fields, empty names and two fields renamed to one name."""
    for key, value in mapping.items():
        if key not in FIELD_NAMES:
            raise ConsumerSettingsError(
                f"{ENV_PREFIX}FIELDS: unknown field {key!r}; rename one of {', '.join(FIELD_NAMES)}"
            )
        if not value.strip():
            raise ConsumerSettingsError(f"{ENV_PREFIX}FIELDS__{key.upper()}: the new name is empty")
    names = [mapping.get(name, name) for name in FIELD_NAMES]
    dupes = sorted({name for name in names if names.count(name) > 1})
    if dupes:
        raise ConsumerSettingsError(f"{ENV_PREFIX}FIELDS: two fields would be exported as {dupes[0]!r}")


ASSERTION_ALGORITHMS: tuple[str, ...] = ("RS256", "RS384", "PS256")
"""The algorithms an Auth0 private-key credential signs with."""


@dataclass(frozen=True)
class PrivateKey:
    """A private_key_jwt integration's private key, read from its file (the PEM is a secret)."""

    pem: SecretStr = field(repr=False)
    alg: str
    source: str
    """The variable and the path it came from, for messages."""


def _env_key(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "_", name.upper())


def private_key_variable(name: str) -> str:
    """The environment variable that gives integration `name` its private key."""
    return f"{ENV_PREFIX}PRIVATE_KEYS__{_env_key(name)}"


def private_key_for(settings: ConsumerSettings, name: str) -> PrivateKey | None:
    """The private key configured for integration `name`, read from its file; None when none is set.

    Raises `ConsumerSettingsError` (naming the variable and the path, never the content) when the
    file is missing or is not an unencrypted RSA private key.
    """
    keys = settings.private_keys
    value = keys.get(name)
    if value is None:
        value = next((v for k, v in keys.items() if _env_key(k) == _env_key(name)), None)
    if value is None:
        return None
    variable = private_key_variable(name)
    alg, sep, rest = value.partition(":")
    if not (sep and alg.upper() in ASSERTION_ALGORITHMS):
        alg, rest = "RS256", value
    path = Path(rest.strip()).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConsumerSettingsError(
            f"{variable}: cannot read {path} ({exc.strerror or type(exc).__name__}); give the path of the "
            "integration's private key (PEM)"
        ) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConsumerSettingsError(
            f"{variable}: {path} is not an unencrypted RSA private key in PEM; "
            "give the private half of the integration's public key"
        )
    return PrivateKey(pem=SecretStr(data.decode()), alg=alg.upper(), source=f"{variable}={path}")
