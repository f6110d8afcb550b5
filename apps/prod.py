"""prod: an H100 VM, A100 and H100 pools on a private cluster, zone-redundant
geo-replicated storage, no SSH, in East US 2."""

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
    AiFoundrySpec,
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
    PurviewSpec,
    Replication,
    Stage,
    SubnetSpec,
    SystemPoolSpec,
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
    aks=AksSpec(
        service_cidr="172.16.0.0/16",
        dns_service_ip="172.16.0.10",
        system_pool=SystemPoolSpec(
            vm_size="Standard_D8ds_v5", min_count=3, max_count=5, zones=["1", "2", "3"]
        ),
        gpu_pools={
            "a100": GpuPoolSpec(vm_size="Standard_NC24ads_A100_v4", min_count=1, max_count=4),
            "h100": GpuPoolSpec(
                vm_size="Standard_NC40ads_H100_v5", min_count=0, max_count=4, os_disk_size_gb=256
            ),
        },
    ),
    container_registry=ContainerRegistrySpec(),
    vcpu_quotas={
        "standardDDSv5Family": 48,
        "standardNCADSA100v4Family": 192,
        "standardNCadsH100v5Family": 200,
    },
    monitoring=MonitoringSpec(
        action_group=action_group(),
        retention_days=180,
        budget=BudgetSpec(amount=40000, start_date="2026-01-01"),
    ),
    policy=policy(
        allowed_locations=["eastus2"],
        gpu_vm_sizes=["Standard_NC40ads_H100_v5", "Standard_NC24ads_A100_v4"],
    ),
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
