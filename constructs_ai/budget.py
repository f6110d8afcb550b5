"""A monthly cost budget on the environment's resource group."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.consumption_budget_resource_group import (
    ConsumptionBudgetResourceGroup,
    ConsumptionBudgetResourceGroupNotification,
    ConsumptionBudgetResourceGroupTimePeriod,
)
from constructs import Construct

from constructs_ai._ids import set_logical_id
from constructs_ai.refs import ResourceGroupRef
from constructs_ai.specs.observability import BudgetSpec


class CostBudget(Construct):
    """A Cost Management budget whose thresholds notify an action group.

    The start date comes from the spec, never from the clock, so the same spec
    always gives the same Terraform. Budgets only notify: they never stop
    resources.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: BudgetSpec,
        name: str,
        resource_group: ResourceGroupRef,
        action_group_id: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.resource = ConsumptionBudgetResourceGroup(
            self,
            "budget",
            name=name,
            resource_group_id=resource_group.id,
            amount=spec.amount,
            time_grain="Monthly",
            time_period=ConsumptionBudgetResourceGroupTimePeriod(
                start_date=f"{spec.start_date.isoformat()}T00:00:00Z"
            ),
            notification=[
                ConsumptionBudgetResourceGroupNotification(
                    enabled=True,
                    threshold=notification.threshold_percent,
                    threshold_type=notification.threshold_type.value,
                    operator="GreaterThanOrEqualTo",
                    contact_groups=[action_group_id],
                )
                for notification in spec.notifications
            ],
        )
        set_logical_id(self.resource, "budget")

    @property
    def id(self) -> str:
        return self.resource.id
