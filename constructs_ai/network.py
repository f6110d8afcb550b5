"""The environment's VNet, subnets and one NSG per subnet, plus optional Azure Bastion
and NAT gateway."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.bastion_host import BastionHost, BastionHostIpConfiguration
from cdktf_cdktf_provider_azurerm.nat_gateway import NatGateway
from cdktf_cdktf_provider_azurerm.nat_gateway_public_ip_association import (
    NatGatewayPublicIpAssociation,
)
from cdktf_cdktf_provider_azurerm.network_security_group import NetworkSecurityGroup
from cdktf_cdktf_provider_azurerm.network_security_rule import NetworkSecurityRule
from cdktf_cdktf_provider_azurerm.public_ip import PublicIp
from cdktf_cdktf_provider_azurerm.subnet import (
    Subnet,
    SubnetDelegation,
    SubnetDelegationServiceDelegation,
)
from cdktf_cdktf_provider_azurerm.subnet_nat_gateway_association import (
    SubnetNatGatewayAssociation,
)
from cdktf_cdktf_provider_azurerm.subnet_network_security_group_association import (
    SubnetNetworkSecurityGroupAssociation,
)
from cdktf_cdktf_provider_azurerm.virtual_network import VirtualNetwork
from constructs import Construct

from constructs_ai._ids import set_logical_id
from constructs_ai.naming import resource_name
from constructs_ai.refs import ResourceGroupRef, SubnetRef
from constructs_ai.specs.environment import EnvironmentSpec
from constructs_ai.specs.network import (
    BASTION_SUBNET_NAME,
    DENY_INTERNET_PRIORITY,
    SSH_RULE_PRIORITY,
    Access,
    BastionSpec,
    Direction,
    NatGatewaySpec,
    NsgRuleSpec,
    Protocol,
    SubnetSpec,
)

BASTION_NSG_RULES = (
    ("AllowHttpsInbound", 120, "Inbound", "Tcp", "Internet", "*", ["443"]),
    ("AllowGatewayManagerInbound", 130, "Inbound", "Tcp", "GatewayManager", "*", ["443"]),
    ("AllowAzureLoadBalancerInbound", 140, "Inbound", "Tcp", "AzureLoadBalancer", "*", ["443"]),
    ("AllowBastionHostCommunication", 150, "Inbound", "*", "VirtualNetwork", "VirtualNetwork",
     ["8080", "5701"]),
    ("AllowSshRdpOutbound", 100, "Outbound", "*", "*", "VirtualNetwork", ["22", "3389"]),
    ("AllowAzureCloudOutbound", 110, "Outbound", "Tcp", "*", "AzureCloud", ["443"]),
    ("AllowBastionCommunication", 120, "Outbound", "*", "VirtualNetwork", "VirtualNetwork",
     ["8080", "5701"]),
    ("AllowHttpOutbound", 130, "Outbound", "*", "*", "Internet", ["80"]),
)
"""Rules Azure requires on an NSG attached to AzureBastionSubnet, as (name, priority,
direction, protocol, source, destination, ports), from Azure's "Working with NSG access
and Azure Bastion" page. Users reach Bastion on 443; Bastion reaches VMs on 22."""


