"""Tamper-evident log (防篡改日志): RFC 9162 Merkle tree, C2SP checkpoints, tlog-tiles, proofs, witnesses.

A log is one directory in the tlog-tiles layout (c2sp.org/tlog-tiles), so existing Go verifiers and
witnesses can read it; its checkpoint is a C2SP signed note (Ed25519). Typical use::

    from industry_brain.ledger import Log, generate_key, verify_log

    skey, vkey = generate_key("ipo.example.cn/patents")        # signer key (secret) and verifier key
    log = Log.create("var/ledger", origin="ipo.example.cn/patents", signer_key=skey)
    i = log.append(b"an entry")                                 # durable when it returns
    idx = log.append_many([b"a", b"b", b"c"])                   # one batch, one signed checkpoint
    log.entry(i); list(log.entries(0, 3)); log.size
    cp = log.checkpoint()                                       # .origin .size .root .signed_text()
    proof = log.prove_inclusion(i)                              # InclusionProof (tree_size=None: current)
    cons = log.prove_consistency(1, log.size)                   # ConsistencyProof
    log.close()

    ro = Log.open("var/ledger")                                 # read-only without a signer key
    w = Log.open("var/ledger", signer_key=skey)                 # a writer (one at a time: flock)
    report = verify_log("var/ledger", vkey)                     # VerifyReport: .ok .problems .to_dict()

API (signatures):

* ``Log.create(directory, *, origin: str, signer_key: str) -> Log`` — origin must equal the key name.
* ``Log.open(directory, *, signer_key: str | None = None, verifier_key: str | None = None) -> Log``
* ``Log.append(data: bytes) -> int``; ``Log.append_many(entries: Sequence[bytes]) -> list[int]`` — entries
  up to 65,535 bytes; return only after the batch is durable (files and directories fsynced, checkpoint
  renamed into place last).
* ``Log.size``, ``Log.origin``, ``Log.root``, ``Log.entry(i) -> bytes``,
  ``Log.entries(start=0, end=None) -> Iterator[bytes]``, ``Log.checkpoint() -> Checkpoint``,
  ``Log.root_at(tree_size) -> bytes``
* ``Log.prove_inclusion(index, tree_size=None) -> InclusionProof`` (``index, tree_size, leaf_hash, hashes,
  root``); ``Log.prove_consistency(old_size, new_size=None) -> ConsistencyProof``
* ``generate_key(name, *, cosigner=False) -> (signer_key, verifier_key)`` — ``cosigner=True`` for witnesses.
* ``verify_log(directory, verifier_key) -> VerifyReport`` — recomputes every tile hash from the entries and the
  root against the signed checkpoint; each problem names the file and the tile/entry.
* ``make_proof_bundle(log, index, *, checkpoint=None, timestamps=()) -> bytes`` and
  ``verify_proof_bundle(data, verifier_key, witness_keys=(), *, quorum=None, tsa_chain_pem=None)
  -> BundleReport`` — one self-contained JSON file proving one entry offline (see ``_bundle``).
* ``witness_checkpoint(log_dir, witness_key, state_dir, *, log_vkey=None, now=None, store=True)
  -> WitnessResult`` — check consistency from the last cosigned checkpoint and cosign
  (c2sp.org/tlog-cosignature); the cosigned checkpoint goes to ``<log>/cosignatures/``.
* ``verify_timestamp(token, data, chain_pem) -> TimestampInfo`` — an RFC 3161 token over an entry's bytes.
* ``tile_path(log_dir, request_path) -> Path`` — the file answering a tlog-tiles HTTP request path
  (``checkpoint``, ``tile/<L>/<N>[.p/<W>]``, ``tile/entries/<N>[.p/<W>]``), validated strictly against the
  spec's grammar; ``InputError`` for anything else (traversal included), ``NotFoundError`` for a path the
  checkpoint does not cover (see ``_paths`` for the cache headers to send).
* Merkle primitives: ``leaf_hash``, ``node_hash``, ``verify_inclusion``, ``verify_consistency``.

Errors: malformed input raises :class:`~industry_brain._core.errors.ParseError` / ``InputError``; a proof,
signature or log that fails to verify raises (or reports) ``IntegrityError`` (CLI exit 3).
"""

from __future__ import annotations

from ._bundle import BundleReport, make_proof_bundle, parse_proof_bundle, verify_proof_bundle
from ._checkpoint import (
    Checkpoint,
    Cosignature,
    cosign,
    open_checkpoint,
    parse_checkpoint_body,
    sign_checkpoint,
    verify_cosignatures,
)
from ._log import ConsistencyProof, InclusionProof, Log
from ._merkle import leaf_hash, node_hash, verify_consistency, verify_inclusion
from ._note import generate_key, parse_note, parse_signer, parse_verifier, sign_note, verify_note
from ._paths import tile_path
from ._timestamp import TimestampInfo, read_timestamp, verify_timestamp
from ._verify import Problem, VerifyReport, verify_log
from ._witness import WitnessResult, witness_checkpoint

__all__ = [
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
