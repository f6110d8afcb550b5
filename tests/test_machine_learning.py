"""Machine Learning workspace, AI Foundry hub and Purview: secure defaults and spec rules."""

from __future__ import annotations

import json
from typing import Any

import pytest

from constructs_ai.errors import SpecError
from constructs_ai.specs import EnvironmentSpec
from tests.conftest import Stack, resources_of
from tests.factories import spec_data

WORKSPACE_ENVIRONMENTS = ("staging", "prod")


def spec_error(data: dict[str, Any], match: str) -> SpecError:
    with pytest.raises(SpecError, match=match) as caught:
        EnvironmentSpec.from_data(data)
    return caught.value


def test_dev_has_no_workspace(stacks: dict[str, Stack]) -> None:
    assert resources_of(stacks["dev"], "azurerm_machine_learning_workspace") == {}
    assert "mlw_storage" not in resources_of(stacks["dev"], "azurerm_storage_account")


@pytest.mark.parametrize("environment", WORKSPACE_ENVIRONMENTS)
def test_workspace_is_private_and_isolated(stacks: dict[str, Stack], environment: str) -> None:
    workspace = resources_of(stacks[environment], "azurerm_machine_learning_workspace")["mlw"]

    assert workspace["public_network_access_enabled"] is False
    assert workspace["managed_network"] == {"isolation_mode": "AllowOnlyApprovedOutbound"}
    assert workspace["identity"]["type"] == "SystemAssigned"
    assert workspace["storage_account_id"] == "${azurerm_storage_account.mlw_storage.id}"
    assert workspace["key_vault_id"] == "${azurerm_key_vault.mlw_kv.id}"
    assert workspace["container_registry_id"] == "${azurerm_container_registry.mlw_acr.id}"
    assert workspace["application_insights_id"] == "${azurerm_application_insights.mlw_appi.id}"


@pytest.mark.parametrize("environment", WORKSPACE_ENVIRONMENTS)
def test_workspace_storage_has_no_hns(stacks: dict[str, Stack], environment: str) -> None:
    storage = resources_of(stacks[environment], "azurerm_storage_account")["mlw_storage"]

    assert storage["account_kind"] == "StorageV2"
    assert storage["is_hns_enabled"] is False
    assert storage["shared_access_key_enabled"] is False
    assert storage["public_network_access_enabled"] is False
    assert storage["allow_nested_items_to_be_public"] is False
    assert storage["local_user_enabled"] is False
    assert storage["blob_properties"]["delete_retention_policy"] == {"days": 7}


@pytest.mark.parametrize("environment", WORKSPACE_ENVIRONMENTS)
def test_key_vault_uses_rbac_and_purge_protection(
    stacks: dict[str, Stack], environment: str
) -> None:
    vault = resources_of(stacks[environment], "azurerm_key_vault")["mlw_kv"]

    assert vault["rbac_authorization_enabled"] is True
    assert vault["purge_protection_enabled"] is True
    assert vault["public_network_access_enabled"] is False
    assert vault["tenant_id"] == "${data.azurerm_client_config.mlw_client_config.tenant_id}"


@pytest.mark.parametrize("environment", WORKSPACE_ENVIRONMENTS)
def test_registry_is_premium_without_admin(stacks: dict[str, Stack], environment: str) -> None:
    registry = resources_of(stacks[environment], "azurerm_container_registry")["mlw_acr"]

    assert registry["sku"] == "Premium"
    assert registry["admin_enabled"] is False
    assert registry["public_network_access_enabled"] is False
    assert registry["zone_redundancy_enabled"] is True
    assert registry["data_endpoint_enabled"] is True
    assert registry["retention_policy_in_days"] == 7


@pytest.mark.parametrize("environment", WORKSPACE_ENVIRONMENTS)
def test_app_insights_is_workspace_based(stacks: dict[str, Stack], environment: str) -> None:
    insights = resources_of(stacks[environment], "azurerm_application_insights")["mlw_appi"]

    # The environment's own workspace, so the workspace does not create a second one.
    assert insights["workspace_id"] == "${azurerm_log_analytics_workspace.log.id}"
    assert resources_of(stacks[environment], "azurerm_log_analytics_workspace").keys() == {"log"}
    assert insights["local_authentication_disabled"] is True


@pytest.mark.parametrize("environment", WORKSPACE_ENVIRONMENTS)
def test_gpu_cluster_scales_to_zero(
    stacks: dict[str, Stack], builtin_specs, environment: str
) -> None:  # type: ignore[no-untyped-def]
    cluster = resources_of(stacks[environment], "azurerm_machine_learning_compute_cluster")
    spec = builtin_specs[environment].machine_learning.compute_cluster

    gpu = cluster["mlw_gpu_cluster"]

    assert gpu["vm_size"] == spec.vm_size
    assert gpu["scale_settings"]["min_node_count"] == 0
    assert gpu["scale_settings"]["max_node_count"] == spec.max_node_count
    assert gpu["scale_settings"]["scale_down_nodes_after_idle_duration"] == "PT30M"
    assert gpu["node_public_ip_enabled"] is False
    assert gpu["local_auth_enabled"] is False


