"""RFC 9162 hashing and proofs against published vectors (transparency-dev/merkle testdata, RFC 6962 tree)."""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

import pytest

from industry_brain._core.errors import IndustryBrainError, IntegrityError
from industry_brain.ledger._merkle import (
    EMPTY_ROOT,
    MemoryTree,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)

VECTORS = (
    Path(__file__).resolve().parents[3].parent / "shared" / "vectors" / "ledger" / "transparency-dev_merkle"
)


def _cases(kind: str) -> list[Path]:
    folder = VECTORS / "testdata" / kind
    return sorted(folder.rglob("*.json")) if folder.is_dir() else []


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


@pytest.fixture
def reference(shared: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(
        (shared / "vectors/ledger/transparency-dev_merkle/rfc6962_reference_tree.json").read_text()
    )


def test_vector_counts(shared: Path) -> None:
    assert len(_cases("inclusion")) == 98
    assert len(_cases("consistency")) == 98


@pytest.mark.parametrize("path", _cases("inclusion"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_inclusion_probe(path: Path) -> None:
    case = json.loads(path.read_text())
    proof = [_b64(h) for h in case["proof"] or []]
    args = (case["leafIdx"], case["treeSize"], _b64(case["leafHash"]), proof, _b64(case["root"]))
    if case["wantErr"]:
        with pytest.raises(IntegrityError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("path", _cases("consistency"), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_consistency_probe(path: Path) -> None:
    case = json.loads(path.read_text())
    proof = [_b64(h) for h in case["proof"] or []]
    args = (case["size1"], case["size2"], _b64(case["root1"]), _b64(case["root2"]), proof)
    if case["wantErr"]:
        with pytest.raises(IntegrityError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def test_reference_tree_hashes_and_roots(reference: dict) -> None:  # type: ignore[type-arg]
    leaves = [bytes.fromhex(x) for x in reference["leaf_inputs_hex"]]
    tree = MemoryTree.from_entries(leaves)
    for level, hashes in enumerate(reference["node_hashes_by_level_hex"]):
        for index, h in enumerate(hashes):
            assert tree.node(level, index).hex() == h
    for size, root in reference["root_hashes_by_tree_size_hex"].items():
        assert root_of([leaf_hash(x) for x in leaves[: int(size)]]).hex() == root
    assert EMPTY_ROOT.hex() == reference["root_hashes_by_tree_size_hex"]["0"]


def test_our_proofs_match_every_happy_path_probe(reference: dict) -> None:  # type: ignore[type-arg]
    """Proofs we produce over the reference tree equal the published happy-path proofs byte for byte."""
    tree = MemoryTree.from_entries(bytes.fromhex(x) for x in reference["leaf_inputs_hex"])
    seen = 0
    for path in _cases("inclusion"):
        case = json.loads(path.read_text())
        if (
            case["wantErr"]
            or case["treeSize"] > tree.size
            or _b64(case["leafHash"]) != tree.node(0, case["leafIdx"])
        ):
            continue
        assert inclusion_proof(tree, case["leafIdx"], case["treeSize"]) == [
            _b64(h) for h in case["proof"] or []
        ]
        seen += 1
    for path in _cases("consistency"):
        case = json.loads(path.read_text())
        if case["wantErr"] or case["size2"] > tree.size or _b64(case["root2"]) != tree.root(case["size2"]):
            continue
        assert consistency_proof(tree, case["size1"], case["size2"]) == [_b64(h) for h in case["proof"] or []]
        seen += 1
    assert seen >= 8


def test_generated_proofs_verify_for_every_small_tree() -> None:
    tree = MemoryTree.from_entries(i.to_bytes(2, "big") for i in range(70))
    for n in range(1, 71):
        root = tree.root(n)
        for i in range(n):
            verify_inclusion(i, n, tree.node(0, i), inclusion_proof(tree, i, n), root)
        for m in range(1, n + 1):
            verify_consistency(m, n, tree.root(m), root, consistency_proof(tree, m, n))


def test_generated_proofs_fail_when_altered() -> None:
    rng = random.Random(7)
    tree = MemoryTree.from_entries(rng.randbytes(8) for _ in range(300))
    for _ in range(200):
        n = rng.randint(2, 300)
        i = rng.randrange(n)
        proof = inclusion_proof(tree, i, n)
        j = rng.randrange(len(proof))
        bad = [*proof[:j], bytes([proof[j][0] ^ 1]) + proof[j][1:], *proof[j + 1 :]]
        with pytest.raises(IntegrityError):
            verify_inclusion(i, n, tree.node(0, i), bad, tree.root(n))
        with pytest.raises(IntegrityError):
            verify_inclusion(i, n, tree.node(0, i), proof[:-1], tree.root(n))
        m = rng.randint(1, n - 1)
        cons = consistency_proof(tree, m, n)
        with pytest.raises(IntegrityError):
            verify_consistency(m, n, tree.root(m), tree.root(n - 1) if n - 1 != m else b"\0" * 32, cons)


@pytest.mark.parametrize(("old", "new"), [(0, 0), (0, 5), (5, 4)])
def test_consistency_from_zero_or_backwards_fails(old: int, new: int) -> None:
    with pytest.raises(IntegrityError):
        verify_consistency(old, new, EMPTY_ROOT, EMPTY_ROOT, [])


def test_wrong_hash_lengths_raise_our_error() -> None:
    with pytest.raises(IndustryBrainError):
        verify_inclusion(0, 1, b"short", [], EMPTY_ROOT)
    with pytest.raises(IndustryBrainError):
        verify_inclusion(0, 2, leaf_hash(b""), [b"x" * 31], EMPTY_ROOT)
