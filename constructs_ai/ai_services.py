"""Azure OpenAI: the account, its serialized model deployments and their metric alerts."""

from __future__ import annotations

from cdktf import Annotations, TerraformResource
from cdktf_cdktf_provider_azurerm.cognitive_account import (
    CognitiveAccount,
    CognitiveAccountIdentity,
    CognitiveAccountNetworkAcls,
)
from cdktf_cdktf_provider_azurerm.cognitive_deployment import (
    CognitiveDeployment,
    CognitiveDeploymentModel,
    CognitiveDeploymentSku,
)
from cdktf_cdktf_provider_azurerm.monitor_metric_alert import (
    MonitorMetricAlert,
    MonitorMetricAlertAction,
    MonitorMetricAlertCriteria,
    MonitorMetricAlertCriteriaDimension,
)
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from constructs import Construct

from constructs_ai._checkov import skip_check
from constructs_ai._ids import set_logical_id
from constructs_ai.capacity import CapacityPlan, WarningCode, format_number
from constructs_ai.identity import BuiltinRole, ManagedIdentity, grant_role
from constructs_ai.refs import PrivateLinkTarget, ResourceGroupRef
from constructs_ai.specs.ai_services import ACCOUNT_DNS_ZONES, OpenAiSpec

WARNING_ID_PREFIX = "constructs-ai:openai"
"""Start of the id in every synth warning this module adds, such as
`[constructs-ai:openai:capacity-below-required]`."""

CAPACITY_FAR_ABOVE_REQUIRED = "capacity-far-above-required"

_METRIC_NAMESPACE = "Microsoft.CognitiveServices/accounts"
# Microsoft Learn, "Azure OpenAI monitoring data reference": requests carry a
# StatusCode dimension, and V2 replaces the deprecated utilization metric.
_REQUESTS_METRIC = "AzureOpenAIRequests"
_PTU_UTILIZATION_METRIC = "AzureOpenAIProvisionedManagedUtilizationV2"



