"""Values the built-in environments share."""

from constructs_ai.specs import StateBackendSpec, TagsSpec

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
