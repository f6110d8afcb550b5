"""dev: a small T4 box that shuts down every evening, in Sweden Central."""

from apps._common import (
    EXAMPLE_SSH_PUBLIC_KEY,
    TAGS,
    WORKLOAD,
    action_group,
    policy,
    state_backend,
)
from constructs_ai.specs import (
    AutoShutdownSpec,
    BudgetSpec,
    DataLakeSpec,
    EnvironmentSpec,
    GpuVmSpec,
    MonitoringSpec,
    NetworkSpec,
    NsgRuleSpec,
    Replication,
    Stage,
    SubnetSpec,
)

SPEC = EnvironmentSpec(
    name="dev",
    stage=Stage.DEVELOPMENT,
    location="swedencentral",
    workload=WORKLOAD,
    tags=TAGS,
    backend=state_backend(),
    network=NetworkSpec(
        address_space=["10.10.0.0/16"],
        subnets={
            "compute": SubnetSpec(cidr="10.10.0.0/24", ssh_allowed=True),
            "aks": SubnetSpec(cidr="10.10.16.0/20"),
            "endpoints": SubnetSpec(
                cidr="10.10.1.0/26",
                nsg_rules=[
                    NsgRuleSpec(
                        name="AllowHttpsFromVnet",
                        priority=200,
                        direction="Inbound",
                        access="Allow",
                        protocol="Tcp",
                        source_address_prefixes=["VirtualNetwork"],
                        destination_port_ranges=["443"],
                        description="Private endpoints serve HTTPS to the VNet only.",
                    )
                ],
            ),
        },
        ssh_source_cidrs=["203.0.113.0/28"],
    ),
    gpu_vm=GpuVmSpec(
        size="Standard_NC4as_T4_v3",
        ssh_public_key=EXAMPLE_SSH_PUBLIC_KEY,
        os_disk_size_gb=128,
        auto_shutdown=AutoShutdownSpec(daily_time="1900", timezone="W. Europe Standard Time"),
    ),
    data_lake=DataLakeSpec(
        name_prefix="mlp",
        filesystems=["raw", "curated", "checkpoints"],
        replication=Replication.LRS,
        blob_soft_delete_days=7,
        container_soft_delete_days=7,
    ),
    monitoring=MonitoringSpec(
        action_group=action_group(),
        retention_days=30,
        budget=BudgetSpec(amount=1500, start_date="2026-01-01"),
    ),
    policy=policy(
        allowed_locations=["swedencentral"],
        gpu_vm_sizes=["Standard_NC4as_T4_v3", "Standard_NC8as_T4_v3"],
    ),
)
