"""AKS specs: the cluster, its system pool, GPU user pools and the container registry.

Azure rejects many AKS settings only at apply time, after minutes of waiting.
The rules here catch them before synth: pool names, VM sizes, autoscaler
bounds, spot on the system pool, ephemeral OS disks that do not fit, CIDR
overlaps and the DNS service IP. Rules that need the VNet, the stage or the
GPU VM as well run on the environment spec through `aks_problems` and
`vcpu_quota_problems`.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from constructs_ai.catalog import VmSize, vm_sizes
from constructs_ai.errors import Problem, rule_error, show, violation
from constructs_ai.specs._addresses import IPV4_WIDEST_PREFIX
from constructs_ai.specs._base import SpecModel

POOL_NAME_MAX = 12
"""Azure allows 1-12 characters in a Linux node pool name."""

_POOL_NAME = re.compile(r"^[a-z][a-z0-9]{0,11}$")

GPU_TAINT = "sku=gpu:NoSchedule"
"""Taint on every GPU pool, so only pods that tolerate it land on GPU nodes."""

GPU_LABELS = {"sku": "gpu"}
"""Labels on every GPU pool. They match the taint, so node selectors can use them."""

SPOT_TAINT = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"
"""Taint AKS adds to every spot pool. The library declares it too, so the
configured taints match what Azure reports and Terraform shows no drift."""

SPOT_QUOTA_FAMILY = "lowPriorityCores"
"""Quota that spot VMs count against instead of their VM family quota
(Azure's "Total Regional Low-priority vCPUs")."""

RESERVED_SERVICE_RANGES = tuple(
    ipaddress.IPv4Network(cidr)
    for cidr in ("169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24")
)
"""Ranges AKS does not accept for the Kubernetes service CIDR."""

SERVICE_CIDR_MIN_PREFIX = 13
"""Azure requires the service CIDR to be smaller than a /12."""

POD_CIDR_CANDIDATES = tuple(
    ipaddress.IPv4Network(cidr)
    for cidr in ("10.244.0.0/16", *(f"10.{b}.0.0/16" for b in range(245, 256)),
                 "192.168.0.0/16", *(f"172.{b}.0.0/16" for b in range(16, 30)))
)
"""Private /16 ranges to suggest for pods, the AKS overlay default `10.244.0.0/16` first."""

SERVICE_CIDR_CANDIDATES = tuple(
    ipaddress.IPv4Network(f"172.{b}.0.0/16") for b in range(16, 30)
) + tuple(ipaddress.IPv4Network(f"10.{b}.0.0/16") for b in range(0, 256))
"""Private /16 ranges to suggest for services, outside the ranges AKS reserves."""


def first_free_range(
    candidates: Sequence[ipaddress.IPv4Network], taken: Sequence[ipaddress.IPv4Network]
) -> ipaddress.IPv4Network | None:
    """Return the first candidate that overlaps none of `taken`, or None."""
    for candidate in candidates:
        if not any(candidate.overlaps(net) for net in taken):
            return candidate
    return None


VcpuQuotas = dict[Annotated[str, StringConstraints(min_length=1)], Annotated[int, Field(ge=0)]]
"""vCPU quota per quota family name, such as `{"standardNCADSA100v4Family": 96}`."""


def is_pool_name(name: str) -> bool:
    """Return whether `name` is a valid Linux node pool name."""
    return bool(_POOL_NAME.match(name))


def suggest_pool_name(name: str) -> str:
    """Return a valid pool name close to `name`, for error messages.

    Keeps lowercase letters and digits, puts a letter first and cuts to 12.
    """
    cleaned = re.sub(r"[^a-z0-9]", "", name.lower())
    if not cleaned or not cleaned[0].isalpha():
        cleaned = "pool" + cleaned
    return cleaned[:POOL_NAME_MAX]


def rotation_name(pool_name: str, taken: Collection[str]) -> str:
    """Return the `temporary_name_for_rotation` of a pool.

    AKS creates a pool of this name while it rotates the nodes of `pool_name`,
    so it obeys the pool-name rule and must differ from every name in `taken`.
    The first candidate is `<pool name cut to 9>tmp`. On a clash a counter
    replaces `tmp`, so the result depends only on the inputs.
    """
    candidate = f"{pool_name[: POOL_NAME_MAX - 3]}tmp"
    counter = 0
    while candidate in taken:
        suffix = f"t{counter}"
        candidate = f"{pool_name[: POOL_NAME_MAX - len(suffix)]}{suffix}"
        counter += 1
    return candidate


def rotation_names(pool_names: Sequence[str]) -> dict[str, str]:
    """Return a rotation name per pool, unique among pools and among each other."""
    taken = set(pool_names)
    names: dict[str, str] = {}
    for pool_name in pool_names:
        names[pool_name] = rotation_name(pool_name, taken)
        taken.add(names[pool_name])
    return names


def _size_or_problem(size: str, *, gpu: bool) -> VmSize:
    catalog = vm_sizes()
    known = catalog.get(size)
    allowed = catalog.gpu_size_names() if gpu else catalog.non_gpu_size_names()
    use = "Use one of: " + ", ".join(allowed) + "."
    if known is None:
        kind = "a GPU" if gpu else "a non-GPU"
        raise violation("", size, f"must be {kind} VM size from the catalog", use)
    if gpu and not known.is_gpu:
        raise violation("", size, "must be a GPU VM size in a GPU pool, but this size has no GPU",
                        use)
    if not gpu and known.is_gpu:
        raise violation(
            "",
            size,
            "must not be a GPU size in the system pool, because system pods would hold "
            "GPU nodes that cannot scale to zero",
            use,
        )
    return known


class OsDiskType(StrEnum):
    """OS disk placement of a node."""

    EPHEMERAL = "Ephemeral"
    MANAGED = "Managed"


class GpuDriver(StrEnum):
    """Whether AKS installs the NVIDIA driver on GPU nodes (azurerm `gpu_driver`)."""

    INSTALL = "Install"
    NONE = "None"
    """No driver: the NVIDIA GPU Operator installs it."""


class UpgradeChannel(StrEnum):
    """Cluster automatic upgrade channel (azurerm `automatic_upgrade_channel`)."""

    NONE = "none"
    PATCH = "patch"
    STABLE = "stable"
    RAPID = "rapid"
    NODE_IMAGE = "node-image"


class NodeOsUpgradeChannel(StrEnum):
    """Node OS upgrade channel (azurerm `node_os_upgrade_channel`)."""

    NONE = "None"
    UNMANAGED = "Unmanaged"
    SECURITY_PATCH = "SecurityPatch"
    NODE_IMAGE = "NodeImage"


class DayOfWeek(StrEnum):
    MONDAY = "Monday"
    TUESDAY = "Tuesday"
    WEDNESDAY = "Wednesday"
    THURSDAY = "Thursday"
    FRIDAY = "Friday"
    SATURDAY = "Saturday"
    SUNDAY = "Sunday"


class SkuTier(StrEnum):
    """AKS pricing tier. Standard and Premium carry the uptime SLA."""

    FREE = "Free"
    STANDARD = "Standard"
    PREMIUM = "Premium"


class NetworkDataplane(StrEnum):
    """Pod networking data plane on Azure CNI overlay."""

    AZURE = "azure"
    """Azure's data plane, without network policy enforcement."""
    CILIUM = "cilium"
    """Azure CNI powered by Cilium, which also enforces Kubernetes network policies."""


class RegistrySku(StrEnum):
    BASIC = "Basic"
    STANDARD = "Standard"
    PREMIUM = "Premium"


class SpotSpec(SpecModel):
    """Spot priority: spare Azure capacity at a discount, evicted when Azure needs it back.

    Evicted nodes are deleted (eviction policy `Delete`), so the autoscaler can
    request new ones. Changing spot settings replaces the pool.
    """

    max_price: float = -1
    """Highest price per node hour in US dollars, or `-1` to pay up to the on-demand
    price and never be evicted for price. Default: `-1`."""

    @field_validator("max_price")
    @classmethod
    def _check_max_price(cls, price: float) -> float:
        if price != -1 and price <= 0:
            raise violation(
                "",
                price,
                "must be -1 (pay up to the on-demand price) or a positive price in US dollars",
                "Use -1, or the highest hourly price you accept, such as 0.5.",
            )
        return price


Zone = Literal["1", "2", "3"]


class NodePoolSpec(SpecModel):
    """Settings shared by the system pool and GPU pools.

    Changing `vm_size`, `zones`, `os_disk_type`, `os_disk_size_gb`, `max_pods`
    or `spot` replaces the pool's nodes. azurerm cycles the pool through its
    `temporary_name_for_rotation` where it can, and recreates it otherwise.
    """

    vm_size: str
    """VM size from the catalog. Changing it forces a new pool."""
    min_count: Annotated[int, Field(ge=0, le=1000)]
    """Minimum node count the cluster autoscaler keeps."""
    max_count: Annotated[int, Field(ge=0, le=1000)]
    """Maximum node count the cluster autoscaler creates, at least 1."""
    zones: list[Zone] = []
    """Availability zones to spread nodes over, each listed once. Changing it forces a new pool.
    Default: `[]` (regional)."""
    os_disk_size_gb: Annotated[int, Field(ge=30, le=2048)] = 128
    """OS disk size in GiB, 30-2048. Changing it forces a new pool. Default: `128`."""
    os_disk_type: OsDiskType | None = None
    """OS disk placement. Changing it forces a new pool. Default: `null`, meaning
    `Ephemeral` when `os_disk_size_gb` fits the size's temp disk, otherwise
    `Managed`."""
    max_pods: Annotated[int, Field(ge=10, le=250)] = 110
    """Maximum pods per node, 10-250. Changing it forces a new pool. Default: `110`."""
    spot: SpotSpec | None = None
    """Spot priority. Not allowed on the system pool. Changing it forces a new pool.
    Default: `null` (regular priority)."""

    @model_validator(mode="after")
    def _check_pool(self) -> NodePoolSpec:
        problems = list(self._autoscaler_problems())
        problems.extend(self._os_disk_problems())
        repeated = sorted({zone for zone in self.zones if self.zones.count(zone) > 1})
        if repeated:
            problems.append(Problem(
                "zones",
                show(self.zones),
                f"must not list a zone twice, but {show(repeated)} repeats",
                "List each zone once, such as [\"1\", \"2\", \"3\"].",
            ))
        if problems:
            raise rule_error(problems)
        return self

    def _autoscaler_problems(self) -> Iterator[Problem]:
        if self.max_count == 0:
            yield Problem(
                "max_count",
                "0",
                "must be at least 1, because a pool that can never have a node is useless "
                "and Azure rejects it",
                "Set max_count to 1 or more, or remove the pool.",
            )
        if self.min_count > self.max_count:
            yield Problem(
                "min_count",
                str(self.min_count),
                f"must not exceed max_count ({self.max_count})",
                "Lower min_count or raise max_count.",
            )

    def _os_disk_problems(self) -> Iterator[Problem]:
        size = vm_sizes().get(self.vm_size)
        if size is None or self.os_disk_type is not OsDiskType.EPHEMERAL:
            return
        room = size.ephemeral_os_disk_max_gib
        if self.os_disk_size_gb > room:
            rule = (
                f"must fit the {self.vm_size} temp disk of {room} GiB for an ephemeral OS disk"
                if room
                else f"cannot be Ephemeral, because {self.vm_size} supports no ephemeral OS disk"
            )
            fix = (
                f"Set os_disk_size_gb to at most {room}, or os_disk_type to Managed."
                if room
                else "Set os_disk_type to Managed or leave it unset."
            )
            yield Problem("os_disk_type", show(self.os_disk_type.value), rule, fix)

    @property
    def size(self) -> VmSize:
        known = vm_sizes().get(self.vm_size)
        assert known is not None, "validated against the catalog"
        return known

    @property
    def resolved_os_disk_type(self) -> OsDiskType:
        """Return the OS disk type, choosing Ephemeral when it fits and none was set."""
        if self.os_disk_type is not None:
            return self.os_disk_type
        if self.os_disk_size_gb <= self.size.ephemeral_os_disk_max_gib:
            return OsDiskType.EPHEMERAL
        return OsDiskType.MANAGED


class SystemPoolSpec(NodePoolSpec):
    """The default (system) node pool: CoreDNS, metrics-server and other system pods.

    Its nodes are non-GPU. AKS requires at least one system node, so it cannot
    scale to zero and cannot be spot.
    """

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]{0,11}$")] = "system"
    """Pool name: 1-12 lowercase letters or digits, starting with a letter. Changing it
    forces a new pool. Default: `"system"`."""
    vm_size: str = "Standard_D4ds_v5"
    """Non-GPU VM size from the catalog. Changing it rotates the pool.
    Default: `"Standard_D4ds_v5"`."""
    min_count: Annotated[int, Field(ge=0, le=1000)] = 1
    """Minimum node count, at least 1. Default: `1`."""
    max_count: Annotated[int, Field(ge=0, le=1000)] = 3
    """Maximum node count. Default: `3`."""
    only_critical_addons_enabled: bool = True
    """Taint the pool `CriticalAddonsOnly=true:NoSchedule`, so only system pods run on
    it and every workload needs a user pool. Changing it rotates the pool.
    Default: `true`."""

    @field_validator("vm_size")
    @classmethod
    def _check_size(cls, size: str) -> str:
        _size_or_problem(size, gpu=False)
        return size

    @model_validator(mode="after")
    def _check_system_rules(self) -> SystemPoolSpec:
        problems = []
        if self.min_count < 1:
            problems.append(Problem(
                "min_count",
                str(self.min_count),
                "must be at least 1, because AKS needs a running system node",
                "Set min_count to 1 or more; scale GPU pools to zero instead.",
            ))
        if self.spot is not None:
            problems.append(Problem(
                "spot",
                f"{{max_price: {self.spot.max_price}}}",
                "is not allowed on the system pool, because AKS requires system pools of "
                "regular priority",
                "Remove spot from the system pool and use it on a GPU pool.",
            ))
        if problems:
            raise rule_error(problems)
        return self


