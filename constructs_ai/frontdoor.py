"""Azure Front Door Premium with a WAF policy in front of the inference endpoint."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.cdn_frontdoor_endpoint import CdnFrontdoorEndpoint
from cdktf_cdktf_provider_azurerm.cdn_frontdoor_firewall_policy import (
    CdnFrontdoorFirewallPolicy,
    CdnFrontdoorFirewallPolicyManagedRule,
)
from cdktf_cdktf_provider_azurerm.cdn_frontdoor_origin import (
    CdnFrontdoorOrigin,
    CdnFrontdoorOriginPrivateLink,
)
from cdktf_cdktf_provider_azurerm.cdn_frontdoor_origin_group import (
    CdnFrontdoorOriginGroup,
    CdnFrontdoorOriginGroupHealthProbe,
    CdnFrontdoorOriginGroupLoadBalancing,
)
from cdktf_cdktf_provider_azurerm.cdn_frontdoor_profile import CdnFrontdoorProfile
from cdktf_cdktf_provider_azurerm.cdn_frontdoor_route import CdnFrontdoorRoute
from cdktf_cdktf_provider_azurerm.cdn_frontdoor_security_policy import (
    CdnFrontdoorSecurityPolicy,
    CdnFrontdoorSecurityPolicySecurityPolicies,
    CdnFrontdoorSecurityPolicySecurityPoliciesFirewall,
    CdnFrontdoorSecurityPolicySecurityPoliciesFirewallAssociation,
    CdnFrontdoorSecurityPolicySecurityPoliciesFirewallAssociationDomain,
)
from constructs import Construct

from constructs_ai._ids import set_logical_id
from constructs_ai.naming import stable_suffix
from constructs_ai.refs import ResourceGroupRef
from constructs_ai.specs.frontdoor import FrontDoorSku, FrontDoorSpec

MANAGED_RULE_SETS = (
    ("Microsoft_DefaultRuleSet", "2.1"),
    ("Microsoft_BotManagerRuleSet", "1.1"),
)
"""Managed WAF rule sets and versions; Front Door offers them on Premium only."""

# Completions can stream for minutes; 240 s is the most Front Door allows.
RESPONSE_TIMEOUT_SECONDS = 240


class FrontDoor(Construct):
    """A Front Door profile, WAF policy, endpoint, origin group, origin and route.

    The WAF blocks matching requests in prevention mode. When the origin uses
    Private Link, Front Door requests a private endpoint connection from the origin
    that someone must approve once after deploy (see `approval_instructions`).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: FrontDoorSpec,
        workload: str,
        environment: str,
        seed: str,
        resource_group: ResourceGroupRef,
        origin_host_name: str,
        origin_resource_id: str,
        origin_location: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.spec = spec
        self.origin_resource_id = origin_resource_id
        premium = spec.sku is FrontDoorSku.PREMIUM

        self.profile = CdnFrontdoorProfile(
            self,
            "profile",
            name=f"afd-{workload}-{environment}",
            resource_group_name=resource_group.name,
            sku_name=spec.sku.value,
            response_timeout_seconds=RESPONSE_TIMEOUT_SECONDS,
        )
        set_logical_id(self.profile, "afd")

        managed_rules = [
            CdnFrontdoorFirewallPolicyManagedRule(type=rule_set, version=version, action="Block")
            for rule_set, version in MANAGED_RULE_SETS
        ]
        self.firewall_policy = CdnFrontdoorFirewallPolicy(
            self,
            "waf",
            name=f"waf{workload}{environment}",
            resource_group_name=resource_group.name,
            sku_name=spec.sku.value,
            mode=spec.waf_mode.value,
            enabled=True,
            managed_rule=managed_rules if premium else None,
        )
        set_logical_id(self.firewall_policy, "afd", "waf")

        self.endpoint = CdnFrontdoorEndpoint(
            self,
            "endpoint",
            name=f"afd-{workload}-{environment}-{stable_suffix(seed, 'afd')}",
            cdn_frontdoor_profile_id=self.profile.id,
        )
        set_logical_id(self.endpoint, "afd", "endpoint")

        self.origin_group = CdnFrontdoorOriginGroup(
            self,
            "origin-group",
            name="inference",
            cdn_frontdoor_profile_id=self.profile.id,
            session_affinity_enabled=False,
            load_balancing=CdnFrontdoorOriginGroupLoadBalancing(),
            health_probe=CdnFrontdoorOriginGroupHealthProbe(
                protocol="Https",
                request_type="HEAD",
                path=spec.health_probe_path,
                interval_in_seconds=spec.health_probe_interval_seconds,
            ),
        )
        set_logical_id(self.origin_group, "afd", "origin_group")

        private_link = None
        if spec.origin.private_link_enabled:
            # NOTE: target_type is left unset, because azurerm 4.x accepts only blob,
            # blob_secondary, sites and web. Front Door documents no target type for
            # Cognitive Services accounts, so confirm the connection in a test subscription.
            private_link = CdnFrontdoorOriginPrivateLink(
                location=origin_location,
                private_link_target_id=origin_resource_id,
                request_message="Front Door origin connection, approve once after deploy",
            )
        self.origin = CdnFrontdoorOrigin(
            self,
            "origin",
            name=spec.origin.kind.value.replace("_", "-"),
            cdn_frontdoor_origin_group_id=self.origin_group.id,
            host_name=origin_host_name,
            origin_host_header=origin_host_name,
            certificate_name_check_enabled=True,
            https_port=443,
            enabled=True,
            private_link=private_link,
        )
        set_logical_id(self.origin, "afd", "origin")

        self.route = CdnFrontdoorRoute(
            self,
            "route",
            name="inference",
            cdn_frontdoor_endpoint_id=self.endpoint.id,
            cdn_frontdoor_origin_group_id=self.origin_group.id,
            cdn_frontdoor_origin_ids=[self.origin.id],
            patterns_to_match=["/*"],
            supported_protocols=["Https"],
            forwarding_protocol="HttpsOnly",
            https_redirect_enabled=False,
            link_to_default_domain=True,
        )
        set_logical_id(self.route, "afd", "route")

        association = CdnFrontdoorSecurityPolicySecurityPoliciesFirewallAssociation(
            domain=[
                CdnFrontdoorSecurityPolicySecurityPoliciesFirewallAssociationDomain(
                    cdn_frontdoor_domain_id=self.endpoint.id
                )
            ],
            patterns_to_match=["/*"],
        )
        self.security_policy = CdnFrontdoorSecurityPolicy(
            self,
            "security-policy",
            name="waf",
            cdn_frontdoor_profile_id=self.profile.id,
            security_policies=CdnFrontdoorSecurityPolicySecurityPolicies(
                firewall=CdnFrontdoorSecurityPolicySecurityPoliciesFirewall(
                    cdn_frontdoor_firewall_policy_id=self.firewall_policy.id,
                    association=association,
                )
            ),
        )
        set_logical_id(self.security_policy, "afd", "security_policy")

    @property
    def host_name(self) -> str:
        return self.endpoint.host_name

    @property
    def private_link_enabled(self) -> bool:
        return self.spec.origin.private_link_enabled

    def approval_instructions(self) -> str | None:
        """Return the post-deploy step that approves Front Door's private link, if any."""
        if not self.private_link_enabled:
            return None
        return (
            "Front Door's private endpoint connection to the origin is pending until "
            "approved; requests fail until then. Approve it once: "
            f"az network private-endpoint-connection list --id {self.origin_resource_id} "
            "--query \"[?properties.privateLinkServiceConnectionState.status=='Pending'].id\" "
            "-o tsv | xargs -n1 az network private-endpoint-connection approve "
            '--description "Front Door origin" --id'
        )
