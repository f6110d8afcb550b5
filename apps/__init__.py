"""The built-in environments: one module per environment, each defining SPEC."""

from __future__ import annotations

from typing import TYPE_CHECKING

import constructs_ai  # noqa: F401  (must load before cdktf: it selects the bundled Node.js)
from apps import dev, prod, staging
from constructs_ai.specs import EnvironmentSpec

if TYPE_CHECKING:
    from cdktf import App

ENVIRONMENTS: dict[str, EnvironmentSpec] = {
    module.SPEC.name: module.SPEC for module in (dev, staging, prod)
}


def create_app(outdir: str = "cdktf.out") -> App:
    """Return the cdktf App with one stack per built-in environment."""
    from constructs_ai.synth import build_app

    return build_app(list(ENVIRONMENTS.values()), outdir)