class GpuPoolSpec(NodePoolSpec):
    """A GPU user pool, tainted `sku=gpu:NoSchedule` and labelled `sku=gpu`."""

    min_count: Annotated[int, Field(ge=0, le=1000)] = 0
    """Minimum node count. 0 lets the pool scale to zero when no GPU pod is pending.
    Default: `0`."""
    gpu_driver: GpuDriver = GpuDriver.INSTALL
    """`Install` lets AKS install the NVIDIA driver; `None` leaves it to the NVIDIA GPU
    Operator. Changing it forces a new pool. Default: `"Install"`."""

    @field_validator("vm_size")
    @classmethod
    def _check_size(cls, size: str) -> str:
        _size_or_problem(size, gpu=True)
        return size

    @property
    def node_taints(self) -> list[str]:
        taints = [GPU_TAINT]
        if self.spot is not None:
            taints.append(SPOT_TAINT)
        return taints


class MaintenanceWindowSpec(SpecModel):
    """A weekly window in which AKS may upgrade the cluster and the node OS."""

    day_of_week: DayOfWeek = DayOfWeek.SUNDAY
    """Day the window opens. Default: `"Sunday"`."""
    start_time: Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")] = (
        "00:00"
    )
    """Start as `HH:MM` in `utc_offset`. Default: `"00:00"`."""
    duration_hours: Annotated[int, Field(ge=4, le=24)] = 4
    """Length in hours, 4-24 (Azure's minimum is 4). Default: `4`."""
    utc_offset: Annotated[str, StringConstraints(pattern=r"^[+-](0[0-9]|1[0-4]):[0-5][0-9]$")] = (
        "+00:00"
    )
    """Offset of `start_time` from UTC, such as `+01:00`. Default: `"+00:00"`."""


