"""Policy spec: the rules checked at synth time and assigned as Azure Policy."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from constructs_ai.catalog import regions, vm_sizes
from constructs_ai.errors import Problem, rule_error, show
from constructs_ai.specs._base import SpecModel

DEFAULT_NAME_PREFIXES = {
    "azurerm_resource_group": "rg-",
    "azurerm_virtual_network": "vnet-",
    "azurerm_subnet": "snet-",
    "azurerm_network_security_group": "nsg-",
    "azurerm_network_interface": "nic-",
    "azurerm_public_ip": "pip-",
    "azurerm_linux_virtual_machine": "vm-",
    "azurerm_user_assigned_identity": "id-",
    "azurerm_log_analytics_workspace": "log-",
    "azurerm_application_insights": "appi-",
    "azurerm_monitor_action_group": "ag-",
    "azurerm_kubernetes_cluster": "aks-",
    "azurerm_key_vault": "kv-",
    "azurerm_private_endpoint": "pe-",
}
"""Name prefixes of the Cloud Adoption Framework's abbreviations, per azurerm resource type."""

TagName = Annotated[str, StringConstraints(min_length=1, max_length=512, pattern=r"^[^<>%&\\?/]+$")]
"""Azure tag name: 1-512 characters without `<`, `>`, `%`, `&`, `\\`, `?` or `/`."""

_RESOURCE_TYPE = re.compile(r"^azurerm_[a-z0-9_]+$")


class PolicySpec(SpecModel):
    """Rules every resource of the environment must follow.

    The library checks them when it synthesizes the stack, and assigns the
    location, VM size and tag rules as Azure Policy on the resource group.
    """

    allowed_locations: Annotated[list[str], Field(min_length=1)]
    """Azure regions resources may be created in. Resources in the `global` location,
    such as action groups, are exempt, as in Azure's built-in policy."""
    allowed_vm_sizes: Annotated[list[str], Field(min_length=1)]
    """VM sizes that VMs, scale sets and AKS node pools may use."""
    required_tags: list[TagName] = ["environment", "owner", "cost-center"]
    """Tags every taggable resource must carry. Default: `["environment", "owner",
    "cost-center"]`."""
    name_prefixes: dict[str, Annotated[str, StringConstraints(min_length=1, max_length=10)]] = (
        DEFAULT_NAME_PREFIXES
    )
    """Required start of the `name` of each listed azurerm resource type. Default: the Cloud
    Adoption Framework abbreviations for the types this library creates."""

    @field_validator("allowed_locations")
    @classmethod
    def _check_locations(cls, locations: list[str]) -> list[str]:
        problems = [
            Problem(
                f"[{index}]",
                show(location),
                "must be an Azure region name in lowercase without spaces",
                'Use a name such as "swedencentral" or "eastus2".',
            )
            for index, location in enumerate(locations)
            if location not in regions()
        ]
        if problems:
            raise rule_error(problems)
        return locations

    @field_validator("allowed_vm_sizes")
    @classmethod
    def _check_sizes(cls, sizes: list[str]) -> list[str]:
        catalog = vm_sizes()
        problems = [
            Problem(
                f"[{index}]",
                show(size),
                "must be a VM size from the catalog",
                "Use one of: " + ", ".join(sorted(catalog.sizes)) + ".",
            )
            for index, size in enumerate(sizes)
            if catalog.get(size) is None
        ]
        if problems:
            raise rule_error(problems)
        return sizes

    @field_validator("name_prefixes")
    @classmethod
    def _check_types(cls, prefixes: dict[str, str]) -> dict[str, str]:
        problems = [
            Problem(
                f'["{resource_type}"]',
                show(resource_type),
                "must be an azurerm resource type",
                'Use a Terraform type such as "azurerm_virtual_network".',
            )
            for resource_type in prefixes
            if not _RESOURCE_TYPE.match(resource_type)
        ]
        if problems:
            raise rule_error(problems)
        return prefixes

    def spec_problems(
        self,
        location: str,
        vm_sizes_in_use: dict[str, str],
        tags: dict[str, str],
        *,
        other_locations: Mapping[str, str] | None = None,
        names_in_use: Mapping[str, tuple[str, str]] | None = None,
    ) -> Iterator[Problem]:
        """Yield the environment spec's own breaches, found before any construct exists.

        `vm_sizes_in_use` and `other_locations` map a spec field path to the size or
        region it sets. `names_in_use` maps the path of an explicit resource name to the
        azurerm resource type and the name.
        """
        locations = {"location": location, **(other_locations or {})}
        for field, region in locations.items():
            if region not in self.allowed_locations:
                yield Problem(
                    field,
                    show(region),
                    f"must be one of policy.allowed_locations {show(self.allowed_locations)}",
                    "Deploy to an allowed region or add the region to policy.allowed_locations.",
                )
        for field, (resource_type, name) in (names_in_use or {}).items():
            prefix = self.name_prefixes.get(resource_type)
            if prefix is not None and not name.startswith(prefix):
                yield Problem(
                    field,
                    show(name),
                    f'must start with "{prefix}" (policy.name_prefixes["{resource_type}"]), '
                    "because the policy checks every resource name at synth",
                    f'Rename it to start with "{prefix}", or change policy.name_prefixes.',
                )
        for field, size in vm_sizes_in_use.items():
            if size not in self.allowed_vm_sizes:
                yield Problem(
                    field,
                    show(size),
                    f"must be one of policy.allowed_vm_sizes {show(self.allowed_vm_sizes)}",
                    "Pick an allowed size or add the size to policy.allowed_vm_sizes.",
                )
        for tag in self.required_tags:
            if tag not in tags:
                yield Problem(
                    "tags.extra",
                    show(sorted(tags)),
                    f'must contain the tag "{tag}" that policy.required_tags lists',
                    f'Add "{tag}" to tags.extra or remove it from policy.required_tags.',
                )
