"""A witness (见证方): another institution that checks a log only grows, then cosigns its checkpoint.

:func:`witness_checkpoint` is what ``ib ledger witness`` runs. The witness keeps, per log origin, the last
checkpoint it cosigned in its own state directory. Each run it

1. verifies the log's current checkpoint with the log's public key;
2. refuses a smaller size (rollback) or a different root at the same size (fork);
3. for a larger size, computes a consistency proof from the log's tiles and verifies it against the two
   *signed* roots (RFC 9162 §2.1.4.2), so altered tiles cannot fool it;
4. records the new checkpoint in its state durably (before publishing anything), then
5. adds its cosignature/v1 line (c2sp.org/tlog-cosignature) and stores the cosigned checkpoint in the log's
   ``cosignatures/<name>+<key ID>`` (or just returns it, for a witness that may not write to the log).

The witness's state directory also pins the log's verifier key on first use: later runs must match it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from industry_brain._core.errors import InputError, IntegrityError

from ._checkpoint import (
    Checkpoint,
    add_cosignature,
    cosign,
    open_checkpoint,
    read_checkpoint_unverified,
    verify_cosignatures,
)
from ._log import Log
from ._merkle import verify_consistency
from ._note import ALG_COSIGNATURE_V1, Signer, as_signer, as_verifier, parse_verifier
from ._tiles import TileStore


@dataclass(frozen=True)
class WitnessResult:
    """The outcome of one witness run."""

    origin: str
    witness: str
    old_size: int | None
    new_size: int
    timestamp: int
    cosigned: str
    stored_at: str | None

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def _safe_name(origin: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in origin) or "_"


def _write_durably(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    store = TileStore(path.parent)
    store.write_file(path.name, data)
    store.sync_dirs()


def cosignature_path(log_dir: Path | str, witness: Signer) -> Path:
    return Path(log_dir) / "cosignatures" / f"{witness.name.replace('/', '_')}+{witness.key_id.hex()}"


def witness_checkpoint(
    log_dir: Path | str,
    witness_key: str | Signer,
    state_dir: Path | str,
    *,
    log_vkey: str | None = None,
    now: int | None = None,
    store: bool = True,
) -> WitnessResult:
    """Check the log in ``log_dir`` against the witness's state and cosign its checkpoint (see module doc)."""
    witness = as_signer(witness_key)
    if witness.alg != ALG_COSIGNATURE_V1:
        raise InputError(
            f"witness key {witness.name!r} is not a cosigner key (make one with keygen --witness)",
            field="key",
        )
    log_dir, state_dir = Path(log_dir), Path(state_dir)
    raw = TileStore(log_dir).read_checkpoint_bytes()
    origin = read_checkpoint_unverified(raw).origin
    base = state_dir / _safe_name(origin)
    pinned_path = base.with_suffix(".vkey")
    pinned = pinned_path.read_text(encoding="utf-8").strip() if pinned_path.exists() else None
    if log_vkey is not None and pinned is not None and parse_verifier(log_vkey) != parse_verifier(pinned):
        raise IntegrityError(
            f"log key for {origin!r} differs from the one pinned in {pinned_path}", file=str(pinned_path)
        )
    vkey = log_vkey or pinned
    if vkey is None:
        raise InputError(f"first run for {origin!r}: give the log's verifier key (--vkey)", field="vkey")
    verifier = as_verifier(vkey)
    new = open_checkpoint(raw, verifier)

    state_path = base.with_suffix(".checkpoint")
    old: Checkpoint | None = None
    last_time = 0
    if state_path.exists():
        old = open_checkpoint(state_path.read_bytes(), verifier)
        mine = verify_cosignatures(old, [witness.verifier])
        last_time = max((c.timestamp for c in mine), default=0)
    if old is not None:
        if new.size < old.size:
            raise IntegrityError(
                f"log {origin!r} shrank from {old.size} to {new.size} (rollback)", field="size"
            )
        if new.size == old.size and new.root != old.root:
            raise IntegrityError(f"log {origin!r} shows two roots at size {new.size} (fork)", field="root")
        if old.size > 0 and new.size > old.size:
            proof = Log.open(log_dir).prove_consistency(old.size, new.size)
            verify_consistency(old.size, new.size, old.root, new.root, proof.hashes)

    timestamp = max(int(time.time()) if now is None else now, last_time)
    cosigned = add_cosignature(new, cosign(new, witness, timestamp))
    text = cosigned.signed_text()
    if pinned is None:
        _write_durably(pinned_path, (verifier.to_string() + "\n").encode("utf-8"))
    _write_durably(state_path, text.encode("utf-8"))
    stored_at = None
    if store:
        target = cosignature_path(log_dir, witness)
        # keep only the log's signature and ours: other witnesses store their own files
        _write_durably(target, text.encode("utf-8"))
        stored_at = os.fspath(target)
    return WitnessResult(
        origin, witness.name, old.size if old else None, new.size, timestamp, text, stored_at
    )
