"""The environment's VNet, subnets and one NSG per subnet."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.network_security_group import NetworkSecurityGroup
from cdktf_cdktf_provider_azurerm.network_security_rule import NetworkSecurityRule
from cdktf_cdktf_provider_azurerm.subnet import (
    Subnet,
    SubnetDelegation,
    SubnetDelegationServiceDelegation,
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
    DENY_INTERNET_PRIORITY,
    SSH_RULE_PRIORITY,
    Access,
    Direction,
    NsgRuleSpec,
    Protocol,
    SubnetSpec,
)


class Network(Construct):
    """A VNet with the spec's subnets, each behind its own NSG.

    Every NSG carries explicit rules: SSH only from `network.ssh_source_cidrs` on
    subnets that ask for it, the spec's own rules, and a final inbound deny from
    the internet.
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
            default_outbound_access_enabled=subnet_spec.default_outbound_access_enabled,
        )
        set_logical_id(subnet, "snet", key)

        nsg = NetworkSecurityGroup(
            self,
            f"nsg-{key}",
            name=resource_name("nsg", spec.workload, spec.name, key),
            location=self._resource_group.location,
            resource_group_name=self._resource_group.name,
        )
        set_logical_id(nsg, "nsg", key)
        self._add_rules(key, subnet_spec, nsg)

        association = SubnetNetworkSecurityGroupAssociation(
            self,
            f"nsg-association-{key}",
            subnet_id=subnet.id,
            network_security_group_id=nsg.id,
        )
        set_logical_id(association, "nsg", key, "association")
        return SubnetRef(key=key, name=subnet.name, id=subnet.id, cidr=subnet_spec.cidr)

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
