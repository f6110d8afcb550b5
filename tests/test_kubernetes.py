"""Targeted assertions on the synthesized AKS cluster, its pools and identities."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

import pytest

from constructs_ai.specs import AksSpec, EnvironmentSpec
from tests.conftest import ENVIRONMENT_NAMES, Stack, resources_of

GPU_POOLS = {"dev": ["t4"], "staging": ["a100"], "prod": ["a100", "h100"]}


def cluster_of(stack: Stack) -> dict[str, Any]:
    return resources_of(stack, "azurerm_kubernetes_cluster")["aks"]


def gpu_pools_of(stack: Stack) -> dict[str, dict[str, Any]]:
    return resources_of(stack, "azurerm_kubernetes_cluster_node_pool")


def role_assignments_of(stack: Stack) -> dict[str, dict[str, Any]]:
    return resources_of(stack, "azurerm_role_assignment")


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_gpu_pools_carry_taint_and_labels(stacks: dict[str, Stack], environment: str) -> None:
    pools = gpu_pools_of(stacks[environment])

    assert sorted(pools) == [f"aks_pool_{key}" for key in GPU_POOLS[environment]]
    for pool in pools.values():
        assert "sku=gpu:NoSchedule" in pool["node_taints"]
        assert pool["node_labels"] == {"sku": "gpu"}
        assert pool["mode"] == "User"
        assert pool["gpu_driver"] == "Install"


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_autoscaler_bounds_come_from_spec(
    stacks: dict[str, Stack], builtin_specs: dict[str, EnvironmentSpec], environment: str
) -> None:
    aks = builtin_specs[environment].aks
    assert aks is not None
    cluster = cluster_of(stacks[environment])
    pools = gpu_pools_of(stacks[environment])

    system = cluster["default_node_pool"]
    assert system["auto_scaling_enabled"] is True
    assert (system["min_count"], system["max_count"]) == (
        aks.system_pool.min_count,
        aks.system_pool.max_count,
    )
    for key, spec_pool in aks.gpu_pools.items():
        pool = pools[f"aks_pool_{key}"]
        assert pool["auto_scaling_enabled"] is True
        assert (pool["min_count"], pool["max_count"]) == (spec_pool.min_count, spec_pool.max_count)


def test_dev_gpu_pool_scales_to_zero_on_spot(stacks: dict[str, Stack]) -> None:
    pool = gpu_pools_of(stacks["dev"])["aks_pool_t4"]

    assert pool["vm_size"] == "Standard_NC4as_T4_v3"
    assert pool["min_count"] == 0
    assert pool["priority"] == "Spot"
    assert pool["eviction_policy"] == "Delete"
    assert pool["spot_max_price"] == -1
    assert pool["node_taints"] == [
        "sku=gpu:NoSchedule",
        "kubernetes.azure.com/scalesetpriority=spot:NoSchedule",
    ]


def test_regular_pools_have_no_spot_settings(stacks: dict[str, Stack]) -> None:
    pool = gpu_pools_of(stacks["prod"])["aks_pool_a100"]

    assert pool["priority"] == "Regular"
    assert "eviction_policy" not in pool
    assert "spot_max_price" not in pool


def test_gpu_sizes_grow_with_the_environment(stacks: dict[str, Stack]) -> None:
    sizes = {
        environment: sorted(pool["vm_size"] for pool in gpu_pools_of(stacks[environment]).values())
        for environment in ENVIRONMENT_NAMES
    }

    assert sizes["dev"] == ["Standard_NC4as_T4_v3"]
    assert sizes["staging"] == ["Standard_NC24ads_A100_v4"]
    assert sizes["prod"] == ["Standard_NC24ads_A100_v4", "Standard_NC40ads_H100_v5"]


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_network_profile_is_explicit_overlay(
    stacks: dict[str, Stack], builtin_specs: dict[str, EnvironmentSpec], environment: str
) -> None:
    aks = builtin_specs[environment].aks
    assert aks is not None
    profile = cluster_of(stacks[environment])["network_profile"]
    vnet = builtin_specs[environment].network.address_space

    assert profile["network_plugin"] == "azure"
    assert profile["network_plugin_mode"] == "overlay"
    assert profile["service_cidr"] == str(aks.service_cidr)
    assert profile["dns_service_ip"] == str(aks.dns_service_ip)
    assert profile["pod_cidr"] == "10.244.0.0/16"
    service = ipaddress.IPv4Network(profile["service_cidr"])
    assert not any(service.overlaps(net) for net in vnet)
    assert ipaddress.IPv4Address(profile["dns_service_ip"]) in service


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_nodes_join_the_aks_subnet(stacks: dict[str, Stack], environment: str) -> None:
    cluster = cluster_of(stacks[environment])
    pools = gpu_pools_of(stacks[environment])

    subnet = "${azurerm_subnet.snet_aks.id}"
    assert cluster["default_node_pool"]["vnet_subnet_id"] == subnet
    assert {pool["vnet_subnet_id"] for pool in pools.values()} == {subnet}


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_cluster_depends_on_subnet_role_assignment(
    stacks: dict[str, Stack], environment: str
) -> None:
    cluster = cluster_of(stacks[environment])
    assignments = role_assignments_of(stacks[environment])

    grant = assignments["ra_snet_aks_network_contributor_aks"]
    assert grant["role_definition_name"] == "Network Contributor"
    assert grant["scope"] == "${azurerm_subnet.snet_aks.id}"
    assert grant["principal_id"] == "${azurerm_user_assigned_identity.id_aks.principal_id}"
    assert "azurerm_role_assignment.ra_snet_aks_network_contributor_aks" in cluster["depends_on"]
    assert cluster["identity"] == {
        "type": "UserAssigned",
        "identity_ids": ["${azurerm_user_assigned_identity.id_aks.id}"],
    }


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_control_plane_operates_kubelet_identity(
    stacks: dict[str, Stack], environment: str
) -> None:
    cluster = cluster_of(stacks[environment])
    assignments = role_assignments_of(stacks[environment])

    grant = assignments["ra_id_aks_kubelet_managed_identity_operator_aks"]
    assert grant["role_definition_name"] == "Managed Identity Operator"
    assert grant["scope"] == "${azurerm_user_assigned_identity.id_aks_kubelet.id}"
    assert grant["principal_id"] == "${azurerm_user_assigned_identity.id_aks.principal_id}"
    assert (
        "azurerm_role_assignment.ra_id_aks_kubelet_managed_identity_operator_aks"
        in cluster["depends_on"]
    )
    assert cluster["kubelet_identity"]["user_assigned_identity_id"] == (
        "${azurerm_user_assigned_identity.id_aks_kubelet.id}"
    )


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_kubelet_identity_may_pull_from_registry(
    stacks: dict[str, Stack], environment: str
) -> None:
    grant = role_assignments_of(stacks[environment])["ra_acr_acrpull_aks_kubelet"]

    assert grant["role_definition_name"] == "AcrPull"
    assert grant["scope"] == "${azurerm_container_registry.acr.id}"
    assert grant["principal_id"] == (
        "${azurerm_user_assigned_identity.id_aks_kubelet.principal_id}"
    )


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_cluster_uses_entra_id_and_workload_identity(
    stacks: dict[str, Stack], environment: str
) -> None:
    cluster = cluster_of(stacks[environment])

    assert cluster["local_account_disabled"] is True
    assert cluster["role_based_access_control_enabled"] is True
    assert cluster["azure_active_directory_role_based_access_control"]["azure_rbac_enabled"]
    assert cluster["oidc_issuer_enabled"] is True
    assert cluster["workload_identity_enabled"] is True
    assert cluster["key_vault_secrets_provider"]["secret_rotation_enabled"] is True
    assert cluster["azure_policy_enabled"] is True
    assert cluster["oms_agent"] == {
        "log_analytics_workspace_id": "${azurerm_log_analytics_workspace.log.id}",
        "msi_auth_for_monitoring_enabled": True,
    }


def test_only_prod_cluster_is_private(stacks: dict[str, Stack]) -> None:
    clusters = {name: cluster_of(stack) for name, stack in stacks.items()}

    assert clusters["prod"]["private_cluster_enabled"] is True
    assert "api_server_access_profile" not in clusters["prod"]
    assert clusters["dev"]["private_cluster_enabled"] is False
    assert clusters["dev"]["api_server_access_profile"]["authorized_ip_ranges"] == [
        "203.0.113.0/28"
    ]
    assert clusters["staging"]["private_cluster_enabled"] is False
    assert clusters["staging"]["api_server_access_profile"]["authorized_ip_ranges"] == [
        "198.51.100.0/28"
    ]


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_rotation_names_differ_from_pool_names(stacks: dict[str, Stack], environment: str) -> None:
    system = cluster_of(stacks[environment])["default_node_pool"]
    pools = list(gpu_pools_of(stacks[environment]).values())

    names = {system["name"], *(pool["name"] for pool in pools)}
    temporary = [system["temporary_name_for_rotation"]]
    temporary += [pool["temporary_name_for_rotation"] for pool in pools]
    assert system["temporary_name_for_rotation"] == "systemtmp"
    assert not names & set(temporary)
    assert len(set(temporary)) == len(temporary)


def test_os_disk_type_follows_temp_disk_size(stacks: dict[str, Stack]) -> None:
    prod_pools = gpu_pools_of(stacks["prod"])

    assert cluster_of(stacks["dev"])["default_node_pool"]["os_disk_type"] == "Ephemeral"
    assert prod_pools["aks_pool_a100"]["os_disk_type"] == "Managed"
    assert prod_pools["aks_pool_h100"]["os_disk_type"] == "Ephemeral"


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_upgrades_follow_channels_and_window(stacks: dict[str, Stack], environment: str) -> None:
    cluster = cluster_of(stacks[environment])

    assert cluster["automatic_upgrade_channel"] == "patch"
    assert cluster["node_os_upgrade_channel"] == "NodeImage"
    for window in ("maintenance_window_auto_upgrade", "maintenance_window_node_os"):
        assert cluster[window]["frequency"] == "Weekly"
        assert cluster[window]["day_of_week"] == "Sunday"
        assert cluster[window]["duration"] == 4


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_oidc_issuer_url_is_an_output(stacks: dict[str, Stack], environment: str) -> None:
    outputs = stacks[environment]["output"]

    assert outputs["aks_oidc_issuer_url"]["value"] == (
        "${azurerm_kubernetes_cluster.aks.oidc_issuer_url}"
    )


# The construct on its own, for options the built-in environments do not use.


def synth_cluster(aks: AksSpec, **options: Any) -> Stack:
    from cdktf import TerraformStack, Testing

    from constructs_ai.kubernetes import AksCluster
    from constructs_ai.refs import ResourceGroupRef, SubnetRef

    app = Testing.app()
    stack = TerraformStack(app, "test")
    AksCluster(
        stack,
        "aks",
        spec=aks,
        workload="mlp",
        environment="test",
        seed="mlp/test",
        production=False,
        resource_group=ResourceGroupRef(name="rg-mlp-test", location="eastus2", id="rg-id"),
        subnet=SubnetRef(
            key="aks", name="snet", id="subnet-id", cidr=ipaddress.IPv4Network("10.0.0.0/20")
        ),
        **options,
    )
    return json.loads(Testing.synth(stack))


@pytest.fixture(scope="module")
def operator_cluster() -> Stack:
    aks = AksSpec(
        service_cidr="172.16.0.0/16",
        dns_service_ip="172.16.0.10",
        authorized_ip_ranges=["203.0.113.0/28"],
        automatic_upgrade_channel="none",
        network_dataplane="azure",
        gpu_pools={
            "h100": {"vm_size": "Standard_NC40ads_H100_v5", "max_count": 1, "gpu_driver": "None"},
        },
    )
    return synth_cluster(aks, log_analytics_workspace_id="workspace-id")


def test_gpu_operator_pool_skips_driver(operator_cluster: Stack) -> None:
    pool = gpu_pools_of(operator_cluster)["aks_pool_h100"]

    assert pool["gpu_driver"] == "None"


def test_workspace_id_turns_on_container_insights(operator_cluster: Stack) -> None:
    cluster = cluster_of(operator_cluster)

    assert cluster["oms_agent"] == {
        "log_analytics_workspace_id": "workspace-id",
        "msi_auth_for_monitoring_enabled": True,
    }


def test_upgrade_channel_none_is_left_unset(operator_cluster: Stack) -> None:
    cluster = cluster_of(operator_cluster)

    assert "automatic_upgrade_channel" not in cluster


def test_azure_dataplane_sets_no_network_policy(operator_cluster: Stack) -> None:
    profile = cluster_of(operator_cluster)["network_profile"]

    assert profile["network_data_plane"] == "azure"
    assert "network_policy" not in profile


def test_cluster_exposes_ids_and_identities() -> None:
    from cdktf import TerraformOutput, TerraformStack, Testing

    from constructs_ai.identity import ManagedIdentity
    from constructs_ai.kubernetes import AksCluster
    from constructs_ai.refs import ResourceGroupRef, SubnetRef

    stack = TerraformStack(Testing.app(), "test")
    cluster = AksCluster(
        stack,
        "aks",
        spec=AksSpec(service_cidr="172.16.0.0/16", dns_service_ip="172.16.0.10",
                     private_cluster_enabled=True),
        workload="mlp",
        environment="test",
        seed="mlp/test",
        production=True,
        resource_group=ResourceGroupRef(name="rg", location="eastus2", id="rg-id"),
        subnet=SubnetRef(key="aks", name="snet", id="subnet-id",
                         cidr=ipaddress.IPv4Network("10.0.0.0/20")),
    )

    TerraformOutput(stack, "oidc", value=cluster.oidc_issuer_url)
    TerraformOutput(stack, "cluster-id", value=cluster.id)
    outputs = json.loads(Testing.synth(stack))["output"]

    assert isinstance(cluster.kubelet_identity, ManagedIdentity)
    assert outputs["oidc"]["value"] == "${azurerm_kubernetes_cluster.aks.oidc_issuer_url}"
    assert outputs["cluster-id"]["value"] == "${azurerm_kubernetes_cluster.aks.id}"
