"""Cross-cutting rules applied to every resource of a stack during synth."""

from __future__ import annotations

from collections.abc import Mapping

import jsii
from cdktf import IAspect, TerraformResource
from constructs import IConstruct


@jsii.implements(IAspect)
class RequiredTagsAspect:
    """Write the environment's tags on every resource type that accepts `tags`.

    Tags a construct set itself are kept; the required ones always win, so no
    construct can drop or change `environment`, `owner` and the others.
    """

    def __init__(self, tags: Mapping[str, str]) -> None:
        self._tags = dict(tags)

    def visit(self, node: IConstruct) -> None:
        if not isinstance(node, TerraformResource) or not is_taggable(node):
            return
        existing = getattr(node, "tags_input", None) or {}
        node.tags = {**existing, **self._tags}  # type: ignore[attr-defined]


def is_taggable(resource: TerraformResource) -> bool:
    """Return whether the resource's azurerm schema has a `tags` argument."""
    return isinstance(getattr(type(resource), "tags", None), property)
