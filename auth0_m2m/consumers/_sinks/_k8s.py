"""Kubernetes target (`k8s-secret:PATH`): a manifest with one `Secret` per integration, written 0600.

Each Secret is `type: Opaque` with the exported fields under `stringData` and labels naming the
stack and the integration, so `kubectl apply -f PATH` creates or updates them and
`kubectl get secret -l auth0-m2m/stack=dev` finds them. Names and labels are checked against
Kubernetes' rules here, so a bad name fails before `kubectl` sees it. The manifest is rendered
(`render`, deterministic) apart from writing it, so `holds` compares it with the file's bytes.
See: https://kubernetes.io/docs/concepts/configuration/secret/
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from auth0_m2m.consumers._exceptions import SinkError
from auth0_m2m.consumers._settings import KubernetesSettings
from auth0_m2m.consumers._sinks._common import (
    export_fields,
    private_file_holds,
    require_outputs,
    write_private_file,
)
from auth0_m2m.outputs import IntegrationOutputs

LABEL_STACK = "auth0-m2m/stack"
LABEL_INTEGRATION = "auth0-m2m/integration"
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL_VALUE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")
_DATA_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def _label(kind: str, value: str) -> str:
    if len(value) > 63 or not _LABEL_VALUE.match(value):
        raise SinkError(
            f"k8s-secret: {kind} {value!r} is not a valid label value (63 chars of A-Z a-z 0-9 - _ .)"
        )
    return value


def secret_manifest(
    item: IntegrationOutputs, *, stack: str, settings: KubernetesSettings, mapping: dict[str, str]
) -> dict[str, Any]:
    """The `Secret` object for one integration, as a plain dict ready for YAML."""
    secret_name = settings.name_prefix + item.name.lower().replace("_", "-")
    if len(secret_name) > 253 or not _DNS_SUBDOMAIN.match(secret_name):
        raise SinkError(
            f"k8s-secret: {secret_name!r} is not a valid Secret name (lowercase DNS subdomain); "
            "set AUTH0_M2M_K8S__NAME_PREFIX or rename the integration"
        )
    data = export_fields(item, mapping)
    for key in data:
        if not _DATA_KEY.match(key):
            raise SinkError(f"k8s-secret: {key!r} is not a valid Secret key; rename it with AUTH0_M2M_FIELDS")
    metadata: dict[str, Any] = {
        "name": secret_name,
        "labels": {
            "app.kubernetes.io/managed-by": "auth0-m2m",
            LABEL_STACK: _label("stack", stack),
            LABEL_INTEGRATION: _label("integration", item.name),
        },
    }
    if settings.namespace:
        metadata["namespace"] = settings.namespace
    return {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": "Opaque", "stringData": data}


@dataclass
class KubernetesSecretSink:
    """Write a multi-document YAML manifest of Secrets."""

    path: Path
    settings: KubernetesSettings = field(default_factory=KubernetesSettings)
    mapping: dict[str, str] = field(default_factory=dict)
    name: str = "k8s-secret"

    def manifests(self, outputs: list[IntegrationOutputs], *, stack: str) -> list[dict[str, Any]]:
        """One `Secret` object per integration, in the order given."""
        require_outputs(outputs)
        return [
            secret_manifest(item, stack=stack, settings=self.settings, mapping=self.mapping)
            for item in outputs
        ]

    def render(self, outputs: list[IntegrationOutputs], *, stack: str) -> bytes:
        """The manifest's bytes: one YAML document per Secret, keys in a fixed order."""
        return _dump(self.manifests(outputs, stack=stack))

    def write(self, outputs: list[IntegrationOutputs], *, stack: str) -> str:
        """Write the manifest; return where and which Secrets it holds."""
        docs = self.manifests(outputs, stack=stack)
        write_private_file(self.path, _dump(docs), target=self.name)
        names = ", ".join(doc["metadata"]["name"] for doc in docs)
        return f"k8s-secret: wrote Secret(s) {names} to {self.path} (mode 0600)"

    def holds(self, outputs: list[IntegrationOutputs], *, stack: str) -> bool:
        """Whether the file is 0600 and holds exactly the manifest `write` would write."""
        return private_file_holds(self.path, self.render(outputs, stack=stack), target=self.name)


def _dump(docs: list[dict[str, Any]]) -> bytes:
    return yaml.safe_dump_all(docs, sort_keys=False, explicit_start=True).encode()
