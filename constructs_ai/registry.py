"""An Azure Container Registry for workload images."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.container_registry import (
    ContainerRegistry as AzureContainerRegistry,
)
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from constructs import Construct

from constructs_ai._checkov import skip_check
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
    it on, and export off, so images leave only through pulls. It serves data from
    a dedicated data endpoint, is zone redundant unless the spec says otherwise,
    and deletes untagged manifests after the spec's retention period.
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
            # Data endpoints, zone redundancy and retention exist on Premium only.
            data_endpoint_enabled=True if premium else None,
            zone_redundancy_enabled=spec.zone_redundant if premium else None,
            retention_policy_in_days=spec.untagged_manifest_retention_days if premium else None,
        )
        set_logical_id(self.resource, "acr")
        declare_registry_scan_suppressions(self.resource, field="container_registry")
        self._declare_sku_suppressions(spec)

    def _declare_sku_suppressions(self, spec: ContainerRegistrySpec) -> None:
        if spec.sku is not RegistrySku.PREMIUM:
            sku = f"container_registry.sku is {spec.sku.value}, chosen in the spec"
            skip_check(
                self.resource,
                "CKV_AZURE_237",
                f"Dedicated data endpoints need the Premium SKU, and {sku}.",
            )
            skip_check(
                self.resource,
                "CKV_AZURE_167",
                f"The retention policy for untagged manifests needs the Premium SKU, and {sku}.",
            )
        if not spec.zone_redundant:
            skip_check(
                self.resource,
                "CKV_AZURE_233",
                "The registry is not zone redundant: container_registry."
                f"zone_redundancy_enabled resolves to false for SKU {spec.sku.value}, chosen "
                "in the spec. Zone redundancy needs Premium and a region with availability "
                "zones.",
            )

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


def declare_registry_scan_suppressions(registry: AzureContainerRegistry, *, field: str) -> None:
    """Suppress the registry checks that apply to no registry of this library.

    `field` names what declares the registry, and the reasons quote it.
    """
    skip_check(
        registry,
        "CKV_AZURE_164",
        "The check asks for Docker Content Trust, the only trust policy the registry "
        "offers, which Azure Container Registry deprecated on 2025-03-31 and removes on "
        "2028-03-31; sign images with Notation (Notary Project) and verify them at "
        "deployment instead.",
    )
    skip_check(
        registry,
        "CKV_AZURE_165",
        f"{field} declares a registry for the clusters in the environment's one region, "
        "so a replica in another region would serve no deployment. Geo-replication is "
        "not in the spec.",
    )
    skip_check(
        registry,
        "CKV_AZURE_166",
        "Quarantine (a preview feature) keeps every pushed image unpullable until a "
        "scanner marks it verified through the quarantine API; no such scanner is part "
        "of the environment, so it would block every pull of a new image.",
    )
