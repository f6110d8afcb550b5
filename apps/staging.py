"""staging: production-like on one A100, in East US 2."""

from apps._common import EXAMPLE_SSH_PUBLIC_KEY, TAGS, WORKLOAD, state_backend
from constructs_ai.specs import (
    DataLakeSpec,
    EnvironmentSpec,
    GpuVmSpec,
    KeyVaultSpec,
    NatGatewaySpec,
    NetworkSpec,
    PrivateEndpointsSpec,
    Replication,
    Stage,
    SubnetSpec,
)

SPEC = EnvironmentSpec(
    name="staging",
    stage=Stage.STAGING,
    location="eastus2",
    workload=WORKLOAD,
    tags=TAGS,
    backend=state_backend(),
    network=NetworkSpec(
        address_space=["10.20.0.0/16"],
        subnets={
            "compute": SubnetSpec(cidr="10.20.0.0/24", ssh_allowed=True),
            "aks": SubnetSpec(cidr="10.20.16.0/20"),
            "endpoints": SubnetSpec(cidr="10.20.1.0/26"),
        },
        nat_gateway=NatGatewaySpec(subnets=["compute"], zone="1"),
        ssh_source_cidrs=["10.0.0.0/24"],
    ),
    gpu_vm=GpuVmSpec(
        size="Standard_NC24ads_A100_v4",
        ssh_public_key=EXAMPLE_SSH_PUBLIC_KEY,
        os_disk_size_gb=256,
        zone="1",
    ),
    data_lake=DataLakeSpec(
        name_prefix="mlp",
        filesystems=["raw", "curated", "features", "checkpoints"],
        replication=Replication.ZRS,
        blob_soft_delete_days=14,
        container_soft_delete_days=14,
    ),
    key_vault=KeyVaultSpec(purge_protection_enabled=True, soft_delete_retention_days=90),
    private_endpoints=PrivateEndpointsSpec(subnet="endpoints"),
)