def test_workspace_storage_geo_redundant_in_prod(stacks: dict[str, Stack]) -> None:
    def replication(environment: str) -> str:
        storage = resources_of(stacks[environment], "azurerm_storage_account")["mlw_storage"]
        return str(storage["account_replication_type"])

    assert replication("prod") == "GZRS"
    assert replication("staging") == "ZRS"


def test_workspace_on_hns_storage_rejected() -> None:
    data = spec_data("prod")
    data["machine_learning"]["storage_hierarchical_namespace_enabled"] = True

    error = spec_error(data, match=r"does not support a default storage account with a hier")

    (problem,) = error.problems
    assert problem.field == "machine_learning.storage_hierarchical_namespace_enabled"
    assert problem.value == "true"
    assert "register the data lake as a datastore" in problem.fix


def test_cluster_without_gpu_rejected() -> None:
    data = spec_data("prod")
    data["machine_learning"]["compute_cluster"]["vm_size"] = "Standard_D4s_v5"

    error = spec_error(data, match=r"must be a GPU VM size")

    assert error.problems[0].field == "machine_learning.compute_cluster.vm_size"


def test_cluster_min_above_max_rejected() -> None:
    data = spec_data("prod")
    data["machine_learning"]["compute_cluster"]["min_node_count"] = 5

    error = spec_error(data, match=r"must not exceed max_node_count 4")

    assert error.problems[0].field == "machine_learning.compute_cluster.min_node_count"


def test_purge_protection_off_in_development(synth_spec) -> None:  # type: ignore[no-untyped-def]
    data = spec_data("dev")
    data["machine_learning"] = {}

    stack = synth_spec(EnvironmentSpec.from_data(data))

    vault = resources_of(stack, "azurerm_key_vault")["mlw_kv"]
    assert vault["purge_protection_enabled"] is False
    assert resources_of(stack, "azurerm_machine_learning_compute_cluster") == {}


def test_aks_cluster_attached_for_inference(builtin_specs) -> None:  # type: ignore[no-untyped-def]
    from cdktf import TerraformStack, Testing

    from constructs_ai.ai_stack import AiServices
    from constructs_ai.refs import ResourceGroupRef

    stack = TerraformStack(Testing.app(), "prod")
    group = ResourceGroupRef(name="rg-mlp-prod", location="eastus2", id="/rg")
    aks_id = (
        "/subscriptions/0/resourceGroups/rg/providers/"
        "Microsoft.ContainerService/managedClusters/aks"
    )

    AiServices(stack, "ai", spec=builtin_specs["prod"], resource_group=group, aks_cluster_id=aks_id)

    synthesized = json.loads(Testing.synth(stack))
    inference = synthesized["resource"]["azurerm_machine_learning_inference_cluster"][
        "mlw_inference"
    ]
    assert inference["kubernetes_cluster_id"] == aks_id
    assert inference["cluster_purpose"] == "FastProd"


def test_given_log_analytics_workspace_used(builtin_specs) -> None:  # type: ignore[no-untyped-def]
    from cdktf import TerraformStack, Testing

    from constructs_ai.ai_stack import AiServices
    from constructs_ai.refs import ResourceGroupRef

    stack = TerraformStack(Testing.app(), "staging")
    group = ResourceGroupRef(name="rg-mlp-staging", location="eastus2", id="/rg")

    AiServices(
        stack,
        "ai",
        spec=builtin_specs["staging"],
        resource_group=group,
        log_analytics_workspace_id="/law",
        action_group_id="/ag",
    )

    resources = json.loads(Testing.synth(stack))["resource"]
    assert "azurerm_log_analytics_workspace" not in resources
    assert resources["azurerm_application_insights"]["mlw_appi"]["workspace_id"] == "/law"
    alerts = resources["azurerm_monitor_metric_alert"]
    assert alerts["openai_alert_throttled"]["action"] == [{"action_group_id": "/ag"}]
    assert alerts["openai_alert_ptu_utilization"]["action"] == [{"action_group_id": "/ag"}]


def test_foundry_hub_shares_workspace_dependencies(stacks: dict[str, Stack]) -> None:
    hub = resources_of(stacks["prod"], "azurerm_ai_foundry")["ai_hub"]
    project = resources_of(stacks["prod"], "azurerm_ai_foundry_project")["ai_hub_project_default"]

    assert hub["public_network_access"] == "Disabled"
    assert hub["managed_network"] == {"isolation_mode": "AllowOnlyApprovedOutbound"}
    assert hub["storage_account_id"] == "${azurerm_storage_account.mlw_storage.id}"
    assert project["ai_services_hub_id"] == "${azurerm_ai_foundry.ai_hub.id}"
    assert project["name"] == "proj-prod-default"


def test_purview_only_in_prod_and_private(stacks: dict[str, Stack]) -> None:
    account = resources_of(stacks["prod"], "azurerm_purview_account")["purview"]

    assert account["public_network_enabled"] is False
    assert account["identity"]["type"] == "SystemAssigned"
    assert resources_of(stacks["staging"], "azurerm_purview_account") == {}
