"""Build a cdktf App from specs and write it to disk atomically."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cdktf import App

from constructs_ai.environment import AiEnvironmentStack
from constructs_ai.specs.environment import EnvironmentSpec


def build_app(specs: Sequence[EnvironmentSpec], outdir: str | Path = "cdktf.out") -> App:
    """Return an App with one AiEnvironmentStack per spec, named after the spec."""
    names = [spec.name for spec in specs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(
            f"environment names must be unique within one synth; got {duplicates} more than "
            "once. Rename one of the specs."
        )
    app = App(outdir=str(outdir), skip_validation=False)
    for spec in specs:
        AiEnvironmentStack(app, spec.name, spec=spec)
    return app


def synth_to(specs: Sequence[EnvironmentSpec], outdir: str | Path) -> Path:
    """Synthesize `specs` into `outdir`, replacing it only when synth succeeds.

    The app is written to a fresh sibling folder first. A failure leaves the
    previous output untouched; success swaps the folders with renames.
    """
    target = Path(outdir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        build_app(specs, staging).synth()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = target.with_name(f".{target.name}.old")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    return target
