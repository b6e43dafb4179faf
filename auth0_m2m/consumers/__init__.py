"""Consumers of the stack outputs: verify credentials as Nango uses them, and export them to targets.

- `verify_integration` / `verify_all`: request a token exactly as Nango's `auth0-cc` provider does
  and validate it against the tenant's JWKS and the grant; one `VerifyResult` line per integration.
- `parse_target` / `Sink`: export targets (`dotenv:`, `json:`, `aws-sm:`, `k8s-secret:`, `nango:`,
  `vault:`) configured from `AUTH0_M2M_*` environment settings.
- `deliver_targets`: bring each declared target in line with the stack, writing only what differs
  (`plan_targets` from `auth0-m2m:deliver`, `missing_settings` before any call).
- `rotate_integration`: rotate a client secret in the tenant (as the deployer) and bring the
  stack's state and outputs in line (`refresh --run-program` of its `ClientCredentials`).

The CLI (`verify`, `export`, `rotate`) is a thin shell around these functions.
"""

from __future__ import annotations

from auth0_m2m.consumers._deliver import TargetResult, deliver_targets, missing_settings, plan_targets
from auth0_m2m.consumers._exceptions import (
    AccessTokenError,
    ConsumerError,
    ConsumerSettingsError,
    RotationError,
    SinkError,
    TargetSpecError,
    TokenRequestError,
)
from auth0_m2m.consumers._jwt import JwksCache, validate_access_token
from auth0_m2m.consumers._ratelimit import RateLimiter, RetryPolicy
from auth0_m2m.consumers._rotate import (
    Deployer,
    Rotation,
    credentials_urn,
    deployer_from,
    rotate_client_secret,
    rotate_integration,
    sync_stack_state,
)
from auth0_m2m.consumers._settings import (
    ConsumerSettings,
    PrivateKey,
    load_settings,
    private_key_for,
    private_key_variable,
)
from auth0_m2m.consumers._sinks import (
    TARGET_KINDS,
    AwsSecretsManagerSink,
    DotenvSink,
    JsonSink,
    KubernetesSecretSink,
    NangoSink,
    Sink,
    VaultSink,
    export_fields,
    parse_target,
)
from auth0_m2m.consumers._token import AccessToken, request_token, token_request_body
from auth0_m2m.consumers._verify import VerifyResult, verify_all, verify_integration

__all__ = [
    "TARGET_KINDS",
    "AccessToken",
    "AccessTokenError",
    "AwsSecretsManagerSink",
    "ConsumerError",
    "ConsumerSettings",
    "ConsumerSettingsError",
    "Deployer",
    "DotenvSink",
    "JsonSink",
    "JwksCache",
    "KubernetesSecretSink",
    "NangoSink",
    "PrivateKey",
    "RateLimiter",
    "RetryPolicy",
    "Rotation",
    "RotationError",
    "Sink",
    "SinkError",
    "TargetResult",
    "TargetSpecError",
    "TokenRequestError",
    "VaultSink",
    "VerifyResult",
    "credentials_urn",
    "deliver_targets",
    "deployer_from",
    "export_fields",
    "load_settings",
    "missing_settings",
    "parse_target",
    "plan_targets",
    "private_key_for",
    "private_key_variable",
    "request_token",
    "rotate_client_secret",
    "rotate_integration",
    "sync_stack_state",
    "token_request_body",
    "validate_access_token",
    "verify_all",
    "verify_integration",
]
