"""This repository's `components` folder: the auth0-m2m Pulumi components, for programs in a fork.

The components are part of the installed package as `auth0_m2m.components` (the wheel ships no
top-level `components`: a generic name that would collide in users' environments). A program in a
fork of this repository may import them from here, as `from components import M2MIntegration`;
everywhere else, and in new code, `from auth0_m2m.components import M2MIntegration`. This module
only re-exports; `tests/unit/test_settings_exports.py` checks that it re-exports everything.
"""

from __future__ import annotations

from auth0_m2m.components import *  # noqa: F403 - the re-export is the module's job
from auth0_m2m.components import __all__ as __all__
