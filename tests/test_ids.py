"""Chosen Terraform addresses: readable, and unique within a stack."""

from __future__ import annotations

import pytest

import constructs_ai  # noqa: F401  (configures the jsii runtime before cdktf loads)


def _stack():  # type: ignore[no-untyped-def]
    from cdktf import TerraformStack, Testing

    return TerraformStack(Testing.app(), "ids")


def test_logical_id_joins_and_cleans_parts() -> None:
    from constructs_ai._ids import logical_id

    assert logical_id("nsg", "compute", "rule", "AllowSsh-22") == "nsg_compute_rule_allowssh_22"
    assert logical_id("gpu_vm", "") == "gpu_vm"


def test_duplicate_logical_id_rejected() -> None:
    from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup

    from constructs_ai._ids import set_logical_id

    stack = _stack()
    first = ResourceGroup(stack, "first", name="a", location="swedencentral")
    second = ResourceGroup(stack, "second", name="b", location="swedencentral")
    set_logical_id(first, "rg")

    with pytest.raises(
        ValueError, match=r"logical id 'rg' of ids/second is already used by ids/first"
    ):
        set_logical_id(second, "rg")


def test_same_element_may_set_its_id_again() -> None:
    from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup

    from constructs_ai._ids import set_logical_id

    stack = _stack()
    group = ResourceGroup(stack, "group", name="a", location="swedencentral")

    assert set_logical_id(group, "rg") == "rg"
    assert set_logical_id(group, "rg") == "rg"
