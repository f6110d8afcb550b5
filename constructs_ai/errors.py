"""Validation problems and the error that carries them.

Every problem names the field, the value, the rule it breaks and what to do
instead, so that a failed synth reads like a review comment.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

RULE_ERROR_TYPE = "constructs_ai_rule"


@dataclass(frozen=True)
class Problem:
    """One broken rule: the field path, the offending value, the rule and the fix."""

    field: str
    value: str
    rule: str
    fix: str

    def __str__(self) -> str:
        subject = f"{self.field} " if self.field else ""
        return f"{subject}{self.rule}; got {self.value}. {self.fix}".strip()


def show(value: Any) -> str:
    """Render a value for an error message the way it is written in a spec."""
    if isinstance(value, str):
        return f'"{value}"'
    # JSON spellings, because specs are written in JSON.
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "[" + ", ".join(show(item) for item in value) + "]"
    return str(value)


def rule_error(problems: Iterable[Problem]) -> PydanticCustomError:
    """Build the pydantic error a validator raises for one or more problems.

    The problems travel in the error context so that `problems_from` can give
    each one its own full field path.
    """
    items = list(problems)
    message = "\n".join(str(problem) for problem in items)
    context = {
        "message": message,
        "problems": [
            {"field": p.field, "value": p.value, "rule": p.rule, "fix": p.fix} for p in items
        ],
    }
    return PydanticCustomError(RULE_ERROR_TYPE, "{message}", context)


def violation(field: str, value: Any, rule: str, fix: str) -> PydanticCustomError:
    """Build the pydantic error for a single problem; `value` is rendered with `show`."""
    return rule_error([Problem(field, show(value), rule, fix)])


class SpecError(ValueError):
    """An environment spec, or a file holding one, breaks one or more rules."""

    def __init__(self, problems: list[Problem], source: str = "spec") -> None:
        self.problems = problems
        self.source = source
        lines = "\n".join(f"  - {problem}" for problem in problems)
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{source} is invalid ({count} {noun}):\n{lines}")


_FIXES = {
    "missing": "Add the field.",
    "extra_forbidden": "Remove the field or correct its spelling.",
    "literal_error": "Use one of the listed values.",
    "enum": "Use one of the listed values.",
    "string_pattern_mismatch": "Use a value that matches the pattern; "
    "`constructs-ai schema` describes each field.",
}


def problems_from(error: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """Turn a pydantic ValidationError into problems with full, readable field paths."""
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        path = render_location(model, item["loc"])
        context = item.get("ctx") or {}
        if item["type"] == RULE_ERROR_TYPE:
            for raw in context["problems"]:
                field = _join(path, raw["field"])
                problems.append(Problem(field, raw["value"], raw["rule"], raw["fix"]))
            continue
        fix = _FIXES.get(item["type"], "Correct the value.")
        value = "nothing" if item["type"] == "missing" else show(item.get("input"))
        rule = item["msg"][0].lower() + item["msg"][1:]
        if rule.startswith("value error, "):
            rule = rule.removeprefix("value error, ")
            stated = _STATED.match(rule)
            if stated is not None:
                # The message already gives value and fix, so keep them rather than add
                # a second "; got ...", and drop the field name the path already shows.
                name = str(item["loc"][-1]) if item["loc"] else ""
                rule = stated["rule"].removeprefix(f"{name} ")
                value, fix = stated["value"], stated["fix"]
        problems.append(Problem(path, value, rule, fix))
    return problems


# A message written as "<rule>; got <value>. <fix>", the form `Problem` renders.
_STATED = re.compile(r"^(?P<rule>.+?); got (?P<value>.+?)\. (?P<fix>.+)$", re.DOTALL)


def _join(path: str, field: str) -> str:
    if not field:
        return path
    if not path or field.startswith("["):
        return f"{path}{field}"
    return f"{path}.{field}"


def render_location(model: type[BaseModel], location: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as `network.subnets["aks"].cidr`.

    The model's annotations tell dictionary keys (rendered `["key"]`) from
    attribute names, which pydantic's location tuple does not.
    """
    path = ""
    current: Any = model
    for part in location:
        current = _unwrap_optional(current)
        origin = typing.get_origin(current)
        if isinstance(part, int):
            path += f"[{part}]"
            args = typing.get_args(current)
            current = args[0] if args else Any
        elif origin is dict:
            path += f'["{part}"]'
            current = typing.get_args(current)[1]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            path = f"{path}.{part}" if path else part
            current = field.annotation if field else Any
        else:
            # Tags of validator functions or unions that carry no field name.
            continue
    return path


def _unwrap_optional(annotation: Any) -> Any:
    """Return X for `X | None`, otherwise the annotation itself."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
    if origin is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation
