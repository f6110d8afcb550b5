"""Key Vault: name rules, purge protection versus disposability, and the synthesized vault."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constructs_ai.errors import SpecError
from constructs_ai.specs import EnvironmentSpec, KeyVaultSpec
from constructs_ai.specs.keyvault import derived_key_vault_name, key_vault_name_problem
from tests.conftest import ENVIRONMENT_NAMES, Stack, resources_of
from tests.factories import spec_data


def _spec_with_vault(environment: str = "dev", **vault: object) -> EnvironmentSpec:
    data = spec_data(environment)
    data["key_vault"] = vault
    return EnvironmentSpec.from_data(data)


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("1vault", "must start with a letter"),
        ("kv", "must be 3-24 characters long"),
        ("kv-" + "a" * 22, "must be 3-24 characters long"),
        ("kv-mlp-", "end with a letter or digit"),
        ("kv_mlp", "only letters, digits and hyphens"),
        ("kv--mlp", "must not contain two hyphens in a row"),
    ],
)
def test_vault_name_rejected(name: str, rule: str) -> None:
    with pytest.raises(SpecError, match=rule) as error:
        _spec_with_vault(name=name, disposable=True, purge_protection_enabled=False)

    assert 'key_vault.name' in str(error.value)


def test_vault_name_starting_with_digit_rejected() -> None:
    with pytest.raises(SpecError, match=r'key_vault\.name must start with a letter.*got "7kv"'):
        _spec_with_vault(name="7kv", disposable=True, purge_protection_enabled=False)


def test_given_vault_name_is_used() -> None:
    spec = _spec_with_vault(name="kv-team-dev", disposable=True, purge_protection_enabled=False)

    assert spec.key_vault_name == "kv-team-dev"


@given(
    workload=st.from_regex(r"^[a-z][a-z0-9]{1,11}$", fullmatch=True),
    environment=st.from_regex(r"^[a-z][a-z0-9]{1,9}$", fullmatch=True),
    seed=st.text(min_size=1, max_size=64),
)
def test_derived_vault_name_always_valid(workload: str, environment: str, seed: str) -> None:
    name = derived_key_vault_name(workload, environment, seed)

    assert key_vault_name_problem(name) is None


def test_derived_vault_name_differs_per_environment() -> None:
    dev = derived_key_vault_name("mlp", "dev", "mlp/dev")
    prod = derived_key_vault_name("mlp", "prod", "mlp/prod")

    assert dev != prod
    assert dev.startswith("kv-mlp-dev-")


def test_disposable_with_purge_protection_rejected() -> None:
    with pytest.raises(ValueError, match="disposable cannot be combined with purge_protection"):
        KeyVaultSpec(disposable=True, purge_protection_enabled=True)


def test_disposable_defaults_keep_purge_protection() -> None:
    spec = KeyVaultSpec()

    assert spec.purge_protection_enabled is True
    assert spec.soft_delete_retention_days == 90
    assert spec.disposable is False
    assert spec.public_network_access_enabled is False
    assert spec.name is None


def test_disposable_outside_development_rejected() -> None:
    with pytest.raises(SpecError, match='disposable is allowed only in the "development" stage'):
        _spec_with_vault("staging", disposable=True, purge_protection_enabled=False)


def test_production_without_purge_protection_rejected() -> None:
    with pytest.raises(SpecError, match="purge_protection_enabled must be true in the"):
        _spec_with_vault("prod", purge_protection_enabled=False)


def test_soft_delete_days_out_of_range_rejected() -> None:
    with pytest.raises(SpecError, match="soft_delete_retention_days"):
        _spec_with_vault("prod", soft_delete_retention_days=6)


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_vault_is_rbac_only_and_private(stacks: dict[str, Stack], environment: str) -> None:
    vault = resources_of(stacks[environment], "azurerm_key_vault")["keyvault"]

    assert vault["rbac_authorization_enabled"] is True
    assert "access_policy" not in vault
    assert "enable_rbac_authorization" not in vault
    assert vault["public_network_access_enabled"] is False
    assert vault["network_acls"]["default_action"] == "Deny"
    assert vault["tenant_id"] == "${data.azurerm_client_config.current.tenant_id}"
    assert key_vault_name_problem(vault["name"]) is None


@pytest.mark.parametrize("environment", ["staging", "prod"])
def test_protected_vault_keeps_purge_protection(stacks: dict[str, Stack], environment: str) -> None:
    vault = resources_of(stacks[environment], "azurerm_key_vault")["keyvault"]
    features = stacks[environment]["provider"]["azurerm"][0]["features"][0]["key_vault"][0]

    assert vault["purge_protection_enabled"] is True
    assert vault["soft_delete_retention_days"] == 90
    assert features["purge_soft_delete_on_destroy"] is False
    assert features["recover_soft_deleted_key_vaults"] is True


def test_dev_vault_is_disposable(stacks: dict[str, Stack]) -> None:
    vault = resources_of(stacks["dev"], "azurerm_key_vault")["keyvault"]
    features = stacks["dev"]["provider"]["azurerm"][0]["features"][0]["key_vault"][0]

    assert vault["purge_protection_enabled"] is False
    assert vault["soft_delete_retention_days"] == 7
    assert features["purge_soft_delete_on_destroy"] is True
    assert features["recover_soft_deleted_key_vaults"] is True


@pytest.mark.parametrize("environment", ENVIRONMENT_NAMES)
def test_vault_grants_use_builtin_roles(stacks: dict[str, Stack], environment: str) -> None:
    assignments = resources_of(stacks[environment], "azurerm_role_assignment")

    officer = assignments["ra_keyvault_key_vault_secrets_officer_deploy"]
    reader = assignments["ra_keyvault_key_vault_secrets_user_gpu_vm"]
    assert officer["role_definition_name"] == "Key Vault Secrets Officer"
    assert officer["scope"] == "${azurerm_key_vault.keyvault.id}"
    assert officer["principal_id"] == "${azurerm_user_assigned_identity.id_deploy.principal_id}"
    assert reader["role_definition_name"] == "Key Vault Secrets User"
    assert reader["principal_type"] == "ServicePrincipal"


def test_environment_without_vault_has_no_vault_features(synth_spec) -> None:  # type: ignore[no-untyped-def]
    data = spec_data("dev")
    data["key_vault"] = None
    stack = synth_spec(EnvironmentSpec.from_data(data))

    assert stack["provider"]["azurerm"][0]["features"] == [{}]
    assert resources_of(stack, "azurerm_key_vault") == {}
    assert "key_vault_name" not in stack["output"]
