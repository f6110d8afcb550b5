"""Network specs: VNet address space, subnets and NSG rules."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from constructs_ai.errors import Problem, rule_error, show, violation
from constructs_ai.specs._addresses import INTERNET_REASON, internet_reason, prefix_problem
from constructs_ai.specs._addresses import INTERNET_SOURCES as INTERNET_SOURCES
from constructs_ai.specs._base import SpecModel

SubnetKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]{0,15}$")]
"""Subnet key: 1-16 lowercase letters or digits; it becomes part of names and addresses."""

MANAGEMENT_PORTS = {22: "SSH", 3389: "RDP"}

MANAGEMENT_PROTOCOLS = frozenset({"Tcp", "*"})
"""Protocols that reach SSH and RDP; both run over TCP, so a UDP rule opens neither."""

SSH_RULE_PRIORITY = 1000
"""Priority of the generated inbound rule that allows SSH from the listed sources."""

DENY_INTERNET_PRIORITY = 4096
"""Priority of the generated inbound rule that denies all traffic from the internet."""


class Direction(StrEnum):
    INBOUND = "Inbound"
    OUTBOUND = "Outbound"


class Access(StrEnum):
    ALLOW = "Allow"
    DENY = "Deny"


class Protocol(StrEnum):
    TCP = "Tcp"
    UDP = "Udp"
    ICMP = "Icmp"
    ESP = "Esp"
    AH = "Ah"
    ANY = "*"


def _parse_port_range(text: str) -> tuple[int, int]:
    """Parse `*`, `22` or `8000-8080` into an inclusive range."""
    if text == "*":
        return (0, 65535)
    low, _, high = text.partition("-")
    return (int(low), int(high or low))


class NsgRuleSpec(SpecModel):
    """One network security rule. Azure evaluates lower priorities first."""

    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")]
    """Rule name: 1-80 letters, digits, `_`, `.` or `-`, starting with a letter or digit."""
    priority: Annotated[int, Field(ge=100, le=4096)]
    """Priority from 100 to 4096, unique per direction within one NSG."""
    direction: Direction
    """`Inbound` or `Outbound`."""
    access: Access
    """`Allow` or `Deny`."""
    protocol: Protocol
    """`Tcp`, `Udp`, `Icmp`, `Esp`, `Ah` or `*` for any."""
    source_address_prefixes: Annotated[list[str], Field(min_length=1)]
    """IPv4 or IPv6 addresses or CIDRs, `*`, or service tags (`VirtualNetwork`,
    `AzureLoadBalancer`, `Storage.WestEurope`, ...)."""
    destination_port_ranges: Annotated[list[str], Field(min_length=1)]
    """Ports or ranges such as `443` or `8000-8080`; `*` means every port."""
    source_port_ranges: list[str] = ["*"]
    """Source ports. Default: `["*"]`."""
    destination_address_prefixes: list[str] = ["*"]
    """Destination addresses, CIDRs, `*` or service tags, like the sources.
    Default: `["*"]`."""
    description: str = ""
    """Free text shown in the portal. Default: `""`."""

    @field_validator("destination_port_ranges", "source_port_ranges")
    @classmethod
    def _check_port_ranges(cls, ranges: list[str]) -> list[str]:
        for text in ranges:
            try:
                low, high = _parse_port_range(text)
            except ValueError:
                low, high = -1, -1
            if not (0 <= low <= high <= 65535):
                raise violation(
                    "",
                    text,
                    "must be `*`, a port from 0 to 65535 or a range `low-high`",
                    'Write a port such as "443" or a range such as "8000-8080".',
                )
        return ranges

    @field_validator("source_address_prefixes", "destination_address_prefixes")
    @classmethod
    def _check_address_prefixes(cls, prefixes: list[str]) -> list[str]:
        problems = [
            Problem(f"[{index}]", show(text), rule, 'Write an address such as "10.10.0.0/24", '
                    '"*" or a service tag such as "VirtualNetwork", without spaces.')
            for index, text in enumerate(prefixes)
            if (rule := prefix_problem(text)) is not None
        ]
        if problems:
            raise rule_error(problems)
        return prefixes

    def opens_port(self, port: int) -> bool:
        return any(
            low <= port <= high
            for low, high in map(_parse_port_range, self.destination_port_ranges)
        )

    def internet_sources(self, *, management: bool = False) -> list[tuple[str, str]]:
        """Return each source that is effectively the internet, with the reason."""
        return [
            (source, reason)
            for source in self.source_address_prefixes
            if (reason := internet_reason(source, management=management)) is not None
        ]


class SubnetSpec(SpecModel):
    """One subnet of the VNet, with its own NSG."""

    cidr: ipaddress.IPv4Network
    """Address range, inside the VNet address space. Azure's smallest subnet is a /29."""
    nsg_rules: list[NsgRuleSpec] = []
    """Rules of this subnet's NSG besides the generated ones. Default: `[]`."""
    ssh_allowed: bool = False
    """Allow inbound SSH from `network.ssh_source_cidrs` to this subnet. Default: `false`."""
    service_endpoints: list[str] = []
    """Service endpoints such as `Microsoft.Storage`. Default: `[]`."""
    delegation: str | None = None
    """Service the subnet is delegated to, such as `Microsoft.App/environments`.
    Default: `null` (not delegated)."""
    default_outbound_access_enabled: bool = True
    """Azure's implicit outbound internet access. The NVIDIA driver extension
    downloads drivers, so keep it on until a NAT gateway provides outbound
    access. Default: `true`."""

    @field_validator("cidr")
    @classmethod
    def _check_prefix_length(cls, cidr: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
        if cidr.prefixlen > 29:
            raise violation(
                "",
                str(cidr),
                "must be a /29 or larger, because Azure reserves 5 addresses in every subnet",
                "Use a prefix length of 29 or less.",
            )
        return cidr


class GeneratedRule:
    """A rule the library adds to an NSG; it takes part in the priority check."""

    def __init__(self, name: str, priority: int, direction: Direction) -> None:
        self.name = name
        self.priority = priority
        self.direction = direction


BASTION_SUBNET_NAME = "AzureBastionSubnet"
"""The subnet name Azure Bastion requires, exactly as written."""

BASTION_SUBNET_MAX_PREFIX = 26


class BastionSku(StrEnum):
    BASIC = "Basic"
    STANDARD = "Standard"
    PREMIUM = "Premium"


class BastionSpec(SpecModel):
    """Azure Bastion: SSH to VMs that have no public IP, through the Azure portal or CLI."""

    subnet_cidr: ipaddress.IPv4Network
    """Address range of the `AzureBastionSubnet`, a /26 or larger inside the VNet address
    space. Azure requires that exact subnet name and that minimum size."""
    sku: BastionSku = BastionSku.STANDARD
    """Bastion tier. `Standard` and `Premium` support native SSH clients
    (`az network bastion ssh`). Default: `"Standard"`."""
    tunneling_enabled: bool = True
    """Allow native client connections (`az network bastion ssh` or `tunnel`); needs the
    `Standard` or `Premium` tier. Default: `true`."""

    @field_validator("subnet_cidr")
    @classmethod
    def _check_subnet_size(cls, cidr: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
        if cidr.prefixlen > BASTION_SUBNET_MAX_PREFIX:
            raise violation(
                "",
                str(cidr),
                f"must be a /{BASTION_SUBNET_MAX_PREFIX} or larger, because Azure requires "
                f"that size for {BASTION_SUBNET_NAME}",
                f"Use a prefix length of {BASTION_SUBNET_MAX_PREFIX} or less.",
            )
        return cidr

    @model_validator(mode="after")
    def _check_tunneling(self) -> BastionSpec:
        if self.tunneling_enabled and self.sku is BastionSku.BASIC:
            raise violation(
                "tunneling_enabled",
                True,
                'needs the "Standard" or "Premium" sku, because the "Basic" tier has no '
                "native client support",
                'Set sku to "Standard", or set tunneling_enabled to false and connect '
                "through the Azure portal.",
            )
        return self


class NatGatewaySpec(SpecModel):
    """A NAT gateway that gives the listed subnets outbound internet access.

    The listed subnets get `default_outbound_access_enabled` false, because the NAT
    gateway replaces Azure's implicit outbound access.
    """

    subnets: Annotated[list[SubnetKey], Field(min_length=1)]
    """Keys of the subnets in `network.subnets` whose outbound traffic uses the NAT
    gateway, such as `["compute"]`."""
    idle_timeout_minutes: Annotated[int, Field(ge=4, le=120)] = 4
    """TCP idle timeout in minutes, 4-120. Default: `4`."""
    zone: Literal["1", "2", "3"] | None = None
    """Availability zone of the gateway and its public IP. Changing it replaces both.
    Default: `null` (no zone)."""


class NetworkSpec(SpecModel):
    """The VNet, its subnets and who may reach them over SSH."""

    address_space: Annotated[list[ipaddress.IPv4Network], Field(min_length=1)]
    """VNet address ranges, for example `["10.10.0.0/16"]`."""
    subnets: Annotated[dict[SubnetKey, SubnetSpec], Field(min_length=1)]
    """Subnets keyed by a short name (`compute`, `aks`, `endpoints`)."""
    ssh_source_cidrs: list[str] = []
    """IPv4 CIDRs allowed to reach SSH (port 22) on subnets with `ssh_allowed`.
    The internet is rejected: `0.0.0.0/0`, `*`, `Internet`, `AzureCloud` and any range
    broader than a /8 (IPv6: a /16). Default: `[]` (no SSH)."""
    bastion: BastionSpec | None = None
    """Azure Bastion in its own `AzureBastionSubnet`. Default: `null` (none)."""
    nat_gateway: NatGatewaySpec | None = None
    """A NAT gateway for outbound traffic. Default: `null` (none)."""

    @property
    def ssh_sources(self) -> list[ipaddress.IPv4Network]:
        """Return the SSH sources as networks; validation has already parsed them."""
        return [ipaddress.IPv4Network(text) for text in self.ssh_source_cidrs]

    @model_validator(mode="after")
    def _check_layout(self) -> NetworkSpec:
        problems = [
            *self._ssh_source_problems(),
            *self._address_space_problems(),
            *self._subnet_problems(),
            *self._rule_problems(),
            *self._bastion_problems(),
            *self._nat_gateway_problems(),
        ]
        if problems:
            raise rule_error(problems)
        return self

    def _ssh_source_problems(self) -> Iterator[Problem]:
        # Checked here rather than by the field type, so that these problems are
        # listed together with the subnet and rule problems of the same spec.
        for index, text in enumerate(self.ssh_source_cidrs):
            field = f"ssh_source_cidrs[{index}]"
            reason = internet_reason(text, management=True)
            if reason is not None:
                yield Problem(
                    field,
                    show(text),
                    f"must not be the internet, but it {reason}: SSH is allowed only from "
                    "listed private or office ranges",
                    "List the CIDRs of your VPN or bastion, or use Azure Bastion instead.",
                )
                continue
            if text != text.strip():
                yield Problem(
                    field,
                    show(text),
                    "must not have spaces around it",
                    f'Write "{text.strip()}".',
                )
                continue
            try:
                ipaddress.IPv4Network(text)
            except ValueError as error:
                yield Problem(
                    field,
                    show(text),
                    f"must be an IPv4 CIDR ({error})",
                    'Write a network such as "203.0.113.0/28".',
                )

    def _address_space_problems(self) -> Iterator[Problem]:
        for i, first in enumerate(self.address_space):
            for j, second in enumerate(self.address_space[i + 1 :], start=i + 1):
                if first.overlaps(second):
                    yield Problem(
                        f"address_space[{j}]",
                        show(str(second)),
                        f"must not overlap address_space[{i}] {show(str(first))}",
                        "Use disjoint address ranges.",
                    )

    def _subnet_problems(self) -> Iterator[Problem]:
        space = ", ".join(str(net) for net in self.address_space)
        names = list(self.subnets)
        for name, subnet in self.subnets.items():
            if not any(subnet.cidr.subnet_of(net) for net in self.address_space):
                yield Problem(
                    f'subnets["{name}"].cidr',
                    show(str(subnet.cidr)),
                    f"must lie inside the VNet address space [{space}]",
                    "Pick a range inside address_space or add a range to address_space.",
                )
        for i, first in enumerate(names):
            for second in names[i + 1 :]:
                a, b = self.subnets[first].cidr, self.subnets[second].cidr
                if a.overlaps(b):
                    yield Problem(
                        f'subnets["{second}"].cidr',
                        show(str(b)),
                        f'must not overlap subnets["{first}"].cidr {show(str(a))}',
                        "Give every subnet its own address range.",
                    )

    def _bastion_problems(self) -> Iterator[Problem]:
        if self.bastion is None:
            return
        cidr = self.bastion.subnet_cidr
        if "bastion" in self.subnets:
            yield Problem(
                'subnets["bastion"]',
                show("bastion"),
                f"must not be a subnet key when bastion is set, because the {BASTION_SUBNET_NAME} "
                "subnet takes that key",
                "Rename the subnet, for example to \"jump\".",
            )
        if not any(cidr.subnet_of(net) for net in self.address_space):
            space = ", ".join(str(net) for net in self.address_space)
            yield Problem(
                "bastion.subnet_cidr",
                show(str(cidr)),
                f"must lie inside the VNet address space [{space}]",
                "Pick a range inside address_space or add a range to address_space.",
            )
        for name, subnet in self.subnets.items():
            if cidr.overlaps(subnet.cidr):
                yield Problem(
                    "bastion.subnet_cidr",
                    show(str(cidr)),
                    f'must not overlap subnets["{name}"].cidr {show(str(subnet.cidr))}',
                    f"Give {BASTION_SUBNET_NAME} its own address range.",
                )

    def _nat_gateway_problems(self) -> Iterator[Problem]:
        if self.nat_gateway is None:
            return
        seen: set[str] = set()
        for index, key in enumerate(self.nat_gateway.subnets):
            field = f"nat_gateway.subnets[{index}]"
            if key not in self.subnets:
                yield Problem(
                    field,
                    show(key),
                    "must name a subnet in network.subnets",
                    "Use one of: " + ", ".join(f'"{name}"' for name in self.subnets) + ".",
                )
            if key in seen:
                yield Problem(field, show(key), "must not be listed twice", "Remove the repeat.")
            seen.add(key)

    def nat_gateway_subnets(self) -> frozenset[str]:
        """Return the keys of the subnets whose outbound traffic uses the NAT gateway."""
        return frozenset(self.nat_gateway.subnets) if self.nat_gateway else frozenset()

    def _rule_problems(self) -> Iterator[Problem]:
        for name, subnet in self.subnets.items():
            base = f'subnets["{name}"].nsg_rules'
            taken: dict[tuple[Direction, int], str] = {
                (rule.direction, rule.priority): f"the generated rule {rule.name}"
                for rule in self.generated_rules(name)
            }
            seen_names: set[str] = {rule.name for rule in self.generated_rules(name)}
            for index, rule in enumerate(subnet.nsg_rules):
                field = f"{base}[{index}]"
                owner = taken.get((rule.direction, rule.priority))
                if owner is not None:
                    yield Problem(
                        f"{field}.priority",
                        str(rule.priority),
                        f"must be unique among {rule.direction.value} rules of the subnet's NSG, "
                        f"but {owner} already uses it",
                        "Pick another priority between 100 and 4096.",
                    )
                taken[(rule.direction, rule.priority)] = f"{base}[{index}] ({rule.name})"
                if rule.name in seen_names:
                    yield Problem(
                        f"{field}.name",
                        show(rule.name),
                        "must be unique within the subnet's NSG",
                        "Rename the rule.",
                    )
                seen_names.add(rule.name)
                yield from self._management_port_problems(field, rule)

    def _management_port_problems(self, field: str, rule: NsgRuleSpec) -> Iterator[Problem]:
        if rule.direction is not Direction.INBOUND or rule.access is not Access.ALLOW:
            return
        if rule.protocol.value not in MANAGEMENT_PROTOCOLS:
            return
        sources = rule.internet_sources(management=True)
        if not sources:
            return
        # Say why a source counts as the internet unless it is written as the internet.
        reasons = "; ".join(
            f"{show(source)} {reason}" for source, reason in sources if reason != INTERNET_REASON
        )
        detail = f" ({reasons})" if reasons else ""
        for port, service in MANAGEMENT_PORTS.items():
            if rule.opens_port(port):
                yield Problem(
                    f"{field}.source_address_prefixes",
                    show([source for source, _ in sources]),
                    f"must not allow {service} (port {port}) from the internet{detail}",
                    "List specific source CIDRs in network.ssh_source_cidrs or use Azure Bastion.",
                )

    def generated_rules(self, subnet_name: str) -> list[GeneratedRule]:
        """Return the rules the library adds to a subnet's NSG, in priority order."""
        rules = []
        if self.subnets[subnet_name].ssh_allowed and self.ssh_source_cidrs:
            rules.append(
                GeneratedRule("AllowSshFromListedSources", SSH_RULE_PRIORITY, Direction.INBOUND)
            )
        rules.append(
            GeneratedRule("DenyInternetInbound", DENY_INTERNET_PRIORITY, Direction.INBOUND)
        )
        return rules
