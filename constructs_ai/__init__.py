"""Typed CDK for Terraform constructs for Azure AI environments.

Importing this package configures the jsii runtime (bundled Node.js, light
azurerm bindings) but loads no cdktf code: specs, catalogs and the capacity
planner stay fast to import. Construct classes load on first access.
"""

from __future__ import annotations

import importlib
from typing import Any

from constructs_ai import _runtime

_runtime.configure()

_LAZY_EXPORTS = {
    "AiEnvironmentStack": "constructs_ai.environment",
    "AksCluster": "constructs_ai.kubernetes",
    "ContainerRegistry": "constructs_ai.registry",
    "DataLake": "constructs_ai.storage",
    "GpuVirtualMachine": "constructs_ai.compute",
    "ManagedIdentity": "constructs_ai.identity",
    "BuiltinRole": "constructs_ai.identity",
    "Network": "constructs_ai.network",
    "build_app": "constructs_ai.synth",
    "synth_to": "constructs_ai.synth",
    "EnvironmentSpec": "constructs_ai.specs",
    "SpecError": "constructs_ai.errors",
}

__all__ = sorted(_LAZY_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _LAZY_EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'constructs_ai' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
