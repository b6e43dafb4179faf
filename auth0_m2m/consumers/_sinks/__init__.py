"""Export targets: the `Sink` protocol, one class per kind of target, and `parse_target` for spec strings.

| spec | writes |
|---|---|
| `dotenv:PATH` | KEY='value' lines, 0600, atomic |
| `json:PATH` | one JSON document, 0600, atomic |
| `aws-sm:NAME` | an AWS Secrets Manager JSON secret (create, or put a new version) |
| `k8s-secret:PATH` | a manifest of Kubernetes `Secret`s (stringData, stack/integration labels), 0600 |
| `nango:` | one `auth0-cc` connection per integration, upserted through Nango's API |
| `vault:MOUNT/PATH` | a Vault / OpenBao KV v2 secret via hvac |

Every sink also has `holds(outputs, stack=...)`: whether the target already holds exactly what
`write` would store, read without writing (files: the same bytes and mode 0600; aws-sm and vault:
the same document in the current version; nango: the same client id/secret, connection config and
tags, not the token). `deliver` writes only the targets that do not.

Settings (endpoints, keys, field renames) come from `ConsumerSettings`, i.e. the environment.
"""

from __future__ import annotations

from pathlib import Path

from auth0_m2m.consumers._exceptions import TargetSpecError
from auth0_m2m.consumers._settings import ConsumerSettings, load_settings
from auth0_m2m.consumers._sinks._aws import AwsSecretsManagerSink
from auth0_m2m.consumers._sinks._common import Sink, export_fields, write_private_file
from auth0_m2m.consumers._sinks._files import DotenvSink, JsonSink
from auth0_m2m.consumers._sinks._k8s import KubernetesSecretSink
from auth0_m2m.consumers._sinks._nango import NangoSink
from auth0_m2m.consumers._sinks._vault import VaultSink
from auth0_m2m.settings._targets import TARGET_KINDS, TargetSpec, parse_target_spec


def parse_target(spec: str | TargetSpec, settings: ConsumerSettings | None = None) -> Sink:
    """Build the sink a target spec names, e.g. `json:out/creds.json`; settings default to the environment.

    Raises `TargetSpecError` with one line naming the problem and the expected form.
    """
    if not isinstance(spec, TargetSpec):
        try:
            spec = parse_target_spec(spec)
        except ValueError as error:
            raise TargetSpecError(str(error)) from None
    kind, arg = spec.kind, spec.arg
    settings = settings or load_settings()
    mapping = dict(settings.fields)
    if kind == "dotenv":
        return DotenvSink(Path(arg), mapping)
    if kind == "json":
        return JsonSink(Path(arg), mapping)
    if kind == "aws-sm":
        return AwsSecretsManagerSink(arg, settings.aws, mapping)
    if kind == "k8s-secret":
        return KubernetesSecretSink(Path(arg), settings.k8s, mapping)
    if kind == "vault":
        mount, path = spec.vault_location
        return VaultSink(mount, path, settings.vault, mapping)
    return NangoSink(settings.nango, ca_file=settings.ca_file)


__all__ = [
    "TARGET_KINDS",
    "AwsSecretsManagerSink",
    "DotenvSink",
    "JsonSink",
    "KubernetesSecretSink",
    "NangoSink",
    "Sink",
    "VaultSink",
    "export_fields",
    "parse_target",
    "write_private_file",
]
