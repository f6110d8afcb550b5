"""Capacity planner for Azure OpenAI model deployments.

Sizes a deployment's ``sku.capacity`` from a workload: units of the model's
own TPM size for the Standard-family deployment types, PTUs for the
provisioned ones. The per-model constants ship as dated package data
(``constructs_ai/data/openai_models.json``) and any of them can be overridden.

The arithmetic is exact (``fractions.Fraction``), so a demand of exactly 270
units never rounds up to 271. This module imports no cdktf, so the CLI can
plan capacity without starting Node.js.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

MAX_TOKENS_INFLATION_RATIO = Fraction(3, 2)
"""Counted TPM over billed TPM above which the plan warns that max_tokens inflates the count."""

LOW_PTU_UTILIZATION = Fraction(1, 2)
"""Peak PTU utilization below which a Standard-family type is likely cheaper."""

PTU_NEAR_FULL_UTILIZATION = Fraction(9, 10)
"""Peak PTU utilization at or above which the plan suggests headroom."""

MAX_PTU_PER_DEPLOYMENT = 100_000
"""Azure's limit on the PTUs of one provisioned deployment."""

_STANDARD_UNIT_TPM = 1_000
"""TPM of one unit as the azurerm docs describe ``sku.capacity`` ("thousands of TPM")."""


class CapacityError(ValueError):
    """A workload, model, deployment type or constant the planner cannot use."""


class DeploymentType(StrEnum):
    """Azure OpenAI deployment type, spelled as azurerm 4.x ``sku.name`` takes it.

    Changing ``sku.name`` replaces the deployment; changing ``sku.capacity``
    updates it in place.
    """

    STANDARD = "Standard"
    GLOBAL_STANDARD = "GlobalStandard"
    DATA_ZONE_STANDARD = "DataZoneStandard"
    PROVISIONED_MANAGED = "ProvisionedManaged"
    GLOBAL_PROVISIONED_MANAGED = "GlobalProvisionedManaged"
    DATA_ZONE_PROVISIONED_MANAGED = "DataZoneProvisionedManaged"
    GLOBAL_BATCH = "GlobalBatch"
    DATA_ZONE_BATCH = "DataZoneBatch"

    @property
    def is_standard_family(self) -> bool:
        """Whether the type is billed per token with capacity in TPM units."""
        return self in _STANDARD_FAMILY

    @property
    def is_provisioned(self) -> bool:
        """Whether the type is billed hourly per PTU with capacity in PTUs."""
        return self in _PROVISIONED

    @property
    def is_batch(self) -> bool:
        """Whether the type runs asynchronous batch jobs."""
        return self in _BATCH


_STANDARD_FAMILY = frozenset(
    {
        DeploymentType.STANDARD,
        DeploymentType.GLOBAL_STANDARD,
        DeploymentType.DATA_ZONE_STANDARD,
    }
)
_PROVISIONED = frozenset(
    {
        DeploymentType.PROVISIONED_MANAGED,
        DeploymentType.GLOBAL_PROVISIONED_MANAGED,
        DeploymentType.DATA_ZONE_PROVISIONED_MANAGED,
    }
)
_BATCH = frozenset({DeploymentType.GLOBAL_BATCH, DeploymentType.DATA_ZONE_BATCH})

# A low provisioned utilization suggests the per-token type with the same
# processing location.
_STANDARD_ALTERNATIVE = {
    DeploymentType.PROVISIONED_MANAGED: DeploymentType.STANDARD,
    DeploymentType.GLOBAL_PROVISIONED_MANAGED: DeploymentType.GLOBAL_STANDARD,
    DeploymentType.DATA_ZONE_PROVISIONED_MANAGED: DeploymentType.DATA_ZONE_STANDARD,
}


def parse_deployment_type(value: DeploymentType | str) -> DeploymentType:
    """Return the DeploymentType for an ``sku.name`` string, or raise CapacityError."""
    try:
        return DeploymentType(value)
    except ValueError:
        allowed = ", ".join(member.value for member in DeploymentType)
        raise CapacityError(
            f"deployment_type must be one of {allowed}; got {value!r}. "
            "Use the azurerm sku.name spelling, which is case-sensitive."
        ) from None


# ---------------------------------------------------------------------------
# Warnings


class WarningCode(StrEnum):
    """Stable identifier of a capacity warning, for filtering and suppression."""

    MAX_TOKENS_INFLATION = "max-tokens-inflation"
    REQUEST_BOUND = "request-bound"
    BURST = "burst"
    QUOTA_EXCEEDED = "quota-exceeded"
    UNIT_SEMANTICS = "unit-semantics"
    LOW_PTU_UTILIZATION = "low-ptu-utilization"
    PTU_NEAR_FULL = "ptu-near-full"
    MISSING_MAX_TOKENS = "missing-max-tokens"
    CAPACITY_BELOW_REQUIRED = "capacity-below-required"


@dataclass(frozen=True)
class CapacityWarning:
    """Advice about a plan or a set of deployments that does not stop synthesis."""

    code: WarningCode
    message: str
    deployments: tuple[str, ...] = ()
    """Names of the deployments involved. Only quota warnings set it."""

    def as_dict(self) -> dict[str, Any]:
        """Return the warning as a JSON-compatible dict."""
        result: dict[str, Any] = {"code": self.code.value, "message": self.message}
        if self.deployments:
            result["deployments"] = list(self.deployments)
        return result


# ---------------------------------------------------------------------------
# Per-model constants


class _FrozenModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


PositiveInt = Annotated[int, Field(gt=0)]


