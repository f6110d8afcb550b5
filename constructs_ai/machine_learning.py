"""Azure Machine Learning workspace and AI Foundry hub, with their shared dependencies."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.ai_foundry import (
    AiFoundry,
    AiFoundryIdentity,
    AiFoundryManagedNetwork,
)
from cdktf_cdktf_provider_azurerm.ai_foundry_project import (
    AiFoundryProject,
    AiFoundryProjectIdentity,
)
from cdktf_cdktf_provider_azurerm.application_insights import ApplicationInsights
from cdktf_cdktf_provider_azurerm.container_registry import ContainerRegistry
from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.key_vault import KeyVault, KeyVaultNetworkAcls
from cdktf_cdktf_provider_azurerm.log_analytics_workspace import LogAnalyticsWorkspace
from cdktf_cdktf_provider_azurerm.machine_learning_compute_cluster import (
    MachineLearningComputeCluster,
    MachineLearningComputeClusterIdentity,
    MachineLearningComputeClusterScaleSettings,
)
from cdktf_cdktf_provider_azurerm.machine_learning_inference_cluster import (
    MachineLearningInferenceCluster,
)
from cdktf_cdktf_provider_azurerm.machine_learning_workspace import (
    MachineLearningWorkspace as MachineLearningWorkspaceResource,
)
from cdktf_cdktf_provider_azurerm.machine_learning_workspace import (
    MachineLearningWorkspaceIdentity,
    MachineLearningWorkspaceManagedNetwork,
)
from cdktf_cdktf_provider_azurerm.storage_account import (
    StorageAccount,
    StorageAccountBlobProperties,
    StorageAccountBlobPropertiesContainerDeleteRetentionPolicy,
    StorageAccountBlobPropertiesDeleteRetentionPolicy,
    StorageAccountNetworkRules,
)
from constructs import Construct

from constructs_ai._checkov import skip_check
from constructs_ai._ids import set_logical_id
from constructs_ai.keyvault import skip_purge_protection_checks
from constructs_ai.naming import resource_name, stable_suffix, storage_account_name
from constructs_ai.refs import PrivateLinkTarget, ResourceGroupRef
from constructs_ai.registry import declare_registry_scan_suppressions
from constructs_ai.specs.machine_learning import AiFoundrySpec, MachineLearningSpec

ISOLATION_MODE = "AllowOnlyApprovedOutbound"
"""Managed network mode: outbound traffic only to approved destinations."""

WORKSPACE_DNS_ZONES = ("privatelink.api.azureml.ms", "privatelink.notebooks.azure.net")
COMPUTE_CLUSTER_NAME = "gpu-cluster"
SOFT_DELETE_DAYS = 7
KEY_VAULT_SOFT_DELETE_DAYS = 90
UNTAGGED_MANIFEST_RETENTION_DAYS = 7
INFERENCE_CLUSTER_NAME = "aks-inference"


class WorkspaceDependencies(Construct):
    """Storage, Key Vault, container registry and Application Insights for workspaces.

    An Azure Machine Learning workspace and an AI Foundry hub both need these,
    and may share them. The storage account has no hierarchical namespace,
    because Azure Machine Learning does not support one on its default storage.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        workload: str,
        environment: str,
        seed: str,
        resource_group: ResourceGroupRef,
        production: bool,
        purge_protection_enabled: bool,
        log_analytics_workspace_id: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        location = resource_group.location
        suffix = stable_suffix(seed, "mlw")

        self.storage = StorageAccount(
            self,
            "storage",
            name=storage_account_name("mlw", environment, seed),
            location=location,
            resource_group_name=resource_group.name,
            account_kind="StorageV2",
            account_tier="Standard",
            account_replication_type="GZRS" if production else "ZRS",
            is_hns_enabled=False,
            min_tls_version="TLS1_2",
            https_traffic_only_enabled=True,
            allow_nested_items_to_be_public=False,
            # NOTE: with shared keys off, the workspace's default datastores must use
            # identity-based access; jobs that still ask for account keys fail.
            shared_access_key_enabled=False,
            local_user_enabled=False,
            default_to_oauth_authentication=True,
            public_network_access_enabled=False,
            network_rules=StorageAccountNetworkRules(
                default_action="Deny", bypass=["AzureServices"]
            ),
            blob_properties=StorageAccountBlobProperties(
                delete_retention_policy=StorageAccountBlobPropertiesDeleteRetentionPolicy(
                    days=SOFT_DELETE_DAYS
                ),
                container_delete_retention_policy=(
                    StorageAccountBlobPropertiesContainerDeleteRetentionPolicy(
                        days=SOFT_DELETE_DAYS
                    )
                ),
            ),
        )
        set_logical_id(self.storage, "mlw", "storage")
        self._declare_storage_scan_suppressions(production=production)

        client = DataAzurermClientConfig(self, "client-config")
        set_logical_id(client, "mlw", "client_config")
        self.key_vault = KeyVault(
            self,
            "key-vault",
            name=f"kv-ml-{environment}-{suffix}",
            location=location,
            resource_group_name=resource_group.name,
            tenant_id=client.tenant_id,
            sku_name="standard",
            rbac_authorization_enabled=True,
            purge_protection_enabled=purge_protection_enabled,
            soft_delete_retention_days=KEY_VAULT_SOFT_DELETE_DAYS,
            public_network_access_enabled=False,
            network_acls=KeyVaultNetworkAcls(default_action="Deny", bypass="AzureServices"),
        )
        set_logical_id(self.key_vault, "mlw", "kv")
        if not purge_protection_enabled:
            skip_purge_protection_checks(
                self.key_vault,
                field="machine_learning.key_vault_purge_protection_enabled",
                why="its default turns purge protection off in development",
                soft_delete_days=KEY_VAULT_SOFT_DELETE_DAYS,
            )

        self.container_registry = ContainerRegistry(
            self,
            "registry",
            name=f"crml{workload}{environment}{suffix}",
            location=location,
            resource_group_name=resource_group.name,
            # Premium is the only tier with private endpoints.
            sku="Premium",
            admin_enabled=False,
            anonymous_pull_enabled=False,
            public_network_access_enabled=False,
            network_rule_bypass_option="AzureServices",
            # Zone redundancy needs a region with availability zones.
            zone_redundancy_enabled=True,
            data_endpoint_enabled=True,
            retention_policy_in_days=UNTAGGED_MANIFEST_RETENTION_DAYS,
        )
        set_logical_id(self.container_registry, "mlw", "acr")
        declare_registry_scan_suppressions(
            self.container_registry, field="machine_learning or ai_foundry"
        )

        if log_analytics_workspace_id is None:
            workspace = LogAnalyticsWorkspace(
                self,
                "log-analytics",
                name=resource_name("log", workload, environment, "ml"),
                location=location,
                resource_group_name=resource_group.name,
                sku="PerGB2018",
                retention_in_days=30,
            )
            set_logical_id(workspace, "mlw", "log")
            log_analytics_workspace_id = workspace.id
        self.log_analytics_workspace_id = log_analytics_workspace_id

        # NOTE: ingestion stays open to the internet until an Azure Monitor Private
        # Link Scope exists; closing it now would drop the workspaces' telemetry.
        self.application_insights = ApplicationInsights(
            self,
            "app-insights",
            name=resource_name("appi", workload, environment, "ml"),
            location=location,
            resource_group_name=resource_group.name,
            application_type="web",
            workspace_id=log_analytics_workspace_id,
            local_authentication_disabled=True,
        )
        set_logical_id(self.application_insights, "mlw", "appi")

    def _declare_storage_scan_suppressions(self, *, production: bool) -> None:
        skip_check(
            self.storage,
            "CKV_AZURE_33",
            "Classic queue logging is set through the queue service's data plane, which "
            "Terraform cannot reach: public network access is off and the account has "
            "private endpoints for blob and file only.",
        )
        skip_check(
            self.storage,
            "CKV2_AZURE_1",
            "Data is encrypted at rest with Microsoft-managed keys; customer-managed keys "
            "need a Key Vault key, which the Machine Learning spec does not configure.",
        )
        if not production:
            skip_check(
                self.storage,
                "CKV_AZURE_206",
                "Outside production the workspace storage is ZRS, chosen by the stage: "
                "copies in three zones of one region; production uses GZRS.",
            )

    def private_link_targets(self) -> list[PrivateLinkTarget]:
        """Return the private endpoints of the storage account, Key Vault and registry."""
        return [
            PrivateLinkTarget(
                "mlw_blob", self.storage.id, "blob", ("privatelink.blob.core.windows.net",)
            ),
            PrivateLinkTarget(
                "mlw_file", self.storage.id, "file", ("privatelink.file.core.windows.net",)
            ),
            PrivateLinkTarget(
                "mlw_vault", self.key_vault.id, "vault", ("privatelink.vaultcore.azure.net",)
            ),
            PrivateLinkTarget(
                "mlw_registry",
                self.container_registry.id,
                "registry",
                ("privatelink.azurecr.io",),
            ),
        ]


