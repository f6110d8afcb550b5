"""The `constructs-ai` command line: synth, validate, schema, export-spec, capacity.

Built-in environments come from the project's apps package (default `apps`,
imported from the current folder), the same one `main.py` synthesizes.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import constructs_ai  # noqa: F401  (configures the jsii runtime before any cdktf import)
from constructs_ai.errors import SpecError, problems_from
from constructs_ai.specs.environment import EnvironmentSpec

EXIT_INVALID = 1
EXIT_USAGE = 2


def _load_builtin(app_module: str) -> dict[str, EnvironmentSpec]:
    """Import the apps package and return its ENVIRONMENTS mapping."""
    if str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    from pydantic import ValidationError

    try:
        module = importlib.import_module(app_module)
    except ModuleNotFoundError as error:
        if error.name != app_module.split(".")[0]:
            raise
        raise UsageError(
            f"apps package {app_module!r} not found in {Path.cwd()}. Run from the "
            "project root or pass --app MODULE."
        ) from None
    except ValidationError as error:
        spec_error = SpecError(problems_from(error, EnvironmentSpec), f"{app_module} spec")
        raise _InvalidSpecs([spec_error]) from None
    environments = getattr(module, "ENVIRONMENTS", None)
    if not isinstance(environments, dict):
        raise UsageError(
            f"module {app_module!r} defines no ENVIRONMENTS mapping of name to EnvironmentSpec; "
            "pass --app the package that does (default: apps)."
        )
    return environments


class UsageError(Exception):
    """The command line names something that does not exist; exit code 2."""


class SynthFailedError(Exception):
    """Synth rejected the app after the specs were valid; exit code 1."""


class _InvalidSpecs(Exception):
    def __init__(self, errors: list[SpecError]) -> None:
        self.errors = errors


def _select_specs(args: argparse.Namespace) -> list[EnvironmentSpec]:
    specs: list[EnvironmentSpec] = []
    errors: list[SpecError] = []
    if args.env or not args.spec:
        builtin = _load_builtin(args.app)
        for name in args.env or list(builtin):
            if name not in builtin:
                known = ", ".join(builtin)
                raise UsageError(f"unknown environment {name!r}; built-in: {known}.")
            specs.append(builtin[name])
    for path in args.spec or []:
        try:
            specs.append(EnvironmentSpec.from_json_file(path))
        except SpecError as error:
            errors.append(error)
    if errors:
        raise _InvalidSpecs(errors)
    names = [spec.name for spec in specs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise UsageError(
            f"environment names must be unique in one synth; got {repeated} more than "
            "once. Rename the spec or drop the repeated --env/--spec."
        )
    return specs


def _print_errors(errors: Sequence[SpecError]) -> None:
    for error in errors:
        print(f"error: {error}", file=sys.stderr)


def _cmd_synth(args: argparse.Namespace) -> int:
    from constructs_ai.synth import OutputFolderError, check_replaceable, synth_to

    specs = _select_specs(args)
    try:
        check_replaceable(Path(args.out).resolve())
    except OutputFolderError as error:
        raise UsageError(str(error)) from None
    try:
        out = synth_to(specs, args.out)
    except RuntimeError as error:
        # Synth-time validations (the policy guard) fail inside the jsii kernel,
        # which wraps their messages in a RuntimeError with a JavaScript stack.
        raise SynthFailedError(_kernel_message(str(error))) from None
    for spec in specs:
        print(f"synthesized {spec.name}: {out / 'stacks' / spec.name / 'cdk.tf.json'}")
    return 0


def _kernel_message(text: str) -> str:
    """Return the lines of a jsii kernel error that describe the problem, without its stack."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("at ") or stripped.startswith("If you wish to ignore"):
            continue
        if stripped:
            lines.append(stripped.removeprefix("Error: "))
    return "\n  ".join(lines)


def _cmd_validate(args: argparse.Namespace) -> int:
    spec = EnvironmentSpec.from_json_file(args.spec)
    print(f"{args.spec}: environment {spec.name!r} is valid")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(EnvironmentSpec.model_json_schema(), indent=2))
    return 0


def _cmd_export_spec(args: argparse.Namespace) -> int:
    builtin = _load_builtin(args.app)
    if args.env not in builtin:
        known = ", ".join(builtin)
        print(f"error: unknown environment {args.env!r}; built-in: {known}.", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(builtin[args.env].to_json())
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the `constructs-ai` command."""
    parser = argparse.ArgumentParser(
        prog="constructs-ai",
        description="Validate and synthesize Azure AI environments into Terraform JSON.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    synth = commands.add_parser(
        "synth", help="write cdktf.out/stacks/<env>/cdk.tf.json for each environment"
    )
    synth.add_argument(
        "--env",
        action="append",
        metavar="NAME",
        help="built-in environment to synthesize; repeatable (default: all, "
        "unless --spec is given)",
    )
    synth.add_argument(
        "--spec",
        action="append",
        metavar="FILE",
        help="environment spec JSON file to synthesize; repeatable",
    )
    synth.add_argument(
        "--out",
        default="cdktf.out",
        metavar="DIR",
        help="output folder, replaced only when synth succeeds (default: cdktf.out)",
    )
    synth.set_defaults(handler=_cmd_synth)

    validate = commands.add_parser(
        "validate", help="check a spec file and list every problem; exit 1 if any"
    )
    validate.add_argument("--spec", required=True, metavar="FILE", help="spec JSON file to check")
    validate.set_defaults(handler=_cmd_validate)

    schema = commands.add_parser("schema", help="print the JSON Schema of EnvironmentSpec")
    schema.set_defaults(handler=_cmd_schema)

    export = commands.add_parser("export-spec", help="print a built-in environment's spec as JSON")
    export.add_argument(
        "--env", required=True, metavar="NAME", help="built-in environment to print, such as dev"
    )
    export.set_defaults(handler=_cmd_export_spec)

    for command in (synth, export):
        command.add_argument(
            "--app",
            default="apps",
            metavar="MODULE",
            help="package that defines ENVIRONMENTS (default: apps)",
        )

    _add_optional_commands(commands)
    return parser


def _add_optional_commands(commands: Any) -> None:
    try:
        from constructs_ai._capacity_cli import add_capacity_parser, run_capacity
    except ImportError:
        return
    capacity = add_capacity_parser(commands)
    capacity.set_defaults(handler=run_capacity)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except SpecError as error:
        _print_errors([error])
        return EXIT_INVALID
    except _InvalidSpecs as invalid:
        _print_errors(invalid.errors)
        return EXIT_INVALID
    except SynthFailedError as error:
        print(f"error: synth failed; the previous output is unchanged:\n  {error}", file=sys.stderr)
        return EXIT_INVALID
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":
    sys.exit(main())
