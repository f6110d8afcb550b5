"""Azure OpenAI spec: the account, its model deployments, their quota and the model catalog.

Capacities come from the capacity planner (a `workload`) or are given
explicitly. The quota and catalog checks run here, before synth, so an
environment that Azure would reject at apply time never reaches Terraform.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StringConstraints, field_validator, model_validator

from constructs_ai.capacity import (
    CapacityError,
    CapacityPlan,
    CapacityTable,
    DeploymentType,
    QuotaKey,
    Workload,
    check_quota,
    plan_capacity,
)
from constructs_ai.catalog import regions
from constructs_ai.errors import Problem, rule_error, show, violation
from constructs_ai.naming import stable_suffix
from constructs_ai.openai_catalog import CatalogEntry, OpenAiCatalog, openai_catalog
from constructs_ai.specs._base import SpecModel

DeploymentName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,63}$")]
"""Deployment name and key: 2-64 lowercase letters, digits or hyphens, starting with a letter."""

ModelName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]{0,63}$")]
"""Model name as Azure spells it, such as `gpt-4o` or `text-embedding-3-large`."""

ModelVersion = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z.-]{0,31}$")]
"""Model version as Azure lists it, such as `2024-11-20` or `1`."""

SUBDOMAIN_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
SUBDOMAIN_MIN, SUBDOMAIN_MAX = 2, 64


def default_custom_subdomain(workload: str, environment: str, seed: str) -> str:
    """Return `oai-<workload>-<environment>-<6-character hash>`, unique across Azure."""
    return f"oai-{workload}-{environment}-{stable_suffix(seed, 'openai')}"


def subdomain_problem(field: str, subdomain: str) -> Problem | None:
    """Return the problem with a custom subdomain, or None when Azure accepts it."""
    if SUBDOMAIN_MIN <= len(subdomain) <= SUBDOMAIN_MAX and SUBDOMAIN_PATTERN.match(subdomain):
        return None
    return Problem(
        field,
        show(subdomain),
        f"must be {SUBDOMAIN_MIN}-{SUBDOMAIN_MAX} lowercase letters, digits or hyphens, "
        "starting and ending with a letter or digit",
        'Use a name such as "oai-mlp-dev-3f2a1c".',
    )


class AccountKind(StrEnum):
    """Kind of the Cognitive Services account that hosts the deployments."""

    OPENAI = "OpenAI"
    AI_SERVICES = "AIServices"


ACCOUNT_DNS_ZONES: dict[AccountKind, tuple[str, ...]] = {
    AccountKind.OPENAI: ("privatelink.openai.azure.com", "privatelink.cognitiveservices.azure.com"),
    AccountKind.AI_SERVICES: (
        "privatelink.openai.azure.com",
        "privatelink.cognitiveservices.azure.com",
        "privatelink.services.ai.azure.com",
    ),
}
"""Private DNS zones of the account's `account` endpoint, per account kind."""


class VersionUpgradeOption(StrEnum):
    """When Azure moves a deployment to a newer model version."""

    ONCE_NEW_DEFAULT_VERSION_AVAILABLE = "OnceNewDefaultVersionAvailable"
    ONCE_CURRENT_VERSION_EXPIRED = "OnceCurrentVersionExpired"
    NO_AUTO_UPGRADE = "NoAutoUpgrade"


class OpenAiDeploymentSpec(SpecModel):
    """One model deployment. Give a `workload` to size it, a `capacity`, or both to check it."""

    model: ModelName
    """Model name, such as `gpt-4o`. Changing it replaces the deployment."""
    model_version: ModelVersion
    """Model version, such as `2024-11-20`; checked against the model catalog."""
    deployment_type: DeploymentType
    """Deployment type (`sku.name`), such as `GlobalStandard` or `GlobalProvisionedManaged`.
    Changing it replaces the deployment."""
    workload: Workload | None = None
    """Traffic the deployment serves; the capacity planner sizes `capacity` from it.
    Default: `null`."""
    capacity: Annotated[int, Field(ge=1)] | None = None
    """`sku.capacity`: units of the model's TPM size for Standard-family types, PTUs for
    provisioned types. With a workload too, the planner checks it and synth warns when it
    is too small or far too large. Default: `null` (sized from the workload)."""
    rai_policy_name: Annotated[str, StringConstraints(min_length=1, max_length=128)] = (
        "Microsoft.DefaultV2"
    )
    """Content filter (RAI policy). Default: `"Microsoft.DefaultV2"`."""
    version_upgrade_option: VersionUpgradeOption = (
        VersionUpgradeOption.ONCE_NEW_DEFAULT_VERSION_AVAILABLE
    )
    """When Azure upgrades the model version. Default: `"OnceNewDefaultVersionAvailable"`,
    Azure's own default."""

    @model_validator(mode="after")
    def _check_capacity_source(self) -> OpenAiDeploymentSpec:
        if self.deployment_type.is_batch:
            if self.workload is not None:
                raise violation(
                    "workload",
                    self.deployment_type.value,
                    "cannot size a batch deployment, because batch capacity is a quota of "
                    "enqueued tokens, not a per-minute rate",
                    "Remove workload and set capacity in thousands of enqueued tokens.",
                )
            if self.capacity is None:
                raise violation(
                    "capacity",
                    None,
                    "must be set for a batch deployment",
                    "Set capacity in thousands of enqueued tokens.",
                )
        elif self.workload is None and self.capacity is None:
            raise violation(
                "capacity",
                None,
                "or workload must be set, because Azure would otherwise deploy capacity 1",
                "Give a workload to size the deployment, or an explicit capacity.",
            )
        return self


