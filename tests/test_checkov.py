"""Security-scan suppressions: declared in code with a reason, applied by scripts/check.py.

The scan itself runs in `make check`; these tests cover the suppressions in the
synthesized JSON and the gate's classification without starting Checkov.
"""

from __future__ import annotations

import re

import pytest

from scripts.check import classify, read_suppressions, render, resolve_address
from tests.conftest import ENVIRONMENT_NAMES, Stack

CHECK_ID = re.compile(r"^CKV2?_[A-Z0-9]+_[0-9]+$")

STACK = {
    "resource": {
        "azurerm_storage_account": {
            "datalake": {
                "//": {
                    "checkov": {"skip": [{"id": "CKV2_AZURE_1", "comment": "keys are managed"}]}
                },
                "name": "st",
            }
        },
        "azurerm_linux_virtual_machine": {
            "gpu_vm": {"//": {"checkov": {"skip": [{"id": "CKV_AZURE_50", "comment": " "}]}}}
        },
    }
}


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_every_suppression_has_id_and_reason(stacks: dict[str, Stack], environment: str) -> None:
    suppressions = read_suppressions(stacks[environment])

    assert suppressions
    for suppression in suppressions:
        assert CHECK_ID.match(suppression.check_id), suppression
        assert len(suppression.reason) >= 20, suppression


def test_only_single_region_lakes_skip_replication_check(stacks: dict[str, Stack]) -> None:
    skipped = {
        name: {s.check_id for s in read_suppressions(stack)} for name, stack in stacks.items()
    }

    assert "CKV_AZURE_206" in skipped["dev"]
    assert "CKV_AZURE_206" in skipped["staging"]
    assert "CKV_AZURE_206" not in skipped["prod"]


def test_resource_label_resolves_to_address() -> None:
    assert resolve_address("resource.datalake", STACK) == "azurerm_storage_account.datalake"
    assert resolve_address("azurerm_storage_account.datalake", STACK) == (
        "azurerm_storage_account.datalake"
    )
    assert resolve_address("resource.unknown", STACK) == "resource.unknown"


def test_classify_separates_suppressed_failures() -> None:
    failed = [
        {"check_id": "CKV2_AZURE_1", "resource": "azurerm_storage_account.datalake"},
        {"check_id": "CKV_AZURE_33", "resource": "resource.datalake", "check_name": "Queue logs"},
    ]

    result = classify("dev", STACK, failed)

    assert [(f.check_id, f.address) for f in result.failures] == [
        ("CKV_AZURE_33", "azurerm_storage_account.datalake")
    ]
    assert [s.check_id for _, s in result.suppressed] == ["CKV2_AZURE_1"]
    assert not result.passed


def test_suppression_without_reason_fails_gate() -> None:
    result = classify("dev", STACK, [])

    assert [s.check_id for s in result.invalid] == ["CKV_AZURE_50"]
    assert [s.check_id for s in result.unused] == ["CKV2_AZURE_1"]
    assert not result.passed
    assert "suppression has no reason" in render([result])


def test_report_lists_each_suppression_with_reason() -> None:
    failed = [{"check_id": "CKV2_AZURE_1", "resource": "azurerm_storage_account.datalake"}]

    report = render([classify("dev", STACK, failed)])

    assert "skip CKV2_AZURE_1 azurerm_storage_account.datalake: keys are managed" in report


def test_skip_check_rejects_missing_reason_and_bad_id() -> None:
    from cdktf import TerraformStack, Testing
    from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup

    from constructs_ai._checkov import skip_check

    group = ResourceGroup(TerraformStack(Testing.app(), "s"), "rg", name="rg-x", location="eastus2")

    with pytest.raises(ValueError, match=r"suppression of CKV_AZURE_1 needs a reason"):
        skip_check(group, "CKV_AZURE_1", "  ")
    with pytest.raises(ValueError, match=r"check id 'AZURE_1' is not a Checkov id"):
        skip_check(group, "AZURE_1", "reason")
