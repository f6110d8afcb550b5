"""Identities: deployment identity, workload identity federation and the RBAC propagation wait."""

from __future__ import annotations

import json
from typing import Any

import pytest

from constructs_ai.errors import SpecError
from constructs_ai.specs import EnvironmentSpec, IdentitySpec, WorkloadIdentitySpec
from tests.conftest import ENVIRONMENT_NAMES, Stack, resources_of
from tests.factories import spec_data

ISSUER = "https://eastus2.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/1111/"


@pytest.mark.parametrize(
    ("namespace", "service_account", "match"),
    [
        ("Training", "trainer", "must be a Kubernetes namespace name"),
        ("-training", "trainer", "must be a Kubernetes namespace name"),
        ("a" * 64, "trainer", "must be a Kubernetes namespace name"),
        ("training", "Trainer", "must be a Kubernetes service account name"),
        ("training", "trainer.", "must be a Kubernetes service account name"),
        ("training", "train_er", "must be a Kubernetes service account name"),
    ],
)
def test_workload_identity_names_rejected(namespace: str, service_account: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        WorkloadIdentitySpec(namespace=namespace, service_account=service_account)


def test_service_account_with_dots_accepted() -> None:
    spec = WorkloadIdentitySpec(namespace="kube-system", service_account="csi.driver-sa")

    assert spec.service_account == "csi.driver-sa"
    assert spec.data_lake_access == "none"
    assert spec.key_vault_secrets_read is False


def test_same_service_account_twice_rejected() -> None:
    workload = {"namespace": "training", "service_account": "trainer"}

    with pytest.raises(ValueError, match=r'already binds this service account'):
        IdentitySpec(workload_identities={"a": workload, "b": workload})


def test_identity_defaults() -> None:
    spec = IdentitySpec()

    assert spec.rbac_propagation_seconds == 60
    assert spec.workload_identities == {}


def test_propagation_seconds_above_limit_rejected() -> None:
    with pytest.raises(ValueError, match="rbac_propagation_seconds"):
        IdentitySpec(rbac_propagation_seconds=601)


def test_data_lake_access_without_lake_rejected() -> None:
    data = spec_data("dev")
    data["data_lake"] = None
    data["identity"] = {"workload_identities": {
        "trainer": {"namespace": "training", "service_account": "trainer",
                    "data_lake_access": "write"},
    }}

    with pytest.raises(SpecError, match=r'\["trainer"\]\.data_lake_access needs a data lake'):
        EnvironmentSpec.from_data(data)


def test_secrets_read_without_vault_rejected() -> None:
    data = spec_data("dev")
    data["key_vault"] = None
    data["identity"] = {"workload_identities": {
        "trainer": {"namespace": "training", "service_account": "trainer",
                    "key_vault_secrets_read": True},
    }}

    with pytest.raises(SpecError, match="key_vault_secrets_read needs a Key Vault"):
        EnvironmentSpec.from_data(data)


def _synth_construct(build: Any) -> Stack:
    from cdktf import TerraformStack, Testing

    stack = TerraformStack(Testing.app(), "identity")
    build(stack)
    return json.loads(Testing.synth(stack))


def _resource_group() -> Any:
    from constructs_ai.refs import ResourceGroupRef

    return ResourceGroupRef(name="rg-mlp-dev", location="swedencentral", id="rg-id")


def test_workload_identity_federates_service_account() -> None:
    from constructs_ai.identity import WorkloadIdentities

    def build(stack: Any) -> None:
        WorkloadIdentities(
            stack,
            "workload-identities",
            specs={"trainer": WorkloadIdentitySpec(namespace="training", service_account="sa-1")},
            oidc_issuer_url=ISSUER,
            workload="mlp",
            environment="dev",
            resource_group=_resource_group(),
        )

    stack = _synth_construct(build)

    identity = resources_of(stack, "azurerm_user_assigned_identity")["id_wl_trainer"]
    credential = resources_of(stack, "azurerm_federated_identity_credential")[
        "fic_wl_trainer_aks_trainer"
    ]
    assert identity["name"] == "id-mlp-dev-wl-trainer"
    assert credential["issuer"] == ISSUER
    assert credential["subject"] == "system:serviceaccount:training:sa-1"
    assert credential["audience"] == ["api://AzureADTokenExchange"]
    assert credential["parent_id"] == "${azurerm_user_assigned_identity.id_wl_trainer.id}"


def test_stack_without_issuer_creates_no_workload_identities(synth_spec) -> None:  # type: ignore[no-untyped-def]
    data = spec_data("dev")
    data["aks"] = None
    data["identity"] = {"workload_identities": {
        "trainer": {"namespace": "training", "service_account": "trainer"},
    }}
    stack = synth_spec(EnvironmentSpec.from_data(data))

    assert resources_of(stack, "azurerm_federated_identity_credential") == {}
    assert "id_wl_trainer" not in resources_of(stack, "azurerm_user_assigned_identity")


def test_stack_with_issuer_grants_workload_roles() -> None:
    from cdktf import Testing

    from constructs_ai.environment import AiEnvironmentStack

    data = spec_data("dev")
    data["aks"] = None
    data["identity"] = {"workload_identities": {
        "trainer": {"namespace": "training", "service_account": "trainer",
                    "data_lake_access": "read", "key_vault_secrets_read": True},
    }}
    spec = EnvironmentSpec.from_data(data)
    stack = AiEnvironmentStack(Testing.app(), "dev", spec=spec)

    identities = stack._add_workload_identities(oidc_issuer_url=ISSUER)
    synthesized = json.loads(Testing.synth(stack))

    assignments = resources_of(synthesized, "azurerm_role_assignment")
    assert list(identities) == ["trainer"]
    assert assignments["ra_datalake_storage_blob_data_reader_wl_trainer"]["role_definition_name"] \
        == "Storage Blob Data Reader"
    assert assignments["ra_keyvault_key_vault_secrets_user_wl_trainer"]["scope"] \
        == "${azurerm_key_vault.keyvault.id}"
    credential = resources_of(synthesized, "azurerm_federated_identity_credential")
    assert credential["fic_wl_trainer_aks_trainer"]["issuer"] == ISSUER


def test_cluster_issuer_federates_workload_identities(synth_spec) -> None:  # type: ignore[no-untyped-def]
    data = spec_data("dev")
    data["identity"] = {"workload_identities": {
        "trainer": {"namespace": "training", "service_account": "trainer"},
    }}

    stack = synth_spec(EnvironmentSpec.from_data(data))

    credential = resources_of(stack, "azurerm_federated_identity_credential")
    assert credential["fic_wl_trainer_aks_trainer"]["issuer"] == (
        "${azurerm_kubernetes_cluster.aks.oidc_issuer_url}"
    )
    assert credential["fic_wl_trainer_aks_trainer"]["subject"] == (
        "system:serviceaccount:training:trainer"
    )


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_deployment_identity_writes_data_plane(stacks: dict[str, Stack], environment: str) -> None:
    identity = resources_of(stacks[environment], "azurerm_user_assigned_identity")["id_deploy"]
    assignments = resources_of(stacks[environment], "azurerm_role_assignment")
    output = stacks[environment]["output"]["deployment_identity_client_id"]

    assert identity["name"] == f"id-mlp-{environment}-deploy"
    lake = assignments["ra_datalake_storage_blob_data_contributor_deploy"]
    assert lake["role_definition_name"] == "Storage Blob Data Contributor"
    assert lake["scope"] == "${azurerm_storage_account.datalake.id}"
    assert "ra_keyvault_key_vault_secrets_officer_deploy" in assignments
    assert output["value"] == "${azurerm_user_assigned_identity.id_deploy.client_id}"


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_role_assignment_names_are_guids(stacks: dict[str, Stack], environment: str) -> None:
    import uuid

    assignments = resources_of(stacks[environment], "azurerm_role_assignment").values()

    names = [body["name"] for body in assignments]
    assert all(str(uuid.UUID(name)) == name for name in names)
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_filesystems_wait_for_deployer_role(stacks: dict[str, Stack], environment: str) -> None:
    sleep = resources_of(stacks[environment], "time_sleep")["rbac_propagation_datalake"]
    owner = resources_of(stacks[environment], "azurerm_role_assignment")[
        "ra_datalake_storage_blob_data_owner_deployer"
    ]
    filesystems = resources_of(stacks[environment], "azurerm_storage_data_lake_gen2_filesystem")

    assert sleep["create_duration"] == "60s"
    assert sleep["depends_on"] == [
        "azurerm_role_assignment.ra_datalake_storage_blob_data_owner_deployer"
    ]
    assert owner["principal_id"] == "${data.azurerm_client_config.current.object_id}"
    assert "principal_type" not in owner
    for body in filesystems.values():
        assert "time_sleep.rbac_propagation_datalake" in body["depends_on"]
        assert "azurerm_private_endpoint.pe_datalake_dfs" in body["depends_on"]


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_time_provider_uses_full_source(stacks: dict[str, Stack], environment: str) -> None:
    providers = stacks[environment]["terraform"]["required_providers"]

    assert providers["time"]["source"] == "hashicorp/time"


def test_zero_propagation_seconds_creates_no_sleep(synth_spec) -> None:  # type: ignore[no-untyped-def]
    data = spec_data("dev")
    data["identity"] = {"rbac_propagation_seconds": 0}
    stack = synth_spec(EnvironmentSpec.from_data(data))

    filesystems = resources_of(stack, "azurerm_storage_data_lake_gen2_filesystem")
    assert resources_of(stack, "time_sleep") == {}
    assert "time" not in stack["terraform"]["required_providers"]
    for body in filesystems.values():
        assert "azurerm_role_assignment.ra_datalake_storage_blob_data_owner_deployer" in (
            body["depends_on"]
        )
