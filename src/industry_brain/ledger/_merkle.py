"""RFC 9162 Merkle tree hashing, proofs and their verification.

Hashing (RFC 9162 §2.1.1, SHA-256): a leaf is ``SHA-256(0x00 || entry)``, an interior node is
``SHA-256(0x01 || left || right)``; the tree over ``n`` leaves splits at ``k``, the largest power of two
smaller than ``n``. The empty tree's root is ``SHA-256("")``.

Proofs are produced iteratively from a :class:`NodeSource` — anything that returns the hash of a *complete*
aligned subtree ``(level, index)`` (``2**level`` leaves starting at leaf ``index * 2**level``). Every hash in
an inclusion or consistency proof is the root of a range that splits into at most ``log2(n)`` complete
subtrees, so a proof costs ``O(log n)`` node reads. The tile store answers node reads from stored tile
hashes; :class:`MemoryTree` answers them from an in-memory list (tests, small trees).

Verification follows RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) to the letter, plus the
ecosystem's two policy rulings: every hash must be exactly 32 bytes, and a consistency check from size 0
always fails (nothing to be consistent with).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Protocol

from industry_brain._core.errors import InputError, IntegrityError

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256


def leaf_hash(entry: bytes) -> bytes:
    """``SHA-256(0x00 || entry)``."""
    return _sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA-256(0x01 || left || right)``."""
    return _sha256(b"\x01" + left + right).digest()


def fold_right(hashes: Sequence[bytes]) -> bytes:
    """Combine complete subtree roots (left to right, decreasing sizes) into the root of their union."""
    if not hashes:
        return EMPTY_ROOT
    acc = hashes[-1]
    for h in reversed(hashes[:-1]):
        acc = node_hash(h, acc)
    return acc


def pairs_up(hashes: Sequence[bytes]) -> list[bytes]:
    """One level up: hash adjacent pairs (an odd last hash is dropped)."""
    return [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes) - 1, 2)]


def subtree_root(hashes: Sequence[bytes]) -> bytes:
    """Root of a *complete* subtree given its ``2**h`` bottom hashes."""
    level = list(hashes)
    while len(level) > 1:
        level = pairs_up(level)
    return level[0]


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """Root of the tree over ``leaf_hashes`` (iterative, O(n))."""
    return _range_root(MemoryTree(leaf_hashes), 0, len(leaf_hashes))


