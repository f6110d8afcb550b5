"""Address prefixes in NSG rules, SSH sources and API server ranges.

A source can open a port to the internet without being written `0.0.0.0/0`:
`0.0.0.0/1` and `128.0.0.0/1` together are the whole IPv4 internet, and the
`AzureCloud` service tag contains every public Azure address, which anyone with
a subscription can rent. These helpers tell such sources apart.
"""

from __future__ import annotations

import ipaddress
import re

INTERNET_SOURCES = frozenset({"*", "0.0.0.0/0", "internet", "any", "0.0.0.0"})
"""Source values that mean "anywhere on the internet" to an NSG."""

IPV4_WIDEST_PREFIX = 8
"""IPv4 sources broader than a /8 count as the internet."""

IPV6_WIDEST_PREFIX = 16
"""IPv6 sources broader than a /16 count as the internet."""

INTERNET_REASON = "is the internet"
"""The reason `internet_reason` gives for a source written as the internet itself."""

PUBLIC_CLOUD_TAG = "azurecloud"
"""The service tag of every public Azure address, optionally per region."""

# Azure service tags: letters and digits, optionally `.Region` (`Storage.WestEurope`).
_SERVICE_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$")


def parse_network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """Return `text` as an IPv4 or IPv6 network (an address is a /32 or /128), or None."""
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def prefix_problem(text: str) -> str | None:
    """Return why `text` is no NSG address prefix, or None when it is one.

    Azure accepts an IPv4 or IPv6 address or CIDR, `*`, or a service tag.
    """
    if text != text.strip():
        return "must not have spaces around it"
    if text == "*" or parse_network(text) is not None or _SERVICE_TAG.match(text):
        return None
    return (
        "must be an IPv4 or IPv6 address or CIDR, `*`, or a service tag such as "
        '"VirtualNetwork" or "Storage.WestEurope"'
    )


def internet_reason(text: str, *, management: bool) -> str | None:
    """Return why the source `text` is effectively the internet, or None.

    Surrounding whitespace is ignored here, so `"0.0.0.0/0 "` still counts;
    `prefix_problem` reports the whitespace on its own. With `management`, the
    `AzureCloud` tag counts as well, because anyone can rent an address in it.
    """
    value = text.strip()
    lowered = value.lower()
    if lowered in INTERNET_SOURCES:
        return INTERNET_REASON
    if management and lowered.split(".")[0] == PUBLIC_CLOUD_TAG:
        return "is every public Azure address, which anyone with a subscription can use"
    network = parse_network(value)
    if network is None:
        return None
    widest = IPV4_WIDEST_PREFIX if network.version == 4 else IPV6_WIDEST_PREFIX
    if network.prefixlen < widest:
        return f"is broader than a /{widest}, which is effectively the internet"
    return None
