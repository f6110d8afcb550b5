"""Snapshot and targeted assertions for each built-in environment stack."""

from __future__ import annotations

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from tests.conftest import ENVIRONMENT_NAMES, Stack, resources_of


@pytest.fixture
def json_snapshot(snapshot):  # type: ignore[no-untyped-def]
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_stack_matches_snapshot(stacks: dict[str, Stack], environment: str, json_snapshot) -> None:  # type: ignore[no-untyped-def]
    assert stacks[environment] == json_snapshot


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_provider_uses_full_source_and_azuread_storage(
    stacks: dict[str, Stack], environment: str
) -> None:
    terraform = stacks[environment]["terraform"]
    provider = stacks[environment]["provider"]["azurerm"][0]

    assert terraform["required_providers"]["azurerm"]["source"] == "hashicorp/azurerm"
    assert terraform["required_providers"]["azurerm"]["version"] == "4.55.0"
    assert set(provider["features"][0]) <= {"key_vault"}
    assert provider["storage_use_azuread"] is True


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_backend_comes_from_spec(stacks: dict[str, Stack], builtin_specs, environment: str) -> None:  # type: ignore[no-untyped-def]
    backend = stacks[environment]["terraform"]["backend"]
    spec = builtin_specs[environment]

    assert list(backend) == ["azurerm"]
    assert backend["azurerm"]["key"] == f"mlp/{environment}.tfstate"
    assert backend["azurerm"]["storage_account_name"] == spec.backend.storage_account_name
    assert backend["azurerm"]["use_azuread_auth"] is True


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_gpu_vm_is_private_key_only_and_premium(
    stacks: dict[str, Stack],
    builtin_specs,
    environment: str,  # type: ignore[no-untyped-def]
) -> None:
    vm = resources_of(stacks[environment], "azurerm_linux_virtual_machine")["gpu_vm"]
    nic = resources_of(stacks[environment], "azurerm_network_interface")["gpu_vm_nic"]
    spec = builtin_specs[environment].gpu_vm

    assert vm["size"] == spec.size
    assert vm["disable_password_authentication"] is True
    assert "admin_password" not in vm
    assert vm["identity"]["type"] == "UserAssigned"
    assert vm["os_disk"]["storage_account_type"] == "Premium_LRS"
    assert vm["os_disk"]["disk_size_gb"] == spec.os_disk_size_gb
    assert vm["source_image_reference"]["sku"] == "22_04-lts-gen2"
    assert "public_ip_address_id" not in nic["ip_configuration"][0]
    assert "gpu_vm_public_ip" not in resources_of(stacks[environment], "azurerm_public_ip")


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_gpu_vm_has_nvidia_driver_extension(stacks: dict[str, Stack], environment: str) -> None:
    extensions = resources_of(stacks[environment], "azurerm_virtual_machine_extension")

    assert extensions["gpu_vm_nvidia_driver"]["type"] == "NvidiaGpuDriverLinux"
    assert extensions["gpu_vm_nvidia_driver"]["publisher"] == "Microsoft.HpcCompute"


def test_only_dev_gpu_vm_shuts_down_nightly(stacks: dict[str, Stack]) -> None:
    schedules = {
        name: resources_of(stack, "azurerm_dev_test_global_vm_shutdown_schedule")
        for name, stack in stacks.items()
    }

    assert schedules["dev"]["gpu_vm_auto_shutdown"]["daily_recurrence_time"] == "1900"
    assert schedules["staging"] == {}
    assert schedules["prod"] == {}


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_data_lake_is_hns_private_and_keyless(stacks: dict[str, Stack], environment: str) -> None:
    account = resources_of(stacks[environment], "azurerm_storage_account")["datalake"]

    assert account["is_hns_enabled"] is True
    assert account["min_tls_version"] == "TLS1_2"
    assert account["https_traffic_only_enabled"] is True
    assert account["allow_nested_items_to_be_public"] is False
    assert account["shared_access_key_enabled"] is False
    assert account["public_network_access_enabled"] is False
    assert account["blob_properties"]["delete_retention_policy"]["days"] >= 7
    assert 3 <= len(account["name"]) <= 24
    assert account["name"].isalnum()
    assert account["name"].islower()


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_data_lake_has_spec_filesystems(
    stacks: dict[str, Stack], builtin_specs, environment: str
) -> None:  # type: ignore[no-untyped-def]
    filesystems = resources_of(stacks[environment], "azurerm_storage_data_lake_gen2_filesystem")

    names = sorted(body["name"] for body in filesystems.values())
    assert names == sorted(builtin_specs[environment].data_lake.filesystems)


def test_ssh_rule_only_where_spec_lists_sources(stacks: dict[str, Stack]) -> None:
    def ssh_rules(stack: Stack) -> list[dict]:  # type: ignore[type-arg]
        rules = resources_of(stack, "azurerm_network_security_rule").values()
        return [rule for rule in rules if rule.get("destination_port_range") == "22"]

    assert [r["source_address_prefix"] for r in ssh_rules(stacks["dev"])] == ["203.0.113.0/28"]
    assert [r["source_address_prefix"] for r in ssh_rules(stacks["staging"])] == ["10.0.0.0/24"]
    assert ssh_rules(stacks["prod"]) == []


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_every_subnet_has_its_own_nsg(stacks: dict[str, Stack], environment: str) -> None:
    subnets = resources_of(stacks[environment], "azurerm_subnet")
    associations = resources_of(
        stacks[environment], "azurerm_subnet_network_security_group_association"
    )

    associated = {body["subnet_id"] for body in associations.values()}
    assert associated == {f"${{azurerm_subnet.{name}.id}}" for name in subnets}
    assert len({body["network_security_group_id"] for body in associations.values()}) == len(
        subnets
    )
