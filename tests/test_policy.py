"""Policy: spec checks before synth, the synth-time guard, and the Azure Policy assignments."""

from __future__ import annotations

import json
from typing import Any

import pytest

from constructs_ai.errors import SpecError
from constructs_ai.specs import EnvironmentSpec, PolicySpec
from tests.conftest import ENVIRONMENT_NAMES, Stack, resources_of
from tests.factories import spec_data

DEFINITION = "/providers/Microsoft.Authorization/policyDefinitions/"


def synth_with_validations(spec: EnvironmentSpec, add: Any = None) -> Stack:
    """Synthesize `spec`, running cdktf validations as a real synth does."""
    from cdktf import Testing

    from constructs_ai.environment import AiEnvironmentStack

    stack = AiEnvironmentStack(Testing.app(), spec.name, spec=spec)
    if add is not None:
        add(stack)
    return json.loads(Testing.synth(stack, True))


def add_rogue_resources(stack: Any) -> None:
    """Add a VM in a disallowed region and size, badly named and missing two tags."""
    from cdktf_cdktf_provider_azurerm.linux_virtual_machine import (
        LinuxVirtualMachine,
        LinuxVirtualMachineOsDisk,
    )

    vm = LinuxVirtualMachine(
        stack,
        "rogue",
        name="rogue-vm",
        location="westus",
        resource_group_name=stack.resource_group.name,
        size="Standard_D2s_v5",
        admin_username="azureuser",
        network_interface_ids=[],
        os_disk=LinuxVirtualMachineOsDisk(caching="ReadWrite", storage_account_type="Premium_LRS"),
    )
    vm.override_logical_id("gpu_vm_rogue")
    # An override is applied after every aspect, so it can drop tags the tags aspect set.
    vm.add_override("tags.owner", None)
    vm.add_override("tags.cost-center", None)


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_assignments_parameters_equal_spec(
    stacks: dict[str, Stack],
    builtin_specs,
    environment: str,  # type: ignore[no-untyped-def]
) -> None:
    policy = builtin_specs[environment].policy
    assignments = resources_of(stacks[environment], "azurerm_resource_group_policy_assignment")

    locations = assignments["policy_allowed_locations"]
    sizes = assignments["policy_allowed_vm_sizes"]
    assert locations["policy_definition_id"] == DEFINITION + "e56962a6-4747-49cd-b67b-bf8b01975c4c"
    assert json.loads(locations["parameters"]) == {
        "listOfAllowedLocations": {"value": policy.allowed_locations}
    }
    assert sizes["policy_definition_id"] == DEFINITION + "cccc23c7-8427-4f53-ad12-b6a63eb452b3"
    assert json.loads(sizes["parameters"]) == {
        "listOfAllowedSKUs": {"value": policy.allowed_vm_sizes}
    }
    tag_assignments = [
        body for key, body in assignments.items() if key.startswith("policy_require_tag_")
    ]
    assert len(tag_assignments) == len(policy.required_tags)
    assert sorted(
        json.loads(body["parameters"])["tagName"]["value"] for body in tag_assignments
    ) == (sorted(policy.required_tags))
    for body in tag_assignments:
        assert body["policy_definition_id"] == DEFINITION + "871b6d14-10aa-478d-b590-94f262ecfa99"


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_assignments_are_enforced_on_resource_group(
    stacks: dict[str, Stack], environment: str
) -> None:
    assignments = resources_of(stacks[environment], "azurerm_resource_group_policy_assignment")

    assert assignments
    for body in assignments.values():
        assert body["resource_group_id"] == "${azurerm_resource_group.rg.id}"
        assert body["enforce"] is True
        assert len(body["name"]) <= 64
        assert body["name"].startswith(f"mlp-{environment}-")


def test_assignment_name_is_shortened_with_hash() -> None:
    from constructs_ai.policy import assignment_name

    name = assignment_name("mlp-dev", "require-tag", "x" * 80)

    assert len(name) == 64
    assert name == assignment_name("mlp-dev", "require-tag", "x" * 80)
    assert assignment_name("mlp-dev", "require-tag", "data.class/v1") == (
        "mlp-dev-require-tag-data-class-v1"
    )


