"""Data governance spec: a Microsoft Purview account."""

from __future__ import annotations

from constructs_ai.specs._base import SpecModel


class PurviewSpec(SpecModel):
    """A Microsoft Purview account with public network access disabled and a managed identity."""

    managed_event_hub_enabled: bool = False
    """Create the managed Event Hubs namespace for Atlas Kafka notifications.
    Default: `false`."""


PURVIEW_DNS_ZONES = ("privatelink.purview.azure.com", "privatelink.purviewstudio.azure.com")
"""Private DNS zones of a Purview account's `account` and `portal` endpoints."""
