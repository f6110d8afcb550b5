"""Tests for the capacity planner: worked examples, warnings, errors, overrides, properties."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from constructs_ai.capacity import (
    MAX_PTU_PER_DEPLOYMENT,
    CapacityError,
    CapacityTable,
    DeploymentCapacity,
    DeploymentType,
    ProvisionedPlan,
    StandardPlan,
    WarningCode,
    Workload,
    check_quota,
    plan_capacity,
)

REPO_ROOT = Path(__file__).resolve().parent.parent

STANDARD_TYPES = [
    DeploymentType.STANDARD,
    DeploymentType.GLOBAL_STANDARD,
    DeploymentType.DATA_ZONE_STANDARD,
]
PROVISIONED_TYPES = [
    DeploymentType.PROVISIONED_MANAGED,
    DeploymentType.GLOBAL_PROVISIONED_MANAGED,
    DeploymentType.DATA_ZONE_PROVISIONED_MANAGED,
]


def standard_plan(workload: Workload, **kwargs: Any) -> StandardPlan:
    plan = plan_capacity(workload, **kwargs)
    assert isinstance(plan, StandardPlan)
    return plan


def provisioned_plan(workload: Workload, **kwargs: Any) -> ProvisionedPlan:
    plan = plan_capacity(workload, **kwargs)
    assert isinstance(plan, ProvisionedPlan)
    return plan


def codes(plan: StandardPlan | ProvisionedPlan) -> set[str]:
    return {code.value for code in plan.warning_codes()}


# ---------------------------------------------------------------------------
# Worked examples at headroom 1.0


@dataclass(frozen=True)
class Example:
    name: str
    workload: dict[str, Any]
    model: str
    deployment_type: DeploymentType
    capacity: int
    warnings: set[str] = field(default_factory=set)


EXAMPLES = [
    Example(
        "gpt-4o global standard",
        dict(qps=2, peak_factor=1.5, prompt_tokens=1000, completion_tokens=300, max_tokens=500),
        "gpt-4o",
        DeploymentType.GLOBAL_STANDARD,
        270,
    ),
    Example(
        "gpt-4o large max_tokens",
        dict(qps=2, peak_factor=1.5, prompt_tokens=1000, completion_tokens=300, max_tokens=4096),
        "gpt-4o",
        DeploymentType.GLOBAL_STANDARD,
        918,
        {"max-tokens-inflation"},
    ),
    # Counted 600,000 TPM over billed 300,000 TPM is a ratio of 2, so the
    # max_tokens warning comes with the unit warning.
    Example(
        "o1 six-thousand-TPM units",
        dict(qps=0.5, peak_factor=2, prompt_tokens=2000, completion_tokens=3000, max_tokens=8000),
        "o1",
        DeploymentType.GLOBAL_STANDARD,
        100,
        {"unit-semantics", "max-tokens-inflation"},
    ),
    Example(
        "embedding large",
        dict(qps=50, prompt_tokens=500),
        "text-embedding-3-large",
        DeploymentType.GLOBAL_STANDARD,
        1500,
    ),
    Example(
        "gpt-4.1 global provisioned",
        dict(qps=10, peak_factor=1.5, prompt_tokens=2000, completion_tokens=400),
        "gpt-4.1",
        DeploymentType.GLOBAL_PROVISIONED_MANAGED,
        1080,
        {"ptu-near-full"},
    ),
    Example(
        "gpt-4o-mini data zone minimum",
        dict(rpm=30, prompt_tokens=800, completion_tokens=150),
        "gpt-4o-mini",
        DeploymentType.DATA_ZONE_PROVISIONED_MANAGED,
        15,
        {"low-ptu-utilization"},
    ),
    Example(
        "gpt-5.2 global",
        dict(rpm=1000, prompt_tokens=200, completion_tokens=20),
        "gpt-5.2",
        DeploymentType.GLOBAL_PROVISIONED_MANAGED,
        110,
        {"ptu-near-full"},
    ),
    Example(
        "gpt-5.2 data zone",
        dict(rpm=1000, prompt_tokens=200, completion_tokens=20),
        "gpt-5.2",
        DeploymentType.DATA_ZONE_PROVISIONED_MANAGED,
        110,
        {"ptu-near-full"},
    ),
    Example(
        "gpt-5.2 regional",
        dict(rpm=1000, prompt_tokens=200, completion_tokens=20),
        "gpt-5.2",
        DeploymentType.PROVISIONED_MANAGED,
        150,
    ),
    Example(
        "gpt-5.2 global cached",
        dict(rpm=1000, prompt_tokens=200, completion_tokens=20, cache_rate=0.5),
        "gpt-5.2",
        DeploymentType.GLOBAL_PROVISIONED_MANAGED,
        80,
        {"ptu-near-full"},
    ),
    Example(
        "gpt-5.2 data zone cached",
        dict(rpm=1000, prompt_tokens=200, completion_tokens=20, cache_rate=0.5),
        "gpt-5.2",
        DeploymentType.DATA_ZONE_PROVISIONED_MANAGED,
        80,
        {"ptu-near-full"},
    ),
    Example(
        "gpt-5.2 regional cached",
        dict(rpm=1000, prompt_tokens=200, completion_tokens=20, cache_rate=0.5),
        "gpt-5.2",
        DeploymentType.PROVISIONED_MANAGED,
        100,
    ),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_worked_example_capacity(example: Example) -> None:
    plan = plan_capacity(
        Workload(**example.workload), model=example.model, deployment_type=example.deployment_type
    )

    assert plan.capacity == example.capacity
    assert plan.required_capacity == example.capacity


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_worked_example_warnings(example: Example) -> None:
    plan = plan_capacity(
        Workload(**example.workload), model=example.model, deployment_type=example.deployment_type
    )

    assert codes(plan) == example.warnings


def test_example_gpt_4o_counts() -> None:
    plan = standard_plan(
        Workload(**EXAMPLES[0].workload), model="gpt-4o", deployment_type="GlobalStandard"
    )

    assert plan.peak_rpm == 180
    assert plan.counted_rpm == 180
    assert plan.counted_tokens_per_request == 1500
    assert plan.counted_tpm == 270_000
    assert plan.billed_tpm == 234_000
    assert plan.units_for_tokens == 270
    assert plan.units_for_requests == 30
    assert plan.tpm_limit == 270_000
    assert plan.rpm_limit == 270 * 6


def test_example_max_tokens_ratio() -> None:
    plan = standard_plan(
        Workload(**EXAMPLES[1].workload), model="gpt-4o", deployment_type="GlobalStandard"
    )

    assert plan.counted_tpm == 917_280
    assert plan.counted_tpm is not None
    assert round(float(plan.counted_tpm / plan.billed_tpm), 1) == 3.9
    assert "3.9 times" in plan.warnings[0].message


def test_example_o1_counts() -> None:
    plan = standard_plan(
        Workload(**EXAMPLES[2].workload), model="o1", deployment_type="GlobalStandard"
    )

    assert plan.counted_tpm == 600_000
    assert plan.tpm_per_unit == 6000
    assert plan.tpm_limit == 600_000


def test_example_gpt_41_provisioned() -> None:
    plan = provisioned_plan(
        Workload(**EXAMPLES[4].workload),
        model="gpt-4.1",
        deployment_type="GlobalProvisionedManaged",
    )

    assert plan.normalized_tpm == 3_240_000
    assert plan.ptu_raw == 1080
    assert plan.utilization == 1


def test_example_gpt_4o_mini_raw_ptu() -> None:
    plan = provisioned_plan(
        Workload(**EXAMPLES[5].workload),
        model="gpt-4o-mini",
        deployment_type="DataZoneProvisionedManaged",
    )

    assert round(float(plan.ptu_raw), 2) == 1.14
    assert plan.minimum_ptu == 15
    assert plan.utilization == plan.ptu_raw / 15


def test_exact_arithmetic_at_ceiling() -> None:
    # In binary floating point 1.5 * 60 * 1.1 * 1000 / 1000 is 99.00000000000001.
    workload = Workload(
        qps=1.5, peak_factor=1.1, prompt_tokens=500, completion_tokens=400, max_tokens=500
    )

    plan = standard_plan(workload, model="gpt-4o", deployment_type="Standard")

    assert plan.counted_tpm == 99_000
    assert plan.capacity == 99


# ---------------------------------------------------------------------------
# Warnings, each triggered and not triggered


def test_inflation_warning_above_ratio() -> None:
    workload = Workload(rpm=10, prompt_tokens=100, completion_tokens=100, max_tokens=201)

    plan = standard_plan(workload, model="gpt-4o", deployment_type="Standard")

    assert "max-tokens-inflation" in codes(plan)


def test_inflation_warning_at_ratio() -> None:
    # Counted 300 tokens per request over billed 200 is exactly 1.5.
    workload = Workload(rpm=10, prompt_tokens=100, completion_tokens=100, max_tokens=200)

    plan = standard_plan(workload, model="gpt-4o", deployment_type="Standard")

    assert "max-tokens-inflation" not in codes(plan)


def test_request_bound_warning() -> None:
    workload = Workload(rpm=100, prompt_tokens=200, completion_tokens=20, max_tokens=100)

    plan = standard_plan(workload, model="gpt-4.1", deployment_type="GlobalStandard")

    assert plan.units_for_tokens == 30
    assert plan.units_for_requests == 100
    assert plan.capacity == 100
    assert "request-bound" in codes(plan)


def test_request_bound_absent_when_tokens_bind() -> None:
    plan = standard_plan(
        Workload(**EXAMPLES[0].workload), model="gpt-4o", deployment_type="Standard"
    )

    assert "request-bound" not in codes(plan)


def test_burst_warning_for_given_capacity() -> None:
    workload = Workload(rpm=1000, prompt_tokens=200, completion_tokens=20, max_tokens=100)

    plan = standard_plan(workload, model="gpt-4o", deployment_type="Standard", capacity=100)

    assert plan.rpm_limit == 600
    assert "burst" in codes(plan)
    burst = next(w for w in plan.warnings if w.code is WarningCode.BURST)
    assert "16.67 requests per second" in burst.message
    assert "10 per second" in burst.message


def test_burst_absent_when_rpm_limit_covers_peak() -> None:
    workload = Workload(rpm=600, prompt_tokens=200, completion_tokens=20, max_tokens=100)

    plan = standard_plan(workload, model="gpt-4o", deployment_type="Standard", capacity=180)

    assert plan.rpm_limit == 1080
    assert "burst" not in codes(plan)


@pytest.mark.parametrize("deployment_type", STANDARD_TYPES)
def test_burst_absent_in_sized_plans(deployment_type: DeploymentType) -> None:
    workload = Workload(qps=40, peak_factor=3, prompt_tokens=10, completion_tokens=1, max_tokens=1)

    plan = standard_plan(workload, model="gpt-4.1", deployment_type=deployment_type)

    assert "burst" not in codes(plan)


@pytest.mark.parametrize(
    ("model", "tpm_per_unit"),
    [("o1", 6000), ("o1-mini", 10000), ("o3-mini", 10000), ("o3-pro", 10000)],
)
def test_unit_semantics_warning(model: str, tpm_per_unit: int) -> None:
    workload = Workload(rpm=10, prompt_tokens=100, completion_tokens=100, max_tokens=100)

    plan = standard_plan(workload, model=model, deployment_type="GlobalStandard")

    assert plan.tpm_per_unit == tpm_per_unit
    assert "unit-semantics" in codes(plan)


@pytest.mark.parametrize("model", ["gpt-4o", "gpt-5", "o3", "text-embedding-3-small"])
def test_unit_semantics_absent_for_thousand_tpm(model: str) -> None:
    workload = Workload(rpm=10, prompt_tokens=100)
    if model != "text-embedding-3-small":
        workload = Workload(rpm=10, prompt_tokens=100, completion_tokens=100, max_tokens=100)

    plan = standard_plan(workload, model=model, deployment_type="GlobalStandard")

    assert "unit-semantics" not in codes(plan)


def test_unit_semantics_absent_for_provisioned_o1() -> None:
    workload = Workload(rpm=10, prompt_tokens=100, completion_tokens=100)

    plan = provisioned_plan(workload, model="o1", deployment_type="GlobalProvisionedManaged")

    assert "unit-semantics" not in codes(plan)


def test_low_utilization_suggests_matching_standard_type() -> None:
    workload = Workload(rpm=30, prompt_tokens=800, completion_tokens=150)

    for deployment_type, alternative in [
        ("ProvisionedManaged", "Consider Standard,"),
        ("GlobalProvisionedManaged", "Consider GlobalStandard,"),
        ("DataZoneProvisionedManaged", "Consider DataZoneStandard,"),
    ]:
        plan = provisioned_plan(workload, model="gpt-4o-mini", deployment_type=deployment_type)
        assert codes(plan) == {"low-ptu-utilization"}
        assert alternative in plan.warnings[0].message


def test_low_utilization_absent_at_seventy_percent() -> None:
    workload = Workload(rpm=1000, prompt_tokens=200, completion_tokens=20)

    plan = provisioned_plan(workload, model="gpt-5.2", deployment_type="ProvisionedManaged")

    assert plan.utilization == Fraction(360_000, 3400) / 150
    assert "low-ptu-utilization" not in codes(plan)


def test_near_full_absent_with_headroom() -> None:
    workload = Workload(**EXAMPLES[4].workload, headroom=Decimal("1.2"))

    plan = provisioned_plan(workload, model="gpt-4.1", deployment_type="GlobalProvisionedManaged")

    assert plan.capacity == 1300
    assert "ptu-near-full" not in codes(plan)


def test_missing_max_tokens_leaves_capacity_unknown() -> None:
    workload = Workload(qps=2, peak_factor=1.5, prompt_tokens=1000, completion_tokens=300)

    plan = standard_plan(workload, model="gpt-4o", deployment_type="GlobalStandard")

    assert codes(plan) == {"missing-max-tokens"}
    assert plan.capacity is None
    assert plan.required_capacity is None
    assert plan.counted_tpm is None
    assert plan.units_for_tokens is None
    assert plan.tpm_limit is None
    assert plan.billed_tpm == 234_000
    assert plan.capacity_lower_bound == 234
    assert "at least 234" in plan.warnings[0].message


def test_missing_max_tokens_absent_for_embeddings() -> None:
    plan = standard_plan(
        Workload(qps=50, prompt_tokens=500),
        model="text-embedding-3-small",
        deployment_type="Standard",
    )

    assert "missing-max-tokens" not in codes(plan)


def test_missing_max_tokens_absent_for_provisioned() -> None:
    workload = Workload(rpm=1000, prompt_tokens=200, completion_tokens=20)

    plan = provisioned_plan(workload, model="gpt-5.2", deployment_type="ProvisionedManaged")

    assert "missing-max-tokens" not in codes(plan)


def test_missing_max_tokens_with_given_capacity() -> None:
    workload = Workload(qps=2, peak_factor=1.5, prompt_tokens=1000, completion_tokens=300)

    plan = standard_plan(workload, model="gpt-4o", deployment_type="GlobalStandard", capacity=100)

    assert plan.capacity == 100
    assert codes(plan) == {"missing-max-tokens", "capacity-below-required"}
    below = next(w for w in plan.warnings if w.code is WarningCode.CAPACITY_BELOW_REQUIRED)
    assert "at least 234" in below.message


def test_given_capacity_below_required() -> None:
    workload = Workload(**EXAMPLES[0].workload)

    plan = standard_plan(workload, model="gpt-4o", deployment_type="GlobalStandard", capacity=269)

    assert plan.capacity_given
    assert plan.required_capacity == 270
    assert codes(plan) == {"capacity-below-required"}


def test_given_capacity_at_required() -> None:
    workload = Workload(**EXAMPLES[0].workload)

    plan = standard_plan(workload, model="gpt-4o", deployment_type="GlobalStandard", capacity=270)

    assert codes(plan) == set()
    assert plan.tpm_limit == 270_000


def test_given_ptu_below_required() -> None:
    workload = Workload(**EXAMPLES[4].workload)

    plan = provisioned_plan(
        workload, model="gpt-4.1", deployment_type="GlobalProvisionedManaged", capacity=900
    )

    assert plan.utilization == Fraction(1080, 900)
    assert codes(plan) == {"capacity-below-required"}


def test_given_ptu_above_required() -> None:
    workload = Workload(**EXAMPLES[4].workload)

    plan = provisioned_plan(
        workload, model="gpt-4.1", deployment_type="GlobalProvisionedManaged", capacity=1500
    )

    assert plan.utilization == Fraction(1080, 1500)
    assert codes(plan) == set()


def test_gpt_4o_mini_rpm_per_unit_by_type() -> None:
    workload = Workload(rpm=600, prompt_tokens=10, completion_tokens=1, max_tokens=1)

    regional = standard_plan(workload, model="gpt-4o-mini", deployment_type="Standard")
    global_ = standard_plan(workload, model="gpt-4o-mini", deployment_type="GlobalStandard")
    data_zone = standard_plan(workload, model="gpt-4o-mini", deployment_type="DataZoneStandard")

    assert regional.rpm_per_unit == 6
    assert regional.capacity == 100
    assert global_.rpm_per_unit == 10
    assert global_.capacity == 60
    assert data_zone.rpm_per_unit == 10


def test_best_of_multiplies_counted_tokens() -> None:
    workload = Workload(
        rpm=60, prompt_tokens=100, completion_tokens=50, max_tokens=100, best_of=3, n=2
    )

    plan = standard_plan(workload, model="gpt-4o", deployment_type="Standard")

    assert plan.counted_tokens_per_request == 100 + 100 * 3
    assert plan.billed_tpm == 60 * (100 + 50 * 3)


def test_n_multiplies_generated_tokens_for_ptu() -> None:
    single = Workload(rpm=1000, prompt_tokens=200, completion_tokens=20)
    double = Workload(rpm=1000, prompt_tokens=200, completion_tokens=20, n=2)

    plan_single = provisioned_plan(single, model="gpt-5.2", deployment_type="ProvisionedManaged")
    plan_double = provisioned_plan(double, model="gpt-5.2", deployment_type="ProvisionedManaged")

    assert plan_single.normalized_tpm == 1000 * (200 + 8 * 20)
    assert plan_double.normalized_tpm == 1000 * (200 + 8 * 40)


def test_o1_regional_ptu_step() -> None:
    workload = Workload(rpm=10, prompt_tokens=1000, completion_tokens=100)

    plan = provisioned_plan(workload, model="o1", deployment_type="ProvisionedManaged")

    assert plan.minimum_ptu == 25
    assert plan.ptu_step == 50
    assert plan.capacity == 100


# ---------------------------------------------------------------------------
# Quota


def test_quota_exceeded_names_deployments() -> None:
    deployments = [
        DeploymentCapacity("chat", "eastus", "gpt-4o", "GlobalStandard", 300),
        DeploymentCapacity("summarize", "East US", "gpt-4o", DeploymentType.GLOBAL_STANDARD, 200),
        DeploymentCapacity("other-model", "eastus", "gpt-4.1", "GlobalStandard", 900),
        DeploymentCapacity("other-region", "westus", "gpt-4o", "GlobalStandard", 900),
    ]
    quota = {("eastus", "gpt-4o", "GlobalStandard"): 450}

    warnings = check_quota(deployments, quota)

    assert len(warnings) == 1
    assert warnings[0].code is WarningCode.QUOTA_EXCEEDED
    assert warnings[0].deployments == ("chat", "summarize")
    assert "chat (300), summarize (200)" in warnings[0].message
    assert "500 units, above the quota of 450" in warnings[0].message


def test_quota_at_limit_passes() -> None:
    deployments = [("chat", "eastus", "gpt-4o", "GlobalStandard", 450)]

    warnings = check_quota(deployments, {("eastus", "gpt-4o", "GlobalStandard"): 450})

    assert warnings == ()


def test_quota_without_entry_is_unchecked() -> None:
    deployments = [("chat", "eastus", "gpt-4o", "GlobalStandard", 10_000)]

    warnings = check_quota(deployments, {("eastus", "gpt-4o", "Standard"): 1})

    assert warnings == ()


def test_ptu_quota_is_shared_by_models() -> None:
    deployments = [
        ("chat", "swedencentral", "gpt-4o", "GlobalProvisionedManaged", 100),
        ("reason", "swedencentral", "o3", "GlobalProvisionedManaged", 100),
        ("regional", "swedencentral", "o3", "ProvisionedManaged", 500),
    ]
    quota = {("swedencentral", None, "GlobalProvisionedManaged"): 150}

    warnings = check_quota(deployments, quota)

    assert [w.deployments for w in warnings] == [("chat", "reason")]
    assert "200 PTU, above the quota of 150" in warnings[0].message


@pytest.mark.parametrize(
    ("quota", "message"),
    [
        ({("eastus", "gpt-4o"): 1}, r"quota keys must be \(region, model, deployment type\)"),
        (
            {("eastus", "gpt-4o", "ProvisionedManaged"): 1},
            r"PTU quota is shared by all models in a region\. Use None as the model",
        ),
        ({("eastus", None, "Standard"): 1}, r"Standard quota is per model\. Name the model"),
        ({("eastus", "gpt-4o", "Standard"): -1}, r"must be a whole number of 0 or more; got -1"),
        (
            {("eastus", "gpt-4o", "Standard"): 1, ("East US", "gpt-4o", "Standard"): 2},
            r"name the same quota\. Keep one of them",
        ),
        (
            {("eastus", "gpt-4o", "Premium"): 1},
            r"deployment_type must be one of Standard, .*got 'Premium'",
        ),
    ],
)
def test_quota_rejects_invalid_quota(quota: dict[Any, Any], message: str) -> None:
    with pytest.raises(CapacityError, match=message):
        check_quota([], quota)


def test_quota_rejects_invalid_deployment_capacity() -> None:
    with pytest.raises(
        CapacityError,
        match=r"deployment 'chat' capacity must be a whole number of at least 1; got 0",
    ):
        check_quota([("chat", "eastus", "gpt-4o", "Standard", 0)], {})


# ---------------------------------------------------------------------------
# Workload validation


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (dict(qps=0, prompt_tokens=1), r"qps must be greater than 0; got 0\."),
        (dict(rpm=-5, prompt_tokens=1), r"rpm must be greater than 0; got -5\."),
        (
            dict(qps=1, rpm=60, prompt_tokens=1),
            r"exactly one of qps and rpm must be set; got both\.",
        ),
        (dict(prompt_tokens=1), r"exactly one of qps and rpm must be set; got neither\."),
        (
            dict(qps=1, peak_factor=0.5, prompt_tokens=1),
            r"peak_factor must be at least 1; got 0\.5\.",
        ),
        (dict(qps=1, prompt_tokens=0), r"prompt_tokens must be at least 1; got 0\."),
        (
            dict(qps=1, prompt_tokens=1, completion_tokens=-1),
            r"completion_tokens must be 0 or more; got -1\.",
        ),
        (dict(qps=1, prompt_tokens=1, max_tokens=0), r"max_tokens must be at least 1; got 0\."),
        (dict(qps=1, prompt_tokens=1, best_of=0), r"best_of must be at least 1; got 0\."),
        (dict(qps=1, prompt_tokens=1, n=0), r"n must be at least 1; got 0\."),
        (
            dict(qps=1, prompt_tokens=1, cache_rate=1.5),
            r"cache_rate must be between 0 and 1; got 1\.5\.",
        ),
        (
            dict(qps=1, prompt_tokens=1, cache_rate=-0.1),
            r"cache_rate must be between 0 and 1; got -0\.1\.",
        ),
        (dict(qps=1, prompt_tokens=1, headroom=0.9), r"headroom must be at least 1; got 0\.9\."),
        (
            dict(qps=1, prompt_tokens=1, completion_tokens=600, max_tokens=500),
            r"completion_tokens must not exceed max_tokens; "
            r"got completion_tokens 600 and max_tokens 500",
        ),
        (
            dict(qps=1, prompt_tokens=1, temperature=0.5),
            r"temperature\s+Extra inputs are not permitted",
        ),
        (dict(qps=float("nan"), prompt_tokens=1), r"qps\s+Input should be a finite number"),
    ],
)
def test_workload_rejects_invalid_field(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Workload(**fields)


def test_workload_defaults() -> None:
    workload = Workload(qps=1, prompt_tokens=10)

    assert workload.peak_factor == 1
    assert workload.cache_rate == 0
    assert workload.headroom == 1
    assert workload.best_of == 1
    assert workload.n == 1
    assert workload.completion_tokens is None
    assert workload.max_tokens is None
    assert workload.rpm is None


def test_workload_documented_defaults_match() -> None:
    for name, info in Workload.model_fields.items():
        if info.is_required():
            continue
        match = re.search(r"Default: `([^`]*)`", info.description or "")
        assert match is not None, f"{name} does not document its default"
        assert json.loads(match.group(1)) == info.default, name


def test_workload_float_is_read_as_decimal() -> None:
    workload = Workload(qps=0.1, prompt_tokens=1)

    assert workload.qps == Decimal("0.1")
    assert workload.peak_rpm == 6


# ---------------------------------------------------------------------------
# Planner errors


@pytest.mark.parametrize("deployment_type", ["GlobalBatch", "DataZoneBatch"])
def test_batch_types_rejected(deployment_type: str) -> None:
    workload = Workload(**EXAMPLES[0].workload)

    with pytest.raises(
        CapacityError,
        match=rf"deployment_type {deployment_type} is not supported by the capacity planner",
    ):
        plan_capacity(workload, model="gpt-4o", deployment_type=deployment_type)


def test_unknown_deployment_type_lists_allowed() -> None:
    with pytest.raises(
        CapacityError,
        match=r"deployment_type must be one of Standard, GlobalStandard, .*got 'globalstandard'",
    ):
        plan_capacity(
            Workload(**EXAMPLES[0].workload), model="gpt-4o", deployment_type="globalstandard"
        )


def test_unknown_model_lists_known_models() -> None:
    with pytest.raises(
        CapacityError,
        match=r"model 'gpt-9' is not in the capacity table .*known models: .*gpt-4o, ",
    ):
        plan_capacity(Workload(**EXAMPLES[0].workload), model="gpt-9", deployment_type="Standard")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (dict(completion_tokens=10), r"completion_tokens must be 0 or unset for embedding model"),
        (dict(max_tokens=10), r"max_tokens must be unset for embedding model"),
        (dict(best_of=2), r"best_of and n must be 1 for embedding model"),
    ],
)
def test_embedding_rejects_completion_fields(fields: dict[str, Any], message: str) -> None:
    workload = Workload(qps=1, prompt_tokens=100, **fields)

    with pytest.raises(CapacityError, match=message):
        plan_capacity(workload, model="text-embedding-3-small", deployment_type="Standard")


def test_embedding_accepts_zero_completion_tokens() -> None:
    workload = Workload(qps=1, prompt_tokens=100, completion_tokens=0)

    plan = standard_plan(workload, model="text-embedding-3-small", deployment_type="Standard")

    assert plan.counted_tpm == 6000
    assert plan.capacity == 10


def test_chat_model_requires_completion_tokens() -> None:
    with pytest.raises(CapacityError, match=r"completion_tokens is missing for chat model gpt-4o"):
        plan_capacity(
            Workload(qps=1, prompt_tokens=10, max_tokens=10),
            model="gpt-4o",
            deployment_type="Standard",
        )


@pytest.mark.parametrize("model", ["text-embedding-3-large", "gpt-5-nano", "o3-pro"])
def test_provisioned_needs_ptu_constants(model: str) -> None:
    workload = Workload(qps=1, prompt_tokens=10)
    if model != "text-embedding-3-large":
        workload = Workload(qps=1, prompt_tokens=10, completion_tokens=10)

    with pytest.raises(
        CapacityError, match=rf"model {model} has no provisioned throughput constants"
    ):
        plan_capacity(workload, model=model, deployment_type="GlobalProvisionedManaged")


def test_empty_model_version_rejected() -> None:
    with pytest.raises(
        CapacityError, match=r"model_version must be a non-empty version string; got ' '"
    ):
        plan_capacity(
            Workload(**EXAMPLES[0].workload),
            model="gpt-4o",
            deployment_type="Standard",
            model_version=" ",
        )


def test_model_version_is_reported() -> None:
    plan = plan_capacity(
        Workload(**EXAMPLES[0].workload),
        model="gpt-4o",
        deployment_type="Standard",
        model_version="2024-11-20",
    )

    assert plan.model_version == "2024-11-20"
    assert plan.as_dict()["model_version"] == "2024-11-20"


@pytest.mark.parametrize("capacity", [0, -3, True])
def test_invalid_given_capacity_rejected(capacity: Any) -> None:
    with pytest.raises(CapacityError, match=r"capacity must be a whole number of at least 1"):
        plan_capacity(
            Workload(**EXAMPLES[0].workload),
            model="gpt-4o",
            deployment_type="Standard",
            capacity=capacity,
        )


@pytest.mark.parametrize(
    ("deployment_type", "capacity"),
    [
        ("GlobalProvisionedManaged", 10),
        ("GlobalProvisionedManaged", 17),
        ("ProvisionedManaged", 75),
        ("GlobalProvisionedManaged", MAX_PTU_PER_DEPLOYMENT + 5),
    ],
)
def test_given_ptu_off_step_rejected(deployment_type: str, capacity: int) -> None:
    workload = Workload(**EXAMPLES[4].workload)

    with pytest.raises(
        CapacityError, match=rf"must be \d+ PTU or a multiple of \d+ PTU above it.*got {capacity}\."
    ):
        plan_capacity(workload, model="gpt-4.1", deployment_type=deployment_type, capacity=capacity)


def test_sized_ptu_above_deployment_limit_rejected() -> None:
    workload = Workload(qps=1000, peak_factor=2, prompt_tokens=8000, completion_tokens=2000)

    with pytest.raises(
        CapacityError, match=r"above Azure's limit of 100,000 PTU per deployment\. Split"
    ):
        plan_capacity(workload, model="gpt-4.1", deployment_type="GlobalProvisionedManaged")


# ---------------------------------------------------------------------------
# Constants table and overrides


def test_default_table_is_dated() -> None:
    table = CapacityTable.load_default()

    assert table.as_of == date(2026, 5, 1)
    assert table.sources
    assert not table.overrides_applied
    assert table.overridden_models == ()


def test_default_table_rows() -> None:
    table = CapacityTable.load_default()

    assert table.constants_for("o1").tpm_per_unit == 6000
    assert table.constants_for("text-embedding-3-large").embedding
    assert not table.constants_for("gpt-4o").embedding
    provisioned = table.constants_for("gpt-5-mini").provisioned
    assert provisioned is not None
    assert provisioned.regional.minimum_ptu == 25
    assert provisioned.input_tpm_per_ptu == 23_750
    assert provisioned.output_input_ratio == 8


def test_default_table_file_matches_loaded_table() -> None:
    raw = json.loads(
        (REPO_ROOT / "constructs_ai" / "data" / "openai_models.json").read_text("utf-8")
    )

    table = CapacityTable.load_default()

    assert sorted(raw["models"]) == sorted(table.models)
    assert raw["as_of"] == table.as_of.isoformat()


def test_override_changes_plan_and_reports_it() -> None:
    table = CapacityTable.load_default().with_overrides({"gpt-4o": {"tpm_per_unit": 2000}})
    workload = Workload(**EXAMPLES[0].workload)

    plan = standard_plan(workload, model="gpt-4o", deployment_type="GlobalStandard", table=table)

    assert plan.capacity == 135
    assert plan.table.overrides_applied
    assert plan.table.overridden_models == ("gpt-4o",)
    assert plan.as_dict()["table"]["overrides_applied"] is True
    assert "unit-semantics" in codes(plan)


def test_override_leaves_default_table_unchanged() -> None:
    CapacityTable.load_default().with_overrides({"gpt-4o": {"tpm_per_unit": 2000}})

    plan = plan_capacity(
        Workload(**EXAMPLES[0].workload), model="gpt-4o", deployment_type="GlobalStandard"
    )

    assert plan.capacity == 270
    assert not plan.table.overrides_applied


def test_nested_override_merges_fields() -> None:
    table = CapacityTable.load_default().with_overrides(
        {"gpt-4o": {"provisioned": {"output_input_ratio": 3, "regional": {"ptu_step": 25}}}}
    )

    provisioned = table.constants_for("gpt-4o").provisioned
    assert provisioned is not None
    assert provisioned.output_input_ratio == 3
    assert provisioned.regional.ptu_step == 25
    assert provisioned.regional.minimum_ptu == 50
    assert provisioned.input_tpm_per_ptu == 2500


def test_override_changes_rpm_by_type() -> None:
    table = CapacityTable.load_default().with_overrides(
        {"o4-mini": {"rpm_per_unit_by_deployment_type": {"DataZoneStandard": 6}}}
    )
    workload = Workload(rpm=600, prompt_tokens=10, completion_tokens=1, max_tokens=1)

    plan = standard_plan(workload, model="o4-mini", deployment_type="DataZoneStandard", table=table)

    assert plan.rpm_per_unit == 6
    assert plan.capacity == 100


def test_override_adds_model() -> None:
    table = CapacityTable.load_default().with_overrides(
        {"my-model": {"tpm_per_unit": 1000, "rpm_per_unit": 6}}
    )

    plan = standard_plan(
        Workload(qps=1, prompt_tokens=1000, completion_tokens=100, max_tokens=200),
        model="my-model",
        deployment_type="Standard",
        table=table,
    )

    assert plan.capacity == 72
    assert plan.table.overridden_models == ("my-model",)


def test_overrides_accumulate() -> None:
    table = (
        CapacityTable.load_default()
        .with_overrides({"gpt-4o": {"rpm_per_unit": 7}})
        .with_overrides({"o3": {"rpm_per_unit": 2}})
    )

    assert table.overridden_models == ("gpt-4o", "o3")
    assert table.constants_for("gpt-4o").rpm_per_unit == 7


def test_empty_overrides_keep_table() -> None:
    table = CapacityTable.load_default()

    assert table.with_overrides({}) is table


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"gpt-4o": {"tpm_per_unit": 0}},
            r'overrides\["gpt-4o"\]\.tpm_per_unit: Input should be greater than 0; got 0\.',
        ),
        (
            {"gpt-4o": {"tpm_per_units": 1}},
            r'overrides\["gpt-4o"\]\.tpm_per_units: Extra inputs are not permitted',
        ),
        (
            {"gpt-4o": 1000},
            r'overrides\["gpt-4o"\] must be a mapping of field names to values; got 1000',
        ),
        (
            {"new-model": {"tpm_per_unit": 1000}},
            r'overrides\["new-model"\]\.rpm_per_unit: Field required; got nothing\. '
            r"The model is not in the table",
        ),
        (
            {"gpt-4o": {"rpm_per_unit_by_deployment_type": {"ProvisionedManaged": 2}}},
            r"rpm_per_unit_by_deployment_type keys must be Standard, GlobalStandard "
            r"or DataZoneStandard; got 'ProvisionedManaged'",
        ),
    ],
)
def test_invalid_override_rejected(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(CapacityError, match=message):
        CapacityTable.load_default().with_overrides(overrides)


# ---------------------------------------------------------------------------
# Plan output


def test_standard_plan_dict() -> None:
    plan = plan_capacity(
        Workload(**EXAMPLES[1].workload), model="gpt-4o", deployment_type="GlobalStandard"
    )

    result = plan.as_dict()

    assert result["capacity"] == 918
    assert result["capacity_unit"] == "1000 TPM"
    assert result["counted_tpm"] == 917_280
    assert result["billed_tpm"] == 234_000
    assert result["table"] == {
        "as_of": "2026-05-01",
        "overrides_applied": False,
        "overridden_models": [],
    }
    assert [w["code"] for w in result["warnings"]] == ["max-tokens-inflation"]
    json.dumps(result)


def test_provisioned_plan_dict() -> None:
    plan = plan_capacity(
        Workload(**EXAMPLES[5].workload),
        model="gpt-4o-mini",
        deployment_type="DataZoneProvisionedManaged",
    )

    result = plan.as_dict()

    assert result["capacity"] == 15
    assert result["capacity_unit"] == "PTU"
    assert result["minimum_ptu"] == 15
    assert result["ptu_step"] == 5
    assert result["ptu_raw"] == pytest.approx(42 / 37)
    assert result["utilization"] == pytest.approx(42 / 37 / 15)
    json.dumps(result)


def test_capacity_module_imports_no_cdktf() -> None:
    script = (
        "import sys, constructs_ai.capacity, constructs_ai._capacity_cli; "
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('cdktf', 'jsii', 'constructs')]; "
        "print(loaded)"
    )

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------------------
# Properties

CHAT_MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-5", "o1", "o3-mini", "o4-mini"]
PTU_MODELS = sorted(
    name for name, row in CapacityTable.load_default().models.items() if row.provisioned is not None
)

rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(500), places=2)
factors = st.decimals(min_value=Decimal(1), max_value=Decimal(4), places=2)


@st.composite
def chat_workloads(draw: st.DrawFn, with_max_tokens: bool = True) -> Workload:
    completion_tokens = draw(st.integers(min_value=0, max_value=4000))
    max_tokens = completion_tokens + draw(st.integers(min_value=0, max_value=8000))
    return Workload(
        qps=draw(rates),
        peak_factor=draw(factors),
        prompt_tokens=draw(st.integers(min_value=1, max_value=20_000)),
        completion_tokens=completion_tokens,
        max_tokens=max(max_tokens, 1) if with_max_tokens else None,
        cache_rate=draw(st.decimals(min_value=0, max_value=1, places=2)),
        headroom=draw(factors),
    )


@settings(max_examples=200, deadline=None)
@given(
    workload=chat_workloads(),
    model=st.sampled_from(CHAT_MODELS),
    deployment_type=st.sampled_from(STANDARD_TYPES),
)
def test_standard_capacity_is_smallest_sufficient(
    workload: Workload, model: str, deployment_type: DeploymentType
) -> None:
    plan = standard_plan(workload, model=model, deployment_type=deployment_type)
    headroom = Fraction(workload.headroom)

    assert plan.capacity is not None
    assert plan.counted_tpm is not None
    assert plan.capacity >= 1
    assert plan.capacity * plan.tpm_per_unit >= plan.counted_tpm * headroom
    assert plan.capacity * plan.rpm_per_unit >= plan.peak_rpm * headroom
    smaller = plan.capacity - 1
    assert (
        smaller == 0
        or smaller * plan.tpm_per_unit < plan.counted_tpm * headroom
        or smaller * plan.rpm_per_unit < plan.peak_rpm * headroom
    )


@settings(max_examples=200, deadline=None)
@given(
    workload=chat_workloads(with_max_tokens=False),
    model=st.sampled_from(PTU_MODELS),
    deployment_type=st.sampled_from(PROVISIONED_TYPES),
)
def test_ptu_respects_minimum_and_step(
    workload: Workload, model: str, deployment_type: DeploymentType
) -> None:
    try:
        plan = provisioned_plan(workload, model=model, deployment_type=deployment_type)
    except CapacityError as error:
        assert "per deployment" in str(error)
        return

    assert plan.capacity is not None
    assert plan.capacity >= plan.minimum_ptu
    assert plan.capacity == plan.minimum_ptu or plan.capacity % plan.ptu_step == 0
    assert plan.capacity >= plan.ptu_raw * Fraction(workload.headroom)
    assert 0 <= plan.utilization <= 1


@settings(max_examples=200, deadline=None)
@given(
    workload=chat_workloads(),
    extra_headroom=st.decimals(min_value=0, max_value=2, places=2),
    model=st.sampled_from(PTU_MODELS),
    deployment_type=st.sampled_from(STANDARD_TYPES + PROVISIONED_TYPES),
)
def test_more_headroom_never_lowers_capacity(
    workload: Workload, extra_headroom: Decimal, model: str, deployment_type: DeploymentType
) -> None:
    higher = workload.model_copy(update={"headroom": workload.headroom + extra_headroom})

    try:
        base = plan_capacity(workload, model=model, deployment_type=deployment_type)
        raised = plan_capacity(higher, model=model, deployment_type=deployment_type)
    except CapacityError as error:
        assert "per deployment" in str(error)
        return

    assert base.capacity is not None
    assert raised.capacity is not None
    assert raised.capacity >= base.capacity


@settings(max_examples=100, deadline=None)
@given(
    prompt_tokens=st.integers(min_value=1, max_value=8000),
    qps=rates,
    deployment_type=st.sampled_from(STANDARD_TYPES),
)
def test_embedding_capacity_counts_prompt_only(
    prompt_tokens: int, qps: Decimal, deployment_type: DeploymentType
) -> None:
    workload = Workload(qps=qps, prompt_tokens=prompt_tokens)

    plan = standard_plan(workload, model="text-embedding-3-small", deployment_type=deployment_type)

    assert plan.counted_tpm == plan.billed_tpm == plan.peak_rpm * prompt_tokens
    assert plan.warning_codes() == () or plan.warning_codes() == (WarningCode.REQUEST_BOUND,)