class AksSpec(SpecModel):
    """An AKS cluster for GPU training and inference.

    Secure defaults: Entra ID with Azure RBAC and no local accounts, workload
    identity, a private API server in production, Azure CNI overlay, the Key
    Vault secrets provider and Azure Policy add-ons.
    """

    service_cidr: ipaddress.IPv4Network
    """Kubernetes service range, such as `172.16.0.0/16`: smaller than a /12 and outside
    the VNet, every subnet and `pod_cidr`. Changing it replaces the cluster."""
    dns_service_ip: ipaddress.IPv4Address
    """Cluster DNS address inside `service_cidr`, such as `172.16.0.10`; not the network,
    first or broadcast address. Changing it replaces the cluster."""
    pod_cidr: ipaddress.IPv4Network = ipaddress.IPv4Network("10.244.0.0/16")
    """Overlay pod range, outside the VNet, every subnet and `service_cidr`.
    Default: `"10.244.0.0/16"`."""
    subnet: str = "aks"
    """Key of the subnet in `network.subnets` for the nodes. Default: `"aks"`."""
    network_dataplane: NetworkDataplane = NetworkDataplane.CILIUM
    """Pod data plane. Changing it replaces the cluster. Default: `"cilium"`."""
    kubernetes_version: Annotated[str, StringConstraints(pattern=r"^1\.\d{2}(\.\d+)?$")] | None = (
        None
    )
    """Kubernetes version such as `1.33`. Default: `null` (the region's default version)."""
    sku_tier: SkuTier = SkuTier.STANDARD
    """Pricing tier. Default: `"Standard"` (with the uptime SLA)."""
    system_pool: SystemPoolSpec = SystemPoolSpec()
    """The system node pool. Default: `{"name": "system", "vm_size": "Standard_D4ds_v5",
    "min_count": 1, "max_count": 3, "zones": [], "os_disk_size_gb": 128,
    "os_disk_type": null, "max_pods": 110, "spot": null,
    "only_critical_addons_enabled": true}`."""
    gpu_pools: dict[str, GpuPoolSpec] = {}
    """GPU user pools keyed by pool name (1-12 lowercase letters or digits). Default: `{}`."""
    private_cluster_enabled: bool | None = None
    """Serve the API server on a private IP in the VNet only. Changing it replaces the
    cluster. Default: `null`, meaning private in production and public elsewhere."""
    authorized_ip_ranges: list[ipaddress.IPv4Network] = []
    """Sources allowed to reach a public API server. Required for a public cluster; the
    internet (`0.0.0.0/0`) and any range broader than a /8 are rejected. Default: `[]`."""
    admin_group_object_ids: list[uuid.UUID] = []
    """Entra ID groups with cluster admin rights. Default: `[]` (grant roles with Azure
    RBAC instead)."""
    tenant_id: uuid.UUID | None = None
    """Entra ID tenant of the cluster. Default: `null` (the deploying tenant)."""
    automatic_upgrade_channel: UpgradeChannel = UpgradeChannel.PATCH
    """Kubernetes version upgrade channel. Default: `"patch"`."""
    node_os_upgrade_channel: NodeOsUpgradeChannel = NodeOsUpgradeChannel.NODE_IMAGE
    """Node OS security update channel. Default: `"NodeImage"`."""
    maintenance_window: MaintenanceWindowSpec = MaintenanceWindowSpec()
    """Weekly window for both upgrade channels. Default: `{"day_of_week": "Sunday",
    "start_time": "00:00", "duration_hours": 4, "utc_offset": "+00:00"}`."""
    host_encryption_enabled: bool = True
    """Encrypt the temp disks and the OS disk caches of every node at the VM host
    (encryption at host), and the data flowing to storage. The subscription must have
    the `EncryptionAtHost` feature of `Microsoft.Compute` registered (`az feature
    register --namespace Microsoft.Compute --name EncryptionAtHost`), and every pool's
    VM size must support it, or Azure rejects the pool. Changing it replaces the nodes
    of every pool. Default: `true`."""

    @field_validator("authorized_ip_ranges")
    @classmethod
    def _reject_internet(
        cls, ranges: list[ipaddress.IPv4Network]
    ) -> list[ipaddress.IPv4Network]:
        problems = [
            Problem(
                f"[{index}]",
                show(str(cidr)),
                f"must not be the internet or broader than a /{IPV4_WIDEST_PREFIX}, because "
                "that leaves the API server open to nearly every address",
                "List the public CIDRs of your offices, VPN or CI runners.",
            )
            for index, cidr in enumerate(ranges)
            if cidr.prefixlen < IPV4_WIDEST_PREFIX
        ]
        if problems:
            raise rule_error(problems)
        return ranges

    @model_validator(mode="after")
    def _check_cluster(self) -> AksSpec:
        problems = [
            *self._pool_name_problems(),
            *self._service_cidr_problems(),
            *self._upgrade_problems(),
        ]
        if problems:
            raise rule_error(problems)
        return self

    def _pool_name_problems(self) -> Iterator[Problem]:
        for name in self.gpu_pools:
            if not is_pool_name(name):
                yield Problem(
                    f'gpu_pools["{name}"]',
                    show(name),
                    "must be 1-12 lowercase letters or digits starting with a letter, "
                    "because AKS names Linux node pools that way",
                    f'Use a name such as "{suggest_pool_name(name)}".',
                )
        if self.system_pool.name in self.gpu_pools:
            yield Problem(
                f'gpu_pools["{self.system_pool.name}"]',
                show(self.system_pool.name),
                "must differ from system_pool.name, because pool names are unique in a cluster",
                "Rename the GPU pool.",
            )

    def _service_cidr_problems(self) -> Iterator[Problem]:
        service = self.service_cidr
        if service.prefixlen < SERVICE_CIDR_MIN_PREFIX:
            yield Problem(
                "service_cidr",
                show(str(service)),
                "must be smaller than a /12",
                "Use a /16, which holds 65,536 service addresses.",
            )
        for reserved in RESERVED_SERVICE_RANGES:
            if service.overlaps(reserved):
                yield Problem(
                    "service_cidr",
                    show(str(service)),
                    f"must not overlap {reserved}, which AKS reserves",
                    'Use a private range such as "172.16.0.0/16".',
                )
        if service.overlaps(self.pod_cidr):
            yield Problem(
                "service_cidr",
                show(str(service)),
                f"must not overlap pod_cidr {show(str(self.pod_cidr))}",
                "Give services and pods separate ranges.",
            )
        yield from self._dns_service_ip_problems()

    def _dns_service_ip_problems(self) -> Iterator[Problem]:
        service, address = self.service_cidr, self.dns_service_ip
        suggestion = f'Use an address such as "{service.network_address + 10}".'
        if address not in service:
            yield Problem(
                "dns_service_ip",
                show(str(address)),
                f"must lie inside service_cidr {show(str(service))}",
                suggestion,
            )
            return
        # Kubernetes gives the first address to the API service
        # (kubernetes.default.svc), and no host can use the network or broadcast address.
        reserved = {
            service.network_address: ("the network address", "no host can use it"),
            service.network_address + 1: (
                "the first host address",
                "Kubernetes gives it to the API service kubernetes.default.svc",
            ),
            service.broadcast_address: ("the broadcast address", "no host can use it"),
        }
        if address in reserved:
            position, reason = reserved[address]
            yield Problem(
                "dns_service_ip",
                show(str(address)),
                f"must not be {position} of service_cidr {show(str(service))}, because {reason}",
                suggestion,
            )

    def _upgrade_problems(self) -> Iterator[Problem]:
        # The azurerm kubernetes_cluster docs require the NodeImage node OS
        # channel with the node-image cluster channel.
        if (
            self.automatic_upgrade_channel is UpgradeChannel.NODE_IMAGE
            and self.node_os_upgrade_channel is not NodeOsUpgradeChannel.NODE_IMAGE
        ):
            yield Problem(
                "node_os_upgrade_channel",
                show(self.node_os_upgrade_channel.value),
                'must be "NodeImage" when automatic_upgrade_channel is "node-image"',
                'Set node_os_upgrade_channel to "NodeImage" or pick another upgrade channel.',
            )

    def pool_names(self) -> list[str]:
        """Return every pool name, the system pool first."""
        return [self.system_pool.name, *self.gpu_pools]

    def private_cluster(self, *, production: bool) -> bool:
        """Return whether the API server is private, resolving the stage default."""
        if self.private_cluster_enabled is None:
            return production
        return self.private_cluster_enabled


