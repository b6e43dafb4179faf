"""Rotate an integration's client secret in the tenant and bring the stack's state in line.

Steps of `rotate_integration`:
1. read the integration's outputs from the stack (the secret in memory only); refuse one without a
   secret (`private_key_jwt`: rotate its keys by editing `public_keys` instead);
2. `POST /api/v2/clients/{id}/rotate-secret` with auth0-python's `ManagementClient`, as the
   deployer (the local tenant's bootstrap client, or the stack's `auth0:*` keys / `AUTH0_*`);
3. `refresh --run-program`, targeted at the integration's `ClientCredentials` resource: the
   provider's read puts the new secret into that resource's state, and running the program
   recomputes the component and stack outputs from it. A plain refresh is not enough: it updates
   the resource's state, but stack outputs are computed by the program, so `integrations.<name>`
   would keep the old secret until the next `up`;
4. read the outputs again and check that they now hold the secret the tenant returned.

Tokens issued with the old secret stay valid until they expire (Auth0 does not revoke them);
the old secret itself is refused from the moment of the rotation.
See: https://auth0.com/docs/api/management/v2/clients/post-rotate-secret
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
from pydantic import SecretStr

from auth0_m2m.consumers._exceptions import ConsumerError, RotationError, redact
from auth0_m2m.consumers._ratelimit import PacedTransport, RateLimiter, RetryPolicy
from auth0_m2m.consumers._token import request_token, tls_context
from auth0_m2m.outputs import IntegrationOutputs

CLIENT_CREDENTIALS_TYPE = "auth0:index/clientCredentials:ClientCredentials"


@dataclass(frozen=True)
class Deployer:
    """The tenant and the Management API credentials that `up` uses; rotation acts as the same app."""

    domain: str
    client_id: str
    client_secret: SecretStr = field(repr=False)
    ca_file: Path | None = None
    """Extra CA to trust for the tenant (the local tenant's); the system store when None."""


def deployer_from(
    config: Mapping[str, str], env: Mapping[str, str], *, ca_file: Path | None = None
) -> Deployer:
    """The deployer as the program resolves it: the stack's `auth0:*` keys first, then `AUTH0_*`.

    `config` maps full keys (`auth0:clientSecret`) to plain (decrypted) values. A missing value
    raises RotationError naming the key and the variable.
    """
    keys = (
        ("domain", "AUTH0_DOMAIN"),
        ("clientId", "AUTH0_CLIENT_ID"),
        ("clientSecret", "AUTH0_CLIENT_SECRET"),
    )
    values: list[str] = []
    for key, variable in keys:
        value = config.get(f"auth0:{key}") or env.get(variable) or ""
        if not value.strip():
            secret = " --secret" if key == "clientSecret" else ""
            fix = f"`pulumi config set{secret} auth0:{key} ...` or export {variable}"
            raise RotationError(f"auth0:{key}: missing; set it with {fix}")
        values.append(value.strip())
    domain, client_id, client_secret = values
    return Deployer(domain, client_id, SecretStr(client_secret), ca_file)


def management_token(deployer: Deployer, *, client: httpx.Client) -> SecretStr:
    """A Management API token for the deployer (client credentials, as every M2M app gets one)."""
    as_integration = IntegrationOutputs(
        name="deployer",
        client_id=deployer.client_id,
        client_secret=deployer.client_secret,
        hostname=deployer.domain,
        audience=f"https://{deployer.domain}/api/v2/",
        token_url=f"https://{deployer.domain}/oauth/token",
    )
    try:
        return request_token(as_integration, client=client).access_token
    except ConsumerError as exc:
        raise RotationError(f"deployer {deployer.client_id}: no Management API token: {exc}") from None


def _api_error_line(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        detail = str(body.get("message") or body.get("error") or "")
        code = body.get("errorCode")
        detail = f"{code}: {detail}" if code else detail
    else:
        detail = type(exc).__name__
    return f"HTTP {status}: {detail}" if status is not None else detail


MANAGEMENT_RETRY = RetryPolicy(max_tries=6, max_wait=30.0)
"""Retries of the deployer's token and Management API calls: 429 and 5xx, honouring the server's wait."""


def rotate_client_secret(
    deployer: Deployer,
    client_id: str,
    *,
    timeout: float = 30,
    limiter: RateLimiter | None = None,
    policy: RetryPolicy | None = None,
) -> SecretStr:
    """Rotate `client_id`'s secret in the tenant; return the new secret (never printed).

    Every request (token and Management API) goes through `limiter` (a default client-side cap when
    None) and is retried on 429/5xx as `policy` allows (`MANAGEMENT_RETRY` when None), waiting as
    `Retry-After` / `X-RateLimit-Reset` ask. Raises RotationError with one line (no secret in it)
    when the tenant refuses or cannot be reached.
    """
    from auth0.management import ManagementClient

    hidden = [deployer.client_secret.get_secret_value()]
    transport = PacedTransport(
        limiter or RateLimiter(), policy or MANAGEMENT_RETRY, verify=tls_context(deployer.ca_file)
    )
    with httpx.Client(transport=transport, timeout=timeout) as http:
        token = management_token(deployer, client=http)
        hidden.append(token.get_secret_value())
        api = ManagementClient(domain=deployer.domain, token=token.get_secret_value(), httpx_client=http)
        try:
            answer = api.clients.rotate_secret(client_id, request_options={"max_retries": 0})
        except httpx.TransportError as exc:
            detail = redact(f"{type(exc).__name__}: {exc}", hidden)
            raise RotationError(f"rotate-secret of client {client_id} failed: {detail}") from None
        except Exception as exc:  # auth0-python's ApiError family (one class per HTTP status)
            detail = redact(_api_error_line(exc), hidden)
            raise RotationError(f"rotate-secret of client {client_id} refused: {detail}") from None
    secret = answer.client_secret or ""
    if not secret:
        raise RotationError(f"rotate-secret of client {client_id}: the answer holds no client_secret")
    return SecretStr(secret)


def credentials_urn(deployment: Mapping[str, Any], client_id: str) -> str:
    """The URN of the `ClientCredentials` resource of `client_id` in an exported deployment."""
    for resource in deployment.get("resources") or ():
        if resource.get("type") != CLIENT_CREDENTIALS_TYPE:
            continue
        outputs = resource.get("outputs") or {}
        if resource.get("id") == client_id or outputs.get("clientId") == client_id:
            return str(resource["urn"])
    raise RotationError(
        f"client {client_id}: no {CLIENT_CREDENTIALS_TYPE} resource in the stack's state; run `up` first"
    )


class RotatableStack(Protocol):
    """What rotation needs of an Automation API stack (`pulumi.automation.Stack` fits)."""

    @property
    def name(self) -> str:
        """The stack's name."""
        ...

    def export_stack(self) -> Any:
        """The stack's deployment (`.deployment` holds `resources`)."""
        ...

    def refresh(self, *, target: list[str], run_program: bool, color: str, on_output: Any) -> Any:
        """Refresh the given resources and run the program (so stack outputs follow)."""
        ...


@dataclass(frozen=True)
class Rotation:
    """The result of a rotation: the integration's outputs as the stack now exports them."""

    outputs: IntegrationOutputs
    old_secret: SecretStr = field(repr=False)
    """Kept so that callers (tests) can show the old secret is refused; never print it."""


def sync_stack_state(
    stack: RotatableStack, client_id: str, *, on_output: Callable[[str], None] | None = None
) -> str:
    """Refresh the client's `ClientCredentials` and re-run the program; return the refreshed URN."""
    urn = credentials_urn(stack.export_stack().deployment, client_id)
    try:
        stack.refresh(target=[urn], run_program=True, color="never", on_output=on_output)
    except Exception as exc:  # pulumi.automation.errors.CommandError and its kin
        lines = str(exc).strip().splitlines()
        raise RotationError(
            f"the tenant has the new secret but refreshing stack {stack.name!r} failed "
            f"({lines[-1] if lines else type(exc).__name__}); "
            f"bring the state in line with `auth0-m2m up --stack {stack.name} --refresh`"
        ) from None
    return urn


def rotate_integration(
    stack: RotatableStack,
    current: IntegrationOutputs,
    deployer: Deployer,
    *,
    read_outputs: Callable[[], Mapping[str, IntegrationOutputs]],
    on_output: Callable[[str], None] | None = None,
) -> Rotation:
    """Rotate the secret of `current` (as the stack exports it now), bring the stack in line, re-read.

    `read_outputs` reads the stack's integrations (e.g. `lambda: stack_integrations(stack)`); the
    answer must hold the secret the tenant returned, else RotationError says how to recover.
    """
    old = current.client_secret
    if not old.get_secret_value():
        raise RotationError(
            f"integration {current.name!r} has no client secret (private_key_jwt?): rotate its keys by "
            "changing public_keys in the stack config, then `up`"
        )
    new = rotate_client_secret(deployer, current.client_id)
    sync_stack_state(stack, current.client_id, on_output=on_output)
    after = pick_integration(read_outputs(), current.name, stack.name)
    if after.client_secret.get_secret_value() != new.get_secret_value():
        raise RotationError(
            f"the tenant has the new secret of {current.name!r} but stack {stack.name!r} still exports "
            f"another one; run `auth0-m2m up --stack {stack.name} --refresh`"
        )
    return Rotation(outputs=after, old_secret=old)


def pick_integration(
    integrations: Mapping[str, IntegrationOutputs], name: str, stack: str
) -> IntegrationOutputs:
    """The integration called `name`; RotationError listing the stack's integrations when unknown."""
    if name not in integrations:
        known = ", ".join(sorted(integrations)) or "none"
        raise RotationError(f"--integration {name!r}: stack {stack!r} has no such integration (has: {known})")
    return integrations[name]
