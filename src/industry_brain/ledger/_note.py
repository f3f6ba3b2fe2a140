"""Signed notes (c2sp.org/signed-note) and their key strings, with Ed25519 from ``cryptography``.

A signed note is UTF-8 text ending in a newline, a blank line, then one or more signature lines
``— <key name> base64(key ID || signature)``. The text is separated from the signatures by the *last*
blank line. No ASCII control characters except newline are allowed anywhere.

Key strings (the formats of Go's ``golang.org/x/mod/sumdb/note``, which the ecosystem's tools read):

* verifier key ``<name>+<hex key ID>+base64(type || 32-byte public key)``
* signer key ``PRIVATE+KEY+<name>+<hex key ID>+base64(type || 32-byte Ed25519 seed)``

``key ID = SHA-256(name || 0x0A || type || public key)[:4]``. Type ``0x01`` is a plain Ed25519 note signature
(what a log signs its checkpoints with); type ``0x04`` is a timestamped cosignature (c2sp.org/tlog-cosignature,
what a witness adds, see :mod:`._checkpoint`). The base64 part may itself contain ``+``, so key strings are
split at most 2 (verifier) or 4 (signer) times.

Verification follows the spec: signatures from unknown keys (name and ID not both matching) are ignored; a
signature from a known key that fails to verify rejects the whole note; a note without any verified signature
is rejected.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from industry_brain._core.errors import InputError, IntegrityError, ParseError

ALG_ED25519 = 0x01
ALG_COSIGNATURE_V1 = 0x04
_KNOWN_ALGS = {ALG_ED25519: "ed25519", ALG_COSIGNATURE_V1: "cosignature/v1"}
MAX_SIGNATURES = 100
_DASH = "\u2014 "


def b64decode(text: str | bytes, what: str) -> bytes:
    """Strict standard base64 (RFC 4648 §4, padded); raises :class:`ParseError`."""
    try:
        raw = text.encode("ascii") if isinstance(text, str) else text
        out = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise ParseError(f"{what} is not valid base64: {text!r}", field=what) from exc
    if base64.b64encode(out) != raw:
        raise ParseError(f"{what} is not canonical base64: {text!r}", field=what)
    return out


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def check_key_name(name: str) -> str:
    """Key names are non-empty, without Unicode spaces, ``+`` or control characters."""
    if not isinstance(name, str) or not name:
        raise InputError(f"key name must be a non-empty string, got {name!r}", field="name")
    if any(
        c.isspace() or c == "+" or ord(c) < 0x20 or c == "\x7f" or 0xD800 <= ord(c) <= 0xDFFF for c in name
    ):
        raise InputError(
            f"key name {name!r} must not contain spaces, '+' or control characters", field="name"
        )
    return name


def key_id(name: str, alg: int, public: bytes) -> bytes:
    """``SHA-256(name || 0x0A || alg || public)[:4]``."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([alg]) + public).digest()[:4]


def _public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Verifier:
    """A verifier key: name, algorithm byte, 32-byte Ed25519 public key."""

    name: str
    alg: int
    public: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.alg, self.public)

    def to_string(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{b64encode(bytes([self.alg]) + self.public)}"

    def __str__(self) -> str:
        return self.to_string()

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Ed25519 verification (RFC 8032, as strict as OpenSSL: canonical S, no small-order tricks)."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A signer key: name, algorithm byte, 32-byte Ed25519 seed."""

    name: str
    alg: int
    seed: bytes

    @property
    def _private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def verifier(self) -> Verifier:
        return Verifier(self.name, self.alg, _public_bytes(self._private))

    @property
    def key_id(self) -> bytes:
        return self.verifier.key_id

    def to_string(self) -> str:
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{b64encode(bytes([self.alg]) + self.seed)}"

    def __repr__(self) -> str:  # never print the seed by accident
        return f"Signer(name={self.name!r}, alg={self.alg:#04x}, key_id={self.key_id.hex()})"

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)


