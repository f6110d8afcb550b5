"""Readable, stable Terraform addresses.

cdktf derives logical ids from the construct path plus a hash, so moving a
construct would move its resources in state. Every resource gets a chosen id
instead, and a stack-wide registry rejects two resources claiming the same one.
"""

from __future__ import annotations

import re

from cdktf import TerraformElement, TerraformStack

_INVALID = re.compile(r"[^a-z0-9_]")
_REGISTRY_ATTRIBUTE = "_constructs_ai_logical_ids"


def logical_id(*parts: str) -> str:
    """Join parts into a Terraform-friendly id: `snet`, `aks` -> `snet_aks`."""
    return _INVALID.sub("_", "_".join(part for part in parts if part).lower())


def set_logical_id(element: TerraformElement, *parts: str) -> str:
    """Give `element` the id built from `parts`; raise if the stack already uses it."""
    chosen = logical_id(*parts)
    stack = TerraformStack.of(element)
    taken: dict[str, str] = stack.__dict__.setdefault(_REGISTRY_ATTRIBUTE, {})
    path = element.node.path
    if chosen in taken and taken[chosen] != path:
        raise ValueError(
            f"logical id {chosen!r} of {path} is already used by {taken[chosen]}; "
            "give one of the constructs another key"
        )
    taken[chosen] = path
    element.override_logical_id(chosen)
    return chosen
