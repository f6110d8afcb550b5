"""Security-scan findings: fixed in the constructs, or suppressed with a reason that
depends on the spec field that chose the configuration."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from constructs_ai.specs import AksSpec, ContainerRegistrySpec, EnvironmentSpec
from tests.conftest import ENVIRONMENT_NAMES, Stack, resources_of

REGISTRY_CHECKS_THAT_NEVER_APPLY = {"CKV_AZURE_164", "CKV_AZURE_165", "CKV_AZURE_166"}


def skips_of(stack: Stack, resource_type: str, name: str) -> dict[str, str]:
    """Return the suppressions of one resource as check id -> reason."""
    resource = resources_of(stack, resource_type)[name]
    skips = resource.get("//", {}).get("checkov", {}).get("skip", [])
    return {skip["id"]: skip["comment"] for skip in skips}


# Spec defaults


def test_aks_encrypts_at_host_by_default() -> None:
    aks = AksSpec(service_cidr="172.16.0.0/16", dns_service_ip="172.16.0.10")

    assert aks.host_encryption_enabled is True


def test_premium_registry_is_zone_redundant_and_expires_untagged_manifests() -> None:
    registry = ContainerRegistrySpec()

    assert registry.zone_redundancy_enabled is None
    assert registry.zone_redundant is True
    assert registry.untagged_manifest_retention_days == 7


@pytest.mark.parametrize("sku", ["Basic", "Standard"])
def test_registry_below_premium_is_not_zone_redundant(sku: str) -> None:
    registry = ContainerRegistrySpec(sku=sku, public_network_access_enabled=True)

    assert registry.zone_redundant is False


@pytest.mark.parametrize("sku", ["Basic", "Standard"])
def test_zone_redundancy_below_premium_is_rejected(sku: str) -> None:
    with pytest.raises(
        ValidationError,
        match=rf"zone_redundancy_enabled requires the Premium SKU, because Azure offers zone "
        rf"redundancy on no {sku} registry; got true",
    ):
        ContainerRegistrySpec(
            sku=sku, public_network_access_enabled=True, zone_redundancy_enabled=True
        )


def test_private_basic_zone_redundant_registry_reports_both_problems() -> None:
    with pytest.raises(ValidationError) as caught:
        ContainerRegistrySpec(sku="Basic", zone_redundancy_enabled=True)

    message = str(caught.value)
    assert "public_network_access_enabled requires the Premium SKU" in message
    assert "zone_redundancy_enabled requires the Premium SKU" in message


@pytest.mark.parametrize("days", [0, 366])
def test_retention_outside_azure_range_is_rejected(days: int) -> None:
    with pytest.raises(ValidationError, match=r"untagged_manifest_retention_days"):
        ContainerRegistrySpec(untagged_manifest_retention_days=days)


# Fixes in the built-in stacks


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_premium_registry_has_data_endpoint_zones_and_retention(
    stacks: dict[str, Stack], environment: str
) -> None:
    registry = resources_of(stacks[environment], "azurerm_container_registry")["acr"]

    assert registry["data_endpoint_enabled"] is True
    assert registry["zone_redundancy_enabled"] is True
    assert registry["retention_policy_in_days"] == 7


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_every_node_pool_encrypts_at_host(stacks: dict[str, Stack], environment: str) -> None:
    stack = stacks[environment]
    cluster = resources_of(stack, "azurerm_kubernetes_cluster")["aks"]
    pools = resources_of(stack, "azurerm_kubernetes_cluster_node_pool")

    assert cluster["default_node_pool"]["host_encryption_enabled"] is True
    assert pools
    assert all(pool["host_encryption_enabled"] is True for pool in pools.values())
    assert "CKV_AZURE_227" not in skips_of(stack, "azurerm_kubernetes_cluster", "aks")


# Suppressions in the built-in stacks


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_registry_skips_only_checks_that_never_apply(
    stacks: dict[str, Stack], environment: str
) -> None:
    stack = stacks[environment]
    registries = resources_of(stack, "azurerm_container_registry")

    for name in registries:
        assert set(skips_of(stack, "azurerm_container_registry", name)) == (
            REGISTRY_CHECKS_THAT_NEVER_APPLY
        )


def test_data_lake_with_private_endpoints_keeps_private_endpoint_check(
    stacks: dict[str, Stack],
) -> None:
    for stack in stacks.values():
        assert "CKV2_AZURE_33" not in skips_of(stack, "azurerm_storage_account", "datalake")


def test_only_disposable_dev_vault_skips_purge_protection(stacks: dict[str, Stack]) -> None:
    skipped = {
        name: set(skips_of(stack, "azurerm_key_vault", "keyvault"))
        for name, stack in stacks.items()
    }

    assert skipped == {"dev": {"CKV_AZURE_42", "CKV_AZURE_110"}, "staging": set(), "prod": set()}
    reason = skips_of(stacks["dev"], "azurerm_key_vault", "keyvault")["CKV_AZURE_110"]
    assert "key_vault.purge_protection_enabled is false" in reason
    assert "key_vault.disposable" in reason


def test_public_clusters_skip_private_cluster_check(stacks: dict[str, Stack]) -> None:
    skipped = {
        name: "CKV_AZURE_115" in skips_of(stack, "azurerm_kubernetes_cluster", "aks")
        for name, stack in stacks.items()
    }

    assert skipped == {"dev": True, "staging": True, "prod": False}


def test_only_free_tier_skips_paid_sku_check(stacks: dict[str, Stack]) -> None:
    skipped = {
        name: skips_of(stack, "azurerm_kubernetes_cluster", "aks").get("CKV_AZURE_170", "")
        for name, stack in stacks.items()
    }

    assert "aks.sku_tier is Free" in skipped["dev"]
    assert skipped["staging"] == skipped["prod"] == ""


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_openai_without_outbound_hosts_skips_allow_list_check(
    stacks: dict[str, Stack], environment: str
) -> None:
    skipped = skips_of(stacks[environment], "azurerm_cognitive_account", "openai")

    assert "openai.allowed_outbound_fqdns is empty" in skipped["CKV_AZURE_247"]
    assert "CKV2_AZURE_22" in skipped


def test_only_non_production_workspace_storage_skips_replication(
    stacks: dict[str, Stack],
) -> None:
    staging = skips_of(stacks["staging"], "azurerm_storage_account", "mlw_storage")
    prod = skips_of(stacks["prod"], "azurerm_storage_account", "mlw_storage")

    assert "CKV_AZURE_206" in staging
    assert "CKV_AZURE_206" not in prod
    assert {"CKV_AZURE_33", "CKV2_AZURE_1"} <= set(prod)


# Suppressions that follow a loosened spec


@pytest.fixture(scope="module")
def loosened(tmp_path_factory: pytest.TempPathFactory) -> Stack:
    """dev with every scanned setting loosened, synthesized to disk.

    `Testing.synth` drops the `//` metadata that contains the suppressions, so this
    synthesizes the app as `make synth` does.
    """
    from constructs_ai.synth import synth_to
    from tests.factories import spec_data

    data: dict[str, Any] = spec_data("dev")
    data["aks"]["host_encryption_enabled"] = False
    data["aks"]["sku_tier"] = "Premium"
    data["container_registry"] = {"sku": "Basic", "public_network_access_enabled": True}
    data["openai"]["allowed_outbound_fqdns"] = ["search.contoso.com"]
    data["machine_learning"] = {}
    out = synth_to([EnvironmentSpec.from_data(data)], tmp_path_factory.mktemp("loosened") / "out")
    return json.loads((out / "stacks" / "dev" / "cdk.tf.json").read_text("utf-8"))  # type: ignore[no-any-return]


def test_host_encryption_off_skips_check_on_cluster_and_pools(loosened: Stack) -> None:
    cluster = resources_of(loosened, "azurerm_kubernetes_cluster")["aks"]
    pools = resources_of(loosened, "azurerm_kubernetes_cluster_node_pool")

    assert cluster["default_node_pool"]["host_encryption_enabled"] is False
    assert "aks.host_encryption_enabled is false" in (
        skips_of(loosened, "azurerm_kubernetes_cluster", "aks")["CKV_AZURE_227"]
    )
    for name, pool in pools.items():
        assert pool["host_encryption_enabled"] is False
        assert "CKV_AZURE_227" in skips_of(loosened, "azurerm_kubernetes_cluster_node_pool", name)


def test_premium_tier_skips_paid_sku_check_with_its_own_reason(loosened: Stack) -> None:
    reason = skips_of(loosened, "azurerm_kubernetes_cluster", "aks")["CKV_AZURE_170"]

    assert "aks.sku_tier is Premium" in reason


def test_basic_registry_skips_premium_only_checks(loosened: Stack) -> None:
    registry = resources_of(loosened, "azurerm_container_registry")["acr"]
    skipped = skips_of(loosened, "azurerm_container_registry", "acr")

    assert "data_endpoint_enabled" not in registry
    assert "retention_policy_in_days" not in registry
    assert "zone_redundancy_enabled" not in registry
    assert set(skipped) == REGISTRY_CHECKS_THAT_NEVER_APPLY | {
        "CKV_AZURE_167",
        "CKV_AZURE_233",
        "CKV_AZURE_237",
    }
    assert "container_registry.sku is Basic" in skipped["CKV_AZURE_237"]


def test_openai_with_outbound_hosts_keeps_allow_list_check(loosened: Stack) -> None:
    account = resources_of(loosened, "azurerm_cognitive_account")["openai"]

    assert account["fqdns"] == ["search.contoso.com"]
    assert "CKV_AZURE_247" not in skips_of(loosened, "azurerm_cognitive_account", "openai")


def test_development_workspace_vault_skips_purge_protection(loosened: Stack) -> None:
    skipped = skips_of(loosened, "azurerm_key_vault", "mlw_kv")

    assert set(skipped) == {"CKV_AZURE_42", "CKV_AZURE_110"}
    assert "machine_learning.key_vault_purge_protection_enabled is false" in (
        skipped["CKV_AZURE_110"]
    )
