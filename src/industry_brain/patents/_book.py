"""The patent book: patent entries on a ledger ``Log`` — initialise, sign, check, append, replay, prove.

A submission is checked against the state replayed from the whole log while the writer lock is held, and
appended only if every rule holds, so a refused submission never enters the log. Replaying is linear in the
log; the state of a log that has not grown is reused within one process.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from industry_brain._core.errors import ConflictError, InputError, IntegrityError, NotFoundError
from industry_brain.patents._entries import (
    Entry,
    canonical_bytes,
    complete_draft,
    format_instant,
    parse_entry,
)
from industry_brain.patents._keys import PartyKey
from industry_brain.patents._messages import MESSAGES, conflict
from industry_brain.patents._rules import priority_commitment
from industry_brain.patents._signals import Burst, Similar, claim_bursts, similar_texts
from industry_brain.patents._state import RuleReport, State, check_all, replay

DEFAULT_ORIGIN = "industry-brain.local/patents"


def new_nonce() -> str:
    return secrets.token_hex(16)


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def prepare_entry(draft: dict[str, Any], keys: Sequence[PartyKey], *, now: datetime | None = None) -> Entry:
    """Complete a draft (version, nonce, time) and add a signature by each key (existing ones are kept)."""
    entry = complete_draft(draft, nonce=new_nonce(), at=format_instant(now or now_utc()))
    canonical_bytes(entry)
    sigs = list(entry.sigs)
    for key in keys:
        sigs = [s for s in sigs if not (s.party == key.party and s.key_id == key.key_id)]
        sigs.append(key.sign(entry))
    return entry.with_signatures(sigs)


@dataclass(frozen=True)
class Submitted:
    index: int
    entry: Entry
    warnings: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "type": self.entry.type, "entry": self.entry.to_dict(),
                "warnings": list(self.warnings)}


class PatentBook:
    """Patent entries on one ledger log directory."""

    def __init__(self, log: Any) -> None:
        self.log = log
        self._state: State | None = None

    # ---- opening -------------------------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        directory: Path | str,
        *,
        log_signer_key: str,
        office: PartyKey,
        office_name: str,
        origin: str = DEFAULT_ORIGIN,
        now: datetime | None = None,
    ) -> PatentBook:
        """A new log whose first entry (genesis) makes ``office``'s key the root of trust."""
        from industry_brain.ledger import Log

        book = cls(Log.create(directory, origin=origin, signer_key=log_signer_key))
        draft = {"type": "genesis", "body": {"office": office.party, "name": office_name,
                                             "public_key": office.public_b64}}
        book.submit(prepare_entry(draft, [office], now=now), now=now)
        return book

    @classmethod
    def open(cls, directory: Path | str, *, log_signer_key: str | None = None) -> PatentBook:
        from industry_brain.ledger import Log

        path = Path(directory)
        if not (path / "checkpoint").exists():
            raise NotFoundError(f"no log at {str(path)!r} (no checkpoint file)", file=str(path))
        return cls(Log.open(path, signer_key=log_signer_key))

    def close(self) -> None:
        self.log.close()

    def __enter__(self) -> PatentBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- state ---------------------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return int(self.log.size)

    def state(self) -> State:
        """The state replayed from every entry (cached while the log does not grow)."""
        if self._state is None or self._state.size > self.size:
            self._state = State()
        state = self._state
        if state.size < self.size:
            if state.size == 0:
                state = self._state = replay(self.log.entries(0, self.size))
            else:
                for data in self.log.entries(state.size, self.size):
                    state.apply_bytes(data)
        return state

    def entry(self, index: int) -> Entry:
        if not 0 <= index < self.size:
            raise NotFoundError(f"no entry #{index}: the log has {self.size} entries", field="id")
        return parse_entry(self.log.entry(index))

    # ---- writing -------------------------------------------------------------------------------------------
    def submit(self, entry: Entry, *, now: datetime | None = None) -> Submitted:
        """Check ``entry`` against every rule and append it; refused entries raise and are not appended."""
        state = self.state()
        data = canonical_bytes(entry)
        parse_entry(data)  # what is appended must read back identically
        warnings = warnings_for(state, entry)
        apply = state.check(entry, now=now or now_utc())
        index = self.log.append(data)
        if index != state.size:  # pragma: no cover - the writer lock makes this impossible
            raise ConflictError(f"log grew under us: appended #{index}, expected #{state.size}")
        apply()
        return Submitted(index, entry, tuple(warnings))

    # ---- proofs --------------------------------------------------------------------------------------------
    def prove(self, index: int) -> bytes:
        """An offline proof bundle for entry ``index`` (checked by ``ib ledger verify-proof``)."""
        from industry_brain.ledger import make_proof_bundle

        self.entry(index)
        return bytes(make_proof_bundle(self.log, index))


def verify_rules(log: Any) -> RuleReport:
    """Re-check every patent rule over a log (a ``Log``, a directory, or a sequence of entry bytes)."""
    if isinstance(log, str | Path):
        from industry_brain.ledger import Log

        log = Log.open(log)
    entries = log.entries(0, log.size) if hasattr(log, "entries") else log
    return check_all(entries)[1]


# ---- warnings ----------------------------------------------------------------------------------------------
def in_force_corpus(state: State, day: str, *, exclude: str | None = None) -> list[tuple[str, str, str]]:
    return [
        (p.patent_no, p.title, f"{p.title} {p.abstract or ''}")
        for p in state.ledger.patents.values()
        if p.in_force(day) and p.patent_no != exclude
    ]


