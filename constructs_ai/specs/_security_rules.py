"""Cross-field rules of the environment spec about private networking, Key Vault and identity.

They need the whole EnvironmentSpec (stage, network, data lake, vault), so the
environment's model validator calls `security_problems`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from constructs_ai.errors import Problem, show
from constructs_ai.specs.ai_services import ACCOUNT_DNS_ZONES
from constructs_ai.specs.governance import PURVIEW_DNS_ZONES
from constructs_ai.specs.identity import DataLakeAccess
from constructs_ai.specs.private_endpoints import PRIVATE_DNS_ZONES
from constructs_ai.specs.secrets import secret_problems

if TYPE_CHECKING:
    from constructs_ai.specs.environment import EnvironmentSpec

# Stage values; the Stage enum lives in the environment module, which imports this one.
DEVELOPMENT = "development"
PRODUCTION = "production"


def security_problems(spec: EnvironmentSpec) -> Iterator[Problem]:
    """Yield every broken cross-field rule about privacy, the vault, identities and secrets."""
    yield from _key_vault_problems(spec)
    yield from _private_endpoint_problems(spec)
    yield from _workload_identity_problems(spec)
    yield from secret_problems(spec)


def private_link_zones(spec: EnvironmentSpec) -> list[str]:
    """Return the private DNS zones the environment's private endpoints register in."""
    zones = [zone for sub in private_link_subresources(spec) for zone in PRIVATE_DNS_ZONES[sub]]
    if spec.openai is not None:
        zones += ACCOUNT_DNS_ZONES[spec.openai.kind]
    if spec.purview is not None:
        zones += PURVIEW_DNS_ZONES
    return list(dict.fromkeys(zones))


def private_link_subresources(spec: EnvironmentSpec) -> list[str]:
    """Return the Private Link subresources the environment's PaaS resources expose.

    The OpenAI account's `account` subresource is left out because its zones depend
    on the account kind; `private_link_zones` adds them.
    """
    subresources: list[str] = []
    if spec.data_lake is not None:
        subresources += ["blob", "dfs"]
    if spec.key_vault is not None:
        subresources.append("vault")
    registry = spec.container_registry
    if registry is not None and not registry.public_network_access_enabled:
        subresources.append("registry")
    if spec.machine_learning is not None or spec.ai_foundry is not None:
        # The workspace or hub, and its own storage, vault and registry.
        subresources += ["amlworkspace", "blob", "file", "vault", "registry"]
    return list(dict.fromkeys(subresources))


def _key_vault_problems(spec: EnvironmentSpec) -> Iterator[Problem]:
    vault = spec.key_vault
    if vault is None:
        return
    if vault.disposable and spec.stage != DEVELOPMENT:
        yield Problem(
            "key_vault.disposable",
            "true",
            f'is allowed only in the "development" stage, but stage is "{spec.stage.value}": '
            "a disposable vault is purged with everything in it when the environment is "
            "destroyed",
            "Set key_vault.disposable to false.",
        )
    if spec.stage == PRODUCTION and not vault.purge_protection_enabled:
        yield Problem(
            "key_vault.purge_protection_enabled",
            "false",
            'must be true in the "production" stage, so that nobody can purge a deleted '
            "vault or secret before the soft-delete period ends",
            "Set key_vault.purge_protection_enabled to true.",
        )


def _private_endpoint_problems(spec: EnvironmentSpec) -> Iterator[Problem]:
    endpoints = spec.private_endpoints
    zones = private_link_zones(spec)
    if endpoints is None:
        if zones:
            yield Problem(
                "private_endpoints",
                "null",
                "is required when the environment has a private PaaS resource (data lake, "
                "Key Vault, registry, AI services), because each is reached only over a "
                "private endpoint",
                'Add private_endpoints with the key of a dedicated subnet, such as '
                '{"subnet": "endpoints"}.',
            )
        return
    subnets = spec.network.subnets
    subnet = subnets.get(endpoints.subnet)
    if subnet is None:
        yield Problem(
            "private_endpoints.subnet",
            show(endpoints.subnet),
            "must name a subnet in network.subnets",
            "Use one of: " + ", ".join(f'"{key}"' for key in subnets) + ".",
        )
    elif subnet.delegation:
        yield Problem(
            "private_endpoints.subnet",
            show(endpoints.subnet),
            f"must not be a delegated subnet, but it is delegated to {show(subnet.delegation)}; "
            "Azure does not allow private endpoints in a delegated subnet",
            "Point private_endpoints.subnet at a subnet without delegation.",
        )
    sharing = []
    if spec.gpu_vm is not None and spec.gpu_vm.subnet == endpoints.subnet:
        sharing.append("gpu_vm.subnet")
    if spec.aks is not None and spec.aks.subnet == endpoints.subnet:
        sharing.append("aks.subnet")
    for other in sharing:
        yield Problem(
            "private_endpoints.subnet",
            show(endpoints.subnet),
            f"must be a dedicated subnet, but {other} uses it too",
            "Give the private endpoints their own subnet.",
        )
    missing = endpoints.missing_zone_ids(zones)
    if missing:
        yield Problem(
            "private_endpoints.existing_dns_zone_ids",
            show(sorted(endpoints.existing_dns_zone_ids)),
            "must give the id of every zone the environment's endpoints use, but "
            f"{show(missing)} are missing",
            "Add the resource id of each missing zone.",
        )


def _workload_identity_problems(spec: EnvironmentSpec) -> Iterator[Problem]:
    for key, workload in spec.identity.workload_identities.items():
        field = f'identity.workload_identities["{key}"]'
        if workload.data_lake_access is not DataLakeAccess.NONE and spec.data_lake is None:
            yield Problem(
                f"{field}.data_lake_access",
                show(workload.data_lake_access.value),
                "needs a data lake, but data_lake is not set",
                'Add data_lake, or set data_lake_access to "none".',
            )
        if workload.key_vault_secrets_read and spec.key_vault is None:
            yield Problem(
                f"{field}.key_vault_secrets_read",
                "true",
                "needs a Key Vault, but key_vault is not set",
                "Add key_vault, or set key_vault_secrets_read to false.",
            )
