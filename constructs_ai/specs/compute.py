"""GPU virtual machine spec."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from constructs_ai.catalog import vm_sizes
from constructs_ai.errors import violation
from constructs_ai.specs._base import SpecModel

RESERVED_ADMIN_NAMES = frozenset(
    {
        "administrator",
        "admin",
        "user",
        "user1",
        "test",
        "user2",
        "test1",
        "user3",
        "admin1",
        "1",
        "123",
        "a",
        "actuser",
        "adm",
        "admin2",
        "aspnet",
        "backup",
        "console",
        "david",
        "guest",
        "john",
        "owner",
        "root",
        "server",
        "sql",
        "support",
        "support_388945a0",
        "sys",
        "test2",
        "test3",
        "user4",
        "user5",
    }
)
"""Admin user names Azure rejects for Linux VMs."""

_KEY_FIELDS = {"ssh-rsa": 3, "ssh-ed25519": 2}
"""Fields of each key type's body: the type, then e and n (RSA) or the public key (Ed25519)."""

ED25519_KEY_BYTES = 32


def _key_body_problem(key_type: str, body: str) -> str | None:
    """Return why an OpenSSH public key body does not hold a `key_type` key, or None.

    The body is base64 of length-prefixed strings (4 big-endian bytes, then the
    bytes), the first of which names the key type (RFC 4253, section 6.6).
    """
    try:
        blob = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return "does not decode"
    fields = []
    while blob:
        length = int.from_bytes(blob[:4], "big")
        if len(blob) < 4 + length:
            return "does not decode to a complete key"
        fields.append(blob[4 : 4 + length])
        blob = blob[4 + length :]
    if not fields or fields[0] != key_type.encode():
        named = fields[0].decode("ascii", "replace") if fields else "no"
        return f"contains a {named} key"
    complete = len(fields) == _KEY_FIELDS[key_type] and (
        key_type != "ssh-ed25519" or len(fields[1]) == ED25519_KEY_BYTES
    )
    return None if complete else "does not decode to a complete key"


_SSH_KEY = re.compile(r"^(ssh-rsa|ssh-ed25519) [A-Za-z0-9+/]+={0,3}( [^\n]*)?$")


def check_gpu_size(size: str) -> str:
    """Reject a size that is not a GPU size in the shipped catalog."""
    catalog = vm_sizes()
    known = catalog.get(size)
    if known is None or not known.is_gpu:
        rule = (
            "must be a GPU VM size from the catalog"
            if known is None
            else ("must be a GPU VM size, but this size has no GPU")
        )
        raise violation(
            "",
            size,
            rule,
            "Use one of: " + ", ".join(catalog.gpu_size_names()) + ".",
        )
    return size


class AutoShutdownSpec(SpecModel):
    """A daily shutdown schedule, so an idle dev GPU VM stops costing money overnight."""

    daily_time: Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3])[0-5][0-9]$")] = (
        "1900"
    )
    """Local time of the daily shutdown as `HHMM`. Default: `"1900"`."""
    timezone: str = "UTC"
    """Windows time zone id, such as `UTC` or `W. Europe Standard Time`. Default: `"UTC"`."""


class GpuVmSpec(SpecModel):
    """A single GPU VM for experiments and jobs that do not need AKS."""

    size: str
    """VM size from the GPU catalog, such as `Standard_NC4as_T4_v3`. Changing it resizes
    the VM, which restarts it."""
    ssh_public_key: Annotated[str, Field(min_length=1)]
    """OpenSSH public key (`ssh-rsa` or `ssh-ed25519`), as one line of a `.pub` file; its
    base64 body must decode to a key of the named type. Password authentication is
    always disabled."""
    subnet: str = "compute"
    """Key of the subnet in `network.subnets` for the NIC. Default: `"compute"`."""
    admin_username: Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_-]{0,31}$")] = (
        "azureuser"
    )
    """Linux admin user name. Changing it replaces the VM. Default: `"azureuser"`."""
    os_disk_size_gb: Annotated[int, Field(ge=30, le=4095)] = 128
    """Premium SSD OS disk size in GiB, 30-4095. Default: `128`."""
    public_ip_enabled: bool = False
    """Attach a public IP to the NIC. Default: `false`: reach the VM through a VPN,
    peering or Azure Bastion."""
    secure_boot_enabled: bool = False
    """Trusted launch Secure Boot. The NVIDIA driver extension installs unsigned kernel
    modules, so Secure Boot requires `nvidia_driver_extension_enabled` false.
    Default: `false`."""
    vtpm_enabled: bool = False
    """Trusted launch virtual TPM. Default: `false`."""
    nvidia_driver_extension_enabled: bool = True
    """Install the NVIDIA GPU driver through the `NvidiaGpuDriverLinux` VM extension.
    Default: `true`."""
    auto_shutdown: AutoShutdownSpec | None = None
    """Daily shutdown schedule. Default: `null` (runs until stopped)."""
    zone: Literal["1", "2", "3"] | None = None
    """Availability zone. Changing it replaces the VM. Default: `null` (regional)."""

    @field_validator("size")
    @classmethod
    def _check_size(cls, size: str) -> str:
        return check_gpu_size(size)

    @field_validator("admin_username")
    @classmethod
    def _check_admin_username(cls, name: str) -> str:
        if name in RESERVED_ADMIN_NAMES:
            raise violation(
                "", name, "must not be a name Azure reserves", 'Use a name such as "azureuser".'
            )
        return name

    @field_validator("ssh_public_key")
    @classmethod
    def _check_ssh_key(cls, key: str) -> str:
        if not _SSH_KEY.match(key.strip()):
            raise violation(
                "",
                key[:24] + ("..." if len(key) > 24 else ""),
                "must be an OpenSSH public key starting with ssh-rsa or ssh-ed25519",
                "Paste the contents of a .pub file, never a private key.",
            )
        key = key.strip()
        key_type, body = key.split(" ")[:2]
        found = _key_body_problem(key_type, body)
        if found is not None:
            raise violation(
                "",
                key[:24] + ("..." if len(key) > 24 else ""),
                f"must be an {key_type} key, but its base64 body {found}, so the key is damaged "
                "or its type prefix was changed",
                "Paste the whole line of the .pub file unchanged, such as the output of "
                "`cat ~/.ssh/id_ed25519.pub`.",
            )
        return key

    @model_validator(mode="after")
    def _check_secure_boot(self) -> GpuVmSpec:
        if self.secure_boot_enabled and self.nvidia_driver_extension_enabled:
            raise violation(
                "secure_boot_enabled",
                True,
                "conflicts with nvidia_driver_extension_enabled, because the NVIDIA driver "
                "extension loads unsigned kernel modules that Secure Boot blocks",
                "Turn off secure_boot_enabled, or set nvidia_driver_extension_enabled to "
                "false and install signed drivers in the image.",
            )
        return self
