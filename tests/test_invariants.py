"""Rules that hold for every synthesized stack, whatever the environment."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import pytest

from constructs_ai.specs.network import INTERNET_SOURCES, MANAGEMENT_PORTS
from tests.conftest import ENVIRONMENT_NAMES, Stack, all_resources, resources_of

REQUIRED_TAGS = ("environment", "workload", "owner", "cost-center", "managed-by")


def _is_taggable(resource_type: str) -> bool:
    from importlib import import_module

    if not resource_type.startswith("azurerm_"):
        # Other providers' resources (time_sleep) have no Azure tags.
        return False
    module = import_module(f"cdktf_cdktf_provider_azurerm.{resource_type.removeprefix('azurerm_')}")
    classes = [value for value in vars(module).values() if isinstance(value, type)]
    main = next(cls for cls in classes if getattr(cls, "TF_RESOURCE_TYPE", None) == resource_type)
    return isinstance(getattr(main, "tags", None), property)


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_every_taggable_resource_has_required_tags(
    stacks: dict[str, Stack], environment: str
) -> None:
    missing = [
        f"{resource_type}.{name}: {tag}"
        for resource_type, name, body in all_resources(stacks[environment])
        if _is_taggable(resource_type)
        for tag in REQUIRED_TAGS
        if tag not in body.get("tags", {})
    ]

    assert missing == []


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_required_tag_values_match_environment(stacks: dict[str, Stack], environment: str) -> None:
    values = {
        body["tags"]["environment"]
        for _, _, body in all_resources(stacks[environment])
        if "tags" in body
    }

    assert values == {environment}


def _port_ranges(rule: dict) -> list[tuple[int, int]]:  # type: ignore[type-arg]
    ranges = rule.get("destination_port_ranges") or [rule.get("destination_port_range", "*")]
    parsed = []
    for text in ranges:
        if text == "*":
            parsed.append((0, 65535))
        else:
            low, _, high = text.partition("-")
            parsed.append((int(low), int(high or low)))
    return parsed


def _internet_source(rule: dict) -> bool:  # type: ignore[type-arg]
    sources = rule.get("source_address_prefixes") or [rule.get("source_address_prefix", "*")]
    return any(source.lower() in INTERNET_SOURCES for source in sources)


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_no_nsg_allows_management_ports_from_internet(
    stacks: dict[str, Stack], environment: str
) -> None:
    offending = [
        name
        for name, rule in resources_of(stacks[environment], "azurerm_network_security_rule").items()
        if rule["direction"] == "Inbound"
        and rule["access"] == "Allow"
        and _internet_source(rule)
        and any(
            low <= port <= high for low, high in _port_ranges(rule) for port in MANAGEMENT_PORTS
        )
    ]

    assert offending == []


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_ssh_sources_are_private_or_documentation_ranges(
    stacks: dict[str, Stack], environment: str
) -> None:
    rules = resources_of(stacks[environment], "azurerm_network_security_rule").values()
    sources = [
        ipaddress.ip_network(source)
        for rule in rules
        if rule.get("destination_port_range") == "22" and rule["access"] == "Allow"
        for source in rule.get("source_address_prefixes") or [rule["source_address_prefix"]]
    ]

    assert all(network.prefixlen >= 8 for network in sources)


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_no_cdktf_token_text_left(synth_dir: Path, environment: str) -> None:
    text = (synth_dir / "stacks" / environment / "cdk.tf.json").read_text()

    assert "${TfToken" not in text
    assert "Token[" not in text


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_no_machine_specific_paths(synth_dir: Path, environment: str) -> None:
    text = (synth_dir / "stacks" / environment / "cdk.tf.json").read_text()

    assert str(synth_dir) not in text
    assert str(Path.cwd()) not in text
    assert '"local"' not in json.dumps(json.loads(text)["terraform"].get("backend", {}))


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_logical_ids_are_chosen_not_hashed(stacks: dict[str, Stack], environment: str) -> None:
    hashed = [
        f"{resource_type}.{name}"
        for resource_type, name, body in all_resources(stacks[environment])
        if body["//"]["metadata"]["uniqueId"] != name or any(c.isupper() for c in name)
    ]

    assert hashed == []


def test_two_synths_are_byte_identical(builtin_specs, synth_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from constructs_ai.synth import synth_to

    again = synth_to(list(builtin_specs.values()), tmp_path / "again")

    for environment in ENVIRONMENT_NAMES:
        first = (synth_dir / "stacks" / environment / "cdk.tf.json").read_bytes()
        second = (again / "stacks" / environment / "cdk.tf.json").read_bytes()
        assert first == second, environment
    manifest = (synth_dir / "manifest.json").read_text()
    assert manifest == (again / "manifest.json").read_text()
    assert "stackTrace" not in manifest
