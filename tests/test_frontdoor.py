"""Front Door: WAF in prevention mode, private link origin and its approval step."""

from __future__ import annotations

from typing import Any

import pytest

from constructs_ai.errors import SpecError
from constructs_ai.specs import EnvironmentSpec
from tests.conftest import Stack, resources_of
from tests.factories import spec_data

FRONT_DOOR_ENVIRONMENTS = ("staging", "prod")


def spec_error(data: dict[str, Any], match: str) -> SpecError:
    with pytest.raises(SpecError, match=match) as caught:
        EnvironmentSpec.from_data(data)
    return caught.value


@pytest.mark.parametrize("environment", FRONT_DOOR_ENVIRONMENTS)
def test_profile_is_premium_with_waf_prevention(stacks: dict[str, Stack], environment: str) -> None:
    stack = stacks[environment]
    profile = resources_of(stack, "azurerm_cdn_frontdoor_profile")["afd"]
    waf = resources_of(stack, "azurerm_cdn_frontdoor_firewall_policy")["afd_waf"]
    policy = resources_of(stack, "azurerm_cdn_frontdoor_security_policy")["afd_security_policy"]

    assert profile["sku_name"] == "Premium_AzureFrontDoor"
    assert waf["mode"] == "Prevention"
    assert waf["enabled"] is True
    assert {rule["type"] for rule in waf["managed_rule"]} == {
        "Microsoft_DefaultRuleSet",
        "Microsoft_BotManagerRuleSet",
    }
    firewall = policy["security_policies"]["firewall"]
    assert firewall["cdn_frontdoor_firewall_policy_id"] == (
        "${azurerm_cdn_frontdoor_firewall_policy.afd_waf.id}"
    )
    assert firewall["association"]["domain"] == [
        {"cdn_frontdoor_domain_id": "${azurerm_cdn_frontdoor_endpoint.afd_endpoint.id}"}
    ]


@pytest.mark.parametrize("environment", FRONT_DOOR_ENVIRONMENTS)
def test_origin_is_openai_over_private_link(stacks: dict[str, Stack], environment: str) -> None:
    stack = stacks[environment]
    origin = resources_of(stack, "azurerm_cdn_frontdoor_origin")["afd_origin"]
    account = resources_of(stack, "azurerm_cognitive_account")["openai"]

    assert origin["host_name"] == f"{account['custom_subdomain_name']}.openai.azure.com"
    assert origin["origin_host_header"] == origin["host_name"]
    assert origin["certificate_name_check_enabled"] is True
    assert (
        origin["private_link"]["private_link_target_id"] == "${azurerm_cognitive_account.openai.id}"
    )
    assert origin["private_link"]["location"] == account["location"]


@pytest.mark.parametrize("environment", FRONT_DOOR_ENVIRONMENTS)
def test_origin_group_probes_health(stacks: dict[str, Stack], environment: str) -> None:
    group = resources_of(stacks[environment], "azurerm_cdn_frontdoor_origin_group")
    probe = group["afd_origin_group"]["health_probe"]

    assert probe == {
        "interval_in_seconds": 100,
        "path": "/",
        "protocol": "Https",
        "request_type": "HEAD",
    }


@pytest.mark.parametrize("environment", FRONT_DOOR_ENVIRONMENTS)
def test_route_is_https_only(stacks: dict[str, Stack], environment: str) -> None:
    route = resources_of(stacks[environment], "azurerm_cdn_frontdoor_route")["afd_route"]

    assert route["supported_protocols"] == ["Https"]
    assert route["forwarding_protocol"] == "HttpsOnly"
    assert route["cdn_frontdoor_origin_ids"] == ["${azurerm_cdn_frontdoor_origin.afd_origin.id}"]


@pytest.mark.parametrize("environment", FRONT_DOOR_ENVIRONMENTS)
def test_approval_step_is_stack_output(stacks: dict[str, Stack], environment: str) -> None:
    approval = stacks[environment]["output"]["front_door_private_link_approval"]["value"]

    assert "az network private-endpoint-connection approve" in approval
    assert "${azurerm_cognitive_account.openai.id}" in approval


def test_dev_has_no_front_door(stacks: dict[str, Stack]) -> None:
    assert resources_of(stacks["dev"], "azurerm_cdn_frontdoor_profile") == {}
    assert "front_door_private_link_approval" not in stacks["dev"]["output"]


def test_standard_with_private_link_origin_rejected() -> None:
    data = spec_data("prod")
    data["front_door"]["sku"] = "Standard_AzureFrontDoor"

    error = spec_error(data, match=r"only Front Door Premium connects to origins over Private")

    (problem,) = error.problems
    assert problem.field == "front_door.sku"
    assert problem.value == '"Standard_AzureFrontDoor"'


def test_public_openai_origin_rejected() -> None:
    data = spec_data("staging")
    data["front_door"]["sku"] = "Standard_AzureFrontDoor"
    data["front_door"]["origin"]["private_link_enabled"] = False

    error = spec_error(
        data,
        match=r"front_door\.origin\.private_link_enabled must be true when the origin is the "
        r"OpenAI account, because the account has public network access disabled.*; got "
        r"false\. Set front_door\.origin\.private_link_enabled to true",
    )

    assert len(error.problems) == 1


def test_standard_tier_fix_for_openai_needs_premium() -> None:
    data = spec_data("prod")
    data["front_door"]["sku"] = "Standard_AzureFrontDoor"

    spec_error(data, match=r'Use "Premium_AzureFrontDoor", because the OpenAI origin needs')


def test_openai_origin_without_account_rejected() -> None:
    data = spec_data("prod")
    data["openai"] = None

    error = spec_error(data, match=r"needs an Azure OpenAI account, but openai is not set")

    assert error.problems[0].field == "front_door.origin.kind"


def test_private_link_service_origin_needs_id() -> None:
    data = spec_data("prod")
    data["front_door"]["origin"] = {"kind": "private_link_service", "host_name": "api.contoso.com"}

    error = spec_error(data, match=r"must be set for kind private_link_service")

    assert error.problems[0].field == "front_door.origin.private_link_service_id"


def test_openai_origin_with_host_name_rejected() -> None:
    data = spec_data("prod")
    data["front_door"]["origin"]["host_name"] = "api.contoso.com"

    error = spec_error(data, match=r"applies to kind private_link_service only")

    assert error.problems[0].field == "front_door.origin.host_name"
