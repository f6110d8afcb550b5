"""Access to compute without public IPs: Azure Bastion and a NAT gateway for outbound traffic."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_ai.errors import SpecError
from constructs_ai.specs import BastionSpec, EnvironmentSpec, NatGatewaySpec
from tests.conftest import ENVIRONMENT_NAMES, Stack, resources_of
from tests.factories import spec_data


def _with_bastion(**bastion: Any) -> dict[str, Any]:
    data = spec_data("prod")
    data["network"]["bastion"] = {"subnet_cidr": "10.30.2.0/26", **bastion}
    return data


def test_bastion_subnet_smaller_than_26_rejected() -> None:
    with pytest.raises(ValueError, match=r"must be a /26 or larger.*AzureBastionSubnet"):
        BastionSpec(subnet_cidr="10.30.2.0/27")


def test_bastion_subnet_outside_vnet_rejected() -> None:
    data = _with_bastion(subnet_cidr="10.99.0.0/26")

    with pytest.raises(SpecError, match=r"network\.bastion\.subnet_cidr must lie inside"):
        EnvironmentSpec.from_data(data)


def test_bastion_subnet_overlap_rejected() -> None:
    data = _with_bastion(subnet_cidr="10.30.1.0/26")

    with pytest.raises(SpecError, match=r'must not overlap subnets\["endpoints"\]\.cidr'):
        EnvironmentSpec.from_data(data)


def test_basic_bastion_with_tunneling_rejected() -> None:
    with pytest.raises(ValueError, match='tunneling_enabled needs the "Standard" or "Premium"'):
        BastionSpec(subnet_cidr="10.30.2.0/26", sku="Basic")


def test_subnet_key_bastion_with_bastion_rejected() -> None:
    data = _with_bastion()
    data["network"]["subnets"]["bastion"] = {"cidr": "10.30.3.0/26"}

    with pytest.raises(SpecError, match="must not be a subnet key when bastion is set"):
        EnvironmentSpec.from_data(data)


def test_bastion_defaults() -> None:
    spec = BastionSpec(subnet_cidr="10.30.2.0/26")

    assert spec.sku == "Standard"
    assert spec.tunneling_enabled is True


def test_bastion_gets_exact_subnet_name_and_nsg(synth_spec) -> None:  # type: ignore[no-untyped-def]
    stack = synth_spec(EnvironmentSpec.from_data(_with_bastion()))

    subnet = resources_of(stack, "azurerm_subnet")["snet_bastion"]
    host = resources_of(stack, "azurerm_bastion_host")["bastion"]
    rules = resources_of(stack, "azurerm_network_security_rule")
    associations = resources_of(stack, "azurerm_subnet_network_security_group_association")
    assert subnet["name"] == "AzureBastionSubnet"
    assert subnet["address_prefixes"] == ["10.30.2.0/26"]
    assert host["sku"] == "Standard"
    assert host["tunneling_enabled"] is True
    assert host["ip_configuration"]["subnet_id"] == "${azurerm_subnet.snet_bastion.id}"
    assert host["ip_configuration"]["public_ip_address_id"] == (
        "${azurerm_public_ip.bastion_public_ip.id}"
    )
    assert rules["nsg_bastion_rule_allowhttpsinbound"]["destination_port_range"] == "443"
    ssh_out = rules["nsg_bastion_rule_allowsshrdpoutbound"]
    assert ssh_out["destination_port_ranges"] == ["22", "3389"]
    assert ssh_out["destination_address_prefix"] == "VirtualNetwork"
    assert "nsg_bastion_association" in associations


def test_gpu_vms_have_no_public_ip_with_bastion(synth_spec) -> None:  # type: ignore[no-untyped-def]
    stack = synth_spec(EnvironmentSpec.from_data(_with_bastion()))

    nic = resources_of(stack, "azurerm_network_interface")["gpu_vm_nic"]
    assert "public_ip_address_id" not in nic["ip_configuration"][0]


def test_nat_gateway_unknown_subnet_rejected() -> None:
    data = spec_data("dev")
    data["network"]["nat_gateway"] = {"subnets": ["gpu"]}

    with pytest.raises(SpecError, match=r"nat_gateway\.subnets\[0\] must name a subnet"):
        EnvironmentSpec.from_data(data)


def test_nat_gateway_subnet_twice_rejected() -> None:
    data = spec_data("dev")
    data["network"]["nat_gateway"] = {"subnets": ["compute", "compute"]}

    with pytest.raises(SpecError, match=r"nat_gateway\.subnets\[1\] must not be listed twice"):
        EnvironmentSpec.from_data(data)


def test_nat_gateway_defaults() -> None:
    spec = NatGatewaySpec(subnets=["compute"])

    assert spec.idle_timeout_minutes == 4
    assert spec.zone is None


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_compute_subnet_egresses_through_nat(stacks: dict[str, Stack], environment: str) -> None:
    subnets = resources_of(stacks[environment], "azurerm_subnet")
    gateway = resources_of(stacks[environment], "azurerm_nat_gateway")["nat_gateway"]
    associations = resources_of(stacks[environment], "azurerm_subnet_nat_gateway_association")
    public_ip = resources_of(stacks[environment], "azurerm_public_ip")["nat_gateway_public_ip"]

    assert subnets["snet_compute"]["default_outbound_access_enabled"] is False
    assert subnets["snet_aks"]["default_outbound_access_enabled"] is True
    assert gateway["sku_name"] == "Standard"
    assert associations["nat_gateway_compute"]["subnet_id"] == "${azurerm_subnet.snet_compute.id}"
    assert public_ip["sku"] == "Standard"
    assert public_ip["allocation_method"] == "Static"


def test_no_nat_gateway_keeps_default_outbound(synth_spec) -> None:  # type: ignore[no-untyped-def]
    data = spec_data("dev")
    data["network"]["nat_gateway"] = None
    stack = synth_spec(EnvironmentSpec.from_data(data))

    subnets = resources_of(stack, "azurerm_subnet")
    assert resources_of(stack, "azurerm_nat_gateway") == {}
    assert subnets["snet_compute"]["default_outbound_access_enabled"] is True
