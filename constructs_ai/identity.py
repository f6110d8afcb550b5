"""Managed identities, role assignments with Azure built-in role names, and
workload identity federation.

No identity here has a password, key or client secret: workloads sign in as
user-assigned managed identities, and AKS pods exchange their service account
token for an Entra token through a federated identity credential.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Protocol

from cdktf import TerraformResource, TerraformStack
from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.federated_identity_credential import (
    FederatedIdentityCredential,
)
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.user_assigned_identity import UserAssignedIdentity
from cdktf_cdktf_provider_time.provider import TimeProvider
from cdktf_cdktf_provider_time.sleep import Sleep
from constructs import Construct

from constructs_ai._ids import set_logical_id
from constructs_ai.naming import resource_name
from constructs_ai.refs import ResourceGroupRef
from constructs_ai.specs.identity import WorkloadIdentitySpec

_TIME_PROVIDER_ID = "time"

TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange"
"""The audience Microsoft Entra expects in tokens exchanged through federated credentials."""

_ROLE_ASSIGNMENT_NAMESPACE = uuid.UUID("6f1c3c2e-3b8a-4d4e-9a57-0c2f5d1e8b90")


class BuiltinRole(StrEnum):
    """Azure built-in role names used by grant methods."""

    STORAGE_BLOB_DATA_READER = "Storage Blob Data Reader"
    STORAGE_BLOB_DATA_CONTRIBUTOR = "Storage Blob Data Contributor"
    STORAGE_BLOB_DATA_OWNER = "Storage Blob Data Owner"
    KEY_VAULT_SECRETS_USER = "Key Vault Secrets User"
    KEY_VAULT_SECRETS_OFFICER = "Key Vault Secrets Officer"
    KEY_VAULT_CRYPTO_USER = "Key Vault Crypto User"
    KEY_VAULT_CERTIFICATE_USER = "Key Vault Certificate User"
    ACR_PULL = "AcrPull"
    ACR_PUSH = "AcrPush"
    NETWORK_CONTRIBUTOR = "Network Contributor"
    MANAGED_IDENTITY_OPERATOR = "Managed Identity Operator"
    COGNITIVE_SERVICES_OPENAI_USER = "Cognitive Services OpenAI User"


class Grantee(Protocol):
    """A security principal that grant methods can assign roles to."""

    @property
    def key(self) -> str:
        """Stable short name, part of role assignment names and addresses."""
        ...

    @property
    def principal_id(self) -> str:
        """Object id of the principal in Microsoft Entra ID."""
        ...

    @property
    def principal_type(self) -> str | None:
        """`ServicePrincipal`, `User` or `Group`, or None to let Azure look it up."""
        ...


class ManagedIdentity(Construct):
    """A user-assigned managed identity, the only way workloads here authenticate."""

    principal_type = "ServicePrincipal"
    """Lets Azure skip the directory lookup, which can fail for a just-created identity
    because of replication delay."""

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


class DeployingPrincipal(Construct):
    """The principal that runs Terraform, read from the provider's credentials.

    Its tenant is the tenant of every vault, and it gets the data-plane roles
    that Terraform's own writes (data lake filesystems) need in the same apply.
    """

    key = "deployer"
    principal_type = None
    """Unknown at synth time: a user, a service principal or a managed identity."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.resource = DataAzurermClientConfig(self, "client-config")
        set_logical_id(self.resource, "current")

    @property
    def principal_id(self) -> str:
        return self.resource.object_id

    @property
    def tenant_id(self) -> str:
        return self.resource.tenant_id


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
    identity: Grantee,
) -> RoleAssignment:
    """Assign `role` on the resource `target_id` to `identity`.

    The assignment is a child of `scope`, addressed `ra_<target>_<role>_<identity>`.
    Its name is a GUID derived from `seed`, `target_key`, `role` and the identity's
    key, so synth output stays the same and re-applying does not duplicate it.
    """
    role_slug = role.value.lower().replace(" ", "_")
    assignment = RoleAssignment(
        scope,
        f"grant-{role_slug}-{identity.key}",
        name=role_assignment_name(seed, target_key, role, identity.key),
        scope=target_id,
        role_definition_name=role.value,
        principal_id=identity.principal_id,
        principal_type=identity.principal_type,
    )
    set_logical_id(assignment, "ra", target_key, role_slug, identity.key)
    return assignment


