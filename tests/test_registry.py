"""The container registry: secure defaults per SKU and the AcrPull grant."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ENVIRONMENT_NAMES, Stack, resources_of


def registry_of(stack: Stack) -> dict:  # type: ignore[type-arg]
    return resources_of(stack, "azurerm_container_registry")["acr"]


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_registry_has_no_admin_user_or_anonymous_pull(
    stacks: dict[str, Stack], environment: str
) -> None:
    registry = registry_of(stacks[environment])

    assert registry["admin_enabled"] is False
    assert registry["anonymous_pull_enabled"] is False
    assert re.fullmatch(r"[a-z0-9]{5,50}", registry["name"])


@pytest.mark.parametrize("environment", ["staging", "prod"])
def test_premium_registry_is_private(stacks: dict[str, Stack], environment: str) -> None:
    registry = registry_of(stacks[environment])

    assert registry["sku"] == "Premium"
    assert registry["public_network_access_enabled"] is False
    assert registry["export_policy_enabled"] is False


def test_basic_registry_is_public_by_choice(synth_spec) -> None:  # type: ignore[no-untyped-def]
    from constructs_ai.specs import EnvironmentSpec
    from tests.factories import spec_data

    data = spec_data("dev")
    data["container_registry"] = {"sku": "Basic", "public_network_access_enabled": True}

    stack = synth_spec(EnvironmentSpec.from_data(data))

    registry = registry_of(stack)
    assert registry["sku"] == "Basic"
    assert registry["public_network_access_enabled"] is True
    assert "export_policy_enabled" not in registry
    assert "pe_registry_registry" not in resources_of(stack, "azurerm_private_endpoint")


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_registry_is_private_with_endpoint(stacks: dict[str, Stack], environment: str) -> None:
    registry = registry_of(stacks[environment])
    endpoint = resources_of(stacks[environment], "azurerm_private_endpoint")["pe_registry_registry"]

    assert registry["sku"] == "Premium"
    assert registry["public_network_access_enabled"] is False
    assert endpoint["private_service_connection"]["subresource_names"] == ["registry"]


def test_registry_names_differ_between_environments(stacks: dict[str, Stack]) -> None:
    names = {registry_of(stack)["name"] for stack in stacks.values()}

    assert len(names) == len(ENVIRONMENT_NAMES)


def test_grant_pull_assigns_acr_pull() -> None:
    from cdktf import TerraformStack, Testing

    from constructs_ai.identity import ManagedIdentity
    from constructs_ai.refs import ResourceGroupRef
    from constructs_ai.registry import ContainerRegistry, registry_name
    from constructs_ai.specs import ContainerRegistrySpec

    stack = TerraformStack(Testing.app(), "test")
    group = ResourceGroupRef(name="rg", location="eastus2", id="rg-id")
    registry = ContainerRegistry(
        stack,
        "registry",
        spec=ContainerRegistrySpec(),
        name=registry_name("mlp", "test", "mlp/test"),
        seed="mlp/test",
        resource_group=group,
    )
    identity = ManagedIdentity(stack, "identity", name="id-app", key="app", resource_group=group)

    registry.grant_pull(identity)

    synthesized = Testing.synth(stack)
    assert '"role_definition_name": "AcrPull"' in synthesized
    assert '"ra_acr_acrpull_app"' in synthesized
