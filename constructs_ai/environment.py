"""The environment stack: one EnvironmentSpec in, one Terraform configuration out."""

from __future__ import annotations

from cdktf import Aspects, AzurermBackend, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures
from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup
from constructs import Construct

from constructs_ai._aspects import RequiredTagsAspect
from constructs_ai._ids import set_logical_id
from constructs_ai.ai_stack import AiServices
from constructs_ai.budget import CostBudget
from constructs_ai.compute import GpuVirtualMachine, gpu_vm_name
from constructs_ai.identity import (
    DeployingPrincipal,
    ManagedIdentity,
    RbacPropagationWait,
    WorkloadIdentities,
    add_depends_on,
)
from constructs_ai.keyvault import PRIVATE_LINK_SUBRESOURCE as KEYVAULT_SUBRESOURCE
from constructs_ai.keyvault import TARGET_KEY as TARGET_KEYVAULT
from constructs_ai.keyvault import KeyVault, key_vault_provider_features
from constructs_ai.kubernetes import AksCluster
from constructs_ai.naming import resource_name
from constructs_ai.network import Network
from constructs_ai.observability import Monitoring
from constructs_ai.policy import PolicyAssignments, PolicyGuard
from constructs_ai.private_endpoints import PrivateEndpoints
from constructs_ai.refs import ResourceGroupRef
from constructs_ai.registry import ContainerRegistry, registry_name
from constructs_ai.specs.environment import EnvironmentSpec, Stage
from constructs_ai.specs.identity import DataLakeAccess
from constructs_ai.storage import PRIVATE_LINK_SUBRESOURCES as DATALAKE_SUBRESOURCES
from constructs_ai.storage import TARGET_KEY as TARGET_DATALAKE
from constructs_ai.storage import DataLake

AZURERM_SOURCE = "hashicorp/azurerm"

OPENAI_TARGET_KEY = "openai"
REGISTRY_TARGET_KEY = "registry"
REGISTRY_SUBRESOURCE = "registry"
"""Private Link subresource of a container registry."""