def generate_key(name: str, *, cosigner: bool = False) -> tuple[str, str]:
    """A fresh Ed25519 key pair as ``(signer_key, verifier_key)`` strings.

    ``cosigner=True`` makes a witness key (signature type 0x04, c2sp.org/tlog-cosignature).
    """
    check_key_name(name)
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    signer = Signer(name, ALG_COSIGNATURE_V1 if cosigner else ALG_ED25519, seed)
    return signer.to_string(), signer.verifier.to_string()


def _parse_key_material(name: str, hex_id: str, blob: str, what: str, size: int) -> tuple[int, bytes]:
    try:
        check_key_name(name)
    except InputError as exc:
        raise ParseError(f"{what}: {exc.message}", field=what) from exc
    if len(hex_id) != 8 or any(c not in "0123456789abcdef" for c in hex_id):
        raise ParseError(f"{what}: key ID {hex_id!r} is not 8 lowercase hex digits", field=what)
    raw = b64decode(blob, what)
    if len(raw) != 1 + size or raw[0] not in _KNOWN_ALGS:
        raise ParseError(
            f"{what}: expected type 0x01 or 0x04 and a {size}-byte Ed25519 key, got {len(raw)} bytes",
            field=what,
        )
    return raw[0], raw[1:]


def parse_verifier(text: str) -> Verifier:
    """Parse ``name+hexid+base64`` (raises :class:`ParseError`, also on a key ID that does not match)."""
    if not isinstance(text, str):
        raise ParseError(f"verifier key must be text, got {type(text).__name__}", field="vkey")
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise ParseError(f"verifier key {text[:80]!r} is not name+keyid+base64", field="vkey")
    alg, public = _parse_key_material(parts[0], parts[1], parts[2], "vkey", 32)
    verifier = Verifier(parts[0], alg, public)
    if verifier.key_id.hex() != parts[1]:
        raise ParseError(
            f"verifier key {parts[0]!r}: key ID {parts[1]!r} does not match the key", field="vkey"
        )
    return verifier


def parse_signer(text: str) -> Signer:
    """Parse ``PRIVATE+KEY+name+hexid+base64`` (raises :class:`ParseError`; the message never shows the seed)."""
    if not isinstance(text, str):
        raise ParseError(f"signer key must be text, got {type(text).__name__}", field="skey")
    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[0] != "PRIVATE" or parts[1] != "KEY":
        raise ParseError("signer key is not PRIVATE+KEY+name+keyid+base64", field="skey")
    alg, seed = _parse_key_material(parts[2], parts[3], parts[4], "skey", 32)
    signer = Signer(parts[2], alg, seed)
    if signer.key_id.hex() != parts[3]:
        raise ParseError(f"signer key {parts[2]!r}: key ID {parts[3]!r} does not match the key", field="skey")
    return signer


def as_verifier(key: str | Verifier) -> Verifier:
    return key if isinstance(key, Verifier) else parse_verifier(key)


def as_signer(key: str | Signer) -> Signer:
    return key if isinstance(key, Signer) else parse_signer(key)


@dataclass(frozen=True)
class Signature:
    """One signature line: key name, 4-byte key ID, signature bytes (after the key ID)."""

    name: str
    key_id: bytes
    signature: bytes

    def to_line(self) -> str:
        return f"{_DASH}{self.name} {b64encode(self.key_id + self.signature)}\n"


@dataclass(frozen=True)
class Note:
    """A signed note: its text (ending in a newline) and its signature lines, in order."""

    text: str
    signatures: tuple[Signature, ...]

    def to_text(self) -> str:
        return self.text + "\n" + "".join(s.to_line() for s in self.signatures)

    def to_bytes(self) -> bytes:
        return self.to_text().encode("utf-8")

    def with_signature(self, sig: Signature) -> Note:
        """This note with ``sig`` added (replacing an earlier signature by the same name and key ID)."""
        kept = tuple(s for s in self.signatures if (s.name, s.key_id) != (sig.name, sig.key_id))
        return Note(self.text, (*kept, sig))


