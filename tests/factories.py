"""Builders for valid spec data that tests then break one field at a time."""

from __future__ import annotations

import copy
from typing import Any

from apps import ENVIRONMENTS


def spec_data(environment: str = "dev") -> dict[str, Any]:
    """Return a deep copy of a built-in spec as plain JSON data."""
    return copy.deepcopy(ENVIRONMENTS[environment].model_dump(mode="json"))
