"""Splitting an amount among holders by shares: the largest-remainder (Hamilton) method, in integer 分.

Each holder first gets ``floor(amount × share / total)``; the fen left over (fewer than the number of holders)
go one each to the holders with the largest remainders. Ties are broken stably: larger share first, then the
holder's position in the list as given (so the same inputs always give the same split). The parts always sum
exactly to the amount, and no part differs from its exact quota by a fen or more.
"""

from __future__ import annotations

from collections.abc import Sequence

from industry_brain._core.errors import InputError


def split_amount(amount_fen: int, shares: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Split ``amount_fen`` among ``(holder, share)`` pairs; shares are positive integers (e.g. basis points).

    >>> split_amount(100, [("a", 1), ("b", 1), ("c", 1)])
    [('a', 34), ('b', 33), ('c', 33)]
    """
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen < 0:
        raise InputError(f"amount must be a non-negative integer of fen, got {amount_fen!r}", field="amount_fen")
    if not shares:
        raise InputError("cannot split among no holders", field="shares")
    holders = [holder for holder, _ in shares]
    if len(set(holders)) != len(holders):
        raise InputError(f"holders repeat: {holders!r}", field="shares")
    for holder, share in shares:
        if isinstance(share, bool) or not isinstance(share, int) or share <= 0:
            raise InputError(f"share of {holder!r} must be a positive integer, got {share!r}", field="shares")
    total = sum(share for _, share in shares)
    floors = [(amount_fen * share) // total for _, share in shares]
    remainders = [(amount_fen * share) % total for _, share in shares]
    left = amount_fen - sum(floors)
    order = sorted(range(len(shares)), key=lambda i: (-remainders[i], -shares[i][1], i))
    for i in order[:left]:
        floors[i] += 1
    return [(holder, part) for (holder, _), part in zip(shares, floors, strict=True)]