class ContainerRegistrySpec(SpecModel):
    """An Azure Container Registry for workload images; the admin user is always off.

    Azure lets only Premium registries turn public network access off, so Basic
    and Standard require `public_network_access_enabled` true.
    """

    sku: RegistrySku = RegistrySku.PREMIUM
    """Service tier. Default: `"Premium"`."""
    public_network_access_enabled: bool = False
    """Accept pulls and pushes from public networks. Default: `false`, which needs
    Premium."""
    zone_redundancy_enabled: bool | None = None
    """Spread the registry over the region's availability zones. Needs Premium and a
    region with availability zones. Changing it replaces the registry. Default: `null`,
    meaning on for Premium and off for Basic and Standard."""
    untagged_manifest_retention_days: Annotated[int, Field(ge=1, le=365)] = 7
    """Days an untagged manifest is kept before Azure deletes it, 1-365. Azure offers the
    retention policy on Premium only, so Basic and Standard registries keep untagged
    manifests forever. Default: `7`."""

    @model_validator(mode="after")
    def _check_premium_features(self) -> ContainerRegistrySpec:
        problems = []
        if self.sku is not RegistrySku.PREMIUM and not self.public_network_access_enabled:
            problems.append(Problem(
                "public_network_access_enabled",
                show(False),
                f"requires the Premium SKU, because Azure cannot turn off public network "
                f"access on a {self.sku.value} registry",
                'Set sku to "Premium", or set public_network_access_enabled to true.',
            ))
        if self.sku is not RegistrySku.PREMIUM and self.zone_redundancy_enabled:
            problems.append(Problem(
                "zone_redundancy_enabled",
                show(True),
                f"requires the Premium SKU, because Azure offers zone redundancy on no "
                f"{self.sku.value} registry",
                'Set sku to "Premium", or remove zone_redundancy_enabled.',
            ))
        if problems:
            raise rule_error(problems)
        return self

    @property
    def zone_redundant(self) -> bool:
        """Return whether the registry is zone redundant, resolving the SKU default."""
        if self.zone_redundancy_enabled is None:
            return self.sku is RegistrySku.PREMIUM
        return self.zone_redundancy_enabled


