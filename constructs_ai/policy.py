"""One policy, enforced twice: by the library at synth time and by Azure Policy.

`PolicyAssignments` assigns Azure's built-in definitions for allowed locations,
allowed VM sizes and required tags on the environment's resource group, with
parameters taken from the spec. `PolicyGuard` checks the same rules, plus the
naming rules, on the Terraform the stack is about to write, and fails the synth
with every violation listed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

import jsii
from cdktf import TerraformResource, TerraformStack
from cdktf_cdktf_provider_azurerm.resource_group_policy_assignment import (
    ResourceGroupPolicyAssignment,
)
from constructs import Construct, IValidation

from constructs_ai._aspects import is_taggable
from constructs_ai._ids import logical_id, set_logical_id
from constructs_ai.errors import Problem, show
from constructs_ai.naming import stable_suffix
from constructs_ai.refs import ResourceGroupRef
from constructs_ai.specs.policy import PolicySpec

BUILTIN_DEFINITIONS = {
    "allowed_locations": "/providers/Microsoft.Authorization/policyDefinitions/"
    "e56962a6-4747-49cd-b67b-bf8b01975c4c",
    "allowed_vm_sizes": "/providers/Microsoft.Authorization/policyDefinitions/"
    "cccc23c7-8427-4f53-ad12-b6a63eb452b3",
    "require_tag": "/providers/Microsoft.Authorization/policyDefinitions/"
    "871b6d14-10aa-478d-b590-94f262ecfa99",
}
"""Azure built-in policy definitions: Allowed locations, Allowed virtual machine size
SKUs, and Require a tag on resources."""

ASSIGNMENT_NAME_MAX = 64
"""Azure limits policy assignment names at resource group scope to 64 characters."""

GLOBAL_LOCATION = "global"
"""Location of global resources such as action groups; Azure's Allowed locations
policy exempts them, and so does the synth-time check."""

VM_SIZE_FIELDS: dict[str, tuple[str, ...]] = {
    "azurerm_linux_virtual_machine": ("size",),
    "azurerm_windows_virtual_machine": ("size",),
    "azurerm_linux_virtual_machine_scale_set": ("sku",),
    "azurerm_windows_virtual_machine_scale_set": ("sku",),
    "azurerm_orchestrated_virtual_machine_scale_set": ("sku_name",),
    "azurerm_kubernetes_cluster": ("default_node_pool", "vm_size"),
    "azurerm_kubernetes_cluster_node_pool": ("vm_size",),
}
"""Path of the VM size argument in each azurerm resource type that runs VMs."""

_INVALID_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9_-]+")
_LOCATION_REFERENCE = re.compile(r"^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.location\}$")


def assignment_name(*parts: str) -> str:
    """Return a policy assignment name of at most 64 letters, digits, `-` or `_`."""
    name = _INVALID_NAME_CHARACTERS.sub("-", "-".join(parts)).strip("-")
    if len(name) <= ASSIGNMENT_NAME_MAX:
        return name
    suffix = stable_suffix(name)
    return f"{name[: ASSIGNMENT_NAME_MAX - len(suffix) - 1]}-{suffix}"


class PolicyAssignments(Construct):
    """Azure Policy assignments of the spec's rules on the environment's resource group.

    One assignment for allowed locations, one for allowed VM sizes and one per
    required tag, each with `parameters` JSON-encoded from the spec.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: PolicySpec,
        name_prefix: str,
        resource_group: ResourceGroupRef,
    ) -> None:
        super().__init__(scope, construct_id)
        self._name_prefix = name_prefix
        self._resource_group = resource_group
        self.assignments: dict[str, ResourceGroupPolicyAssignment] = {}

        self._assign(
            "allowed_locations",
            "allowed_locations",
            "Allowed locations",
            {"listOfAllowedLocations": list(spec.allowed_locations)},
        )
        self._assign(
            "allowed_vm_sizes",
            "allowed_vm_sizes",
            "Allowed virtual machine size SKUs",
            {"listOfAllowedSKUs": list(spec.allowed_vm_sizes)},
        )
        for tag in spec.required_tags:
            self._assign(
                f"require_tag_{logical_id(tag)}",
                "require_tag",
                f"Require the tag {tag}",
                {"tagName": tag},
                name_parts=("require-tag", tag),
            )

    def _assign(
        self,
        key: str,
        definition: str,
        display_name: str,
        parameters: Mapping[str, Any],
        name_parts: tuple[str, ...] | None = None,
    ) -> None:
        parts = name_parts or (key.replace("_", "-"),)
        assignment = ResourceGroupPolicyAssignment(
            self,
            key,
            name=assignment_name(self._name_prefix, *parts),
            display_name=f"{display_name} ({self._name_prefix})",
            resource_group_id=self._resource_group.id,
            policy_definition_id=BUILTIN_DEFINITIONS[definition],
            parameters=json.dumps(
                {name: {"value": value} for name, value in parameters.items()}, sort_keys=True
            ),
            enforce=True,
        )
        set_logical_id(assignment, "policy", key)
        self.assignments[key] = assignment


