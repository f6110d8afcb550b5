"""Managed identities and role assignments with Azure built-in role names."""

from __future__ import annotations

import uuid
from enum import StrEnum

from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.user_assigned_identity import UserAssignedIdentity
from constructs import Construct

from constructs_ai._ids import set_logical_id
from constructs_ai.refs import ResourceGroupRef

_ROLE_ASSIGNMENT_NAMESPACE = uuid.UUID("6f1c3c2e-3b8a-4d4e-9a57-0c2f5d1e8b90")


class BuiltinRole(StrEnum):
    """Azure built-in role names used by grant methods."""

    STORAGE_BLOB_DATA_READER = "Storage Blob Data Reader"
    STORAGE_BLOB_DATA_CONTRIBUTOR = "Storage Blob Data Contributor"
    STORAGE_BLOB_DATA_OWNER = "Storage Blob Data Owner"
    KEY_VAULT_SECRETS_USER = "Key Vault Secrets User"
    ACR_PULL = "AcrPull"
    NETWORK_CONTRIBUTOR = "Network Contributor"
    MANAGED_IDENTITY_OPERATOR = "Managed Identity Operator"
    COGNITIVE_SERVICES_OPENAI_USER = "Cognitive Services OpenAI User"


class ManagedIdentity(Construct):
    """A user-assigned managed identity, the only way workloads here authenticate."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        key: str,
        resource_group: ResourceGroupRef,
    ) -> None:
        super().__init__(scope, construct_id)
        self.key = key
        self.resource = UserAssignedIdentity(
            self,
            "identity",
            name=name,
            location=resource_group.location,
            resource_group_name=resource_group.name,
        )
        set_logical_id(self.resource, "id", key)

    @property
    def id(self) -> str:
        return self.resource.id

    @property
    def principal_id(self) -> str:
        return self.resource.principal_id

    @property
    def client_id(self) -> str:
        return self.resource.client_id


def role_assignment_name(seed: str, scope_key: str, role: BuiltinRole, principal_key: str) -> str:
    """Return a deterministic GUID for a role assignment.

    Azure requires the name to be a GUID. It is derived from stable keys, not from
    resource ids (unknown until apply), so the same spec always gives the same name.
    """
    return str(uuid.uuid5(_ROLE_ASSIGNMENT_NAMESPACE, f"{seed}|{scope_key}|{role}|{principal_key}"))


def grant_role(
    scope: Construct,
    *,
    seed: str,
    role: BuiltinRole,
    target_id: str,
    target_key: str,
    identity: ManagedIdentity,
) -> RoleAssignment:
    """Assign `role` on the resource `target_id` to `identity`.

    The assignment is a child of `scope`, addressed `ra_<target>_<role>_<identity>`.
    """
    role_slug = role.value.lower().replace(" ", "_")
    assignment = RoleAssignment(
        scope,
        f"grant-{role_slug}-{identity.key}",
        name=role_assignment_name(seed, target_key, role, identity.key),
        scope=target_id,
        role_definition_name=role.value,
        principal_id=identity.principal_id,
        principal_type="ServicePrincipal",
    )
    set_logical_id(assignment, "ra", target_key, role_slug, identity.key)
    return assignment
