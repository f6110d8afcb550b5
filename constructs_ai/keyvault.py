"""An Azure Key Vault that authorizes with RBAC only and has no public endpoint."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.key_vault import KeyVault as KeyVaultResource
from cdktf_cdktf_provider_azurerm.key_vault import KeyVaultNetworkAcls
from cdktf_cdktf_provider_azurerm.provider import AzurermProviderFeaturesKeyVault
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from constructs import Construct

from constructs_ai._checkov import skip_check
from constructs_ai._ids import set_logical_id
from constructs_ai.identity import BuiltinRole, Grantee, grant_role
from constructs_ai.refs import ResourceGroupRef
from constructs_ai.specs.keyvault import KeyVaultSpec

TARGET_KEY = "keyvault"
PRIVATE_LINK_SUBRESOURCE = "vault"


class KeyVault(Construct):
    """A Key Vault with RBAC authorization, soft delete and, unless disposable, purge protection.

    Secure defaults: no access policies (`rbac_authorization_enabled`), public
    network access off and network ACLs that deny by default, so the vault is
    reached only over its private endpoint. Trusted Azure services keep their
    bypass, as on the data lake.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: KeyVaultSpec,
        name: str,
        tenant_id: str,
        seed: str,
        resource_group: ResourceGroupRef,
    ) -> None:
        super().__init__(scope, construct_id)
        self._seed = seed

        self.resource = KeyVaultResource(
            self,
            "vault",
            name=name,
            location=resource_group.location,
            resource_group_name=resource_group.name,
            tenant_id=tenant_id,
            sku_name=spec.sku.value,
            rbac_authorization_enabled=True,
            purge_protection_enabled=spec.purge_protection_enabled,
            soft_delete_retention_days=spec.soft_delete_retention_days,
            public_network_access_enabled=spec.public_network_access_enabled,
            network_acls=KeyVaultNetworkAcls(
                default_action="Allow" if spec.public_network_access_enabled else "Deny",
                bypass="AzureServices",
            ),
        )
        set_logical_id(self.resource, TARGET_KEY)
        if not spec.purge_protection_enabled:
            skip_purge_protection_checks(
                self.resource,
                field="key_vault.purge_protection_enabled",
                why=(
                    "the vault is disposable (key_vault.disposable) and purged on destroy, "
                    "so the next apply can reuse its name"
                    if spec.disposable
                    else "this environment accepts that a deleted vault can be purged"
                ),
                soft_delete_days=spec.soft_delete_retention_days,
            )

    @property
    def id(self) -> str:
        return self.resource.id

    @property
    def name(self) -> str:
        return self.resource.name

    @property
    def uri(self) -> str:
        """Data-plane URI, such as `https://kv-mlp-dev-3c9d74.vault.azure.net/`."""
        return self.resource.vault_uri

    def grant_secrets_read(self, identity: Grantee) -> RoleAssignment:
        """Let `identity` read secret values (Key Vault Secrets User)."""
        return self._grant(BuiltinRole.KEY_VAULT_SECRETS_USER, identity)

    def grant_secrets_write(self, identity: Grantee) -> RoleAssignment:
        """Let `identity` create, update and delete secrets (Key Vault Secrets Officer)."""
        return self._grant(BuiltinRole.KEY_VAULT_SECRETS_OFFICER, identity)

    def grant_keys_use(self, identity: Grantee) -> RoleAssignment:
        """Let `identity` encrypt, decrypt, wrap and sign with keys (Key Vault Crypto User)."""
        return self._grant(BuiltinRole.KEY_VAULT_CRYPTO_USER, identity)

    def _grant(self, role: BuiltinRole, identity: Grantee) -> RoleAssignment:
        return grant_role(
            self,
            seed=self._seed,
            role=role,
            target_id=self.resource.id,
            target_key=TARGET_KEY,
            identity=identity,
        )


def key_vault_provider_features(
    spec: KeyVaultSpec | None,
) -> AzurermProviderFeaturesKeyVault | None:
    """Return the provider's `features.key_vault` block for the environment's vault.

    A disposable vault is purged when Terraform destroys it, so its name is free
    for the next apply. Every environment recovers a soft-deleted vault of the
    same name on create instead of failing; that also covers a destroy whose
    purge was refused. Protected vaults are never purged on destroy.
    """
    if spec is None:
        return None
    return AzurermProviderFeaturesKeyVault(
        purge_soft_delete_on_destroy=spec.disposable,
        recover_soft_deleted_key_vaults=True,
    )


def skip_purge_protection_checks(
    vault: KeyVaultResource, *, field: str, why: str, soft_delete_days: int
) -> None:
    """Suppress the purge protection checks on a vault whose spec turns purge protection off.

    `field` names the spec field that chose it, and `why` gives the reason recorded with
    the suppressions.
    """
    chosen = f"{field} is false, chosen in the spec: {why}"
    skip_check(vault, "CKV_AZURE_110", f"{chosen}.")
    skip_check(
        vault,
        "CKV_AZURE_42",
        f"Soft delete keeps the vault and its objects recoverable for {soft_delete_days} "
        f"days; the check also requires purge protection, and {chosen}.",
    )
