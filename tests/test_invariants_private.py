"""Privacy invariants over every synthesized stack: built-in environments and variants.

Every private endpoint registers in the zone of its subresource, every PaaS
resource has public network access off and a private endpoint, no vault has
access policies, and no resource or output carries a secret.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constructs_ai.errors import SpecError
from constructs_ai.specs import EnvironmentSpec
from constructs_ai.specs._security_rules import private_link_zones
from constructs_ai.specs.governance import PURVIEW_DNS_ZONES
from constructs_ai.specs.private_endpoints import PRIVATE_DNS_ZONES, private_dns_zone_name
from constructs_ai.specs.secrets import secret_kind
from tests.conftest import Stack, all_resources, resources_of
from tests.factories import spec_data

PAAS_TYPES = (
    "azurerm_storage_account",
    "azurerm_key_vault",
    "azurerm_container_registry",
    "azurerm_cognitive_account",
)
"""Resource types that must have public network access off and a private endpoint."""

SECRET_ATTRIBUTES = frozenset({
    "primary_access_key", "secondary_access_key", "primary_connection_string",
    "secondary_connection_string", "primary_blob_connection_string", "connection_string",
    "admin_password", "client_secret", "password", "sas", "sas_token", "primary_key",
    "secondary_key", "kube_config", "kube_config_raw", "kube_admin_config",
    "kube_admin_config_raw", "client_key", "client_certificate", "admin_ssh_private_key",
})
"""Attribute names that hold a secret in azurerm resources."""

SECRET_REFERENCE = re.compile(r"\.(" + "|".join(sorted(SECRET_ATTRIBUTES)) + r")\b")
"""A Terraform expression that reads a secret attribute of another resource."""

HUB = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub-dns"


def _variant_specs() -> dict[str, EnvironmentSpec]:
    bastion = spec_data("prod")
    bastion["name"] = "bastion"
    bastion["network"]["bastion"] = {"subnet_cidr": "10.30.2.0/26"}

    hub = spec_data("staging")
    hub["name"] = "hub"
    zones = private_link_zones(EnvironmentSpec.from_data(hub))
    hub["private_endpoints"] = {
        "subnet": "endpoints",
        "dns_zone_owner": "existing",
        "existing_dns_zone_ids": {
            zone: f"{HUB}/providers/Microsoft.Network/privateDnsZones/{zone}" for zone in zones
        },
    }
    return {
        "bastion": EnvironmentSpec.from_data(bastion),
        "hub": EnvironmentSpec.from_data(hub),
    }


@pytest.fixture(scope="module")
def every_stack(stacks: dict[str, Stack], synth_spec) -> dict[str, Stack]:  # type: ignore[no-untyped-def]
    """The built-in stacks plus variants with Azure Bastion and with hub-owned DNS zones."""
    variants = {name: synth_spec(spec) for name, spec in _variant_specs().items()}
    return {**stacks, **variants}


STACK_NAMES = ("dev", "staging", "prod", "bastion", "hub")


def _zone_name(stack: Stack, zone_id: str) -> str | None:
    """Resolve a zone id, a reference to a zone in the stack or a literal id, to its name."""
    match = re.fullmatch(r"\$\{azurerm_private_dns_zone\.(\w+)\.id\}", zone_id)
    if match:
        return resources_of(stack, "azurerm_private_dns_zone")[match.group(1)]["name"]
    return private_dns_zone_name(zone_id)


@pytest.mark.parametrize("name", STACK_NAMES)
def test_endpoint_zones_match_subresource(every_stack: dict[str, Stack], name: str) -> None:
    stack = every_stack[name]
    endpoints = resources_of(stack, "azurerm_private_endpoint")

    assert endpoints, "the environment has PaaS resources, so it must have endpoints"
    for address, endpoint in endpoints.items():
        (subresource,) = endpoint["private_service_connection"]["subresource_names"]
        zone_ids = endpoint["private_dns_zone_group"]["private_dns_zone_ids"]
        zones = {_zone_name(stack, zone_id) for zone_id in zone_ids}
        assert zones, f"{address} has no DNS zone in its zone group"
        assert zones <= _allowed_zones(endpoint, subresource), f"{address}: {zones}"


def _allowed_zones(endpoint: dict[str, Any], subresource: str) -> set[str]:
    """Return the zones an endpoint may use; Purview's `account` is not Cognitive Services'."""
    target = endpoint["private_service_connection"]["private_connection_resource_id"]
    if target.startswith("${azurerm_purview_account."):
        account_zone, portal_zone = PURVIEW_DNS_ZONES
        return {account_zone} if subresource == "account" else {portal_zone}
    return set(PRIVATE_DNS_ZONES.get(subresource, ()))


@pytest.mark.parametrize("name", STACK_NAMES)
def test_paas_public_access_disabled(every_stack: dict[str, Stack], name: str) -> None:
    for resource_type in PAAS_TYPES:
        for address, body in resources_of(every_stack[name], resource_type).items():
            assert body.get("public_network_access_enabled") is False, f"{resource_type}.{address}"


@pytest.mark.parametrize("name", STACK_NAMES)
def test_every_paas_resource_has_endpoint(every_stack: dict[str, Stack], name: str) -> None:
    stack = every_stack[name]
    targets = {
        body["private_service_connection"]["private_connection_resource_id"]
        for body in resources_of(stack, "azurerm_private_endpoint").values()
    }

    for resource_type in PAAS_TYPES:
        for address in resources_of(stack, resource_type):
            assert f"${{{resource_type}.{address}.id}}" in targets, f"{resource_type}.{address}"


@pytest.mark.parametrize("name", STACK_NAMES)
def test_no_vault_uses_access_policies(every_stack: dict[str, Stack], name: str) -> None:
    stack = every_stack[name]

    assert resources_of(stack, "azurerm_key_vault_access_policy") == {}
    for address, vault in resources_of(stack, "azurerm_key_vault").items():
        assert "access_policy" not in vault, address
        assert vault["rbac_authorization_enabled"] is True, address


@pytest.mark.parametrize("name", STACK_NAMES)
def test_storage_accounts_have_no_shared_keys(every_stack: dict[str, Stack], name: str) -> None:
    for address, account in resources_of(every_stack[name], "azurerm_storage_account").items():
        assert account["shared_access_key_enabled"] is False, address


def secret_findings(stack: Stack) -> list[str]:
    """Return the places where `stack` contains or exposes something like a secret."""
    findings = [
        f"resource.{resource_type}.{address}{where}"
        for resource_type, address, body in all_resources(stack)
        for where in _secrets_in(body, "")
    ]
    findings += [
        f"output.{name}{where}"
        for name, output in stack.get("output", {}).items()
        for where in _secrets_in(output, "")
    ]
    findings += [
        f"output.{name} is sensitive"
        for name, output in stack.get("output", {}).items()
        if output.get("sensitive")
    ]
    findings += [
        f"resource.azurerm_key_vault_secret.{address} has a literal value"
        for address, body in resources_of(stack, "azurerm_key_vault_secret").items()
        if "${" not in str(body.get("value", ""))
    ]
    return findings


def _secrets_in(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SECRET_ATTRIBUTES:
                yield f"{path}.{key} is a secret attribute"
            yield from _secrets_in(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _secrets_in(item, f"{path}[{index}]")
    elif isinstance(value, str):
        if SECRET_REFERENCE.search(value):
            yield f"{path} reads a secret attribute: {value}"
        kind = secret_kind(value)
        if kind is not None:
            yield f"{path} looks like {kind}"


@pytest.mark.parametrize("name", STACK_NAMES)
def test_no_secret_in_stack_or_outputs(every_stack: dict[str, Stack], name: str) -> None:
    assert secret_findings(every_stack[name]) == []


@pytest.mark.parametrize(
    ("planted", "expected"),
    [
        ({"output": {"key": {"value": "${azurerm_storage_account.datalake.primary_access_key}"}}},
         "output.key.value reads a secret attribute"),
        ({"output": {"kube": {"value": "${azurerm_kubernetes_cluster.aks.kube_config_raw}",
                              "sensitive": True}}},
         "output.kube is sensitive"),
        ({"resource": {"azurerm_linux_virtual_machine": {"vm": {"admin_password": "x"}}}},
         "resource.azurerm_linux_virtual_machine.vm.admin_password is a secret attribute"),
        ({"resource": {"azurerm_app": {"app": {"setting": "DefaultEndpointsProtocol=https;"}}}},
         "looks like a storage account key or connection string"),
        ({"resource": {"azurerm_app": {"app": {"url": "https://a.blob.core.windows.net/c?sv=2022"
                                                      "&sig=abcdefghijklmnop1234%3D"}}}},
         "looks like a shared access key or signature"),
        ({"resource": {"azurerm_key_vault_secret": {"s": {"value": "hunter2"}}}},
         "has a literal value"),
    ],
)
def test_secret_scan_finds_planted_secret(planted: Stack, expected: str) -> None:
    findings = secret_findings(planted)

    assert any(expected in finding for finding in findings), findings


def test_secret_scan_accepts_public_ssh_key(every_stack: dict[str, Stack]) -> None:
    vm = resources_of(every_stack["dev"], "azurerm_linux_virtual_machine")["gpu_vm"]

    assert vm["admin_ssh_key"][0]["public_key"].startswith("ssh-ed25519 ")
    assert secret_findings({"resource": {"x": {"vm": vm}}}) == []


SPEC_SECRETS = [
    (["tags", "extra", "db-password"], "correct horse battery staple",
     r'tags\.extra\["db-password"\] is named like a secret'),
    (["tags", "extra", "note"], "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc==",
     r'tags\.extra\["note"\] looks like a storage account key or connection string'),
    (["network", "subnets", "endpoints", "nsg_rules", 0, "description"],
     "Server=db;User Id=sa;Password=Secret123;",
     r"nsg_rules\[0\]\.description looks like a password in a connection string"),
    (["name_seed"], "-----BEGIN OPENSSH PRIVATE KEY-----",
     r"name_seed looks like a private key"),
    (["tags", "extra", "ci"], "ghp_" + "a1B2" * 9,
     r'tags\.extra\["ci"\] looks like a GitHub token'),
]


@pytest.mark.parametrize(("path", "secret", "match"), SPEC_SECRETS)
def test_spec_with_secret_rejected(path: list[Any], secret: str, match: str) -> None:
    data = spec_data("dev")
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = secret

    with pytest.raises(SpecError, match=match) as error:
        EnvironmentSpec.from_data(data)

    assert secret not in str(error.value)
    assert "<redacted" in str(error.value)


def test_builtin_specs_hold_no_secret(builtin_specs: dict[str, EnvironmentSpec]) -> None:
    for spec in builtin_specs.values():
        dumped = json.dumps(spec.model_dump(mode="json"))

        assert secret_kind(dumped) is None, spec.name


@given(
    body=st.from_regex(r"[A-Za-z0-9+/]{68}", fullmatch=True),
    comment=st.from_regex(r"[a-z][a-z@.-]{0,30}", fullmatch=True),
)
def test_public_ssh_keys_never_look_secret(body: str, comment: str) -> None:
    key = f"ssh-ed25519 {body} {comment}"

    assert secret_kind(key) is None
