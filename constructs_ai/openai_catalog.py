"""Shipped, dated catalog of Azure OpenAI model availability.

Lists which model versions can be deployed with which deployment type in
which region, from ``constructs_ai/data/openai_catalog.json``. Plain Python
with no cdktf import, so specs check it before any construct exists.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from constructs_ai.capacity import DeploymentType


@dataclass(frozen=True)
class CatalogEntry:
    """One model version and the deployment types and regions that offer it."""

    model: str
    version: str
    deployment_types: frozenset[DeploymentType]
    regions: frozenset[str]


@dataclass(frozen=True)
class OpenAiCatalog:
    """Model availability with the date the facts were gathered."""

    as_of: str
    sources: tuple[str, ...]
    entries: tuple[CatalogEntry, ...]

    def with_entries(self, extra: Iterable[CatalogEntry]) -> OpenAiCatalog:
        """Return a catalog that also lists `extra`, such as a spec's extensions."""
        return OpenAiCatalog(self.as_of, self.sources, (*self.entries, *extra))

    def offers(
        self, model: str, version: str, deployment_type: DeploymentType, region: str
    ) -> bool:
        """Return whether any entry offers the model version with that type in that region."""
        return any(
            entry.model == model
            and entry.version == version
            and deployment_type in entry.deployment_types
            and region in entry.regions
            for entry in self.entries
        )

    def versions_of(self, model: str, deployment_type: DeploymentType, region: str) -> list[str]:
        """Return the versions of a model offered with that type in that region, sorted."""
        return sorted(
            {
                entry.version
                for entry in self.entries
                if entry.model == model
                and deployment_type in entry.deployment_types
                and region in entry.regions
            }
        )

    def regions_of(self, model: str, version: str, deployment_type: DeploymentType) -> list[str]:
        """Return the regions that offer the model version with that type, sorted."""
        return sorted(
            {
                region
                for entry in self.entries
                if entry.model == model
                and entry.version == version
                and deployment_type in entry.deployment_types
                for region in entry.regions
            }
        )


@cache
def openai_catalog() -> OpenAiCatalog:
    """Return the shipped catalog (loaded once)."""
    text = resources.files("constructs_ai.data").joinpath("openai_catalog.json").read_text("utf-8")
    raw = json.loads(text)
    entries = tuple(
        CatalogEntry(
            model=row["model"],
            version=row["version"],
            deployment_types=frozenset(DeploymentType(name) for name in row["deployment_types"]),
            regions=frozenset(row["regions"]),
        )
        for row in raw["entries"]
    )
    return OpenAiCatalog(as_of=raw["as_of"], sources=tuple(raw["sources"]), entries=entries)
