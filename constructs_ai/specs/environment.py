"""The environment spec: everything that differs between dev, staging and prod."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import StringConstraints, ValidationError, field_validator, model_validator

from constructs_ai.catalog import regions, vm_sizes
from constructs_ai.errors import Problem, SpecError, problems_from, rule_error, show, violation
from constructs_ai.naming import resource_group_name, storage_account_name
from constructs_ai.specs._base import ContainerName, SpecModel
from constructs_ai.specs._security_rules import security_problems
from constructs_ai.specs.ai_services import (
    OpenAiSpec,
    default_custom_subdomain,
    subdomain_problem,
)
from constructs_ai.specs.compute import GpuVmSpec
from constructs_ai.specs.frontdoor import FrontDoorSpec, OriginKind
from constructs_ai.specs.governance import PurviewSpec
from constructs_ai.specs.identity import IdentitySpec
from constructs_ai.specs.keyvault import KeyVaultSpec, derived_key_vault_name
from constructs_ai.specs.kubernetes import (
    SPOT_QUOTA_FAMILY,
    AksSpec,
    ContainerRegistrySpec,
    VcpuDemand,
    VcpuQuotas,
    aks_problems,
    aks_vcpu_demands,
    vcpu_quota_problems,
)
from constructs_ai.specs.machine_learning import AiFoundrySpec, MachineLearningSpec, VmPriority
from constructs_ai.specs.network import NetworkSpec
from constructs_ai.specs.observability import MonitoringSpec
from constructs_ai.specs.policy import PolicySpec, TagName
from constructs_ai.specs.private_endpoints import PrivateEndpointsSpec
from constructs_ai.specs.storage import DataLakeSpec

TagValue = Annotated[str, StringConstraints(min_length=1, max_length=256)]
"""Azure tag value: 1-256 characters. Unlike tag names, values may contain any character."""

REQUIRED_TAG_NAMES = ("environment", "workload", "owner", "cost-center", "managed-by")
"""Names of the tags the library writes on every taggable resource."""

TAGS_PER_RESOURCE_MAX = 50
"""Azure allows at most 50 tags on one resource."""

StateKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,1023}$")]
"""Blob name of a Terraform state file."""

STORAGE_NAME_MAX = 24


class Stage(StrEnum):
    """Lifecycle stage; it selects secure defaults such as private clusters in production."""

    DEVELOPMENT = "development"
    STAGING = "staging"
    PRODUCTION = "production"


class TagsSpec(SpecModel):
    """Ownership tags written on every taggable resource."""

    owner: TagValue
    """Team or person accountable for the environment, such as `ml-platform@contoso.com`."""
    cost_center: TagValue
    """Cost center the spend is charged to."""
    extra: dict[TagName, TagValue] = {}
    """Additional tags. Names are 1-512 characters without `<`, `>`, `%`, `&`, `\\`, `?`
    or `/`, and must not repeat a required tag name in any case (Azure tag names are
    case-insensitive). With the 5 required tags, at most 50 tags in all. Default: `{}`."""

    @model_validator(mode="after")
    def _check_extra(self) -> TagsSpec:
        problems = list(self._extra_name_problems())
        total = len(REQUIRED_TAG_NAMES) + len(self.extra)
        if total > TAGS_PER_RESOURCE_MAX:
            problems.append(
                Problem(
                    "extra",
                    f"{len(self.extra)} tags",
                    f"must hold at most {TAGS_PER_RESOURCE_MAX - len(REQUIRED_TAG_NAMES)} tags, "
                    f"because with the {len(REQUIRED_TAG_NAMES)} required tags every resource "
                    f"would carry {total}, and Azure allows {TAGS_PER_RESOURCE_MAX} per resource",
                    f"Remove {total - TAGS_PER_RESOURCE_MAX} of the extra tags.",
                )
            )
        if problems:
            raise rule_error(problems)
        return self

    def _extra_name_problems(self) -> Iterator[Problem]:
        seen: dict[str, str] = {}
        for name in self.extra:
            folded = name.casefold()
            field = f"extra[{show(name)}]"
            if folded in REQUIRED_TAG_NAMES:
                yield Problem(
                    field,
                    show(name),
                    f'must not be the required tag "{folded}" in any case, because Azure tag '
                    "names are case-insensitive and the library sets that tag itself",
                    f'Remove "{name}" from tags.extra, or rename it.',
                )
            elif folded in seen:
                yield Problem(
                    field,
                    show(name),
                    f"must differ from {show(seen[folded])} in more than case, because Azure "
                    "tag names are case-insensitive",
                    "Keep one of the two tags.",
                )
            seen.setdefault(folded, name)


class StateBackendSpec(SpecModel):
    """Terraform state location of this environment: a blob in Azure Storage."""

    resource_group_name: Annotated[str, StringConstraints(pattern=r"^[-\w.()]{1,90}$")]
    """Resource group of the state storage account."""
    storage_account_name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]{3,24}$")]
    """State storage account: 3-24 lowercase letters and digits."""
    container_name: ContainerName = "tfstate"
    """Blob container of the state. Default: `"tfstate"`."""
    key: StateKey | None = None
    """Blob name of the state. Default: `null`, meaning `<workload>/<environment>.tfstate`."""
    use_azuread_auth: bool = True
    """Authenticate to the state account with Entra ID instead of account keys.
    Default: `true`."""


class EnvironmentSpec(SpecModel):
    """One Azure AI environment, such as dev, staging or prod."""

    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]{1,9}$")]
    """Environment name: 2-10 lowercase letters or digits, starting with a letter. It is
    the stack name and part of every resource name."""
    stage: Stage
    """Lifecycle stage."""
    location: str
    """Azure region, such as `swedencentral`. Changing it replaces every resource."""
    workload: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]{1,11}$")]
    """Workload name: 2-12 lowercase letters or digits. Part of every resource name."""
    tags: TagsSpec
    """Ownership tags; every taggable resource carries them."""
    backend: StateBackendSpec
    """Terraform state backend."""
    network: NetworkSpec
    """VNet, subnets and SSH sources."""
    subscription_id: uuid.UUID | None = None
    """Subscription to deploy to. Default: `null`, meaning the `ARM_SUBSCRIPTION_ID`
    environment variable at deploy time."""
    name_seed: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    """Extra input to the hash in globally unique names, for organisations whose names
    collide. Changing it replaces those resources. Default: `null`."""
    gpu_vm: GpuVmSpec | None = None
    """A standalone GPU VM. Default: `null` (none)."""
    data_lake: DataLakeSpec | None = None
    """An ADLS Gen2 data lake. Default: `null` (none)."""
    aks: AksSpec | None = None
    """An AKS cluster with GPU node pools. Default: `null` (none)."""
    container_registry: ContainerRegistrySpec | None = None
    """A container registry; the AKS kubelet identity may pull from it.
    Default: `null` (none)."""
    vcpu_quotas: VcpuQuotas = {}
    """Regional vCPU quota per quota family (`az vm list-usage`), such as
    `{"standardNCADSA100v4Family": 96}`; spot pools count against `lowPriorityCores`.
    The peak vCPUs of the AKS pools and the Machine Learning compute cluster at their
    maximum node counts, plus the GPU VM, must fit each family. Low-priority cluster
    nodes count against `lowPriorityCores` too. Once one family is listed, every family
    used must be.
    Default: `{}` (not checked)."""
    monitoring: MonitoringSpec | None = None
    """Log Analytics, diagnostics on every resource, alerts and a budget.
    Default: `null` (none)."""
    policy: PolicySpec | None = None
    """Allowed regions, VM sizes, required tags and names, checked at synth time and
    assigned as Azure Policy. Default: `null` (no policy)."""
    key_vault: KeyVaultSpec | None = None
    """An RBAC-only Key Vault reached over a private endpoint. Default: `null` (none)."""
    private_endpoints: PrivateEndpointsSpec | None = None
    """Private endpoint subnet and DNS zone ownership. Required when the environment
    has a private PaaS resource (data lake, Key Vault, registry, AI services).
    Default: `null` (no endpoints)."""
    identity: IdentitySpec = IdentitySpec()
    """Workload identities and role assignment timing.
    Default: `{"rbac_propagation_seconds": 60, "workload_identities": {}}`."""
    openai: OpenAiSpec | None = None
    """An Azure OpenAI account with model deployments. Default: `null` (none)."""
    machine_learning: MachineLearningSpec | None = None
    """An Azure Machine Learning workspace. Default: `null` (none)."""
    ai_foundry: AiFoundrySpec | None = None
    """An AI Foundry hub and its projects. Default: `null` (none)."""
    front_door: FrontDoorSpec | None = None
    """A Front Door profile with a WAF in front of the inference endpoint.
    Default: `null` (none)."""
    purview: PurviewSpec | None = None
    """A Microsoft Purview account. Default: `null` (none)."""

    @field_validator("location")
    @classmethod
    def _check_location(cls, location: str) -> str:
        if location not in regions():
            raise violation(
                "",
                location,
                "must be an Azure region name in lowercase without spaces",
                'Use a name such as "swedencentral" or "eastus2" '
                "(see `az account list-locations -o table`).",
            )
        return location

    @model_validator(mode="after")
    def _check_cross_fields(self) -> EnvironmentSpec:
        problems = [
            *self._gpu_vm_problems(),
            *self._data_lake_problems(),
            *self._aks_problems(),
            *self._policy_problems(),
            *security_problems(self),
            *self._ai_services_problems(),
        ]
        if problems:
            raise rule_error(problems)
        return self

    def _gpu_vm_problems(self) -> Iterator[Problem]:
        if self.gpu_vm is None:
            return
        subnets = self.network.subnets
        if self.gpu_vm.subnet not in subnets:
            yield Problem(
                "gpu_vm.subnet",
                show(self.gpu_vm.subnet),
                "must name a subnet in network.subnets",
                "Use one of: " + ", ".join(f'"{key}"' for key in subnets) + ".",
            )

    def _aks_problems(self) -> Iterator[Problem]:
        if self.aks is not None:
            yield from aks_problems(
                self.aks,
                address_space=self.network.address_space,
                subnets={key: subnet.cidr for key, subnet in self.network.subnets.items()},
                production=self.stage is Stage.PRODUCTION,
            )
        yield from vcpu_quota_problems(self.vcpu_quotas, self.vcpu_demands())

    def vcpu_demands(self) -> list[VcpuDemand]:
        """Return the peak vCPU demand of the AKS pools, the GPU VM and the ML cluster."""
        demands = aks_vcpu_demands(self.aks) if self.aks is not None else []
        size = vm_sizes().get(self.gpu_vm.size) if self.gpu_vm is not None else None
        if size is not None:
            demands.append(VcpuDemand("gpu_vm", 1, size.vcpus, size.quota_family))
        cluster = self.machine_learning.compute_cluster if self.machine_learning else None
        cluster_size = vm_sizes().get(cluster.vm_size) if cluster is not None else None
        if cluster is not None and cluster_size is not None:
            # NOTE: Azure Machine Learning also keeps a per-workspace compute quota,
            # which this check does not read.
            low_priority = cluster.vm_priority is VmPriority.LOW_PRIORITY
            demands.append(
                VcpuDemand(
                    "machine_learning.compute_cluster",
                    cluster.max_node_count,
                    cluster_size.vcpus,
                    SPOT_QUOTA_FAMILY if low_priority else cluster_size.quota_family,
                )
            )
        return demands

    def _data_lake_problems(self) -> Iterator[Problem]:
        if self.data_lake is None:
            return
        name = self.storage_account_name
        if name is not None and len(name) > STORAGE_NAME_MAX:
            room = STORAGE_NAME_MAX - (len(name) - len(self.data_lake.name_prefix))
            yield Problem(
                "data_lake.name_prefix",
                show(self.data_lake.name_prefix),
                f'gives the storage account name "{name}" of {len(name)} characters, '
                f"but Azure allows 3-24 lowercase letters and digits",
                f"Shorten name_prefix to at most {max(room, 1)} characters.",
            )
        duplicates = sorted(
            {fs for fs in self.data_lake.filesystems if self.data_lake.filesystems.count(fs) > 1}
        )
        if duplicates:
            yield Problem(
                "data_lake.filesystems",
                show(duplicates),
                "must not list a filesystem twice",
                "Remove the repeated names.",
            )

    def _policy_problems(self) -> Iterator[Problem]:
        if self.policy is None:
            return
        sizes = {"gpu_vm.size": self.gpu_vm.size} if self.gpu_vm is not None else {}
        if self.aks is not None:
            sizes["aks.system_pool.vm_size"] = self.aks.system_pool.vm_size
            for key, pool in self.aks.gpu_pools.items():
                sizes[f'aks.gpu_pools["{key}"].vm_size'] = pool.vm_size
        locations = {"openai.location": self.openai.location} if self.openai else {}
        yield from self.policy.spec_problems(
            self.location,
            sizes,
            self.all_tags(),
            other_locations=locations,
            names_in_use=self.explicit_resource_names(),
        )

    def explicit_resource_names(self) -> dict[str, tuple[str, str]]:
        """Return the resource names the spec gives explicitly: field -> (azurerm type, name)."""
        names = {}
        if self.key_vault is not None and self.key_vault.name is not None:
            names["key_vault.name"] = ("azurerm_key_vault", self.key_vault.name)
        return names

    def _ai_services_problems(self) -> Iterator[Problem]:
        front_door = self.front_door
        if (
            front_door is not None
            and front_door.origin.kind is OriginKind.OPENAI
            and not self.openai
        ):
            yield Problem(
                "front_door.origin.kind",
                show(front_door.origin.kind.value),
                "needs an Azure OpenAI account, but openai is not set",
                'Add openai, or use kind "private_link_service".',
            )
        if (
            front_door is not None
            and front_door.origin.kind is OriginKind.OPENAI
            and not front_door.origin.private_link_enabled
            and self.openai is not None
        ):
            # The library always turns the account's public network access off.
            yield Problem(
                "front_door.origin.private_link_enabled",
                show(False),
                "must be true when the origin is the OpenAI account, because the account has "
                "public network access disabled, so Front Door could reach it only over "
                "Private Link",
                "Set front_door.origin.private_link_enabled to true with the "
                '"Premium_AzureFrontDoor" sku.',
            )
        if self.openai is not None and self.openai.custom_subdomain is None:
            problem = subdomain_problem("openai.custom_subdomain", self.openai_custom_subdomain)
            if problem is not None:
                yield problem

    @property
    def openai_custom_subdomain(self) -> str:
        """Custom subdomain of the OpenAI account: the spec's, else one derived from names."""
        if self.openai is not None and self.openai.custom_subdomain is not None:
            return self.openai.custom_subdomain
        return default_custom_subdomain(self.workload, self.name, self.seed)

    @property
    def seed(self) -> str:
        """Stable input to the hash of globally unique names."""
        return self.name_seed or f"{self.workload}/{self.name}"

    @property
    def resource_group_name(self) -> str:
        return resource_group_name(self.workload, self.name)

    @property
    def storage_account_name(self) -> str | None:
        if self.data_lake is None:
            return None
        return storage_account_name(self.data_lake.name_prefix, self.name, self.seed)

    @property
    def key_vault_name(self) -> str | None:
        if self.key_vault is None:
            return None
        return self.key_vault.name or derived_key_vault_name(self.workload, self.name, self.seed)

    @property
    def state_key(self) -> str:
        return self.backend.key or f"{self.workload}/{self.name}.tfstate"

    def required_tags(self) -> dict[str, str]:
        """Return the tags every taggable resource carries; `REQUIRED_TAG_NAMES` lists them."""
        return {
            "environment": self.name,
            "workload": self.workload,
            "owner": self.tags.owner,
            "cost-center": self.tags.cost_center,
            "managed-by": "constructs-ai",
        }

    def all_tags(self) -> dict[str, str]:
        """Return the extra tags overlaid with the required ones, which always win."""
        return {**self.tags.extra, **self.required_tags()}

    def to_json(self) -> str:
        """Serialize to the JSON that `from_json` and `constructs-ai validate` accept."""
        return json.dumps(self.model_dump(mode="json"), indent=2) + "\n"

    @classmethod
    def from_data(cls, data: Any, source: str = "spec") -> EnvironmentSpec:
        """Validate parsed JSON; raise SpecError listing every problem found."""
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise SpecError(problems_from(error, cls), source) from None

    @classmethod
    def from_json_file(cls, path: str | Path) -> EnvironmentSpec:
        """Load and validate a spec file; raise SpecError listing every problem found."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problem = Problem("", show(str(path)), "spec file not found", "Check the path.")
            raise SpecError([problem], str(path)) from None
        except (IsADirectoryError, PermissionError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            problem = Problem(
                "",
                show(str(path)),
                f"spec file could not be read ({reason})",
                "Pass the path of a JSON spec file.",
            )
            raise SpecError([problem], str(path)) from None
        except json.JSONDecodeError as error:
            problem = Problem(
                f"line {error.lineno} column {error.colno}",
                show(error.msg),
                "is not valid JSON",
                "Fix the syntax; `constructs-ai export-spec` prints a valid example.",
            )
            raise SpecError([problem], str(path)) from None
        return cls.from_data(data, str(path))
