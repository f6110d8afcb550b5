"""Detection of secrets pasted into specs.

Specs are committed to Git and written into the synthesized JSON, so a key,
password, token or connection string in any string field would leak. The
patterns are deliberately specific (connection-string keywords, PEM headers,
well-known token formats) so that public SSH keys and ordinary text pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from constructs_ai.errors import Problem

SECRET_VALUE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("a storage account key or connection string",
     re.compile(r"(?i)\b(AccountKey|DefaultEndpointsProtocol)\s*=")),
    ("a shared access key or signature",
     re.compile(r"(?i)\b(SharedAccessKey|SharedAccessSignature)\s*=|[?&]sig=[A-Za-z0-9%+/=]{16,}")),
    ("a password in a connection string", re.compile(r"(?i)\b(password|pwd)\s*=\s*[^;\s]")),
    ("a Microsoft Entra client secret",
     re.compile(r"\b[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}\b")),
    ("a GitHub token", re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,})\b")),
    ("a JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.")),
)
"""Secret formats as (description, pattern) pairs, matched against string values."""

SECRET_KEY_PATTERN = re.compile(
    r"(?i)(password|passwd|secret|access[_-]?key|account[_-]?key|connection[_-]?string|"
    r"api[_-]?key|private[_-]?key|(^|[_-])sas([_-]|$)|(^|[_-])token$)"
)
"""Dictionary keys, such as tag names, that announce a secret value."""


def secret_kind(text: str) -> str | None:
    """Return what kind of secret `text` looks like, or None if it looks like none."""
    for description, pattern in SECRET_VALUE_PATTERNS:
        if pattern.search(text):
            return description
    return None


def redacted(text: str) -> str:
    """Describe a suspected secret without repeating it in an error message."""
    return f"<redacted, {len(text)} characters>"


def secret_problems(model: BaseModel) -> Iterator[Problem]:
    """Yield a problem for every string in `model` that looks like a secret.

    Walks nested models, lists and dictionaries; dictionary keys that name a
    secret (`db-password`) are reported even when the value looks harmless.
    """
    yield from _walk(model, "")


def _walk(value: Any, path: str) -> Iterator[Problem]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            item_path = f'{path}["{key}"]'
            if isinstance(key, str) and SECRET_KEY_PATTERN.search(key):
                yield _problem(item_path, str(item), "is named like a secret")
            else:
                yield from _walk(item, item_path)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")
    elif isinstance(value, str):
        kind = secret_kind(value)
        if kind is not None:
            yield _problem(path, value, f"looks like {kind}")


def _problem(path: str, value: str, rule: str) -> Problem:
    return Problem(
        path,
        redacted(value),
        f"{rule}, and a spec must hold no secrets because it is committed and written "
        "into the synthesized Terraform JSON",
        "Remove it; store the secret in the environment's Key Vault and let the workload "
        "read it with its managed identity.",
    )
