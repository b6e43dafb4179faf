"""Aliases from an integration's resources to where the pre-issue-13 component tree had them.

Until issue 13 an integration's app, grant and organization link sat one level lower, in
`MachineClient`, `Grant` and `OrganizationAccess` components. Each resource now carries an alias to
its old URN, so a stack made by the old tree upgrades without a replace. When the old parent's URN
is known as text (a top-level integration) the alias is the old URN itself, which the SDK passes to
the engine as is; otherwise it is `Alias(parent=...)`, which the SDK resolves through a dozen
Outputs per resource (the cost measured in bench/README.md).
"""

from __future__ import annotations

import pulumi


def legacy_aliases(
    legacy_parent: pulumi.Input[str] | None, type_: str, name: str
) -> list[pulumi.Input[str | pulumi.Alias]] | None:
    """The alias of resource `name` of type `type_` whose old parent had the URN `legacy_parent`."""
    if legacy_parent is None:
        return None
    if isinstance(legacy_parent, str):
        prefix, _, _ = legacy_parent.rpartition("::")
        return [f"{prefix}${type_}::{name}"]
    return [pulumi.Alias(parent=legacy_parent)]
