"""Azure OpenAI: the synthesized account and deployments, and the spec's quota and catalog rules."""

from __future__ import annotations

import re
from typing import Any

import pytest

from constructs_ai.capacity import CapacityTable, plan_capacity
from constructs_ai.errors import SpecError
from constructs_ai.specs import EnvironmentSpec
from tests.conftest import ENVIRONMENT_NAMES, Stack, resources_of
from tests.factories import spec_data

SUBDOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])$")


def annotations_of(spec: EnvironmentSpec, kind: str) -> list[str]:
    """Build the spec's stack and return the messages of one annotation kind (`warn`, `info`)."""
    from cdktf import Testing

    from constructs_ai.environment import AiEnvironmentStack

    stack = AiEnvironmentStack(Testing.app(), spec.name, spec=spec)
    return [
        str(entry.data)
        for construct in stack.node.find_all()
        for entry in construct.node.metadata
        if entry.type == f"@cdktf/{kind}"
    ]


def spec_error(data: dict[str, Any], match: str) -> SpecError:
    with pytest.raises(SpecError, match=match) as caught:
        EnvironmentSpec.from_data(data)
    return caught.value


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_account_is_keyless_private_with_subdomain(
    stacks: dict[str, Stack], environment: str
) -> None:
    account = resources_of(stacks[environment], "azurerm_cognitive_account")["openai"]

    assert account["kind"] == "OpenAI"
    assert account["local_auth_enabled"] is False
    assert account["public_network_access_enabled"] is False
    assert account["network_acls"]["default_action"] == "Deny"
    assert account["outbound_network_access_restricted"] is True
    assert "fqdns" not in account
    assert account["identity"]["type"] == "SystemAssigned"
    assert SUBDOMAIN.match(account["custom_subdomain_name"])
    assert account["custom_subdomain_name"].startswith(f"oai-mlp-{environment}-")


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_deployments_chained_in_key_order(stacks: dict[str, Stack], environment: str) -> None:
    deployments = resources_of(stacks[environment], "azurerm_cognitive_deployment")
    ordered = sorted(deployments, key=lambda address: deployments[address]["name"])

    first, *rest = ordered

    assert "depends_on" not in deployments[first]
    for previous, current in zip(ordered, rest, strict=False):
        expected = [f"azurerm_cognitive_deployment.{previous}"]
        assert deployments[current]["depends_on"] == expected, current


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_capacities_equal_planner_result(
    stacks: dict[str, Stack], builtin_specs, environment: str
) -> None:  # type: ignore[no-untyped-def]
    openai = builtin_specs[environment].openai
    deployments = resources_of(stacks[environment], "azurerm_cognitive_deployment")
    table = CapacityTable.load_default().with_overrides(openai.model_constant_overrides)

    for key, deployment in openai.deployments.items():
        plan = plan_capacity(
            deployment.workload,
            model=deployment.model,
            deployment_type=deployment.deployment_type,
            model_version=deployment.model_version,
            table=table,
        )
        synthesized = deployments[f"openai_deployment_{key}"]
        assert synthesized["sku"]["capacity"] == plan.capacity, key
        assert synthesized["sku"]["name"] == deployment.deployment_type.value
        assert synthesized["model"] == {
            "format": "OpenAI",
            "name": deployment.model,
            "version": deployment.model_version,
        }


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_capacity_table_date_is_output(stacks: dict[str, Stack], environment: str) -> None:
    outputs = stacks[environment]["output"]

    expected = CapacityTable.load_default().as_of.isoformat()
    assert outputs["openai_capacity_table_as_of"]["value"] == expected


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_throttling_alert_counts_429(stacks: dict[str, Stack], environment: str) -> None:
    alert = resources_of(stacks[environment], "azurerm_monitor_metric_alert")[
        "openai_alert_throttled"
    ]
    criteria = alert["criteria"][0]

    assert criteria["metric_name"] == "AzureOpenAIRequests"
    assert criteria["metric_namespace"] == "Microsoft.CognitiveServices/accounts"
    assert criteria["dimension"] == [
        {"name": "StatusCode", "operator": "Include", "values": ["429"]}
    ]
    assert alert["scopes"] == ["${azurerm_cognitive_account.openai.id}"]
    assert alert["action"] == [{"action_group_id": "${azurerm_monitor_action_group.ag.id}"}]


def test_ptu_alert_only_with_provisioned_deployment(stacks: dict[str, Stack]) -> None:
    def ptu_alert(environment: str) -> dict[str, Any] | None:
        alerts = resources_of(stacks[environment], "azurerm_monitor_metric_alert")
        return alerts.get("openai_alert_ptu_utilization")

    assert ptu_alert("dev") is None
    prod_alert = ptu_alert("prod")
    assert prod_alert is not None
    assert prod_alert["criteria"][0]["metric_name"] == "AzureOpenAIProvisionedManagedUtilizationV2"
    assert prod_alert["criteria"][0]["threshold"] == 90


