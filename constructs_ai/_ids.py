"""Readable, stable Terraform addresses.

cdktf derives logical ids from the construct path plus a hash, so moving a
construct would move its resources in state. Every resource gets a chosen id
instead, and a stack-wide registry rejects two resources claiming the same one.
"""

from __future__ import annotations

import re

from cdktf import TerraformElement

_INVALID = re.compile(r"[^a-z0-9_]")
_REGISTRY_ATTRIBUTE = "_constructs_ai_logical_ids"


def logical_id(*parts: str) -> str:
    """Join parts into a Terraform-friendly id: `snet`, `aks` -> `snet_aks`."""
    return _INVALID.sub("_", "_".join(part for part in parts if part).lower())


def set_logical_id(element: TerraformElement, *parts: str) -> str:
    """Give `element` the id built from `parts`; raise if the stack already uses it."""
    chosen = logical_id(*parts)
    # Every read of a construct property is a round trip to the jsii kernel, so
    # the registry stores the elements and reads their paths only for the error.
    stack = element.cdktf_stack
    taken: dict[str, TerraformElement] = stack.__dict__.setdefault(_REGISTRY_ATTRIBUTE, {})
    other = taken.get(chosen)
    if other is not None and other is not element:
        raise ValueError(
            f"logical id {chosen!r} of {element.node.path} is already used by "
            f"{other.node.path}; give one of the constructs another key"
        )
    taken[chosen] = element
    element.override_logical_id(chosen)
    return chosen
