"""The shared Pulumi program under mocks: provider, shared APIs and organizations, exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
from pulumi.runtime import settings as runtime_settings

from auth0_m2m.outputs import IntegrationOutputs
from auth0_m2m.program import pulumi_program

ConfigSetter = Callable[[dict[str, Any]], None]


def _stack_outputs() -> dict[str, Any]:
    root = runtime_settings.get_root_resource()
    assert root is not None
    return dict(root.outputs)  # type: ignore[attr-defined]


def _two_integrations(config: dict[str, Any]) -> dict[str, Any]:
    config["auth0-m2m:integrations"]["reporting"] = {
        "api": "billing",
        "scopes": ["read:invoices", "write:invoices"],
    }
    return config


def test_program_uses_an_explicit_provider_for_the_stack_tenant(
    recorder: Any, set_program_config: ConfigSetter, base_config: dict[str, Any]
) -> None:
    set_program_config(base_config)

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        pulumi_program()
        return pulumi.Output.all(*_stack_outputs().values())

    run()
    (provider,) = recorder.of_type("pulumi:providers:auth0")
    assert provider.name == "auth0-tenant"
    assert provider.inputs["domain"] == "dev-example.us.auth0.com"
    assert provider.inputs["clientId"] == "deployer-client-id"
    assert provider.inputs["clientSecret"]["value"] == "deployer-secret-value"  # arrives wrapped as a secret
    custom = [r for r in recorder.registered if r.typ.startswith("auth0:index/")]
    assert custom and all(
        r.provider and r.provider.endswith("::auth0-tenant::auth0-tenant-id") for r in custom
    )


def test_shared_api_and_organization_are_declared_once(
    recorder: Any, set_program_config: ConfigSetter, base_config: dict[str, Any]
) -> None:
    config = _two_integrations(base_config)
    config["auth0-m2m:integrations"]["reporting"].update({"organization": "acme"})
    set_program_config(config)

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        pulumi_program()
        return pulumi.Output.all(*_stack_outputs().values())

    run()
    assert len(recorder.of_type("auth0:index/resourceServer:ResourceServer")) == 1
    assert len(recorder.of_type("auth0:index/organization:Organization")) == 1
    assert len(recorder.of_type("auth0:index/client:Client")) == 2
    assert len(recorder.of_type("auth0:index/organizationClientGrant:OrganizationClientGrant")) == 2
    grants = {g.name: g.inputs for g in recorder.of_type("auth0:index/clientGrant:ClientGrant")}
    assert grants["reporting-grant"]["scopes"] == ["read:invoices", "write:invoices"]


def test_single_integration_exports_top_level_outputs(
    recorder: Any, set_program_config: ConfigSetter, base_config: dict[str, Any]
) -> None:
    set_program_config(base_config)
    seen: dict[str, Any] = {}

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        pulumi_program()
        outputs = _stack_outputs()
        seen["keys"] = set(outputs)

        async def collect() -> None:
            seen["integrations"] = await pulumi.Output.from_input(outputs["integrations"]).future()
            seen["secret"] = await pulumi.Output.from_input(outputs["client_secret"]).is_secret()
            seen["hostname"] = await pulumi.Output.from_input(outputs["hostname"]).future()

        return pulumi.Output.from_input(collect())

    run()
    assert seen["keys"] == {
        "integrations",
        "client_id",
        "client_secret",
        "hostname",
        "audience",
        "organization",
    }
    assert seen["secret"] is True
    assert seen["hostname"] == "dev-example.us.auth0.com"
    record = IntegrationOutputs.from_mapping("nango-billing", seen["integrations"]["nango-billing"])
    assert record.client_id == "cid-nango-billing-client"
    assert record.client_secret.get_secret_value() == "secret-of-nango-billing-credentials"
    assert record.audience == "https://api.example.com/billing"
    assert record.organization == "acme"
    assert record.organization_id == "org_acmeorg"
    assert record.token_url == "https://dev-example.us.auth0.com/oauth/token"
    assert record.scopes == ("read:invoices",)


def test_several_integrations_export_only_the_map(
    recorder: Any, set_program_config: ConfigSetter, base_config: dict[str, Any]
) -> None:
    set_program_config(_two_integrations(base_config))
    seen: dict[str, Any] = {}

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        pulumi_program()
        outputs = _stack_outputs()
        seen["keys"] = set(outputs)
        return pulumi.Output.from_input(outputs["integrations"]).apply(lambda v: seen.update(integrations=v))

    run()
    assert seen["keys"] == {"integrations"}
    assert sorted(seen["integrations"]) == ["nango-billing", "reporting"]
    assert seen["integrations"]["reporting"]["organization"] is None


def test_credentials_can_come_from_the_environment(
    recorder: Any, set_program_config: ConfigSetter, base_config: dict[str, Any], monkeypatch: Any
) -> None:
    base_config.pop("auth0:clientId")
    base_config.pop("auth0:clientSecret")
    monkeypatch.setenv("AUTH0_CLIENT_ID", "env-client-id")
    monkeypatch.setenv("AUTH0_CLIENT_SECRET", "env-secret")
    set_program_config(base_config)

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        pulumi_program()
        return pulumi.Output.all(*_stack_outputs().values())

    run()
    (provider,) = recorder.of_type("pulumi:providers:auth0")
    assert provider.inputs["clientId"] == "env-client-id"
    assert provider.inputs["clientSecret"]["value"] == "env-secret"


def test_protect_flag_protects_api_and_app(
    recorder: Any, set_program_config: ConfigSetter, base_config: dict[str, Any]
) -> None:
    base_config["auth0-m2m:protect"] = True
    set_program_config(base_config)
    from auth0_m2m.program import declare
    from auth0_m2m.settings import from_pulumi_config

    seen: dict[str, Any] = {}

    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        integrations = declare(from_pulumi_config())
        integration = integrations["nango-billing"]
        seen["client"] = integration.app.client._protect
        seen["grant"] = integration.client_grant._protect
        return integration.client_id

    run()
    assert seen["client"] is True
    assert not seen["grant"]
    servers = recorder.of_type("auth0:index/resourceServer:ResourceServer")
    assert len(servers) == 1


def test_invalid_config_logs_one_error_line_per_problem(
    recorder: Any, set_program_config: ConfigSetter, base_config: dict[str, Any], caplog: Any
) -> None:
    integration = base_config["auth0-m2m:integrations"]["nango-billing"]
    integration.update({"scopes": ["write:all"], "auth_method": "mtls"})
    set_program_config(base_config)

    @pulumi.runtime.test
    def run() -> None:
        with caplog.at_level("ERROR"):
            try:
                pulumi_program()
            except pulumi.RunError as error:
                assert "nothing was declared" in str(error)
            else:
                raise AssertionError("the program accepted an invalid config")

    run()
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors == [
        "auth0-m2m:integrations.nango-billing.auth_method: "
        "Input should be 'client_secret_post', 'client_secret_basic' or 'private_key_jwt'"
    ]
    assert recorder.registered == []
