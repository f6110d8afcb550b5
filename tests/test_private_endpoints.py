"""Private endpoints: spec rules, shared DNS zones, hub-owned zones and the reusable `add`."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

import pytest

from constructs_ai.errors import SpecError
from constructs_ai.specs import EnvironmentSpec, PrivateEndpointsSpec
from constructs_ai.specs._security_rules import private_link_zones
from constructs_ai.specs.private_endpoints import PRIVATE_DNS_ZONES, private_dns_zone_name
from tests.conftest import ENVIRONMENT_NAMES, Stack, resources_of
from tests.factories import spec_data

HUB = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub-dns"


def _zone_id(zone: str) -> str:
    return f"{HUB}/providers/Microsoft.Network/privateDnsZones/{zone}"


HUB_ZONE_IDS = {
    zone: _zone_id(zone) for zone in private_link_zones(EnvironmentSpec.from_data(spec_data("dev")))
}


def _with_endpoints(environment: str = "dev", **endpoints: Any) -> dict[str, Any]:
    data = spec_data(environment)
    data["private_endpoints"] = {"subnet": "endpoints", **endpoints}
    return data


def test_delegated_subnet_rejected() -> None:
    data = spec_data("dev")
    data["network"]["subnets"]["endpoints"]["delegation"] = "Microsoft.App/environments"

    with pytest.raises(SpecError, match=r"private_endpoints\.subnet must not be a delegated"):
        EnvironmentSpec.from_data(data)


def test_unknown_subnet_rejected() -> None:
    data = _with_endpoints(subnet="pe")

    with pytest.raises(SpecError, match=r'private_endpoints\.subnet must name a subnet.*"pe"'):
        EnvironmentSpec.from_data(data)


def test_subnet_shared_with_vm_rejected() -> None:
    data = _with_endpoints(subnet="compute")

    with pytest.raises(SpecError, match=r"must be a dedicated subnet, but gpu_vm\.subnet uses it"):
        EnvironmentSpec.from_data(data)


def test_missing_private_endpoints_rejected() -> None:
    data = spec_data("prod")
    data["private_endpoints"] = None

    with pytest.raises(SpecError, match="private_endpoints is required when the environment"):
        EnvironmentSpec.from_data(data)


def test_no_paas_resources_need_no_endpoints() -> None:
    data = spec_data("prod")
    data["private_endpoints"] = None
    data["data_lake"] = None
    data["key_vault"] = None
    data["container_registry"] = None
    for service in ("openai", "machine_learning", "ai_foundry", "front_door", "purview"):
        data[service] = None

    spec = EnvironmentSpec.from_data(data)

    assert spec.private_endpoints is None


def test_zone_owner_defaults_to_environment() -> None:
    spec = PrivateEndpointsSpec(subnet="endpoints")

    assert spec.dns_zone_owner == "environment"
    assert spec.existing_dns_zone_ids == {}


def test_existing_zone_id_of_other_type_rejected() -> None:
    bad = f"{HUB}/providers/Microsoft.Network/dnsZones/privatelink.blob.core.windows.net"

    with pytest.raises(ValueError, match="must be the Azure resource id of a private DNS zone"):
        PrivateEndpointsSpec(
            subnet="endpoints",
            dns_zone_owner="existing",
            existing_dns_zone_ids={"privatelink.blob.core.windows.net": bad},
        )


def test_existing_zone_id_naming_other_zone_rejected() -> None:
    with pytest.raises(ValueError, match=r'names the zone "privatelink\.dfs\.core\.windows\.net"'):
        PrivateEndpointsSpec(
            subnet="endpoints",
            dns_zone_owner="existing",
            existing_dns_zone_ids={
                "privatelink.blob.core.windows.net": _zone_id("privatelink.dfs.core.windows.net")
            },
        )


def test_unknown_zone_name_rejected() -> None:
    with pytest.raises(ValueError, match="must be a Private Link DNS zone name"):
        PrivateEndpointsSpec(
            subnet="endpoints",
            dns_zone_owner="existing",
            existing_dns_zone_ids={"example.com": _zone_id("example.com")},
        )


def test_zone_ids_with_environment_owner_rejected() -> None:
    with pytest.raises(ValueError, match='must be empty when dns_zone_owner is "environment"'):
        PrivateEndpointsSpec(subnet="endpoints", existing_dns_zone_ids=HUB_ZONE_IDS)


def test_existing_zones_must_cover_every_subresource() -> None:
    partial = {k: v for k, v in HUB_ZONE_IDS.items() if "vaultcore" not in k}
    data = _with_endpoints(dns_zone_owner="existing", existing_dns_zone_ids=partial)

    with pytest.raises(SpecError, match=r'\["privatelink.vaultcore.azure.net"\] are missing'):
        EnvironmentSpec.from_data(data)


def test_zone_name_parsed_from_id() -> None:
    assert private_dns_zone_name(_zone_id("privatelink.azurecr.io")) == "privatelink.azurecr.io"
    assert private_dns_zone_name("/subscriptions/x/privateDnsZones/a") is None


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_each_paas_subresource_has_an_endpoint(
    stacks: dict[str, Stack], builtin_specs, environment: str  # type: ignore[no-untyped-def]
) -> None:
    spec = builtin_specs[environment]
    endpoints = resources_of(stacks[environment], "azurerm_private_endpoint")

    targets = {
        name: (
            body["private_service_connection"]["private_connection_resource_id"],
            body["private_service_connection"]["subresource_names"],
        )
        for name, body in endpoints.items()
    }
    expected = {
        "pe_datalake_blob": ("${azurerm_storage_account.datalake.id}", ["blob"]),
        "pe_datalake_dfs": ("${azurerm_storage_account.datalake.id}", ["dfs"]),
        "pe_keyvault_vault": ("${azurerm_key_vault.keyvault.id}", ["vault"]),
        "pe_registry_registry": ("${azurerm_container_registry.acr.id}", ["registry"]),
        "pe_openai_account": ("${azurerm_cognitive_account.openai.id}", ["account"]),
    }
    if spec.machine_learning is not None:
        expected |= {
            "pe_mlw_amlworkspace": ("${azurerm_machine_learning_workspace.mlw.id}",
                                    ["amlworkspace"]),
            "pe_mlw_blob_blob": ("${azurerm_storage_account.mlw_storage.id}", ["blob"]),
            "pe_mlw_file_file": ("${azurerm_storage_account.mlw_storage.id}", ["file"]),
            "pe_mlw_vault_vault": ("${azurerm_key_vault.mlw_kv.id}", ["vault"]),
            "pe_mlw_registry_registry": ("${azurerm_container_registry.mlw_acr.id}",
                                         ["registry"]),
        }
    if spec.ai_foundry is not None:
        expected["pe_ai_hub_amlworkspace"] = ("${azurerm_ai_foundry.ai_hub.id}", ["amlworkspace"])
    if spec.purview is not None:
        expected |= {
            "pe_purview_account_account": ("${azurerm_purview_account.purview.id}", ["account"]),
            "pe_purview_portal_portal": ("${azurerm_purview_account.purview.id}", ["portal"]),
        }
    assert targets == expected


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_endpoints_live_in_endpoint_subnet(stacks: dict[str, Stack], environment: str) -> None:
    endpoints = resources_of(stacks[environment], "azurerm_private_endpoint").values()
    subnet = resources_of(stacks[environment], "azurerm_subnet")["snet_endpoints"]

    assert {body["subnet_id"] for body in endpoints} == {"${azurerm_subnet.snet_endpoints.id}"}
    assert subnet["private_endpoint_network_policies"] == "Enabled"


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_one_zone_per_name_linked_to_vnet(
    stacks: dict[str, Stack], builtin_specs, environment: str  # type: ignore[no-untyped-def]
) -> None:
    zones = resources_of(stacks[environment], "azurerm_private_dns_zone")
    links = resources_of(stacks[environment], "azurerm_private_dns_zone_virtual_network_link")

    names = sorted(body["name"] for body in zones.values())
    assert names == sorted(private_link_zones(builtin_specs[environment]))
    assert {"privatelink.blob.core.windows.net", "privatelink.vaultcore.azure.net"} <= set(names)
    linked = {body["private_dns_zone_name"] for body in links.values()}
    assert linked == {f"${{azurerm_private_dns_zone.{name}.name}}" for name in zones}
    assert all(body["registration_enabled"] is False for body in links.values())
    assert all(body["virtual_network_id"] == "${azurerm_virtual_network.vnet.id}"
               for body in links.values())


def test_existing_zones_used_without_creating_zones(synth_spec) -> None:  # type: ignore[no-untyped-def]
    data = _with_endpoints(dns_zone_owner="existing", existing_dns_zone_ids=HUB_ZONE_IDS)
    stack = synth_spec(EnvironmentSpec.from_data(data))

    endpoints = resources_of(stack, "azurerm_private_endpoint")
    assert resources_of(stack, "azurerm_private_dns_zone") == {}
    assert resources_of(stack, "azurerm_private_dns_zone_virtual_network_link") == {}
    assert endpoints["pe_datalake_blob"]["private_dns_zone_group"]["private_dns_zone_ids"] == [
        HUB_ZONE_IDS["privatelink.blob.core.windows.net"]
    ]
    assert endpoints["pe_keyvault_vault"]["private_dns_zone_group"]["private_dns_zone_ids"] == [
        HUB_ZONE_IDS["privatelink.vaultcore.azure.net"]
    ]


def _endpoints_construct(**spec: Any):  # type: ignore[no-untyped-def]
    from cdktf import TerraformStack, Testing

    from constructs_ai.private_endpoints import PrivateEndpoints
    from constructs_ai.refs import ResourceGroupRef, SubnetRef

    stack = TerraformStack(Testing.app(), "endpoints")
    endpoints = PrivateEndpoints(
        stack,
        "private-endpoints",
        spec=PrivateEndpointsSpec(subnet="endpoints", **spec),
        workload="mlp",
        environment="test",
        resource_group=ResourceGroupRef(name="rg-mlp-test", location="eastus2", id="rg-id"),
        subnet=SubnetRef(
            key="endpoints", name="snet", id="subnet-id", cidr=ipaddress.IPv4Network("10.0.0.0/26")
        ),
        vnet_id="vnet-id",
    )
    return stack, endpoints


def test_registry_and_ai_account_use_same_call() -> None:
    from cdktf import Testing

    stack, endpoints = _endpoints_construct()
    group = "/subscriptions/s/resourceGroups/g/providers"
    registry = f"{group}/Microsoft.ContainerRegistry/registries/r"
    account = f"{group}/Microsoft.CognitiveServices/accounts/a"

    endpoints.add("registry", registry, "registry")
    endpoints.add("openai", account, "account", zones=["privatelink.openai.azure.com"])
    synthesized = json.loads(Testing.synth(stack))

    zone_resources = resources_of(synthesized, "azurerm_private_dns_zone").values()
    zones = {body["name"] for body in zone_resources}
    assert zones == {"privatelink.azurecr.io", "privatelink.openai.azure.com"}
    pe = resources_of(synthesized, "azurerm_private_endpoint")
    assert pe["pe_registry_registry"]["private_dns_zone_group"]["private_dns_zone_ids"] == [
        "${azurerm_private_dns_zone.pdns_azurecr.id}"
    ]
    assert pe["pe_openai_account"]["private_service_connection"]["subresource_names"] == ["account"]


def test_zone_shared_by_two_targets() -> None:
    from cdktf import Testing

    stack, endpoints = _endpoints_construct()

    endpoints.add("lake", "lake-id", "blob")
    endpoints.add("artifacts", "artifacts-id", "blob")
    synthesized = json.loads(Testing.synth(stack))

    assert list(resources_of(synthesized, "azurerm_private_dns_zone")) == ["pdns_blob"]
    groups = [body["private_dns_zone_group"]["private_dns_zone_ids"]
              for body in resources_of(synthesized, "azurerm_private_endpoint").values()]
    assert groups == [["${azurerm_private_dns_zone.pdns_blob.id}"]] * 2


def test_same_subresource_twice_rejected() -> None:
    _, endpoints = _endpoints_construct()
    endpoints.add("lake", "lake-id", "blob")

    with pytest.raises(ValueError, match="already exists"):
        endpoints.add("lake", "lake-id", "blob")


def test_unknown_subresource_needs_zones() -> None:
    _, endpoints = _endpoints_construct()

    with pytest.raises(KeyError, match="no default private DNS zone for subresource 'sites'"):
        endpoints.add("web", "web-id", "sites")


def test_zone_table_covers_registry_and_ai_services() -> None:
    assert PRIVATE_DNS_ZONES["registry"] == ("privatelink.azurecr.io",)
    assert "privatelink.openai.azure.com" in PRIVATE_DNS_ZONES["account"]
    assert "privatelink.cognitiveservices.azure.com" in PRIVATE_DNS_ZONES["account"]
    assert PRIVATE_DNS_ZONES["vault"] == ("privatelink.vaultcore.azure.net",)
