"""The examples in the README and docs synthesize as written."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from constructs_ai.specs import EnvironmentSpec
from tests.conftest import resources_of

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_sandbox_spec_synthesizes(synth_spec) -> None:  # type: ignore[no-untyped-def]
    spec = EnvironmentSpec.from_json_file(EXAMPLES / "sandbox.json")

    stack = synth_spec(spec)

    vm = resources_of(stack, "azurerm_linux_virtual_machine")["gpu_vm"]
    assert vm["size"] == "Standard_NV36ads_A10_v5"
    assert resources_of(stack, "azurerm_resource_group")["rg"]["location"] == "westeurope"


def test_custom_app_writes_its_stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    runpy.run_path(str(EXAMPLES / "custom_app.py"), run_name="__main__")

    assert (tmp_path / "cdktf.out.example" / "stacks" / "sandbox" / "cdk.tf.json").is_file()