class MachineLearningWorkspace(Construct):
    """An Azure Machine Learning workspace in a managed network, with a GPU cluster.

    Public network access is off and the managed network allows only approved
    outbound traffic. The optional GPU cluster scales to zero nodes, and an AKS
    cluster can be attached for online inference.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: MachineLearningSpec,
        name: str,
        resource_group: ResourceGroupRef,
        dependencies: WorkspaceDependencies,
        production: bool,
        aks_cluster_id: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dependencies = dependencies
        cluster = spec.compute_cluster

        self.resource = MachineLearningWorkspaceResource(
            self,
            "workspace",
            name=name,
            location=resource_group.location,
            resource_group_name=resource_group.name,
            storage_account_id=dependencies.storage.id,
            key_vault_id=dependencies.key_vault.id,
            application_insights_id=dependencies.application_insights.id,
            container_registry_id=dependencies.container_registry.id,
            identity=MachineLearningWorkspaceIdentity(type="SystemAssigned"),
            public_network_access_enabled=False,
            managed_network=MachineLearningWorkspaceManagedNetwork(isolation_mode=ISOLATION_MODE),
            # The registry is private, so images build on the workspace's own cluster.
            image_build_compute_name=COMPUTE_CLUSTER_NAME if cluster is not None else None,
            v1_legacy_mode_enabled=False,
        )
        set_logical_id(self.resource, "mlw")

        self.compute_cluster: MachineLearningComputeCluster | None = None
        if cluster is not None:
            self.compute_cluster = MachineLearningComputeCluster(
                self,
                "gpu-cluster",
                name=COMPUTE_CLUSTER_NAME,
                location=resource_group.location,
                machine_learning_workspace_id=self.resource.id,
                vm_size=cluster.vm_size,
                vm_priority=cluster.vm_priority.value,
                scale_settings=MachineLearningComputeClusterScaleSettings(
                    min_node_count=cluster.min_node_count,
                    max_node_count=cluster.max_node_count,
                    scale_down_nodes_after_idle_duration=(
                        f"PT{cluster.idle_minutes_before_scale_down}M"
                    ),
                ),
                identity=MachineLearningComputeClusterIdentity(type="SystemAssigned"),
                local_auth_enabled=False,
                node_public_ip_enabled=False,
                ssh_public_access_enabled=False,
            )
            set_logical_id(self.compute_cluster, "mlw", "gpu_cluster")

        self.inference_cluster: MachineLearningInferenceCluster | None = None
        if aks_cluster_id is not None:
            self.inference_cluster = MachineLearningInferenceCluster(
                self,
                "inference-cluster",
                name=INFERENCE_CLUSTER_NAME,
                location=resource_group.location,
                machine_learning_workspace_id=self.resource.id,
                kubernetes_cluster_id=aks_cluster_id,
                cluster_purpose="FastProd" if production else "DevTest",
            )
            set_logical_id(self.inference_cluster, "mlw", "inference")

    @property
    def id(self) -> str:
        return self.resource.id

    @property
    def principal_id(self) -> str:
        return self.resource.identity.principal_id

    def private_link_targets(self) -> list[PrivateLinkTarget]:
        """Return the workspace's private endpoint and those of its dependencies."""
        workspace = PrivateLinkTarget("mlw", self.resource.id, "amlworkspace", WORKSPACE_DNS_ZONES)
        return [workspace, *self.dependencies.private_link_targets()]


