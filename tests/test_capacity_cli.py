"""Tests for the ``capacity`` subcommand: parsing, JSON and text output, exit codes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from constructs_ai._capacity_cli import add_capacity_parser, run_capacity

GPT_4O = [
    "capacity",
    "--model", "gpt-4o",
    "--deployment-type", "GlobalStandard",
    "--qps", "2",
    "--peak-factor", "1.5",
    "--prompt-tokens", "1000",
    "--completion-tokens", "300",
]  # fmt: skip
GPT_41_PTU = [
    "capacity",
    "--model", "gpt-4.1",
    "--deployment-type", "GlobalProvisionedManaged",
    "--qps", "10",
    "--peak-factor", "1.5",
    "--prompt-tokens", "2000",
    "--completion-tokens", "400",
]  # fmt: skip


@pytest.fixture
def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="constructs-ai")
    subparsers = root.add_subparsers(dest="command", required=True)
    add_capacity_parser(subparsers)
    return root


def run(
    parser: argparse.ArgumentParser, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    code = run_capacity(parser.parse_args(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(
    parser: argparse.ArgumentParser, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, Any]]:
    code, out, _ = run(parser, [*argv, "--json"], capsys)
    return code, json.loads(out)


def test_json_standard_plan(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result = run_json(parser, [*GPT_4O, "--max-tokens", "500"], capsys)

    assert code == 0
    assert result["capacity"] == 270
    assert result["capacity_unit"] == "1000 TPM"
    assert result["deployment_type"] == "GlobalStandard"
    assert result["counted_tpm"] == 270_000
    assert result["counted_rpm"] == 180
    assert result["billed_tpm"] == 234_000
    assert result["tpm_limit"] == 270_000
    assert result["rpm_limit"] == 1620
    assert result["table"]["as_of"] == "2026-05-01"
    assert result["table"]["overrides_applied"] is False
    assert result["warnings"] == []


def test_json_warning_objects(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result = run_json(parser, [*GPT_4O, "--max-tokens", "4096"], capsys)

    assert code == 0
    assert result["capacity"] == 918
    assert len(result["warnings"]) == 1
    assert set(result["warnings"][0]) == {"code", "message"}
    assert result["warnings"][0]["code"] == "max-tokens-inflation"
    assert "3.9 times" in result["warnings"][0]["message"]


def test_json_provisioned_plan(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result = run_json(parser, GPT_41_PTU, capsys)

    assert code == 0
    assert result["capacity"] == 1080
    assert result["capacity_unit"] == "PTU"
    assert result["ptu_raw"] == 1080
    assert result["utilization"] == 1
    assert result["minimum_ptu"] == 15
    assert result["ptu_step"] == 5
    assert [w["code"] for w in result["warnings"]] == ["ptu-near-full"]


def test_json_missing_max_tokens(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    code, result = run_json(parser, GPT_4O, capsys)

    assert code == 1
    assert result["capacity"] is None
    assert result["counted_tpm"] is None
    assert result["capacity_lower_bound"] == 234
    assert [w["code"] for w in result["warnings"]] == ["missing-max-tokens"]


def test_json_given_capacity_burst(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [*GPT_4O, "--max-tokens", "500", "--capacity", "20"]

    code, result = run_json(parser, argv, capsys)

    assert code == 0
    assert result["capacity"] == 20
    assert result["capacity_given"] is True
    assert result["required_capacity"] == 270
    assert [w["code"] for w in result["warnings"]] == ["burst", "capacity-below-required"]


def test_text_output_table(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        parser, [*GPT_4O, "--max-tokens", "4096", "--version", "2024-11-20"], capsys
    )

    assert code == 0
    assert err == ""
    assert out.startswith(
        "gpt-4o version 2024-11-20 on GlobalStandard (constants as of 2026-05-01)"
    )
    assert "918 units of 1,000 TPM" in out
    assert "917,280" in out
    assert "[max-tokens-inflation]" in out


def test_text_output_provisioned(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(parser, GPT_41_PTU, capsys)

    assert code == 0
    assert "1,080" in out
    assert "peak utilization" in out
    assert "100%" in out


def test_text_output_missing_max_tokens(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(parser, GPT_4O, capsys)

    assert code == 1
    assert "unknown (needs --max-tokens)" in out
    assert "[missing-max-tokens]" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--cache-rate", "1.5"], "--cache-rate: cache_rate must be between 0 and 1; got 1.5."),
        (["--headroom", "0.5"], "--headroom: headroom must be at least 1; got 0.5."),
        (["--max-tokens", "100"], "completion_tokens must not exceed max_tokens"),
        (["--prompt-tokens", "0"], "--prompt-tokens: prompt_tokens must be at least 1; got 0."),
        (
            ["--peak-factor", "nan"],
            "--peak-factor: Input should be a finite number; got Decimal('NaN').",
        ),
    ],
)
def test_invalid_value_exits_1(
    parser: argparse.ArgumentParser,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    code, out, err = run(parser, [*GPT_4O, *extra], capsys)

    assert code == 1
    assert out == ""
    assert message in err


@pytest.mark.parametrize(
    ("model", "deployment_type", "message"),
    [
        ("gpt-4o", "GlobalBatch", "deployment_type GlobalBatch is not supported"),
        ("gpt-9", "Standard", "model 'gpt-9' is not in the capacity table"),
        (
            "text-embedding-3-small",
            "GlobalProvisionedManaged",
            "has no provisioned throughput constants",
        ),
    ],
)
def test_planner_error_exits_1(
    parser: argparse.ArgumentParser,
    capsys: pytest.CaptureFixture[str],
    model: str,
    deployment_type: str,
    message: str,
) -> None:
    argv = [
        "capacity", "--model", model, "--deployment-type", deployment_type,
        "--rpm", "60", "--prompt-tokens", "100",
    ]  # fmt: skip
    if not model.startswith("text-embedding"):
        argv += ["--completion-tokens", "10", "--max-tokens", "20"]

    code, out, err = run(parser, argv, capsys)

    assert code == 1
    assert out == ""
    assert err.startswith("constructs-ai capacity: ")
    assert message in err


@pytest.mark.parametrize(
    "argv",
    [
        ["capacity", "--deployment-type", "Standard", "--qps", "1", "--prompt-tokens", "1"],
        ["capacity", "--model", "gpt-4o", "--deployment-type", "Premium", "--qps", "1",
         "--prompt-tokens", "1"],
        ["capacity", "--model", "gpt-4o", "--deployment-type", "Standard", "--qps", "1",
         "--rpm", "60", "--prompt-tokens", "1"],
        ["capacity", "--model", "gpt-4o", "--deployment-type", "Standard", "--prompt-tokens", "1"],
        ["capacity", "--model", "gpt-4o", "--deployment-type", "Standard", "--qps", "fast",
         "--prompt-tokens", "1"],
        ["capacity", "--model", "gpt-4o", "--deployment-type", "Standard", "--qps", "1",
         "--prompt-tokens", "1.5"],
    ],
    ids=["missing model", "unknown type", "qps and rpm", "no rate", "rate not a number",
         "tokens not a whole number"],
)  # fmt: skip
def test_usage_error_exits_2(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(argv)

    assert exit_info.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_overrides_file_applied(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    overrides = tmp_path / "overrides.json"
    overrides.write_text(json.dumps({"gpt-4o": {"tpm_per_unit": 2000}}), encoding="utf-8")

    code, result = run_json(
        parser, [*GPT_4O, "--max-tokens", "500", "--overrides", str(overrides)], capsys
    )

    assert code == 0
    assert result["capacity"] == 135
    assert result["table"]["overrides_applied"] is True
    assert result["table"]["overridden_models"] == ["gpt-4o"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "must contain a JSON object keyed by model name; got list"),
        ('{"gpt-4o": {"tpm_per_unit": -1}}', 'overrides["gpt-4o"].tpm_per_unit'),
    ],
)
def test_invalid_overrides_file_exits_1(
    parser: argparse.ArgumentParser,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: str,
    message: str,
) -> None:
    overrides = tmp_path / "overrides.json"
    overrides.write_text(content, encoding="utf-8")

    code, out, err = run(parser, [*GPT_4O, "--overrides", str(overrides)], capsys)

    assert code == 1
    assert out == ""
    assert message in err


def test_missing_overrides_file_exits_1(
    parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(parser, [*GPT_4O, "--overrides", str(tmp_path / "absent.json")], capsys)

    assert code == 1
    assert "could not be read: No such file or directory" in err


def test_table_uses_singular_for_one_unit() -> None:
    from constructs_ai._capacity_cli import _show_units

    assert _show_units(1, 1000) == "1 unit of 1,000 TPM"
    assert _show_units(2, 1000) == "2 units of 1,000 TPM"