class PtuIncrement(_FrozenModel):
    """Smallest provisioned deployment and the step its size grows by, in PTUs."""

    minimum_ptu: PositiveInt
    """Smallest deployment size in PTUs."""
    ptu_step: PositiveInt
    """Increment in PTUs by which a deployment grows above the minimum."""


class ProvisionedConstants(_FrozenModel):
    """Constants of Microsoft's PTU sizing formula for one model."""

    global_and_data_zone: PtuIncrement
    """Minimum and step for GlobalProvisionedManaged and DataZoneProvisionedManaged."""
    regional: PtuIncrement
    """Minimum and step for ProvisionedManaged."""
    input_tpm_per_ptu: PositiveInt
    """Input (prompt) tokens per minute that one PTU processes."""
    output_input_ratio: Annotated[Decimal, Field(gt=0)]
    """How many input tokens one output token weighs as in the formula."""

    def increment_for(self, deployment_type: DeploymentType) -> PtuIncrement:
        """Return the minimum and step that apply to a provisioned deployment type."""
        if deployment_type is DeploymentType.PROVISIONED_MANAGED:
            return self.regional
        return self.global_and_data_zone


class ModelConstants(_FrozenModel):
    """Capacity constants of one model."""

    tpm_per_unit: PositiveInt
    """TPM limit that one unit of Standard-family ``sku.capacity`` gives."""
    rpm_per_unit: PositiveInt
    """RPM limit that one unit of Standard-family ``sku.capacity`` gives."""
    rpm_per_unit_by_deployment_type: dict[DeploymentType, PositiveInt] = Field(default_factory=dict)
    """RPM per unit for the deployment types that differ from ``rpm_per_unit``. Default: `{}`."""
    embedding: bool = False
    """Whether the model returns embeddings, so only prompt tokens count. Default: `false`."""
    provisioned: ProvisionedConstants | None = None
    """PTU sizing constants, or None when the table has none for the model. Default: `null`."""
    notes: tuple[str, ...] = ()
    """Remarks on values that sources disagree on or that look unusual. Default: `[]`."""

    @field_validator("rpm_per_unit_by_deployment_type")
    @classmethod
    def _check_rpm_types(cls, value: dict[DeploymentType, int]) -> dict[DeploymentType, int]:
        for deployment_type in value:
            if not deployment_type.is_standard_family:
                raise ValueError(
                    "rpm_per_unit_by_deployment_type keys must be Standard, GlobalStandard "
                    f"or DataZoneStandard; got {deployment_type.value!r}. Only those types "
                    "have an RPM limit per unit."
                )
        return value

    def rpm_per_unit_for(self, deployment_type: DeploymentType) -> int:
        """Return the RPM per unit for a deployment type."""
        return self.rpm_per_unit_by_deployment_type.get(deployment_type, self.rpm_per_unit)


class CapacityTable(_FrozenModel):
    """Dated per-model capacity constants, as shipped or with overrides applied."""

    as_of: date
    """Date the shipped constants were taken from their sources."""
    sources: tuple[str, ...]
    """Public documents the constants come from."""
    models: dict[str, ModelConstants]
    """Constants keyed by model name as Azure spells it, such as ``gpt-4o``."""
    overridden_models: tuple[str, ...] = ()
    """Models whose constants differ from the shipped table. Default: `[]`."""

    @property
    def overrides_applied(self) -> bool:
        """Whether any constant differs from the shipped table."""
        return bool(self.overridden_models)

    @classmethod
    def load_default(cls) -> CapacityTable:
        """Return the table shipped in ``constructs_ai/data/openai_models.json``."""
        return _load_default_table()

    def with_overrides(self, overrides: Mapping[str, Mapping[str, Any]]) -> CapacityTable:
        """Return a new table with per-model constants replaced or models added.

        ``overrides`` maps a model name to the fields to change, such as
        ``{"gpt-4o-mini": {"rpm_per_unit": 10}}``. Nested fields
        (``provisioned``, ``rpm_per_unit_by_deployment_type``) merge key by
        key. A model not in the table needs at least ``tpm_per_unit`` and
        ``rpm_per_unit``. Raises CapacityError for an invalid override.
        """
        if not overrides:
            return self

        rows: dict[str, Any] = {name: row.model_dump() for name, row in self.models.items()}
        for name, changes in overrides.items():
            if not isinstance(changes, Mapping):
                raise CapacityError(
                    f'overrides["{name}"] must be a mapping of field names to values; '
                    f'got {changes!r}. Use a mapping such as {{"tpm_per_unit": 1000}}.'
                )
            rows[name] = _merge(rows.get(name, {}), changes)

        try:
            return CapacityTable.model_validate(
                {
                    "as_of": self.as_of,
                    "sources": self.sources,
                    "models": rows,
                    "overridden_models": sorted({*self.overridden_models, *overrides}),
                }
            )
        except ValidationError as error:
            raise CapacityError(_describe_override_error(error, self)) from error

    def constants_for(self, model: str) -> ModelConstants:
        """Return the constants of a model, or raise CapacityError naming the known models."""
        constants = self.models.get(model)
        if constants is None:
            known = ", ".join(sorted(self.models))
            raise CapacityError(
                f"model {model!r} is not in the capacity table (as of {self.as_of}); "
                f"known models: {known}. Check the spelling, or add the model's constants "
                "(`--overrides FILE` on the command line, `openai.model_constant_overrides` "
                "in a spec, CapacityTable.with_overrides in Python)."
            )
        return constants


@cache
def _load_default_table() -> CapacityTable:
    # The table is frozen, so one instance can be shared by every caller.
    text = resources.files("constructs_ai.data").joinpath("openai_models.json").read_text("utf-8")
    return CapacityTable.model_validate_json(text)


