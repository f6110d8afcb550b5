"""staging: production-like on one A100 VM and an A100 pool of up to two nodes, in East US 2."""

from apps._common import (
    EXAMPLE_SSH_PUBLIC_KEY,
    TAGS,
    WORKLOAD,
    action_group,
    policy,
    state_backend,
)
from constructs_ai.capacity import (
    DeploymentType,
    Workload,
)
from constructs_ai.specs import (
    AksSpec,
    BudgetSpec,
    ContainerRegistrySpec,
    DataLakeSpec,
    EnvironmentSpec,
    FrontDoorSpec,
    GpuComputeClusterSpec,
    GpuPoolSpec,
    GpuVmSpec,
    KeyVaultSpec,
    MachineLearningSpec,
    MonitoringSpec,
    NatGatewaySpec,
    NetworkSpec,
    OpenAiDeploymentSpec,
    OpenAiQuotaSpec,
    OpenAiSpec,
    PrivateEndpointsSpec,
    Replication,
    Stage,
    SubnetSpec,
    SystemPoolSpec,
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
    aks=AksSpec(
        service_cidr="172.16.0.0/16",
        dns_service_ip="172.16.0.10",
        authorized_ip_ranges=["198.51.100.0/28"],
        system_pool=SystemPoolSpec(
            vm_size="Standard_D4ds_v5", min_count=2, max_count=3, zones=["1", "2", "3"]
        ),
        gpu_pools={
            "a100": GpuPoolSpec(vm_size="Standard_NC24ads_A100_v4", min_count=0, max_count=2),
        },
    ),
    container_registry=ContainerRegistrySpec(),
    vcpu_quotas={
        "standardDDSv5Family": 16,
        "standardNCADSA100v4Family": 96,
        "standardNCASv3_T4Family": 8,
    },
    monitoring=MonitoringSpec(
        action_group=action_group(),
        retention_days=60,
        budget=BudgetSpec(amount=8000, start_date="2026-01-01"),
    ),
    policy=policy(allowed_locations=["eastus2"], gpu_vm_sizes=["Standard_NC24ads_A100_v4"]),
    key_vault=KeyVaultSpec(purge_protection_enabled=True, soft_delete_retention_days=90),
    private_endpoints=PrivateEndpointsSpec(subnet="endpoints"),
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