class AiFoundryHub(Construct):
    """An AI Foundry hub with its projects, isolated like the Machine Learning workspace."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: AiFoundrySpec,
        name: str,
        environment: str,
        resource_group: ResourceGroupRef,
        dependencies: WorkspaceDependencies,
    ) -> None:
        super().__init__(scope, construct_id)
        self.dependencies = dependencies

        self.resource = AiFoundry(
            self,
            "hub",
            name=name,
            location=resource_group.location,
            resource_group_name=resource_group.name,
            storage_account_id=dependencies.storage.id,
            key_vault_id=dependencies.key_vault.id,
            application_insights_id=dependencies.application_insights.id,
            container_registry_id=dependencies.container_registry.id,
            identity=AiFoundryIdentity(type="SystemAssigned"),
            public_network_access="Disabled",
            managed_network=AiFoundryManagedNetwork(isolation_mode=ISOLATION_MODE),
        )
        set_logical_id(self.resource, "ai_hub")

        self.projects: dict[str, AiFoundryProject] = {}
        for key in spec.projects:
            project = AiFoundryProject(
                self,
                f"project-{key}",
                name=f"proj-{environment}-{key}",
                location=resource_group.location,
                ai_services_hub_id=self.resource.id,
                identity=AiFoundryProjectIdentity(type="SystemAssigned"),
            )
            set_logical_id(project, "ai_hub", "project", key)
            self.projects[key] = project

    @property
    def id(self) -> str:
        return self.resource.id

    def private_link_targets(self) -> list[PrivateLinkTarget]:
        """Return the hub's private endpoint; the shared dependencies list their own."""
        return [PrivateLinkTarget("ai_hub", self.resource.id, "amlworkspace", WORKSPACE_DNS_ZONES)]