class OpenAiQuotaSpec(SpecModel):
    """Quota the subscription has in the account's region for one model and type.

    Standard-family and batch quota is per model; PTU quota is shared by all
    models of a provisioned type, so leave `model` unset for those.
    """

    deployment_type: DeploymentType
    """Deployment type the quota is for."""
    model: ModelName | None = None
    """Model the quota is for. Default: `null`, for PTU quota shared by all models."""
    capacity: Annotated[int, Field(ge=0)]
    """Quota in the same unit as `sku.capacity`, from the Azure portal's quota page."""

    @model_validator(mode="after")
    def _check_model(self) -> OpenAiQuotaSpec:
        if self.deployment_type.is_provisioned and self.model is not None:
            raise violation(
                "model",
                self.model,
                f"must be unset for {self.deployment_type.value}, because PTU quota is "
                "shared by all models in a region",
                "Remove model.",
            )
        if not self.deployment_type.is_provisioned and self.model is None:
            raise violation(
                "model",
                None,
                f"must be set for {self.deployment_type.value}, because its quota is per model",
                'Name the model, such as "gpt-4o".',
            )
        return self

    @property
    def key(self) -> tuple[str | None, DeploymentType]:
        return (self.model, self.deployment_type)


class OpenAiCatalogEntrySpec(SpecModel):
    """A model version that the shipped catalog does not list yet."""

    model: ModelName
    """Model name, such as `gpt-4o`."""
    version: ModelVersion
    """Model version, such as `2025-01-31`."""
    deployment_types: Annotated[list[DeploymentType], Field(min_length=1)]
    """Deployment types that offer the version."""
    regions: Annotated[list[str], Field(min_length=1)]
    """Regions that offer the version with those types."""

    @field_validator("regions")
    @classmethod
    def _check_regions(cls, value: list[str]) -> list[str]:
        unknown = [region for region in value if region not in regions()]
        if unknown:
            raise violation(
                "",
                unknown,
                "must be Azure region names in lowercase without spaces",
                'Use names such as "swedencentral" or "eastus2".',
            )
        return value

    def to_entry(self) -> CatalogEntry:
        return CatalogEntry(
            model=self.model,
            version=self.version,
            deployment_types=frozenset(self.deployment_types),
            regions=frozenset(self.regions),
        )


class OpenAiAlertsSpec(SpecModel):
    """Metric alerts on the account."""

    throttled_requests_threshold: Annotated[int, Field(ge=1)] = 10
    """Alert when more than this many requests get HTTP 429 within the window. Default: `10`."""
    ptu_utilization_threshold_percent: Annotated[int, Field(ge=1, le=100)] = 90
    """Alert when provisioned-managed utilization averages above this percentage within
    the window. Only created when a deployment is provisioned. Default: `90`."""
    window_minutes: Annotated[int, Field(ge=1, le=60)] = 5
    """Window each alert evaluates, in minutes: 1, 5, 15, 30 or 60. Default: `5`."""
    severity: Annotated[int, Field(ge=0, le=4)] = 2
    """Alert severity, 0 (critical) to 4 (verbose). Default: `2`."""

    @field_validator("window_minutes")
    @classmethod
    def _check_window(cls, value: int) -> int:
        if value not in (1, 5, 15, 30, 60):
            raise violation(
                "",
                value,
                "must be 1, 5, 15, 30 or 60, the metric alert windows Azure Monitor offers",
                "Use 5.",
            )
        return value


