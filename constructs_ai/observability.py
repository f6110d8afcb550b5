"""Monitoring: Log Analytics, Application Insights, diagnostics, alerts and the action group.

Diagnostic settings and metric alerts are not created by the constructs that
own the resources. When the stack is synthesized, an aspect walks every
resource. Each resource whose type is in `DIAGNOSABLE_TYPES` gets its diagnostic
setting, and each one whose type is in `ALERT_RULES` gets its alerts. So a
construct added later (AKS, Key Vault, AI services) cannot forget them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import jsii
from cdktf import Aspects, IAspect, TerraformResource, TerraformStack
from cdktf_cdktf_provider_azurerm.application_insights import ApplicationInsights
from cdktf_cdktf_provider_azurerm.log_analytics_workspace import LogAnalyticsWorkspace
from cdktf_cdktf_provider_azurerm.monitor_action_group import (
    MonitorActionGroup,
    MonitorActionGroupEmailReceiver,
    MonitorActionGroupWebhookReceiver,
)
from cdktf_cdktf_provider_azurerm.monitor_diagnostic_setting import (
    MonitorDiagnosticSetting,
    MonitorDiagnosticSettingEnabledLog,
    MonitorDiagnosticSettingEnabledMetric,
)
from cdktf_cdktf_provider_azurerm.monitor_metric_alert import (
    MonitorMetricAlert,
    MonitorMetricAlertAction,
    MonitorMetricAlertCriteria,
    MonitorMetricAlertCriteriaDimension,
)
from constructs import Construct, IConstruct

from constructs_ai._ids import set_logical_id
from constructs_ai.naming import resource_name
from constructs_ai.refs import ResourceGroupRef
from constructs_ai.specs.observability import AlertsSpec, MonitoringSpec


@dataclass(frozen=True)
class DiagnosticsSupport:
    """Diagnostic data Azure Monitor can collect from one resource type."""

    logs: bool
    """The type has resource log categories (collected through category groups)."""
    metric_category: str | None = "AllMetrics"
    """The metric category to export, or None when the type exports no metrics."""
    blob_service: bool = False
    """Storage accounts: the blob service (`<account id>/blobServices/default`) takes
    its own setting, with logs and metrics."""


DIAGNOSABLE_TYPES: dict[str, DiagnosticsSupport] = {
    "azurerm_application_gateway": DiagnosticsSupport(logs=True),
    "azurerm_bastion_host": DiagnosticsSupport(logs=True),
    "azurerm_cognitive_account": DiagnosticsSupport(logs=True),
    "azurerm_container_registry": DiagnosticsSupport(logs=True),
    "azurerm_key_vault": DiagnosticsSupport(logs=True),
    "azurerm_kubernetes_cluster": DiagnosticsSupport(logs=True),
    "azurerm_linux_virtual_machine": DiagnosticsSupport(logs=False),
    "azurerm_linux_virtual_machine_scale_set": DiagnosticsSupport(logs=False),
    "azurerm_log_analytics_workspace": DiagnosticsSupport(logs=True),
    "azurerm_machine_learning_workspace": DiagnosticsSupport(logs=True),
    "azurerm_network_interface": DiagnosticsSupport(logs=False),
    "azurerm_network_security_group": DiagnosticsSupport(logs=True, metric_category=None),
    "azurerm_public_ip": DiagnosticsSupport(logs=True),
    "azurerm_search_service": DiagnosticsSupport(logs=True),
    "azurerm_storage_account": DiagnosticsSupport(
        logs=False, metric_category="Transaction", blob_service=True
    ),
    "azurerm_virtual_network": DiagnosticsSupport(logs=True),
    "azurerm_windows_virtual_machine": DiagnosticsSupport(logs=False),
}
"""azurerm resource types that take diagnostic settings, with what each can send.