class Network(Construct):
    """A VNet with the spec's subnets, each behind its own NSG.

    Every NSG carries explicit rules: SSH only from `network.ssh_source_cidrs` on
    subnets that ask for it, the spec's own rules, and a final inbound deny from
    the internet. The private endpoint subnet applies NSG rules and route tables
    to its endpoints. With `network.bastion`, Azure Bastion gets the
    `AzureBastionSubnet` and the NSG rules Azure requires there. With
    `network.nat_gateway`, the listed subnets send outbound traffic through a NAT
    gateway instead of Azure's implicit outbound access.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: EnvironmentSpec,
        resource_group: ResourceGroupRef,
    ) -> None:
        super().__init__(scope, construct_id)
        self._spec = spec
        self._resource_group = resource_group
        self._subnets: dict[str, SubnetRef] = {}
        self.subnet_resources: dict[str, Subnet] = {}

        self.resource = VirtualNetwork(
            self,
            "vnet",
            name=resource_name("vnet", spec.workload, spec.name),
            location=resource_group.location,
            resource_group_name=resource_group.name,
            address_space=[str(cidr) for cidr in spec.network.address_space],
        )
        set_logical_id(self.resource, "vnet")

        for key, subnet_spec in spec.network.subnets.items():
            self._subnets[key] = self._add_subnet(key, subnet_spec)

        self.bastion: BastionHost | None = None
        if spec.network.bastion is not None:
            self.bastion = self._add_bastion(spec.network.bastion)
        self.nat_gateway: NatGateway | None = None
        if spec.network.nat_gateway is not None:
            self.nat_gateway = self._add_nat_gateway(spec.network.nat_gateway)

    @property
    def vnet_id(self) -> str:
        return self.resource.id

    @property
    def vnet_name(self) -> str:
        return self.resource.name

    def subnet(self, key: str) -> SubnetRef:
        """Return the subnet created for `network.subnets[key]`."""
        try:
            return self._subnets[key]
        except KeyError:
            known = ", ".join(sorted(self._subnets))
            raise KeyError(f"no subnet {key!r} in this network; known subnets: {known}") from None

    def _add_subnet(self, key: str, subnet_spec: SubnetSpec) -> SubnetRef:
        spec = self._spec
        delegation = None
        if subnet_spec.delegation:
            delegation = [
                SubnetDelegation(
                    name=subnet_spec.delegation.replace("/", "-").lower(),
                    service_delegation=SubnetDelegationServiceDelegation(
                        name=subnet_spec.delegation
                    ),
                )
            ]
        subnet = Subnet(
            self,
            f"subnet-{key}",
            name=resource_name("snet", spec.workload, spec.name, key),
            resource_group_name=self._resource_group.name,
            virtual_network_name=self.resource.name,
            address_prefixes=[str(subnet_spec.cidr)],
            service_endpoints=subnet_spec.service_endpoints or None,
            delegation=delegation,
            # Behind a NAT gateway the implicit outbound access is redundant.
            default_outbound_access_enabled=(
                subnet_spec.default_outbound_access_enabled
                and key not in spec.network.nat_gateway_subnets()
            ),
            private_endpoint_network_policies=self._endpoint_policies(key),
        )
        set_logical_id(subnet, "snet", key)

        nsg = self._add_nsg(key, subnet.id)
        self._add_rules(key, subnet_spec, nsg)
        self.subnet_resources[key] = subnet
        return SubnetRef(key=key, name=subnet.name, id=subnet.id, cidr=subnet_spec.cidr)

    def _endpoint_policies(self, key: str) -> str | None:
        endpoints = self._spec.private_endpoints
        if endpoints is None or endpoints.subnet != key:
            return None
        # "Enabled" applies the subnet's NSG rules and route tables to private
        # endpoints too; azurerm's default "Disabled" would bypass both.
        return "Enabled"

    def _add_nsg(self, key: str, subnet_id: str) -> NetworkSecurityGroup:
        spec = self._spec
        nsg = NetworkSecurityGroup(
            self,
            f"nsg-{key}",
            name=resource_name("nsg", spec.workload, spec.name, key),
            location=self._resource_group.location,
            resource_group_name=self._resource_group.name,
        )
        set_logical_id(nsg, "nsg", key)
        association = SubnetNetworkSecurityGroupAssociation(
            self,
            f"nsg-association-{key}",
            subnet_id=subnet_id,
            network_security_group_id=nsg.id,
        )
        set_logical_id(association, "nsg", key, "association")
        return nsg

    def _add_bastion(self, bastion: BastionSpec) -> BastionHost:
        spec = self._spec
        subnet = Subnet(
            self,
            "subnet-bastion",
            name=BASTION_SUBNET_NAME,
            resource_group_name=self._resource_group.name,
            virtual_network_name=self.resource.name,
            address_prefixes=[str(bastion.subnet_cidr)],
        )
        set_logical_id(subnet, "snet", "bastion")
        self.subnet_resources["bastion"] = subnet
        nsg = self._add_nsg("bastion", subnet.id)
        for name, priority, direction, protocol, source, destination, ports in BASTION_NSG_RULES:
            rule = NsgRuleSpec(
                name=name,
                priority=priority,
                direction=Direction(direction),
                access=Access.ALLOW,
                protocol=Protocol(protocol),
                source_address_prefixes=[source],
                destination_address_prefixes=[destination],
                destination_port_ranges=ports,
                description="Required by Azure Bastion.",
            )
            self._add_rule("bastion", rule, nsg)

        public_ip = self._add_public_ip("bastion", zone=None)
        host = BastionHost(
            self,
            "bastion",
            name=resource_name("bas", spec.workload, spec.name),
            location=self._resource_group.location,
            resource_group_name=self._resource_group.name,
            sku=bastion.sku.value,
            tunneling_enabled=bastion.tunneling_enabled or None,
            ip_configuration=BastionHostIpConfiguration(
                name="primary", subnet_id=subnet.id, public_ip_address_id=public_ip.id
            ),
        )
        set_logical_id(host, "bastion")
        return host

    def _add_nat_gateway(self, nat: NatGatewaySpec) -> NatGateway:
        spec = self._spec
        zones = [nat.zone] if nat.zone else None
        gateway = NatGateway(
            self,
            "nat-gateway",
            name=resource_name("ng", spec.workload, spec.name),
            location=self._resource_group.location,
            resource_group_name=self._resource_group.name,
            sku_name="Standard",
            idle_timeout_in_minutes=nat.idle_timeout_minutes,
            zones=zones,
        )
        set_logical_id(gateway, "nat_gateway")
        public_ip = self._add_public_ip("nat_gateway", zone=nat.zone)
        association = NatGatewayPublicIpAssociation(
            self,
            "nat-gateway-public-ip",
            nat_gateway_id=gateway.id,
            public_ip_address_id=public_ip.id,
        )
        set_logical_id(association, "nat_gateway", "public_ip", "association")
        for key in nat.subnets:
            subnet_association = SubnetNatGatewayAssociation(
                self,
                f"nat-gateway-{key}",
                subnet_id=self._subnets[key].id,
                nat_gateway_id=gateway.id,
            )
            set_logical_id(subnet_association, "nat_gateway", key)
        return gateway

    def _add_public_ip(self, key: str, *, zone: str | None) -> PublicIp:
        spec = self._spec
        public_ip = PublicIp(
            self,
            f"public-ip-{key}",
            name=resource_name("pip", spec.workload, spec.name, key.replace("_", "")),
            location=self._resource_group.location,
            resource_group_name=self._resource_group.name,
            allocation_method="Static",
            sku="Standard",
            zones=[zone] if zone else None,
        )
        set_logical_id(public_ip, key, "public_ip")
        return public_ip

    def _add_rules(self, key: str, subnet_spec: SubnetSpec, nsg: NetworkSecurityGroup) -> None:
        rules = list(subnet_spec.nsg_rules)
        ssh_sources = [str(cidr) for cidr in self._spec.network.ssh_sources]
        if subnet_spec.ssh_allowed and ssh_sources:
            rules.append(
                NsgRuleSpec(
                    name="AllowSshFromListedSources",
                    priority=SSH_RULE_PRIORITY,
                    direction=Direction.INBOUND,
                    access=Access.ALLOW,
                    protocol=Protocol.TCP,
                    source_address_prefixes=ssh_sources,
                    destination_port_ranges=["22"],
                    description="SSH from the sources listed in network.ssh_source_cidrs.",
                )
            )
        rules.append(
            NsgRuleSpec(
                name="DenyInternetInbound",
                priority=DENY_INTERNET_PRIORITY,
                direction=Direction.INBOUND,
                access=Access.DENY,
                protocol=Protocol.ANY,
                source_address_prefixes=["Internet"],
                destination_port_ranges=["*"],
                description="Explicit deny of inbound internet traffic not allowed above.",
            )
        )
        for rule in sorted(rules, key=lambda r: (r.direction.value, r.priority)):
            self._add_rule(key, rule, nsg)

    def _add_rule(self, key: str, rule: NsgRuleSpec, nsg: NetworkSecurityGroup) -> None:
        # Single-value and list arguments are exclusive in azurerm, so one value
        # goes in the singular argument and several in the plural one.
        sources = rule.source_address_prefixes
        destinations = rule.destination_address_prefixes
        ports = rule.destination_port_ranges
        source_ports = rule.source_port_ranges
        resource = NetworkSecurityRule(
            self,
            f"nsg-{key}-rule-{rule.name}",
            name=rule.name,
            priority=rule.priority,
            direction=rule.direction.value,
            access=rule.access.value,
            protocol=rule.protocol.value,
            source_address_prefix=sources[0] if len(sources) == 1 else None,
            source_address_prefixes=sources if len(sources) > 1 else None,
            destination_address_prefix=destinations[0] if len(destinations) == 1 else None,
            destination_address_prefixes=destinations if len(destinations) > 1 else None,
            destination_port_range=ports[0] if len(ports) == 1 else None,
            destination_port_ranges=ports if len(ports) > 1 else None,
            source_port_range=source_ports[0] if len(source_ports) == 1 else None,
            source_port_ranges=source_ports if len(source_ports) > 1 else None,
            description=rule.description or None,
            resource_group_name=self._resource_group.name,
            network_security_group_name=nsg.name,
        )
        set_logical_id(resource, "nsg", key, "rule", rule.name)