def _largest_power_of_two_below(n: int) -> int:
    """Largest power of two strictly smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def complete_subtrees(start: int, end: int) -> list[tuple[int, int]]:
    """Split ``[start, end)`` into maximal aligned complete subtrees ``(level, index)``, left to right.

    Only valid for the ranges RFC 9162 proofs use, where ``start`` is a multiple of the largest power of two
    not exceeding ``end - start``; then the pieces have strictly decreasing sizes.
    """
    out: list[tuple[int, int]] = []
    while start < end:
        size = end - start
        level = size.bit_length() - 1
        # shrink until aligned (only needed for unusual ranges)
        while start % (1 << level):
            level -= 1
        out.append((level, start >> level))
        start += 1 << level
    return out


class NodeSource(Protocol):
    """Answers the hash of the complete subtree ``(level, index)``."""

    def node(self, level: int, index: int) -> bytes: ...


class MemoryTree:
    """A :class:`NodeSource` over leaf hashes held in memory (levels computed on demand and cached)."""

    def __init__(self, leaf_hashes: Iterable[bytes]) -> None:
        self._levels: list[list[bytes]] = [list(leaf_hashes)]

    @classmethod
    def from_entries(cls, entries: Iterable[bytes]) -> MemoryTree:
        return cls(leaf_hash(e) for e in entries)

    @property
    def size(self) -> int:
        return len(self._levels[0])

    def append(self, leaf: bytes) -> None:
        self._levels[0].append(leaf)
        del self._levels[1:]

    def node(self, level: int, index: int) -> bytes:
        while len(self._levels) <= level:
            self._levels.append(pairs_up(self._levels[-1]))
        return self._levels[level][index]

    def root(self, size: int | None = None) -> bytes:
        return tree_root(self, self.size if size is None else size)


def _range_root(source: NodeSource, start: int, end: int) -> bytes:
    return fold_right([source.node(level, index) for level, index in complete_subtrees(start, end)])


def tree_root(source: NodeSource, size: int) -> bytes:
    """Root hash of the first ``size`` leaves."""
    if size == 0:
        return EMPTY_ROOT
    return _range_root(source, 0, size)


def inclusion_proof(source: NodeSource, index: int, size: int) -> list[bytes]:
    """RFC 9162 §2.1.3.1 ``PATH(index, D[0:size])``, leaf sibling first."""
    if not 0 <= index < size:
        raise InputError(f"leaf index {index!r} is outside a tree of size {size!r}", field="index")
    top_down: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _largest_power_of_two_below(hi - lo)
        if index < lo + k:
            top_down.append(_range_root(source, lo + k, hi))
            hi = lo + k
        else:
            top_down.append(_range_root(source, lo, lo + k))
            lo += k
    top_down.reverse()
    return top_down


def consistency_proof(source: NodeSource, old_size: int, new_size: int) -> list[bytes]:
    """RFC 9162 §2.1.4.1 ``PROOF(old_size, D[0:new_size])``."""
    if not 0 < old_size <= new_size:
        raise InputError(
            f"consistency needs 0 < old size <= new size, got {old_size!r} and {new_size!r}", field="size"
        )
    top_down: list[bytes] = []
    lo, hi, m, complete = 0, new_size, old_size, True
    while True:
        n = hi - lo
        if m == n:
            if not complete:
                top_down.append(_range_root(source, lo, hi))
            break
        k = _largest_power_of_two_below(n)
        if m <= k:
            top_down.append(_range_root(source, lo + k, hi))
            hi = lo + k
        else:
            top_down.append(_range_root(source, lo, lo + k))
            lo += k
            m -= k
            complete = False
    top_down.reverse()
    return top_down


def _check_hash(value: object, what: str) -> bytes:
    if not isinstance(value, bytes | bytearray) or len(value) != HASH_SIZE:
        length = len(value) if isinstance(value, bytes | bytearray) else type(value).__name__
        raise IntegrityError(f"{what} must be a {HASH_SIZE}-byte hash, got {length!r}", field=what)
    return bytes(value)


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """RFC 9162 §2.1.3.2 steps 1-6: the root implied by ``proof`` (raises IntegrityError if malformed)."""
    if not 0 <= index < size:
        raise IntegrityError(f"leaf index {index!r} is outside a tree of size {size!r}", field="index")
    r = _check_hash(leaf, "leaf_hash")
    fn, sn = index, size - 1
    for i, p in enumerate(proof):
        p = _check_hash(p, f"proof[{i}]")
        if sn == 0:
            raise IntegrityError(
                f"inclusion proof has {len(proof)} hashes, too many for size {size}", field="proof"
            )
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise IntegrityError(
            f"inclusion proof has {len(proof)} hashes, too few for size {size}", field="proof"
        )
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Raise :class:`IntegrityError` unless ``proof`` shows leaf ``index`` in the tree of ``size`` and ``root``."""
    root = _check_hash(root, "root")
    if root_from_inclusion_proof(index, size, leaf, proof) != root:
        raise IntegrityError(
            f"inclusion proof for leaf {index} does not lead to the root of size {size}", field="proof"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """RFC 9162 §2.1.4.2: raise :class:`IntegrityError` unless ``proof`` links the two tree heads."""
    if old_size <= 0 or new_size < old_size:
        raise IntegrityError(f"no consistency from size {old_size!r} to size {new_size!r}", field="size")
    if old_size == new_size:  # nothing to prove: the proof is empty and the two tree heads are the same
        if proof:
            raise IntegrityError("consistency proof between equal sizes must be empty", field="proof")
        if old_root != new_root:
            raise IntegrityError(f"roots differ at the same size {old_size}", field="root")
        return
    old_root = _check_hash(old_root, "old_root")
    new_root = _check_hash(new_root, "new_root")
    checked = [_check_hash(p, f"proof[{i}]") for i, p in enumerate(proof)]
    if not checked:
        raise IntegrityError("consistency proof is empty", field="proof")
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        checked.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = checked[0]
    for c in checked[1:]:
        if sn == 0:
            raise IntegrityError("consistency proof has too many hashes", field="proof")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise IntegrityError("consistency proof has too few hashes", field="proof")
    if fr != old_root:
        raise IntegrityError(
            f"consistency proof does not reproduce the root of size {old_size}", field="proof"
        )
    if sr != new_root:
        raise IntegrityError(
            f"consistency proof does not reproduce the root of size {new_size}", field="proof"
        )