def aks_problems(
    aks: AksSpec,
    *,
    address_space: Sequence[ipaddress.IPv4Network],
    subnets: Mapping[str, ipaddress.IPv4Network],
    production: bool,
) -> Iterator[Problem]:
    """Yield the AKS problems that need the VNet or the stage; fields start with `aks.`."""
    if aks.subnet not in subnets:
        yield Problem(
            "aks.subnet",
            show(aks.subnet),
            "must name a subnet in network.subnets",
            "Use one of: " + ", ".join(f'"{key}"' for key in subnets) + ".",
        )
    named = [("network.address_space", net) for net in address_space]
    named += [(f'network.subnets["{key}"].cidr', cidr) for key, cidr in subnets.items()]
    vnet = [net for _, net in named]
    ranges = (
        ("aks.service_cidr", aks.service_cidr, aks.pod_cidr, "pod_cidr", SERVICE_CIDR_CANDIDATES),
        ("aks.pod_cidr", aks.pod_cidr, aks.service_cidr, "service_cidr", POD_CIDR_CANDIDATES),
    )
    for field, cidr, sibling, sibling_name, candidates in ranges:
        clashes = [(name, net) for name, net in named if cidr.overlaps(net)]
        if not clashes:
            continue
        free = first_free_range(candidates, [*vnet, sibling, *RESERVED_SERVICE_RANGES])
        example = f', such as "{free}"' if free is not None else ""
        for other_field, other in clashes:
            yield Problem(
                field,
                show(str(cidr)),
                f"must not overlap {other_field} {show(str(other))}, because AKS routes "
                "that range inside the cluster",
                f"Pick a range outside the VNet, the subnets and aks.{sibling_name}{example}.",
            )
    if not aks.private_cluster(production=production) and not aks.authorized_ip_ranges:
        yield Problem(
            "aks.authorized_ip_ranges",
            "[]",
            "must list the sources allowed to reach a public API server",
            "List the public CIDRs of your offices, VPN or CI runners, or set "
            "private_cluster_enabled to true.",
        )