def federate_identity(
    scope: Construct,
    *,
    identity: ManagedIdentity,
    name: str,
    issuer_url: str,
    subject: str,
) -> FederatedIdentityCredential:
    """Trust tokens from `issuer_url` with subject `subject` as `identity`.

    Azure allows 20 federated credentials per identity. `name` is 3-120 letters,
    digits, hyphens or underscores, unique per identity.
    """
    credential = FederatedIdentityCredential(
        scope,
        f"federated-{name}",
        name=name,
        resource_group_name=identity.resource.resource_group_name,
        parent_id=identity.id,
        issuer=issuer_url,
        subject=subject,
        audience=[TOKEN_EXCHANGE_AUDIENCE],
    )
    set_logical_id(credential, "fic", identity.key, name)
    return credential


def service_account_subject(namespace: str, service_account: str) -> str:
    """Return the subject of a Kubernetes service account token."""
    return f"system:serviceaccount:{namespace}:{service_account}"


class WorkloadIdentities(Construct):
    """One user-assigned identity per AKS workload, federated with its service account.

    Pods that run as the service account (with the `azure.workload.identity/use`
    label and the identity's client id in the service account annotation) get
    Entra tokens for the identity without any stored secret.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        specs: Mapping[str, WorkloadIdentitySpec],
        oidc_issuer_url: str,
        workload: str,
        environment: str,
        resource_group: ResourceGroupRef,
    ) -> None:
        super().__init__(scope, construct_id)
        self.identities: dict[str, ManagedIdentity] = {}
        self.credentials: dict[str, FederatedIdentityCredential] = {}

        for key, spec in specs.items():
            identity = ManagedIdentity(
                self,
                f"identity-{key}",
                name=resource_name("id", workload, environment, f"wl-{key}"),
                key=f"wl_{key}",
                resource_group=resource_group,
            )
            self.identities[key] = identity
            self.credentials[key] = federate_identity(
                self,
                identity=identity,
                name=f"aks-{key}",
                issuer_url=oidc_issuer_url,
                subject=service_account_subject(spec.namespace, spec.service_account),
            )


class RbacPropagationWait(Construct):
    """A pause between role assignments and the data-plane writes that need them.

    Azure can take minutes to apply a new role assignment, and a write in the
    meantime fails with 403. The wait is a `time_sleep` (hashicorp/time) that
    depends on the assignments; dependents start after it. Its triggers hold the
    assignment ids, so a replaced or added assignment waits again. With
    `seconds` 0 no sleep is created and dependents depend on the assignments.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        key: str,
        assignments: Sequence[RoleAssignment],
        seconds: int,
    ) -> None:
        super().__init__(scope, construct_id)
        self.seconds = seconds
        self.resource: Sleep | None = None
        self._assignments = list(assignments)
        if seconds <= 0 or not self._assignments:
            return

        _ensure_time_provider(TerraformStack.of(self))
        self.resource = Sleep(
            self,
            "sleep",
            create_duration=f"{seconds}s",
            triggers={
                assignment.friendly_unique_id: assignment.id for assignment in self._assignments
            },
            depends_on=self._assignments,
        )
        set_logical_id(self.resource, "rbac_propagation", key)

    def add_dependents(self, resources: Iterable[TerraformResource]) -> None:
        """Make each resource wait until the role assignments have taken effect."""
        gates: list[TerraformResource] = (
            [self.resource] if self.resource is not None else list(self._assignments)
        )
        for resource in resources:
            add_depends_on(resource, gates)


def add_depends_on(resource: TerraformResource, dependencies: Iterable[TerraformResource]) -> None:
    """Append `dependencies` to the `depends_on` of `resource`, keeping existing entries."""
    existing = list(resource.depends_on or [])
    for dependency in dependencies:
        # Terraform reads depends_on entries as bare addresses ("type.name");
        # `fqn` would render as an interpolation "${type.name}".
        address = f"{dependency.terraform_resource_type}.{dependency.friendly_unique_id}"
        if address not in existing:
            existing.append(address)
    resource.depends_on = existing


def _ensure_time_provider(stack: TerraformStack) -> None:
    if stack.node.try_find_child(_TIME_PROVIDER_ID) is not None:
        return
    # The prebuilt time bindings (11.0.1) already declare the full source
    # "hashicorp/time", so unlike azurerm no override is needed.
    TimeProvider(stack, _TIME_PROVIDER_ID)