class OpenAiAccount(Construct):
    """An Azure OpenAI account and its model deployments.

    Secure defaults: no API keys (`local_auth_enabled = false`), no public
    network access, network ACLs that deny by default, and a system-assigned
    identity. Deployments are created one after another, because Azure rejects
    concurrent deployment changes on one account.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: OpenAiSpec,
        name: str,
        custom_subdomain: str,
        seed: str,
        resource_group: ResourceGroupRef,
        action_group_id: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._seed = seed
        self._name = name
        self.spec = spec
        self.plans = spec.capacity_plans()
        self.capacities = spec.capacities()
        table = spec.capacity_table()
        self.table_as_of = table.as_of.isoformat()
        self.table_overridden_models = table.overridden_models

        self.resource = CognitiveAccount(
            self,
            "account",
            name=name,
            location=spec.location,
            resource_group_name=resource_group.name,
            kind=spec.kind.value,
            sku_name="S0",
            # Changing the subdomain replaces the account and its endpoint URL.
            custom_subdomain_name=custom_subdomain,
            local_auth_enabled=False,
            public_network_access_enabled=False,
            network_acls=CognitiveAccountNetworkAcls(default_action="Deny"),
            # Data loss prevention: the account calls out only to the listed hosts.
            outbound_network_access_restricted=True,
            fqdns=spec.allowed_outbound_fqdns or None,
            identity=CognitiveAccountIdentity(type="SystemAssigned"),
        )
        set_logical_id(self.resource, "openai")
        self._declare_scan_suppressions()

        self.deployments = self._add_deployments()
        self._warn_about_capacities()
        self.alerts = self._add_alerts(resource_group, action_group_id)

    def _declare_scan_suppressions(self) -> None:
        if not self.spec.allowed_outbound_fqdns:
            skip_check(
                self.resource,
                "CKV_AZURE_247",
                "Outbound access is restricted and openai.allowed_outbound_fqdns is empty, "
                "so the account may call out to no host at all; the check wants a non-empty "
                "allow list and flags this stricter setting.",
            )
        skip_check(
            self.resource,
            "CKV2_AZURE_22",
            "Data at rest is encrypted with Microsoft-managed keys; a customer-managed key "
            "needs a Key Vault key, which the OpenAI spec does not configure.",
        )

    @property
    def id(self) -> str:
        return self.resource.id

    @property
    def endpoint(self) -> str:
        return self.resource.endpoint

    @property
    def custom_subdomain(self) -> str:
        return self.resource.custom_subdomain_name

    @property
    def principal_id(self) -> str:
        """Object id of the account's system-assigned identity."""
        return self.resource.identity.principal_id

    @property
    def last_deployment(self) -> TerraformResource:
        """The deployment created last; a private endpoint on the account goes after it,
        because Azure also rejects endpoint changes while a deployment is in progress."""
        return self.deployments[sorted(self.deployments)[-1]]

    def private_link_targets(self) -> list[PrivateLinkTarget]:
        """Return the private endpoint the account needs: sub-resource `account`."""
        return [
            PrivateLinkTarget(
                key="openai",
                resource_id=self.resource.id,
                subresource="account",
                dns_zones=ACCOUNT_DNS_ZONES[self.spec.kind],
            )
        ]

    def grant_use(self, identity: ManagedIdentity) -> RoleAssignment:
        """Let `identity` call the deployments (Cognitive Services OpenAI User)."""
        return grant_role(
            self,
            seed=self._seed,
            role=BuiltinRole.COGNITIVE_SERVICES_OPENAI_USER,
            target_id=self.resource.id,
            target_key="openai",
            identity=identity,
        )

    def _add_deployments(self) -> dict[str, CognitiveDeployment]:
        deployments: dict[str, CognitiveDeployment] = {}
        previous: CognitiveDeployment | None = None
        for key in sorted(self.spec.deployments):
            deployment = self.spec.deployments[key]
            resource = CognitiveDeployment(
                self,
                f"deployment-{key}",
                name=key,
                cognitive_account_id=self.resource.id,
                model=CognitiveDeploymentModel(
                    format="OpenAI", name=deployment.model, version=deployment.model_version
                ),
                sku=CognitiveDeploymentSku(
                    name=deployment.deployment_type.value, capacity=self.capacities[key]
                ),
                rai_policy_name=deployment.rai_policy_name,
                version_upgrade_option=deployment.version_upgrade_option.value,
                depends_on=[previous] if previous is not None else None,
            )
            set_logical_id(resource, "openai", "deployment", key)
            deployments[key] = resource
            previous = resource
        return deployments

    def _warn_about_capacities(self) -> None:
        for key in sorted(self.plans):
            plan = self.plans[key]
            if plan is None:
                continue
            for warning in plan.warnings:
                self._warn(key, warning.code.value, warning.message)
            excess = _excess_message(plan, self.spec.capacity_excess_ratio)
            if excess is not None:
                self._warn(key, CAPACITY_FAR_ABOVE_REQUIRED, excess)
        overrides = (
            f", with the spec's constants for {', '.join(self.table_overridden_models)}"
            if self.table_overridden_models
            else ""
        )
        Annotations.of(self).add_info(
            f"[{WARNING_ID_PREFIX}:capacity-table] deployments sized with the capacity table "
            f"as of {self.table_as_of}{overrides}"
        )

    def _warn(self, key: str, code: str, message: str) -> None:
        target = self.deployments[key]
        Annotations.of(target).add_warning(
            f"[{WARNING_ID_PREFIX}:{code}] deployment {key}: {message}"
        )

    def _add_alerts(
        self, resource_group: ResourceGroupRef, action_group_id: str | None
    ) -> list[MonitorMetricAlert]:
        alerts_spec = self.spec.alerts
        throttled = self._add_alert(
            resource_group,
            action_group_id,
            key="throttled",
            name_suffix="throttled-requests",
            description="Requests to Azure OpenAI got HTTP 429: a deployment is over its "
            "TPM or RPM limit, or its PTUs are fully used.",
            criteria=MonitorMetricAlertCriteria(
                metric_namespace=_METRIC_NAMESPACE,
                metric_name=_REQUESTS_METRIC,
                aggregation="Total",
                operator="GreaterThan",
                threshold=alerts_spec.throttled_requests_threshold,
                dimension=[
                    MonitorMetricAlertCriteriaDimension(
                        name="StatusCode", operator="Include", values=["429"]
                    )
                ],
            ),
        )
        alerts = [throttled]

        provisioned = any(
            deployment.deployment_type.is_provisioned
            for deployment in self.spec.deployments.values()
        )
        if provisioned:
            utilization = self._add_alert(
                resource_group,
                action_group_id,
                key="ptu_utilization",
                name_suffix="ptu-utilization",
                description="Provisioned-managed utilization is near 100%: requests above "
                "it get HTTP 429. Add PTUs or spill over to a Standard-family deployment.",
                criteria=MonitorMetricAlertCriteria(
                    metric_namespace=_METRIC_NAMESPACE,
                    metric_name=_PTU_UTILIZATION_METRIC,
                    aggregation="Average",
                    operator="GreaterThan",
                    threshold=alerts_spec.ptu_utilization_threshold_percent,
                ),
            )
            alerts.append(utilization)
        return alerts

    def _add_alert(
        self,
        resource_group: ResourceGroupRef,
        action_group_id: str | None,
        *,
        key: str,
        name_suffix: str,
        description: str,
        criteria: MonitorMetricAlertCriteria,
    ) -> MonitorMetricAlert:
        """Create one metric alert on the account with the spec's severity and window."""
        alerts_spec = self.spec.alerts
        actions = (
            [MonitorMetricAlertAction(action_group_id=action_group_id)]
            if action_group_id is not None
            else None
        )
        alert = MonitorMetricAlert(
            self,
            f"alert-{key.replace('_', '-')}",
            name=f"{self._name}-{name_suffix}",
            resource_group_name=resource_group.name,
            scopes=[self.resource.id],
            description=description,
            severity=alerts_spec.severity,
            frequency="PT1M" if alerts_spec.window_minutes <= 5 else "PT5M",
            window_size=f"PT{alerts_spec.window_minutes}M",
            criteria=[criteria],
            action=actions,
        )
        set_logical_id(alert, "openai", "alert", key)
        return alert


def _excess_message(plan: CapacityPlan, ratio: float) -> str | None:
    """Return a warning when a given capacity is far above what the workload requires."""
    required = plan.required_capacity
    if not plan.capacity_given or plan.capacity is None or required is None:
        return None
    if plan.capacity <= required * ratio:
        return None
    if WarningCode.CAPACITY_BELOW_REQUIRED in plan.warning_codes():
        return None
    return (
        f"capacity {format_number(plan.capacity)} is more than {ratio:g} times the "
        f"{format_number(required)} the workload requires at headroom "
        f"{plan.workload.headroom}, so most of it stays unused. Lower capacity toward "
        f"{format_number(required)}, or raise the workload's headroom if the spare is meant."
    )