Log and metric support follows Azure Monitor's "supported categories for resource
logs" and "supported metrics" tables: NSGs have logs but no exportable metrics,
VMs and NICs have metrics only, and a storage account exports `Transaction`
metrics while its blob service carries the logs. Application Insights is left out
on purpose: a workspace-based component already stores its telemetry in the
workspace, and a diagnostic setting would ingest it a second time.
"""


@dataclass(frozen=True)
class MetricAlertRule:
    """One platform metric alert created for every resource of a type."""

    key: str
    description: str
    metric_namespace: str
    metric_name: str
    aggregation: str
    operator: str
    threshold: Callable[[AlertsSpec], float]
    dimensions: tuple[tuple[str, tuple[str, ...]], ...] = ()


_VM_RULES = (
    MetricAlertRule(
        key="availability",
        description="The VM is unavailable (VM availability metric below 1).",
        metric_namespace="Microsoft.Compute/virtualMachines",
        metric_name="VmAvailabilityMetric",
        aggregation="Average",
        operator="LessThan",
        threshold=lambda _: 1,
    ),
    MetricAlertRule(
        key="cpu",
        description="Average CPU of the VM is above the spec's threshold.",
        metric_namespace="Microsoft.Compute/virtualMachines",
        metric_name="Percentage CPU",
        aggregation="Average",
        operator="GreaterThan",
        threshold=lambda alerts: alerts.vm_cpu_percent,
    ),
)

ALERT_RULES: dict[str, tuple[MetricAlertRule, ...]] = {
    "azurerm_linux_virtual_machine": _VM_RULES,
    "azurerm_windows_virtual_machine": _VM_RULES,
    "azurerm_kubernetes_cluster": (
        # NOTE: the status2 dimension value "NotReady" follows Azure's recommended
        # AKS platform alert; it has not been checked against a live cluster here.
        MetricAlertRule(
            key="nodes_not_ready",
            description="AKS nodes report a NotReady status.",
            metric_namespace="Microsoft.ContainerService/managedClusters",
            metric_name="kube_node_status_condition",
            aggregation="Average",
            operator="GreaterThan",
            threshold=lambda alerts: alerts.aks_not_ready_nodes,
            dimensions=(("status2", ("NotReady",)),),
        ),
    ),
    "azurerm_storage_account": (
        MetricAlertRule(
            key="availability",
            description="Storage availability is below the spec's threshold.",
            metric_namespace="Microsoft.Storage/storageAccounts",
            metric_name="Availability",
            aggregation="Average",
            operator="LessThan",
            threshold=lambda alerts: alerts.storage_availability_percent,
        ),
        MetricAlertRule(
            key="latency",
            description="Average end-to-end latency of successful requests is above the "
            "spec's threshold, in milliseconds.",
            metric_namespace="Microsoft.Storage/storageAccounts",
            metric_name="SuccessE2ELatency",
            aggregation="Average",
            operator="GreaterThan",
            threshold=lambda alerts: alerts.storage_latency_ms,
        ),
    ),
}
"""Metric alerts per azurerm resource type. An AKS cluster gets its alert only when
the stack contains one, because rules apply to the resources the aspect finds."""


class Monitoring(Construct):
    """The environment's Log Analytics workspace, Application Insights and action group.

    It also registers an aspect on the stack that, at synth time, gives every
    diagnosable resource exactly one diagnostic setting to the workspace and
    every resource type in `ALERT_RULES` its metric alerts.

    AKS clusters send Container Insights data to `workspace_id`: set
    `oms_agent.log_analytics_workspace_id` to it.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: MonitoringSpec,
        workload: str,
        environment: str,
        resource_group: ResourceGroupRef,
    ) -> None:
        super().__init__(scope, construct_id)
        self._spec = spec
        self._resource_group = resource_group

        self.workspace = LogAnalyticsWorkspace(
            self,
            "workspace",
            name=resource_name("log", workload, environment),
            location=resource_group.location,
            resource_group_name=resource_group.name,
            sku=spec.sku.value,
            retention_in_days=spec.retention_days,
            daily_quota_gb=spec.daily_quota_gb,
            # Entra ID only: agents and queries authenticate with identities, not
            # with the workspace's shared keys.
            local_authentication_enabled=False,
        )
        set_logical_id(self.workspace, "log")

        self.app_insights = ApplicationInsights(
            self,
            "app-insights",
            name=resource_name("appi", workload, environment),
            location=resource_group.location,
            resource_group_name=resource_group.name,
            application_type="other",
            workspace_id=self.workspace.id,
            local_authentication_disabled=True,
        )
        set_logical_id(self.app_insights, "appi")

        self.action_group = self._add_action_group(workload, environment)
        self._diagnostic_setting_name = f"diag-{self.workspace.name_input}"

        Aspects.of(TerraformStack.of(self)).add(_CoverEveryResource(self))

    @property
    def workspace_id(self) -> str:
        """Resource id of the Log Analytics workspace, for AKS `oms_agent` and agents."""
        return self.workspace.id

    @property
    def action_group_id(self) -> str:
        return self.action_group.id

    @property
    def app_insights_connection_string(self) -> str:
        return self.app_insights.connection_string

    def _add_action_group(self, workload: str, environment: str) -> MonitorActionGroup:
        spec = self._spec.action_group
        group = MonitorActionGroup(
            self,
            "action-group",
            name=resource_name("ag", workload, environment),
            resource_group_name=self._resource_group.name,
            short_name=spec.short_name,
            location="global",
            email_receiver=[
                MonitorActionGroupEmailReceiver(
                    name=name, email_address=receiver.address, use_common_alert_schema=True
                )
                for name, receiver in sorted(spec.email_receivers.items())
            ],
            webhook_receiver=[
                MonitorActionGroupWebhookReceiver(
                    name=name, service_uri=receiver.uri, use_common_alert_schema=True
                )
                for name, receiver in sorted(spec.webhook_receivers.items())
            ],
        )
        set_logical_id(group, "ag")
        return group

    def cover(self, resource: TerraformResource) -> None:
        """Add the diagnostic settings and metric alerts `resource`'s type calls for.

        Safe to call more than once for the same resource: each setting and alert
        is created once, under an id derived from the resource's logical id.
        """
        resource_type = _resource_type(resource)
        support = DIAGNOSABLE_TYPES.get(resource_type)
        rules = ALERT_RULES.get(resource_type, ())
        if support is None and not rules:
            return
        target = resource.friendly_unique_id
        if support is not None:
            resource_id = resource.get_string_attribute("id")
            self._add_diagnostic_setting(
                target, resource_id, logs=support.logs, metric_category=support.metric_category
            )
            if support.blob_service:
                self._add_diagnostic_setting(
                    f"{target}_blob",
                    f"{resource_id}/blobServices/default",
                    logs=True,
                    metric_category="Transaction",
                )
        for rule in rules:
            self._add_metric_alert(target, resource.get_string_attribute("id"), rule)

    def _add_diagnostic_setting(
        self, target: str, target_resource_id: str, *, logs: bool, metric_category: str | None
    ) -> None:
        construct_id = f"diag-{target}"
        if self.node.try_find_child(construct_id) is not None:
            return
        diagnostics = self._spec.diagnostics
        groups = [group.value for group in diagnostics.log_category_groups] if logs else []
        metrics = [metric_category] if metric_category and diagnostics.metrics_enabled else []
        if not groups and not metrics:
            # Azure rejects a diagnostic setting that sends nothing.
            return
        setting = MonitorDiagnosticSetting(
            self,
            construct_id,
            name=self._diagnostic_setting_name,
            target_resource_id=target_resource_id,
            log_analytics_workspace_id=self.workspace.id,
            enabled_log=[MonitorDiagnosticSettingEnabledLog(category_group=g) for g in groups]
            or None,
            enabled_metric=[MonitorDiagnosticSettingEnabledMetric(category=m) for m in metrics]
            or None,
        )
        set_logical_id(setting, "diag", target)

    def _add_metric_alert(
        self, target: str, target_resource_id: str, rule: MetricAlertRule
    ) -> None:
        construct_id = f"alert-{target}-{rule.key}"
        if self.node.try_find_child(construct_id) is not None:
            return
        alerts = self._spec.alerts
        alert = MonitorMetricAlert(
            self,
            construct_id,
            name=f"alert-{target}-{rule.key}".replace("_", "-"),
            resource_group_name=self._resource_group.name,
            scopes=[target_resource_id],
            description=rule.description,
            severity=alerts.severity,
            frequency="PT1M",
            window_size=alerts.window_size,
            criteria=[
                MonitorMetricAlertCriteria(
                    metric_namespace=rule.metric_namespace,
                    metric_name=rule.metric_name,
                    aggregation=rule.aggregation,
                    operator=rule.operator,
                    threshold=rule.threshold(alerts),
                    dimension=[
                        MonitorMetricAlertCriteriaDimension(
                            name=name, operator="Include", values=list(values)
                        )
                        for name, values in rule.dimensions
                    ]
                    or None,
                )
            ],
            action=[MonitorMetricAlertAction(action_group_id=self.action_group.id)],
        )
        set_logical_id(alert, "alert", target, rule.key)


@jsii.implements(IAspect)
class _CoverEveryResource:
    """Give every resource of the stack its diagnostic settings and alerts.

    cdktf visits the stack before its children, so the walk runs once every
    construct has been built, and the settings it adds are then visited by the
    stack's other aspects (tags) like any other resource.
    """

    def __init__(self, monitoring: Monitoring) -> None:
        self._monitoring = monitoring

    def visit(self, node: IConstruct) -> None:
        if not isinstance(node, TerraformStack):
            return
        for construct in node.node.find_all():
            if isinstance(construct, TerraformResource):
                self._monitoring.cover(construct)


_RESOURCE_TYPES: dict[type, str] = {}
"""Terraform resource type per binding class, read once per class from the kernel."""


def _resource_type(resource: TerraformResource) -> str:
    """Return the resource's Terraform type, asking the jsii kernel once per class."""
    cls = type(resource)
    if cls not in _RESOURCE_TYPES:
        _RESOURCE_TYPES[cls] = resource.terraform_resource_type
    return _RESOURCE_TYPES[cls]
