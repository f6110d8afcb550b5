"""Values the built-in environments share."""

from constructs_ai.specs import (
    ActionGroupSpec,
    EmailReceiverSpec,
    PolicySpec,
    StateBackendSpec,
    TagsSpec,
    WebhookReceiverSpec,
)

WORKLOAD = "mlp"

TAGS = TagsSpec(owner="ml-platform@contoso.com", cost_center="cc-4711")

# Example public key; replace it with your operators' keys. The private half
# was discarded when the example was made.
EXAMPLE_SSH_PUBLIC_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFjPkRDoh1KrpCfcCLsUFwDQbMUPsxWyFZvDRhFzR6F5 "
    "ml-platform-example"
)


def state_backend() -> StateBackendSpec:
    """Return the shared state account; each environment uses its own blob key."""
    return StateBackendSpec(
        resource_group_name="rg-mlp-tfstate",
        storage_account_name="stmlptfstate",
        container_name="tfstate",
    )


def action_group() -> ActionGroupSpec:
    """Return the on-call receivers every environment notifies."""
    return ActionGroupSpec(
        short_name="mlp-oncall",
        email_receivers={"ml-platform": EmailReceiverSpec(address="ml-platform@contoso.com")},
        webhook_receivers={
            "incident-hook": WebhookReceiverSpec(uri="https://hooks.contoso.com/azure-alerts")
        },
    )


SYSTEM_POOL_SIZES = [
    "Standard_D2ds_v5",
    "Standard_D4ds_v5",
    "Standard_D4s_v5",
    "Standard_D8ds_v5",
    "Standard_D8s_v5",
]
"""General-purpose sizes every environment allows, for AKS system node pools."""


def policy(allowed_locations: list[str], gpu_vm_sizes: list[str]) -> PolicySpec:
    """Return the policy with the regions and GPU VM sizes one environment may use."""
    return PolicySpec(
        allowed_locations=allowed_locations,
        allowed_vm_sizes=[*gpu_vm_sizes, *SYSTEM_POOL_SIZES],
        required_tags=["environment", "workload", "owner", "cost-center"],
    )
