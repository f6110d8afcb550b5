"""An Azure Container Registry for workload images."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.container_registry import (
    ContainerRegistry as AzureContainerRegistry,
)
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from constructs import Construct

from constructs_ai._ids import set_logical_id
from constructs_ai.identity import BuiltinRole, ManagedIdentity, grant_role
from constructs_ai.naming import stable_suffix
from constructs_ai.refs import ResourceGroupRef
from constructs_ai.specs.kubernetes import ContainerRegistrySpec, RegistrySku


def registry_name(workload: str, environment: str, seed: str) -> str:
    """Return `cr<workload><environment><suffix>`.

    Azure allows 5-50 letters and digits, and the name must be unique across Azure.
    """
    return f"cr{workload}{environment}{stable_suffix(seed, 'registry')}"


class ContainerRegistry(Construct):
    """A registry with the admin user and anonymous pull off, so pulls use Entra ID roles.

    A Premium registry also has public network access off unless the spec turns
    it on, and export off, so images leave only through pulls.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: ContainerRegistrySpec,
        name: str,
        seed: str,
        resource_group: ResourceGroupRef,
    ) -> None:
        super().__init__(scope, construct_id)
        self._seed = seed
        premium = spec.sku is RegistrySku.PREMIUM

        # NOTE: with public access off, nodes reach the registry only through a
        # private endpoint, which this construct does not create yet.
        self.resource = AzureContainerRegistry(
            self,
            "registry",
            name=name,
            location=resource_group.location,
            resource_group_name=resource_group.name,
            sku=spec.sku.value,
            admin_enabled=False,
            anonymous_pull_enabled=False,
            public_network_access_enabled=spec.public_network_access_enabled,
            # Azure can turn exports off only on a Premium registry with public access
            # off (Azure Container Registry docs, "Disable export of artifacts").
            export_policy_enabled=(
                False if premium and not spec.public_network_access_enabled else None
            ),
        )
        set_logical_id(self.resource, "acr")

    @property
    def id(self) -> str:
        return self.resource.id

    @property
    def login_server(self) -> str:
        return self.resource.login_server

    def grant_pull(self, identity: ManagedIdentity) -> RoleAssignment:
        """Let `identity` pull images (AcrPull)."""
        return self._grant(BuiltinRole.ACR_PULL, identity)

    def grant_push(self, identity: ManagedIdentity) -> RoleAssignment:
        """Let `identity` push and pull images (AcrPush), as CI does."""
        return self._grant(BuiltinRole.ACR_PUSH, identity)

    def _grant(self, role: BuiltinRole, identity: ManagedIdentity) -> RoleAssignment:
        return grant_role(
            self,
            seed=self._seed,
            role=role,
            target_id=self.resource.id,
            target_key="acr",
            identity=identity,
        )
