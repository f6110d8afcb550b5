"""Shipped, dated catalogs of Azure facts: VM sizes and regions.

Plain Python with no cdktf import, so specs can validate against it before
any construct exists. The data lives in ``constructs_ai/data/*.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

EPHEMERAL_OS_DISK_MAX_GIB = 2048
"""Azure's upper limit for an ephemeral OS disk, whatever the local storage."""


@dataclass(frozen=True)
class VmSize:
    """One Azure VM size with the facts validation and quota checks need."""

    name: str
    series: str
    quota_family: str
    """Name of the subscription vCPU quota this size counts against."""
    vcpus: int
    memory_gib: float
    gpu_count: float
    """GPUs per VM; fractional for partial-GPU sizes such as NV6ads_A10_v5."""
    gpu_model: str | None
    gpu_memory_gib: float | None
    premium_storage: bool
    accelerated_networking: bool
    hyper_v_generations: tuple[str, ...]
    temp_disk_gib: int = 0
    """Local temp (resource) disk in GiB; 0 when the size has none."""
    ephemeral_os_disk_supported: bool = False
    """Whether the series supports an ephemeral OS disk at all."""

    @property
    def is_gpu(self) -> bool:
        return self.gpu_count > 0

    @property
    def ephemeral_os_disk_max_gib(self) -> int:
        """Largest ephemeral OS disk the size can hold on its temp disk; 0 when it cannot.

        Azure caps an ephemeral OS disk at 2 TiB (Ephemeral OS disks FAQ).
        """
        if not self.ephemeral_os_disk_supported:
            return 0
        return min(self.temp_disk_gib, EPHEMERAL_OS_DISK_MAX_GIB)


@dataclass(frozen=True)
class VmSizeCatalog:
    """VM sizes in the shipped catalog, with the date the facts were gathered."""

    as_of: str
    sizes: dict[str, VmSize]

    def get(self, name: str) -> VmSize | None:
        return self.sizes.get(name)

    def gpu_size_names(self) -> list[str]:
        return sorted(name for name, size in self.sizes.items() if size.is_gpu)

    def non_gpu_size_names(self) -> list[str]:
        return sorted(name for name, size in self.sizes.items() if not size.is_gpu)


def _load_json(name: str) -> Any:
    return json.loads(resources.files("constructs_ai.data").joinpath(name).read_text("utf-8"))


@cache
def vm_sizes() -> VmSizeCatalog:
    """Return the shipped VM size catalog (loaded once)."""
    raw = _load_json("vm_sizes.json")
    sizes = {
        row["name"]: VmSize(
            name=row["name"],
            series=row["series"],
            quota_family=row["quota_family"],
            vcpus=row["vcpus"],
            memory_gib=row["memory_gib"],
            gpu_count=row["gpu_count"],
            gpu_model=row["gpu_model"],
            gpu_memory_gib=row["gpu_memory_gib"],
            premium_storage=row["premium_storage"],
            accelerated_networking=row["accelerated_networking"],
            hyper_v_generations=tuple(row["hyper_v_generations"]),
            temp_disk_gib=row.get("temp_disk_gib", 0),
            ephemeral_os_disk_supported=row.get("ephemeral_os_disk_supported", False),
        )
        for row in raw["sizes"]
    }
    return VmSizeCatalog(as_of=raw["as_of"], sizes=sizes)


@cache
def regions() -> frozenset[str]:
    """Return the Azure public-cloud region names this library accepts."""
    return frozenset(_load_json("regions.json")["regions"])
