"""Private endpoints and the Private Link DNS zones they register in.

One `PrivateEndpoints` construct per environment owns every endpoint and every
zone, so endpoints of the same subresource share one zone (one
`privatelink.blob.core.windows.net` for all storage accounts, for example).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cdktf_cdktf_provider_azurerm.private_dns_zone import PrivateDnsZone
from cdktf_cdktf_provider_azurerm.private_dns_zone_virtual_network_link import (
    PrivateDnsZoneVirtualNetworkLink,
)
from cdktf_cdktf_provider_azurerm.private_endpoint import (
    PrivateEndpoint,
    PrivateEndpointPrivateDnsZoneGroup,
    PrivateEndpointPrivateServiceConnection,
)
from constructs import Construct

from constructs_ai._ids import logical_id, set_logical_id
from constructs_ai.naming import resource_name
from constructs_ai.refs import ResourceGroupRef, SubnetRef
from constructs_ai.specs.private_endpoints import (
    PRIVATE_DNS_ZONES,
    DnsZoneOwner,
    PrivateEndpointsSpec,
)

DNS_ZONE_GROUP_NAME = "default"


def zone_slug(zone: str) -> str:
    """Return the readable part of a zone name: `privatelink.blob.core.windows.net` -> `blob`."""
    return zone.removeprefix("privatelink.").split(".")[0]


class PrivateEndpoints(Construct):
    """The environment's private endpoints, all in one dedicated subnet.

    Call `add` once per resource and subresource. With `dns_zone_owner`
    `"environment"`, each zone is created on first use and linked to the VNet.
    With `"existing"`, the endpoints register in the zones the spec lists.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: PrivateEndpointsSpec,
        workload: str,
        environment: str,
        resource_group: ResourceGroupRef,
        subnet: SubnetRef,
        vnet_id: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self._spec = spec
        self._workload = workload
        self._environment = environment
        self._resource_group = resource_group
        self._subnet = subnet
        self._vnet_id = vnet_id
        self._zone_ids: dict[str, str] = {}
        self.endpoints: dict[str, PrivateEndpoint] = {}
        self.zones: dict[str, PrivateDnsZone] = {}

    def add(
        self,
        target_key: str,
        resource_id: str,
        subresource: str,
        *,
        zones: Sequence[str] | None = None,
    ) -> PrivateEndpoint:
        """Create a private endpoint to `subresource` of `resource_id` and register it in DNS.

        `target_key` is the short name of the target (`datalake`, `keyvault`,
        `registry`); the endpoint is addressed `pe_<target_key>_<subresource>`.
        `zones` defaults to the subresource's zones in `PRIVATE_DNS_ZONES`.
        """
        zone_names = list(zones) if zones is not None else self._default_zones(subresource)
        key = logical_id(target_key, subresource)
        if key in self.endpoints:
            raise ValueError(
                f"a private endpoint for {target_key!r} subresource {subresource!r} already "
                "exists; add each subresource of a target once"
            )
        name = resource_name("pe", self._workload, self._environment, f"{target_key}-{subresource}")
        endpoint = PrivateEndpoint(
            self,
            f"endpoint-{key}",
            name=name,
            location=self._resource_group.location,
            resource_group_name=self._resource_group.name,
            subnet_id=self._subnet.id,
            custom_network_interface_name=f"nic-{name}",
            private_service_connection=PrivateEndpointPrivateServiceConnection(
                name=f"psc-{target_key}-{subresource}",
                private_connection_resource_id=resource_id,
                subresource_names=[subresource],
                is_manual_connection=False,
            ),
            private_dns_zone_group=PrivateEndpointPrivateDnsZoneGroup(
                name=DNS_ZONE_GROUP_NAME,
                private_dns_zone_ids=[self.zone_id(zone) for zone in zone_names],
            ),
        )
        set_logical_id(endpoint, "pe", key)
        self.endpoints[key] = endpoint
        return endpoint

    def zone_id(self, zone: str) -> str:
        """Return the id of the private DNS zone `zone`, creating it on first use if owned."""
        if zone in self._zone_ids:
            return self._zone_ids[zone]
        if self._spec.dns_zone_owner is DnsZoneOwner.EXISTING:
            try:
                zone_id = self._spec.existing_dns_zone_ids[zone]
            except KeyError:
                known = ", ".join(sorted(self._spec.existing_dns_zone_ids)) or "none"
                raise KeyError(
                    f"private_endpoints.existing_dns_zone_ids has no id for zone {zone!r}; "
                    f"listed zones: {known}. Add the id of the existing zone."
                ) from None
        else:
            zone_id = self._create_zone(zone)
        self._zone_ids[zone] = zone_id
        return zone_id

    def _create_zone(self, zone: str) -> str:
        slug = zone_slug(zone)
        resource = PrivateDnsZone(
            self, f"zone-{zone}", name=zone, resource_group_name=self._resource_group.name
        )
        set_logical_id(resource, "pdns", slug)
        link = PrivateDnsZoneVirtualNetworkLink(
            self,
            f"zone-link-{zone}",
            name=resource_name("pdnslink", self._workload, self._environment, slug),
            resource_group_name=self._resource_group.name,
            private_dns_zone_name=resource.name,
            virtual_network_id=self._vnet_id,
            # The VNet only resolves these zones; VMs must not auto-register in them.
            registration_enabled=False,
        )
        set_logical_id(link, "pdns", slug, "vnet_link")
        self.zones[zone] = resource
        return resource.id

    @staticmethod
    def _default_zones(subresource: str) -> list[str]:
        try:
            return list(PRIVATE_DNS_ZONES[subresource])
        except KeyError:
            known = ", ".join(sorted(PRIVATE_DNS_ZONES))
            raise KeyError(
                f"no default private DNS zone for subresource {subresource!r}; known: {known}. "
                "Pass zones= explicitly."
            ) from None

    @property
    def zone_ids(self) -> Mapping[str, str]:
        """Zone name -> zone id of every zone an endpoint uses so far."""
        return dict(self._zone_ids)
