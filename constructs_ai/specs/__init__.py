"""Environment specs: frozen pydantic models validated before any construct exists."""

from constructs_ai.specs.compute import AutoShutdownSpec, GpuVmSpec
from constructs_ai.specs.environment import EnvironmentSpec, Stage, StateBackendSpec, TagsSpec
from constructs_ai.specs.identity import DataLakeAccess, IdentitySpec, WorkloadIdentitySpec
from constructs_ai.specs.keyvault import KeyVaultSku, KeyVaultSpec
from constructs_ai.specs.network import (
    Access,
    BastionSku,
    BastionSpec,
    Direction,
    NatGatewaySpec,
    NetworkSpec,
    NsgRuleSpec,
    Protocol,
    SubnetSpec,
)
from constructs_ai.specs.private_endpoints import DnsZoneOwner, PrivateEndpointsSpec
from constructs_ai.specs.storage import DataLakeSpec, Replication

__all__ = [
    "Access",
    "AutoShutdownSpec",
    "BastionSku",
    "BastionSpec",
    "DataLakeAccess",
    "DataLakeSpec",
    "Direction",
    "DnsZoneOwner",
    "EnvironmentSpec",
    "GpuVmSpec",
    "IdentitySpec",
    "KeyVaultSku",
    "KeyVaultSpec",
    "NatGatewaySpec",
    "NetworkSpec",
    "NsgRuleSpec",
    "PrivateEndpointsSpec",
    "Protocol",
    "Replication",
    "Stage",
    "StateBackendSpec",
    "SubnetSpec",
    "TagsSpec",
    "WorkloadIdentitySpec",
]
