"""Property tests for name derivation and the subnet layout checks."""

from __future__ import annotations

import ipaddress
import string

from hypothesis import given
from hypothesis import strategies as st

from constructs_ai.errors import SpecError
from constructs_ai.naming import SUFFIX_LENGTH, stable_suffix, storage_account_name
from constructs_ai.specs import EnvironmentSpec
from tests.factories import spec_data

prefixes = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12).filter(
    lambda text: text[0].isalpha()
)
environments = st.from_regex(r"[a-z][a-z0-9]{1,9}", fullmatch=True)
seeds = st.text(min_size=1, max_size=64)


@given(prefixes, environments, seeds)
def test_storage_name_is_lowercase_alphanumeric(prefix: str, environment: str, seed: str) -> None:
    name = storage_account_name(prefix, environment, seed)

    assert name.isalnum()
    assert name == name.lower()
    assert len(name) == len(prefix) + len(environment) + SUFFIX_LENGTH


@given(prefixes, environments, seeds)
def test_storage_name_is_deterministic(prefix: str, environment: str, seed: str) -> None:
    assert storage_account_name(prefix, environment, seed) == storage_account_name(
        prefix, environment, seed
    )


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_stable_suffix_is_short_hex(parts: list[str]) -> None:
    suffix = stable_suffix(*parts)

    assert len(suffix) == SUFFIX_LENGTH
    assert set(suffix) <= set("0123456789abcdef")


@given(prefixes, environments)
def test_spec_accepts_name_iff_within_24(prefix: str, environment: str) -> None:
    data = spec_data("dev")
    data["name"] = environment
    data["data_lake"]["name_prefix"] = prefix
    too_long = len(prefix) + len(environment) + SUFFIX_LENGTH > 24

    try:
        spec = EnvironmentSpec.from_data(data)
    except SpecError as error:
        assert too_long
        assert [p.field for p in error.problems] == ["data_lake.name_prefix"]
    else:
        assert not too_long
        assert spec.storage_account_name is not None
        assert len(spec.storage_account_name) <= 24


subnet_pairs = st.tuples(
    st.integers(min_value=16, max_value=29),
    st.integers(min_value=0, max_value=2**16 - 1),
    st.integers(min_value=16, max_value=29),
    st.integers(min_value=0, max_value=2**16 - 1),
)


def _subnet(prefix_length: int, offset: int) -> ipaddress.IPv4Network:
    base = int(ipaddress.IPv4Address("10.10.0.0"))
    size = 2 ** (32 - prefix_length)
    start = base + (offset * 8 // size) * size % 2**16
    return ipaddress.IPv4Network((start, prefix_length))


@given(subnet_pairs)
def test_subnet_overlap_reported_iff_ranges_overlap(pair: tuple[int, int, int, int]) -> None:
    first = _subnet(pair[0], pair[1])
    second = _subnet(pair[2], pair[3])
    data = spec_data("dev")
    data["network"]["subnets"] = {"one": {"cidr": str(first)}, "two": {"cidr": str(second)}}
    data["gpu_vm"]["subnet"] = "one"
    data["aks"] = None
    data["network"]["nat_gateway"] = None
    data["private_endpoints"]["subnet"] = "two"

    try:
        EnvironmentSpec.from_data(data)
    except SpecError as error:
        assert first.overlaps(second)
        assert [p.field for p in error.problems] == ['network.subnets["two"].cidr']
    else:
        assert not first.overlaps(second)
