"""Data governance: a Microsoft Purview account."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.purview_account import PurviewAccount, PurviewAccountIdentity
from constructs import Construct

from constructs_ai._ids import set_logical_id
from constructs_ai.refs import PrivateLinkTarget, ResourceGroupRef
from constructs_ai.specs.governance import PURVIEW_DNS_ZONES, PurviewSpec


class Purview(Construct):
    """A Microsoft Purview account with public network access off and a managed identity."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: PurviewSpec,
        name: str,
        resource_group: ResourceGroupRef,
    ) -> None:
        super().__init__(scope, construct_id)
        self.resource = PurviewAccount(
            self,
            "account",
            name=name,
            location=resource_group.location,
            resource_group_name=resource_group.name,
            identity=PurviewAccountIdentity(type="SystemAssigned"),
            public_network_enabled=False,
            managed_event_hub_enabled=spec.managed_event_hub_enabled,
        )
        set_logical_id(self.resource, "purview")

    @property
    def id(self) -> str:
        return self.resource.id

    def private_link_targets(self) -> list[PrivateLinkTarget]:
        """Return the account and portal private endpoints."""
        return [
            PrivateLinkTarget(
                "purview_account", self.resource.id, "account", (PURVIEW_DNS_ZONES[0],)
            ),
            PrivateLinkTarget(
                "purview_portal",
                self.resource.id,
                "portal",
                (PURVIEW_DNS_ZONES[1],),
            ),
        ]
