"""`machine_app()`: an M2M app, its authentication method and a secret client_secret."""

from __future__ import annotations

import pulumi
import pytest
from auth0_mocks import CLIENT, CREDENTIALS, Auth0Mocks

from auth0_m2m.components import MachineClientArgs, PublicKey, machine_app

OPTS = pulumi.ResourceOptions()
PEM = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"


@pulumi.runtime.test
def test_client_is_a_client_credentials_only_m2m_app(mocks: Auth0Mocks) -> pulumi.Output[None]:
    app = machine_app(
        "svc", MachineClientArgs(description="Billing sync", display_name="Billing sync app"), OPTS
    )

    def check(client_id: str) -> None:
        client = mocks.one(CLIENT)
        assert client.name == "svc-client"
        assert client.inputs["appType"] == "non_interactive"
        assert client.inputs["grantTypes"] == ["client_credentials"]
        assert client.inputs["description"] == "Billing sync"
        assert client.inputs["name"] == "Billing sync app"
        assert client.inputs["jwtConfiguration"] == {"alg": "RS256"}
        assert client_id == "cid-svc-client"

    return app.client_id.apply(check)


@pulumi.runtime.test
def test_default_auth_method_is_client_secret_post(mocks: Auth0Mocks) -> pulumi.Output[None]:
    app = machine_app("svc", MachineClientArgs(description="d"), OPTS)

    def check(client_id: str) -> None:
        creds = mocks.one(CREDENTIALS)
        assert creds.name == "svc-credentials"
        assert creds.inputs["clientId"] == client_id
        assert creds.inputs["authenticationMethod"] == "client_secret_post"
        assert "privateKeyJwt" not in creds.inputs

    return app.credentials.client_id.apply(check)


@pulumi.runtime.test
def test_client_secret_basic(mocks: Auth0Mocks) -> pulumi.Output[None]:
    app = machine_app("svc", MachineClientArgs(description="d", auth_method="client_secret_basic"), OPTS)
    return app.credentials.id.apply(
        lambda _: assert_equal(mocks.one(CREDENTIALS).inputs["authenticationMethod"], "client_secret_basic")
    )


def assert_equal(actual: object, expected: object) -> None:
    assert actual == expected


@pulumi.runtime.test
def test_private_key_jwt_registers_two_public_keys(mocks: Auth0Mocks) -> pulumi.Output[None]:
    keys = [PublicKey(pem=PEM, name="current"), PublicKey(pem=PEM, algorithm="PS256", name="next")]
    app = machine_app(
        "svc", MachineClientArgs(description="d", auth_method="private_key_jwt", public_keys=keys), OPTS
    )

    def check(_: object) -> None:
        creds = mocks.one(CREDENTIALS)
        assert creds.inputs["authenticationMethod"] == "private_key_jwt"
        assert creds.inputs["privateKeyJwt"]["credentials"] == [
            {"credentialType": "public_key", "pem": PEM, "algorithm": "RS256", "name": "current"},
            {"credentialType": "public_key", "pem": PEM, "algorithm": "PS256", "name": "next"},
        ]

    return app.credentials.id.apply(check)


@pulumi.runtime.test
def test_client_secret_is_a_secret_output(mocks: Auth0Mocks) -> pulumi.Output[None]:
    app = machine_app("svc", MachineClientArgs(description="d"), OPTS)

    async def check() -> None:
        # The mock returns the secret in plaintext: secrecy comes from the component itself.
        assert await app.credentials.client_secret.is_secret() is False
        assert await app.client_secret.is_secret() is True
        assert await app.client_secret.future() == "secret-of-svc-credentials"

    return pulumi.Output.from_input(check())


@pulumi.runtime.test
def test_protect_applies_to_the_app(mocks: Auth0Mocks) -> pulumi.Output[None]:
    app = machine_app("svc", MachineClientArgs(description="d", protect=True), OPTS)

    def check(_: object) -> None:
        assert mocks.request("svc-client").protect is True
        assert not mocks.request("svc-credentials").protect

    return app.credentials.id.apply(check)


@pytest.mark.parametrize("count", [0, 3])
@pulumi.runtime.test
def test_private_key_jwt_needs_one_or_two_keys(mocks: Auth0Mocks, count: int) -> None:
    keys = [PublicKey(pem=PEM)] * count
    with pytest.raises(ValueError, match="one or two public keys") as exc:
        machine_app(
            "svc", MachineClientArgs(description="d", auth_method="private_key_jwt", public_keys=keys), OPTS
        )
    assert "svc" in str(exc.value)
