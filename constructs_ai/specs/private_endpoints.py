"""Private endpoint spec and the Private Link DNS zones each subresource uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, model_validator

from constructs_ai.errors import Problem, rule_error, show, violation
from constructs_ai.specs._base import SpecModel
from constructs_ai.specs.network import SubnetKey

PRIVATE_DNS_ZONES: dict[str, tuple[str, ...]] = {
    "blob": ("privatelink.blob.core.windows.net",),
    "dfs": ("privatelink.dfs.core.windows.net",),
    "file": ("privatelink.file.core.windows.net",),
    "queue": ("privatelink.queue.core.windows.net",),
    "table": ("privatelink.table.core.windows.net",),
    "vault": ("privatelink.vaultcore.azure.net",),
    "registry": ("privatelink.azurecr.io",),
    "account": (
        "privatelink.cognitiveservices.azure.com",
        "privatelink.openai.azure.com",
        "privatelink.services.ai.azure.com",
    ),
    "amlworkspace": ("privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"),
}
"""Private DNS zones of each Private Link subresource (group id), from Azure's
"Azure Private Endpoint private DNS zone values" page (public cloud). A registry's
regional data endpoints share `privatelink.azurecr.io`. An AI services account
(`account`) uses up to three zones: OpenAI-kind accounts need only
`privatelink.openai.azure.com`, other Cognitive Services kinds
`privatelink.cognitiveservices.azure.com`."""

KNOWN_PRIVATE_DNS_ZONES = frozenset(zone for zones in PRIVATE_DNS_ZONES.values() for zone in zones)

_PRIVATE_DNS_ZONE_ID = re.compile(
    r"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\w.()]{1,90}"
    r"/providers/Microsoft\.Network/privateDnsZones/(?P<zone>[A-Za-z0-9.-]+)$",
    re.IGNORECASE,
)


def private_dns_zone_name(resource_id: str) -> str | None:
    """Return the zone name of a private DNS zone resource id, or None if it is not one."""
    match = _PRIVATE_DNS_ZONE_ID.match(resource_id)
    return match.group("zone").lower() if match else None


def _check_zone_id(resource_id: str) -> str:
    if private_dns_zone_name(resource_id) is None:
        raise violation(
            "",
            resource_id,
            "must be the Azure resource id of a private DNS zone",
            'Use an id such as "/subscriptions/<subscription id>/resourceGroups/<group>'
            '/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net".',
        )
    return resource_id


PrivateDnsZoneId = Annotated[str, AfterValidator(_check_zone_id)]
"""Resource id of an Azure private DNS zone (`Microsoft.Network/privateDnsZones`)."""


class DnsZoneOwner(StrEnum):
    """Owner of the Private Link DNS zones that the endpoints register in."""

    ENVIRONMENT = "environment"
    """The environment creates one zone per zone name and links it to its VNet."""
    EXISTING = "existing"
    """The zones exist already, typically in a hub subscription (hub-and-spoke)."""


class PrivateEndpointsSpec(SpecModel):
    """Subnet and DNS zone ownership of the environment's private endpoints.

    Every private PaaS resource the environment creates (data lake, Key Vault,
    registry, AI services) gets one endpoint per subresource, registered in the
    matching `privatelink.*` zone.
    """

    subnet: SubnetKey
    """Key of the dedicated subnet in `network.subnets` that contains every endpoint. It
    must not be delegated to a service, and neither the GPU VM nor the AKS nodes may
    share it."""
    dns_zone_owner: DnsZoneOwner = DnsZoneOwner.ENVIRONMENT
    """Owner of the DNS zones. Default: `"environment"`, so the environment creates the
    zones and links them to its VNet."""
    existing_dns_zone_ids: dict[str, PrivateDnsZoneId] = {}
    """With `dns_zone_owner` `"existing"`: zone name -> resource id of that zone, one for
    every zone the environment's endpoints use. The environment registers its endpoints
    in these zones and creates no zones or VNet links. The zone owner links the zones
    to the VNets that resolve them. Default: `{}`."""

    @model_validator(mode="after")
    def _check_zones(self) -> PrivateEndpointsSpec:
        problems = list(self._zone_problems())
        if problems:
            raise rule_error(problems)
        return self

    def _zone_problems(self) -> Iterator[Problem]:
        if self.dns_zone_owner is DnsZoneOwner.ENVIRONMENT and self.existing_dns_zone_ids:
            yield Problem(
                "existing_dns_zone_ids",
                show(sorted(self.existing_dns_zone_ids)),
                'must be empty when dns_zone_owner is "environment", because the environment '
                "then creates its own zones",
                'Set dns_zone_owner to "existing" to use these zones, or remove them.',
            )
        for zone, resource_id in self.existing_dns_zone_ids.items():
            field = f'existing_dns_zone_ids["{zone}"]'
            if zone not in KNOWN_PRIVATE_DNS_ZONES:
                yield Problem(
                    field,
                    show(zone),
                    "must be a Private Link DNS zone name this library uses",
                    "Use one of: " + ", ".join(sorted(KNOWN_PRIVATE_DNS_ZONES)) + ".",
                )
            named = private_dns_zone_name(resource_id)
            if named is not None and named != zone:
                yield Problem(
                    field,
                    show(resource_id),
                    f'must be the id of the zone "{zone}", but it names the zone "{named}"',
                    "Give the id of the zone named in the key.",
                )

    def missing_zone_ids(self, zones: list[str]) -> list[str]:
        """Return the zones among `zones` that have no id when the zones already exist."""
        if self.dns_zone_owner is not DnsZoneOwner.EXISTING:
            return []
        return [zone for zone in zones if zone not in self.existing_dns_zone_ids]