def test_quota_exceeded_by_two_deployments_rejected() -> None:
    data = spec_data("dev")
    chat = data["openai"]["deployments"]["chat"]
    data["openai"]["deployments"]["chat-batch"] = {**chat, "workload": None, "capacity": 150}

    error = spec_error(data, match=r"add up to 222 units, above the quota of 200")

    (problem,) = error.problems
    assert problem.field == "openai.quotas"
    assert problem.value == '["chat", "chat-batch"]'
    assert "chat (72), chat-batch (150)" in problem.fix


def test_undeclared_quota_rejected() -> None:
    data = spec_data("dev")
    data["openai"]["quotas"] = data["openai"]["quotas"][:1]

    error = spec_error(data, match=r"needs a declared quota for text-embedding-3-small")

    assert error.problems[0].field == 'openai.deployments["embed"]'


def test_repeated_quota_rejected() -> None:
    data = spec_data("dev")
    data["openai"]["quotas"].append(data["openai"]["quotas"][0])

    error = spec_error(data, match=r"must not repeat a model and deployment type")

    assert error.problems[0].field == "openai.quotas[2]"


def test_version_not_in_catalog_for_region_rejected() -> None:
    data = spec_data("dev")
    data["openai"]["deployments"]["chat"]["model_version"] = "2024-05-13"

    error = spec_error(data, match=r"must be a version of gpt-4o-mini that Azure offers")

    (problem,) = error.problems
    assert problem.field == 'openai.deployments["chat"].model_version'
    assert problem.value == '"2024-05-13"'
    assert "in swedencentral" in problem.rule
    assert '"2024-07-18"' in problem.fix


def test_type_not_offered_in_region_rejected() -> None:
    data = spec_data("dev")
    data["openai"]["location"] = "japaneast"
    data["openai"]["deployments"]["chat"]["deployment_type"] = "DataZoneStandard"
    data["openai"]["quotas"][0]["deployment_type"] = "DataZoneStandard"

    error = spec_error(data, match=r"as DataZoneStandard in japaneast")

    assert "Use a region that offers it" in error.problems[0].fix


def test_catalog_extension_accepts_version() -> None:
    data = spec_data("dev")
    data["openai"]["deployments"]["chat"]["model_version"] = "2025-01-01"
    data["openai"]["catalog_extensions"] = [
        {
            "model": "gpt-4o-mini",
            "version": "2025-01-01",
            "deployment_types": ["GlobalStandard"],
            "regions": ["swedencentral"],
        }
    ]

    spec = EnvironmentSpec.from_data(data)

    assert spec.openai is not None
    assert spec.openai.deployments["chat"].model_version == "2025-01-01"


def test_catalog_extension_unknown_region_rejected() -> None:
    data = spec_data("dev")
    data["openai"]["catalog_extensions"] = [
        {
            "model": "gpt-4o-mini",
            "version": "2025-01-01",
            "deployment_types": ["GlobalStandard"],
            "regions": ["Sweden Central"],
        }
    ]

    error = spec_error(data, match=r"must be Azure region names in lowercase")

    assert error.problems[0].field == "openai.catalog_extensions[0].regions"


def test_model_constant_override_changes_capacity() -> None:
    data = spec_data("dev")
    data["openai"]["model_constant_overrides"] = {"gpt-4o-mini": {"tpm_per_unit": 2000}}

    spec = EnvironmentSpec.from_data(data)

    assert spec.openai is not None
    assert spec.openai.capacities()["chat"] == 36


def test_overridden_models_reported() -> None:
    data = spec_data("dev")
    data["openai"]["model_constant_overrides"] = {"gpt-4o-mini": {"tpm_per_unit": 2000}}

    infos = annotations_of(EnvironmentSpec.from_data(data), "info")

    assert any("with the spec's constants for gpt-4o-mini" in message for message in infos), infos


def test_invalid_model_constant_override_rejected() -> None:
    data = spec_data("dev")
    data["openai"]["model_constant_overrides"] = {"gpt-4o-mini": {"tpm_per_unit": 0}}

    error = spec_error(data, match=r"invalid capacity constant override")

    assert error.problems[0].field == "openai.model_constant_overrides"


def test_deployment_without_capacity_source_rejected() -> None:
    data = spec_data("dev")
    data["openai"]["deployments"]["chat"]["workload"] = None

    error = spec_error(data, match=r"or workload must be set")

    assert error.problems[0].field == 'openai.deployments["chat"].capacity'


def test_batch_deployment_with_workload_rejected() -> None:
    data = spec_data("dev")
    data["openai"]["deployments"]["chat"]["deployment_type"] = "GlobalBatch"

    error = spec_error(data, match=r"cannot size a batch deployment")

    assert error.problems[0].field == 'openai.deployments["chat"].workload'


