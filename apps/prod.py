"""prod: an H100 VM, zone-redundant geo-replicated storage, no SSH, in East US 2."""

from apps._common import EXAMPLE_SSH_PUBLIC_KEY, TAGS, WORKLOAD, state_backend
from constructs_ai.capacity import DeploymentType, Workload
from constructs_ai.specs import (
    AiFoundrySpec,
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
    PurviewSpec,
    Replication,
    Stage,
    SubnetSpec,
    VersionUpgradeOption,
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
    openai=OpenAiSpec(
        location="eastus2",
        deployments={
            "chat": OpenAiDeploymentSpec(
                model="gpt-4o",
                model_version="2024-11-20",
                deployment_type=DeploymentType.GLOBAL_PROVISIONED_MANAGED,
                workload=Workload(
                    qps=10,
                    peak_factor=1.5,
                    prompt_tokens=1500,
                    completion_tokens=300,
                    max_tokens=800,
                    headroom=1.2,
                ),
                version_upgrade_option=VersionUpgradeOption.ONCE_CURRENT_VERSION_EXPIRED,
            ),
            "embed": OpenAiDeploymentSpec(
                model="text-embedding-3-large",
                model_version="1",
                deployment_type=DeploymentType.GLOBAL_STANDARD,
                workload=Workload(qps=20, prompt_tokens=500),
            ),
        },
        quotas=[
            OpenAiQuotaSpec(
                deployment_type=DeploymentType.GLOBAL_PROVISIONED_MANAGED, capacity=1500
            ),
            OpenAiQuotaSpec(
                model="text-embedding-3-large",
                deployment_type=DeploymentType.GLOBAL_STANDARD,
                capacity=1000,
            ),
        ],
    ),
    machine_learning=MachineLearningSpec(
        compute_cluster=GpuComputeClusterSpec(vm_size="Standard_NC24ads_A100_v4", max_node_count=4),
    ),
    ai_foundry=AiFoundrySpec(),
    front_door=FrontDoorSpec(),
    purview=PurviewSpec(),
)
