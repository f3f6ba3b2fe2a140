"""Largest-remainder royalty splits in whole 分: exact sums, quota bounds, stable tie-break."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from industry_brain._core.errors import InputError
from industry_brain.patents import split_amount


@pytest.mark.parametrize(
    ("amount", "shares", "expected"),
    [
        (100, [("a", 1), ("b", 1), ("c", 1)], [("a", 34), ("b", 33), ("c", 33)]),
        (100_001, [("a", 5000), ("b", 3000), ("c", 2000)], [("a", 50_001), ("b", 30_000), ("c", 20_000)]),
        (2, [("a", 1), ("b", 1), ("c", 1)], [("a", 1), ("b", 1), ("c", 0)]),
        # remainders .6/.2/.2 of 1 fen: the largest remainder wins, not the first holder
        (1, [("a", 2000), ("b", 2000), ("c", 6000)], [("a", 0), ("b", 0), ("c", 1)]),
        # equal remainders: the larger share first, then list order
        (1, [("a", 2500), ("b", 5000), ("c", 2500)], [("a", 0), ("b", 1), ("c", 0)]),
        (0, [("a", 1)], [("a", 0)]),
        # quotas 4.29 / 4.29 / 1.43: floors 4 + 4 + 1 = 9, the last fen goes to the largest remainder (.43)
        (10, [("a", 6), ("b", 6), ("c", 2)], [("a", 4), ("b", 4), ("c", 2)]),
    ],
)
def test_known_splits(amount, shares, expected) -> None:  # type: ignore[no-untyped-def]
    assert split_amount(amount, shares) == expected


@pytest.mark.parametrize(
    ("amount", "shares"),
    [(-1, [("a", 1)]), (1.5, [("a", 1)]), (True, [("a", 1)]), (10, []), (10, [("a", 0)]), (10, [("a", 1), ("a", 2)])],
)
def test_bad_input_is_our_error(amount, shares) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError):
        split_amount(amount, shares)


@given(
    st.integers(min_value=0, max_value=10**15),
    st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=30),
)
def test_split_sums_exactly_and_stays_within_a_fen_of_quota(amount: int, weights: list[int]) -> None:
    shares = [(f"p{i}", w) for i, w in enumerate(weights)]
    parts = split_amount(amount, shares)
    assert sum(p for _, p in parts) == amount
    total = sum(weights)
    for (_, part), w in zip(parts, weights, strict=True):
        quota = Fraction(amount * w, total)
        assert quota - 1 < part < quota + 1
        assert part >= 0
    assert [h for h, _ in parts] == [h for h, _ in shares]
    assert split_amount(amount, shares) == parts  # deterministic


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=20))
def test_equal_shares_favour_earlier_holders(amount: int, n: int) -> None:
    parts = [p for _, p in split_amount(amount, [(f"p{i}", 1) for i in range(n)])]
    assert parts == sorted(parts, reverse=True)
    assert max(parts) - min(parts) <= 1
