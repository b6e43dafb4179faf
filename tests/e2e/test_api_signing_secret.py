"""The API's signing secret stays out of the state in plaintext, as it must on upstream too.

Upstream (terraform-provider-auth0 v1.39.1) does not mark `auth0_resource_server.signing_secret`
Sensitive, so pulumi-auth0 stores it in plain text unless the program asks for it to be secret;
the stand-in behaves the same, and the `Api` component asks (`additional_secret_outputs`).
"""

from __future__ import annotations

from typing import Any

import pytest
from e2e_harness import Project, TenantView

pytestmark = pytest.mark.e2e

CONFIG: dict[str, Any] = {
    "auth0:domain": "placeholder.example.com",
    "auth0-m2m:apis": {
        "ledger": {
            "identifier": "https://api.e2e.test/ledger",
            "name": "Ledger",
            "scopes": {"read:ledger": "Read"},
        }
    },
    "auth0-m2m:integrations": {"ledger-sync": {"api": "ledger", "scopes": ["read:ledger"]}},
}


def test_api_signing_secret_is_never_in_plaintext_state(project: Project, view: TenantView) -> None:
    project.write_stack("signing", CONFIG)
    assert project.up("signing").summary.result == "succeeded"
    apis = [a for a in view.apis() if a["identifier"] == "https://api.e2e.test/ledger"]
    secret = apis[0].get("signing_secret")
    assert secret and len(secret) >= 16, "the tenant gives every API a signing secret"
    assert secret not in project.state_text()
    project.stack("signing").destroy()
