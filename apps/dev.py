"""dev: a small T4 box that shuts down every evening, a T4 spot pool that scales to
zero and small OpenAI deployments, in Sweden Central."""

from apps._common import (
    EXAMPLE_SSH_PUBLIC_KEY,
    TAGS,
    WORKLOAD,
    action_group,
    policy,
    state_backend,
)
from constructs_ai.capacity import DeploymentType, Workload
from constructs_ai.specs import (
    AksSpec,
    AutoShutdownSpec,
    BudgetSpec,
    ContainerRegistrySpec,
    DataLakeSpec,
    EnvironmentSpec,
    GpuPoolSpec,
    GpuVmSpec,
    KeyVaultSpec,
    MonitoringSpec,
    NatGatewaySpec,
    NetworkSpec,
    NsgRuleSpec,
    OpenAiDeploymentSpec,
    OpenAiQuotaSpec,
    OpenAiSpec,
    PrivateEndpointsSpec,
    RegistrySku,
    Replication,
    SkuTier,
    SpotSpec,
    Stage,
    SubnetSpec,
    SystemPoolSpec,
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
        nat_gateway=NatGatewaySpec(subnets=["compute"]),
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
    aks=AksSpec(
        service_cidr="172.16.0.0/16",
        dns_service_ip="172.16.0.10",
        sku_tier=SkuTier.FREE,
        authorized_ip_ranges=["203.0.113.0/28"],
        system_pool=SystemPoolSpec(
            vm_size="Standard_D2ds_v5", min_count=1, max_count=2, os_disk_size_gb=64
        ),
        gpu_pools={
            "t4": GpuPoolSpec(
                vm_size="Standard_NC4as_T4_v3", min_count=0, max_count=2, spot=SpotSpec()
            ),
        },
    ),
    # Premium even in dev: Basic and Standard registries cannot turn off public
    # network access or take a private endpoint.
    container_registry=ContainerRegistrySpec(sku=RegistrySku.PREMIUM),
    vcpu_quotas={
        "standardDDSv5Family": 10,
        "standardNCASv3_T4Family": 8,
        "lowPriorityCores": 16,
    },
    monitoring=MonitoringSpec(
        action_group=action_group(),
        retention_days=30,
        budget=BudgetSpec(amount=1500, start_date="2026-01-01"),
    ),
    policy=policy(
        allowed_locations=["swedencentral"],
        gpu_vm_sizes=["Standard_NC4as_T4_v3", "Standard_NC8as_T4_v3"],
    ),
    key_vault=KeyVaultSpec(
        # dev is destroyed and recreated often: purge the vault on destroy so its
        # name is free for the next apply.
        disposable=True,
        purge_protection_enabled=False,
        soft_delete_retention_days=7,
    ),
    private_endpoints=PrivateEndpointsSpec(subnet="endpoints"),
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
