"""The public surfaces of `auth0_m2m.settings` and `auth0_m2m.components` are exactly their `__all__`."""

from __future__ import annotations

import auth0_m2m.components as components
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


def test_repository_components_folder_reexports_the_package() -> None:
    import components as repository_components

    assert repository_components.__all__ == components.__all__
    for name in components.__all__:
        assert getattr(repository_components, name) is getattr(components, name)
