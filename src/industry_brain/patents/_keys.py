"""Parties' Ed25519 keys: generation, key files, signing and checking entries.

A key is named by its ``key_id``: the first 16 bytes of SHA-256 over the raw 32-byte public key, in hex.
A private key file is JSON (keep it secret, mode 0600)::

    {"kind": "industry-brain/patents-private-key", "party": "zhang_san", "key_id": "…", "private_key": "<b64 seed>",
     "public_key": "<b64>"}

and the public half drops ``private_key`` (kind ``…-public-key``). Keys become valid for signing only once a
``genesis`` (the IP office's root key), ``key_register`` or ``key_rotate`` entry on the log names them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from industry_brain.patents._entries import Entry, Signature, check_party
from industry_brain.patents._messages import parse_error

PRIVATE_KIND = "industry-brain/patents-private-key"
PUBLIC_KIND = "industry-brain/patents-public-key"


def key_id_of(public_raw: bytes) -> str:
    """The key's name on the log: hex of the first 16 bytes of SHA-256(public key)."""
    return hashlib.sha256(public_raw).hexdigest()[:32]


def decode_public_key(value: str) -> bytes:
    """Base64 of a raw Ed25519 public key → 32 bytes (ValueError otherwise)."""
    raw = base64.b64decode(value, validate=True)
    if len(raw) != 32:
        raise ValueError(f"expected 32 bytes, got {len(raw)}")
    Ed25519PublicKey.from_public_bytes(raw)
    return raw


@dataclass(frozen=True)
class PartyKey:
    """A party's signing key (private half in memory)."""

    party: str
    private: Ed25519PrivateKey

    @property
    def public_raw(self) -> bytes:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def public_b64(self) -> str:
        return base64.b64encode(self.public_raw).decode("ascii")

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_raw)

    def sign(self, entry: Entry) -> Signature:
        signature = self.private.sign(entry.signing_message())
        return Signature(party=self.party, key_id=self.key_id, sig=base64.b64encode(signature).decode("ascii"))

    def private_dict(self) -> dict[str, Any]:
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

        seed = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return {
            "kind": PRIVATE_KIND,
            "party": self.party,
            "key_id": self.key_id,
            "private_key": base64.b64encode(seed).decode("ascii"),
            "public_key": self.public_b64,
        }

    def public_dict(self) -> dict[str, Any]:
        return {"kind": PUBLIC_KIND, "party": self.party, "key_id": self.key_id, "public_key": self.public_b64}


def generate_key(party: str) -> PartyKey:
    """A fresh Ed25519 key for ``party``."""
    check_party(party)
    return PartyKey(party=party, private=Ed25519PrivateKey.generate())


def key_from_seed(party: str, seed: bytes) -> PartyKey:
    """A deterministic key (tests, known answers)."""
    return PartyKey(party=party, private=Ed25519PrivateKey.from_private_bytes(seed))


def write_key_files(key: PartyKey, directory: Path) -> tuple[Path, Path]:
    """Write ``<party>.key`` (0600) and ``<party>.pub`` into ``directory``; refuse to overwrite."""
    directory.mkdir(parents=True, exist_ok=True)
    private_path = directory / f"{key.party}.key"
    public_path = directory / f"{key.party}.pub"
    for path in (private_path, public_path):
        if path.exists():
            from industry_brain._core.errors import ConflictError

            raise ConflictError(f"key file {str(path)!r} already exists; not overwriting", file=str(path))
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(key.private_dict(), indent=2) + "\n")
    public_path.write_text(json.dumps(key.public_dict(), indent=2) + "\n", encoding="utf-8")
    return private_path, public_path


def load_key(path: Path) -> PartyKey:
    """Read a private key file; any defect is a ParseError naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise parse_error("key_file_invalid", file=str(path), detail=exc.strerror or str(exc)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise parse_error("key_file_invalid", file=str(path), detail=str(exc)[:200]) from None
    if not isinstance(data, dict) or data.get("kind") != PRIVATE_KIND:
        raise parse_error("key_file_invalid", file=str(path), detail=f"expected kind {PRIVATE_KIND!r}")
    party, seed_b64 = data.get("party"), data.get("private_key")
    if not isinstance(party, str) or not isinstance(seed_b64, str):
        raise parse_error("key_file_invalid", file=str(path), detail="party and private_key must be strings")
    try:
        seed = base64.b64decode(seed_b64, validate=True)
        if len(seed) != 32:
            raise ValueError(f"seed has {len(seed)} bytes, expected 32")
        key = key_from_seed(party, seed)
    except (binascii.Error, ValueError) as exc:
        raise parse_error("key_file_invalid", file=str(path), detail=str(exc)[:200]) from None
    if data.get("key_id") not in (None, key.key_id):
        raise parse_error("key_file_invalid", file=str(path), detail="key_id does not match the private key")
    return key


def signature_valid(public_raw: bytes, message: bytes, sig_b64: str) -> bool:
    """True when ``sig_b64`` is a valid Ed25519 signature of ``message`` by ``public_raw``."""
    try:
        signature = base64.b64decode(sig_b64, validate=True)
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
