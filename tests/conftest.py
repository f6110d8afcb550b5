"""Shared fixtures: the built-in specs and their synthesized stacks, built once per session."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import constructs_ai  # noqa: F401  (configures the jsii runtime before cdktf loads)
from constructs_ai.specs import EnvironmentSpec

ENVIRONMENT_NAMES = ("dev", "staging", "prod")

Stack = dict[str, Any]


@pytest.fixture(scope="session")
def builtin_specs() -> dict[str, EnvironmentSpec]:
    from apps import ENVIRONMENTS

    return dict(ENVIRONMENTS)


@pytest.fixture(scope="session")
def synth_dir(
    builtin_specs: dict[str, EnvironmentSpec], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    from constructs_ai.synth import synth_to

    return synth_to(list(builtin_specs.values()), tmp_path_factory.mktemp("synth") / "cdktf.out")


@pytest.fixture(scope="session")
def stacks(synth_dir: Path) -> dict[str, Stack]:
    """Every built-in environment's cdk.tf.json, parsed."""
    return {
        name: json.loads((synth_dir / "stacks" / name / "cdk.tf.json").read_text())
        for name in ENVIRONMENT_NAMES
    }


@pytest.fixture(scope="session")
def synth_spec() -> Callable[[EnvironmentSpec], Stack]:
    """Synthesize one spec in memory and return its parsed Terraform JSON."""
    from cdktf import Testing

    from constructs_ai.environment import AiEnvironmentStack

    def synth(spec: EnvironmentSpec) -> Stack:
        app = Testing.app()
        stack = AiEnvironmentStack(app, spec.name, spec=spec)
        return json.loads(Testing.synth(stack))

    return synth


def resources_of(stack: Stack, resource_type: str) -> dict[str, dict[str, Any]]:
    """Return the resources of one type, keyed by logical id (empty if none)."""
    return stack.get("resource", {}).get(resource_type, {})


def all_resources(stack: Stack) -> list[tuple[str, str, dict[str, Any]]]:
    """Return (type, logical id, body) for every resource of the stack."""
    return [
        (resource_type, name, body)
        for resource_type, by_name in stack.get("resource", {}).items()
        for name, body in by_name.items()
    ]
