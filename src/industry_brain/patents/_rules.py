"""Rules for keys, signatures, priority, patent records, contributions, evidence, citations and access.

Each ``check_<type>(led, entry, index)`` checks everything first and raises a refusal (ConflictError /
IntegrityError) without touching ``led``; it returns ``(commit, subjects)`` where ``commit()`` applies the
entry and ``subjects`` lists the patent numbers the entry concerns (for ``history``).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable

from industry_brain.patents._entries import FULL_SHARE, Entry
from industry_brain.patents._keys import decode_public_key, key_id_of, signature_valid
from industry_brain.patents._messages import conflict, integrity
from industry_brain.patents._records import (
    AccessState,
    CitationState,
    ClaimState,
    EvidenceState,
    KeyState,
    Ledger,
    PartyState,
    PatentState,
)

Commit = Callable[[], None]
Checked = tuple[Commit, list[str]]


# ---- signatures --------------------------------------------------------------------------------------------
def check_signatures(
    led: Ledger,
    entry: Entry,
    required: Iterable[str],
    *,
    any_of: bool = False,
    new_keys: dict[str, tuple[str, bytes]] | None = None,
    need_keys: Iterable[str] = (),
) -> None:
    """Every signature valid by an active registered key of a required party; all (or one, ``any_of``) present.

    ``new_keys`` maps key ids not yet on the log (being registered) to (party, public key); ``need_keys`` lists
    key ids that must each have signed (key rotation: the old and the new key).
    """
    required = sorted(set(required))
    new_keys = new_keys or {}
    message = entry.signing_message()
    seen: set[tuple[str, str]] = set()
    signed: set[str] = set()
    for sig in entry.sigs:
        if sig.party not in required:
            raise conflict("signer_unexpected", party=sig.party, type=entry.type, required=", ".join(required))
        if (sig.party, sig.key_id) in seen:
            raise conflict("signature_duplicate", party=sig.party)
        seen.add((sig.party, sig.key_id))
        if sig.key_id in new_keys:
            owner, public_raw = new_keys[sig.key_id]
        else:
            key = led.keys.get(sig.key_id)
            if key is None:
                raise integrity("key_unknown", key_id=sig.key_id, party=sig.party)
            if key.status != "active":
                raise integrity("key_revoked", key_id=sig.key_id, at=key.ended, state=key.status)
            owner, public_raw = key.party, key.public_raw
        if owner != sig.party:
            raise integrity("key_wrong_party", key_id=sig.key_id, owner=owner, party=sig.party)
        if not signature_valid(public_raw, message, sig.sig):
            raise integrity("signature_invalid", party=sig.party, key_id=sig.key_id)
        signed.add(sig.party)
    missing = [p for p in required if p not in signed]
    if (any_of and not signed) or (not any_of and missing):
        raise integrity(
            "signature_missing",
            missing=", ".join(missing) if not any_of else " | ".join(required),
            type=entry.type,
            required=(" | " if any_of else ", ").join(required),
        )
    for key_id in need_keys:
        if not any(s.key_id == key_id for s in entry.sigs):
            raise integrity("signature_missing", missing=key_id, type=entry.type, required=", ".join(need_keys))


def _office(led: Ledger, entry: Entry) -> None:
    if led.office is None:  # pragma: no cover - genesis is enforced before any other entry
        raise conflict("genesis_missing", type=entry.type)
    check_signatures(led, entry, [led.office])


def _known(led: Ledger, parties: Iterable[str]) -> None:
    for party in parties:
        if party not in led.parties:
            raise conflict("party_unknown", party=party)


def _unique(parties: list[str], what: str) -> None:
    seen: set[str] = set()
    for party in parties:
        if party in seen:
            raise conflict("party_repeated", party=party, what=what)
        seen.add(party)


def check_shares(holdings: Iterable[tuple[str, int]], what: str) -> dict[str, int]:
    """Holdings as a dict; refused when a party repeats or the shares do not sum to exactly 100 %."""
    result: dict[str, int] = {}
    for party, share in holdings:
        if party in result:
            raise conflict("party_repeated", party=party, what=what)
        result[party] = share
    total = sum(result.values())
    if total != FULL_SHARE:
        raise conflict("shares_not_100", what=what, total=total)
    return result


def _public_key(value: str) -> bytes:
    try:
        return decode_public_key(value)
    except ValueError as exc:
        raise integrity("key_public_invalid", detail=str(exc)) from None


def _patent(led: Ledger, patent_no: str) -> PatentState:
    patent = led.patents.get(patent_no)
    if patent is None:
        raise conflict("patent_unknown", patent_no=patent_no)
    return patent


# ---- keys --------------------------------------------------------------------------------------------------
def check_genesis(led: Ledger, entry: Entry, index: int) -> Checked:
    if index != 0:
        raise conflict("genesis_misplaced", index=index)
    body = entry.body
    public_raw = _public_key(body.public_key)
    key_id = key_id_of(public_raw)
    check_signatures(led, entry, [body.office], new_keys={key_id: (body.office, public_raw)}, need_keys=[key_id])

    def commit() -> None:
        led.office = body.office
        led.parties[body.office] = PartyState(body.office, "office", index, name=body.name, keys=[key_id])
        led.keys[key_id] = KeyState(key_id, body.office, public_raw, index)

    return commit, []


def check_key_register(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    public_raw = _public_key(body.public_key)
    key_id = key_id_of(public_raw)
    if key_id in led.keys:
        raise conflict("key_exists", key_id=key_id, at=led.keys[key_id].since)
    existing = led.parties.get(body.party)
    if existing is not None and (body.name not in (None, existing.name) or body.uscc not in (None, existing.uscc)):
        raise conflict("party_exists", party=body.party, at=existing.registered)
    assert led.office is not None
    check_signatures(
        led, entry, [led.office, body.party], new_keys={key_id: (body.party, public_raw)}, need_keys=[key_id]
    )

    def commit() -> None:
        party = led.parties.get(body.party)
        if party is None:
            party = led.parties[body.party] = PartyState(body.party, "party", index, name=body.name, uscc=body.uscc)
        party.keys.append(key_id)
        led.keys[key_id] = KeyState(key_id, body.party, public_raw, index)

    return commit, []


def check_key_rotate(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    _known(led, [body.party])
    old = led.keys.get(body.old_key_id)
    if old is None:
        raise integrity("key_unknown", key_id=body.old_key_id, party=body.party)
    if old.party != body.party:
        raise integrity("key_wrong_party", key_id=old.key_id, owner=old.party, party=body.party)
    public_raw = _public_key(body.new_public_key)
    key_id = key_id_of(public_raw)
    if key_id in led.keys:
        raise conflict("key_exists", key_id=key_id, at=led.keys[key_id].since)
    check_signatures(
        led, entry, [body.party], new_keys={key_id: (body.party, public_raw)}, need_keys=[old.key_id, key_id]
    )

    def commit() -> None:
        old.status, old.ended = "rotated", index
        led.parties[body.party].keys.append(key_id)
        led.keys[key_id] = KeyState(key_id, body.party, public_raw, index)

    return commit, []


def check_key_revoke(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    _known(led, [body.party])
    key = led.keys.get(body.key_id)
    if key is None:
        raise integrity("key_unknown", key_id=body.key_id, party=body.party)
    if key.party != body.party:
        raise integrity("key_wrong_party", key_id=key.key_id, owner=key.party, party=body.party)
    if key.status == "revoked":
        raise integrity("key_revoked", key_id=key.key_id, at=key.ended, state="revoked")
    assert led.office is not None
    check_signatures(led, entry, [body.party, led.office], any_of=True)

    def commit() -> None:
        key.status, key.ended = "revoked", index

    return commit, []


# ---- priority ----------------------------------------------------------------------------------------------
def _tsa_time(token_b64: str, commitment: str) -> str:
    """Decode an RFC 3161 TimeStampResp and require that it stamps the commitment (SHA-256 imprint)."""
    try:
        import rfc3161_client

        response = rfc3161_client.decode_timestamp_response(base64.b64decode(token_b64))
        info = response.tst_info
        imprint = info.message_imprint.message
        algorithm = info.message_imprint.hash_algorithm.dotted_string
        gen_time = info.gen_time
    except Exception as exc:  # the decoder raises assorted errors on garbage: all mean "invalid token"
        raise integrity("tsa_token_invalid", detail=f"{type(exc).__name__}: {exc}"[:200]) from None
    if algorithm != "2.16.840.1.101.3.4.2.1" or imprint.hex() != commitment:
        raise integrity("tsa_token_mismatch", imprint=imprint.hex(), commitment=commitment)
    return str(gen_time.strftime("%Y-%m-%dT%H:%M:%SZ"))


def check_priority_claim(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    _unique(body.claimants, "claimants")
    _known(led, body.claimants)
    if body.commitment in led.commitments:
        raise conflict("claim_duplicate", at=led.commitments[body.commitment])
    tsa_time = _tsa_time(body.tsa_token, body.commitment) if body.tsa_token else None
    check_signatures(led, entry, body.claimants)

    def commit() -> None:
        led.claims[index] = ClaimState(index, list(body.claimants), body.commitment, entry.at, body.label, tsa_time)
        led.commitments[body.commitment] = index
        for party in body.claimants:
            led.claims_by_party.setdefault(party, []).append(index)

    return commit, []


def priority_commitment(salt: bytes, disclosure_sha256: bytes) -> str:
    """The claim's commitment: SHA-256(salt ‖ SHA-256(disclosure)), hex."""
    return hashlib.sha256(salt + disclosure_sha256).hexdigest()


