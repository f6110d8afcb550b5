"""The ``constructs-ai capacity`` subcommand: size or check one Azure OpenAI deployment.

Exit codes of ``run_capacity``:

- 0: the plan was printed with a capacity.
- 1: a value is invalid (out of range, unknown model, batch deployment type,
  unreadable overrides file), and the message goes to stderr. Also 1 when the
  capacity could not be computed because ``--max-tokens`` is missing. The plan
  is then still printed, with a null capacity and a ``missing-max-tokens`` warning.
- 2: usage errors, which argparse reports before ``run_capacity`` runs: a
  missing or unknown option, a number that does not parse, an unknown
  deployment type, or both or neither of ``--qps`` and ``--rpm``.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from constructs_ai.capacity import (
    CapacityError,
    CapacityPlan,
    CapacityTable,
    DeploymentType,
    ProvisionedPlan,
    StandardPlan,
    Workload,
    format_number,
    format_percent,
    plan_capacity,
)

_PROGRAM = "constructs-ai capacity"

# Workload fields and the options that set them, so errors name the option.
_OPTION_FOR_FIELD = {
    "qps": "--qps",
    "rpm": "--rpm",
    "peak_factor": "--peak-factor",
    "prompt_tokens": "--prompt-tokens",
    "completion_tokens": "--completion-tokens",
    "max_tokens": "--max-tokens",
    "best_of": "--best-of",
    "n": "--n",
    "cache_rate": "--cache-rate",
    "headroom": "--headroom",
}


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def add_capacity_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Register the ``capacity`` subcommand and return its parser."""
    parser = subparsers.add_parser(
        "capacity",
        help="size the sku.capacity of an Azure OpenAI deployment from a workload",
        description=(
            "Size the sku.capacity of an Azure OpenAI deployment: units of the model's "
            "TPM size for Standard-family types, PTUs for provisioned types. Exit codes: "
            "0 planned, 1 invalid value or capacity not computable (missing --max-tokens), "
            "2 usage error."
        ),
    )
    _add_deployment_arguments(parser)
    _add_workload_arguments(parser)
    _add_constants_and_output_arguments(parser)
    return parser


def _add_deployment_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", required=True, help="model name as Azure spells it, such as gpt-4o"
    )
    parser.add_argument(
        "--version",
        dest="model_version",
        metavar="VERSION",
        help="model version, reported in the plan (constants are per model, not per version)",
    )
    parser.add_argument(
        "--deployment-type",
        required=True,
        choices=[member.value for member in DeploymentType],
        metavar="TYPE",
        help="azurerm sku.name of the deployment: "
        + ", ".join(member.value for member in DeploymentType),
    )
    parser.add_argument(
        "--capacity",
        type=int,
        metavar="N",
        help="check this sku.capacity (units or PTUs) against the workload instead of sizing one",
    )


def _add_workload_arguments(parser: argparse.ArgumentParser) -> None:
    rate = parser.add_mutually_exclusive_group(required=True)
    rate.add_argument("--qps", type=_decimal, metavar="QPS", help="average requests per second")
    rate.add_argument("--rpm", type=_decimal, metavar="RPM", help="average requests per minute")
    parser.add_argument(
        "--peak-factor",
        type=_decimal,
        metavar="FACTOR",
        help="peak rate over average rate (default: 1)",
    )
    parser.add_argument(
        "--prompt-tokens",
        type=int,
        metavar="N",
        required=True,
        help="average prompt tokens per request",
    )
    parser.add_argument(
        "--completion-tokens",
        type=int,
        metavar="N",
        help="average completion tokens per request; required for chat models",
    )
    parser.add_argument(
        "--max-tokens",
        type=int,
        metavar="N",
        help="max_tokens that clients send; Standard-family chat deployments need it",
    )
    parser.add_argument(
        "--best-of", type=int, metavar="N", help="best_of that clients send (default: 1)"
    )
    parser.add_argument("--n", type=int, metavar="N", help="n that clients send (default: 1)")
    parser.add_argument(
        "--cache-rate",
        type=_decimal,
        metavar="RATE",
        help="share of prompt tokens served from the prompt cache, 0 to 1 (default: 0)",
    )
    parser.add_argument(
        "--headroom",
        type=_decimal,
        metavar="FACTOR",
        help="multiplier on peak demand, at least 1; 1.2 sizes 20%% above peak (default: 1)",
    )


def _add_constants_and_output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--overrides",
        type=Path,
        metavar="FILE",
        help='JSON file of per-model constant overrides, such as {"gpt-4o": {"rpm_per_unit": 10}}',
    )
    parser.add_argument("--json", action="store_true", help="print the plan as one JSON object")


def run_capacity(args: argparse.Namespace) -> int:
    """Print the capacity plan for parsed ``capacity`` arguments and return the exit code."""
    try:
        table = _load_table(args.overrides)
        workload = Workload(**_workload_fields(args))
        plan = plan_capacity(
            workload,
            model=args.model,
            model_version=args.model_version,
            deployment_type=args.deployment_type,
            capacity=args.capacity,
            table=table,
        )
    except ValidationError as error:
        for line in _describe_validation_error(error):
            print(f"{_PROGRAM}: {line}", file=sys.stderr)
        return 1
    except CapacityError as error:
        print(f"{_PROGRAM}: {error}", file=sys.stderr)
        return 1

    if args.json:
        print(json.dumps(plan.as_dict(), indent=2))
    else:
        print(render_plan(plan))
    return 0 if plan.capacity is not None else 1


