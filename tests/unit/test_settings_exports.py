"""The public surfaces of `auth0_m2m.settings` and `components` are exactly their `__all__`."""

from __future__ import annotations

import components
from auth0_m2m import settings


def test_settings_all_matches_public_names() -> None:
    public = {n for n in vars(settings) if not n.startswith("_") and n not in {"annotations", "policy"}}
    assert public == set(settings.__all__)


def test_components_all_matches_public_names() -> None:
    modules = {"api", "grant", "integration", "machine_client", "organization", "organization_access"}
    modules |= {"pacing"}
    public = {
        n for n in vars(components) if not n.startswith("_") and n != "annotations" and n not in modules
    }
    assert public == set(components.__all__)