def test_spec_lists_every_policy_breach_together() -> None:
    data = spec_data("dev")
    data["location"] = "westeurope"
    data["gpu_vm"]["size"] = "Standard_NC24ads_A100_v4"
    data["policy"]["required_tags"].append("data-classification")
    data["vcpu_quotas"] = {}

    with pytest.raises(SpecError) as raised:
        EnvironmentSpec.from_data(data)

    message = str(raised.value)
    assert "(3 problems)" in message
    assert (
        'location must be one of policy.allowed_locations ["swedencentral"]; got "westeurope"'
        in (message)
    )
    assert "gpu_vm.size must be one of policy.allowed_vm_sizes" in message
    assert 'must contain the tag "data-classification" that policy.required_tags lists' in message


def test_synth_lists_every_violation_of_added_resources(builtin_specs) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match=r"Validation failed") as raised:
        synth_with_validations(builtin_specs["dev"], add_rogue_resources)

    message = str(raised.value)
    address = "azurerm_linux_virtual_machine.gpu_vm_rogue"
    assert (
        f'{address}.location must be one of policy.allowed_locations ["swedencentral"]; '
        'got "westus"' in message
    )
    assert f"{address}.size must be one of policy.allowed_vm_sizes" in message
    assert 'got "Standard_D2s_v5"' in message
    assert (
        f"{address}.tags must contain every tag in policy.required_tags, but lacks "
        '["owner", "cost-center"]' in message
    )
    assert f'{address}.name must start with "vm-"' in message
    assert message.count("policy: ") == 4


def test_synth_passes_for_builtin_spec(builtin_specs) -> None:  # type: ignore[no-untyped-def]
    stack = synth_with_validations(builtin_specs["staging"])

    assert resources_of(stack, "azurerm_resource_group_policy_assignment")


def test_guard_resolves_location_references() -> None:
    from constructs_ai.policy import policy_problems

    policy = PolicySpec(allowed_locations=["eastus2"], allowed_vm_sizes=["Standard_NC4as_T4_v3"])
    resources = {
        "azurerm_resource_group": {"rg": {"name": "rg-x", "location": "westus"}},
        "azurerm_virtual_network": {
            "vnet": {"name": "vnet-x", "location": "${azurerm_resource_group.rg.location}"}
        },
        "azurerm_monitor_action_group": {"ag": {"name": "ag-x", "location": "global"}},
    }

    problems = policy_problems(policy, resources, taggable=set())

    assert [problem.field for problem in problems] == [
        "azurerm_resource_group.rg.location",
        "azurerm_virtual_network.vnet.location",
    ]


def test_guard_reads_aks_node_pool_sizes() -> None:
    from constructs_ai.policy import policy_problems

    policy = PolicySpec(allowed_locations=["eastus2"], allowed_vm_sizes=["Standard_NC4as_T4_v3"])
    resources = {
        "azurerm_kubernetes_cluster": {
            "aks": {"name": "aks-x", "default_node_pool": {"vm_size": "Standard_D4s_v5"}}
        },
        "azurerm_kubernetes_cluster_node_pool": {"gpu": {"vm_size": "Standard_NC4as_T4_v3"}},
    }

    problems = policy_problems(policy, resources, taggable=set())

    assert [problem.field for problem in problems] == [
        "azurerm_kubernetes_cluster.aks.default_node_pool.vm_size"
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "allowed_locations",
            ["Sweden Central"],
            r"allowed_locations\[0\] must be an Azure region",
        ),
        ("allowed_vm_sizes", ["Standard_X1"], r"allowed_vm_sizes\[0\] must be a VM size"),
        ("allowed_locations", [], r"policy\.allowed_locations"),
        ("name_prefixes", {"virtual_network": "vnet-"}, r"must be an azurerm resource type"),
    ],
)
def test_invalid_policy_spec_is_rejected(field: str, value: Any, message: str) -> None:
    data = spec_data("dev")
    data["policy"][field] = value

    with pytest.raises(SpecError, match=message):
        EnvironmentSpec.from_data(data)


def test_policy_defaults() -> None:
    from constructs_ai.specs.policy import DEFAULT_NAME_PREFIXES

    policy = PolicySpec(allowed_locations=["eastus2"], allowed_vm_sizes=["Standard_NC4as_T4_v3"])

    assert policy.required_tags == ["environment", "owner", "cost-center"]
    assert policy.name_prefixes == DEFAULT_NAME_PREFIXES
