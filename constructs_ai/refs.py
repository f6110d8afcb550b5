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