def _merge(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in changes.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = _merge(current, value)
        else:
            merged[key] = value
    return merged


def _describe_override_error(error: ValidationError, table: CapacityTable) -> str:
    lines = []
    for item in error.errors(include_url=False):
        location = [str(part) for part in item["loc"]]
        # Locations read ("models", <model>, <field>, ...); the first two name the override.
        if len(location) >= 2 and location[0] == "models":
            path = f'overrides["{location[1]}"]' + "".join(f".{part}" for part in location[2:])
            is_new_model = location[1] not in table.models
        else:
            path = ".".join(location)
            is_new_model = False
        if item["type"] == "value_error":
            # The validators' own messages already give the value and the fix.
            lines.append(f"{path}: {str(item['msg']).removeprefix('Value error, ')}")
            continue
        got = "nothing" if item["type"] == "missing" else repr(item.get("input"))
        hint = ""
        if is_new_model and item["type"] == "missing":
            hint = " The model is not in the table, so its override needs every required field."
        lines.append(f"{path}: {item['msg']}; got {got}.{hint}")
    return "invalid capacity constant override: " + " ".join(lines)


# ---------------------------------------------------------------------------
# Workload


class Workload(_FrozenModel):
    """Traffic that one deployment must serve: request rate, peak factor and tokens per request.

    Give exactly one of ``qps`` and ``rpm``. Rates and ratios are decimals, so
    ``0.1`` means exactly one tenth in the arithmetic.
    """

    qps: Decimal | None = None
    """Average requests per second. Default: `null` (give ``rpm`` instead)."""
    rpm: Decimal | None = None
    """Average requests per minute. Default: `null` (give ``qps`` instead)."""
    peak_factor: Decimal = Decimal(1)
    """Peak rate over average rate. Default: `1`."""
    prompt_tokens: int
    """Average prompt (input) tokens per request."""
    completion_tokens: int | None = None
    """Average completion (output) tokens per request; required for chat models,
    absent or 0 for embedding models. Default: `null`."""
    max_tokens: int | None = None
    """The ``max_tokens`` value clients send. The Standard-family limiter counts
    it for every request. Default: `null`."""
    best_of: int = 1
    """Completions generated per request for ``best_of``. Default: `1`."""
    n: int = 1
    """Completions returned per request. Default: `1`."""
    cache_rate: Decimal = Decimal(0)
    """Share of prompt tokens served from the prompt cache, 0 to 1. Default: `0`."""
    headroom: Decimal = Decimal(1)
    """Multiplier on peak demand to size above it, at least 1. Default: `1`."""

    if TYPE_CHECKING:
        # Pydantic converts ints, floats and strings to Decimal, so type
        # checkers should accept them too.
        def __init__(
            self,
            *,
            qps: Decimal | float | str | None = None,
            rpm: Decimal | float | str | None = None,
            peak_factor: Decimal | float | str = ...,
            prompt_tokens: int,
            completion_tokens: int | None = None,
            max_tokens: int | None = None,
            best_of: int = 1,
            n: int = 1,
            cache_rate: Decimal | float | str = ...,
            headroom: Decimal | float | str = ...,
        ) -> None: ...

    @field_validator("qps", "rpm")
    @classmethod
    def _check_rate(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        if value is not None and value <= 0:
            raise ValueError(
                f"{info.field_name} must be greater than 0; got {value}. "
                "Give the average request rate at the busiest time."
            )
        return value

    @field_validator("peak_factor")
    @classmethod
    def _check_peak_factor(cls, value: Decimal) -> Decimal:
        if value < 1:
            raise ValueError(
                f"peak_factor must be at least 1; got {value}. It multiplies the average "
                "rate to give the peak rate, so use 1 when traffic is flat."
            )
        return value

    @field_validator("prompt_tokens")
    @classmethod
    def _check_prompt_tokens(cls, value: int) -> int:
        if value < 1:
            raise ValueError(
                f"prompt_tokens must be at least 1; got {value}. Give the average prompt "
                "length in tokens."
            )
        return value

    @field_validator("completion_tokens")
    @classmethod
    def _check_completion_tokens(cls, value: int | None) -> int | None:
        if value is not None and value < 0:
            raise ValueError(
                f"completion_tokens must be 0 or more; got {value}. Give the average "
                "completion length in tokens."
            )
        return value

    @field_validator("max_tokens")
    @classmethod
    def _check_max_tokens(cls, value: int | None) -> int | None:
        if value is not None and value < 1:
            raise ValueError(
                f"max_tokens must be at least 1; got {value}. Give the max_tokens value "
                "your clients send, or leave it unset."
            )
        return value

    @field_validator("best_of", "n")
    @classmethod
    def _check_completion_count(cls, value: int, info: ValidationInfo) -> int:
        if value < 1:
            raise ValueError(
                f"{info.field_name} must be at least 1; got {value}. Use 1 for one "
                "completion per request."
            )
        return value

    @field_validator("cache_rate")
    @classmethod
    def _check_cache_rate(cls, value: Decimal) -> Decimal:
        if not 0 <= value <= 1:
            raise ValueError(
                f"cache_rate must be between 0 and 1; got {value}. Give the share of "
                "prompt tokens served from the prompt cache, such as 0.3 for 30%."
            )
        return value

    @field_validator("headroom")
    @classmethod
    def _check_headroom(cls, value: Decimal) -> Decimal:
        if value < 1:
            raise ValueError(
                f"headroom must be at least 1; got {value}. It multiplies the peak "
                "demand, so 1.2 sizes for 20% above peak and 1 for the peak itself."
            )
        return value

    @model_validator(mode="after")
    def _check_cross_fields(self) -> Workload:
        if (self.qps is None) == (self.rpm is None):
            given = "both" if self.qps is not None else "neither"
            raise ValueError(
                f"exactly one of qps and rpm must be set; got {given}. Give the request "
                "rate either per second (qps) or per minute (rpm)."
            )
        if (
            self.max_tokens is not None
            and self.completion_tokens is not None
            and self.completion_tokens > self.max_tokens
        ):
            raise ValueError(
                f"completion_tokens must not exceed max_tokens; got completion_tokens "
                f"{self.completion_tokens} and max_tokens {self.max_tokens}. A completion "
                "stops at max_tokens, so raise max_tokens or lower completion_tokens."
            )
        return self

    @property
    def peak_rpm(self) -> Fraction:
        """Requests per minute at peak: the rate times ``peak_factor``."""
        if self.qps is not None:
            rpm = Fraction(self.qps) * 60
        else:
            assert self.rpm is not None  # The model validator requires one of the two.
            rpm = Fraction(self.rpm)
        return rpm * Fraction(self.peak_factor)

    @property
    def completions_per_request(self) -> int:
        """Completions generated per request: the larger of ``best_of`` and ``n``."""
        return max(self.best_of, self.n)


# ---------------------------------------------------------------------------
# Plans


@dataclass(frozen=True)
class TableInfo:
    """Summary of the constants table that a plan used."""

    as_of: date
    overrides_applied: bool
    overridden_models: tuple[str, ...]

    @classmethod
    def from_table(cls, table: CapacityTable) -> TableInfo:
        """Return the summary of a table that a plan reports."""
        return cls(
            as_of=table.as_of,
            overrides_applied=table.overrides_applied,
            overridden_models=table.overridden_models,
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON-compatible dict."""
        return {
            "as_of": self.as_of.isoformat(),
            "overrides_applied": self.overrides_applied,
            "overridden_models": list(self.overridden_models),
        }


@dataclass(frozen=True, kw_only=True)
class _PlanBase:
    model: str
    model_version: str | None
    deployment_type: DeploymentType
    workload: Workload
    table: TableInfo
    peak_rpm: Fraction
    """Requests per minute at peak."""
    required_capacity: int | None
    """Capacity the workload needs with headroom, or None when it cannot be computed."""
    capacity: int | None
    """Value for ``sku.capacity``: the given capacity, else ``required_capacity``."""
    capacity_given: bool
    """Whether ``capacity`` was given to check instead of sized."""
    warnings: tuple[CapacityWarning, ...]

    def warning_codes(self) -> tuple[WarningCode, ...]:
        """Return the codes of the plan's warnings, in order."""
        return tuple(warning.code for warning in self.warnings)

    def _common_dict(self, capacity_unit: str) -> dict[str, Any]:
        return {
            "model": self.model,
            "model_version": self.model_version,
            "deployment_type": self.deployment_type.value,
            "capacity": self.capacity,
            "capacity_unit": capacity_unit,
            "capacity_given": self.capacity_given,
            "required_capacity": self.required_capacity,
            "peak_rpm": _json_number(self.peak_rpm),
            "table": self.table.as_dict(),
        }


@dataclass(frozen=True, kw_only=True)
class StandardPlan(_PlanBase):
    """Capacity plan for a Standard, GlobalStandard or DataZoneStandard deployment.

    Capacity is in units of ``tpm_per_unit`` TPM. Token counts are None when
    ``max_tokens`` is missing for a chat model, because the limiter counts it.
    """

    tpm_per_unit: int
    rpm_per_unit: int
    counted_tokens_per_request: int | None
    """Tokens the limiter counts per request: prompt plus max_tokens per completion."""
    counted_tpm: Fraction | None
    """Tokens per minute the limiter counts at peak."""
    counted_rpm: Fraction
    """Requests per minute the limiter counts at peak."""
    billed_tpm: Fraction
    """Tokens per minute billed and shown in Azure Monitor at peak."""
    units_for_tokens: int | None
    units_for_requests: int
    capacity_lower_bound: int
    """Capacity that billed tokens and requests alone need, so a lower bound on the capacity."""
    tpm_limit: int | None
    rpm_limit: int | None

    @property
    def capacity_unit(self) -> str:
        """Unit of ``capacity``, such as ``"1000 TPM"``."""
        return f"{self.tpm_per_unit} TPM"

    def as_dict(self) -> dict[str, Any]:
        """Return the plan as a JSON-compatible dict."""
        result = self._common_dict(self.capacity_unit)
        result.update(
            {
                "tpm_per_unit": self.tpm_per_unit,
                "rpm_per_unit": self.rpm_per_unit,
                "counted_tokens_per_request": self.counted_tokens_per_request,
                "counted_tpm": _json_number(self.counted_tpm),
                "counted_rpm": _json_number(self.counted_rpm),
                "billed_tpm": _json_number(self.billed_tpm),
                "units_for_tokens": self.units_for_tokens,
                "units_for_requests": self.units_for_requests,
                "capacity_lower_bound": self.capacity_lower_bound,
                "tpm_limit": self.tpm_limit,
                "rpm_limit": self.rpm_limit,
                "warnings": [warning.as_dict() for warning in self.warnings],
            }
        )
        return result


@dataclass(frozen=True, kw_only=True)
class ProvisionedPlan(_PlanBase):
    """Capacity plan for a provisioned deployment; capacity is in PTUs."""

    input_tpm_per_ptu: int
    output_input_ratio: Fraction
    minimum_ptu: int
    ptu_step: int
    normalized_tpm: Fraction
    """Peak input-equivalent tokens per minute: prompt less cache hits plus weighted output."""
    ptu_raw: Fraction
    """PTUs the peak load uses, before headroom, minimum and step."""
    utilization: Fraction
    """Share of the PTUs the peak load uses."""

    @property
    def capacity_unit(self) -> str:
        """Unit of ``capacity``: ``"PTU"``."""
        return "PTU"

    def as_dict(self) -> dict[str, Any]:
        """Return the plan as a JSON-compatible dict."""
        result = self._common_dict(self.capacity_unit)
        result.update(
            {
                "input_tpm_per_ptu": self.input_tpm_per_ptu,
                "output_input_ratio": _json_number(self.output_input_ratio),
                "minimum_ptu": self.minimum_ptu,
                "ptu_step": self.ptu_step,
                "normalized_tpm": _json_number(self.normalized_tpm),
                "ptu_raw": _json_number(self.ptu_raw),
                "utilization": _json_number(self.utilization),
                "warnings": [warning.as_dict() for warning in self.warnings],
            }
        )
        return result


CapacityPlan = StandardPlan | ProvisionedPlan
_PlanT = TypeVar("_PlanT", StandardPlan, ProvisionedPlan)


def _json_number(value: Fraction | None) -> int | float | None:
    if value is None:
        return None
    if value.denominator == 1:
        return int(value)
    return float(value)


def format_number(value: Fraction | int) -> str:
    """Format a count for a message: thousands separators, 2 decimals when fractional."""
    fraction = Fraction(value)
    if fraction.denominator == 1:
        return f"{int(fraction):,}"
    return f"{float(fraction):,.2f}"


def format_percent(value: Fraction) -> str:
    """Format a share as a percentage with at most one decimal, such as ``96.3%``."""
    text = f"{float(value) * 100:.1f}"
    return f"{text.removesuffix('.0')}%"


# ---------------------------------------------------------------------------
# Planning


def plan_capacity(
    workload: Workload,
    *,
    model: str,
    deployment_type: DeploymentType | str,
    model_version: str | None = None,
    capacity: int | None = None,
    table: CapacityTable | None = None,
) -> CapacityPlan:
    """Size the ``sku.capacity`` of one deployment, or check a given one.

    Returns a StandardPlan for the Standard-family types and a ProvisionedPlan
    for the provisioned ones. Without ``capacity`` the plan sizes the deployment;
    with it the plan reports the limits of that capacity and warns where the
    workload does not fit. ``table`` defaults to the shipped constants, and
    ``model_version`` is reported but does not select constants.

    Raises CapacityError for a batch deployment type, an unknown model, a
    model without provisioned constants on a provisioned type, or inputs that
    do not apply to the model.
    """
    deployment_type = parse_deployment_type(deployment_type)
    if deployment_type.is_batch:
        raise CapacityError(
            f"deployment_type {deployment_type.value} is not supported by the capacity "
            "planner, because batch sku.capacity is a quota of enqueued tokens, not a "
            "per-minute rate. Set it from the enqueued tokens of your largest batch jobs, "
            "or plan GlobalStandard or DataZoneStandard for online traffic."
        )

    table = table if table is not None else CapacityTable.load_default()
    constants = table.constants_for(model)
    _check_model_version(model_version)
    _check_workload_fits_model(workload, model, constants)
    if capacity is not None:
        _check_capacity_value(capacity)

    if deployment_type.is_provisioned:
        return _plan_provisioned(
            workload, model, model_version, deployment_type, constants, table, capacity
        )
    return _plan_standard(
        workload, model, model_version, deployment_type, constants, table, capacity
    )


def _check_model_version(model_version: str | None) -> None:
    if model_version is not None and not model_version.strip():
        raise CapacityError(
            f"model_version must be a non-empty version string; got {model_version!r}. "
            'Use the version Azure lists, such as "2024-11-20", or leave it unset.'
        )


def _check_workload_fits_model(workload: Workload, model: str, constants: ModelConstants) -> None:
    if constants.embedding:
        if workload.completion_tokens:
            raise CapacityError(
                f"completion_tokens must be 0 or unset for embedding model {model}; got "
                f"{workload.completion_tokens}. Embeddings have no completion, so remove it."
            )
        if workload.max_tokens is not None:
            raise CapacityError(
                f"max_tokens must be unset for embedding model {model}; got "
                f"{workload.max_tokens}. Embedding requests take no max_tokens, so remove it."
            )
        if workload.completions_per_request > 1:
            raise CapacityError(
                f"best_of and n must be 1 for embedding model {model}; got best_of "
                f"{workload.best_of} and n {workload.n}. Embeddings have no completions."
            )
        return

    if workload.completion_tokens is None:
        raise CapacityError(
            f"completion_tokens is missing for chat model {model}. Give the average "
            "completion length in tokens; billing and PTU sizing both count it."
        )


def _check_capacity_value(capacity: int) -> None:
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise CapacityError(
            f"capacity must be a whole number of at least 1; got {capacity!r}. Give the "
            "sku.capacity to check, or leave it unset to size one."
        )


def _plan_standard(
    workload: Workload,
    model: str,
    model_version: str | None,
    deployment_type: DeploymentType,
    constants: ModelConstants,
    table: CapacityTable,
    capacity: int | None,
) -> StandardPlan:
    peak_rpm = workload.peak_rpm
    headroom = Fraction(workload.headroom)
    tpm_per_unit = constants.tpm_per_unit
    rpm_per_unit = constants.rpm_per_unit_for(deployment_type)
    completions = workload.completions_per_request

    # Microsoft Learn, "Manage Azure OpenAI quota": the limiter counts each
    # request on arrival as prompt tokens plus max_tokens times best_of. n is
    # assumed to count the same way (not documented). Embeddings count prompt only.
    # NOTE: cache_rate is ignored here. The limiter is assumed to count cached
    # prompt tokens in full, because Microsoft documents no discount for them.
    counted_per_request: int | None
    if constants.embedding:
        counted_per_request = workload.prompt_tokens
        billed_per_request = workload.prompt_tokens
    else:
        completion_tokens = workload.completion_tokens or 0
        billed_per_request = workload.prompt_tokens + completion_tokens * completions
        if workload.max_tokens is None:
            counted_per_request = None
        else:
            counted_per_request = workload.prompt_tokens + workload.max_tokens * completions

    billed_tpm = peak_rpm * billed_per_request
    counted_tpm = None if counted_per_request is None else peak_rpm * counted_per_request
    units_for_tokens = (
        None if counted_tpm is None else math.ceil(counted_tpm * headroom / tpm_per_unit)
    )
    units_for_requests = math.ceil(peak_rpm * headroom / rpm_per_unit)
    units_for_billed_tokens = math.ceil(billed_tpm * headroom / tpm_per_unit)
    capacity_lower_bound = max(1, units_for_billed_tokens, units_for_requests)

    required_capacity = (
        None if units_for_tokens is None else max(1, units_for_tokens, units_for_requests)
    )
    deployed = capacity if capacity is not None else required_capacity
    tpm_limit = None if deployed is None else deployed * tpm_per_unit
    rpm_limit = None if deployed is None else deployed * rpm_per_unit

    plan = StandardPlan(
        model=model,
        model_version=model_version,
        deployment_type=deployment_type,
        workload=workload,
        table=TableInfo.from_table(table),
        peak_rpm=peak_rpm,
        required_capacity=required_capacity,
        capacity=deployed,
        capacity_given=capacity is not None,
        warnings=(),
        tpm_per_unit=tpm_per_unit,
        rpm_per_unit=rpm_per_unit,
        counted_tokens_per_request=counted_per_request,
        counted_tpm=counted_tpm,
        counted_rpm=peak_rpm,
        billed_tpm=billed_tpm,
        units_for_tokens=units_for_tokens,
        units_for_requests=units_for_requests,
        capacity_lower_bound=capacity_lower_bound,
        tpm_limit=tpm_limit,
        rpm_limit=rpm_limit,
    )
    return _with_warnings(plan, _standard_warnings(plan))


def _with_warnings(plan: _PlanT, warnings: list[CapacityWarning]) -> _PlanT:
    return replace(plan, warnings=tuple(warnings))


def _standard_warnings(plan: StandardPlan) -> list[CapacityWarning]:
    warnings: list[CapacityWarning] = []
    workload = plan.workload

    if plan.counted_tpm is None:
        warnings.append(
            CapacityWarning(
                WarningCode.MISSING_MAX_TOKENS,
                f"max_tokens is missing, so the planner cannot compute the TPM the limiter "
                f"counts for {plan.model}: Azure counts every request as prompt tokens plus "
                "max_tokens times best_of when it arrives, whatever the completion length. "
                "Set max_tokens to the value your clients send. The capacity is at least "
                f"{format_number(plan.capacity_lower_bound)} from billed tokens and requests.",
            )
        )

    if plan.tpm_per_unit != _STANDARD_UNIT_TPM:
        limit_text = (
            ""
            if plan.capacity is None
            else f" Capacity {format_number(plan.capacity)} gives "
            f"{format_number(plan.capacity * plan.tpm_per_unit)} TPM."
        )
        warnings.append(
            CapacityWarning(
                WarningCode.UNIT_SEMANTICS,
                f"{plan.model} capacity is counted in units of {format_number(plan.tpm_per_unit)} "
                "TPM, not the 1,000 TPM that the azurerm docs give for sku.capacity." + limit_text,
            )
        )

    counted_tpm = plan.counted_tpm
    if counted_tpm is not None and counted_tpm > plan.billed_tpm * MAX_TOKENS_INFLATION_RATIO:
        ratio = counted_tpm / plan.billed_tpm
        max_tokens = format_number(workload.max_tokens or 0)
        completion_tokens = format_number(workload.completion_tokens or 0)
        warnings.append(
            CapacityWarning(
                WarningCode.MAX_TOKENS_INFLATION,
                f"the limiter counts {format_number(counted_tpm)} TPM but only "
                f"{format_number(plan.billed_tpm)} TPM are billed ({float(ratio):.1f} times), "
                f"because every request counts max_tokens {max_tokens} instead of its "
                f"{completion_tokens} average completion tokens. Azure Monitor shows billed "
                "tokens, so 429 responses can come while usage looks low. Lower max_tokens "
                "toward the longest completion you expect to cut the capacity.",
            )
        )

    if plan.units_for_tokens is not None and plan.units_for_requests > plan.units_for_tokens:
        warnings.append(
            CapacityWarning(
                WarningCode.REQUEST_BOUND,
                f"requests, not tokens, set the capacity: {format_number(plan.units_for_tokens)} "
                f"units cover the tokens, but {format_number(plan.counted_rpm)} requests per "
                f"minute at {plan.rpm_per_unit} RPM per unit need "
                f"{format_number(plan.units_for_requests)} units. Send fewer, larger requests "
                "if you can, because the RPM limit cannot be set apart from the TPM limit.",
            )
        )

    # Sized plans never trigger this, because units_for_requests covers peak
    # RPM times headroom; a given capacity can fall short.
    if plan.rpm_limit is not None and plan.peak_rpm > plan.rpm_limit:
        per_second = plan.peak_rpm / 60
        warnings.append(
            CapacityWarning(
                WarningCode.BURST,
                f"peak traffic of {format_number(per_second)} requests per second is above the "
                f"{format_number(Fraction(plan.rpm_limit, 60))} per second (or "
                f"{format_number(Fraction(plan.rpm_limit, 6))} per 10 seconds) that an RPM "
                f"limit of {format_number(plan.rpm_limit)} allows. Azure enforces RPM over 1 s "
                "and 10 s windows, so requests above that get 429 responses. Raise capacity to "
                f"at least {format_number(plan.units_for_requests)}.",
            )
        )

    if plan.capacity_given and plan.capacity is not None:
        needed = (
            plan.required_capacity
            if plan.required_capacity is not None
            else plan.capacity_lower_bound
        )
        if plan.capacity < needed:
            qualifier = "" if plan.required_capacity is not None else "at least "
            warnings.append(
                CapacityWarning(
                    WarningCode.CAPACITY_BELOW_REQUIRED,
                    f"capacity {format_number(plan.capacity)} is below the {qualifier}"
                    f"{format_number(needed)} units the workload needs at headroom "
                    f"{workload.headroom}, so peak traffic will get 429 responses. Raise "
                    f"capacity to {qualifier}{format_number(needed)}.",
                )
            )

    return warnings


def _plan_provisioned(
    workload: Workload,
    model: str,
    model_version: str | None,
    deployment_type: DeploymentType,
    constants: ModelConstants,
    table: CapacityTable,
    capacity: int | None,
) -> ProvisionedPlan:
    provisioned = constants.provisioned
    if provisioned is None:
        with_ptu = ", ".join(
            sorted(name for name, row in table.models.items() if row.provisioned is not None)
        )
        raise CapacityError(
            f"model {model} has no provisioned throughput constants in the capacity table "
            f"(as of {table.as_of}), so deployment_type {deployment_type.value} cannot be "
            f"sized; models with them: {with_ptu}. Use a Standard-family deployment type, "
            f'or add "provisioned" constants for {model} (`--overrides FILE`, '
            "`openai.model_constant_overrides` or CapacityTable.with_overrides)."
        )
    increment = provisioned.increment_for(deployment_type)

    # Microsoft Learn, "Provisioned throughput sizing" (May 2026): output tokens
    # weigh output_input_ratio input tokens, and cached prompt tokens are free.
    # best_of and n multiply the generated tokens.
    peak_rpm = workload.peak_rpm
    cache_rate = Fraction(workload.cache_rate)
    ratio = Fraction(provisioned.output_input_ratio)
    completion_tokens = (workload.completion_tokens or 0) * workload.completions_per_request
    normalized_tpm = peak_rpm * (
        workload.prompt_tokens * (1 - cache_rate) + ratio * completion_tokens
    )
    ptu_raw = normalized_tpm / provisioned.input_tpm_per_ptu
    steps = math.ceil(ptu_raw * Fraction(workload.headroom) / increment.ptu_step)
    required_ptu = max(increment.minimum_ptu, steps * increment.ptu_step)

    if capacity is None:
        if required_ptu > MAX_PTU_PER_DEPLOYMENT:
            raise CapacityError(
                f"the workload needs {format_number(required_ptu)} PTU of {model}, above "
                f"Azure's limit of {format_number(MAX_PTU_PER_DEPLOYMENT)} PTU per "
                "deployment. Split the traffic across several deployments and plan each "
                "one's share."
            )
        deployed = required_ptu
    else:
        _check_ptu_value(capacity, increment, deployment_type)
        deployed = capacity

    plan = ProvisionedPlan(
        model=model,
        model_version=model_version,
        deployment_type=deployment_type,
        workload=workload,
        table=TableInfo.from_table(table),
        peak_rpm=peak_rpm,
        required_capacity=required_ptu,
        capacity=deployed,
        capacity_given=capacity is not None,
        warnings=(),
        input_tpm_per_ptu=provisioned.input_tpm_per_ptu,
        output_input_ratio=ratio,
        minimum_ptu=increment.minimum_ptu,
        ptu_step=increment.ptu_step,
        normalized_tpm=normalized_tpm,
        ptu_raw=ptu_raw,
        utilization=ptu_raw / deployed,
    )
    return _with_warnings(plan, _provisioned_warnings(plan))


def _check_ptu_value(
    capacity: int, increment: PtuIncrement, deployment_type: DeploymentType
) -> None:
    on_step = capacity == increment.minimum_ptu or capacity % increment.ptu_step == 0
    if capacity < increment.minimum_ptu or not on_step or capacity > MAX_PTU_PER_DEPLOYMENT:
        raise CapacityError(
            f"capacity for {deployment_type.value} must be {increment.minimum_ptu} PTU or a "
            f"multiple of {increment.ptu_step} PTU above it, at most "
            f"{format_number(MAX_PTU_PER_DEPLOYMENT)}; got {capacity}. Round it up to the "
            "next allowed size."
        )


def _provisioned_warnings(plan: ProvisionedPlan) -> list[CapacityWarning]:
    warnings: list[CapacityWarning] = []
    assert plan.capacity is not None  # Provisioned plans always have a capacity.
    utilization = format_percent(plan.utilization)
    deployed = format_number(plan.capacity)

    if plan.utilization < LOW_PTU_UTILIZATION:
        alternative = _STANDARD_ALTERNATIVE[plan.deployment_type]
        warnings.append(
            CapacityWarning(
                WarningCode.LOW_PTU_UTILIZATION,
                f"peak load uses {format_number(plan.ptu_raw)} of {deployed} PTU "
                f"({utilization}), and PTUs are billed hourly whether used or not. Consider "
                f"{alternative.value}, billed per token.",
            )
        )

    if PTU_NEAR_FULL_UTILIZATION <= plan.utilization <= 1:
        warnings.append(
            CapacityWarning(
                WarningCode.PTU_NEAR_FULL,
                f"peak load uses {utilization} of {deployed} PTU, so traffic above the "
                "estimate gets 429 responses. Set headroom, such as 1.2 for 20% above peak.",
            )
        )

    required = plan.required_capacity
    if plan.capacity_given and required is not None and plan.capacity < required:
        warnings.append(
            CapacityWarning(
                WarningCode.CAPACITY_BELOW_REQUIRED,
                f"capacity {deployed} PTU is below the {format_number(required)} PTU the "
                f"workload needs at headroom {plan.workload.headroom} (peak load uses "
                f"{utilization}), so peak traffic will get 429 responses. Raise capacity to "
                f"{format_number(required)}.",
            )
        )

    return warnings


# ---------------------------------------------------------------------------
# Quota


class DeploymentCapacity(NamedTuple):
    """One deployment's share of a quota. A plain 5-tuple in the same order also works."""

    name: str
    region: str
    model: str
    deployment_type: DeploymentType | str
    capacity: int


QuotaKey = tuple[str, Any, str]
"""(region, model, deployment type); model is None for provisioned types.

The model is typed Any because mapping keys are invariant: both
``dict[tuple[str, str, str], int]`` and ``dict[tuple[str, None, str], int]``
must be accepted.
"""


def check_quota(
    deployments: Iterable[tuple[str, str, str, DeploymentType | str, int]],
    quota: Mapping[QuotaKey, int],
) -> tuple[CapacityWarning, ...]:
    """Return a quota-exceeded warning for each quota that the deployments' capacities exceed.

    Standard-family and batch quota is per region, model and deployment type.
    PTU quota is per region and deployment type, shared by all models
    (Microsoft Learn, "Get started using provisioned deployments"), so its key
    has model None. Regions compare without case or spaces ("East US" is
    "eastus"). Groups with no entry in ``quota`` are not checked. Raises
    CapacityError for an invalid key, quota or deployment.
    """
    limits: dict[tuple[str, str | None, DeploymentType], tuple[QuotaKey, int]] = {}
    for key, limit in quota.items():
        normalized = _normalize_quota_key(key)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise CapacityError(
                f"quota[{key!r}] must be a whole number of 0 or more; got {limit!r}. "
                "Give the quota in the same unit as sku.capacity."
            )
        if normalized in limits:
            raise CapacityError(
                f"quota keys {limits[normalized][0]!r} and {key!r} name the same quota. "
                "Keep one of them."
            )
        limits[normalized] = (key, limit)

    groups: dict[tuple[str, str | None, DeploymentType], list[tuple[str, int]]] = {}
    for deployment in deployments:
        name, region, model, raw_type, capacity = deployment
        deployment_type = parse_deployment_type(raw_type)
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            raise CapacityError(
                f"deployment {name!r} capacity must be a whole number of at least 1; got "
                f"{capacity!r}. Give its sku.capacity."
            )
        group_model = None if deployment_type.is_provisioned else model
        group = (_normalize_region(region), group_model, deployment_type)
        groups.setdefault(group, []).append((name, capacity))

    warnings = []
    for group in sorted(groups, key=lambda item: (item[0], item[1] or "", item[2].value)):
        if group not in limits:
            continue
        _, limit = limits[group]
        members = groups[group]
        total = sum(capacity for _, capacity in members)
        if total > limit:
            warnings.append(_quota_warning(group, members, total, limit))
    return tuple(warnings)


def _normalize_region(region: str) -> str:
    return region.replace(" ", "").lower()


def _normalize_quota_key(key: QuotaKey) -> tuple[str, str | None, DeploymentType]:
    if not isinstance(key, tuple) or len(key) != 3:
        raise CapacityError(
            f"quota keys must be (region, model, deployment type) tuples; got {key!r}. "
            'Use a key such as ("eastus", "gpt-4o", "GlobalStandard").'
        )
    region, model, raw_type = key
    deployment_type = parse_deployment_type(raw_type)
    if deployment_type.is_provisioned and model is not None:
        raise CapacityError(
            f"quota key {key!r} names model {model!r}, but PTU quota is shared by all models "
            f'in a region. Use None as the model, such as ("{region}", None, '
            f'"{deployment_type.value}").'
        )
    if not deployment_type.is_provisioned and not model:
        raise CapacityError(
            f"quota key {key!r} has no model, but {deployment_type.value} quota is per model. "
            f'Name the model, such as ("{region}", "gpt-4o", "{deployment_type.value}").'
        )
    return (_normalize_region(region), model, deployment_type)


def _quota_warning(
    group: tuple[str, str | None, DeploymentType],
    members: list[tuple[str, int]],
    total: int,
    limit: int,
) -> CapacityWarning:
    region, model, deployment_type = group
    unit = "PTU" if deployment_type.is_provisioned else "units"
    scope = f"{model} " if model is not None else "PTU "
    listed = ", ".join(f"{name} ({format_number(capacity)})" for name, capacity in members)
    return CapacityWarning(
        WarningCode.QUOTA_EXCEEDED,
        f"{deployment_type.value} {scope}quota in {region} is exceeded: deployments {listed} "
        f"add up to {format_number(total)} {unit}, above the quota of {format_number(limit)}. "
        "Lower their capacities, move one to another region, or request a quota increase.",
        deployments=tuple(name for name, _ in members),
    )