class OpenAiSpec(SpecModel):
    """An Azure OpenAI (or AI Services) account with its model deployments.

    The account has local (key) authentication and public network access
    disabled: callers use Entra ID and reach it over a private endpoint.
    """

    location: str
    """Region of the account, such as `swedencentral`. Model availability differs per
    region, so it is given here rather than inherited. Changing it replaces the account."""
    deployments: Annotated[dict[DeploymentName, OpenAiDeploymentSpec], Field(min_length=1)]
    """Model deployments keyed by deployment name. Azure allows 32 Standard deployments
    per account."""
    quotas: list[OpenAiQuotaSpec] = []
    """Quota in `location`, one entry per model and type (for PTU quota, one per type). Every
    model and type the deployments use needs an entry. Default: `[]`."""
    kind: AccountKind = AccountKind.OPENAI
    """Account kind. Changing it replaces the account. Default: `"OpenAI"`."""
    custom_subdomain: str | None = None
    """Custom subdomain of the endpoint, `https://<subdomain>.openai.azure.com`. Entra ID
    authentication and private endpoints need one. Changing it replaces the account.
    Default: `null`, meaning `oai-<workload>-<environment>-<6-character hash>`."""
    model_constant_overrides: dict[ModelName, dict[str, Any]] = {}
    """Capacity planner constants to replace per model, such as
    `{"gpt-4o-mini": {"rpm_per_unit": 10}}`. Default: `{}`."""
    catalog_extensions: list[OpenAiCatalogEntrySpec] = []
    """Model versions, types or regions to accept beyond the shipped catalog. Default: `[]`."""
    allowed_outbound_fqdns: list[
        Annotated[str, StringConstraints(pattern=r"^[a-z0-9*][a-z0-9.-]{0,252}$")]
    ] = []
    """Host names the account may call out to, such as an Azure AI Search service used
    for "on your data". Outbound access is restricted to this list. Default: `[]`."""
    capacity_excess_ratio: Annotated[float, Field(gt=1)] = 2.0
    """An explicit capacity above this multiple of the capacity the planner requires gets
    a synth warning. Default: `2.0`."""
    alerts: OpenAiAlertsSpec = OpenAiAlertsSpec()
    """Metric alert thresholds. Default: `{"throttled_requests_threshold": 10,
    "ptu_utilization_threshold_percent": 90, "window_minutes": 5, "severity": 2}`."""

    @field_validator("location")
    @classmethod
    def _check_location(cls, location: str) -> str:
        if location not in regions():
            raise violation(
                "",
                location,
                "must be an Azure region name in lowercase without spaces",
                'Use a name such as "swedencentral" or "eastus2".',
            )
        return location

    @model_validator(mode="after")
    def _check_deployments(self) -> OpenAiSpec:
        problems = list(self._subdomain_problems())
        try:
            table = self.capacity_table()
        except CapacityError as error:
            problems.append(
                Problem(
                    "model_constant_overrides",
                    show(self.model_constant_overrides),
                    "must be valid capacity constants",
                    str(error),
                )
            )
            raise rule_error(problems) from None
        problems.extend(self._catalog_problems())
        plans, plan_problems = self._plans(table)
        problems.extend(plan_problems)
        if not plan_problems:
            problems.extend(self._quota_problems(plans))
        if problems:
            raise rule_error(problems)
        return self

    def capacity_table(self) -> CapacityTable:
        """Return the planner's constants with the spec's overrides applied."""
        return CapacityTable.load_default().with_overrides(self.model_constant_overrides)

    def catalog(self) -> OpenAiCatalog:
        """Return the shipped model catalog with the spec's extensions."""
        return openai_catalog().with_entries(entry.to_entry() for entry in self.catalog_extensions)

    def capacity_plans(self) -> dict[str, CapacityPlan | None]:
        """Return the planner's result per deployment; None where no workload is given."""
        plans, _ = self._plans(self.capacity_table())
        return plans

    def capacities(self) -> dict[str, int]:
        """Return the `sku.capacity` of every deployment: explicit, else the planner's."""
        plans = self.capacity_plans()
        result = {}
        for name, deployment in self.deployments.items():
            plan = plans[name]
            capacity = deployment.capacity if plan is None else plan.capacity
            assert capacity is not None  # The validators guarantee one source.
            result[name] = capacity
        return result

    def _subdomain_problems(self) -> Iterator[Problem]:
        if self.custom_subdomain is not None:
            problem = subdomain_problem("custom_subdomain", self.custom_subdomain)
            if problem is not None:
                yield problem

    def _catalog_problems(self) -> Iterator[Problem]:
        catalog = self.catalog()
        for name, deployment in self.deployments.items():
            offered = catalog.offers(
                deployment.model,
                deployment.model_version,
                deployment.deployment_type,
                self.location,
            )
            if offered:
                continue
            versions = catalog.versions_of(
                deployment.model, deployment.deployment_type, self.location
            )
            regions_offering = catalog.regions_of(
                deployment.model, deployment.model_version, deployment.deployment_type
            )
            if versions:
                fix = "Use one of: " + ", ".join(f'"{v}"' for v in versions) + "."
            elif regions_offering:
                fix = "Use a region that offers it: " + ", ".join(regions_offering) + "."
            else:
                fix = "Use another model or deployment type."
            yield Problem(
                f'deployments["{name}"].model_version',
                show(deployment.model_version),
                f"must be a version of {deployment.model} that Azure offers as "
                f"{deployment.deployment_type.value} in {self.location} (model catalog as of "
                f"{catalog.as_of})",
                fix + " If Azure offers it since, add it to openai.catalog_extensions.",
            )

    def _plans(self, table: CapacityTable) -> tuple[dict[str, CapacityPlan | None], list[Problem]]:
        plans: dict[str, CapacityPlan | None] = {}
        problems = []
        for name, deployment in self.deployments.items():
            if deployment.workload is None:
                plans[name] = None
                continue
            try:
                plans[name] = plan_capacity(
                    deployment.workload,
                    model=deployment.model,
                    deployment_type=deployment.deployment_type,
                    model_version=deployment.model_version,
                    capacity=deployment.capacity,
                    table=table,
                )
            except CapacityError as error:
                plans[name] = None
                field = "capacity" if deployment.capacity is not None else "workload"
                problems.append(
                    Problem(
                        f'deployments["{name}"].{field}',
                        show(deployment.capacity if field == "capacity" else deployment.model),
                        "cannot be planned",
                        str(error),
                    )
                )
                continue
            plan = plans[name]
            if plan is not None and plan.capacity is None:
                field = f'deployments["{name}"].workload.max_tokens'
                bound = getattr(plan, "capacity_lower_bound", None)
                at_least = f" of at least {bound}" if bound is not None else ""
                problems.append(
                    Problem(
                        field,
                        show(None),
                        f"must be set for {deployment.model} on "
                        f"{deployment.deployment_type.value} when capacity is not given, "
                        "because Azure's rate limiter counts max_tokens for every request, "
                        "so the planner cannot size the deployment without it",
                        "Set max_tokens to the value your clients send, or give a "
                        f"capacity{at_least}.",
                    )
                )
        return plans, problems

    def _quota_problems(self, plans: dict[str, CapacityPlan | None]) -> Iterator[Problem]:
        declared: dict[tuple[str | None, DeploymentType], int] = {}
        for index, quota in enumerate(self.quotas):
            if quota.key in declared:
                yield Problem(
                    f"quotas[{index}]",
                    show(f"{quota.model or 'PTU'} {quota.deployment_type.value}"),
                    "must not repeat a model and deployment type",
                    "Keep one entry per model and type.",
                )
            declared[quota.key] = quota.capacity

        rows = []
        for name, deployment in sorted(self.deployments.items()):
            plan = plans[name]
            capacity = deployment.capacity if plan is None else plan.capacity
            assert capacity is not None
            model = None if deployment.deployment_type.is_provisioned else deployment.model
            if (model, deployment.deployment_type) not in declared:
                quota_name = f"{deployment.model} " if model is not None else "PTU "
                yield Problem(
                    f'deployments["{name}"]',
                    show(f"{deployment.model} {deployment.deployment_type.value}"),
                    f"needs a declared quota for {quota_name}{deployment.deployment_type.value} in "
                    f"{self.location}",
                    "Add an entry to openai.quotas with the quota the Azure portal shows.",
                )
                continue
            rows.append(
                (name, self.location, deployment.model, deployment.deployment_type, capacity)
            )

        limits: dict[QuotaKey, int] = {
            (self.location, model, deployment_type.value): capacity
            for (model, deployment_type), capacity in declared.items()
        }
        for warning in check_quota(rows, limits):
            yield Problem(
                "quotas",
                show(list(warning.deployments)),
                "must cover the sum of the deployments' capacities",
                warning.message,
            )
