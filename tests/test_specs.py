"""Validation rules of EnvironmentSpec: each bad spec names field, value, rule and fix."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_ai.errors import Problem, SpecError
from constructs_ai.specs import EnvironmentSpec
from tests.factories import spec_data


def problems(data: dict[str, Any]) -> list[Problem]:
    with pytest.raises(SpecError) as caught:
        EnvironmentSpec.from_data(data)
    return caught.value.problems


def only_problem(data: dict[str, Any]) -> Problem:
    found = problems(data)
    assert len(found) == 1, found
    return found[0]


def test_builtin_specs_are_valid(builtin_specs) -> None:  # type: ignore[no-untyped-def]
    assert sorted(builtin_specs) == ["dev", "prod", "staging"]


def test_overlapping_subnets_rejected() -> None:
    data = spec_data("dev")
    data["network"]["subnets"]["aks"]["cidr"] = "10.10.0.128/25"

    problem = only_problem(data)

    assert problem.field == 'network.subnets["aks"].cidr'
    assert problem.value == '"10.10.0.128/25"'
    assert 'must not overlap subnets["compute"].cidr "10.10.0.0/24"' in problem.rule
    assert problem.fix


def test_subnet_outside_vnet_rejected() -> None:
    data = spec_data("dev")
    data["network"]["subnets"]["endpoints"]["cidr"] = "10.99.1.0/26"

    problem = only_problem(data)

    assert problem.field == 'network.subnets["endpoints"].cidr'
    assert problem.value == '"10.99.1.0/26"'
    assert "must lie inside the VNet address space [10.10.0.0/16]" in problem.rule


@pytest.mark.parametrize("source", ["0.0.0.0/0", "*", "Internet", "internet"])
def test_ssh_from_internet_rejected(source: str) -> None:
    data = spec_data("dev")
    data["network"]["ssh_source_cidrs"] = ["10.0.0.0/24", source]

    problem = only_problem(data)

    assert problem.field == "network.ssh_source_cidrs[1]"
    assert problem.value == f'"{source}"'
    assert "must not be the internet" in problem.rule


def test_nsg_rule_allowing_ssh_from_internet_rejected() -> None:
    data = spec_data("dev")
    rule = data["network"]["subnets"]["endpoints"]["nsg_rules"][0]
    rule["source_address_prefixes"] = ["Internet"]
    rule["destination_port_ranges"] = ["20-25"]

    problem = only_problem(data)

    assert problem.field == 'network.subnets["endpoints"].nsg_rules[0].source_address_prefixes'
    assert "must not allow SSH (port 22) from the internet" in problem.rule


def test_nsg_rule_allowing_rdp_from_any_rejected() -> None:
    data = spec_data("dev")
    rule = data["network"]["subnets"]["endpoints"]["nsg_rules"][0]
    rule["source_address_prefixes"] = ["*"]
    rule["destination_port_ranges"] = ["*"]

    found = problems(data)

    assert [p.rule for p in found] == [
        "must not allow SSH (port 22) from the internet",
        "must not allow RDP (port 3389) from the internet",
    ]


def test_storage_name_over_24_characters_rejected() -> None:
    data = spec_data("staging")
    data["data_lake"]["name_prefix"] = "mlplatformxy"

    problem = only_problem(data)

    assert problem.field == "data_lake.name_prefix"
    assert problem.value == '"mlplatformxy"'
    assert "of 25 characters, but Azure allows 3-24 lowercase letters and digits" in problem.rule
    assert problem.fix == "Shorten name_prefix to at most 11 characters."


def test_storage_name_with_uppercase_prefix_rejected() -> None:
    data = spec_data("dev")
    data["data_lake"]["name_prefix"] = "MLP"

    problem = only_problem(data)

    assert problem.field == "data_lake.name_prefix"
    assert "should match pattern" in problem.rule


def test_non_gpu_vm_size_rejected() -> None:
    data = spec_data("dev")
    data["gpu_vm"]["size"] = "Standard_D4s_v5"

    problem = only_problem(data)

    assert problem.field == "gpu_vm.size"
    assert problem.value == '"Standard_D4s_v5"'
    assert problem.rule == "must be a GPU VM size, but this size has no GPU"
    assert "Standard_NC4as_T4_v3" in problem.fix


def test_unknown_vm_size_rejected() -> None:
    data = spec_data("dev")
    data["gpu_vm"]["size"] = "Standard_NC4as_T4_v9"

    problem = only_problem(data)

    assert problem.rule == "must be a GPU VM size from the catalog"


def test_nsg_rules_with_same_priority_and_direction_rejected() -> None:
    data = spec_data("dev")
    rules = data["network"]["subnets"]["endpoints"]["nsg_rules"]
    rules.append({**rules[0], "name": "AllowHttpsFromPeering"})

    problem = only_problem(data)

    assert problem.field == 'network.subnets["endpoints"].nsg_rules[1].priority'
    assert problem.value == "200"
    assert "must be unique among Inbound rules" in problem.rule
    assert "nsg_rules[0] (AllowHttpsFromVnet) already uses it" in problem.rule


def test_nsg_rules_with_same_priority_other_direction_accepted() -> None:
    data = spec_data("dev")
    rules = data["network"]["subnets"]["endpoints"]["nsg_rules"]
    rules.append({**rules[0], "name": "AllowHttpsOut", "direction": "Outbound"})

    spec = EnvironmentSpec.from_data(data)

    assert len(spec.network.subnets["endpoints"].nsg_rules) == 2


def test_nsg_rule_on_generated_ssh_priority_rejected() -> None:
    data = spec_data("dev")
    data["network"]["subnets"]["compute"]["nsg_rules"] = [
        {
            "name": "AllowMetrics",
            "priority": 1000,
            "direction": "Inbound",
            "access": "Allow",
            "protocol": "Tcp",
            "source_address_prefixes": ["VirtualNetwork"],
            "destination_port_ranges": ["9100"],
        }
    ]

    problem = only_problem(data)

    assert "the generated rule AllowSshFromListedSources already uses it" in problem.rule


@pytest.mark.parametrize("priority", [99, 4097])
def test_nsg_priority_outside_range_rejected(priority: int) -> None:
    data = spec_data("dev")
    data["network"]["subnets"]["endpoints"]["nsg_rules"][0]["priority"] = priority

    problem = only_problem(data)

    assert problem.field == 'network.subnets["endpoints"].nsg_rules[0].priority'
    assert problem.value == str(priority)
    assert "4096" in problem.rule or "100" in problem.rule


def test_duplicate_nsg_rule_names_rejected() -> None:
    data = spec_data("dev")
    rules = data["network"]["subnets"]["endpoints"]["nsg_rules"]
    rules.append({**rules[0], "priority": 210})

    problem = only_problem(data)

    assert problem.field == 'network.subnets["endpoints"].nsg_rules[1].name'
    assert problem.rule == "must be unique within the subnet's NSG"


def test_invalid_port_range_rejected() -> None:
    data = spec_data("dev")
    data["network"]["subnets"]["endpoints"]["nsg_rules"][0]["destination_port_ranges"] = ["70000"]

    problem = only_problem(data)

    assert problem.field == 'network.subnets["endpoints"].nsg_rules[0].destination_port_ranges'
    assert problem.value == '"70000"'


def test_overlapping_address_spaces_rejected() -> None:
    data = spec_data("dev")
    data["network"]["address_space"] = ["10.10.0.0/16", "10.10.128.0/17"]

    problem = only_problem(data)

    assert problem.field == "network.address_space[1]"
    assert 'must not overlap address_space[0] "10.10.0.0/16"' in problem.rule


def test_subnet_smaller_than_slash_29_rejected() -> None:
    data = spec_data("dev")
    data["network"]["subnets"]["endpoints"]["cidr"] = "10.10.1.0/30"

    problem = only_problem(data)

    assert problem.field == 'network.subnets["endpoints"].cidr'
    assert "must be a /29 or larger" in problem.rule


def test_gpu_vm_in_unknown_subnet_rejected() -> None:
    data = spec_data("dev")
    data["gpu_vm"]["subnet"] = "gpu"

    problem = only_problem(data)

    assert problem.field == "gpu_vm.subnet"
    assert '"compute"' in problem.fix


def test_secure_boot_with_driver_extension_rejected() -> None:
    data = spec_data("dev")
    data["gpu_vm"]["secure_boot_enabled"] = True

    problem = only_problem(data)

    assert problem.field == "gpu_vm.secure_boot_enabled"
    assert "conflicts with nvidia_driver_extension_enabled" in problem.rule


def test_secure_boot_without_driver_extension_accepted() -> None:
    data = spec_data("dev")
    data["gpu_vm"]["secure_boot_enabled"] = True
    data["gpu_vm"]["nvidia_driver_extension_enabled"] = False

    spec = EnvironmentSpec.from_data(data)

    assert spec.gpu_vm is not None and spec.gpu_vm.secure_boot_enabled


def test_reserved_admin_username_rejected() -> None:
    data = spec_data("dev")
    data["gpu_vm"]["admin_username"] = "root"

    problem = only_problem(data)

    assert problem.field == "gpu_vm.admin_username"
    assert problem.rule == "must not be a name Azure reserves"


def test_private_key_in_ssh_field_rejected() -> None:
    data = spec_data("dev")
    data["gpu_vm"]["ssh_public_key"] = (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA"
    )

    problem = only_problem(data)

    assert problem.field == "gpu_vm.ssh_public_key"
    assert "PRIVATE KEY" not in problem.value.removeprefix('"-----BEGIN OPENSSH PRIV')
    assert "never a private key" in problem.fix


def test_unknown_region_rejected() -> None:
    data = spec_data("dev")
    data["location"] = "West Europe"

    problem = only_problem(data)

    assert problem.field == "location"
    assert problem.value == '"West Europe"'


def test_misspelt_field_rejected() -> None:
    data = spec_data("dev")
    data["gpu_vm"]["os_disk_size_gib"] = 64

    problem = only_problem(data)

    assert problem.field == "gpu_vm.os_disk_size_gib"
    assert problem.rule == "extra inputs are not permitted"
    assert problem.fix == "Remove the field or correct its spelling."


def test_missing_field_reported() -> None:
    data = spec_data("dev")
    del data["tags"]["owner"]

    problem = only_problem(data)

    assert problem.field == "tags.owner"
    assert problem.value == "nothing"
    assert problem.fix == "Add the field."


@pytest.mark.parametrize("name", ["raw--data", "ab", "-raw", "Raw"])
def test_invalid_filesystem_name_rejected(name: str) -> None:
    data = spec_data("dev")
    data["data_lake"]["filesystems"] = [name]

    problem = only_problem(data)

    assert problem.field == "data_lake.filesystems[0]"
    assert problem.value == f'"{name}"'


def test_duplicate_filesystems_rejected() -> None:
    data = spec_data("dev")
    data["data_lake"]["filesystems"] = ["raw", "curated", "raw"]

    problem = only_problem(data)

    assert problem.field == "data_lake.filesystems"
    assert problem.value == '["raw"]'


def test_independent_problems_listed_together() -> None:
    data = spec_data("dev")
    data["location"] = "mars"
    data["gpu_vm"]["size"] = "Standard_D4s_v5"
    data["network"]["ssh_source_cidrs"] = ["0.0.0.0/0"]

    found = problems(data)

    assert {p.field for p in found} == {
        "location",
        "gpu_vm.size",
        "network.ssh_source_cidrs[0]",
    }


def test_spec_error_message_format() -> None:
    data = spec_data("dev")
    data["gpu_vm"]["size"] = "Standard_D4s_v5"

    with pytest.raises(
        SpecError,
        match=r"gpu_vm\.size must be a GPU VM size, but this size has "
        r'no GPU; got "Standard_D4s_v5"\. Use one of: ',
    ):
        EnvironmentSpec.from_data(data)


def test_spec_json_round_trip_is_lossless(builtin_specs) -> None:  # type: ignore[no-untyped-def]
    for spec in builtin_specs.values():
        again = EnvironmentSpec.from_data(__import__("json").loads(spec.to_json()))

        assert again == spec
        assert again.to_json() == spec.to_json()


def test_extra_tags_join_required_tags() -> None:
    data = spec_data("dev")
    data["tags"]["extra"] = {"team": "vision"}

    spec = EnvironmentSpec.from_data(data)

    assert spec.all_tags()["environment"] == "dev"
    assert spec.all_tags()["team"] == "vision"
