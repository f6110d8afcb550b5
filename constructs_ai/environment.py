"""The environment stack: one EnvironmentSpec in, one Terraform configuration out."""

from __future__ import annotations

from cdktf import Aspects, AzurermBackend, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures
from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup
from constructs import Construct

from constructs_ai._aspects import RequiredTagsAspect
from constructs_ai._ids import set_logical_id
from constructs_ai.ai_stack import AiServices
from constructs_ai.compute import GpuVirtualMachine, gpu_vm_name
from constructs_ai.identity import ManagedIdentity
from constructs_ai.naming import resource_name
from constructs_ai.network import Network
from constructs_ai.refs import ResourceGroupRef
from constructs_ai.specs.environment import EnvironmentSpec
from constructs_ai.storage import DataLake

AZURERM_SOURCE = "hashicorp/azurerm"


class AiEnvironmentStack(TerraformStack):
    """A whole Azure AI environment: provider, state backend, resource group,
    network, GPU VM and data lake, with the required tags on every resource.

    The spec is validated before this class is called; the stack only builds.
    """

    def __init__(self, scope: Construct, construct_id: str, *, spec: EnvironmentSpec) -> None:
        super().__init__(scope, construct_id)
        self.spec = spec

        self._configure_terraform()
        self.resource_group = self._add_resource_group()
        self.network = Network(self, "network", spec=spec, resource_group=self.resource_group)
        self.gpu_vm = self._add_gpu_vm()
        self.data_lake = self._add_data_lake()
        self.ai_services = self._add_ai_services()
        self._add_outputs()

        Aspects.of(self).add(RequiredTagsAspect(spec.all_tags()))

    def _configure_terraform(self) -> None:
        spec = self.spec
        provider = AzurermProvider(
            self,
            "azurerm",
            features=[AzurermProviderFeatures()],
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
        return lake

    def _add_ai_services(self) -> AiServices:
        return AiServices(self, "ai-services", spec=self.spec, resource_group=self.resource_group)

    def _add_outputs(self) -> None:
        outputs = {
            "resource_group_name": self.resource_group.name,
            "vnet_id": self.network.vnet_id,
        }
        if self.gpu_vm is not None:
            outputs["gpu_vm_private_ip"] = self.gpu_vm.private_ip_address
        if self.data_lake is not None:
            outputs["data_lake_name"] = self.data_lake.name
        outputs.update(self.ai_services.outputs())
        for name, value in outputs.items():
            output = TerraformOutput(self, f"output-{name}", value=value)
            output.override_logical_id(name)
