"""Entry schemas: one envelope, one body model per entry type, canonical bytes (RFC 8785).

An entry on the log is the RFC 8785 canonical JSON of::

    {"type": "assignment", "v": 1, "nonce": "<32–64 hex>", "at": "2026-01-02T03:04:05Z",
     "body": {...type-specific...},
     "sigs": [{"party": "zhang_san", "key_id": "<32 hex>", "sig": "<base64 Ed25519>"}]}

The signed message is ``b"industry-brain/patents/v1\\n"`` followed by the canonical JSON of the same object
*without* ``sigs``. Amounts are integer 分 (fen, minor units); shares are integer basis points (10000 = 100 %);
days are ``YYYY-MM-DD``; instants are ``YYYY-MM-DDTHH:MM:SSZ`` (UTC). Identifiers of parties are ASCII.

Parsing is strict: unknown fields, wrong JSON types, bad dates and non-canonical bytes are refused with a
:class:`~industry_brain._core.errors.ParseError` naming the field.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

import rfc8785
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from industry_brain.patents._messages import parse_error

SCHEMA_VERSION = 1
SIGNING_CONTEXT = b"industry-brain/patents/v1\n"
MAX_FEN = 10**15  # ten trillion yuan: larger amounts are typos
FULL_SHARE = 10_000  # basis points


def _check_day(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"expected a day YYYY-MM-DD, got {value!r}")
    date.fromisoformat(value)
    return value


def _check_instant(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", value):
        raise ValueError(f"expected an instant YYYY-MM-DDTHH:MM:SSZ, got {value!r}")
    datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    return value


def _check_b64(value: str) -> str:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"expected standard base64, got {value[:40]!r}") from exc
    return value


def _check_ipc(value: str) -> str:
    if not re.fullmatch(r"[A-H]\d{2}[A-Z](?: ?\d{1,4}/\d{1,6})?", value):
        raise ValueError(f"expected an IPC symbol like 'G06F' or 'G06F 16/30', got {value!r}")
    return value


Day = Annotated[str, AfterValidator(_check_day)]
Instant = Annotated[str, AfterValidator(_check_instant)]
B64 = Annotated[str, Field(max_length=65536), AfterValidator(_check_b64)]
Hex64 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
HexSalt = Annotated[str, Field(pattern=r"^(?:[0-9a-f]{2}){16,64}$")]
Party = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.:@-]{0,63}$")]  # = PARTY_PATTERN
PatentNo = Annotated[str, Field(pattern=r"^[A-Z]{2}[0-9A-Z.]{4,30}$")]
Ipc = Annotated[str, AfterValidator(_check_ipc)]
EntryId = Annotated[int, Field(ge=0, lt=2**53)]
Fen = Annotated[int, Field(ge=0, le=MAX_FEN)]
Bp = Annotated[int, Field(ge=1, le=FULL_SHARE)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Short = Annotated[str, Field(min_length=1, max_length=200)]
Region = Annotated[str, Field(pattern=r"^(?:CN|\d{2}(?:\d{2}){0,2})$")]
FieldOfUse = Annotated[str, Field(pattern=r"^(?:\*|[A-H](?:\d{2}(?:[A-Z])?)?|[a-z][a-z0-9_]{0,39})$")]
Uscc = Annotated[str, Field(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")]


PARTY_PATTERN = r"^[a-z0-9][a-z0-9_.:@-]{0,63}$"


def check_party(party: str) -> str:
    """Refuse a party identifier that entries could not carry (lowercase ASCII, digits, ``_.:@-``)."""
    if not isinstance(party, str) or not re.fullmatch(PARTY_PATTERN, party):
        from industry_brain._core.errors import InputError

        raise InputError(
            f"invalid party identifier {party!r}, expected lowercase ASCII letters, digits and _.:@- (1–64)",
            field="party",
        )
    return party


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Holding(_Model):
    party: Party
    share_bp: Bp


class Payout(_Model):
    party: Party
    amount_fen: Fen


class Signature(_Model):
    party: Party
    key_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    sig: B64


# ---- keys -------------------------------------------------------------------------------------------------
class Genesis(_Model):
    office: Party
    name: Short
    public_key: B64


class KeyRegister(_Model):
    party: Party
    public_key: B64
    name: Short | None = None
    uscc: Uscc | None = None


class KeyRotate(_Model):
    party: Party
    old_key_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    new_public_key: B64


class KeyRevoke(_Model):
    party: Party
    key_id: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]
    reason: Short


# ---- priority, patents, contributions ----------------------------------------------------------------------
class PriorityClaim(_Model):
    claimants: Annotated[list[Party], Field(min_length=1, max_length=50)]
    commitment: Hex64
    tsa_token: B64 | None = None
    label: Short | None = None


class PriorityReveal(_Model):
    claim: EntryId
    salt: HexSalt
    disclosure_sha256: Hex64


class PatentRecord(_Model):
    patent_no: PatentNo
    title: Short
    abstract: Text | None = None
    ipc: Annotated[list[Ipc], Field(min_length=1, max_length=50)]
    field: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")] | None = None
    filed_on: Day
    granted_on: Day | None = None
    expires_on: Day
    applicant: Party | None = None
    owners: Annotated[list[Holding], Field(min_length=1, max_length=50)]
    inventors: Annotated[list[Party], Field(min_length=1, max_length=50)]
    priority_claims: Annotated[list[EntryId], Field(max_length=50)] = []


class Contribution(_Model):
    contributor: Party
    patent_no: PatentNo | None = None
    claim: EntryId | None = None
    start: Day
    end: Day
    record_sha256: Hex64
    summary: Short | None = None


class ContributionAgreement(_Model):
    patent_no: PatentNo
    shares: Annotated[list[Holding], Field(min_length=1, max_length=50)]


# ---- transfers and licences --------------------------------------------------------------------------------
class Assignment(_Model):
    patent_no: PatentNo
    assignors: Annotated[list[Holding], Field(min_length=1, max_length=50)]
    assignees: Annotated[list[Holding], Field(min_length=1, max_length=50)]
    price_fen: Fen | None = None
    award: EntryId | None = None


class Confirm(_Model):
    target: EntryId


class Decline(_Model):
    target: EntryId
    reason: Short


LicenceKind = Literal["exclusive", "sole", "non_exclusive"]


class RoyaltyTerms(_Model):
    rate_bp: Annotated[int, Field(ge=0, le=FULL_SHARE)] = 0
    lump_sum_fen: Fen = 0
    minimum_fen: Fen = 0
    split: Literal["owners", "contribution"] = "owners"


class Licence(_Model):
    patent_no: PatentNo
    licensors: Annotated[list[Party], Field(min_length=1, max_length=50)]
    licensee: Party
    kind: LicenceKind
    territory: Annotated[list[Region], Field(min_length=1, max_length=100)]
    fields: Annotated[list[FieldOfUse], Field(min_length=1, max_length=100)]
    start: Day
    end: Day
    royalty: RoyaltyTerms = RoyaltyTerms()
    award: EntryId | None = None


class RoyaltyPayment(_Model):
    licence: EntryId
    payer: Party
    amount_fen: Annotated[int, Field(ge=1, le=MAX_FEN)]
    period_start: Day
    period_end: Day
    distribution: Annotated[list[Payout], Field(min_length=1, max_length=50)]


# ---- trading -----------------------------------------------------------------------------------------------
class Offer(_Model):
    patent_no: PatentNo
    sellers: Annotated[list[Party], Field(min_length=1, max_length=50)]
    deal: Literal["assignment", "licence"]
    mode: Literal["contract", "english", "sealed"]
    price_fen: Fen
    min_increment_fen: Annotated[int, Field(ge=1, le=MAX_FEN)] = 1
    closes_at: Instant
    reveal_until: Instant | None = None
    share_bp: Bp | None = None
    licence_kind: LicenceKind | None = None
    territory: Annotated[list[Region], Field(max_length=100)] | None = None
    fields: Annotated[list[FieldOfUse], Field(max_length=100)] | None = None
    start: Day | None = None
    end: Day | None = None


class Tender(_Model):
    buyer: Party
    title: Short
    ipc: Annotated[list[Ipc], Field(max_length=50)] = []
    budget_fen: Fen
    closes_at: Instant


class Bid(_Model):
    target: EntryId
    bidder: Party
    amount_fen: Fen
    patent_no: PatentNo | None = None


class SealedBid(_Model):
    target: EntryId
    bidder: Party
    commitment: Hex64


class BidReveal(_Model):
    sealed: EntryId
    amount_fen: Fen
    salt: HexSalt


class Award(_Model):
    target: EntryId
    bid: EntryId


# ---- evidence, citations, access ---------------------------------------------------------------------------
class Evidence(_Model):
    submitter: Party
    file_sha256: Hex64
    size_bytes: Annotated[int, Field(ge=0, lt=2**53)]
    description: Text
    media_type: Short | None = None
    file_name: Short | None = None
    patent_no: PatentNo | None = None


class Citation(_Model):
    citing: PatentNo
    cited: PatentNo
    source: Literal["examiner", "applicant", "third_party"] = "examiner"
    cited_ipc: Annotated[list[Ipc], Field(max_length=50)] | None = None
    cited_filed_on: Day | None = None


class AccessRequest(_Model):
    requester: Party
    item: EntryId
    purpose: Short


class AccessGrant(_Model):
    request: EntryId
    grantor: Party
    expires_at: Instant


class Access(_Model):
    grant: EntryId
    accessor: Party


BODIES: dict[str, type[_Model]] = {
    "genesis": Genesis,
    "key_register": KeyRegister,
    "key_rotate": KeyRotate,
    "key_revoke": KeyRevoke,
    "priority_claim": PriorityClaim,
    "priority_reveal": PriorityReveal,
    "patent_record": PatentRecord,
    "contribution": Contribution,
    "contribution_agreement": ContributionAgreement,
    "assignment": Assignment,
    "confirm": Confirm,
    "decline": Decline,
    "licence": Licence,
    "royalty_payment": RoyaltyPayment,
    "offer": Offer,
    "tender": Tender,
    "bid": Bid,
    "sealed_bid": SealedBid,
    "bid_reveal": BidReveal,
    "award": Award,
    "evidence": Evidence,
    "citation": Citation,
    "access_request": AccessRequest,
    "access_grant": AccessGrant,
    "access": Access,
}
VERSIONS: dict[str, tuple[int, ...]] = {name: (SCHEMA_VERSION,) for name in BODIES}
ENTRY_TYPES: tuple[str, ...] = tuple(BODIES)


class Envelope(_Model):
    type: str
    v: int
    nonce: Annotated[str, Field(pattern=r"^(?:[0-9a-f]{2}){16,32}$")]
    at: Instant
    body: dict[str, Any]
    sigs: Annotated[list[Signature], Field(max_length=50)] = []


class Entry:
    """A parsed, schema-checked entry: the envelope plus its typed body (signatures not yet checked)."""

    __slots__ = ("at", "body", "nonce", "sigs", "type", "v")

    def __init__(self, envelope: Envelope, body: _Model) -> None:
        self.type: str = envelope.type
        self.v: int = envelope.v
        self.nonce: str = envelope.nonce
        self.at: str = envelope.at
        self.body: Any = body
        self.sigs: tuple[Signature, ...] = tuple(envelope.sigs)

    @property
    def instant(self) -> datetime:
        return datetime.strptime(self.at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)

    @property
    def day(self) -> str:
        return self.at[:10]

    def unsigned(self) -> dict[str, Any]:
        """The entry as a JSON-ready dict without signatures (what is signed)."""
        return {
            "type": self.type,
            "v": self.v,
            "nonce": self.nonce,
            "at": self.at,
            "body": self.body.model_dump(mode="json", exclude_none=True),
        }

    def to_dict(self) -> dict[str, Any]:
        data = self.unsigned()
        data["sigs"] = [s.model_dump(mode="json") for s in self.sigs]
        return data

    def signing_message(self) -> bytes:
        return SIGNING_CONTEXT + rfc8785.dumps(self.unsigned())

    def canonical(self) -> bytes:
        """The bytes appended to the log."""
        return rfc8785.dumps(self.to_dict())

    def with_signatures(self, sigs: list[Signature]) -> Entry:
        envelope = Envelope(type=self.type, v=self.v, nonce=self.nonce, at=self.at, body={}, sigs=sigs)
        return Entry(envelope, self.body)


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:8]:
        where = ".".join(str(p) for p in err["loc"]) or "(entry)"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def canonical_bytes(entry: Entry) -> bytes:
    """``entry.canonical()``, with strings JSON cannot carry (lone surrogates) refused as a ParseError."""
    try:
        return entry.canonical()
    except rfc8785.CanonicalizationError as exc:
        raise parse_error("entry_invalid", detail=f"not representable as canonical JSON: {exc}") from None


def entry_from_dict(data: Any) -> Entry:
    """Validate a JSON-ready object as an entry (signatures are checked by the state machine)."""
    if not isinstance(data, dict):
        raise parse_error("entry_invalid", detail=f"expected a JSON object, got {type(data).__name__}")
    try:
        envelope = Envelope.model_validate(data)
    except ValidationError as exc:
        raise parse_error("entry_invalid", detail=_describe(exc)) from None
    model = BODIES.get(envelope.type)
    if model is None:
        raise parse_error("entry_type_unknown", value=envelope.type, expected=", ".join(ENTRY_TYPES))
    if envelope.v not in VERSIONS[envelope.type]:
        raise parse_error("entry_version_unknown", type=envelope.type, value=envelope.v, expected=", ".join(map(str, VERSIONS[envelope.type])))
    try:
        body = model.model_validate(envelope.body)
    except ValidationError as exc:
        raise parse_error("entry_invalid", detail=f"body of {envelope.type}: {_describe(exc)}") from None
    return Entry(envelope, body)


def _loads(data: bytes | str) -> Any:
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(text, parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise parse_error("entry_not_json", detail=str(exc)[:200]) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_entry(data: bytes | str) -> Entry:
    """Parse the bytes of a log entry: valid schema AND exactly canonical (RFC 8785) bytes."""
    entry = entry_from_dict(_loads(data))
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if canonical_bytes(entry) != raw:
        raise parse_error("entry_not_canonical")
    return entry


def parse_draft(data: bytes | str, *, file: str = "<draft>") -> dict[str, Any]:
    """Parse a JSON draft (any formatting); returns the object for :func:`complete_draft`."""
    obj = _loads(data)
    if not isinstance(obj, dict):
        raise parse_error("draft_not_object", file=file)
    return obj


def complete_draft(draft: dict[str, Any], *, nonce: str, at: str) -> Entry:
    """Fill a draft's missing envelope fields (version, nonce, time) and validate it."""
    data = dict(draft)
    data.setdefault("v", SCHEMA_VERSION)
    data.setdefault("nonce", nonce)
    data.setdefault("at", at)
    data.setdefault("body", {})
    data.setdefault("sigs", [])
    return entry_from_dict(data)


def day(value: str) -> date:
    return date.fromisoformat(value)


def instant(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def format_instant(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
