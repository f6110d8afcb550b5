"""A complete, minimal GPU virtual machine."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.dev_test_global_vm_shutdown_schedule import (
    DevTestGlobalVmShutdownSchedule,
    DevTestGlobalVmShutdownScheduleNotificationSettings,
)
from cdktf_cdktf_provider_azurerm.linux_virtual_machine import (
    LinuxVirtualMachine,
    LinuxVirtualMachineAdminSshKey,
    LinuxVirtualMachineBootDiagnostics,
    LinuxVirtualMachineIdentity,
    LinuxVirtualMachineOsDisk,
    LinuxVirtualMachineSourceImageReference,
)
from cdktf_cdktf_provider_azurerm.network_interface import (
    NetworkInterface,
    NetworkInterfaceIpConfiguration,
)
from cdktf_cdktf_provider_azurerm.public_ip import PublicIp
from cdktf_cdktf_provider_azurerm.virtual_machine_extension import VirtualMachineExtension
from constructs import Construct

from constructs_ai._checkov import skip_check
from constructs_ai._ids import set_logical_id
from constructs_ai.catalog import vm_sizes
from constructs_ai.identity import ManagedIdentity
from constructs_ai.naming import resource_name
from constructs_ai.refs import ResourceGroupRef, SubnetRef
from constructs_ai.specs.compute import GpuVmSpec

UBUNTU_2204_GEN2 = {
    "publisher": "Canonical",
    "offer": "0001-com-ubuntu-server-jammy",
    "sku": "22_04-lts-gen2",
    "version": "latest",
}
"""Marketplace image of Ubuntu Server 22.04 LTS for Hyper-V generation 2."""

NVIDIA_DRIVER_EXTENSION_TYPE = "NvidiaGpuDriverLinux"
"""Azure's NVIDIA GPU driver extension for Linux; it picks CUDA or GRID drivers per family."""
NVIDIA_DRIVER_EXTENSION_PUBLISHER = "Microsoft.HpcCompute"
NVIDIA_DRIVER_EXTENSION_VERSION = "1.6"


class GpuVirtualMachine(Construct):
    """A Linux GPU VM: private NIC, SSH keys only, managed identity, NVIDIA drivers.

    The VM has no public IP unless `gpu_vm.public_ip_enabled` is set, and its OS
    disk is Premium SSD. With `gpu_vm.auto_shutdown` it stops every evening.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: GpuVmSpec,
        name: str,
        resource_group: ResourceGroupRef,
        subnet: SubnetRef,
        identity: ManagedIdentity,
    ) -> None:
        super().__init__(scope, construct_id)
        self.identity = identity
        size = vm_sizes().get(spec.size)
        accelerated = bool(size and size.accelerated_networking)

        public_ip_id = self._add_public_ip(name, resource_group) if spec.public_ip_enabled else None
        self.nic = NetworkInterface(
            self,
            "nic",
            name=f"nic-{name}",
            location=resource_group.location,
            resource_group_name=resource_group.name,
            accelerated_networking_enabled=accelerated,
            ip_configuration=[
                NetworkInterfaceIpConfiguration(
                    name="primary",
                    subnet_id=subnet.id,
                    private_ip_address_allocation="Dynamic",
                    public_ip_address_id=public_ip_id,
                )
            ],
        )
        set_logical_id(self.nic, "gpu_vm", "nic")

        self.resource = LinuxVirtualMachine(
            self,
            "vm",
            name=name,
            computer_name=name,
            location=resource_group.location,
            resource_group_name=resource_group.name,
            size=spec.size,
            zone=spec.zone,
            network_interface_ids=[self.nic.id],
            admin_username=spec.admin_username,
            admin_ssh_key=[
                LinuxVirtualMachineAdminSshKey(
                    username=spec.admin_username, public_key=spec.ssh_public_key
                )
            ],
            disable_password_authentication=True,
            identity=LinuxVirtualMachineIdentity(type="UserAssigned", identity_ids=[identity.id]),
            os_disk=LinuxVirtualMachineOsDisk(
                name=f"osdisk-{name}",
                caching="ReadWrite",
                storage_account_type="Premium_LRS",
                disk_size_gb=spec.os_disk_size_gb,
            ),
            source_image_reference=LinuxVirtualMachineSourceImageReference(**UBUNTU_2204_GEN2),
            secure_boot_enabled=spec.secure_boot_enabled,
            vtpm_enabled=spec.vtpm_enabled,
            # An empty block means a managed boot diagnostics account: no storage
            # account or key to manage.
            boot_diagnostics=LinuxVirtualMachineBootDiagnostics(),
            # Extensions run code as root, so they are allowed only for the driver.
            allow_extension_operations=spec.nvidia_driver_extension_enabled,
            provision_vm_agent=True,
        )
        set_logical_id(self.resource, "gpu_vm")

        if spec.nvidia_driver_extension_enabled:
            self._add_driver_extension()
        if spec.auto_shutdown is not None:
            self._add_auto_shutdown(spec, resource_group)

    @property
    def id(self) -> str:
        return self.resource.id

    @property
    def private_ip_address(self) -> str:
        return self.nic.private_ip_address

    def _add_public_ip(self, name: str, resource_group: ResourceGroupRef) -> str:
        public_ip = PublicIp(
            self,
            "public-ip",
            name=f"pip-{name}",
            location=resource_group.location,
            resource_group_name=resource_group.name,
            allocation_method="Static",
            sku="Standard",
        )
        set_logical_id(public_ip, "gpu_vm", "public_ip")
        return public_ip.id

    def _add_driver_extension(self) -> None:
        extension = VirtualMachineExtension(
            self,
            "nvidia-driver",
            virtual_machine_id=self.resource.id,
            name=NVIDIA_DRIVER_EXTENSION_TYPE,
            publisher=NVIDIA_DRIVER_EXTENSION_PUBLISHER,
            type=NVIDIA_DRIVER_EXTENSION_TYPE,
            type_handler_version=NVIDIA_DRIVER_EXTENSION_VERSION,
            auto_upgrade_minor_version=True,
        )
        set_logical_id(extension, "gpu_vm", "nvidia_driver")
        skip_check(
            self.resource,
            "CKV_AZURE_50",
            "The NVIDIA GPU driver is installed as a VM extension "
            "(gpu_vm.nvidia_driver_extension_enabled).",
        )

    def _add_auto_shutdown(self, spec: GpuVmSpec, resource_group: ResourceGroupRef) -> None:
        assert spec.auto_shutdown is not None
        schedule = DevTestGlobalVmShutdownSchedule(
            self,
            "auto-shutdown",
            virtual_machine_id=self.resource.id,
            location=resource_group.location,
            enabled=True,
            daily_recurrence_time=spec.auto_shutdown.daily_time,
            timezone=spec.auto_shutdown.timezone,
            notification_settings=DevTestGlobalVmShutdownScheduleNotificationSettings(
                enabled=False
            ),
        )
        set_logical_id(schedule, "gpu_vm", "auto_shutdown")


def gpu_vm_name(workload: str, environment: str) -> str:
    """Return the VM name; Linux computer names allow at most 64 characters."""
    return resource_name("vm", workload, environment, "gpu")
