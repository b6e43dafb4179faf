"""Stack configs of any size for the scenarios, with the objects each one should leave in the tenant."""

from __future__ import annotations

from typing import Any

API_SCOPES = {"read:data": "Read data", "write:data": "Write data", "read:reports": "Read reports"}


def integrations_config(count: int, *, apis: int = 2, organizations: int = 2) -> dict[str, Any]:
    """A valid `local` stack config with `count` integrations over `apis` APIs and `organizations` orgs.

    Integration k uses API k mod `apis`, one or two scopes, `client_secret_post` or `_basic`, and
    every third one an organization (k mod `organizations`).
    """
    api_keys = [f"api{a}" for a in range(apis)]
    org_keys = [f"org{o}" for o in range(organizations)]
    integrations: dict[str, Any] = {}
    for k in range(count):
        item: dict[str, Any] = {
            "api": api_keys[k % apis],
            "scopes": ["read:data"] if k % 2 else ["read:data", "read:reports"],
            "auth_method": "client_secret_basic" if k % 2 else "client_secret_post",
        }
        if organizations and k % 3 == 0:
            item["organization"] = org_keys[k % organizations]
        integrations[f"m2m-{k:02d}"] = item
    return {
        "auth0:domain": "localhost:8443",
        "auth0-m2m:apis": {
            key: {
                "identifier": f"https://api.stress.test/{key}",
                "name": f"Stress {key}",
                "scopes": API_SCOPES,
            }
            for key in api_keys
        },
        "auth0-m2m:organizations": {key: {"display_name": f"Org {key}"} for key in org_keys},
        "auth0-m2m:integrations": integrations,
    }


def expected_objects(config: dict[str, Any]) -> dict[str, int]:
    """How many objects of each kind the config declares."""
    integrations = config["auth0-m2m:integrations"]
    return {
        "clients": len(integrations),
        "grants": len(integrations),
        "apis": len(config["auth0-m2m:apis"]),
        "organizations": len(config["auth0-m2m:organizations"]),
        "organization_links": sum(1 for i in integrations.values() if "organization" in i),
    }