def _workload_fields(args: argparse.Namespace) -> dict[str, Any]:
    # Options left unset fall back to the Workload defaults.
    fields = {field: getattr(args, field) for field in _OPTION_FOR_FIELD}
    return {field: value for field, value in fields.items() if value is not None}


def _load_table(path: Path | None) -> CapacityTable:
    table = CapacityTable.load_default()
    if path is None:
        return table

    try:
        overrides = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CapacityError(
            f"--overrides file {str(path)!r} could not be read: {error.strerror}. Check the path."
        ) from error
    except json.JSONDecodeError as error:
        raise CapacityError(
            f"--overrides file {str(path)!r} is not valid JSON: {error}. Fix the file."
        ) from error
    if not isinstance(overrides, dict):
        raise CapacityError(
            f"--overrides file {str(path)!r} must contain a JSON object keyed by model name; "
            f"got {type(overrides).__name__}. Use an object such as "
            '{"gpt-4o": {"rpm_per_unit": 10}}.'
        )
    return table.with_overrides(overrides)


def _describe_validation_error(error: ValidationError) -> list[str]:
    lines = []
    for item in error.errors(include_url=False):
        message = str(item["msg"]).removeprefix("Value error, ")
        field = str(item["loc"][0]) if item["loc"] else ""
        option = _OPTION_FOR_FIELD.get(field)
        if item["type"] == "value_error":
            # Workload messages already name the field, value and fix.
            prefix = f"{option}: " if option else ""
            lines.append(f"{prefix}{message}")
        else:
            lines.append(f"{option or field}: {message}; got {item.get('input')!r}.")
    return lines


def render_plan(plan: CapacityPlan) -> str:
    """Return the plan as a readable table, followed by its warnings."""
    version = f" version {plan.model_version}" if plan.model_version else ""
    table = plan.table
    source = f"constants as of {table.as_of.isoformat()}"
    if table.overrides_applied:
        source += f", overridden for {', '.join(table.overridden_models)}"
    header = f"{plan.model}{version} on {plan.deployment_type.value} ({source})"

    rows = _standard_rows(plan) if isinstance(plan, StandardPlan) else _provisioned_rows(plan)
    width = max(len(label) for label, _ in rows)
    lines = [header]
    lines.extend(f"  {label.ljust(width)}  {value}" for label, value in rows)

    if plan.warnings:
        lines.append("warnings:")
        lines.extend(f"  [{warning.code.value}] {warning.message}" for warning in plan.warnings)
    else:
        lines.append("warnings: none")
    return "\n".join(lines)


def _show(value: Fraction | int | None, unknown: str = "unknown (needs --max-tokens)") -> str:
    return unknown if value is None else format_number(value)


def _show_units(capacity: int | None, tpm_per_unit: int) -> str:
    if capacity is None:
        return _show(capacity)
    unit = "unit" if capacity == 1 else "units"
    return f"{format_number(capacity)} {unit} of {format_number(tpm_per_unit)} TPM"


def _standard_rows(plan: StandardPlan) -> list[tuple[str, str]]:
    capacity_label = "capacity (given)" if plan.capacity_given else "capacity"
    rows = [
        ("peak requests per minute", format_number(plan.peak_rpm)),
        ("counted tokens per request", _show(plan.counted_tokens_per_request)),
        ("counted TPM", _show(plan.counted_tpm)),
        ("billed TPM", format_number(plan.billed_tpm)),
        ("units for tokens", _show(plan.units_for_tokens)),
        (
            f"units for requests ({plan.rpm_per_unit} RPM/unit)",
            format_number(plan.units_for_requests),
        ),
        ("required capacity", _show(plan.required_capacity)),
        (capacity_label, _show_units(plan.capacity, plan.tpm_per_unit)),
    ]
    if plan.tpm_limit is not None and plan.rpm_limit is not None:
        rows.append(
            ("limits", f"{format_number(plan.tpm_limit)} TPM, {format_number(plan.rpm_limit)} RPM")
        )
    else:
        rows.append(("capacity lower bound", format_number(plan.capacity_lower_bound)))
    return rows


def _provisioned_rows(plan: ProvisionedPlan) -> list[tuple[str, str]]:
    capacity_label = "PTU (given)" if plan.capacity_given else "PTU"
    return [
        ("peak requests per minute", format_number(plan.peak_rpm)),
        ("normalized TPM", format_number(plan.normalized_tpm)),
        ("input TPM per PTU", format_number(plan.input_tpm_per_ptu)),
        ("PTU before rounding", format_number(plan.ptu_raw)),
        ("minimum and step", f"{plan.minimum_ptu} PTU, step {plan.ptu_step}"),
        ("required PTU", _show(plan.required_capacity)),
        (capacity_label, _show(plan.capacity)),
        ("peak utilization", format_percent(plan.utilization)),
    ]
