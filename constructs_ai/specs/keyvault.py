"""Key Vault spec: an RBAC-only, private vault, and the name rules Azure enforces."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from constructs_ai.errors import violation
from constructs_ai.naming import stable_suffix
from constructs_ai.specs._base import SpecModel

KEY_VAULT_NAME_MIN = 3
KEY_VAULT_NAME_MAX = 24

_KEY_VAULT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]$")


def key_vault_name_problem(name: str) -> str | None:
    """Return the rule `name` breaks as a Key Vault name, or None if it is valid."""
    if not KEY_VAULT_NAME_MIN <= len(name) <= KEY_VAULT_NAME_MAX:
        return f"must be {KEY_VAULT_NAME_MIN}-{KEY_VAULT_NAME_MAX} characters long"
    if not name[0].isascii() or not name[0].isalpha():
        return "must start with a letter"
    if not _KEY_VAULT_NAME.match(name):
        return "must contain only letters, digits and hyphens, and end with a letter or digit"
    if "--" in name:
        return "must not contain two hyphens in a row"
    return None


def _check_key_vault_name(name: str) -> str:
    problem = key_vault_name_problem(name)
    if problem is not None:
        raise violation(
            "",
            name,
            f"{problem}: Azure Key Vault names are 3-24 letters, digits and single hyphens, "
            "starting with a letter and ending with a letter or digit",
            'Use a name such as "kv-mlp-dev-01", or remove the field to derive one.',
        )
    return name


KeyVaultName = Annotated[str, AfterValidator(_check_key_vault_name)]
"""A valid Azure Key Vault name. Vault names are globally unique across Azure."""


def derived_key_vault_name(workload: str, environment: str, seed: str) -> str:
    """Return `kv-<workload>-<environment>-<6 hex characters>`, shortened to 24 characters.

    The hash covers the full workload, environment and seed, so shortening the
    readable part never makes two environments share a name.
    """
    suffix = stable_suffix(seed, workload, environment, "keyvault")
    readable = f"kv-{workload}-{environment}"
    room = KEY_VAULT_NAME_MAX - len(suffix) - 1
    return f"{readable[:room].rstrip('-')}-{suffix}"


class KeyVaultSku(StrEnum):
    STANDARD = "standard"
    PREMIUM = "premium"


class KeyVaultSpec(SpecModel):
    """A Key Vault that authorizes with Azure RBAC only and is reached over a private endpoint.

    The vault has no access policies and public network access is off unless
    `public_network_access_enabled` is set.
    """

    name: KeyVaultName | None = None
    """Vault name: 3-24 letters, digits and single hyphens, starting with a letter and
    ending with a letter or digit. Changing it replaces the vault. Default: `null`,
    meaning `kv-<workload>-<environment>-<hash>` shortened to 24 characters."""
    sku: KeyVaultSku = KeyVaultSku.STANDARD
    """Pricing tier; `premium` adds HSM-backed keys. Default: `"standard"`."""
    purge_protection_enabled: bool = True
    """Block purging of the deleted vault and its objects until the soft-delete period
    ends. Azure cannot turn it off again once it is on. Default: `true`."""
    soft_delete_retention_days: Annotated[int, Field(ge=7, le=90)] = 90
    """Days a deleted vault, secret, key or certificate stays recoverable, 7-90. Azure
    sets it once, when the vault is created. Default: `90`."""
    disposable: bool = False
    """Let the environment be destroyed and recreated under the same vault name: the
    provider purges the vault on destroy and recovers a soft-deleted vault on create.
    Requires `purge_protection_enabled` false. Default: `false`."""
    public_network_access_enabled: bool = False
    """Accept traffic from public networks (still RBAC-only). Default: `false`: reach the
    vault over its private endpoint."""

    @model_validator(mode="after")
    def _check_disposable(self) -> KeyVaultSpec:
        if self.disposable and self.purge_protection_enabled:
            raise violation(
                "disposable",
                True,
                "cannot be combined with purge_protection_enabled true, because Azure "
                "refuses to purge a purge-protected vault, so its name stays taken for "
                f"{self.soft_delete_retention_days} days after a destroy",
                "Set purge_protection_enabled to false for a disposable vault, or set "
                "disposable to false to keep the vault protected.",
            )
        return self
