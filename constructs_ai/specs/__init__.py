"""Environment specs: frozen pydantic models validated before any construct exists."""

from constructs_ai.specs.ai_services import (
    AccountKind,
    OpenAiAlertsSpec,
    OpenAiCatalogEntrySpec,
    OpenAiDeploymentSpec,
    OpenAiQuotaSpec,
    OpenAiSpec,
    VersionUpgradeOption,
)
from constructs_ai.specs.compute import AutoShutdownSpec, GpuVmSpec
from constructs_ai.specs.environment import EnvironmentSpec, Stage, StateBackendSpec, TagsSpec
from constructs_ai.specs.frontdoor import (
    FrontDoorOriginSpec,
    FrontDoorSku,
    FrontDoorSpec,
    OriginKind,
    WafMode,
)
from constructs_ai.specs.governance import PurviewSpec
from constructs_ai.specs.machine_learning import (
    AiFoundrySpec,
    GpuComputeClusterSpec,
    MachineLearningSpec,
    VmPriority,
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
    "AccountKind",
    "AiFoundrySpec",
    "AutoShutdownSpec",
    "DataLakeSpec",
    "Direction",
    "EnvironmentSpec",
    "FrontDoorOriginSpec",
    "FrontDoorSku",
    "FrontDoorSpec",
    "GpuComputeClusterSpec",
    "GpuVmSpec",
    "MachineLearningSpec",
    "NetworkSpec",
    "NsgRuleSpec",
    "OpenAiAlertsSpec",
    "OpenAiCatalogEntrySpec",
    "OpenAiDeploymentSpec",
    "OpenAiQuotaSpec",
    "OpenAiSpec",
    "OriginKind",
    "Protocol",
    "PurviewSpec",
    "Replication",
    "Stage",
    "StateBackendSpec",
    "SubnetSpec",
    "TagsSpec",
    "VersionUpgradeOption",
    "VmPriority",
    "WafMode",
]