def similar_patents(state: State, text: str, *, day: str | None = None, threshold: float = 0.35) -> list[Similar]:
    """In-force patents whose title/abstract resemble ``text`` (a product or a new patent record)."""
    return similar_texts(text, in_force_corpus(state, day or format_instant(now_utc())[:10]), threshold=threshold)


def priority_bursts(state: State, **rule: Any) -> list[Burst]:
    """Applicants with unusually many priority claims in a rolling window (see ``_signals``)."""
    led = state.ledger
    times = {party: [led.claims[i].at for i in idx] for party, idx in led.claims_by_party.items()}
    return claim_bursts({p: [_instant(t) for t in ts] for p, ts in times.items()}, **rule)


def _instant(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def warnings_for(state: State, entry: Entry) -> list[dict[str, Any]]:
    """Warnings (not refusals) a submission raises: similarity for records, bursts for priority claims."""
    out: list[dict[str, Any]] = []
    if entry.type == "patent_record":
        body = entry.body
        text = f"{body.title} {body.abstract or ''}"
        for hit in similar_texts(text, in_force_corpus(state, entry.day, exclude=body.patent_no)):
            out.append({"code": "warn_similar", **hit.to_dict(),
                        "message": MESSAGES.both("warn_similar", **hit.to_dict())})
    if entry.type == "priority_claim":
        led = state.ledger
        times = {party: [_instant(led.claims[i].at) for i in idx] for party, idx in led.claims_by_party.items()}
        for party in entry.body.claimants:
            times.setdefault(party, []).append(entry.instant)
        for burst in claim_bursts(times):
            if burst.party in entry.body.claimants:
                out.append({"code": "warn_burst", **burst.to_dict(),
                            "message": MESSAGES.both("warn_burst", party=burst.party, days=30, count=burst.count,
                                                     threshold=burst.threshold)})
    return out


def fill_distribution(state: State, draft: dict[str, Any]) -> dict[str, Any]:
    """The "smart contract": complete a royalty_payment draft's distribution from the current shares."""
    body = draft.get("body")
    if draft.get("type") != "royalty_payment" or not isinstance(body, dict) or "distribution" in body:
        return draft
    from industry_brain.patents._market import royalty_shares
    from industry_brain.patents._royalty import split_amount

    licence = state.ledger.transfers.get(body.get("licence"))  # type: ignore[arg-type]
    amount = body.get("amount_fen")
    if (
        licence is None
        or licence.kind != "licence"
        or not isinstance(amount, int)
        or isinstance(amount, bool)
    ):
        return draft  # the rules will refuse it with the precise reason
    parts = split_amount(amount, royalty_shares(state, licence)) if amount >= 0 else []
    return {**draft, "body": {**body, "distribution": [{"party": p, "amount_fen": a} for p, a in parts if a]}}


# ---- drafts for files --------------------------------------------------------------------------------------
def sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
    except OSError as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc.strerror}", file=str(path)) from None
    return digest.hexdigest(), size


def evidence_draft(path: Path, *, submitter: str, description: str, patent_no: str | None = None,
                   media_type: str | None = None) -> dict[str, Any]:
    """An evidence entry draft for a file: its SHA-256 and size (the file itself stays with the submitter)."""
    digest, size = sha256_file(path)
    body: dict[str, Any] = {"submitter": submitter, "file_sha256": digest, "size_bytes": size,
                            "description": description, "file_name": path.name[:200]}
    if patent_no:
        body["patent_no"] = patent_no
    if media_type:
        body["media_type"] = media_type
    return {"type": "evidence", "body": body}


def priority_draft(path: Path, *, claimants: Sequence[str], label: str | None = None,
                   salt: bytes | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """A priority-claim draft for a disclosure file and the secret needed to reveal it later.

    Returns ``(draft, secret)``; keep ``secret`` (salt and the disclosure's SHA-256) private until the reveal.
    """
    digest, _ = sha256_file(path)
    salt = salt or secrets.token_bytes(32)
    commitment = priority_commitment(salt, bytes.fromhex(digest))
    body: dict[str, Any] = {"claimants": list(claimants), "commitment": commitment}
    if label:
        body["label"] = label
    secret = {"salt": salt.hex(), "disclosure_sha256": digest, "commitment": commitment}
    return {"type": "priority_claim", "body": body}, secret


def check_evidence_file(entry_data: bytes, path: Path) -> dict[str, Any]:
    """Check that ``path`` is the file an evidence entry (its canonical bytes) describes."""
    entry = parse_entry(entry_data)
    if entry.type != "evidence":
        raise conflict("bundle_not_evidence", type=entry.type)
    digest, size = sha256_file(path)
    if digest != entry.body.file_sha256:
        text = MESSAGES.t("evidence_hash_mismatch", file=str(path), actual=digest, expected=entry.body.file_sha256)
        raise IntegrityError(text, rule="evidence_hash_mismatch", file=str(path))
    return {"file": str(path), "file_sha256": digest, "size_bytes": size, "submitter": entry.body.submitter,
            "at": entry.at, "description": entry.body.description}



def check_evidence_bundle(bundle: bytes, path: Path, verifier_key: str) -> dict[str, Any]:
    """Offline: the bundle proves its entry is in the log (``verify_proof_bundle``) and ``path`` matches it."""
    from industry_brain.ledger import verify_proof_bundle

    report = verify_proof_bundle(bundle, verifier_key)
    result = check_evidence_file(report.entry, path)
    return {"index": report.index, "origin": report.origin, "tree_size": report.tree_size, **result}
