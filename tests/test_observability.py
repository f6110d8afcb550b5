"""Monitoring: workspace, diagnostic settings on every resource, alerts, action group, budget."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from constructs_ai.errors import SpecError
from constructs_ai.specs import EnvironmentSpec
from tests.conftest import ENVIRONMENT_NAMES, Stack, all_resources, resources_of
from tests.factories import spec_data


def diagnostic_targets(stack: Stack) -> list[str]:
    settings = resources_of(stack, "azurerm_monitor_diagnostic_setting").values()
    return [setting["target_resource_id"] for setting in settings]


def build_stack_with_extra_resources(spec: EnvironmentSpec, add: Callable[[Any], None]) -> Any:
    """Return a stack for `spec` with more resources added after it was constructed."""
    from cdktf import Testing

    from constructs_ai.environment import AiEnvironmentStack

    stack = AiEnvironmentStack(Testing.app(), spec.name, spec=spec)
    add(stack)
    return stack


def add_aks_and_key_vault(stack: Any) -> None:
    from cdktf_cdktf_provider_azurerm.key_vault import KeyVault
    from cdktf_cdktf_provider_azurerm.kubernetes_cluster import (
        KubernetesCluster,
        KubernetesClusterDefaultNodePool,
        KubernetesClusterIdentity,
    )

    group = stack.resource_group
    KubernetesCluster(
        stack,
        "aks",
        name="aks-mlp-dev",
        location=group.location,
        resource_group_name=group.name,
        dns_prefix="mlpdev",
        default_node_pool=KubernetesClusterDefaultNodePool(
            name="system", vm_size="Standard_NC4as_T4_v3", node_count=1
        ),
        identity=KubernetesClusterIdentity(type="SystemAssigned"),
    ).override_logical_id("aks")
    KeyVault(
        stack,
        "vault",
        name="kv-mlp-dev",
        location=group.location,
        resource_group_name=group.name,
        tenant_id="00000000-0000-0000-0000-000000000000",
        sku_name="standard",
    ).override_logical_id("kv")


@pytest.fixture(scope="module")
def stack_with_aks() -> Stack:
    from cdktf import Testing

    from apps import ENVIRONMENTS

    # The built-in dev spec already has a cluster; this stack adds one by hand.
    spec = ENVIRONMENTS["dev"].model_copy(
        update={"aks": None, "container_registry": None, "vcpu_quotas": {}}
    )
    stack = build_stack_with_extra_resources(spec, add_aks_and_key_vault)
    return json.loads(Testing.synth(stack, True))


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_every_diagnosable_resource_has_one_setting(
    stacks: dict[str, Stack], environment: str
) -> None:
    from constructs_ai.observability import DIAGNOSABLE_TYPES

    stack = stacks[environment]
    targets = diagnostic_targets(stack)

    diagnosable = [
        (resource_type, name)
        for resource_type, name, _ in all_resources(stack)
        if resource_type in DIAGNOSABLE_TYPES
    ]
    assert diagnosable
    for resource_type, name in diagnosable:
        assert targets.count(f"${{{resource_type}.{name}.id}}") == 1, f"{resource_type}.{name}"
    assert len(targets) == len(set(targets))


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_storage_blob_service_has_its_own_setting(
    stacks: dict[str, Stack], environment: str
) -> None:
    settings = resources_of(stacks[environment], "azurerm_monitor_diagnostic_setting")

    account = settings["diag_datalake"]
    blob = settings["diag_datalake_blob"]
    assert account["target_resource_id"] == "${azurerm_storage_account.datalake.id}"
    assert "enabled_log" not in account
    assert account["enabled_metric"] == [{"category": "Transaction"}]
    assert blob["target_resource_id"] == (
        "${azurerm_storage_account.datalake.id}/blobServices/default"
    )
    assert blob["enabled_log"] == [{"category_group": "allLogs"}]


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_diagnostic_settings_send_to_workspace(stacks: dict[str, Stack], environment: str) -> None:
    settings = resources_of(stacks[environment], "azurerm_monitor_diagnostic_setting")

    for logical_id, setting in settings.items():
        assert setting["log_analytics_workspace_id"] == "${azurerm_log_analytics_workspace.log.id}"
        assert setting["name"] == f"diag-log-mlp-{environment}", logical_id
        assert "metric" not in setting, "the deprecated metric block must not be used"
        assert "log" not in setting, "the deprecated log block must not be used"
        assert setting.get("enabled_log") or setting.get("enabled_metric"), logical_id


def test_diagnostic_settings_match_type_support(stacks: dict[str, Stack]) -> None:
    settings = resources_of(stacks["dev"], "azurerm_monitor_diagnostic_setting")

    assert "enabled_metric" not in settings["diag_nsg_aks"]
    assert settings["diag_nsg_aks"]["enabled_log"] == [{"category_group": "allLogs"}]
    assert "enabled_log" not in settings["diag_gpu_vm"]
    assert settings["diag_gpu_vm"]["enabled_metric"] == [{"category": "AllMetrics"}]
    assert settings["diag_vnet"]["enabled_log"] == [{"category_group": "allLogs"}]
    assert settings["diag_vnet"]["enabled_metric"] == [{"category": "AllMetrics"}]


def test_aspect_covers_resources_added_after_construction(stack_with_aks: Stack) -> None:
    targets = diagnostic_targets(stack_with_aks)

    assert targets.count("${azurerm_kubernetes_cluster.aks.id}") == 1
    assert targets.count("${azurerm_key_vault.kv.id}") == 1


def test_aks_alert_created_only_with_cluster(
    stack_with_aks: Stack,
    stacks: dict[str, Stack],
    builtin_specs,  # type: ignore[no-untyped-def]
    synth_spec: Callable[[EnvironmentSpec], Stack],
) -> None:
    without_cluster = builtin_specs["dev"].model_copy(
        update={"aks": None, "container_registry": None}
    )
    alerts = resources_of(stack_with_aks, "azurerm_monitor_metric_alert")

    alert = alerts["alert_aks_nodes_not_ready"]
    criteria = alert["criteria"][0]
    assert alert["scopes"] == ["${azurerm_kubernetes_cluster.aks.id}"]
    assert criteria["metric_namespace"] == "Microsoft.ContainerService/managedClusters"
    assert criteria["metric_name"] == "kube_node_status_condition"
    assert criteria["threshold"] == 0
    for stack in stacks.values():
        assert resources_of(stack, "azurerm_monitor_metric_alert")["alert_aks_nodes_not_ready"][
            "scopes"
        ] == ["${azurerm_kubernetes_cluster.aks.id}"]
    assert "alert_aks_nodes_not_ready" not in resources_of(
        synth_spec(without_cluster), "azurerm_monitor_metric_alert"
    )


def test_repeated_synth_adds_nothing_twice() -> None:
    from cdktf import Testing

    from apps import ENVIRONMENTS

    stack = build_stack_with_extra_resources(ENVIRONMENTS["dev"], lambda _: None)

    first = Testing.synth(stack)
    second = Testing.synth(stack)

    assert first == second


def test_narrowed_diagnostics_follow_spec(synth_spec: Callable[[EnvironmentSpec], Stack]) -> None:
    data = spec_data("dev")
    data["monitoring"]["diagnostics"] = {"log_category_groups": ["audit"], "metrics_enabled": False}

    stack = synth_spec(EnvironmentSpec.from_data(data))

    settings = resources_of(stack, "azurerm_monitor_diagnostic_setting")
    assert settings["diag_vnet"]["enabled_log"] == [{"category_group": "audit"}]
    assert "enabled_metric" not in settings["diag_vnet"]
    assert "diag_gpu_vm" not in settings, "a metrics-only resource has nothing left to send"


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_workspace_and_app_insights_follow_spec(
    stacks: dict[str, Stack],
    builtin_specs,
    environment: str,  # type: ignore[no-untyped-def]
) -> None:
    spec = builtin_specs[environment].monitoring
    workspace = resources_of(stacks[environment], "azurerm_log_analytics_workspace")["log"]
    insights = resources_of(stacks[environment], "azurerm_application_insights")["appi"]

    assert workspace["name"] == f"log-mlp-{environment}"
    assert workspace["retention_in_days"] == spec.retention_days
    assert workspace["sku"] == "PerGB2018"
    assert workspace["local_authentication_enabled"] is False
    assert insights["workspace_id"] == "${azurerm_log_analytics_workspace.log.id}"
    assert stacks[environment]["output"]["log_analytics_workspace_id"]["value"] == (
        "${azurerm_log_analytics_workspace.log.id}"
    )


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_action_group_receivers_come_from_spec(
    stacks: dict[str, Stack],
    builtin_specs,
    environment: str,  # type: ignore[no-untyped-def]
) -> None:
    spec = builtin_specs[environment].monitoring.action_group
    group = resources_of(stacks[environment], "azurerm_monitor_action_group")["ag"]

    assert group["short_name"] == spec.short_name
    assert group["location"] == "global"
    assert [r["email_address"] for r in group["email_receiver"]] == [
        r.address for r in spec.email_receivers.values()
    ]
    assert [r["service_uri"] for r in group["webhook_receiver"]] == [
        r.uri for r in spec.webhook_receivers.values()
    ]


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_metric_alerts_watch_vm_and_storage(
    stacks: dict[str, Stack],
    builtin_specs,
    environment: str,  # type: ignore[no-untyped-def]
) -> None:
    alerts_spec = builtin_specs[environment].monitoring.alerts
    alerts = resources_of(stacks[environment], "azurerm_monitor_metric_alert")

    expected = {
        "alert_gpu_vm_availability": ("VmAvailabilityMetric", "LessThan", 1),
        "alert_gpu_vm_cpu": ("Percentage CPU", "GreaterThan", alerts_spec.vm_cpu_percent),
        "alert_datalake_availability": (
            "Availability",
            "LessThan",
            alerts_spec.storage_availability_percent,
        ),
        "alert_datalake_latency": (
            "SuccessE2ELatency",
            "GreaterThan",
            alerts_spec.storage_latency_ms,
        ),
        "alert_aks_nodes_not_ready": ("kube_node_status_condition", "GreaterThan", 0),
    }
    # AI services add their own alerts (tested with them); these are the platform's.
    assert set(expected) <= set(alerts)
    for alert in alerts.values():
        assert alert["action"] == [{"action_group_id": "${azurerm_monitor_action_group.ag.id}"}]
    for logical_id, (metric, operator, threshold) in expected.items():
        criteria = alerts[logical_id]["criteria"][0]
        assert criteria["metric_name"] == metric
        assert criteria["operator"] == operator
        assert criteria["threshold"] == threshold
        assert alerts[logical_id]["action"] == [
            {"action_group_id": "${azurerm_monitor_action_group.ag.id}"}
        ]


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_budget_follows_spec(
    stacks: dict[str, Stack],
    builtin_specs,
    environment: str,  # type: ignore[no-untyped-def]
) -> None:
    spec = builtin_specs[environment].monitoring.budget
    budget = resources_of(stacks[environment], "azurerm_consumption_budget_resource_group")[
        "budget"
    ]

    assert budget["resource_group_id"] == "${azurerm_resource_group.rg.id}"
    assert budget["amount"] == spec.amount
    assert budget["time_grain"] == "Monthly"
    assert budget["time_period"]["start_date"] == f"{spec.start_date.isoformat()}T00:00:00Z"
    assert [(n["threshold"], n["threshold_type"]) for n in budget["notification"]] == [
        (80, "Actual"),
        (100, "Actual"),
        (100, "Forecasted"),
    ]
    for notification in budget["notification"]:
        assert notification["contact_groups"] == ["${azurerm_monitor_action_group.ag.id}"]


def test_budget_defaults_to_three_thresholds() -> None:
    from constructs_ai.specs import BudgetSpec

    spec = BudgetSpec(amount=100, start_date="2026-03-01")

    assert [(n.threshold_percent, n.threshold_type.value) for n in spec.notifications] == [
        (80, "Actual"),
        (100, "Actual"),
        (100, "Forecasted"),
    ]


def test_monitoring_absent_adds_no_monitoring(
    synth_spec: Callable[[EnvironmentSpec], Stack],
) -> None:
    data = spec_data("dev")
    del data["monitoring"]
    del data["policy"]

    stack = synth_spec(EnvironmentSpec.from_data(data))

    assert resources_of(stack, "azurerm_monitor_diagnostic_setting") == {}
    assert resources_of(stack, "azurerm_log_analytics_workspace") == {}


INVALID_MONITORING = [
    pytest.param(
        ("retention_days",), 29, r"monitoring\.retention_days must be 30-730", id="retention-low"
    ),
    pytest.param(
        ("retention_days",), 731, r"monitoring\.retention_days must be 30-730", id="retention-high"
    ),
    pytest.param(
        ("budget", "start_date"),
        "2026-01-15",
        r"monitoring\.budget\.start_date must be the first day of a month, because Azure budgets "
        r'start on a month boundary; got "2026-01-15"\. Use "2026-01-01"',
        id="budget-start-mid-month",
    ),
    pytest.param(("budget", "amount"), 0, r"monitoring\.budget\.amount", id="budget-amount-zero"),
    pytest.param(
        ("action_group", "short_name"),
        "a-name-too-long",
        r"monitoring\.action_group\.short_name",
        id="short-name-13",
    ),
    pytest.param(
        ("action_group", "email_receivers", "ml-platform", "address"),
        "not-an-email",
        r'address must be an email address; got "not-an-email"',
        id="bad-email",
    ),
    pytest.param(
        ("action_group", "webhook_receivers", "incident-hook", "uri"),
        "http://hooks.contoso.com/x",
        r"uri must be an https:// URL",
        id="http-webhook",
    ),
    pytest.param(
        ("diagnostics", "log_category_groups"),
        ["allLogs", "audit"],
        r"must not combine allLogs with another group",
        id="all-logs-and-audit",
    ),
]


@pytest.mark.parametrize(("path", "value", "message"), INVALID_MONITORING)
def test_invalid_monitoring_is_rejected(path: tuple[str, ...], value: Any, message: str) -> None:
    data = spec_data("dev")
    target = data["monitoring"]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value

    with pytest.raises(SpecError, match=message):
        EnvironmentSpec.from_data(data)


def test_free_tier_requires_seven_days() -> None:
    data = spec_data("dev")
    data["monitoring"]["sku"] = "Free"

    with pytest.raises(SpecError, match=r"retention_days must be 7 on the Free tier"):
        EnvironmentSpec.from_data(data)

    data["monitoring"]["retention_days"] = 7
    assert EnvironmentSpec.from_data(data).monitoring.retention_days == 7


def test_action_group_needs_a_receiver() -> None:
    data = spec_data("dev")
    data["monitoring"]["action_group"]["email_receivers"] = {}
    data["monitoring"]["action_group"]["webhook_receivers"] = {}

    with pytest.raises(SpecError, match=r"email_receivers must not be empty"):
        EnvironmentSpec.from_data(data)


def test_receiver_names_are_unique_across_kinds() -> None:
    data = spec_data("dev")
    group = data["monitoring"]["action_group"]
    group["webhook_receivers"]["ml-platform"] = {"uri": "https://hooks.contoso.com/a"}

    with pytest.raises(SpecError, match=r"webhook_receivers must not reuse a name"):
        EnvironmentSpec.from_data(data)


def test_diagnostics_must_send_something() -> None:
    data = spec_data("dev")
    data["monitoring"]["diagnostics"] = {"log_category_groups": [], "metrics_enabled": False}

    with pytest.raises(SpecError, match=r"log_category_groups must not be empty"):
        EnvironmentSpec.from_data(data)


def test_budget_rejects_repeated_thresholds() -> None:
    data = spec_data("dev")
    data["monitoring"]["budget"]["notifications"] = [
        {"threshold_percent": 90},
        {"threshold_percent": 90},
    ]

    with pytest.raises(
        SpecError, match=r'must not repeat a threshold and type; got \["90% Actual"\]'
    ):
        EnvironmentSpec.from_data(data)


def spec_models() -> list[type]:
    from constructs_ai.specs import observability, policy
    from constructs_ai.specs._base import SpecModel

    modules = (observability, policy)
    return [
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, SpecModel) and value is not SpecModel
    ]


@pytest.mark.parametrize("model", spec_models(), ids=lambda model: model.__name__)
def test_documented_defaults_are_real(model: type) -> None:
    import re

    from pydantic import TypeAdapter

    for name, field in model.model_fields.items():  # type: ignore[attr-defined]
        if field.is_required():
            continue
        description = " ".join((field.description or "").split())
        assert "Default:" in description, f"{model.__name__}.{name} documents no default"
        stated = re.search(r"Default: `(.+?)`", description)
        if stated is None:
            continue
        real = TypeAdapter(field.annotation).dump_python(field.default, mode="json")
        assert json.loads(stated[1]) == real, f"{model.__name__}.{name}"
