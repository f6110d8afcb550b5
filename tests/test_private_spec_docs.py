"""The new spec models document every optional field's default, and the stated default is real."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from constructs_ai.specs import (
    BastionSpec,
    EnvironmentSpec,
    IdentitySpec,
    KeyVaultSpec,
    NatGatewaySpec,
    NetworkSpec,
    PrivateEndpointsSpec,
    WorkloadIdentitySpec,
)

MODELS = (
    BastionSpec,
    IdentitySpec,
    KeyVaultSpec,
    NatGatewaySpec,
    PrivateEndpointsSpec,
    WorkloadIdentitySpec,
)

_DEFAULT = re.compile(r"Default: `(?P<json>.+?)`", re.DOTALL)


def _optional_fields(model: type[BaseModel]) -> list[str]:
    return [
        name for name, field in model.model_fields.items()
        if field.default is not PydanticUndefined
    ]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_documented_defaults_are_real(model: type[BaseModel]) -> None:
    for name in _optional_fields(model):
        field = model.model_fields[name]
        match = _DEFAULT.search(field.description or "")
        assert match, f"{model.__name__}.{name} does not document its default"

        documented = json.loads(match.group("json"))
        assert documented == _json_default(model, name), f"{model.__name__}.{name}"


def _json_default(model: type[BaseModel], name: str) -> object:
    field = model.model_fields[name]
    value = field.default
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return json.loads(json.dumps(value, default=str))


@pytest.mark.parametrize(
    ("model", "name"),
    [
        (EnvironmentSpec, "key_vault"),
        (EnvironmentSpec, "private_endpoints"),
        (EnvironmentSpec, "identity"),
        (NetworkSpec, "bastion"),
        (NetworkSpec, "nat_gateway"),
    ],
)
def test_new_environment_fields_document_default(model: type[BaseModel], name: str) -> None:
    match = _DEFAULT.search(model.model_fields[name].description or "")

    assert match, f"{model.__name__}.{name} does not document its default"
    assert json.loads(match.group("json")) == _json_default(model, name)
