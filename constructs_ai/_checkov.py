"""Security-scan suppressions declared next to the resource that needs them.

Checkov's `terraform_json` framework reads no inline skip comments, so each
suppression is written into the resource's `//` metadata block, which
Terraform ignores, and `scripts/check.py` applies it to Checkov's report:

    "//": {"checkov": {"skip": [{"id": "CKV_AZURE_50", "comment": "why"}]}}
"""

from __future__ import annotations

import re

from cdktf import TerraformResource

_CHECK_ID = re.compile(r"^CKV2?_[A-Z0-9]+_[0-9]+$")
_SKIPS_ATTRIBUTE = "_constructs_ai_checkov_skips"


def skip_check(resource: TerraformResource, check_id: str, reason: str) -> None:
    """Suppress one Checkov check on `resource`, with the reason reviewers will read."""
    if not _CHECK_ID.match(check_id):
        raise ValueError(
            f"check id {check_id!r} is not a Checkov id; use one such as 'CKV_AZURE_50'"
        )
    if not reason.strip():
        raise ValueError(
            f"suppression of {check_id} needs a reason; say why the check does not apply"
        )
    skips: dict[str, str] = resource.__dict__.setdefault(_SKIPS_ATTRIBUTE, {})
    skips[check_id] = reason.strip()
    # The whole list is rewritten so that several suppressions on one resource
    # end up side by side, sorted for a stable diff.
    resource.add_override(
        "//.checkov.skip",
        [{"id": key, "comment": skips[key]} for key in sorted(skips)],
    )