def test_workload_unfit_for_model_rejected() -> None:
    data = spec_data("dev")
    data["openai"]["deployments"]["embed"]["workload"]["completion_tokens"] = 100

    error = spec_error(data, match=r"completion_tokens must be 0 or unset for embedding model")

    assert error.problems[0].field == 'openai.deployments["embed"].workload'


def test_ptu_quota_with_model_rejected() -> None:
    data = spec_data("prod")
    data["openai"]["quotas"][0]["model"] = "gpt-4o"

    error = spec_error(data, match=r"PTU quota is shared by all models")

    assert error.problems[0].field == "openai.quotas[0].model"


@pytest.mark.parametrize("subdomain", ["-oai", "oai-", "OAI", "a", "x" * 65, "oai_dev"])
def test_invalid_custom_subdomain_rejected(subdomain: str) -> None:
    data = spec_data("dev")
    data["openai"]["custom_subdomain"] = subdomain

    error = spec_error(data, match=r"must be 2-64 lowercase letters, digits or hyphens")

    assert error.problems[0].field == "openai.custom_subdomain"


def test_alert_window_outside_azure_set_rejected() -> None:
    data = spec_data("dev")
    data["openai"]["alerts"] = {"window_minutes": 10}

    error = spec_error(data, match=r"must be 1, 5, 15, 30 or 60")

    assert error.problems[0].field == "openai.alerts.window_minutes"


def test_explicit_capacity_too_small_warns() -> None:
    data = spec_data("dev")
    data["openai"]["deployments"]["chat"]["capacity"] = 10

    warnings = annotations_of(EnvironmentSpec.from_data(data), "warn")

    assert any(
        message.startswith("[constructs-ai:openai:capacity-below-required] deployment chat:")
        for message in warnings
    ), warnings


def test_explicit_capacity_far_too_large_warns() -> None:
    data = spec_data("dev")
    data["openai"]["deployments"]["chat"]["capacity"] = 190

    warnings = annotations_of(EnvironmentSpec.from_data(data), "warn")

    matching = [w for w in warnings if "capacity-far-above-required" in w]
    assert len(matching) == 1, warnings
    assert "capacity 190 is more than 2 times the 72" in matching[0]


def test_sized_capacity_gives_no_capacity_warning(builtin_specs) -> None:  # type: ignore[no-untyped-def]
    warnings = annotations_of(builtin_specs["dev"], "warn")
    infos = annotations_of(builtin_specs["dev"], "info")

    assert not [w for w in warnings if "capacity" in w]
    assert any("capacity table as of 2026-05-01" in message for message in infos)


def test_grant_use_assigns_openai_user_role(builtin_specs) -> None:  # type: ignore[no-untyped-def]
    import json

    from cdktf import Testing

    from constructs_ai.environment import AiEnvironmentStack
    from constructs_ai.identity import ManagedIdentity

    stack = AiEnvironmentStack(Testing.app(), "dev", spec=builtin_specs["dev"])
    identity = ManagedIdentity(
        stack, "app", name="id-app", key="app", resource_group=stack.resource_group
    )
    openai = stack.ai_services.openai
    assert openai is not None

    openai.grant_use(identity)

    assignments = json.loads(Testing.synth(stack))["resource"]["azurerm_role_assignment"]
    grant = assignments["ra_openai_cognitive_services_openai_user_app"]
    assert grant["role_definition_name"] == "Cognitive Services OpenAI User"
    assert grant["scope"] == "${azurerm_cognitive_account.openai.id}"


def test_private_link_targets_name_openai_zones(builtin_specs) -> None:  # type: ignore[no-untyped-def]
    from cdktf import Testing

    from constructs_ai.environment import AiEnvironmentStack

    stack = AiEnvironmentStack(Testing.app(), "prod", spec=builtin_specs["prod"])

    targets = {target.key: target for target in stack.ai_services.private_link_targets()}

    assert targets["openai"].subresource == "account"
    assert targets["openai"].dns_zones == (
        "privatelink.openai.azure.com",
        "privatelink.cognitiveservices.azure.com",
    )
    assert targets["mlw"].subresource == "amlworkspace"
    assert targets["mlw_vault"].subresource == "vault"
    assert targets["mlw_registry"].subresource == "registry"
    assert targets["purview_portal"].subresource == "portal"
    assert stack.ai_services.openai_last_deployment is not None


def test_allowed_outbound_fqdns_listed(synth_spec) -> None:  # type: ignore[no-untyped-def]
    data = spec_data("dev")
    data["openai"]["allowed_outbound_fqdns"] = ["srch-mlp-dev.search.windows.net"]

    stack = synth_spec(EnvironmentSpec.from_data(data))

    account = resources_of(stack, "azurerm_cognitive_account")["openai"]
    assert account["outbound_network_access_restricted"] is True
    assert account["fqdns"] == ["srch-mlp-dev.search.windows.net"]
