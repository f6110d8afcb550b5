"""The built-in environments: one module per environment, each defining SPEC."""

from __future__ import annotations

from cdktf import App

from apps import dev, prod, staging
from constructs_ai.specs import EnvironmentSpec
from constructs_ai.synth import build_app

ENVIRONMENTS: dict[str, EnvironmentSpec] = {
    module.SPEC.name: module.SPEC for module in (dev, staging, prod)
}


def create_app(outdir: str = "cdktf.out") -> App:
    """Return the cdktf App with one stack per built-in environment."""
    return build_app(list(ENVIRONMENTS.values()), outdir)
