"""Offline proof bundles: one file that proves one entry to someone who has only the log's public key.

A bundle is UTF-8 JSON::

    {
      "format": "industry-brain/proof-bundle/v1",
      "origin": "ipo.example.cn/patents",
      "index": 41,                                   leaf index, 0-based
      "tree_size": 1000,                             size of the checkpoint below
      "entry": "<base64 of the entry bytes>",
      "inclusion_proof": ["<base64 hash>", ...],     RFC 9162 audit path, leaf sibling first
      "checkpoint": "<signed checkpoint note, with any witness cosignature lines>",
      "timestamps": ["<base64 DER RFC 3161 TimeStampResp over the entry bytes>", ...]
    }

:func:`verify_proof_bundle` checks the log's signature on the checkpoint, the inclusion proof against its root,
the cosignatures of the witnesses the verifier trusts (all of them unless a smaller ``quorum`` is given), and,
with a TSA chain, every timestamp token against the entry bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from industry_brain._core.errors import InputError, IntegrityError, ParseError

from ._checkpoint import Checkpoint, Cosignature, add_cosignature, open_checkpoint, verify_cosignatures
from ._log import Log
from ._merkle import leaf_hash, verify_inclusion
from ._note import Verifier, as_verifier, b64decode, b64encode
from ._timestamp import TimestampInfo, read_timestamp, verify_timestamp

FORMAT = "industry-brain/proof-bundle/v1"
_FIELDS = {"format", "origin", "index", "tree_size", "entry", "inclusion_proof", "checkpoint", "timestamps"}


def _bundle_checkpoint(log: Log, index: int) -> Checkpoint:
    """The newest cosigned checkpoint covering ``index`` (all its cosignatures merged), else the current one."""
    cosigned = [cp for cp in log.cosigned_checkpoints() if cp.size > index and cp.note is not None]
    if not cosigned:
        return log.checkpoint()
    best_size = max(cp.size for cp in cosigned)
    same = [cp for cp in cosigned if cp.size == best_size]
    merged = same[0]
    for other in same[1:]:
        if other.body() != merged.body():
            continue  # a different body at the same size would be a fork; verify_log reports it
        assert other.note is not None
        for sig in other.note.signatures:
            merged = add_cosignature(merged, sig)
    return merged


def make_proof_bundle(
    log: Log, index: int, *, checkpoint: Checkpoint | None = None, timestamps: Sequence[bytes] = ()
) -> bytes:
    """A proof bundle for entry ``index`` of ``log`` (JSON bytes).

    ``checkpoint``: prove against this signed checkpoint (its size must not exceed the log's); by default the
    newest checkpoint that witnesses cosigned and that covers the entry, else the log's current checkpoint.
    ``timestamps``: RFC 3161 tokens over the entry bytes to carry along.
    """
    cp = checkpoint or _bundle_checkpoint(log, index)
    if cp.note is None:
        raise InputError("the bundle's checkpoint must be signed", field="checkpoint")
    if cp.size > log.size or log.root_at(cp.size) != cp.root:
        raise IntegrityError(f"checkpoint of size {cp.size} is not a state of this log", field="checkpoint")
    proof = log.prove_inclusion(index, cp.size)
    for token in timestamps:
        read_timestamp(token)  # refuse to bundle something that is not a token
    doc = {
        "format": FORMAT,
        "origin": cp.origin,
        "index": index,
        "tree_size": cp.size,
        "entry": b64encode(log.entry(index)),
        "inclusion_proof": [b64encode(h) for h in proof.hashes],
        "checkpoint": cp.signed_text(),
        "timestamps": [b64encode(bytes(t)) for t in timestamps],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass
class BundleReport:
    """A verified bundle: what it proves."""

    origin: str
    index: int
    tree_size: int
    root: str
    entry: bytes
    cosignatures: list[Cosignature] = field(default_factory=list)
    timestamps: list[TimestampInfo] = field(default_factory=list)
    timestamps_unchecked: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": True,
            "origin": self.origin,
            "index": self.index,
            "tree_size": self.tree_size,
            "root": self.root,
            "entry_base64": b64encode(self.entry),
            "entry_sha256": leaf_hash(self.entry).hex(),
            "cosignatures": [c.to_dict() for c in self.cosignatures],
            "timestamps": [t.to_dict() for t in self.timestamps],
            "timestamps_unchecked": self.timestamps_unchecked,
        }


def _field(doc: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = doc.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ParseError(
            f"proof bundle field {name!r} is {value!r:.60}, expected {getattr(kind, '__name__', kind)}",
            field=name,
        )
    return value


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ParseError(f"proof bundle field {name!r} holds {value!r:.60}, expected base64 text", field=name)
    return value


def parse_proof_bundle(data: bytes | str) -> dict[str, Any]:
    """Parse and type-check a bundle (no verification). Raises :class:`ParseError`."""
    try:
        doc = json.loads(data)
    except (ValueError, TypeError, RecursionError) as exc:
        raise ParseError(f"proof bundle is not JSON: {str(exc)[:120]}", field="bundle") from exc
    if not isinstance(doc, dict):
        raise ParseError(f"proof bundle must be a JSON object, got {type(doc).__name__}", field="bundle")
    if doc.get("format") != FORMAT:
        raise ParseError(
            f"proof bundle format is {doc.get('format')!r:.60}, expected {FORMAT!r}", field="format"
        )
    unknown = set(doc) - _FIELDS
    if unknown:
        raise ParseError(f"proof bundle has unknown fields {sorted(unknown)!r}", field="bundle")
    index = _field(doc, "index", int)
    size = _field(doc, "tree_size", int)
    if index < 0 or size < 1:
        raise ParseError(f"proof bundle index {index!r} / tree_size {size!r} out of range", field="index")
    proof = _field(doc, "inclusion_proof", list)
    tokens = doc.get("timestamps", [])
    if not isinstance(tokens, list):
        raise ParseError("proof bundle field 'timestamps' must be a list", field="timestamps")
    return {
        "origin": _field(doc, "origin", str),
        "index": index,
        "tree_size": size,
        "entry": b64decode(_field(doc, "entry", str), "entry"),
        "inclusion_proof": [b64decode(_text(h, "inclusion_proof"), "inclusion_proof") for h in proof],
        "checkpoint": _field(doc, "checkpoint", str),
        "timestamps": [b64decode(_text(t, "timestamps"), "timestamps") for t in tokens],
    }


def verify_proof_bundle(
    data: bytes | str,
    verifier_key: str | Verifier,
    witness_keys: Iterable[str | Verifier] = (),
    *,
    quorum: int | None = None,
    tsa_chain_pem: bytes | None = None,
) -> BundleReport:
    """Verify a bundle offline; returns a :class:`BundleReport` or raises ``ParseError``/``IntegrityError``.

    ``quorum``: how many of ``witness_keys`` must have cosigned (default: all of them).
    ``tsa_chain_pem``: verify the timestamp tokens against this chain; without it they are only decoded and
    counted as unchecked.
    """
    doc = parse_proof_bundle(data)
    verifier = as_verifier(verifier_key)
    witnesses = [as_verifier(w) for w in witness_keys]
    cp = open_checkpoint(doc["checkpoint"], verifier)
    if cp.origin != doc["origin"]:
        raise IntegrityError(
            f"bundle origin {doc['origin']!r} differs from the checkpoint's {cp.origin!r}", field="origin"
        )
    if cp.size != doc["tree_size"]:
        raise IntegrityError(
            f"bundle tree_size {doc['tree_size']} differs from the checkpoint size {cp.size}",
            field="tree_size",
        )
    verify_inclusion(doc["index"], cp.size, leaf_hash(doc["entry"]), doc["inclusion_proof"], cp.root)
    cosigs = verify_cosignatures(cp, witnesses)
    need = len(witnesses) if quorum is None else quorum
    distinct = {(c.witness, c.key_id) for c in cosigs}
    if len(distinct) < need:
        have = sorted(name for name, _ in distinct)
        raise IntegrityError(
            f"{len(distinct)} of the required {need} witness cosignatures present ({have!r})",
            field="cosignatures",
        )
    report = BundleReport(cp.origin, doc["index"], cp.size, b64encode(cp.root), doc["entry"], cosigs)
    for token in doc["timestamps"]:
        if tsa_chain_pem is None:
            read_timestamp(token)
            report.timestamps_unchecked += 1
        else:
            report.timestamps.append(verify_timestamp(token, doc["entry"], tsa_chain_pem))
    return report
