"""Monitoring and cost specs: Log Analytics, diagnostics, alerts, action group and budget."""

from __future__ import annotations

import datetime
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from constructs_ai.errors import violation
from constructs_ai.specs._base import SpecModel

RETENTION_FREE_TIER_DAYS = 7
"""The only retention the legacy Free tier of Log Analytics accepts."""

RETENTION_MIN_DAYS = 30
RETENTION_MAX_DAYS = 730
"""Retention range of paid Log Analytics tiers, as the azurerm provider documents it."""

BUDGET_NOTIFICATIONS_MAX = 5
"""Azure Cost Management accepts at most five notifications per budget."""

_EMAIL = re.compile(r"^[^@\s<>\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_HTTPS_URL = re.compile(r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?$")
# The user info of a URL: everything between `scheme://` and the last `@` of the authority.
_USER_INFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^/?#]*)@")

ReceiverName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
"""Action group receiver name: 1-128 letters, digits, `_`, `.` or `-`."""


class LogAnalyticsSku(StrEnum):
    """Log Analytics pricing tier."""

    PER_GB_2018 = "PerGB2018"
    FREE = "Free"


class LogCategoryGroup(StrEnum):
    """Diagnostic log category groups Azure Monitor defines."""

    ALL_LOGS = "allLogs"
    AUDIT = "audit"


class DiagnosticsSpec(SpecModel):
    """Log and metric selection of every diagnostic setting to the environment's workspace."""

    log_category_groups: Annotated[list[LogCategoryGroup], Field(max_length=2)] = [
        LogCategoryGroup.ALL_LOGS
    ]
    """Log category groups to send, for resource types that have logs. `[]` sends no logs.
    Default: `["allLogs"]`."""
    metrics_enabled: bool = True
    """Send platform metrics (`AllMetrics`, or `Transaction` for storage), for resource types
    that have them. Default: `true`."""

    @field_validator("log_category_groups")
    @classmethod
    def _check_groups(cls, groups: list[LogCategoryGroup]) -> list[LogCategoryGroup]:
        if LogCategoryGroup.ALL_LOGS in groups and len(groups) > 1:
            raise violation(
                "",
                [group.value for group in groups],
                "must not combine allLogs with another group, because allLogs already "
                "contains every category",
                'Use ["allLogs"] or ["audit"].',
            )
        return groups

    @model_validator(mode="after")
    def _check_sends_something(self) -> DiagnosticsSpec:
        if not self.log_category_groups and not self.metrics_enabled:
            raise violation(
                "log_category_groups",
                "[]",
                "must not be empty when metrics_enabled is false, because Azure rejects a "
                "diagnostic setting that sends nothing",
                'Add "allLogs" or "audit", or set metrics_enabled to true.',
            )
        return self


class EmailReceiverSpec(SpecModel):
    """An email address the action group notifies."""

    address: str
    """Email address, such as `ml-oncall@contoso.com`."""

    @field_validator("address")
    @classmethod
    def _check_address(cls, address: str) -> str:
        if not _EMAIL.match(address):
            raise violation(
                "", address, "must be an email address", 'Write it as "team@contoso.com".'
            )
        return address


class WebhookReceiverSpec(SpecModel):
    """A webhook the action group calls with the common alert schema."""

    uri: str
    """HTTPS endpoint, such as `https://hooks.example.com/alerts`."""

    @field_validator("uri")
    @classmethod
    def _check_uri(cls, uri: str) -> str:
        shown = _USER_INFO.sub(r"\g<scheme>***@", uri)
        if shown != uri:
            # The message shows the URL without the credential, which must not reach logs.
            raise violation(
                "",
                shown,
                "must not carry a credential in its user info (user:password@), because the "
                "spec and the Terraform state would store it in clear text",
                "Remove the user:password@ part, and let the receiver authenticate the action "
                "group another way, such as Entra ID authentication of the webhook.",
            )
        if not _HTTPS_URL.match(uri):
            raise violation(
                "",
                uri,
                "must be an https:// URL, because alert payloads must not travel in clear text",
                'Use an HTTPS endpoint such as "https://hooks.example.com/alerts".',
            )
        return uri


class ActionGroupSpec(SpecModel):
    """Receivers of metric alerts and budget notifications."""

    short_name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 _-]{0,11}$")]
    """Name shown in SMS and email: 1-12 letters, digits, spaces, `_` or `-`."""
    email_receivers: dict[ReceiverName, EmailReceiverSpec] = {}
    """Email receivers keyed by receiver name. Default: `{}`."""
    webhook_receivers: dict[ReceiverName, WebhookReceiverSpec] = {}
    """Webhook receivers keyed by receiver name. Default: `{}`."""

    @model_validator(mode="after")
    def _check_receivers(self) -> ActionGroupSpec:
        if not self.email_receivers and not self.webhook_receivers:
            raise violation(
                "email_receivers",
                "{}",
                "must not be empty when webhook_receivers is empty, because an action group "
                "with no receivers notifies nobody",
                "Add an email or webhook receiver.",
            )
        shared = sorted(set(self.email_receivers) & set(self.webhook_receivers))
        if shared:
            raise violation(
                "webhook_receivers",
                shared,
                "must not reuse a name from email_receivers, because receiver names are "
                "unique within an action group",
                "Rename the webhook receivers.",
            )
        return self


