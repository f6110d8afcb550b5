"""Small library types that constructs pass to each other.

Attribute values are Terraform references (strings that resolve at apply
time), so constructs never need binding types in their public signatures.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass


@dataclass(frozen=True)
class ResourceGroupRef:
    """An environment's resource group."""

    name: str
    location: str
    id: str


@dataclass(frozen=True)
class SubnetRef:
    """A subnet created by the Network construct."""

    key: str
    name: str
    id: str
    cidr: ipaddress.IPv4Network


@dataclass(frozen=True)
class PrivateLinkTarget:
    """One private endpoint a construct needs: the resource, its sub-resource and DNS zones.

    The stack passes these to the shared private endpoint mechanism, which
    creates the endpoint in the endpoint subnet and links it to each zone.
    """

    key: str
    """Stable name of the endpoint, part of its Terraform address, such as `openai`."""
    resource_id: str
    """Id of the resource the endpoint connects to."""
    subresource: str
    """Private link sub-resource (group id), such as `account`, `amlworkspace` or `vault`."""
    dns_zones: tuple[str, ...]
    """Private DNS zones the endpoint registers in, such as `privatelink.openai.azure.com`."""
