"""Azure Machine Learning workspace and AI Foundry hub specs."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from constructs_ai.errors import show, violation
from constructs_ai.specs._base import SpecModel
from constructs_ai.specs.compute import check_gpu_size

GpuSize = Annotated[str, AfterValidator(check_gpu_size)]
"""A GPU VM size from the shipped catalog."""


class VmPriority(StrEnum):
    """Whether cluster nodes are dedicated or evictable low-priority capacity."""

    DEDICATED = "Dedicated"
    LOW_PRIORITY = "LowPriority"


class GpuComputeClusterSpec(SpecModel):
    """A GPU training cluster that scales to zero nodes when idle."""

    vm_size: GpuSize
    """GPU VM size of every node. Changing it replaces the cluster."""
    max_node_count: Annotated[int, Field(ge=1, le=100)]
    """Most nodes the cluster scales out to; the subscription's GPU quota must cover them."""
    min_node_count: Annotated[int, Field(ge=0, le=100)] = 0
    """Nodes kept running when idle. Default: `0`, so an idle cluster costs nothing."""
    vm_priority: VmPriority = VmPriority.DEDICATED
    """Node priority. Changing it replaces the cluster. Default: `"Dedicated"`."""
    idle_minutes_before_scale_down: Annotated[int, Field(ge=1, le=10080)] = 30
    """Minutes a node stays idle before it is removed. Default: `30`."""

    @model_validator(mode="after")
    def _check_node_counts(self) -> GpuComputeClusterSpec:
        if self.min_node_count > self.max_node_count:
            raise violation(
                "min_node_count",
                self.min_node_count,
                f"must not exceed max_node_count {self.max_node_count}",
                "Lower min_node_count, usually to 0.",
            )
        return self


class MachineLearningSpec(SpecModel):
    """An Azure Machine Learning workspace with its own storage, Key Vault, registry and
    Application Insights, isolated in a managed network that only allows approved outbound.
    """

    compute_cluster: GpuComputeClusterSpec | None = None
    """A GPU training cluster. Default: `null` (none)."""
    storage_hierarchical_namespace_enabled: bool = False
    """Give the workspace's default storage account a hierarchical namespace. Azure
    Machine Learning does not support one on its default storage, so `true` is rejected;
    register the data lake as a datastore instead. Default: `false`."""
    key_vault_purge_protection_enabled: bool | None = None
    """Keep deleted Key Vault secrets until the retention period ends. Default: `null`,
    meaning on in staging and production and off in development."""

    @model_validator(mode="after")
    def _check_storage(self) -> MachineLearningSpec:
        if self.storage_hierarchical_namespace_enabled:
            raise violation(
                "storage_hierarchical_namespace_enabled",
                True,
                "must be false, because Azure Machine Learning does not support a default "
                "storage account with a hierarchical namespace (ADLS Gen2)",
                "Set it to false and register the data lake as a datastore instead.",
            )
        return self


ProjectName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,15}$")]
"""AI Foundry project key: 2-16 lowercase letters, digits or hyphens, starting with a letter.
The project is named `proj-<environment>-<key>`, within Azure's 33 characters."""


class AiFoundrySpec(SpecModel):
    """An AI Foundry hub with its projects. It shares the workspace dependencies
    (storage, Key Vault, registry, Application Insights) with the Machine Learning workspace
    when both are present."""

    projects: Annotated[list[ProjectName], Field(min_length=1)] = ["default"]
    """Projects to create under the hub. Default: `["default"]`."""

    @model_validator(mode="after")
    def _check_unique_projects(self) -> AiFoundrySpec:
        repeated = sorted({name for name in self.projects if self.projects.count(name) > 1})
        if repeated:
            raise violation(
                "projects",
                self.projects,
                f"must not list a project twice, but {show(repeated)} repeats, and each "
                "project becomes one workspace named after it",
                "Remove the repeated names.",
            )
        return self