def check_priority_reveal(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    claim = led.claims.get(body.claim)
    if claim is None:
        raise conflict("claim_unknown", claim=body.claim)
    if claim.revealed is not None:
        raise conflict("claim_revealed", claim=body.claim, at=claim.revealed)
    if priority_commitment(bytes.fromhex(body.salt), bytes.fromhex(body.disclosure_sha256)) != claim.commitment:
        raise integrity("reveal_mismatch", claim=body.claim)
    check_signatures(led, entry, claim.claimants, any_of=True)

    def commit() -> None:
        claim.revealed, claim.disclosure_sha256 = index, body.disclosure_sha256

    return commit, []


# ---- patents and contributions -----------------------------------------------------------------------------
def check_patent_record(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    if body.patent_no in led.patents:
        raise conflict("patent_exists", patent_no=body.patent_no, at=led.patents[body.patent_no].index)
    owners = check_shares(((h.party, h.share_bp) for h in body.owners), "owners")
    _unique(body.inventors, "inventors")
    _known(led, [*owners, *body.inventors, *([body.applicant] if body.applicant else [])])
    if body.expires_on <= body.filed_on:
        raise conflict("dates_reversed", what="filed_on/expires_on", start=body.filed_on, end=body.expires_on)
    if body.granted_on is not None and body.granted_on < body.filed_on:
        raise conflict("dates_reversed", what="filed_on/granted_on", start=body.filed_on, end=body.granted_on)
    for claim_index in body.priority_claims:
        claim = led.claims.get(claim_index)
        if claim is None:
            raise conflict("claim_unknown", claim=claim_index)
        for party in claim.claimants:
            if party not in owners and party not in body.inventors:
                raise conflict("claim_not_inventor", claim=claim_index, party=party)
    _office(led, entry)

    def commit() -> None:
        led.patents[body.patent_no] = PatentState(
            patent_no=body.patent_no, index=index, title=body.title, ipc=list(body.ipc), filed_on=body.filed_on,
            expires_on=body.expires_on, owners=owners, inventors=list(body.inventors), abstract=body.abstract,
            field=body.field, granted_on=body.granted_on, applicant=body.applicant,
            priority_claims=list(body.priority_claims),
        )

    return commit, [body.patent_no]


def check_contribution(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    if (body.patent_no is None) == (body.claim is None):
        raise conflict("subject_missing")
    if body.end < body.start:
        raise conflict("dates_reversed", what="contribution", start=body.start, end=body.end)
    if body.patent_no is not None:
        subject = body.patent_no
        people = _patent(led, body.patent_no).inventors
    else:
        claim = led.claims.get(body.claim)
        if claim is None:
            raise conflict("claim_unknown", claim=body.claim)
        subject, people = f"#{body.claim}", claim.claimants
    if body.contributor not in people:
        raise conflict("contributor_not_inventor", party=body.contributor, subject=subject)
    check_signatures(led, entry, [body.contributor])

    def commit() -> None:
        led.contributions[index] = body
        if body.patent_no is not None:
            led.patents[body.patent_no].contributions.setdefault(body.contributor, []).append(index)

    return commit, [body.patent_no] if body.patent_no else []


def _has_contribution(led: Ledger, patent: PatentState, party: str) -> bool:
    if patent.contributions.get(party):
        return True
    return any(
        c.contributor == party and c.claim is not None and c.claim in patent.priority_claims
        for c in led.contributions.values()
    )


def check_contribution_agreement(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    patent = _patent(led, body.patent_no)
    shares = check_shares(((h.party, h.share_bp) for h in body.shares), "contribution agreement")
    for party in shares:
        if party not in patent.inventors:
            raise conflict("contributor_not_inventor", party=party, subject=body.patent_no)
        if not _has_contribution(led, patent, party):
            raise conflict("contribution_missing", party=party, subject=body.patent_no)
    check_signatures(led, entry, list(shares))

    def commit() -> None:
        patent.agreement, patent.agreement_index = shares, index

    return commit, [body.patent_no]


# ---- evidence, citations, access ---------------------------------------------------------------------------
def check_evidence(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    key = (body.submitter, body.file_sha256)
    if key in led.evidence_keys:
        raise conflict("evidence_duplicate", party=body.submitter, at=led.evidence_keys[key])
    if body.patent_no is not None:
        _patent(led, body.patent_no)
    check_signatures(led, entry, [body.submitter])

    def commit() -> None:
        led.evidence[index] = EvidenceState(
            index, body.submitter, body.file_sha256, body.description, entry.at, body.patent_no
        )
        led.evidence_keys[key] = index

    return commit, [body.patent_no] if body.patent_no else []


def check_citation(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    citing = _patent(led, body.citing)
    if body.citing == body.cited:
        raise conflict("citation_self", patent_no=body.cited)
    key = (body.citing, body.cited)
    if key in led.citation_keys:
        raise conflict("citation_duplicate", citing=body.citing, cited=body.cited, at=led.citation_keys[key])
    cited = led.patents.get(body.cited)
    if cited is None and (not body.cited_ipc or body.cited_filed_on is None):
        raise conflict("citation_external", cited=body.cited)
    cited_on = cited.filed_on if cited is not None else body.cited_filed_on
    if cited_on is not None and cited_on > citing.filed_on:
        raise conflict("citation_later", cited=body.cited, cited_on=cited_on, citing_on=citing.filed_on)
    _office(led, entry)

    def commit() -> None:
        led.citations.append(
            CitationState(index, body.citing, body.cited, body.source, body.cited_ipc, body.cited_filed_on)
        )
        led.citation_keys[key] = index

    return commit, [body.citing, *([body.cited] if cited is not None else [])]


def holders_of(led: Ledger, item: int) -> list[str] | None:
    """Who controls a protected item (priority claim, evidence, contribution record); None if not one."""
    if item in led.claims:
        return list(led.claims[item].claimants)
    if item in led.evidence:
        return [led.evidence[item].submitter]
    if item in led.contributions:
        return [led.contributions[item].contributor]
    return None


def check_access_request(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    if holders_of(led, body.item) is None:
        raise conflict("item_not_protected", item=body.item)
    check_signatures(led, entry, [body.requester])

    def commit() -> None:
        led.access[index] = AccessState(index, body.requester, body.item, body.purpose)

    return commit, []


def check_access_grant(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    request = led.access.get(body.request)
    if request is None:
        raise conflict("request_unknown", request=body.request)
    if request.grant is not None:
        raise conflict("request_granted", request=body.request, at=request.grant)
    holders = holders_of(led, request.item) or []
    if body.grantor not in holders:
        raise conflict("grantor_not_holder", party=body.grantor, item=request.item, holders=", ".join(holders))
    if body.expires_at <= entry.at:
        raise conflict("grant_expired", grant=index, expires_at=body.expires_at)
    check_signatures(led, entry, [body.grantor])

    def commit() -> None:
        request.grant, request.grantor, request.expires_at = index, body.grantor, body.expires_at
        led.grants[index] = request.request

    return commit, []


def check_access(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    request_index = led.grants.get(body.grant)
    if request_index is None:
        raise conflict("grant_unknown", grant=body.grant)
    request = led.access[request_index]
    if body.accessor != request.requester:
        raise conflict("accessor_not_requester", party=body.accessor, grant=body.grant, requester=request.requester)
    assert request.expires_at is not None
    if entry.at >= request.expires_at:
        raise conflict("grant_expired", grant=body.grant, expires_at=request.expires_at)
    check_signatures(led, entry, [body.accessor])

    def commit() -> None:
        request.accesses.append(index)

    return commit, []
