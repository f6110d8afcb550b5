"""Rules added after a new-user review: each bad spec fails before synth with the reason."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest

from constructs_ai.errors import SpecError, show
from constructs_ai.specs import EnvironmentSpec
from constructs_ai.specs.environment import REQUIRED_TAG_NAMES
from tests.factories import spec_data


def load(data: dict[str, Any]) -> EnvironmentSpec:
    return EnvironmentSpec.from_data(data)


def _endpoint_rule(data: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = data["network"]["subnets"]["endpoints"]["nsg_rules"][0]
    return rule


# Sources that are the internet in all but name.
@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("0.0.0.0/1", r"is broader than a /8"),
        ("128.0.0.0/1", r"is broader than a /8"),
        ("0.0.0.0/0 ", r"is the internet"),
        ("AzureCloud", r"is every public Azure address"),
    ],
)
def test_ssh_source_near_internet_rejected(source: str, reason: str) -> None:
    data = spec_data("dev")
    data["network"]["ssh_source_cidrs"] = [source]

    with pytest.raises(
        SpecError,
        match=rf"network\.ssh_source_cidrs\[0\] must not be the internet, but it {reason}.*"
        rf'got "{source}"\. List the CIDRs',
    ):
        load(data)


def test_ssh_source_with_spaces_is_rejected() -> None:
    data = spec_data("dev")
    data["network"]["ssh_source_cidrs"] = [" 203.0.113.0/28"]

    with pytest.raises(
        SpecError,
        match=r"network\.ssh_source_cidrs\[0\] must not have spaces around it; "
        r'got " 203\.0\.113\.0/28"\. Write "203\.0\.113\.0/28"\.',
    ):
        load(data)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("0.0.0.0/1", r'"0\.0\.0\.0/1" is broader than a /8'),
        ("::/0", r'"::/0" is broader than a /16'),
        ("2001::/15", r'"2001::/15" is broader than a /16'),
        ("AzureCloud", r'"AzureCloud" is every public Azure address'),
        ("AzureCloud.WestEurope", r'"AzureCloud\.WestEurope" is every public Azure address'),
    ],
)
def test_nsg_ssh_from_broad_source_rejected(source: str, reason: str) -> None:
    data = spec_data("dev")
    rule = _endpoint_rule(data)
    rule["source_address_prefixes"] = ["10.0.0.0/24", source]
    rule["destination_port_ranges"] = ["22"]

    with pytest.raises(
        SpecError,
        match=r'network\.subnets\["endpoints"\]\.nsg_rules\[0\]\.source_address_prefixes '
        rf"must not allow SSH \(port 22\) from the internet \({reason}.*List specific source",
    ):
        load(data)


def test_nsg_rdp_from_padded_internet_rejected() -> None:
    data = spec_data("dev")
    rule = _endpoint_rule(data)
    rule["source_address_prefixes"] = ["0.0.0.0/0 "]
    rule["destination_port_ranges"] = ["3389"]

    with pytest.raises(SpecError, match=r"must not have spaces around it"):
        load(data)


def test_nsg_rdp_from_internet_rejected() -> None:
    data = spec_data("dev")
    rule = _endpoint_rule(data)
    rule["source_address_prefixes"] = ["0.0.0.0/0"]
    rule["destination_port_ranges"] = ["3389"]

    with pytest.raises(SpecError, match=r"must not allow RDP \(port 3389\) from the internet"):
        load(data)


def test_nsg_rule_with_padded_source_names_the_whitespace() -> None:
    data = spec_data("dev")
    _endpoint_rule(data)["source_address_prefixes"] = ["VirtualNetwork "]

    with pytest.raises(
        SpecError,
        match=r"nsg_rules\[0\]\.source_address_prefixes\[0\] must not have spaces around it; "
        r'got "VirtualNetwork "\. Write an address',
    ):
        load(data)


def test_azure_cloud_may_reach_https() -> None:
    data = spec_data("dev")
    _endpoint_rule(data)["source_address_prefixes"] = ["AzureCloud"]

    assert load(data).network.subnets["endpoints"].nsg_rules[0].source_address_prefixes == [
        "AzureCloud"
    ]


def test_udp_rule_on_port_22_is_not_ssh() -> None:
    data = spec_data("dev")
    rule = _endpoint_rule(data)
    rule["protocol"] = "Udp"
    rule["source_address_prefixes"] = ["Internet"]
    rule["destination_port_ranges"] = ["22"]

    assert load(data).network.subnets["endpoints"].nsg_rules[0].protocol.value == "Udp"


@pytest.mark.parametrize("field", ["source_address_prefixes", "destination_address_prefixes"])
def test_nsg_invalid_address_rejected(field: str) -> None:
    data = spec_data("dev")
    _endpoint_rule(data)[field] = ["10.10.0.0/24", "not-an-ip"]

    with pytest.raises(
        SpecError,
        match=rf"nsg_rules\[0\]\.{field}\[1\] must be an IPv4 or IPv6 address or CIDR, `\*`, "
        r'or a service tag.*; got "not-an-ip"\. Write an address such as',
    ):
        load(data)


@pytest.mark.parametrize(
    "prefix",
    [
        "*",
        "10.1.2.3",
        "10.0.0.0/8",
        "2001:db8::/32",
        "VirtualNetwork",
        "AzureLoadBalancer",
        "Storage.WestEurope",
    ],
)
def test_nsg_rule_accepts_addresses_and_service_tags(prefix: str) -> None:
    data = spec_data("dev")
    _endpoint_rule(data)["destination_address_prefixes"] = [prefix]

    assert load(data).network.subnets["endpoints"].nsg_rules[0].destination_address_prefixes == [
        prefix
    ]


@pytest.mark.parametrize("cidr", ["0.0.0.0/1", "128.0.0.0/1", "0.0.0.0/7"])
def test_api_range_broader_than_8_rejected(cidr: str) -> None:
    data = spec_data("dev")
    data["aks"]["authorized_ip_ranges"] = [cidr]

    with pytest.raises(
        SpecError,
        match=r"aks\.authorized_ip_ranges\[0\] must not be the internet or broader than a /8, "
        rf'because .*; got "{cidr}"\. List the public CIDRs',
    ):
        load(data)


def test_api_server_range_with_spaces_is_rejected() -> None:
    data = spec_data("dev")
    data["aks"]["authorized_ip_ranges"] = ["0.0.0.0/0 "]

    with pytest.raises(SpecError, match=r"aks\.authorized_ip_ranges\[0\] .*got \"0\.0\.0\.0/0 \""):
        load(data)


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        ("https://user:s3cret@hooks.contoso.com/alerts", "https://***@hooks.contoso.com/alerts"),
        ("http://user:s3cret@hooks.contoso.com/alerts", "http://***@hooks.contoso.com/alerts"),
        ("https://s3cret@hooks.contoso.com/", "https://***@hooks.contoso.com/"),
    ],
)
def test_webhook_credential_rejected_and_hidden(uri: str, shown: str) -> None:
    data = spec_data("dev")
    data["monitoring"]["action_group"]["webhook_receivers"]["incident-hook"]["uri"] = uri

    with pytest.raises(SpecError) as caught:
        load(data)

    message = str(caught.value)
    assert "s3cret" not in message
    with pytest.raises(
        SpecError,
        match=r'webhook_receivers\["incident-hook"\]\.uri must not carry a credential in its '
        rf'user info .*; got "{re.escape(shown)}"\. Remove the '
        r"user:password@ part",
    ):
        load(data)


def test_required_tag_names_match_tags() -> None:
    assert tuple(load(spec_data("dev")).required_tags()) == REQUIRED_TAG_NAMES


def test_tag_value_with_ampersand_accepted() -> None:
    data = spec_data("dev")
    data["tags"]["cost_center"] = "R&D"
    data["tags"]["extra"] = {"team": "data/ml <core> 100%?"}

    tags = load(data).all_tags()

    assert tags["cost-center"] == "R&D"
    assert tags["team"] == "data/ml <core> 100%?"


def test_tag_value_over_256_rejected() -> None:
    data = spec_data("dev")
    data["tags"]["owner"] = "x" * 257

    with pytest.raises(SpecError, match=r"tags\.owner string should have at most 256 characters"):
        load(data)


@pytest.mark.parametrize("name", ["team/ml", "a<b", "a>b", "50%", "R&D", "a\\b", "why?"])
def test_tag_name_with_forbidden_character_rejected(name: str) -> None:
    data = spec_data("dev")
    data["tags"]["extra"] = {name: "x"}

    with pytest.raises(SpecError, match=r"tags\.extra.* string should match pattern"):
        load(data)


@pytest.mark.parametrize("name", ["owner", "Environment", "COST-CENTER", "Managed-By"])
def test_extra_tag_repeating_required_name_rejected(name: str) -> None:
    data = spec_data("dev")
    data["tags"]["extra"] = {name: "someone"}

    with pytest.raises(
        SpecError,
        match=rf'tags\.extra\["{name}"\] must not be the required tag "{name.lower()}" in any '
        rf'case, because Azure tag names are case-insensitive.*; got "{name}"\. Remove',
    ):
        load(data)


def test_extra_tags_differing_in_case_rejected() -> None:
    data = spec_data("dev")
    data["tags"]["extra"] = {"team": "a", "Team": "b"}

    with pytest.raises(
        SpecError,
        match=r'tags\.extra\["Team"\] must differ from "team" in more than case.*Keep one',
    ):
        load(data)


def test_more_than_50_tags_rejected() -> None:
    data = spec_data("dev")
    data["tags"]["extra"] = {f"tag{index}": "x" for index in range(46)}

    with pytest.raises(
        SpecError,
        match=r"tags\.extra must hold at most 45 tags, because with the 5 required tags every "
        r"resource would carry 51, and Azure allows 50 per resource; got 46 tags\. Remove 1 ",
    ):
        load(data)


def test_fifty_tags_accepted() -> None:
    data = spec_data("dev")
    data["tags"]["extra"] = {f"tag{index}": "x" for index in range(45)}

    assert len(load(data).all_tags()) == 50


def test_endpoint_subnet_shared_with_aks_rejected() -> None:
    data = spec_data("dev")
    data["private_endpoints"]["subnet"] = data["aks"]["subnet"]

    with pytest.raises(
        SpecError,
        match=r"private_endpoints\.subnet must be a dedicated subnet, but aks\.subnet uses it "
        r'too; got "aks"\. Give the private endpoints their own subnet\.',
    ):
        load(data)


def _chat_workload(data: dict[str, Any]) -> dict[str, Any]:
    workload: dict[str, Any] = data["openai"]["deployments"]["chat"]["workload"]
    return workload


def test_standard_chat_without_max_tokens_rejected() -> None:
    data = spec_data("dev")
    del _chat_workload(data)["max_tokens"]

    with pytest.raises(
        SpecError,
        match=r'openai\.deployments\["chat"\]\.workload\.max_tokens must be set for gpt-4o-mini '
        r"on GlobalStandard when capacity is not given, because Azure's rate limiter counts "
        r"max_tokens for every request.*; got null\. Set max_tokens to the value your clients "
        r"send, or give a capacity of at least \d+\.$",
    ):
        load(data)


def test_standard_chat_without_max_tokens_with_capacity_accepted() -> None:
    data = spec_data("dev")
    del _chat_workload(data)["max_tokens"]
    data["openai"]["deployments"]["chat"]["capacity"] = 100

    assert load(data).openai is not None


@pytest.mark.parametrize("qps", [-1, "-1"])
def test_workload_message_states_value_once(qps: Any) -> None:
    data = spec_data("dev")
    _chat_workload(data)["qps"] = qps

    with pytest.raises(
        SpecError,
        match=r'openai\.deployments\["chat"\]\.workload\.qps must be greater than 0; got -1\. '
        r"Give the average request rate at the busiest time\.$",
    ):
        load(data)


def test_workload_cross_field_message_kept() -> None:
    data = spec_data("dev")
    _chat_workload(data)["rpm"] = "3"

    with pytest.raises(
        SpecError,
        match=r'openai\.deployments\["chat"\]\.workload exactly one of qps and rpm must be set; '
        r"got both\. Give the request rate either per second \(qps\) or per minute \(rpm\)\.$",
    ):
        load(data)


@pytest.mark.parametrize(("value", "shown"), [(True, "true"), (False, "false"), (None, "null")])
def test_show_writes_json_literals(value: Any, shown: str) -> None:
    assert show(value) == shown


def test_foundry_duplicate_project_rejected() -> None:
    data = spec_data("prod")
    data["ai_foundry"] = {"projects": ["default", "chat", "default"]}

    with pytest.raises(
        SpecError,
        match=r'ai_foundry\.projects must not list a project twice, but \["default"\] repeats.*'
        r'; got \["default", "chat", "default"\]\. Remove the repeated names\.',
    ):
        load(data)


def test_key_vault_name_without_policy_prefix_rejected() -> None:
    data = spec_data("dev")
    data["key_vault"]["name"] = "vault-mlp-dev"

    with pytest.raises(
        SpecError,
        match=r'key_vault\.name must start with "kv-" '
        r'\(policy\.name_prefixes\["azurerm_key_vault"\]\), because the policy checks every '
        r'resource name at synth; got "vault-mlp-dev"\. Rename it to start with "kv-"',
    ):
        load(data)


def test_key_vault_name_with_policy_prefix_accepted() -> None:
    data = spec_data("dev")
    data["key_vault"]["name"] = "kv-mlp-dev-custom"

    assert load(data).key_vault_name == "kv-mlp-dev-custom"


def test_openai_location_outside_policy_rejected() -> None:
    data = spec_data("dev")
    data["openai"]["location"] = "eastus2"

    with pytest.raises(
        SpecError,
        match=r'openai\.location must be one of policy\.allowed_locations \["swedencentral"\]; '
        r'got "eastus2"\. Deploy to an allowed region',
    ):
        load(data)


def test_pod_cidr_fix_names_a_free_range() -> None:
    data = spec_data("dev")
    data["aks"]["pod_cidr"] = "10.10.0.0/16"

    with pytest.raises(
        SpecError,
        match=r'aks\.pod_cidr must not overlap network\.address_space "10\.10\.0\.0/16".*'
        r"Pick a range outside the VNet, the subnets and aks\.service_cidr, such as "
        r'"10\.244\.0\.0/16"\.',
    ):
        load(data)


def test_pod_cidr_fix_skips_taken_ranges() -> None:
    data = spec_data("dev")
    data["network"]["address_space"] = ["10.10.0.0/16", "10.244.0.0/16"]
    data["aks"]["pod_cidr"] = "10.244.0.0/16"

    with pytest.raises(SpecError, match=r'aks\.pod_cidr .*such as "10\.245\.0\.0/16"\.'):
        load(data)


def test_service_cidr_fix_avoids_pod_cidr() -> None:
    data = spec_data("dev")
    data["aks"]["pod_cidr"] = "172.16.0.0/16"
    data["aks"]["service_cidr"] = "10.10.0.0/16"
    data["aks"]["dns_service_ip"] = "10.10.0.10"

    with pytest.raises(
        SpecError,
        match=r"aks\.service_cidr must not overlap network\.address_space .*aks\.pod_cidr, such "
        r'as "172\.17\.0\.0/16"\.',
    ):
        load(data)


def test_repeated_zone_rejected() -> None:
    data = spec_data("dev")
    data["aks"]["system_pool"]["zones"] = ["1", "1"]

    with pytest.raises(
        SpecError,
        match=r'aks\.system_pool\.zones must not list a zone twice, but \["1"\] repeats; '
        r'got \["1", "1"\]\. List each zone once',
    ):
        load(data)


def _key_with_type(key_type: str) -> str:
    fields = [key_type.encode(), bytes(32)]
    if key_type == "ssh-rsa":
        fields = [key_type.encode(), b"\x01\x00\x01", bytes(256)]
    blob = b"".join(len(field).to_bytes(4, "big") + field for field in fields)
    return base64.b64encode(blob).decode()


@pytest.mark.parametrize(
    ("key", "found"),
    [
        (f"ssh-rsa {_key_with_type('ssh-ed25519')} me", "contains a ssh-ed25519 key"),
        (f"ssh-ed25519 {_key_with_type('ssh-rsa')} me", "contains a ssh-rsa key"),
        (
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFjPkRDoh1KrpCfcCLsUFwDQbMUPsxWyFZvDRhFz",
            "does not decode to a complete key",
        ),
        ("ssh-rsa AAAA", "does not decode"),
    ],
)
def test_ssh_key_with_wrong_body_rejected(key: str, found: str) -> None:
    data = spec_data("dev")
    data["gpu_vm"]["ssh_public_key"] = key
    key_type = key.split(" ")[0]

    with pytest.raises(
        SpecError,
        match=rf"gpu_vm\.ssh_public_key must be an {key_type} key, but its base64 body {found}.*"
        r"Paste the whole line of the \.pub file unchanged",
    ):
        load(data)


@pytest.mark.parametrize("key_type", ["ssh-rsa", "ssh-ed25519"])
def test_ssh_key_with_matching_body_accepted(key_type: str) -> None:
    data = spec_data("dev")
    data["gpu_vm"]["ssh_public_key"] = f"{key_type} {_key_with_type(key_type)} me"

    assert load(data).gpu_vm is not None


def test_ml_cluster_counts_against_vcpu_quota() -> None:
    data = spec_data("prod")
    data["machine_learning"]["compute_cluster"]["max_node_count"] = 10

    with pytest.raises(SpecError, match=r"standardNCADSA100v4Family") as raised:
        EnvironmentSpec.from_data(data)

    assert "machine_learning.compute_cluster" in str(raised.value)


def test_ml_cluster_within_quota_accepted() -> None:
    data = spec_data("prod")

    spec = EnvironmentSpec.from_data(data)

    demands = {demand.contributor: demand for demand in spec.vcpu_demands()}
    assert "machine_learning.compute_cluster" in demands
