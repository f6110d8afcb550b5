"""The AI services of one environment, built from its spec in dependency order."""

from __future__ import annotations

from cdktf import TerraformResource
from constructs import Construct

from constructs_ai.ai_services import OpenAiAccount
from constructs_ai.frontdoor import FrontDoor
from constructs_ai.governance import Purview
from constructs_ai.machine_learning import (
    AiFoundryHub,
    MachineLearningWorkspace,
    WorkspaceDependencies,
)
from constructs_ai.naming import resource_name, stable_suffix
from constructs_ai.refs import PrivateLinkTarget, ResourceGroupRef
from constructs_ai.specs.environment import EnvironmentSpec, Stage
from constructs_ai.specs.frontdoor import OriginKind


class AiServices(Construct):
    """Azure OpenAI, Machine Learning, AI Foundry, Front Door and Purview, each built when the
    spec sets it.

    The optional inputs are seams for constructs built elsewhere: an action group for
    alerts, a Log Analytics workspace for Application Insights, and an AKS cluster to
    attach for inference. `private_link_targets()` lists the private endpoints needed.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: EnvironmentSpec,
        resource_group: ResourceGroupRef,
        action_group_id: str | None = None,
        log_analytics_workspace_id: str | None = None,
        aks_cluster_id: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.spec = spec

        self.openai = self._add_openai(resource_group, action_group_id)
        self.dependencies = self._add_dependencies(resource_group, log_analytics_workspace_id)
        self.machine_learning = self._add_machine_learning(resource_group, aks_cluster_id)
        self.ai_foundry = self._add_ai_foundry(resource_group)
        self.front_door = self._add_front_door(resource_group)
        self.purview = self._add_purview(resource_group)

    def private_link_targets(self) -> list[PrivateLinkTarget]:
        """Return every private endpoint the AI services need, in a stable order."""
        targets: list[PrivateLinkTarget] = []
        if self.openai is not None:
            targets.extend(self.openai.private_link_targets())
        if self.machine_learning is not None:
            targets.extend(self.machine_learning.private_link_targets())
        elif self.dependencies is not None:
            targets.extend(self.dependencies.private_link_targets())
        if self.ai_foundry is not None:
            targets.extend(self.ai_foundry.private_link_targets())
        if self.purview is not None:
            targets.extend(self.purview.private_link_targets())
        return targets

    @property
    def openai_last_deployment(self) -> TerraformResource | None:
        """The OpenAI deployment a private endpoint on the account must depend on."""
        return self.openai.last_deployment if self.openai is not None else None

    def outputs(self) -> dict[str, str]:
        """Return the stack outputs: endpoints, the capacity table date, post-deploy steps."""
        outputs: dict[str, str] = {}
        if self.openai is not None:
            outputs["openai_endpoint"] = self.openai.endpoint
            outputs["openai_capacity_table_as_of"] = self.openai.table_as_of
        if self.machine_learning is not None:
            outputs["machine_learning_workspace_id"] = self.machine_learning.id
        if self.front_door is not None:
            outputs["front_door_host_name"] = self.front_door.host_name
            instructions = self.front_door.approval_instructions()
            if instructions is not None:
                outputs["front_door_private_link_approval"] = instructions
        return outputs

    def _add_openai(
        self, resource_group: ResourceGroupRef, action_group_id: str | None
    ) -> OpenAiAccount | None:
        spec = self.spec
        if spec.openai is None:
            return None
        return OpenAiAccount(
            self,
            "openai",
            spec=spec.openai,
            name=resource_name("oai", spec.workload, spec.name),
            custom_subdomain=spec.openai_custom_subdomain,
            seed=spec.seed,
            resource_group=resource_group,
            action_group_id=action_group_id,
        )

    def _add_dependencies(
        self, resource_group: ResourceGroupRef, log_analytics_workspace_id: str | None
    ) -> WorkspaceDependencies | None:
        spec = self.spec
        if spec.machine_learning is None and spec.ai_foundry is None:
            return None
        purge_protection = spec.stage is not Stage.DEVELOPMENT
        if spec.machine_learning is not None:
            chosen = spec.machine_learning.key_vault_purge_protection_enabled
            purge_protection = purge_protection if chosen is None else chosen
        return WorkspaceDependencies(
            self,
            "workspace-dependencies",
            workload=spec.workload,
            environment=spec.name,
            seed=spec.seed,
            resource_group=resource_group,
            production=spec.stage is Stage.PRODUCTION,
            purge_protection_enabled=purge_protection,
            log_analytics_workspace_id=log_analytics_workspace_id,
        )

    def _add_machine_learning(
        self, resource_group: ResourceGroupRef, aks_cluster_id: str | None
    ) -> MachineLearningWorkspace | None:
        spec = self.spec
        if spec.machine_learning is None or self.dependencies is None:
            return None
        return MachineLearningWorkspace(
            self,
            "machine-learning",
            spec=spec.machine_learning,
            name=resource_name("mlw", spec.workload, spec.name),
            resource_group=resource_group,
            dependencies=self.dependencies,
            production=spec.stage is Stage.PRODUCTION,
            aks_cluster_id=aks_cluster_id,
        )

    def _add_ai_foundry(self, resource_group: ResourceGroupRef) -> AiFoundryHub | None:
        spec = self.spec
        if spec.ai_foundry is None or self.dependencies is None:
            return None
        return AiFoundryHub(
            self,
            "ai-foundry",
            spec=spec.ai_foundry,
            name=resource_name("hub", spec.workload, spec.name),
            environment=spec.name,
            resource_group=resource_group,
            dependencies=self.dependencies,
        )

    def _add_front_door(self, resource_group: ResourceGroupRef) -> FrontDoor | None:
        spec = self.spec
        if spec.front_door is None:
            return None
        origin = spec.front_door.origin
        if origin.kind is OriginKind.OPENAI:
            assert self.openai is not None and spec.openai is not None  # Checked by the spec.
            host_name = f"{spec.openai_custom_subdomain}.openai.azure.com"
            target_id = self.openai.id
            location = spec.openai.location
        else:
            assert origin.host_name is not None and origin.private_link_service_id is not None
            host_name = origin.host_name
            target_id = origin.private_link_service_id
            location = spec.location
        return FrontDoor(
            self,
            "front-door",
            spec=spec.front_door,
            workload=spec.workload,
            environment=spec.name,
            seed=spec.seed,
            resource_group=resource_group,
            origin_host_name=host_name,
            origin_resource_id=target_id,
            origin_location=location,
        )

    def _add_purview(self, resource_group: ResourceGroupRef) -> Purview | None:
        spec = self.spec
        if spec.purview is None:
            return None
        return Purview(
            self,
            "purview",
            spec=spec.purview,
            name=f"pview-{spec.workload}-{spec.name}-{stable_suffix(spec.seed, 'purview')}",
            resource_group=resource_group,
        )
