"""The ledger's public API is pinned: the patents context and external users build on these names."""

from __future__ import annotations

import industry_brain.ledger as ledger


def test_public_api_is_pinned() -> None:
    assert sorted(ledger.__all__) == [
        "BundleReport",
        "Checkpoint",
        "ConsistencyProof",
        "Cosignature",
        "InclusionProof",
        "Log",
        "Problem",
        "TimestampInfo",
        "VerifyReport",
        "WitnessResult",
        "cosign",
        "generate_key",
        "leaf_hash",
        "make_proof_bundle",
        "node_hash",
        "open_checkpoint",
        "parse_checkpoint_body",
        "parse_note",
        "parse_proof_bundle",
        "parse_signer",
        "parse_verifier",
        "read_timestamp",
        "sign_checkpoint",
        "sign_note",
        "tile_path",
        "verify_consistency",
        "verify_cosignatures",
        "verify_inclusion",
        "verify_log",
        "verify_note",
        "verify_proof_bundle",
        "verify_timestamp",
        "witness_checkpoint",
    ]
    for name in ledger.__all__:
        assert getattr(ledger, name) is not None
