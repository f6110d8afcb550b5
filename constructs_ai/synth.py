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
    # Annotation stack traces carry temporary paths of the jsii kernel, which
    # would make manifest.json differ on every run.
    app = App(outdir=str(outdir), skip_validation=False, stack_traces=False)
    for spec in specs:
        AiEnvironmentStack(app, spec.name, spec=spec)
    return app


class OutputFolderError(ValueError):
    """The synth output folder cannot be replaced safely."""


def check_replaceable(target: Path) -> None:
    """Raise OutputFolderError unless `target` is new, empty or a previous synth output.

    The output folder is replaced as a whole, so pointing `--out` at a folder of
    other files (or at the project itself) must fail instead of deleting them.
    """
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputFolderError(
            f"output folder {str(target)!r} is a file; pass --out a folder path such as "
            '"cdktf.out".'
        )
    cwd = Path.cwd().resolve()
    if cwd == target or target in cwd.parents:
        raise OutputFolderError(
            f"output folder {str(target)!r} contains the current folder, and synth replaces "
            'the output folder as a whole; pass --out a folder of its own, such as "cdktf.out".'
        )
    entries = {entry.name for entry in target.iterdir()}
    if entries and not (entries <= SYNTH_OUTPUT_ENTRIES and "manifest.json" in entries):
        raise OutputFolderError(
            f"output folder {str(target)!r} contains files that a synth did not write "
            f"(no cdktf manifest.json, or entries other than {sorted(SYNTH_OUTPUT_ENTRIES)}), "
            "and synth replaces the output folder as a whole; pass --out a new or empty "
            "folder, or remove the folder first."
        )


SYNTH_OUTPUT_ENTRIES = frozenset({"manifest.json", "stacks"})
"""Top-level entries that `App.synth` writes into its output folder."""


def synth_to(specs: Sequence[EnvironmentSpec], outdir: str | Path) -> Path:
    """Synthesize `specs` into `outdir`, replacing it only when synth succeeds.

    The app is written to a fresh sibling folder first. A failure leaves the
    previous output untouched; success swaps the folders with renames. An
    existing `outdir` must be empty or a previous synth output (see
    `check_replaceable`).
    """
    target = Path(outdir).resolve()
    check_replaceable(target)
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
