"""The component tree before issue 13, kept as a fixture for the upgrade test (test_upgrade_tree.py).

Until issue 13, `M2MIntegration` composed three components of its own: `MachineClient` (the app and
its credentials), `Grant` and `OrganizationAccess`, each named like the integration, so every
integration was 6 or 7 state entries. `LegacyM2MIntegration` declares exactly that tree with the
inputs the components had at commit cc6956e (the adoption paths left out: the upgrade test creates
its objects). `legacy_program()` is the project's program with it in place of the new component.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pulumi
import pulumi_auth0 as auth0

import auth0_m2m.program
from auth0_m2m.components import M2MIntegrationArgs, Organization


class _MachineClient(pulumi.ComponentResource):
    def __init__(self, name: str, args: M2MIntegrationArgs, opts: pulumi.ResourceOptions) -> None:
        super().__init__("auth0-m2m:index:MachineClient", name, None, opts)
        self.client = auth0.Client(
            f"{name}-client",
            name=args.app_name if args.app_name is not None else name,
            description=args.description,
            app_type="non_interactive",
            grant_types=["client_credentials"],
            jwt_configuration=auth0.ClientJwtConfigurationArgs(alg="RS256"),
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect),
        )
        self.credentials = auth0.ClientCredentials(
            f"{name}-credentials",
            client_id=self.client.client_id,
            authentication_method=args.auth_method,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.client_id = self.client.client_id
        self.client_secret = pulumi.Output.secret(self.credentials.client_secret.apply(lambda s: s or ""))
        self.register_outputs(
            {
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "auth_method": pulumi.Output.from_input(args.auth_method),
            }
        )


class _Grant(pulumi.ComponentResource):
    def __init__(
        self,
        name: str,
        client_id: pulumi.Input[str],
        audience: pulumi.Input[str],
        args: M2MIntegrationArgs,
        depends_on: list[pulumi.Resource],
        opts: pulumi.ResourceOptions,
    ) -> None:
        super().__init__("auth0-m2m:index:Grant", name, None, opts)
        usage = args.organization_usage if args.organization is not None else "deny"
        self.client_grant = auth0.ClientGrant(
            f"{name}-grant",
            client_id=client_id,
            audience=audience,
            scopes=list(args.scopes),
            organization_usage=usage,
            allow_any_organization=args.allow_any_organization,
            opts=pulumi.ResourceOptions(parent=self, depends_on=depends_on),
        )
        self.grant_id = self.client_grant.id
        self.register_outputs(
            {
                "grant_id": self.grant_id,
                "scopes": pulumi.Output.from_input(list(args.scopes)),
                "organization_usage": pulumi.Output.from_input(usage),
            }
        )


class _OrganizationAccess(pulumi.ComponentResource):
    def __init__(
        self, name: str, args: M2MIntegrationArgs, grant_id: pulumi.Input[str], opts: pulumi.ResourceOptions
    ) -> None:
        super().__init__("auth0-m2m:index:OrganizationAccess", name, None, opts)
        org = args.organization
        if isinstance(org, Organization):
            organization_id, organization_name = org.organization_id, org.organization_name
        else:
            assert org is not None  # noqa: S101 - only made with an organization
            organization_id = pulumi.Output.from_input(org.id)
            organization_name = pulumi.Output.from_input(org.name if org.name is not None else org.id)
        self.link = auth0.OrganizationClientGrant(
            f"{name}-org-grant",
            organization_id=organization_id,
            grant_id=grant_id,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.organization_id = self.link.organization_id
        self.organization_name = organization_name
        self.register_outputs(
            {"organization_id": self.organization_id, "organization_name": self.organization_name}
        )


class LegacyM2MIntegration(pulumi.ComponentResource):
    """`M2MIntegration` as it was at cc6956e: three child components."""

    def __init__(
        self, name: str, args: M2MIntegrationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("auth0-m2m:index:M2MIntegration", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        app = _MachineClient(name, args, child)
        if args.api is not None:
            audience: pulumi.Input[str] = args.api.identifier
            depends_on: list[pulumi.Resource] = [args.api.scopes_resource]
        else:
            assert args.audience is not None  # noqa: S101 - the program gives one of them
            audience, depends_on = args.audience, []
        grant = _Grant(name, app.client_id, audience, args, depends_on, child)
        access = _OrganizationAccess(name, args, grant.grant_id, child) if args.organization else None
        none: pulumi.Output[Any] = pulumi.Output.from_input(None)
        self.details: dict[str, pulumi.Output[Any]] = {
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "hostname": pulumi.Output.from_input(args.hostname),
            "audience": pulumi.Output.from_input(audience),
            "organization": access.organization_name if access is not None else none,
            "organization_id": access.organization_id if access is not None else none,
            "token_url": pulumi.Output.concat(
                "https://", pulumi.Output.from_input(args.hostname), "/oauth/token"
            ),
            "scopes": pulumi.Output.from_input(list(args.scopes)),
        }
        self.register_outputs(self.details)

    def connection_details(self) -> dict[str, pulumi.Output[Any]]:
        """The same outputs as the new component."""
        return self.details


@contextmanager
def legacy_program() -> Iterator[None]:
    """While active, the project's program (auth0_m2m.program) declares the old tree."""
    with mock.patch.object(auth0_m2m.program, "M2MIntegration", LegacyM2MIntegration):
        yield


def run_legacy(call: Callable[[], Any]) -> Any:
    """`call()` (an Automation API `up`) with the old tree in place."""
    with legacy_program():
        return call()
