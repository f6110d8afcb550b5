"""prod: an H100 VM, zone-redundant geo-replicated storage, no SSH, in East US 2."""

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
    name="prod",
    stage=Stage.PRODUCTION,
    location="eastus2",
    workload=WORKLOAD,
    tags=TAGS,
    backend=state_backend(),
    network=NetworkSpec(
        address_space=["10.30.0.0/16"],
        subnets={
            "compute": SubnetSpec(cidr="10.30.0.0/24"),
            "aks": SubnetSpec(cidr="10.30.32.0/19"),
            "endpoints": SubnetSpec(cidr="10.30.1.0/26"),
        },
        nat_gateway=NatGatewaySpec(subnets=["compute"], zone="1"),
    ),
    gpu_vm=GpuVmSpec(
        size="Standard_NC40ads_H100_v5",
        ssh_public_key=EXAMPLE_SSH_PUBLIC_KEY,
        os_disk_size_gb=512,
        zone="1",
    ),
    data_lake=DataLakeSpec(
        name_prefix="mlp",
        filesystems=["raw", "curated", "features", "checkpoints", "models"],
        replication=Replication.RAGZRS,
        blob_soft_delete_days=30,
        container_soft_delete_days=30,
    ),
    key_vault=KeyVaultSpec(purge_protection_enabled=True, soft_delete_retention_days=90),
    private_endpoints=PrivateEndpointsSpec(subnet="endpoints"),
)
