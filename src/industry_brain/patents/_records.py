"""The records the state machine keeps while it replays the log (plain mutable dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any


@dataclass
class KeyState:
    key_id: str
    party: str
    public_raw: bytes
    since: int
    status: str = "active"  # active | rotated | revoked
    ended: int | None = None


@dataclass
class PartyState:
    party: str
    role: str  # office | party
    registered: int
    name: str | None = None
    uscc: str | None = None
    keys: list[str] = _field(default_factory=list)


@dataclass
class ClaimState:
    index: int
    claimants: list[str]
    commitment: str
    at: str
    label: str | None = None
    tsa_time: str | None = None
    revealed: int | None = None
    disclosure_sha256: str | None = None


@dataclass
class PatentState:
    patent_no: str
    index: int
    title: str
    ipc: list[str]
    filed_on: str
    expires_on: str
    owners: dict[str, int]
    inventors: list[str]
    abstract: str | None = None
    field: str | None = None
    granted_on: str | None = None
    applicant: str | None = None
    priority_claims: list[int] = _field(default_factory=list)
    agreement: dict[str, int] | None = None
    agreement_index: int | None = None
    contributions: dict[str, list[int]] = _field(default_factory=dict)
    transferred_by: dict[str, int] = _field(default_factory=dict)  # party → last confirmed assignment giving away all
    entries: list[int] = _field(default_factory=list)

    def in_force(self, day: str) -> bool:
        return day <= self.expires_on


@dataclass
class TransferState:
    """A pending or settled assignment or licence."""

    index: int
    kind: str  # assignment | licence
    patent_no: str
    body: Any
    status: str = "pending"  # pending | confirmed | declined
    settled: int | None = None


@dataclass
class BidState:
    index: int
    target: int
    bidder: str
    amount_fen: int | None  # None while sealed
    patent_no: str | None = None
    sealed: bool = False
    revealed: int | None = None
    commitment: str | None = None


@dataclass
class TradeState:
    index: int
    kind: str  # offer | tender
    body: Any
    principals: list[str]  # sellers of an offer, the buyer of a tender
    status: str = "open"  # open | awarded
    bids: list[int] = _field(default_factory=list)
    sealed_by: dict[str, int] = _field(default_factory=dict)
    award: int | None = None
    winner: str | None = None
    winning_bid: int | None = None
    amount_fen: int | None = None
    used_by: int | None = None  # the licence/assignment that executed the award


@dataclass
class Balance:
    received_fen: int = 0
    paid_fen: int = 0


@dataclass
class EvidenceState:
    index: int
    submitter: str
    file_sha256: str
    description: str
    at: str
    patent_no: str | None = None


@dataclass
class CitationState:
    index: int
    citing: str
    cited: str
    source: str
    cited_ipc: list[str] | None = None
    cited_filed_on: str | None = None


@dataclass
class AccessState:
    request: int
    requester: str
    item: int
    purpose: str
    grant: int | None = None
    grantor: str | None = None
    expires_at: str | None = None
    accesses: list[int] = _field(default_factory=list)


@dataclass
class Ledger:
    """Everything the replay knows after ``size`` entries."""

    size: int = 0
    office: str | None = None
    last_at: str | None = None
    types: list[str] = _field(default_factory=list)
    subjects: list[list[str]] = _field(default_factory=list)  # patent numbers each entry concerns
    nonces: dict[str, int] = _field(default_factory=dict)
    parties: dict[str, PartyState] = _field(default_factory=dict)
    keys: dict[str, KeyState] = _field(default_factory=dict)
    claims: dict[int, ClaimState] = _field(default_factory=dict)
    commitments: dict[str, int] = _field(default_factory=dict)
    claims_by_party: dict[str, list[int]] = _field(default_factory=dict)
    patents: dict[str, PatentState] = _field(default_factory=dict)
    transfers: dict[int, TransferState] = _field(default_factory=dict)
    reserved: dict[tuple[str, str], dict[int, int]] = _field(default_factory=dict)  # (patent, party) → {entry: bp}
    trades: dict[int, TradeState] = _field(default_factory=dict)
    bids: dict[int, BidState] = _field(default_factory=dict)
    balances: dict[str, Balance] = _field(default_factory=dict)
    payments: list[int] = _field(default_factory=list)
    contributions: dict[int, Any] = _field(default_factory=dict)
    evidence: dict[int, EvidenceState] = _field(default_factory=dict)
    evidence_keys: dict[tuple[str, str], int] = _field(default_factory=dict)
    citations: list[CitationState] = _field(default_factory=list)
    citation_keys: dict[tuple[str, str], int] = _field(default_factory=dict)
    access: dict[int, AccessState] = _field(default_factory=dict)  # by request entry
    grants: dict[int, int] = _field(default_factory=dict)  # grant entry → request entry

    def free_share(self, patent_no: str, party: str) -> int:
        """Basis points ``party`` holds in ``patent_no`` and has not put into a pending assignment."""
        held = self.patents[patent_no].owners.get(party, 0)
        return held - sum(self.reserved.get((patent_no, party), {}).values())

    def balance(self, party: str) -> Balance:
        return self.balances.setdefault(party, Balance())
