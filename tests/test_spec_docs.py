"""Every optional spec field documents its default, and the documented default is the real one."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import BaseModel, TypeAdapter
from pydantic_core import PydanticUndefined

from constructs_ai import specs
from constructs_ai.specs._base import SpecModel

DEFAULT_PATTERN = re.compile(r"Default: `([^`]*)`")


def spec_models() -> list[type[BaseModel]]:
    models = [
        value
        for value in vars(specs).values()
        if isinstance(value, type) and issubclass(value, SpecModel) and value is not SpecModel
    ]
    return sorted(models, key=lambda model: model.__name__)


def optional_fields() -> list[tuple[str, str]]:
    return [
        (model.__name__, name)
        for model in spec_models()
        for name, field in model.model_fields.items()
        if field.default is not PydanticUndefined or field.default_factory is not None
    ]


def test_spec_models_found() -> None:
    assert len(spec_models()) >= 8


@pytest.mark.parametrize(("model_name", "field_name"), optional_fields())
def test_optional_field_documents_real_default(model_name: str, field_name: str) -> None:
    field = getattr(specs, model_name).model_fields[field_name]
    description = field.description or ""

    match = DEFAULT_PATTERN.search(description)
    real = field.get_default(call_default_factory=True)

    assert "Default:" in description, f"{model_name}.{field_name} does not state its default"
    if match is None:
        # A default stated in prose is allowed only where the test can check the
        # prose: a nested model built from its own defaults, or a named table.
        assert _prose_default_holds(model_name, field_name, real)
        return
    real_json = json.loads(TypeAdapter(field.annotation).dump_json(real))
    assert json.loads(match.group(1)) == real_json


def _prose_default_holds(model_name: str, field_name: str, real: object) -> bool:
    from constructs_ai.specs.policy import DEFAULT_NAME_PREFIXES

    if isinstance(real, BaseModel):
        return real == type(real)()
    return (model_name, field_name) == ("PolicySpec", "name_prefixes") and (
        real == DEFAULT_NAME_PREFIXES
    )


@pytest.mark.parametrize("model", spec_models(), ids=lambda model: model.__name__)
def test_every_field_is_documented(model: type[BaseModel]) -> None:
    undocumented = [
        name
        for name, field in model.model_fields.items()
        if not field.description and not _is_model(field.annotation)
    ]

    assert undocumented == []


def _is_model(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)
