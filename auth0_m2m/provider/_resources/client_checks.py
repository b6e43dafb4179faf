"""Plan-time checks and nested defaults upstream v1.39.1 has for Client properties beyond the basic ones.

From `internal/auth0/client/resource.go` (all `StringInSlice(..., false)`: exact letter case)
and `internal/validation` (`IsURLWithHTTPSorEmptyString`), and `commons/token_quota.go`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from auth0_m2m.provider._resources._base import one_of, required

_MAX_QUOTA = 2147483647


def _https_or_empty(value: Any, prop: str) -> list[tuple[str, str]]:
    if not isinstance(value, str) or value == "":
        return []
    parts = urlsplit(value)
    if not parts.netloc or parts.scheme != "https":
        return [(prop, f"{prop} must be an https URL with a host, or empty")]
    return []


def _each(values: Any, prop: str, allowed: tuple[str, ...]) -> list[tuple[str, str]]:
    items = values if isinstance(values, list) else []
    return [failure for item in items for failure in one_of(item, prop, allowed)][:1]


def check_more(inputs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Failures for the validated Client properties the basic check does not cover."""
    failures = _https_or_empty(inputs.get("initiateLoginUri"), "initiateLoginUri")
    failures += one_of(
        inputs.get("complianceLevel"), "complianceLevel", ("none", "fapi1_adv_pkj_par", "fapi1_adv_mtls_par")
    )
    failures += _each(
        inputs.get("asyncApprovalNotificationChannels"),
        "asyncApprovalNotificationChannels",
        ("guardian-push", "email"),
    )
    failures += _each(
        inputs.get("organizationDiscoveryMethods"),
        "organizationDiscoveryMethods",
        ("email", "organization_name"),
    )
    failures += required(
        inputs,
        "refreshToken.rotationType",
        "refreshToken.expirationType",
        "refreshToken.policies[].audience",
        "refreshToken.policies[].scope",
        "tokenExchange.allowAnyProfileOfType",
        "oidcLogout.backchannelLogoutUrls",
        "oidcLogout.backchannelLogoutInitiators.mode",
        "oidcLogout.backchannelLogoutSessionMetadata.include",
    )
    refresh = inputs.get("refreshToken")
    if isinstance(refresh, Mapping):
        failures += one_of(
            refresh.get("rotationType"), "refreshToken.rotationType", ("rotating", "non-rotating")
        )
        failures += one_of(
            refresh.get("expirationType"), "refreshToken.expirationType", ("expiring", "non-expiring")
        )
    transfer = inputs.get("sessionTransfer")
    if isinstance(transfer, Mapping):
        failures += one_of(
            transfer.get("enforceDeviceBinding"),
            "sessionTransfer.enforceDeviceBinding",
            ("ip", "asn", "none"),
        )
    logout = inputs.get("oidcLogout")
    initiators = logout.get("backchannelLogoutInitiators") if isinstance(logout, Mapping) else None
    if isinstance(initiators, Mapping):
        failures += one_of(
            initiators.get("mode"), "oidcLogout.backchannelLogoutInitiators.mode", ("all", "custom")
        )
    quota = inputs.get("tokenQuota")
    creds = quota.get("clientCredentials") if isinstance(quota, Mapping) else None
    if isinstance(creds, Mapping):
        for key in ("perDay", "perHour"):
            value = creds.get(key)
            if isinstance(value, int) and not 1 <= value <= _MAX_QUOTA:
                failures.append(
                    (f"tokenQuota.clientCredentials.{key}", f"{key} must be between 1 and {_MAX_QUOTA}")
                )
    return failures


def nested_defaults(inputs: dict[str, Any]) -> None:
    """Fill upstream's nested `Default: true` values inside blocks the program sets (in place)."""
    transfer = inputs.get("sessionTransfer")
    if isinstance(transfer, Mapping):
        inputs["sessionTransfer"] = {
            "enforceCascadeRevocation": True,
            "enforceOnlineRefreshTokens": True,
            **transfer,
        }
    quota = inputs.get("tokenQuota")
    creds = quota.get("clientCredentials") if isinstance(quota, Mapping) else None
    if isinstance(quota, Mapping) and isinstance(creds, Mapping):
        inputs["tokenQuota"] = {**quota, "clientCredentials": {"enforce": True, **creds}}
