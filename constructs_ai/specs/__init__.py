"""Environment specs: frozen pydantic models validated before any construct exists."""

from constructs_ai.specs.compute import AutoShutdownSpec, GpuVmSpec
from constructs_ai.specs.environment import EnvironmentSpec, Stage, StateBackendSpec, TagsSpec
from constructs_ai.specs.network import (
    Access,
    Direction,
    NetworkSpec,
    NsgRuleSpec,
    Protocol,
    SubnetSpec,
)
from constructs_ai.specs.observability import (
    ActionGroupSpec,
    AlertsSpec,
    BudgetNotificationSpec,
    BudgetSpec,
    BudgetThresholdType,
    DiagnosticsSpec,
    EmailReceiverSpec,
    LogAnalyticsSku,
    LogCategoryGroup,
    MonitoringSpec,
    WebhookReceiverSpec,
)
from constructs_ai.specs.policy import PolicySpec
from constructs_ai.specs.storage import DataLakeSpec, Replication

__all__ = [
    "Access",
    "ActionGroupSpec",
    "AlertsSpec",
    "AutoShutdownSpec",
    "BudgetNotificationSpec",
    "BudgetSpec",
    "BudgetThresholdType",
    "DataLakeSpec",
    "DiagnosticsSpec",
    "Direction",
    "EmailReceiverSpec",
    "EnvironmentSpec",
    "GpuVmSpec",
    "LogAnalyticsSku",
    "LogCategoryGroup",
    "MonitoringSpec",
    "NetworkSpec",
    "NsgRuleSpec",
    "PolicySpec",
    "Protocol",
    "Replication",
    "Stage",
    "StateBackendSpec",
    "SubnetSpec",
    "TagsSpec",
    "WebhookReceiverSpec",
]
