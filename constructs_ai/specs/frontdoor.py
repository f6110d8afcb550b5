"""Azure Front Door spec: a WAF-protected entry point in front of the inference endpoint."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from constructs_ai.errors import Problem, rule_error, show
from constructs_ai.specs._base import SpecModel


class FrontDoorSku(StrEnum):
    """Front Door tier. Only Premium offers private link origins and managed WAF rule sets."""

    STANDARD = "Standard_AzureFrontDoor"
    PREMIUM = "Premium_AzureFrontDoor"


class WafMode(StrEnum):
    """Whether the WAF blocks matching requests or only logs them."""

    PREVENTION = "Prevention"
    DETECTION = "Detection"


class OriginKind(StrEnum):
    """Kind of target behind the Front Door origin."""

    OPENAI = "openai"
    """The environment's Azure OpenAI account endpoint."""
    PRIVATE_LINK_SERVICE = "private_link_service"
    """A Private Link Service in front of an internal load balancer, such as an
    inference gateway on AKS."""


class FrontDoorOriginSpec(SpecModel):
    """The origin that Front Door forwards requests to."""

    kind: OriginKind = OriginKind.OPENAI
    """Kind of target behind the origin. Default: `"openai"`."""
    private_link_enabled: bool = True
    """Reach the origin over Private Link. Needs the Premium tier, and the connection
    must be approved once after deploy. Default: `true`."""
    private_link_service_id: (
        Annotated[str, StringConstraints(pattern=r"^/subscriptions/[^/]+/resourceGroups/.+")] | None
    ) = None
    """Resource id of the Private Link Service, for kind `private_link_service`.
    Default: `null`."""
    host_name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9.-]{1,253}$")] | None = None
    """Host name of the origin, for kind `private_link_service`. Default: `null`."""

    @model_validator(mode="after")
    def _check_kind_fields(self) -> FrontDoorOriginSpec:
        problems = []
        if self.kind is OriginKind.PRIVATE_LINK_SERVICE:
            for field in ("private_link_service_id", "host_name"):
                if getattr(self, field) is None:
                    problems.append(
                        Problem(
                            field,
                            "nothing",
                            "must be set for kind private_link_service",
                            f"Give the {field.replace('_', ' ')}.",
                        )
                    )
            if not self.private_link_enabled:
                problems.append(
                    Problem(
                        "private_link_enabled",
                        "false",
                        "must be true for kind private_link_service",
                        "Set it to true.",
                    )
                )
        else:
            for field in ("private_link_service_id", "host_name"):
                value = getattr(self, field)
                if value is not None:
                    problems.append(
                        Problem(
                            field,
                            show(value),
                            f"applies to kind private_link_service only, not {self.kind.value}",
                            "Remove it; the origin uses the account endpoint.",
                        )
                    )
        if problems:
            raise rule_error(problems)
        return self


class FrontDoorSpec(SpecModel):
    """A Front Door profile with a WAF policy, one endpoint, origin group, origin and route."""

    sku: FrontDoorSku = FrontDoorSku.PREMIUM
    """Front Door tier. Changing it replaces the profile. Default: `"Premium_AzureFrontDoor"`."""
    waf_mode: WafMode = WafMode.PREVENTION
    """WAF mode. Default: `"Prevention"`, which blocks matching requests."""
    origin: FrontDoorOriginSpec = FrontDoorOriginSpec()
    """The origin. Default: `{"kind": "openai", "private_link_enabled": true,
    "private_link_service_id": null, "host_name": null}`."""
    health_probe_path: Annotated[str, StringConstraints(pattern=r"^/[^\s]*$")] = "/"
    """Path of the origin health probe. Default: `"/"`."""
    health_probe_interval_seconds: Annotated[int, Field(ge=5, le=31536000)] = 100
    """Seconds between health probes from each Front Door point of presence.
    Default: `100`."""

    @model_validator(mode="after")
    def _check_private_link_tier(self) -> FrontDoorSpec:
        if self.sku is FrontDoorSku.STANDARD and self.origin.private_link_enabled:
            raise rule_error(
                [
                    Problem(
                        "sku",
                        show(self.sku.value),
                        "must be Premium_AzureFrontDoor when origin.private_link_enabled is "
                        "true, because only Front Door Premium connects to origins over "
                        "Private Link",
                        self._standard_tier_fix(),
                    )
                ]
            )
        return self

    def _standard_tier_fix(self) -> str:
        if self.origin.kind is OriginKind.OPENAI:
            # The OpenAI account accepts no public traffic, so a public origin cannot work.
            return 'Use "Premium_AzureFrontDoor", because the OpenAI origin needs Private Link.'
        return (
            'Use "Premium_AzureFrontDoor", or set origin.private_link_enabled to false for a '
            "public origin."
        )