class AlertsSpec(SpecModel):
    """Thresholds of the metric alerts created for the environment's resources."""

    vm_cpu_percent: Annotated[float, Field(gt=0, le=100)] = 95.0
    """Alert when a VM's average `Percentage CPU` exceeds this, 0-100. Default: `95.0`."""
    storage_availability_percent: Annotated[float, Field(gt=0, le=100)] = 99.0
    """Alert when a storage account's average `Availability` falls below this, 0-100.
    Default: `99.0`."""
    storage_latency_ms: Annotated[float, Field(gt=0)] = 1000.0
    """Alert when a storage account's average `SuccessE2ELatency` exceeds this, in
    milliseconds. Default: `1000.0`."""
    aks_not_ready_nodes: Annotated[int, Field(ge=0)] = 0
    """Alert when more AKS nodes than this are not ready. Default: `0`."""
    severity: Annotated[int, Field(ge=0, le=4)] = 2
    """Alert severity from 0 (critical) to 4 (verbose). Default: `2`."""
    window_size: Literal["PT5M", "PT15M", "PT30M", "PT1H"] = "PT5M"
    """Period each evaluation looks back over, as an ISO 8601 duration. Default: `"PT5M"`."""


class BudgetThresholdType(StrEnum):
    ACTUAL = "Actual"
    FORECASTED = "Forecasted"


class BudgetNotificationSpec(SpecModel):
    """One budget threshold that notifies the action group."""

    threshold_percent: Annotated[int, Field(gt=0, le=1000)]
    """Percentage of the budget amount, 1-1000."""
    threshold_type: BudgetThresholdType = BudgetThresholdType.ACTUAL
    """Compare actual or forecasted cost to the threshold. Default: `"Actual"`."""


class BudgetSpec(SpecModel):
    """A monthly cost budget on the environment's resource group."""

    amount: Annotated[float, Field(gt=0)]
    """Budget per month in the billing currency."""
    start_date: datetime.date
    """First month of the budget, such as `2026-01-01`. Azure requires the first day of a
    month. It is a fixed value, so every synth gives the same output."""
    notifications: Annotated[
        list[BudgetNotificationSpec], Field(min_length=1, max_length=BUDGET_NOTIFICATIONS_MAX)
    ] = [
        BudgetNotificationSpec(threshold_percent=80),
        BudgetNotificationSpec(threshold_percent=100),
        BudgetNotificationSpec(
            threshold_percent=100, threshold_type=BudgetThresholdType.FORECASTED
        ),
    ]
    """Thresholds, 1-5 of them. Default: `[{"threshold_percent": 80, "threshold_type":
    "Actual"}, {"threshold_percent": 100, "threshold_type": "Actual"},
    {"threshold_percent": 100, "threshold_type": "Forecasted"}]`."""

    @field_validator("start_date")
    @classmethod
    def _check_start_date(cls, start_date: datetime.date) -> datetime.date:
        if start_date.day != 1:
            first = start_date.replace(day=1).isoformat()
            raise violation(
                "",
                start_date.isoformat(),
                "must be the first day of a month, because Azure budgets start on a month boundary",
                f'Use "{first}".',
            )
        return start_date

    @field_validator("notifications")
    @classmethod
    def _check_unique(
        cls, notifications: list[BudgetNotificationSpec]
    ) -> list[BudgetNotificationSpec]:
        keys = [(n.threshold_percent, n.threshold_type) for n in notifications]
        repeated = sorted({f"{p}% {t.value}" for p, t in keys if keys.count((p, t)) > 1})
        if repeated:
            raise violation(
                "",
                repeated,
                "must not repeat a threshold and type",
                "Remove the repeated notifications.",
            )
        return notifications


class MonitoringSpec(SpecModel):
    """Log Analytics workspace, Application Insights, diagnostics, alerts and budget."""

    action_group: ActionGroupSpec
    """Receivers of alerts and budget notifications."""
    sku: LogAnalyticsSku = LogAnalyticsSku.PER_GB_2018
    """Log Analytics pricing tier. Default: `"PerGB2018"`."""
    retention_days: int = 30
    """Days the workspace keeps data: 30-730, or exactly 7 on the Free tier. Default: `30`."""
    daily_quota_gb: Annotated[float, Field(gt=0)] | None = None
    """Daily ingestion cap in GB. Default: `null` (no cap)."""
    diagnostics: DiagnosticsSpec = DiagnosticsSpec()
    """Log categories and metrics the diagnostic settings send. Default: all logs and
    metrics."""
    alerts: AlertsSpec = AlertsSpec()
    """Metric alert thresholds. Default: the defaults of each field."""
    budget: BudgetSpec | None = None
    """Monthly budget on the resource group. Default: `null` (no budget)."""

    @model_validator(mode="after")
    def _check_retention(self) -> MonitoringSpec:
        days = self.retention_days
        if self.sku is LogAnalyticsSku.FREE and days != RETENTION_FREE_TIER_DAYS:
            raise violation(
                "retention_days",
                days,
                "must be 7 on the Free tier of Log Analytics",
                'Set retention_days to 7, or use sku "PerGB2018".',
            )
        if self.sku is not LogAnalyticsSku.FREE and not (
            RETENTION_MIN_DAYS <= days <= RETENTION_MAX_DAYS
        ):
            raise violation(
                "retention_days",
                days,
                f"must be {RETENTION_MIN_DAYS}-{RETENTION_MAX_DAYS} on the "
                f"{self.sku.value} tier of Log Analytics",
                f"Pick a value from {RETENTION_MIN_DAYS} to {RETENTION_MAX_DAYS}.",
            )
        return self