def _check_text(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ParseError(
            f"{what} is not valid Unicode text (lone surrogate at {exc.start})", field=what
        ) from exc
    bad = next((c for c in text if (ord(c) < 0x20 and c != "\n") or c == "\x7f"), None)
    if bad is not None:
        raise ParseError(f"{what} contains the control character {bad!r}", field=what)


def check_note_text(text: str) -> str:
    """A note text must be non-empty, end in a newline and hold no control characters but newlines."""
    if not isinstance(text, str) or not text.endswith("\n"):
        raise InputError(f"note text must end with a newline, got {str(text)[-20:]!r}", field="text")
    _check_text(text, "text")
    return text


def parse_note(data: str | bytes) -> Note:
    """Split a signed note into text and signatures (no verification). Raises :class:`ParseError`."""
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(f"signed note is not valid UTF-8 (byte {exc.start})", field="note") from exc
    if not isinstance(data, str):
        raise ParseError(f"signed note must be text, got {type(data).__name__}", field="note")
    _check_text(data, "note")
    split = data.rfind("\n\n")
    if split < 0:
        raise ParseError("signed note has no blank line before its signatures", field="note")
    text, block = data[: split + 1], data[split + 2 :]
    if not block.endswith("\n"):
        raise ParseError("signed note must end with a newline after its last signature", field="note")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise ParseError(
            f"signed note has {len(lines)} signatures, at most {MAX_SIGNATURES} allowed", field="note"
        )
    sigs: list[Signature] = []
    for n, line in enumerate(lines, 1):
        if not line.startswith(_DASH):
            raise ParseError(f"signature line {n} {line[:60]!r} does not start with '— '", field="note")
        rest = line[len(_DASH) :]
        name, sep, blob = rest.rpartition(" ")
        if not sep:
            raise ParseError(f"signature line {n} has no space between key name and signature", field="note")
        try:
            check_key_name(name)
        except InputError as exc:
            raise ParseError(f"signature line {n}: {exc.message}", field="note") from exc
        raw = b64decode(blob, f"signature line {n}")
        if len(raw) < 5:
            raise ParseError(
                f"signature line {n} holds {len(raw)} bytes, too short for key ID + signature", field="note"
            )
        sigs.append(Signature(name, raw[:4], raw[4:]))
    return Note(text, tuple(sigs))


def sign_note(text: str, signer: str | Signer) -> Note:
    """Sign ``text`` with a type-0x01 Ed25519 key (deterministic: same key and text, same bytes)."""
    s = as_signer(signer)
    if s.alg != ALG_ED25519:
        raise InputError(
            f"key {s.name!r} is a cosigner key (type 0x04); sign checkpoints with a 0x01 key", field="skey"
        )
    check_note_text(text)
    return Note(text, (Signature(s.name, s.key_id, s.sign(text.encode("utf-8"))),))


def verify_note(data: str | bytes | Note, verifiers: Iterable[str | Verifier]) -> tuple[Note, list[Verifier]]:
    """Open a signed note with the known type-0x01 keys; returns the note and the keys whose signatures verified.

    Raises :class:`ParseError` for malformed input and :class:`IntegrityError` when a known key's signature
    fails or no known key signed.
    """
    note = data if isinstance(data, Note) else parse_note(data)
    known = [as_verifier(v) for v in verifiers]
    message = note.text.encode("utf-8")
    good: list[Verifier] = []
    for sig in note.signatures:
        for v in known:
            if v.alg != ALG_ED25519 or v.name != sig.name or v.key_id != sig.key_id:
                continue
            if not v.verify(message, sig.signature):
                raise IntegrityError(
                    f"signature by {v.name!r} ({v.key_id.hex()}) does not verify", field="note"
                )
            if v not in good:
                good.append(v)
    if not good:
        names: Sequence[str] = [s.name for s in note.signatures]
        raise IntegrityError(f"no signature from a known key (note is signed by {names!r})", field="note")
    return note, good
