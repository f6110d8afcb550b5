"""Environment specs: frozen pydantic models validated before any construct exists."""

from constructs_ai.specs.compute import AutoShutdownSpec, GpuVmSpec
from constructs_ai.specs.environment import EnvironmentSpec, Stage, StateBackendSpec, TagsSpec
from constructs_ai.specs.kubernetes import (
    AksSpec,
    ContainerRegistrySpec,
    DayOfWeek,
    GpuDriver,
    GpuPoolSpec,
    MaintenanceWindowSpec,
    NetworkDataplane,
    NodeOsUpgradeChannel,
    OsDiskType,
    RegistrySku,
    SkuTier,
    SpotSpec,
    SystemPoolSpec,
    UpgradeChannel,
)
from constructs_ai.specs.network import (
    Access,
    Direction,
    NetworkSpec,
    NsgRuleSpec,
    Protocol,
    SubnetSpec,
)
from constructs_ai.specs.storage import DataLakeSpec, Replication

__all__ = [
    "Access",
    "AksSpec",
    "AutoShutdownSpec",
    "ContainerRegistrySpec",
    "DataLakeSpec",
    "DayOfWeek",
    "Direction",
    "EnvironmentSpec",
    "GpuDriver",
    "GpuPoolSpec",
    "GpuVmSpec",
    "MaintenanceWindowSpec",
    "NetworkDataplane",
    "NetworkSpec",
    "NodeOsUpgradeChannel",
    "NsgRuleSpec",
    "OsDiskType",
    "Protocol",
    "RegistrySku",
    "Replication",
    "SkuTier",
    "SpotSpec",
    "Stage",
    "StateBackendSpec",
    "SubnetSpec",
    "SystemPoolSpec",
    "TagsSpec",
    "UpgradeChannel",
]
