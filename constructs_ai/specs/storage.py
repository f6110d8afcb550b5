"""Data lake spec: an ADLS Gen2 storage account and its filesystems."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from constructs_ai.specs._base import ContainerName, SpecModel


class Replication(StrEnum):
    LRS = "LRS"
    ZRS = "ZRS"
    GRS = "GRS"
    GZRS = "GZRS"
    RAGRS = "RAGRS"
    RAGZRS = "RAGZRS"


class DataLakeSpec(SpecModel):
    """An ADLS Gen2 account (hierarchical namespace) for datasets and checkpoints.

    Blob versioning is not available: Azure does not support it on accounts with
    a hierarchical namespace, and azurerm rejects the combination. Blob and
    container soft delete protect against deletes instead.
    """

    name_prefix: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]{0,11}$")]
    """Start of the account name: 1-12 lowercase letters or digits. The full name is
    `<prefix><environment><6-character hash>`, at most 24 characters. Changing it
    replaces the account."""
    filesystems: Annotated[list[ContainerName], Field(min_length=1)]
    """Filesystems to create, such as `["raw", "curated", "checkpoints"]`."""
    replication: Replication = Replication.ZRS
    """Redundancy. Default: `"ZRS"`."""
    blob_soft_delete_days: Annotated[int, Field(ge=1, le=365)] = 7
    """Days a deleted blob stays recoverable, 1-365. Default: `7`."""
    container_soft_delete_days: Annotated[int, Field(ge=1, le=365)] = 7
    """Days a deleted filesystem stays recoverable, 1-365. Default: `7`."""
    public_network_access_enabled: bool = False
    """Accept traffic from public networks. Terraform then reaches the data plane over
    the internet. Default: `false`: deploy from inside the VNet or over a private
    endpoint."""
