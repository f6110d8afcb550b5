"""Deterministic Azure resource names.

Names that must be globally unique (storage accounts, key vaults) get a short
suffix hashed from stable inputs, so the same spec gives the same name on any
machine and in any subscription, and two environments never collide.
"""

from __future__ import annotations

import hashlib

SUFFIX_LENGTH = 6


def stable_suffix(*parts: str, length: int = SUFFIX_LENGTH) -> str:
    """Return `length` lowercase hex characters hashed from `parts`."""
    digest = hashlib.sha256("/".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def resource_group_name(workload: str, environment: str) -> str:
    return f"rg-{workload}-{environment}"


def storage_account_name(prefix: str, environment: str, seed: str) -> str:
    """Return `<prefix><environment><suffix>`: Azure allows 3-24 lowercase letters and digits."""
    return f"{prefix}{environment}{stable_suffix(seed, prefix, environment, 'storage')}"


def resource_name(kind: str, workload: str, environment: str, name: str = "") -> str:
    """Return a hyphenated name such as `vnet-ml-dev` or `nsg-ml-dev-aks`."""
    parts = [kind, workload, environment]
    if name:
        parts.append(name)
    return "-".join(parts)
