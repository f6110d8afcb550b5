"""staging: production-like on one A100, in East US 2."""

from apps._common import EXAMPLE_SSH_PUBLIC_KEY, TAGS, WORKLOAD, state_backend
from constructs_ai.capacity import DeploymentType, Workload
from constructs_ai.specs import (
    DataLakeSpec,
    EnvironmentSpec,
    FrontDoorSpec,
    GpuComputeClusterSpec,
    GpuVmSpec,
    MachineLearningSpec,
    NetworkSpec,
    OpenAiDeploymentSpec,
    OpenAiQuotaSpec,
    OpenAiSpec,
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
    openai=OpenAiSpec(
        location="eastus2",
        deployments={
            "chat": OpenAiDeploymentSpec(
                model="gpt-4o",
                model_version="2024-11-20",
                deployment_type=DeploymentType.GLOBAL_PROVISIONED_MANAGED,
                workload=Workload(
                    qps=1,
                    peak_factor=1.5,
                    prompt_tokens=1500,
                    completion_tokens=300,
                    max_tokens=800,
                    headroom=1.2,
                ),
            ),
            "embed": OpenAiDeploymentSpec(
                model="text-embedding-3-large",
                model_version="1",
                deployment_type=DeploymentType.GLOBAL_STANDARD,
                workload=Workload(qps=5, prompt_tokens=500),
            ),
        },
        quotas=[
            OpenAiQuotaSpec(
                deployment_type=DeploymentType.GLOBAL_PROVISIONED_MANAGED, capacity=200
            ),
            OpenAiQuotaSpec(
                model="text-embedding-3-large",
                deployment_type=DeploymentType.GLOBAL_STANDARD,
                capacity=300,
            ),
        ],
    ),
    machine_learning=MachineLearningSpec(
        compute_cluster=GpuComputeClusterSpec(vm_size="Standard_NC4as_T4_v3", max_node_count=2),
    ),
    front_door=FrontDoorSpec(),
)