class AiEnvironmentStack(TerraformStack):
    """A whole Azure AI environment: provider, state backend, resource group,
    network, GPU VM, data lake, Key Vault, monitoring, AKS, container registry and
    policy, with the required tags on every resource.

    PaaS resources are private: each gets private endpoints in the spec's endpoint
    subnet. Every workload has a user-assigned identity with role assignments
    instead of keys, and CI gets its own deployment identity.

    The spec is validated before this class is called; the stack only builds.
    """

    def __init__(self, scope: Construct, construct_id: str, *, spec: EnvironmentSpec) -> None:
        super().__init__(scope, construct_id)
        self.spec = spec

        self._configure_terraform()
        self.resource_group = self._add_resource_group()
        self.network = Network(self, "network", spec=spec, resource_group=self.resource_group)
        self.deployer = DeployingPrincipal(self, "deployer")
        self.deployment_identity = self._add_deployment_identity()
        self.private_endpoints = self._add_private_endpoints()
        self.gpu_vm = self._add_gpu_vm()
        self.data_lake = self._add_data_lake()
        self.key_vault = self._add_key_vault()
        self.monitoring = self._add_monitoring()
        self.aks, self.container_registry = self._add_kubernetes()
        self.workload_identities = self._add_workload_identities(
            oidc_issuer_url=self.aks.oidc_issuer_url if self.aks is not None else None
        )
        self.policy = self._add_policy()
        self.ai_services = self._add_ai_services()
        self._add_outputs()

        Aspects.of(self).add(RequiredTagsAspect(spec.all_tags()))

    def _configure_terraform(self) -> None:
        spec = self.spec
        # The vault's purge and recover behaviour on destroy and create lives in the
        # provider's features block, not on the vault resource.
        vault_features = key_vault_provider_features(spec.key_vault)
        provider = AzurermProvider(
            self,
            "azurerm",
            features=[
                AzurermProviderFeatures(key_vault=[vault_features] if vault_features else None)
            ],
            # Shared keys are off on every storage account, so the provider must
            # use Entra ID for data-plane calls such as creating filesystems.
            storage_use_azuread=True,
            subscription_id=str(spec.subscription_id) if spec.subscription_id else None,
        )
        del provider
        # The prebuilt bindings declare the short source "azurerm"; the full
        # registry address keeps `terraform init` unambiguous for every user.
        self.add_override("terraform.required_providers.azurerm.source", AZURERM_SOURCE)
        AzurermBackend(
            self,
            resource_group_name=spec.backend.resource_group_name,
            storage_account_name=spec.backend.storage_account_name,
            container_name=spec.backend.container_name,
            key=spec.state_key,
            use_azuread_auth=spec.backend.use_azuread_auth,
        )

    def _add_resource_group(self) -> ResourceGroupRef:
        group = ResourceGroup(
            self,
            "resource-group",
            name=self.spec.resource_group_name,
            location=self.spec.location,
        )
        set_logical_id(group, "rg")
        self.resource_group_resource = group
        return ResourceGroupRef(name=group.name, location=group.location, id=group.id)

    def _add_gpu_vm(self) -> GpuVirtualMachine | None:
        spec = self.spec
        if spec.gpu_vm is None:
            return None
        identity = ManagedIdentity(
            self,
            "gpu-vm-identity",
            name=resource_name("id", spec.workload, spec.name, "gpuvm"),
            key="gpu_vm",
            resource_group=self.resource_group,
        )
        return GpuVirtualMachine(
            self,
            "gpu-vm",
            spec=spec.gpu_vm,
            name=gpu_vm_name(spec.workload, spec.name),
            resource_group=self.resource_group,
            subnet=self.network.subnet(spec.gpu_vm.subnet),
            identity=identity,
        )

    def _add_data_lake(self) -> DataLake | None:
        spec = self.spec
        if spec.data_lake is None or spec.storage_account_name is None:
            return None
        lake = DataLake(
            self,
            "data-lake",
            spec=spec.data_lake,
            name=spec.storage_account_name,
            seed=spec.seed,
            resource_group=self.resource_group,
        )
        if self.gpu_vm is not None:
            lake.grant_write(self.gpu_vm.identity)
        lake.grant_write(self.deployment_identity)

        endpoints = self._require_private_endpoints()
        gates = [endpoints.add(TARGET_DATALAKE, lake.id, sub) for sub in DATALAKE_SUBRESOURCES]
        # Terraform creates the filesystems over the DFS endpoint with Entra ID, so
        # it needs the endpoint's DNS record and a data-plane role that has taken effect.
        wait = RbacPropagationWait(
            self,
            "rbac-propagation-datalake",
            key="datalake",
            assignments=[lake.grant_manage(self.deployer)],
            seconds=spec.identity.rbac_propagation_seconds,
        )
        wait.add_dependents(lake.filesystems.values())
        for filesystem in lake.filesystems.values():
            add_depends_on(filesystem, gates)
        return lake

    def _add_deployment_identity(self) -> ManagedIdentity:
        spec = self.spec
        return ManagedIdentity(
            self,
            "deployment-identity",
            name=resource_name("id", spec.workload, spec.name, "deploy"),
            key="deploy",
            resource_group=self.resource_group,
        )

    def _add_private_endpoints(self) -> PrivateEndpoints | None:
        spec = self.spec
        if spec.private_endpoints is None:
            return None
        return PrivateEndpoints(
            self,
            "private-endpoints",
            spec=spec.private_endpoints,
            workload=spec.workload,
            environment=spec.name,
            resource_group=self.resource_group,
            subnet=self.network.subnet(spec.private_endpoints.subnet),
            vnet_id=self.network.vnet_id,
        )

    def _require_private_endpoints(self) -> PrivateEndpoints:
        if self.private_endpoints is None:
            raise ValueError(
                "private_endpoints is required for private PaaS resources; the spec "
                "validation should have rejected this spec"
            )
        return self.private_endpoints

    def _add_key_vault(self) -> KeyVault | None:
        spec = self.spec
        if spec.key_vault is None or spec.key_vault_name is None:
            return None
        vault = KeyVault(
            self,
            "key-vault",
            spec=spec.key_vault,
            name=spec.key_vault_name,
            tenant_id=self.deployer.tenant_id,
            seed=spec.seed,
            resource_group=self.resource_group,
        )
        vault.grant_secrets_write(self.deployment_identity)
        if self.gpu_vm is not None:
            vault.grant_secrets_read(self.gpu_vm.identity)
        self._require_private_endpoints().add(TARGET_KEYVAULT, vault.id, KEYVAULT_SUBRESOURCE)
        return vault

    def _add_workload_identities(
        self, *, oidc_issuer_url: str | None
    ) -> dict[str, ManagedIdentity]:
        """Create the spec's workload identities, federated with `oidc_issuer_url`.

        Without an issuer (no AKS cluster) nothing is created.
        """
        spec = self.spec
        workloads = spec.identity.workload_identities
        if oidc_issuer_url is None or not workloads:
            return {}
        created = WorkloadIdentities(
            self,
            "workload-identities",
            specs=workloads,
            oidc_issuer_url=oidc_issuer_url,
            workload=spec.workload,
            environment=spec.name,
            resource_group=self.resource_group,
        )
        for key, workload in workloads.items():
            identity = created.identities[key]
            if self.data_lake is not None and workload.data_lake_access is DataLakeAccess.READ:
                self.data_lake.grant_read(identity)
            if self.data_lake is not None and workload.data_lake_access is DataLakeAccess.WRITE:
                self.data_lake.grant_write(identity)
            if self.key_vault is not None and workload.key_vault_secrets_read:
                self.key_vault.grant_secrets_read(identity)
        return created.identities

    def _add_kubernetes(self) -> tuple[AksCluster | None, ContainerRegistry | None]:
        spec = self.spec
        registry = None
        if spec.container_registry is not None:
            registry = ContainerRegistry(
                self,
                "container-registry",
                spec=spec.container_registry,
                name=registry_name(spec.workload, spec.name, spec.seed),
                seed=spec.seed,
                resource_group=self.resource_group,
            )
            registry.grant_push(self.deployment_identity)
            if not spec.container_registry.public_network_access_enabled:
                self._require_private_endpoints().add(
                    REGISTRY_TARGET_KEY, registry.id, REGISTRY_SUBRESOURCE
                )
        if spec.aks is None:
            return None, registry
        cluster = AksCluster(
            self,
            "aks",
            spec=spec.aks,
            workload=spec.workload,
            environment=spec.name,
            seed=spec.seed,
            production=spec.stage is Stage.PRODUCTION,
            resource_group=self.resource_group,
            subnet=self.network.subnet(spec.aks.subnet),
            log_analytics_workspace_id=(
                self.monitoring.workspace_id if self.monitoring is not None else None
            ),
        )
        if registry is not None:
            registry.grant_pull(cluster.kubelet_identity)
        output = TerraformOutput(self, "output-aks-oidc-issuer-url", value=cluster.oidc_issuer_url)
        output.override_logical_id("aks_oidc_issuer_url")
        return cluster, registry
    def _add_monitoring(self) -> Monitoring | None:
        spec = self.spec
        if spec.monitoring is None:
            return None
        monitoring = Monitoring(
            self,
            "monitoring",
            spec=spec.monitoring,
            workload=spec.workload,
            environment=spec.name,
            resource_group=self.resource_group,
        )
        if spec.monitoring.budget is not None:
            CostBudget(
                self,
                "budget",
                spec=spec.monitoring.budget,
                name=resource_name("budget", spec.workload, spec.name),
                resource_group=self.resource_group,
                action_group_id=monitoring.action_group_id,
            )
        return monitoring

    def _add_policy(self) -> PolicyAssignments | None:
        spec = self.spec
        if spec.policy is None:
            return None
        self.node.add_validation(PolicyGuard(self, spec.policy))
        return PolicyAssignments(
            self,
            "policy",
            spec=spec.policy,
            name_prefix=f"{spec.workload}-{spec.name}",
            resource_group=self.resource_group,
        )
    def _add_ai_services(self) -> AiServices:
        monitoring = self.monitoring
        services = AiServices(
            self,
            "ai-services",
            spec=self.spec,
            resource_group=self.resource_group,
            action_group_id=monitoring.action_group_id if monitoring is not None else None,
            log_analytics_workspace_id=monitoring.workspace_id if monitoring is not None else None,
            aks_cluster_id=self.aks.id if self.aks is not None else None,
        )
        last_deployment = services.openai_last_deployment
        for target in services.private_link_targets():
            endpoint = self._require_private_endpoints().add(
                target.key, target.resource_id, target.subresource, zones=target.dns_zones
            )
            # Azure rejects operations on an account while a deployment is changing
            # (409 Conflict), so the account's endpoint waits for the last deployment.
            if target.key == OPENAI_TARGET_KEY and last_deployment is not None:
                add_depends_on(endpoint, [last_deployment])
        return services

    def _add_outputs(self) -> None:
        outputs = {
            "resource_group_name": self.resource_group.name,
            "vnet_id": self.network.vnet_id,
            "deployment_identity_client_id": self.deployment_identity.client_id,
        }
        if self.gpu_vm is not None:
            outputs["gpu_vm_private_ip"] = self.gpu_vm.private_ip_address
        if self.data_lake is not None:
            outputs["data_lake_name"] = self.data_lake.name
        if self.monitoring is not None:
            outputs["log_analytics_workspace_id"] = self.monitoring.workspace_id
        if self.key_vault is not None:
            outputs["key_vault_name"] = self.key_vault.name
            outputs["key_vault_uri"] = self.key_vault.uri
        for key, identity in self.workload_identities.items():
            outputs[f"workload_identity_{key}_client_id"] = identity.client_id
        outputs.update(self.ai_services.outputs())
        for name, value in outputs.items():
            output = TerraformOutput(self, f"output-{name}", value=value)
            output.override_logical_id(name)