@dataclass(frozen=True)
class VcpuDemand:
    """Peak vCPUs that one part of the spec can take from a quota family."""

    contributor: str
    nodes: int
    vcpus_per_node: int
    family: str

    @property
    def vcpus(self) -> int:
        return self.nodes * self.vcpus_per_node

    def __str__(self) -> str:
        return f"{self.contributor} {self.nodes} x {self.vcpus_per_node}"


def aks_vcpu_demands(aks: AksSpec) -> list[VcpuDemand]:
    """Return the peak vCPU demand of every pool at its autoscaler maximum.

    Spot pools count against the low-priority quota, not their family quota.
    """
    pools: list[tuple[str, NodePoolSpec]] = [("aks.system_pool", aks.system_pool)]
    pools += [(f'aks.gpu_pools["{key}"]', pool) for key, pool in aks.gpu_pools.items()]
    return [
        VcpuDemand(
            contributor=field,
            nodes=pool.max_count,
            vcpus_per_node=pool.size.vcpus,
            family=SPOT_QUOTA_FAMILY if pool.spot is not None else pool.size.quota_family,
        )
        for field, pool in pools
    ]


def vcpu_quota_problems(
    quotas: Mapping[str, int], demands: Sequence[VcpuDemand]
) -> Iterator[Problem]:
    """Yield a problem per quota family whose peak demand exceeds the declared quota.

    An empty `quotas` turns the check off. Once any family is declared, every
    family the spec uses must be, so no family is left unchecked by accident.
    """
    if not quotas:
        return
    # NOTE: surge nodes during upgrades and the total regional vCPU quota are
    # not counted, so keep headroom in the declared numbers for them.
    by_family: dict[str, list[VcpuDemand]] = {}
    for demand in demands:
        by_family.setdefault(demand.family, []).append(demand)
    for family, items in sorted(by_family.items()):
        total = sum(item.vcpus for item in items)
        contributors = ", ".join(str(item) for item in items)
        if family not in quotas:
            yield Problem(
                "vcpu_quotas",
                show(sorted(quotas)),
                f"must list {family}, which the spec can take up to {total} vCPUs from "
                f"({contributors} vCPUs), because once one family is listed every family "
                "the spec uses must be",
                f'Add "{family}" with your subscription\'s quota (az vm list-usage), or '
                "empty vcpu_quotas to turn the check off.",
            )
        elif total > quotas[family]:
            yield Problem(
                f'vcpu_quotas["{family}"]',
                str(quotas[family]),
                f"must cover the {total} vCPUs the spec can reach in {family} "
                f"({contributors} vCPUs)",
                "Lower max_count of those pools, or request a quota increase and update "
                "vcpu_quotas.",
            )
