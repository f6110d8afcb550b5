"""Identity spec: AKS workload identities and how long to wait for role assignments."""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from constructs_ai.errors import Problem, rule_error, show, violation
from constructs_ai.specs._base import SpecModel

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)


def _check_namespace(name: str) -> str:
    if len(name) > 63 or not _DNS1123_LABEL.match(name):
        raise violation(
            "",
            name,
            "must be a Kubernetes namespace name (DNS-1123 label): at most 63 lowercase "
            "letters, digits or hyphens, starting and ending with a letter or digit",
            'Use a name such as "training".',
        )
    return name


def _check_service_account(name: str) -> str:
    if len(name) > 253 or not _DNS1123_SUBDOMAIN.match(name):
        raise violation(
            "",
            name,
            "must be a Kubernetes service account name (DNS-1123 subdomain): at most 253 "
            "lowercase letters, digits, hyphens or dots, each dot-separated part starting "
            "and ending with a letter or digit",
            'Use a name such as "trainer".',
        )
    return name


KubernetesNamespace = Annotated[str, AfterValidator(_check_namespace)]
ServiceAccountName = Annotated[str, AfterValidator(_check_service_account)]

WorkloadIdentityKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]{0,15}$")]
"""Workload identity key: 1-16 lowercase letters or digits; part of names and addresses."""


class DataLakeAccess(StrEnum):
    NONE = "none"
    READ = "read"
    WRITE = "write"


class WorkloadIdentitySpec(SpecModel):
    """A user-assigned identity that one AKS service account signs in as, without secrets.

    The environment creates a federated identity credential that trusts tokens
    from the cluster's OIDC issuer for subject
    `system:serviceaccount:<namespace>:<service_account>`.
    """

    namespace: KubernetesNamespace
    """Kubernetes namespace of the service account."""
    service_account: ServiceAccountName
    """Kubernetes service account name."""
    data_lake_access: DataLakeAccess = DataLakeAccess.NONE
    """Data lake role: `read` is Storage Blob Data Reader, `write` is Storage Blob Data
    Contributor. Default: `"none"`."""
    key_vault_secrets_read: bool = False
    """Grant Key Vault Secrets User on the environment's vault. Default: `false`."""


class IdentitySpec(SpecModel):
    """Workload identities and role assignment timing."""

    rbac_propagation_seconds: Annotated[int, Field(ge=0, le=600)] = 60
    """Seconds Terraform waits after creating the role assignments that its own
    data-plane writes (data lake filesystems) need, 0-600. Azure Resource Manager caches
    role assignments, so a new one can take minutes to apply. 60 is an estimate for the
    common case: raise it if the first apply fails with 403. 0 creates no wait.
    Default: `60`."""
    workload_identities: dict[WorkloadIdentityKey, WorkloadIdentitySpec] = {}
    """AKS workload identities keyed by a short name. They are created only when the
    environment has a cluster OIDC issuer. Default: `{}`."""

    @model_validator(mode="after")
    def _check_subjects(self) -> IdentitySpec:
        problems = list(self._duplicate_subject_problems())
        if problems:
            raise rule_error(problems)
        return self

    def _duplicate_subject_problems(self) -> Iterator[Problem]:
        owners: dict[tuple[str, str], str] = {}
        for key, workload in self.workload_identities.items():
            subject = (workload.namespace, workload.service_account)
            if subject in owners:
                yield Problem(
                    f'workload_identities["{key}"].service_account',
                    show(f"{workload.namespace}/{workload.service_account}"),
                    f'must be unique, but workload_identities["{owners[subject]}"] already '
                    "binds this service account",
                    "Bind each service account to one identity; grant that identity all the "
                    "roles the workload needs.",
                )
            owners.setdefault(subject, key)
