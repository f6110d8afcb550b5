"""dev: a T4 box that shuts down every evening and small OpenAI deployments, in Sweden Central."""

from apps._common import EXAMPLE_SSH_PUBLIC_KEY, TAGS, WORKLOAD, state_backend
from constructs_ai.capacity import DeploymentType, Workload
from constructs_ai.specs import (
    AutoShutdownSpec,
    DataLakeSpec,
    EnvironmentSpec,
    GpuVmSpec,
    NetworkSpec,
    NsgRuleSpec,
    OpenAiDeploymentSpec,
    OpenAiQuotaSpec,
    OpenAiSpec,
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
    openai=OpenAiSpec(
        location="swedencentral",
        deployments={
            "chat": OpenAiDeploymentSpec(
                model="gpt-4o-mini",
                model_version="2024-07-18",
                deployment_type=DeploymentType.GLOBAL_STANDARD,
                workload=Workload(
                    qps=0.5, peak_factor=2, prompt_tokens=800, completion_tokens=200, max_tokens=400
                ),
            ),
            "embed": OpenAiDeploymentSpec(
                model="text-embedding-3-small",
                model_version="1",
                deployment_type=DeploymentType.GLOBAL_STANDARD,
                workload=Workload(qps=2, prompt_tokens=300),
            ),
        },
        quotas=[
            OpenAiQuotaSpec(
                model="gpt-4o-mini", deployment_type=DeploymentType.GLOBAL_STANDARD, capacity=200
            ),
            OpenAiQuotaSpec(
                model="text-embedding-3-small",
                deployment_type=DeploymentType.GLOBAL_STANDARD,
                capacity=150,
            ),
        ],
    ),
)