@jsii.implements(IValidation)
class PolicyGuard:
    """Check the stack's final Terraform against the policy during synth.

    cdktf runs validations after all aspects, so the check reads the tags the
    tags aspect wrote, the settings the monitoring aspect added and every
    `add_override`. Apps built with `skip_validation=True` skip it.
    """

    def __init__(self, stack: TerraformStack, spec: PolicySpec) -> None:
        self._stack = stack
        self._spec = spec

    def validate(self) -> list[str]:
        taggable = {
            (node.terraform_resource_type, node.friendly_unique_id)
            for node in self._stack.node.find_all()
            if isinstance(node, TerraformResource) and is_taggable(node)
        }
        document = self._stack.to_terraform()
        problems = policy_problems(self._spec, document.get("resource", {}), taggable)
        return [f"policy: {problem}" for problem in problems]


def policy_problems(
    spec: PolicySpec,
    resources: Mapping[str, Mapping[str, Mapping[str, Any]]],
    taggable: set[tuple[str, str]],
) -> list[Problem]:
    """Return every breach of `spec` in a Terraform JSON `resource` block, sorted by address."""
    problems: list[Problem] = []
    for resource_type, by_name in sorted(resources.items()):
        for name, body in sorted(by_name.items()):
            address = f"{resource_type}.{name}"
            problems.extend(_location_problems(spec, address, body, resources))
            problems.extend(_vm_size_problems(spec, address, resource_type, body))
            if (resource_type, name) in taggable:
                problems.extend(_tag_problems(spec, address, body))
            problems.extend(_name_problems(spec, address, resource_type, body))
    return problems


def _location_problems(
    spec: PolicySpec,
    address: str,
    body: Mapping[str, Any],
    resources: Mapping[str, Mapping[str, Mapping[str, Any]]],
) -> Iterator[Problem]:
    location = _resolve_location(body.get("location"), resources)
    if location is None or location == GLOBAL_LOCATION:
        return
    if location not in spec.allowed_locations:
        yield Problem(
            f"{address}.location",
            show(location),
            f"must be one of policy.allowed_locations {show(spec.allowed_locations)}",
            "Create the resource in an allowed region or add the region to "
            "policy.allowed_locations.",
        )


def _resolve_location(
    value: Any, resources: Mapping[str, Mapping[str, Mapping[str, Any]]]
) -> str | None:
    """Follow `${type.name.location}` references to a literal; None when unknowable."""
    for _ in range(len(resources) + 1):
        if not isinstance(value, str):
            return None
        reference = _LOCATION_REFERENCE.match(value)
        if reference is None:
            return None if "${" in value else value
        value = resources.get(reference[1], {}).get(reference[2], {}).get("location")
    return None


def _vm_size_problems(
    spec: PolicySpec, address: str, resource_type: str, body: Mapping[str, Any]
) -> Iterator[Problem]:
    path = VM_SIZE_FIELDS.get(resource_type)
    if path is None:
        return
    value: Any = body
    for key in path:
        if isinstance(value, list):
            value = value[0] if value else None
        value = value.get(key) if isinstance(value, Mapping) else None
    if isinstance(value, str) and "${" not in value and value not in spec.allowed_vm_sizes:
        yield Problem(
            f"{address}.{'.'.join(path)}",
            show(value),
            f"must be one of policy.allowed_vm_sizes {show(spec.allowed_vm_sizes)}",
            "Pick an allowed size or add the size to policy.allowed_vm_sizes.",
        )


def _tag_problems(spec: PolicySpec, address: str, body: Mapping[str, Any]) -> Iterator[Problem]:
    tags = body.get("tags")
    present = set(tags) if isinstance(tags, Mapping) else set()
    missing = [tag for tag in spec.required_tags if tag not in present]
    if missing and not (isinstance(tags, str) and "${" in tags):
        yield Problem(
            f"{address}.tags",
            show(sorted(present)),
            f"must contain every tag in policy.required_tags, but lacks {show(missing)}",
            "Let the stack's tags aspect set them, or add them where the resource's tags "
            "are overridden.",
        )


def _name_problems(
    spec: PolicySpec, address: str, resource_type: str, body: Mapping[str, Any]
) -> Iterator[Problem]:
    prefix = spec.name_prefixes.get(resource_type)
    name = body.get("name")
    if prefix is None or not isinstance(name, str) or "${" in name:
        return
    if not name.startswith(prefix):
        yield Problem(
            f"{address}.name",
            show(name),
            f'must start with "{prefix}" (policy.name_prefixes["{resource_type}"])',
            f'Rename it to start with "{prefix}" or change policy.name_prefixes.',
        )
