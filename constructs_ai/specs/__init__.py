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
from constructs_ai.specs.storage import DataLakeSpec, Replication

__all__ = [
    "Access",
    "AutoShutdownSpec",
    "DataLakeSpec",
    "Direction",
    "EnvironmentSpec",
    "GpuVmSpec",
    "NetworkSpec",
    "NsgRuleSpec",
    "Protocol",
    "Replication",
    "Stage",
    "StateBackendSpec",
    "SubnetSpec",
    "TagsSpec",
]
