"""Delivery target specs (`KIND:ARG`): their syntax, shared by `--to` and the `auth0-m2m:deliver` key.

| spec | where |
|---|---|
| `dotenv:PATH`, `json:PATH`, `k8s-secret:PATH` | a file (0600) |
| `aws-sm:NAME` | an AWS Secrets Manager secret |
| `vault:MOUNT/PATH` | a Vault / OpenBao KV v2 secret |
| `nango:` | Nango connections (the base URL and key come from the environment) |

Only the syntax lives here (no client library, no network): the settings validate the stack key
with it, and `auth0_m2m.consumers` builds the targets from parsed specs.
"""

from __future__ import annotations

from dataclasses import dataclass

TARGET_KINDS: tuple[str, ...] = ("dotenv", "json", "aws-sm", "k8s-secret", "nango", "vault")


@dataclass(frozen=True)
class TargetSpec:
    """A parsed target spec: its kind and its argument (a path, a secret name, MOUNT/PATH, or "")."""

    kind: str
    arg: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.arg}"

    @property
    def vault_location(self) -> tuple[str, str]:
        """(mount, path) of a `vault:` spec."""
        mount, _, path = self.arg.strip("/").partition("/")
        return mount, path


def parse_target_spec(spec: str) -> TargetSpec:
    """Parse `KIND:ARG`; raise ValueError with one line naming the problem and the expected form."""
    kind, sep, arg = str(spec).partition(":")
    kind, arg = kind.strip().lower(), arg.strip()
    if not sep or kind not in TARGET_KINDS:
        raise ValueError(f"target {spec!r}: expected KIND:ARG with KIND one of {', '.join(TARGET_KINDS)}")
    if kind != "nango" and not arg:
        form = {"aws-sm": "aws-sm:SECRET_NAME", "vault": "vault:MOUNT/PATH"}.get(kind, f"{kind}:PATH")
        raise ValueError(f"target {spec!r}: missing argument, expected {form}")
    if kind == "nango" and arg:
        raise ValueError(f"target {spec!r}: nango takes no argument; set AUTH0_M2M_NANGO__BASE_URL instead")
    parsed = TargetSpec(kind, arg)
    if kind == "vault" and not all(parsed.vault_location):
        raise ValueError(f"target {spec!r}: expected vault:MOUNT/PATH, e.g. vault:secret/auth0/billing")
    return parsed
