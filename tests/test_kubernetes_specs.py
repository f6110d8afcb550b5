"""Validation of the AKS, GPU pool, registry and vCPU quota specs, before any synth."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from constructs_ai.errors import SpecError
from constructs_ai.specs import (
    AksSpec,
    ContainerRegistrySpec,
    EnvironmentSpec,
    GpuPoolSpec,
    MaintenanceWindowSpec,
    OsDiskType,
    SpotSpec,
    SystemPoolSpec,
)
from constructs_ai.specs.kubernetes import (
    aks_problems,
    is_pool_name,
    rotation_name,
    rotation_names,
    suggest_pool_name,
)
from tests.factories import spec_data

POOL_NAME = re.compile(r"^[a-z][a-z0-9]{0,11}$")


def load(data: dict[str, Any]) -> EnvironmentSpec:
    return EnvironmentSpec.from_data(data)


def aks_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"service_cidr": "172.16.0.0/16", "dns_service_ip": "172.16.0.10"}
    data.update(overrides)
    return data


# Pool names


def test_pool_name_with_hyphens_is_rejected() -> None:
    data = spec_data("staging")
    data["aks"]["gpu_pools"]["gpu-pool-a100"] = data["aks"]["gpu_pools"].pop("a100")

    with pytest.raises(
        SpecError,
        match=r'aks\.gpu_pools\["gpu-pool-a100"\] must be 1-12 lowercase letters or digits '
        r'starting with a letter.*got "gpu-pool-a100"\. Use a name such as "gpupoola100"',
    ):
        load(data)


@pytest.mark.parametrize("name", ["A100", "1gpu", "gpupoolnumber1", ""])
def test_pool_name_breaking_azure_rule_is_rejected(name: str) -> None:
    data = spec_data("staging")
    data["aks"]["gpu_pools"][name] = data["aks"]["gpu_pools"].pop("a100")

    with pytest.raises(SpecError, match=r"must be 1-12 lowercase letters or digits"):
        load(data)


def test_gpu_pool_named_like_system_pool_is_rejected() -> None:
    data = spec_data("staging")
    data["aks"]["gpu_pools"]["system"] = data["aks"]["gpu_pools"].pop("a100")

    with pytest.raises(
        SpecError, match=r'aks\.gpu_pools\["system"\] must differ from system_pool\.name'
    ):
        load(data)


def test_system_pool_name_breaking_rule_is_rejected() -> None:
    data = spec_data("dev")
    data["aks"]["system_pool"]["name"] = "sys-pool"

    with pytest.raises(SpecError, match=r'aks\.system_pool\.name .*got "sys-pool"'):
        load(data)


# VM sizes


def test_gpu_pool_with_non_gpu_size_is_rejected() -> None:
    data = spec_data("staging")
    data["aks"]["gpu_pools"]["a100"]["vm_size"] = "Standard_D4ds_v5"

    with pytest.raises(
        SpecError,
        match=r'aks\.gpu_pools\["a100"\]\.vm_size must be a GPU VM size in a GPU pool.*'
        r'got "Standard_D4ds_v5"\. Use one of: .*Standard_NC24ads_A100_v4',
    ):
        load(data)


def test_gpu_pool_with_unknown_size_is_rejected() -> None:
    data = spec_data("staging")
    data["aks"]["gpu_pools"]["a100"]["vm_size"] = "Standard_NC6"

    with pytest.raises(SpecError, match=r"must be a GPU VM size from the catalog"):
        load(data)


def test_system_pool_with_gpu_size_is_rejected() -> None:
    data = spec_data("dev")
    data["aks"]["system_pool"]["vm_size"] = "Standard_NC4as_T4_v3"

    with pytest.raises(
        SpecError,
        match=r"aks\.system_pool\.vm_size must not be a GPU size in the system pool.*"
        r"Use one of: .*Standard_D4ds_v5",
    ):
        load(data)


def test_system_pool_with_unknown_size_is_rejected() -> None:
    data = spec_data("dev")
    data["aks"]["system_pool"]["vm_size"] = "Standard_B2s"

    with pytest.raises(SpecError, match=r"must be a non-GPU VM size from the catalog"):
        load(data)


# Autoscaler bounds and priority


def test_min_count_above_max_count_is_rejected() -> None:
    data = spec_data("staging")
    data["aks"]["gpu_pools"]["a100"].update(min_count=3, max_count=2)

    with pytest.raises(
        SpecError, match=r'aks\.gpu_pools\["a100"\]\.min_count must not exceed max_count \(2\)'
    ):
        load(data)


def test_max_count_of_zero_is_rejected() -> None:
    data = spec_data("staging")
    data["aks"]["gpu_pools"]["a100"].update(min_count=0, max_count=0)

    with pytest.raises(SpecError, match=r'aks\.gpu_pools\["a100"\]\.max_count must be at least 1'):
        load(data)


def test_gpu_pool_may_scale_to_zero() -> None:
    pool = GpuPoolSpec(vm_size="Standard_NC4as_T4_v3", min_count=0, max_count=1)

    assert pool.min_count == 0


def test_system_pool_min_count_of_zero_is_rejected() -> None:
    data = spec_data("dev")
    data["aks"]["system_pool"]["min_count"] = 0

    with pytest.raises(
        SpecError, match=r"aks\.system_pool\.min_count must be at least 1, because AKS needs"
    ):
        load(data)


def test_spot_on_system_pool_is_rejected() -> None:
    data = spec_data("dev")
    data["aks"]["system_pool"]["spot"] = {"max_price": -1}

    with pytest.raises(
        SpecError, match=r"aks\.system_pool\.spot is not allowed on the system pool"
    ):
        load(data)


@pytest.mark.parametrize("price", [0, -2, -0.5])
def test_spot_max_price_must_be_minus_one_or_positive(price: float) -> None:
    with pytest.raises(ValidationError, match=r"must be -1 \(pay up to the on-demand price\)"):
        SpotSpec(max_price=price)


def test_spot_max_price_defaults_to_on_demand_cap() -> None:
    assert SpotSpec().max_price == -1


# OS disks


def test_ephemeral_os_disk_larger_than_temp_disk_is_rejected() -> None:
    data = spec_data("staging")
    data["aks"]["gpu_pools"]["a100"].update(os_disk_type="Ephemeral", os_disk_size_gb=128)

    with pytest.raises(
        SpecError,
        match=r'aks\.gpu_pools\["a100"\]\.os_disk_type must fit the Standard_NC24ads_A100_v4 '
        r"temp disk of 64 GiB.*Set os_disk_size_gb to at most 64",
    ):
        load(data)


def test_ephemeral_os_disk_on_size_without_temp_disk_is_rejected() -> None:
    with pytest.raises(ValidationError, match=r"Standard_D4s_v5 supports no ephemeral OS disk"):
        SystemPoolSpec(vm_size="Standard_D4s_v5", os_disk_type="Ephemeral")


@pytest.mark.parametrize(
    ("vm_size", "os_disk_size_gb", "expected"),
    [
        ("Standard_NC24ads_A100_v4", 64, OsDiskType.EPHEMERAL),
        ("Standard_NC24ads_A100_v4", 65, OsDiskType.MANAGED),
        ("Standard_NC4as_T4_v3", 128, OsDiskType.EPHEMERAL),
        ("Standard_NC40ads_H100_v5", 2048, OsDiskType.EPHEMERAL),
    ],
)
def test_os_disk_type_defaults_to_ephemeral_where_it_fits(
    vm_size: str, os_disk_size_gb: int, expected: OsDiskType
) -> None:
    pool = GpuPoolSpec(vm_size=vm_size, max_count=1, os_disk_size_gb=os_disk_size_gb)

    assert pool.resolved_os_disk_type is expected


def test_os_disk_type_defaults_to_managed_without_temp_disk() -> None:
    pool = SystemPoolSpec(vm_size="Standard_D4s_v5")

    assert pool.resolved_os_disk_type is OsDiskType.MANAGED


def test_explicit_managed_os_disk_is_kept() -> None:
    pool = SystemPoolSpec(vm_size="Standard_D4ds_v5", os_disk_type="Managed")

    assert pool.resolved_os_disk_type is OsDiskType.MANAGED


# Networking


def test_service_cidr_overlapping_vnet_is_rejected() -> None:
    data = spec_data("dev")
    data["aks"]["service_cidr"] = "10.10.128.0/20"
    data["aks"]["dns_service_ip"] = "10.10.128.10"

    with pytest.raises(
        SpecError,
        match=r'aks\.service_cidr must not overlap network\.address_space "10\.10\.0\.0/16".*'
        r'got "10\.10\.128\.0/20"',
    ):
        load(data)


def test_service_cidr_overlapping_subnet_names_the_subnet() -> None:
    data = spec_data("dev")
    data["aks"]["service_cidr"] = "10.10.16.0/20"
    data["aks"]["dns_service_ip"] = "10.10.16.10"

    with pytest.raises(
        SpecError, match=r'aks\.service_cidr must not overlap network\.subnets\["aks"\]\.cidr'
    ):
        load(data)


def test_pod_cidr_overlapping_vnet_is_rejected() -> None:
    data = spec_data("dev")
    data["aks"]["pod_cidr"] = "10.0.0.0/8"

    with pytest.raises(
        SpecError, match=r'aks\.pod_cidr must not overlap network\.address_space "10\.10\.0\.0/16"'
    ):
        load(data)


def test_service_cidr_overlapping_pod_cidr_is_rejected() -> None:
    with pytest.raises(
        ValidationError, match=r'service_cidr must not overlap pod_cidr "10\.244\.0\.0/16"'
    ):
        AksSpec(service_cidr="10.244.128.0/17", dns_service_ip="10.244.128.10")


def test_service_cidr_larger_than_slash_12_is_rejected() -> None:
    with pytest.raises(ValidationError, match=r"service_cidr must be smaller than a /12"):
        AksSpec(service_cidr="172.16.0.0/12", dns_service_ip="172.16.0.10")


def test_service_cidr_in_reserved_range_is_rejected() -> None:
    with pytest.raises(
        ValidationError, match=r"must not overlap 169\.254\.0\.0/16, which AKS reserves"
    ):
        AksSpec(service_cidr="169.254.0.0/16", dns_service_ip="169.254.0.10")


def test_dns_service_ip_outside_service_cidr_is_rejected() -> None:
    with pytest.raises(
        ValidationError,
        match=r'dns_service_ip must lie inside service_cidr "172\.16\.0\.0/16".*'
        r'Use an address such as "172\.16\.0\.10"',
    ):
        AksSpec(service_cidr="172.16.0.0/16", dns_service_ip="172.17.0.10")


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("172.16.0.0", 'the network address of service_cidr "172.16.0.0/16", because no host'),
        (
            "172.16.0.1",
            'the first host address of service_cidr "172.16.0.0/16", because Kubernetes gives '
            "it to the API service kubernetes.default.svc",
        ),
        ("172.16.255.255", 'the broadcast address of service_cidr "172.16.0.0/16", because'),
    ],
)
def test_dns_service_ip_on_reserved_address_is_rejected(address: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=rf"dns_service_ip must not be {re.escape(reason)}"):
        AksSpec(service_cidr="172.16.0.0/16", dns_service_ip=address)


def test_aks_subnet_must_exist() -> None:
    data = spec_data("dev")
    data["aks"]["subnet"] = "kubernetes"

    with pytest.raises(SpecError, match=r'aks\.subnet must name a subnet in network\.subnets'):
        load(data)


# API server access


def test_public_cluster_without_authorized_ranges_is_rejected() -> None:
    data = spec_data("dev")
    data["aks"]["authorized_ip_ranges"] = []

    with pytest.raises(
        SpecError,
        match=r"aks\.authorized_ip_ranges must list the sources allowed to reach a public "
        r"API server; got \[\]",
    ):
        load(data)


def test_authorized_range_of_whole_internet_is_rejected() -> None:
    data = spec_data("dev")
    data["aks"]["authorized_ip_ranges"] = ["203.0.113.0/28", "0.0.0.0/0"]

    with pytest.raises(
        SpecError,
        match=r'aks\.authorized_ip_ranges\[1\] must not be the internet or broader than a /8.*'
        r'got "0\.0\.0\.0/0"',
    ):
        load(data)


def test_production_cluster_is_private_by_default() -> None:
    spec = load(spec_data("prod"))

    assert spec.aks is not None
    assert spec.aks.private_cluster_enabled is None
    assert spec.aks.private_cluster(production=True) is True
    assert spec.aks.private_cluster(production=False) is False


def test_public_production_cluster_needs_authorized_ranges() -> None:
    data = spec_data("prod")
    data["aks"]["private_cluster_enabled"] = False

    with pytest.raises(SpecError, match=r"aks\.authorized_ip_ranges must list the sources"):
        load(data)


def test_private_cluster_needs_no_authorized_ranges() -> None:
    aks = AksSpec(**aks_data(private_cluster_enabled=True))

    problems = list(
        aks_problems(aks, address_space=[ipaddress.IPv4Network("10.0.0.0/16")],
                     subnets={"aks": ipaddress.IPv4Network("10.0.0.0/20")}, production=False)
    )

    assert problems == []


# Upgrades


def test_node_image_channel_requires_node_image_os_channel() -> None:
    with pytest.raises(
        ValidationError,
        match=r'node_os_upgrade_channel must be "NodeImage" when automatic_upgrade_channel '
        r'is "node-image"; got "SecurityPatch"',
    ):
        AksSpec(**aks_data(automatic_upgrade_channel="node-image",
                           node_os_upgrade_channel="SecurityPatch"))


@pytest.mark.parametrize("duration", [3, 25])
def test_maintenance_window_duration_is_bounded(duration: int) -> None:
    with pytest.raises(ValidationError, match=r"duration_hours"):
        MaintenanceWindowSpec(duration_hours=duration)


@pytest.mark.parametrize(
    ("model", "data", "field"),
    [
        (MaintenanceWindowSpec, {"start_time": "24:00"}, "start_time"),
        (MaintenanceWindowSpec, {"utc_offset": "01:00"}, "utc_offset"),
        (SystemPoolSpec, {"max_pods": 9}, "max_pods"),
        (SystemPoolSpec, {"max_pods": 251}, "max_pods"),
        (SystemPoolSpec, {"os_disk_size_gb": 29}, "os_disk_size_gb"),
        (SystemPoolSpec, {"zones": ["4"]}, "zones"),
        (AksSpec, aks_data(kubernetes_version="latest"), "kubernetes_version"),
    ],
)
def test_field_outside_azure_range_is_rejected(
    model: type[BaseModel], data: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError, match=rf"{field}"):
        model.model_validate(data)


# Container registry


@pytest.mark.parametrize("sku", ["Basic", "Standard"])
def test_registry_below_premium_cannot_be_private(sku: str) -> None:
    with pytest.raises(
        ValidationError,
        match=rf"public_network_access_enabled requires the Premium SKU, because Azure cannot "
        rf"turn off public network access on a {sku} registry",
    ):
        ContainerRegistrySpec(sku=sku)


def test_registry_defaults_to_private_premium() -> None:
    registry = ContainerRegistrySpec()

    assert registry.sku == "Premium"
    assert registry.public_network_access_enabled is False


# vCPU quotas


def test_gpu_nodes_beyond_family_quota_are_rejected() -> None:
    data = spec_data("prod")
    data["aks"]["gpu_pools"]["h100"]["max_count"] = 6

    with pytest.raises(
        SpecError,
        match=r'vcpu_quotas\["standardNCadsH100v5Family"\] must cover the 280 vCPUs the spec '
        r'can reach in standardNCadsH100v5Family \(aks\.gpu_pools\["h100"\] 6 x 40, '
        r"gpu_vm 1 x 40 vCPUs\); got 200\. Lower max_count",
    ):
        load(data)


def test_system_pool_counts_against_its_family_quota() -> None:
    data = spec_data("staging")
    data["vcpu_quotas"]["standardDDSv5Family"] = 8

    with pytest.raises(
        SpecError,
        match=r'vcpu_quotas\["standardDDSv5Family"\] must cover the 12 vCPUs.*'
        r"aks\.system_pool 3 x 4",
    ):
        load(data)


def test_undeclared_family_is_rejected_once_quotas_are_declared() -> None:
    data = spec_data("staging")
    del data["vcpu_quotas"]["standardDDSv5Family"]

    with pytest.raises(
        SpecError,
        match=r"vcpu_quotas must list standardDDSv5Family, which the spec can take up to "
        r"12 vCPUs from \(aks\.system_pool 3 x 4 vCPUs\).*"
        r'got \["standardNCADSA100v4Family", "standardNCASv3_T4Family"\]\. '
        r'Add "standardDDSv5Family"',
    ):
        load(data)


def test_empty_quotas_turn_the_check_off() -> None:
    data = spec_data("prod")
    data["vcpu_quotas"] = {}
    data["aks"]["gpu_pools"]["h100"]["max_count"] = 100

    spec = load(data)

    assert spec.vcpu_quotas == {}


def test_spot_pool_counts_against_low_priority_quota() -> None:
    data = spec_data("dev")
    data["vcpu_quotas"]["lowPriorityCores"] = 4

    with pytest.raises(
        SpecError,
        match=r'vcpu_quotas\["lowPriorityCores"\] must cover the 8 vCPUs.*'
        r'aks\.gpu_pools\["t4"\] 2 x 4',
    ):
        load(data)


def test_gpu_vm_counts_against_quota_without_aks() -> None:
    data = spec_data("staging")
    data["aks"] = None
    data["vcpu_quotas"] = {"standardNCADSA100v4Family": 16}

    with pytest.raises(SpecError, match=r"must cover the 24 vCPUs.*gpu_vm 1 x 24"):
        load(data)


# Property tests

pool_names = st.from_regex(POOL_NAME, fullmatch=True)


@given(st.text())
def test_suggested_pool_name_is_valid(name: str) -> None:
    assert is_pool_name(suggest_pool_name(name))


@given(pool_names)
def test_valid_pool_name_suggests_itself(name: str) -> None:
    assert suggest_pool_name(name) == name


@given(st.lists(pool_names, min_size=1, max_size=12, unique=True))
def test_rotation_names_are_valid_unique_and_unused(names: list[str]) -> None:
    rotation = rotation_names(names)

    assert set(rotation) == set(names)
    assert all(POOL_NAME.match(temporary) for temporary in rotation.values())
    assert not set(rotation.values()) & set(names)
    assert len(set(rotation.values())) == len(names)


@given(pool_names, st.sets(pool_names, max_size=30))
def test_rotation_name_avoids_taken_names(name: str, taken: set[str]) -> None:
    temporary = rotation_name(name, taken | {name})

    assert POOL_NAME.match(temporary)
    assert temporary not in taken | {name}
    assert temporary == rotation_name(name, taken | {name})


def networks(min_prefix: int, max_prefix: int) -> st.SearchStrategy[ipaddress.IPv4Network]:
    return st.builds(
        lambda address, prefix: ipaddress.IPv4Network((address, prefix), strict=False),
        st.integers(min_value=0, max_value=2**32 - 1),
        st.integers(min_value=min_prefix, max_value=max_prefix),
    )


def ranges_overlap(a: ipaddress.IPv4Network, b: ipaddress.IPv4Network) -> bool:
    a_first, a_last = int(a.network_address), int(a.broadcast_address)
    b_first, b_last = int(b.network_address), int(b.broadcast_address)
    return a_first <= b_last and b_first <= a_last


@given(networks(13, 28), networks(8, 28))
def test_service_cidr_overlap_check_matches_address_arithmetic(
    service: ipaddress.IPv4Network, vnet: ipaddress.IPv4Network
) -> None:
    pod = ipaddress.IPv4Network("0.0.0.0/32")
    aks = AksSpec.model_construct(
        service_cidr=service, dns_service_ip=service.network_address + 10, pod_cidr=pod,
        subnet="aks", private_cluster_enabled=True, authorized_ip_ranges=[],
    )

    problems = list(aks_problems(aks, address_space=[vnet], subnets={"aks": vnet},
                                 production=True))

    flagged = any(p.field == "aks.service_cidr" for p in problems)
    assert flagged == ranges_overlap(service, vnet)


@given(networks(13, 29), st.integers(min_value=0, max_value=2**19 - 1))
def test_dns_service_ip_check_matches_reserved_offsets(
    service: ipaddress.IPv4Network, offset: int
) -> None:
    offset %= service.num_addresses
    address = service.network_address + offset
    reserved = offset in {0, 1, service.num_addresses - 1}

    try:
        AksSpec(service_cidr=service, dns_service_ip=address)
        rejected = False
    except ValidationError as error:
        rejected = "dns_service_ip" in str(error)

    assert rejected == reserved


# Documented defaults

MODELS: list[type[BaseModel]] = [
    AksSpec,
    SystemPoolSpec,
    GpuPoolSpec,
    SpotSpec,
    MaintenanceWindowSpec,
    ContainerRegistrySpec,
]
DEFAULT = re.compile(r"Default: `(?P<value>[^`]*)`")


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_documented_defaults_are_real(model: type[BaseModel]) -> None:
    for name, field in model.model_fields.items():
        if field.is_required():
            continue
        found = DEFAULT.search(field.description or "")
        assert found, f"{model.__name__}.{name} does not document its default"
        documented = json.loads(found["value"])
        dumped = json.loads(TypeAdapter(field.annotation).dump_json(field.default))
        assert documented == dumped, f"{model.__name__}.{name}: {documented} != {dumped}"


# Docs examples

DOCS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "gpu-pools.md"


def test_docs_example_spec_is_valid() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOCS_PAGE.read_text(encoding="utf-8"), re.S)
    namespace: dict[str, Any] = {}

    for block in blocks:
        exec(block, namespace)

    assert blocks
    assert isinstance(namespace["aks"], AksSpec)
    assert sorted(namespace["aks"].gpu_pools) == ["a100", "t4"]


def test_docs_quota_message_matches_validation() -> None:
    text = " ".join(DOCS_PAGE.read_text(encoding="utf-8").split())
    data = spec_data("prod")
    data["aks"]["gpu_pools"]["h100"]["max_count"] = 6

    with pytest.raises(SpecError) as error:
        load(data)

    message = " ".join(str(error.value.problems[0]).split())
    assert message in text
