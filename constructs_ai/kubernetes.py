"""An AKS cluster with a non-GPU system pool and tainted GPU user pools."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.kubernetes_cluster import (
    KubernetesCluster,
    KubernetesClusterApiServerAccessProfile,
    KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl,
    KubernetesClusterDefaultNodePool,
    KubernetesClusterIdentity,
    KubernetesClusterKeyVaultSecretsProvider,
    KubernetesClusterKubeletIdentity,
    KubernetesClusterMaintenanceWindowAutoUpgrade,
    KubernetesClusterMaintenanceWindowNodeOs,
    KubernetesClusterNetworkProfile,
    KubernetesClusterOmsAgent,
)
from cdktf_cdktf_provider_azurerm.kubernetes_cluster_node_pool import KubernetesClusterNodePool
from constructs import Construct

from constructs_ai._checkov import skip_check
from constructs_ai._ids import set_logical_id
from constructs_ai.identity import BuiltinRole, ManagedIdentity, grant_role
from constructs_ai.naming import resource_name
from constructs_ai.refs import ResourceGroupRef, SubnetRef
from constructs_ai.specs.kubernetes import (
    GPU_LABELS,
    AksSpec,
    GpuPoolSpec,
    NetworkDataplane,
    SkuTier,
    UpgradeChannel,
    rotation_names,
)

SPOT_EVICTION_POLICY = "Delete"
"""Evicted spot nodes are deleted, so their cores return to the quota at once."""

_HOST_ENCRYPTION_OFF = (
    "aks.host_encryption_enabled is false, chosen in the spec, for example because the "
    "subscription has no EncryptionAtHost feature registration; OS disks are still "
    "encrypted at rest with platform-managed keys."
)


class AksCluster(Construct):
    """An AKS cluster for GPU training and inference.

    The control plane runs as a user-assigned identity with Network Contributor
    on the node subnet. The nodes pull images as a separate kubelet identity.
    Local accounts are off: users sign in with Entra ID and get rights through
    Azure RBAC. Workload identity, the Key Vault secrets provider and Azure
    Policy are on. Container Insights is on when a Log Analytics workspace is
    given. Every pool encrypts at the VM host unless the spec turns it off.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: AksSpec,
        workload: str,
        environment: str,
        seed: str,
        production: bool,
        resource_group: ResourceGroupRef,
        subnet: SubnetRef,
        log_analytics_workspace_id: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._spec = spec
        self._subnet = subnet
        name = resource_name("aks", workload, environment)
        rotation = rotation_names(spec.pool_names())

        self.identity = ManagedIdentity(
            self,
            "identity",
            name=resource_name("id", workload, environment, "aks"),
            key="aks",
            resource_group=resource_group,
        )
        self.kubelet_identity = ManagedIdentity(
            self,
            "kubelet-identity",
            name=resource_name("id", workload, environment, "aks-kubelet"),
            key="aks_kubelet",
            resource_group=resource_group,
        )

        # The control plane joins load balancers and nodes to the subnet, and it
        # assigns the kubelet identity to the node VMs, so it needs both roles
        # before the cluster is created.
        subnet_grant = grant_role(
            self,
            seed=seed,
            role=BuiltinRole.NETWORK_CONTRIBUTOR,
            target_id=subnet.id,
            target_key=f"snet_{subnet.key}",
            identity=self.identity,
        )
        kubelet_grant = grant_role(
            self,
            seed=seed,
            role=BuiltinRole.MANAGED_IDENTITY_OPERATOR,
            target_id=self.kubelet_identity.id,
            target_key="id_aks_kubelet",
            identity=self.identity,
        )

        private = spec.private_cluster(production=production)
        self.resource = KubernetesCluster(
            self,
            "cluster",
            name=name,
            location=resource_group.location,
            resource_group_name=resource_group.name,
            dns_prefix=name,
            kubernetes_version=spec.kubernetes_version,
            sku_tier=spec.sku_tier.value,
            default_node_pool=self._system_pool(rotation[spec.system_pool.name]),
            identity=KubernetesClusterIdentity(
                type="UserAssigned", identity_ids=[self.identity.id]
            ),
            kubelet_identity=KubernetesClusterKubeletIdentity(
                client_id=self.kubelet_identity.client_id,
                object_id=self.kubelet_identity.principal_id,
                user_assigned_identity_id=self.kubelet_identity.id,
            ),
            network_profile=self._network_profile(),
            private_cluster_enabled=private,
            api_server_access_profile=(
                None
                if private
                else KubernetesClusterApiServerAccessProfile(
                    authorized_ip_ranges=[str(cidr) for cidr in spec.authorized_ip_ranges]
                )
            ),
            local_account_disabled=True,
            role_based_access_control_enabled=True,
            azure_active_directory_role_based_access_control=(
                KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl(
                    azure_rbac_enabled=True,
                    tenant_id=str(spec.tenant_id) if spec.tenant_id else None,
                    admin_group_object_ids=(
                        [str(group) for group in spec.admin_group_object_ids] or None
                    ),
                )
            ),
            oidc_issuer_enabled=True,
            workload_identity_enabled=True,
            azure_policy_enabled=True,
            key_vault_secrets_provider=KubernetesClusterKeyVaultSecretsProvider(
                secret_rotation_enabled=True
            ),
            oms_agent=(
                KubernetesClusterOmsAgent(
                    log_analytics_workspace_id=log_analytics_workspace_id,
                    msi_auth_for_monitoring_enabled=True,
                )
                if log_analytics_workspace_id is not None
                else None
            ),
            automatic_upgrade_channel=(
                None
                if spec.automatic_upgrade_channel is UpgradeChannel.NONE
                else spec.automatic_upgrade_channel.value
            ),
            node_os_upgrade_channel=spec.node_os_upgrade_channel.value,
            maintenance_window_auto_upgrade=self._auto_upgrade_window(),
            maintenance_window_node_os=self._node_os_window(),
            depends_on=[subnet_grant, kubelet_grant],
        )
        set_logical_id(self.resource, "aks")
        self._declare_scan_suppressions(private=private)

        self.gpu_pools: dict[str, KubernetesClusterNodePool] = {
            key: self._add_gpu_pool(key, pool, rotation[key])
            for key, pool in spec.gpu_pools.items()
        }

    @property
    def id(self) -> str:
        return self.resource.id

    @property
    def name(self) -> str:
        return self.resource.name

    @property
    def oidc_issuer_url(self) -> str:
        return self.resource.oidc_issuer_url

    def _system_pool(self, rotation_name: str) -> KubernetesClusterDefaultNodePool:
        pool = self._spec.system_pool
        return KubernetesClusterDefaultNodePool(
            name=pool.name,
            temporary_name_for_rotation=rotation_name,
            vm_size=pool.vm_size,
            vnet_subnet_id=self._subnet.id,
            zones=list(pool.zones) or None,
            auto_scaling_enabled=True,
            min_count=pool.min_count,
            max_count=pool.max_count,
            os_disk_size_gb=pool.os_disk_size_gb,
            os_disk_type=pool.resolved_os_disk_type.value,
            max_pods=pool.max_pods,
            only_critical_addons_enabled=pool.only_critical_addons_enabled,
            host_encryption_enabled=self._spec.host_encryption_enabled,
        )

    def _declare_scan_suppressions(self, *, private: bool) -> None:
        spec = self._spec
        host = (
            "aks.host_encryption_enabled also encrypts temp disks and caches at the VM host"
            if spec.host_encryption_enabled
            else "aks.host_encryption_enabled is false, chosen in the spec"
        )
        skip_check(
            self.resource,
            "CKV_AZURE_117",
            "OS disks are encrypted at rest with platform-managed keys and "
            f"{host}; a disk encryption set needs a customer-managed Key Vault key, which "
            "the AKS spec does not configure.",
        )
        if not spec.host_encryption_enabled:
            skip_check(self.resource, "CKV_AZURE_227", _HOST_ENCRYPTION_OFF)
        if not private:
            skip_check(
                self.resource,
                "CKV_AZURE_115",
                "The API server is public because aks.private_cluster_enabled resolves to "
                "false for this stage (the default is private in production only); it "
                "accepts only aks.authorized_ip_ranges, with Entra ID sign-in and local "
                "accounts off.",
            )
        if spec.sku_tier is SkuTier.FREE:
            skip_check(
                self.resource,
                "CKV_AZURE_170",
                "aks.sku_tier is Free, chosen in the spec: this environment does without "
                "the uptime SLA of the control plane.",
            )
        elif spec.sku_tier is SkuTier.PREMIUM:
            skip_check(
                self.resource,
                "CKV_AZURE_170",
                "aks.sku_tier is Premium, which carries the uptime SLA as Standard does; "
                "the check accepts only Standard.",
            )

    def _network_profile(self) -> KubernetesClusterNetworkProfile:
        spec = self._spec
        cilium = spec.network_dataplane is NetworkDataplane.CILIUM
        return KubernetesClusterNetworkProfile(
            network_plugin="azure",
            network_plugin_mode="overlay",
            network_data_plane=spec.network_dataplane.value,
            network_policy="cilium" if cilium else None,
            pod_cidr=str(spec.pod_cidr),
            service_cidr=str(spec.service_cidr),
            dns_service_ip=str(spec.dns_service_ip),
            load_balancer_sku="standard",
        )

    def _auto_upgrade_window(self) -> KubernetesClusterMaintenanceWindowAutoUpgrade:
        window = self._spec.maintenance_window
        return KubernetesClusterMaintenanceWindowAutoUpgrade(
            frequency="Weekly",
            interval=1,
            day_of_week=window.day_of_week.value,
            start_time=window.start_time,
            duration=window.duration_hours,
            utc_offset=window.utc_offset,
        )

    def _node_os_window(self) -> KubernetesClusterMaintenanceWindowNodeOs:
        window = self._spec.maintenance_window
        return KubernetesClusterMaintenanceWindowNodeOs(
            frequency="Weekly",
            interval=1,
            day_of_week=window.day_of_week.value,
            start_time=window.start_time,
            duration=window.duration_hours,
            utc_offset=window.utc_offset,
        )

    def _add_gpu_pool(
        self, key: str, pool: GpuPoolSpec, rotation_name: str
    ) -> KubernetesClusterNodePool:
        spot = pool.spot
        resource = KubernetesClusterNodePool(
            self,
            f"pool-{key}",
            name=key,
            kubernetes_cluster_id=self.resource.id,
            mode="User",
            os_type="Linux",
            temporary_name_for_rotation=rotation_name,
            vm_size=pool.vm_size,
            vnet_subnet_id=self._subnet.id,
            zones=list(pool.zones) or None,
            auto_scaling_enabled=True,
            min_count=pool.min_count,
            max_count=pool.max_count,
            node_taints=pool.node_taints,
            node_labels=dict(GPU_LABELS),
            gpu_driver=pool.gpu_driver.value,
            os_disk_size_gb=pool.os_disk_size_gb,
            os_disk_type=pool.resolved_os_disk_type.value,
            max_pods=pool.max_pods,
            priority="Spot" if spot is not None else "Regular",
            eviction_policy=SPOT_EVICTION_POLICY if spot is not None else None,
            spot_max_price=spot.max_price if spot is not None else None,
            host_encryption_enabled=self._spec.host_encryption_enabled,
        )
        set_logical_id(resource, "aks", "pool", key)
        if not self._spec.host_encryption_enabled:
            skip_check(resource, "CKV_AZURE_227", _HOST_ENCRYPTION_OFF)
        return resource
