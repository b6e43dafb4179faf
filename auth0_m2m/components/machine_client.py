"""The app part of an `M2MIntegration`: an Auth0 Machine-to-Machine app and how it authenticates.

`machine_app()` declares two resources, parented to the caller (the integration component):
`auth0.Client`, a `non_interactive` app that may only use the client-credentials grant, with its
description set explicitly (the SDK would otherwise write "Managed by Pulumi") and RS256 token
signing; and `auth0.ClientCredentials`, which sets the authentication method and holds the secret:
`client_secret_post` (the default, what Nango sends), `client_secret_basic`, or `private_key_jwt`
with one or two public keys (two allow a rotation without downtime).

It is a function, not a component: a component of its own was one more engine step and state entry
per integration with nothing to show for it (issue 13). Stacks made when it was the
`auth0-m2m:index:MachineClient` component keep their resources: each gets an alias under the old
component's URN (`legacy_parent`, auth0_m2m/components/_legacy.py).

With `import_id`, an app that exists already (made by hand) is adopted: both resources are imported
with its client id, so it keeps its client id and secret.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_auth0 as auth0

from auth0_m2m.components._legacy import legacy_aliases

CREDENTIALS_TYPE = "auth0:index/clientCredentials:ClientCredentials"

AuthMethod = Literal["client_secret_post", "client_secret_basic", "private_key_jwt"]


@dataclass(frozen=True)
class PublicKey:
    """A public key registered for `private_key_jwt`."""

    pem: pulumi.Input[str]
    """PEM-encoded public key or X.509 certificate."""
    algorithm: pulumi.Input[str] = "RS256"
    """RS256, RS384 or PS256."""
    name: pulumi.Input[str] | None = None
    """A label for the credential in Auth0."""


@dataclass(frozen=True)
class MachineClientArgs:
    """Arguments of `machine_app()`."""

    description: pulumi.Input[str]
    """The app's description in Auth0 (at most 140 characters); always set explicitly ("" with
    `import_id` keeps the description the adopted app has: it is then ignored in diffs)."""
    display_name: pulumi.Input[str] | None = None
    """The app's name in Auth0; defaults to the integration's name."""
    auth_method: AuthMethod = "client_secret_post"
    """How the app authenticates at the token endpoint."""
    public_keys: Sequence[PublicKey] = ()
    """With `private_key_jwt`: one or two public keys."""
    protect: bool = False
    """Protect the app from deletion (production stacks)."""
    import_id: str | None = None
    """The client id of an existing app to adopt instead of creating one (not with private_key_jwt)."""


@dataclass(frozen=True)
class MachineClient:
    """The resources `machine_app()` declared and the values consumers need."""

    client: auth0.Client
    """The Auth0 application."""
    credentials: auth0.ClientCredentials
    """The application's authentication method and secret."""
    client_id: pulumi.Output[str]
    """The app's client ID."""
    client_secret: pulumi.Output[str]
    """The app's client secret, always a Pulumi secret ("" with private_key_jwt)."""


def check_machine_client(name: str, args: MachineClientArgs) -> None:
    """Raise ValueError (naming `name`) for combinations Auth0 or adoption cannot honour."""
    if args.auth_method == "private_key_jwt" and not 1 <= len(args.public_keys) <= 2:
        raise ValueError(f"{name}: private_key_jwt needs one or two public keys")
    if args.auth_method != "private_key_jwt" and args.public_keys:
        raise ValueError(f"{name}: public_keys are only used with private_key_jwt")
    if args.import_id is not None and args.auth_method == "private_key_jwt":
        raise ValueError(f"{name}: a private_key_jwt app cannot be adopted (its keys are unreadable)")


def machine_app(
    name: str,
    args: MachineClientArgs,
    opts: pulumi.ResourceOptions,
    *,
    legacy_parent: pulumi.Input[str] | None = None,
) -> MachineClient:
    """Declare `<name>-client` and `<name>-credentials` with `opts` (their parent and hooks), aliased
    under `legacy_parent`."""
    check_machine_client(name, args)
    client = auth0.Client(
        f"{name}-client",
        name=args.display_name if args.display_name is not None else name,
        description=args.description,
        app_type="non_interactive",
        grant_types=["client_credentials"],
        jwt_configuration=auth0.ClientJwtConfigurationArgs(alg="RS256"),
        # An adopted app without a configured description keeps its own: upstream treats "" as a
        # change (to empty), so the property is left out of the comparison instead.
        opts=pulumi.ResourceOptions.merge(
            opts,
            pulumi.ResourceOptions(
                protect=args.protect,
                import_=args.import_id,
                aliases=legacy_aliases(legacy_parent, "auth0:index/client:Client", f"{name}-client"),
                ignore_changes=["description"]
                if args.import_id is not None and args.description == ""
                else None,
            ),
        ),
    )
    private_key_jwt = None
    if args.auth_method == "private_key_jwt":
        private_key_jwt = auth0.ClientCredentialsPrivateKeyJwtArgs(
            credentials=[
                auth0.ClientCredentialsPrivateKeyJwtCredentialArgs(
                    credential_type="public_key", pem=key.pem, algorithm=key.algorithm, name=key.name
                )
                for key in args.public_keys
            ]
        )
    credentials = auth0.ClientCredentials(
        f"{name}-credentials",
        client_id=client.client_id,
        authentication_method=args.auth_method,
        private_key_jwt=private_key_jwt,
        # A key change replaces this resource (upstream ForceNew). Upstream's bridge would create the
        # new one first, and the old one's delete then drops every credential of the client, the new
        # ones included: delete first (docs/provider-fidelity.md).
        opts=pulumi.ResourceOptions.merge(
            opts,
            pulumi.ResourceOptions(
                import_=args.import_id,
                delete_before_replace=True,
                aliases=legacy_aliases(legacy_parent, CREDENTIALS_TYPE, f"{name}-credentials"),
            ),
        ),
    )
    # Upstream marks clientSecret Sensitive; wrapped again so that it is a secret whatever marks it.
    secret: pulumi.Output[str]
    if private_key_jwt is None:
        secret = pulumi.Output.secret(credentials.client_secret)
    else:  # no secret: "" rather than None, as for the other methods
        secret = pulumi.Output.secret(credentials.client_secret.apply(lambda s: s or ""))
    return MachineClient(client, credentials, client.client_id, secret)
