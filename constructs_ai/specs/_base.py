"""The base class every spec model shares."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from constructs_ai.errors import violation


class SpecModel(BaseModel):
    """A frozen spec model that rejects unknown fields.

    Field docstrings become the JSON Schema descriptions, and each optional
    field's docstring states its default as ``Default: `<json value>`.``
    (a test checks that the stated default is the real one).
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        use_attribute_docstrings=True,
        validate_default=True,
    )


_CONTAINER_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


def _check_container_name(name: str) -> str:
    if not (3 <= len(name) <= 63 and _CONTAINER_NAME.match(name) and "--" not in name):
        raise violation(
            "",
            name,
            "must be 3-63 lowercase letters, digits or single hyphens, starting and ending "
            "with a letter or digit",
            'Use a name such as "raw-data".',
        )
    return name


ContainerName = Annotated[str, AfterValidator(_check_container_name)]
"""Blob container or ADLS filesystem name, as Azure Storage allows it."""
