"""An ADLS Gen2 data lake with secure defaults."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.storage_account import (
    StorageAccount,
    StorageAccountBlobProperties,
    StorageAccountBlobPropertiesContainerDeleteRetentionPolicy,
    StorageAccountBlobPropertiesDeleteRetentionPolicy,
    StorageAccountNetworkRules,
)
from cdktf_cdktf_provider_azurerm.storage_data_lake_gen2_filesystem import (
    StorageDataLakeGen2Filesystem,
)
from constructs import Construct

from constructs_ai._checkov import skip_check
from constructs_ai._ids import set_logical_id
from constructs_ai.identity import BuiltinRole, Grantee, grant_role
from constructs_ai.refs import ResourceGroupRef
from constructs_ai.specs.storage import DataLakeSpec, Replication

SINGLE_REGION_REPLICATION = frozenset({Replication.LRS, Replication.ZRS})

TARGET_KEY = "datalake"
PRIVATE_LINK_SUBRESOURCES = ("blob", "dfs")
"""Subresources that get a private endpoint: Blob API and the ADLS Gen2 (DFS) API."""


class DataLake(Construct):
    """A StorageV2 account with a hierarchical namespace and the spec's filesystems.

    Secure defaults: TLS 1.2, HTTPS only, no public blobs, no shared keys (the
    provider's `storage_use_azuread` lets Terraform use Entra ID instead), no
    public network access unless the spec enables it, and soft delete for blobs and
    filesystems.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: DataLakeSpec,
        name: str,
        seed: str,
        resource_group: ResourceGroupRef,
    ) -> None:
        super().__init__(scope, construct_id)
        self._seed = seed

        self.resource = StorageAccount(
            self,
            "account",
            name=name,
            location=resource_group.location,
            resource_group_name=resource_group.name,
            account_kind="StorageV2",
            account_tier="Standard",
            account_replication_type=spec.replication.value,
            is_hns_enabled=True,
            min_tls_version="TLS1_2",
            https_traffic_only_enabled=True,
            allow_nested_items_to_be_public=False,
            shared_access_key_enabled=False,
            # SFTP and NFS local users would bypass Entra ID authorization.
            local_user_enabled=False,
            default_to_oauth_authentication=True,
            public_network_access_enabled=spec.public_network_access_enabled,
            network_rules=StorageAccountNetworkRules(
                default_action="Allow" if spec.public_network_access_enabled else "Deny",
                bypass=["AzureServices"],
            ),
            blob_properties=StorageAccountBlobProperties(
                delete_retention_policy=StorageAccountBlobPropertiesDeleteRetentionPolicy(
                    days=spec.blob_soft_delete_days
                ),
                container_delete_retention_policy=(
                    StorageAccountBlobPropertiesContainerDeleteRetentionPolicy(
                        days=spec.container_soft_delete_days
                    )
                ),
            ),
        )
        set_logical_id(self.resource, TARGET_KEY)
        self._declare_scan_suppressions(spec)

        self.filesystems: dict[str, StorageDataLakeGen2Filesystem] = {}
        for filesystem in spec.filesystems:
            resource = StorageDataLakeGen2Filesystem(
                self, f"fs-{filesystem}", name=filesystem, storage_account_id=self.resource.id
            )
            set_logical_id(resource, "datalake", "fs", filesystem)
            self.filesystems[filesystem] = resource

    @property
    def id(self) -> str:
        return self.resource.id

    def _declare_scan_suppressions(self, spec: DataLakeSpec) -> None:
        skip_check(
            self.resource,
            "CKV_AZURE_33",
            "The account serves ADLS Gen2 filesystems and no queues, so classic Storage "
            "Analytics logging of the queue service would record nothing.",
        )
        skip_check(
            self.resource,
            "CKV2_AZURE_1",
            "Data is encrypted at rest with Microsoft-managed keys; customer-managed keys "
            "need a Key Vault key, which the data lake spec does not configure.",
        )
        if spec.replication in SINGLE_REGION_REPLICATION:
            skip_check(
                self.resource,
                "CKV_AZURE_206",
                f"data_lake.replication is {spec.replication.value}, chosen in the spec: "
                "this environment keeps its data in one region.",
            )

    @property
    def name(self) -> str:
        return self.resource.name

    def grant_read(self, identity: Grantee) -> RoleAssignment:
        """Let `identity` read blobs and list filesystems (Storage Blob Data Reader)."""
        return self._grant(BuiltinRole.STORAGE_BLOB_DATA_READER, identity)

    def grant_write(self, identity: Grantee) -> RoleAssignment:
        """Let `identity` read, write and delete blobs (Storage Blob Data Contributor)."""
        return self._grant(BuiltinRole.STORAGE_BLOB_DATA_CONTRIBUTOR, identity)

    def grant_manage(self, identity: Grantee) -> RoleAssignment:
        """Let `identity` create filesystems and set POSIX ACLs (Storage Blob Data Owner)."""
        return self._grant(BuiltinRole.STORAGE_BLOB_DATA_OWNER, identity)

    def _grant(self, role: BuiltinRole, identity: Grantee) -> RoleAssignment:
        return grant_role(
            self,
            seed=self._seed,
            role=role,
            target_id=self.resource.id,
            target_key=TARGET_KEY,
            identity=identity,
        )
