"""Checkpoints (c2sp.org/tlog-checkpoint) and witness cosignatures (c2sp.org/tlog-cosignature).

A checkpoint is the body of a signed note::

    <origin>                  a unique name of the log, e.g. "ipo.example.cn/patents"
    <size>                    decimal, no leading zeros
    <base64 root hash>        32 bytes, standard padded base64
    [extension lines...]      optional, non-empty, opaque to clients

A cosignature (type 0x04) is a signature line added by a witness after it checked that the checkpoint is
consistent with the last one it saw. Its bytes are ``key ID || uint64 timestamp (big-endian) || Ed25519
signature`` and the signed message is ``"cosignature/v1\\ntime <timestamp>\\n" || checkpoint body``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass, field

from industry_brain._core.errors import InputError, IntegrityError, ParseError

from ._merkle import HASH_SIZE
from ._note import (
    ALG_COSIGNATURE_V1,
    Note,
    Signature,
    Signer,
    Verifier,
    as_signer,
    as_verifier,
    b64decode,
    b64encode,
    check_note_text,
    parse_note,
    sign_note,
    verify_note,
)

_MAX_SIZE = (1 << 63) - 1


@dataclass(frozen=True)
class Checkpoint:
    """A log's signed statement of its size and root. ``note`` is the signed form when there is one."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()
    note: Note | None = field(default=None, compare=False)

    def body(self) -> str:
        """The checkpoint's note text (what the log signs)."""
        lines = [self.origin, str(self.size), b64encode(self.root), *self.extensions]
        return "".join(line + "\n" for line in lines)

    def signed_text(self) -> str:
        """The signed note (checkpoint + signature lines); raises if this checkpoint was never signed."""
        if self.note is None:
            raise InputError("checkpoint is not signed", field="checkpoint")
        return self.note.to_text()

    def to_dict(self) -> dict[str, object]:
        return {
            "origin": self.origin,
            "size": self.size,
            "root": b64encode(self.root),
            "extensions": list(self.extensions),
            "signed": self.note.to_text() if self.note else None,
        }


def parse_checkpoint_body(text: str) -> Checkpoint:
    """Parse a checkpoint body (no signatures). Raises :class:`ParseError`."""
    if not isinstance(text, str) or not text.endswith("\n"):
        raise ParseError("checkpoint must end with a newline", field="checkpoint")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise ParseError(
            f"checkpoint has {len(lines)} lines, expected origin, size and root", field="checkpoint"
        )
    origin, size_text, root_text, *ext = lines
    if not origin or origin != origin.strip():
        raise ParseError(
            f"checkpoint origin {origin!r} must be non-empty without surrounding spaces", field="origin"
        )
    if not size_text.isascii() or not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise ParseError(
            f"checkpoint size {size_text!r} is not a decimal without leading zeros", field="size"
        )
    size = int(size_text)
    if size > _MAX_SIZE:
        raise ParseError(f"checkpoint size {size_text!r} is larger than 2^63-1", field="size")
    root = b64decode(root_text, "root")
    if len(root) != HASH_SIZE:
        raise ParseError(f"checkpoint root has {len(root)} bytes, expected {HASH_SIZE}", field="root")
    if any(not line for line in ext):
        raise ParseError("checkpoint extension lines must not be empty", field="checkpoint")
    return Checkpoint(origin, size, root, tuple(ext))


def make_checkpoint(origin: str, size: int, root: bytes, extensions: Iterable[str] = ()) -> Checkpoint:
    """Build (and validate) an unsigned checkpoint."""
    cp = Checkpoint(origin, size, root, tuple(extensions))
    if not origin or "\n" in origin:
        raise InputError(f"origin {origin!r} must be one non-empty line", field="origin")
    if not 0 <= size <= _MAX_SIZE or len(root) != HASH_SIZE:
        raise InputError(f"bad size {size!r} or root length {len(root)!r}", field="checkpoint")
    check_note_text(cp.body())
    try:
        return parse_checkpoint_body(cp.body())
    except ParseError as exc:
        raise InputError(exc.message, field="checkpoint") from exc


