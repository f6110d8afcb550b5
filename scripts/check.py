"""Security gate: run Checkov over synthesized stacks and apply the in-code suppressions.

Usage: python scripts/check.py [--checkov PATH] STACK_DIR [STACK_DIR ...]

Checkov's `terraform_json` framework reads no inline skips, so suppressions live
in each resource's `//` metadata (`{"checkov": {"skip": [{"id", "comment"}]}}`,
written by `constructs_ai._checkov.skip_check`). This script runs Checkov offline
on each stack folder. A failed check counts as suppressed when the failing
resource declares that check id with a reason. The script prints every
suppression with its reason. It exits 1 on any unsuppressed failure or
suppression without a reason, and raises on a Checkov error. It is development
tooling and not part of the wheel.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_CHECKOV = ".venv-checkov/bin/checkov"
STACK_FILE = "cdk.tf.json"

OFFLINE_ENVIRONMENT = {
    # No Prisma Cloud mapping download and no PyPI version check: the scan runs offline.
    "BC_SKIP_MAPPING": "TRUE",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE",
}


@dataclass(frozen=True)
class Suppression:
    """One check that one resource declares as not applying, and why."""

    address: str
    check_id: str
    reason: str


@dataclass(frozen=True)
class Failure:
    """One failed Checkov check on one resource."""

    address: str
    check_id: str
    check_name: str


@dataclass
class StackResult:
    """The outcome of scanning one stack."""

    name: str
    failures: list[Failure]
    suppressed: list[tuple[Failure, Suppression]]
    unused: list[Suppression]
    invalid: list[Suppression]

    @property
    def passed(self) -> bool:
        return not self.failures and not self.invalid


def read_suppressions(stack: Mapping[str, Any]) -> list[Suppression]:
    """Return the suppressions declared in a synthesized stack's resources."""
    found = []
    for resource_type, by_name in sorted(stack.get("resource", {}).items()):
        for name, body in sorted(by_name.items()):
            skips = body.get("//", {}).get("checkov", {}).get("skip", [])
            for skip in skips:
                found.append(
                    Suppression(
                        address=f"{resource_type}.{name}",
                        check_id=str(skip.get("id", "")),
                        reason=str(skip.get("comment", "")).strip(),
                    )
                )
    return found


def resolve_address(checkov_resource: str, stack: Mapping[str, Any]) -> str:
    """Turn Checkov's resource label into a Terraform address.

    Graph checks report `azurerm_storage_account.datalake`; resource checks on
    Terraform JSON report `resource.datalake`, without the type. The library gives
    every resource a logical id that is unique across types, so the name finds it.
    """
    prefix, _, name = checkov_resource.rpartition(".")
    if prefix != "resource":
        return checkov_resource
    matches = [
        f"{resource_type}.{name}"
        for resource_type, by_name in stack.get("resource", {}).items()
        if name in by_name
    ]
    return matches[0] if len(matches) == 1 else checkov_resource


def classify(
    name: str,
    stack: Mapping[str, Any],
    failed_checks: Iterable[Mapping[str, Any]],
) -> StackResult:
    """Split Checkov's failed checks into suppressed and unsuppressed ones."""
    suppressions = read_suppressions(stack)
    by_key = {(s.address, s.check_id): s for s in suppressions if s.reason}
    result = StackResult(name, [], [], [], [s for s in suppressions if not s.reason])
    used: set[tuple[str, str]] = set()
    for check in failed_checks:
        failure = Failure(
            address=resolve_address(str(check["resource"]), stack),
            check_id=str(check["check_id"]),
            check_name=str(check.get("check_name", "")),
        )
        suppression = by_key.get((failure.address, failure.check_id))
        if suppression is None:
            result.failures.append(failure)
        else:
            result.suppressed.append((failure, suppression))
            used.add((failure.address, failure.check_id))
    result.unused = [s for key, s in sorted(by_key.items()) if key not in used]
    return result


def run_checkov(checkov: str, stack_dir: Path) -> list[dict[str, Any]]:
    """Run Checkov on one stack folder and return its failed checks."""
    command = [
        checkov,
        "--skip-download",
        "--framework",
        "terraform_json",
        "--output",
        "json",
        "--quiet",
        "--directory",
        str(stack_dir),
    ]
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **OFFLINE_ENVIRONMENT},
    )
    # Checkov exits 0 with no failed checks and 1 with some; anything else is an error.
    if completed.returncode not in (0, 1):
        raise RuntimeError(
            f"checkov failed on {stack_dir} with exit code {completed.returncode}:\n"
            f"{completed.stderr.strip()}"
        )
    report = json.loads(completed.stdout or "{}")
    reports = report if isinstance(report, list) else [report]
    failed: list[dict[str, Any]] = []
    for item in reports:
        summary = item.get("summary", {})
        if summary.get("parsing_errors"):
            raise RuntimeError(f"checkov could not parse {stack_dir}: {summary}")
        failed.extend(item.get("results", {}).get("failed_checks", []))
    return failed


def render(results: Sequence[StackResult]) -> str:
    """Render the gate's report: failures first, then every suppression with its reason."""
    lines = []
    for result in results:
        status = "passed" if result.passed else "FAILED"
        lines.append(
            f"{result.name}: {status}: {len(result.failures)} unsuppressed failures, "
            f"{len(result.suppressed)} suppressed"
        )
        for failure in result.failures:
            lines.append(f"  FAIL {failure.check_id} {failure.address}: {failure.check_name}")
        for suppression in result.invalid:
            lines.append(
                f"  FAIL {suppression.check_id} {suppression.address}: suppression has no reason"
            )
        for failure, suppression in result.suppressed:
            lines.append(f"  skip {failure.check_id} {failure.address}: {suppression.reason}")
        for suppression in result.unused:
            lines.append(
                f"  note {suppression.check_id} {suppression.address}: suppression matched "
                "no failed check"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stacks", nargs="+", type=Path, help="synthesized stack folders")
    parser.add_argument("--checkov", default=DEFAULT_CHECKOV, help="checkov executable")
    arguments = parser.parse_args(argv)

    results = []
    for stack_dir in arguments.stacks:
        stack_file = stack_dir / STACK_FILE
        if not stack_file.is_file():
            print(f"error: {stack_file} not found; run `make synth` first", file=sys.stderr)
            return 2
        stack = json.loads(stack_file.read_text("utf-8"))
        results.append(classify(stack_dir.name, stack, run_checkov(arguments.checkov, stack_dir)))

    print(render(results))
    passed = sum(result.passed for result in results)
    # A closing summary line in the form CI logs recognize, counting stacks.
    print(f"checkov: {passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
