"""The provider's lifecycle logic, free of gRPC: configure, check, diff, create, read, update, delete.

Values are plain Python with `Secret`/`UNKNOWN` markers (see `_values`). Resource types get
revealed values and talk to Auth0; this layer adds what the engine expects around them:

- **Check** fills in the bridge's defaults (Client `description` = "Managed by Pulumi", private-key
  credentials' `algorithm` = RS256) and lists them, with an autoname, under `__defaults` as the
  bridge does (which decides delete-before-replace). It fills `name` for Client, ResourceServer
  and Organization when the program omits it:
  the old name if there is one, else `<resource name>-<7 hex chars>` derived from the request's
  random seed (so the same seed gives the same name), at most 255 characters, like the bridge's
  `SetAutonaming(255, "-")`.
- **Preview** (create/update with `preview=True`) never calls the API: outputs are the inputs,
  with server-side fields unknown (create) or kept from the old state (update).
- **Secrets**: an output is marked secret when the type lists it (`clientSecret`, `signingKeys`,
  not `signingSecret`, which upstream does not mark Sensitive) or when the program passed that input
  as a secret.
- **Outputs** hold every input plus the server-side fields.
- **Read** (refresh and import) returns outputs and inputs; `None` when the object is gone.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping
from typing import Any

import httpx

from auth0_m2m.provider._client import ManagementClient
from auth0_m2m.provider._config import ProviderConfig
from auth0_m2m.provider._diff import DEFAULTS_KEY, DiffResult, diff_inputs
from auth0_m2m.provider._exceptions import ConfigError, PartialCreate, ProviderError
from auth0_m2m.provider._resources import ResourceType, resource_type
from auth0_m2m.provider._resources._base import ID_KEY
from auth0_m2m.provider._values import UNKNOWN, Secret, contains_secret, contains_unknown, reveal

AUTONAME_LENGTH = 7
AUTONAME_MAX = 255


def autoname(resource_name: str, random_seed: bytes) -> str:
    """`<resource_name>-<7 hex chars>`, deterministic for a given non-empty seed."""
    if random_seed:
        suffix = hashlib.sha256(random_seed + resource_name.encode()).hexdigest()[:AUTONAME_LENGTH]
    else:
        suffix = secrets.token_hex(4)[:AUTONAME_LENGTH]
    return f"{resource_name}-{suffix}"[:AUTONAME_MAX]


class Auth0Provider:
    """One provider instance (one `pulumi:providers:auth0` configuration)."""

    def __init__(
        self, env: Mapping[str, str] | None = None, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._env = os.environ if env is None else env
        self._transport = transport
        self._api: ManagementClient | None = None
        self.config: ProviderConfig | None = None

    def configure(self, args: Mapping[str, Any], variables: Mapping[str, str]) -> None:
        """Read the provider configuration; the API client is made when first needed."""
        self.config = ProviderConfig.from_engine(args, variables, self._env)

    @property
    def api(self) -> ManagementClient:
        """The Management API client (the provider must be configured)."""
        if self._api is None:
            if self.config is None:
                raise ConfigError("the auth0 provider was used before it was configured")
            self._api = ManagementClient(self.config, transport=self._transport)
        return self._api

    async def aclose(self) -> None:
        """Close the HTTP client."""
        if self._api is not None:
            await self._api.aclose()

    def check(
        self,
        token: str,
        resource_name: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        random_seed: bytes,
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """Fill in the autoname and validate; return (checked inputs, failures)."""
        rtype = resource_type(token)
        inputs = {k: v for k, v in news.items() if k != DEFAULTS_KEY}
        defaulted = rtype.fill_defaults(inputs)
        if rtype.autoname and inputs.get("name") in (None, ""):
            inputs["name"] = olds.get("name") or autoname(resource_name, random_seed)
            defaulted.append("name")
        inputs[DEFAULTS_KEY] = sorted(defaulted)
        return inputs, rtype.check(reveal(inputs))

    def diff(
        self, token: str, old_inputs: Mapping[str, Any], news: Mapping[str, Any], ignore_changes: list[str]
    ) -> DiffResult:
        """Compare the recorded inputs with the program's."""
        return diff_inputs(resource_type(token), old_inputs, news, ignore_changes)

    async def create(
        self, token: str, inputs: Mapping[str, Any], preview: bool
    ) -> tuple[str, dict[str, Any]]:
        """Create the object (or, in a preview, predict the outputs); return (id, outputs)."""
        rtype = resource_type(token)
        if preview:
            outputs = _with_inputs({}, inputs)
            for field in rtype.fields:
                if field.name not in outputs and (field.output_only or field.computed):
                    outputs[field.name] = UNKNOWN
            return "", _mark_secrets(rtype, outputs, inputs)
        if contains_unknown(inputs):
            raise ProviderError(f"{token}: some inputs are still unknown at create time")
        try:
            resource_id, outputs = await rtype.create(self.api, reveal(dict(inputs)))
        except PartialCreate as exc:
            exc.outputs = _mark_secrets(rtype, _with_inputs({}, inputs), inputs)
            raise
        return resource_id, _mark_secrets(rtype, _with_inputs(outputs, inputs), inputs)

    async def read(
        self, token: str, resource_id: str, old_inputs: Mapping[str, Any], old_outputs: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """Read the object for refresh or import; return (outputs, inputs), `None` if it is gone."""
        found = await self.read_with_id(token, resource_id, old_inputs, old_outputs)
        return None if found is None else found[1:]

    async def read_with_id(
        self, token: str, resource_id: str, old_inputs: Mapping[str, Any], old_outputs: Mapping[str, Any]
    ) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
        """`read`, with the object's id as upstream records it (an API imported by identifier gets its id)."""
        rtype = resource_type(token)
        outputs = await rtype.read(self.api, resource_id, reveal(dict(old_inputs)))
        if outputs is None:
            return None
        canonical = str(outputs.pop(ID_KEY, None) or resource_id)
        inputs = rtype.inputs_from_outputs(outputs, old_inputs)
        if DEFAULTS_KEY in old_inputs:
            inputs[DEFAULTS_KEY] = old_inputs[DEFAULTS_KEY]
        outputs = _with_inputs(outputs, {k: v for k, v in inputs.items() if k not in outputs})
        return canonical, _mark_secrets(rtype, outputs, old_inputs), _mark_secrets(rtype, inputs, old_inputs)

    async def update(
        self,
        token: str,
        resource_id: str,
        old_inputs: Mapping[str, Any],
        old_outputs: Mapping[str, Any],
        news: Mapping[str, Any],
        preview: bool,
    ) -> dict[str, Any]:
        """Apply the change (or, in a preview, predict the outputs); return the new outputs."""
        rtype = resource_type(token)
        if preview:
            return _mark_secrets(rtype, _with_inputs(old_outputs, news, override=True), news)
        olds, planned = rtype.planned(reveal(dict(old_inputs)), reveal(dict(news)), reveal(dict(old_outputs)))
        outputs = await rtype.update(self.api, resource_id, olds, planned)
        return _mark_secrets(rtype, _with_inputs(outputs, news), news)

    async def delete(self, token: str, resource_id: str, outputs: Mapping[str, Any]) -> None:
        """Delete the object; one that is already gone is fine."""
        await resource_type(token).delete(self.api, resource_id, reveal(dict(outputs)))


def _with_inputs(
    outputs: Mapping[str, Any], inputs: Mapping[str, Any], override: bool = False
) -> dict[str, Any]:
    """Outputs plus every input the server did not echo back (all inputs with `override`).

    Reserved keys (`__defaults`) stay in the inputs, as the bridge keeps them out of outputs.
    """
    merged = {k: v for k, v in outputs.items() if not k.startswith("__")}
    for key, value in inputs.items():
        if key.startswith("__"):
            continue
        if override:
            merged[key] = value
        else:
            merged.setdefault(key, value)
    return merged


def _mark_secrets(
    rtype: ResourceType, values: Mapping[str, Any], inputs: Mapping[str, Any]
) -> dict[str, Any]:
    """Wrap the type's secret outputs, and values whose input was secret, in `Secret`."""
    secret_keys = rtype.secret_outputs | {key for key, value in inputs.items() if contains_secret(value)}
    marked: dict[str, Any] = {}
    for key, value in values.items():
        if key in secret_keys and value is not UNKNOWN and not isinstance(value, Secret):
            marked[key] = Secret(reveal(value))
        else:
            marked[key] = value
    return marked