def sign_checkpoint(cp: Checkpoint, signer: str | Signer) -> Checkpoint:
    """Sign ``cp`` as a note (Ed25519, deterministic)."""
    note = sign_note(cp.body(), signer)
    return Checkpoint(cp.origin, cp.size, cp.root, cp.extensions, note)


def open_checkpoint(data: str | bytes, verifier: str | Verifier, *, origin: str | None = None) -> Checkpoint:
    """Verify a signed checkpoint with the log's key; returns it with its note (cosignature lines kept).

    The origin must equal the key name unless ``origin`` says otherwise (the ecosystem's convention).
    """
    v = as_verifier(verifier)
    note, _ = verify_note(data, [v])
    cp = parse_checkpoint_body(note.text)
    expected = v.name if origin is None else origin
    if cp.origin != expected:
        raise IntegrityError(
            f"checkpoint origin {cp.origin!r} differs from the expected {expected!r}", field="origin"
        )
    return Checkpoint(cp.origin, cp.size, cp.root, cp.extensions, note)


def read_checkpoint_unverified(data: str | bytes) -> Checkpoint:
    """Parse a signed checkpoint without checking any signature (for tools that verify later)."""
    note = parse_note(data)
    cp = parse_checkpoint_body(note.text)
    return Checkpoint(cp.origin, cp.size, cp.root, cp.extensions, note)


def _cosigned_message(body: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode("utf-8")


def cosign(cp: Checkpoint, witness: str | Signer, timestamp: int) -> Signature:
    """A witness's cosignature/v1 line over ``cp`` at POSIX ``timestamp``."""
    w = as_signer(witness)
    if w.alg != ALG_COSIGNATURE_V1:
        raise InputError(f"key {w.name!r} is not a cosigner key (type 0x04)", field="witness_key")
    if not 0 <= timestamp <= _MAX_SIZE:
        raise InputError(f"timestamp {timestamp!r} out of range", field="timestamp")
    sig = w.sign(_cosigned_message(cp.body(), timestamp))
    return Signature(w.name, w.key_id, struct.pack(">Q", timestamp) + sig)


def add_cosignature(cp: Checkpoint, sig: Signature) -> Checkpoint:
    if cp.note is None:
        raise InputError("only a signed checkpoint can carry cosignatures", field="checkpoint")
    return Checkpoint(cp.origin, cp.size, cp.root, cp.extensions, cp.note.with_signature(sig))


@dataclass(frozen=True)
class Cosignature:
    """A verified cosignature: which witness, and when it signed."""

    witness: str
    key_id: str
    timestamp: int

    def to_dict(self) -> dict[str, object]:
        return {"witness": self.witness, "key_id": self.key_id, "timestamp": self.timestamp}


def verify_cosignatures(cp: Checkpoint, witnesses: Iterable[str | Verifier]) -> list[Cosignature]:
    """Check the cosignature lines of ``cp`` from known witness keys.

    Lines from unknown keys are ignored; a known witness's bad line raises :class:`IntegrityError`. Returns the
    verified cosignatures (possibly fewer than the witnesses given: quorum policy is the caller's).
    """
    if cp.note is None:
        return []
    known = [as_verifier(w) for w in witnesses]
    body = cp.body()
    out: list[Cosignature] = []
    for sig in cp.note.signatures:
        for w in known:
            if w.alg != ALG_COSIGNATURE_V1 or w.name != sig.name or w.key_id != sig.key_id:
                continue
            if len(sig.signature) != 8 + 64:
                raise IntegrityError(
                    f"cosignature by {w.name!r} has {len(sig.signature)} bytes, expected 72",
                    field="cosignature",
                )
            (timestamp,) = struct.unpack(">Q", sig.signature[:8])
            if timestamp > _MAX_SIZE or not w.verify(_cosigned_message(body, timestamp), sig.signature[8:]):
                raise IntegrityError(f"cosignature by {w.name!r} does not verify", field="cosignature")
            out.append(Cosignature(w.name, w.key_id.hex(), timestamp))
    return out
