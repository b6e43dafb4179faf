"""Export targets: the `Sink` protocol, one class per kind of target, and `parse_target` for spec strings.

| spec | writes |
|---|---|
| `dotenv:PATH` | KEY='value' lines, 0600, atomic |
| `json:PATH` | one JSON document, 0600, atomic |
| `aws-sm:NAME` | an AWS Secrets Manager JSON secret (create, or put a new version) |
| `k8s-secret:PATH` | a manifest of Kubernetes `Secret`s (stringData, stack/integration labels), 0600 |
| `nango:` | one `auth0-cc` connection per integration, upserted through Nango's API |
| `vault:MOUNT/PATH` | a Vault / OpenBao KV v2 secret via hvac |

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

TARGET_KINDS: tuple[str, ...] = ("dotenv", "json", "aws-sm", "k8s-secret", "nango", "vault")


def parse_target(spec: str, settings: ConsumerSettings | None = None) -> Sink:
    """Build the sink a target spec names, e.g. `json:out/creds.json`; settings default to the environment.

    Raises `TargetSpecError` with one line naming the problem and the expected form.
    """
    kind, sep, arg = spec.partition(":")
    kind = kind.strip().lower()
    if not sep or kind not in TARGET_KINDS:
        raise TargetSpecError(
            f"target {spec!r}: expected KIND:ARG with KIND one of {', '.join(TARGET_KINDS)}"
        )
    arg = arg.strip()
    if kind != "nango" and not arg:
        form = {"aws-sm": "aws-sm:SECRET_NAME", "vault": "vault:MOUNT/PATH"}.get(kind, f"{kind}:PATH")
        raise TargetSpecError(f"target {spec!r}: missing argument, expected {form}")
    if kind == "nango" and arg:
        raise TargetSpecError(
            f"target {spec!r}: nango takes no argument; set AUTH0_M2M_NANGO__BASE_URL instead"
        )
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
        mount, slash, path = arg.strip("/").partition("/")
        if not slash or not path:
            raise TargetSpecError(
                f"target {spec!r}: expected vault:MOUNT/PATH, e.g. vault:secret/auth0/billing"
            )
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
