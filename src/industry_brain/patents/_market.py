"""Rules for assignments, licences, the office's confirmation, royalties and trading (contract, auctions, tender).

Assignments and licences are signed by every party and take effect only when the IP office confirms them
(``confirm``) — until then the assigned share is reserved, so the same share cannot be transferred twice.
Licence overlap: two licences of one patent conflict when their territory × field of use × term boxes
intersect and at least one is exclusive, or both are sole (a non-exclusive licence conflicts with a sole one,
which promises the licensee no other licensee). Territories are GB/T 2260 codes or ``CN`` (a code contains
the codes it prefixes, trailing ``00`` pairs dropped); fields are ``*``, an IPC prefix, or a named field.
"""

from __future__ import annotations

import hashlib
from typing import Any

from industry_brain.patents._entries import Entry
from industry_brain.patents._messages import conflict, integrity
from industry_brain.patents._records import BidState, Ledger, PatentState, TradeState, TransferState
from industry_brain.patents._royalty import split_amount
from industry_brain.patents._rules import Checked, _known, _patent, check_signatures


def _in_force(patent: PatentState, entry: Entry) -> None:
    if not patent.in_force(entry.day):
        raise conflict("patent_lapsed", patent_no=patent.patent_no, expires_on=patent.expires_on)


# ---- assignment --------------------------------------------------------------------------------------------
def _check_assignor(led: Ledger, patent: PatentState, party: str, share: int) -> None:
    held = patent.owners.get(party, 0)
    free = led.free_share(patent.patent_no, party)
    if free >= share:
        return
    pending = led.reserved.get((patent.patent_no, party), {})
    if pending and held >= share:
        raise conflict("already_transferred", patent_no=patent.patent_no, party=party, at=max(pending))
    if held == 0 and party in patent.transferred_by:
        raise conflict("already_transferred", patent_no=patent.patent_no, party=party,
                       at=patent.transferred_by[party])
    if held == 0:
        raise conflict("assignor_not_owner", party=party, patent_no=patent.patent_no)
    raise conflict("assignor_share_short", party=party, patent_no=patent.patent_no, held=free, wanted=share)


def check_assignment(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    patent = _patent(led, body.patent_no)
    _in_force(patent, entry)
    given = {}
    for h in body.assignors:
        if h.party in given:
            raise conflict("party_repeated", party=h.party, what="assignors")
        given[h.party] = h.share_bp
    taken = {}
    for h in body.assignees:
        if h.party in taken:
            raise conflict("party_repeated", party=h.party, what="assignees")
        if h.party in given:
            raise conflict("assignment_self", party=h.party)
        taken[h.party] = h.share_bp
    if sum(given.values()) != sum(taken.values()):
        raise conflict("assignment_unbalanced", given=sum(given.values()), taken=sum(taken.values()))
    _known(led, taken)
    for party, share in given.items():
        _check_assignor(led, patent, party, share)
    if body.award is not None:
        trade = _award_trade(led, body.award)
        patent_no, buyer = _award_deal(led, trade)
        deal_ok = trade.kind == "tender" or trade.body.deal == "assignment"
        if not deal_ok or patent_no != body.patent_no or buyer not in taken:
            raise conflict("award_mismatch", award=body.award, detail="deal, patent or buyer")
    check_signatures(led, entry, [*given, *taken])

    def commit() -> None:
        led.transfers[index] = TransferState(index, "assignment", body.patent_no, body)
        for party, share in given.items():
            led.reserved.setdefault((body.patent_no, party), {})[index] = share
        if body.award is not None:
            led.trades[_award_trade_index(led, body.award)].used_by = index

    return commit, [body.patent_no]


def _award_trade_index(led: Ledger, award: int) -> int:
    for trade in led.trades.values():
        if trade.award == award:
            return trade.index
    raise conflict("award_mismatch", award=award, detail="no such award")


def _award_deal(led: Ledger, trade: TradeState) -> tuple[str | None, str | None]:
    """(patent, buyer) an award settled: the offer's patent and its winner, or the tender's winning patent and buyer."""
    if trade.kind == "offer":
        return trade.body.patent_no, trade.winner
    bid = led.bids[trade.winning_bid] if trade.winning_bid is not None else None
    return (bid.patent_no if bid else None), trade.principals[0]


def _award_trade(led: Ledger, award: int) -> TradeState:
    trade = led.trades[_award_trade_index(led, award)]
    if trade.used_by is not None:
        raise conflict("award_used", award=award, at=trade.used_by)
    return trade


# ---- licences ----------------------------------------------------------------------------------------------
def _region_key(code: str) -> str:
    if code == "CN":
        return ""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def _overlap_regions(a: list[str], b: list[str]) -> str | None:
    for x in a:
        for y in b:
            kx, ky = _region_key(x), _region_key(y)
            if kx.startswith(ky) or ky.startswith(kx):
                return x if len(kx) >= len(ky) else y
    return None


def _overlap_fields(a: list[str], b: list[str]) -> str | None:
    for x in a:
        for y in b:
            if x == "*" or y == "*":
                return y if x == "*" else x
            named = x[0].islower() or y[0].islower()
            if (named and x == y) or (not named and (x.startswith(y) or y.startswith(x))):
                return x if len(x) >= len(y) else y
    return None


def _kinds_conflict(a: str, b: str) -> bool:
    return not (a == "non_exclusive" and b == "non_exclusive")


def licence_overlap(led: Ledger, body: object, patent_no: str) -> None:
    """Refuse a licence whose territory × field × term box meets a conflicting licence's box."""
    for other in led.transfers.values():
        if other.kind != "licence" or other.patent_no != patent_no or other.status == "declined":
            continue
        o = other.body
        if not _kinds_conflict(body.kind, o.kind):  # type: ignore[attr-defined]
            continue
        start = max(body.start, o.start)  # type: ignore[attr-defined]
        end = min(body.end, o.end)  # type: ignore[attr-defined]
        if start > end:
            continue
        region = _overlap_regions(body.territory, o.territory)  # type: ignore[attr-defined]
        field = _overlap_fields(body.fields, o.fields)  # type: ignore[attr-defined]
        if region is not None and field is not None:
            raise conflict("licence_overlap", other=other.index, other_kind=o.kind, territory=region,
                           field=field, start=start, end=end)


def check_licence(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    patent = _patent(led, body.patent_no)
    _in_force(patent, entry)
    if len(set(body.licensors)) != len(body.licensors):
        raise conflict("party_repeated", party=body.licensors[0], what="licensors")
    if set(body.licensors) != set(patent.owners):
        raise conflict("licensors_not_owners", licensors=", ".join(sorted(body.licensors)),
                       owners=", ".join(sorted(patent.owners)), patent_no=body.patent_no)
    if body.licensee in body.licensors:
        raise conflict("assignment_self", party=body.licensee)
    _known(led, [body.licensee])
    if body.end < body.start:
        raise conflict("dates_reversed", what="licence", start=body.start, end=body.end)
    if body.end < entry.day:
        raise conflict("licence_expired", start=body.start, end=body.end, today=entry.day)
    if body.end > patent.expires_on:
        raise conflict("licence_beyond_patent", end=body.end, expires_on=patent.expires_on)
    if body.royalty.split == "contribution" and patent.agreement is None:
        raise conflict("no_agreement", patent_no=body.patent_no)
    licence_overlap(led, body, body.patent_no)
    trade_index = None
    if body.award is not None:
        trade = _award_trade(led, body.award)
        trade_index = trade.index
        t = trade.body
        patent_no, buyer = _award_deal(led, trade)
        problems = []
        if patent_no != body.patent_no or (trade.kind == "offer" and t.deal != "licence"):
            problems.append("deal/patent")
        elif trade.kind == "offer" and (t.licence_kind, t.territory, t.fields) != (body.kind, body.territory, body.fields):
            problems.append("kind/territory/fields")
        elif trade.kind == "offer" and (t.start, t.end) != (body.start, body.end):
            problems.append("term")
        if buyer != body.licensee:
            problems.append(f"buyer {buyer!r}")
        if problems:
            raise conflict("award_mismatch", award=body.award, detail=", ".join(problems))
    check_signatures(led, entry, [*body.licensors, body.licensee])

    def commit() -> None:
        led.transfers[index] = TransferState(index, "licence", body.patent_no, body)
        if trade_index is not None:
            led.trades[trade_index].used_by = index

    return commit, [body.patent_no]


# ---- the office settles ------------------------------------------------------------------------------------
def _pending(led: Ledger, target: int) -> TransferState:
    transfer = led.transfers.get(target)
    if transfer is None:
        raise conflict("target_unknown", target=target)
    if transfer.status != "pending":
        raise conflict("target_settled", target=target, at=transfer.settled, state=transfer.status)
    return transfer


def _release(led: Ledger, transfer: TransferState) -> None:
    for h in transfer.body.assignors:
        held = led.reserved.get((transfer.patent_no, h.party), {})
        held.pop(transfer.index, None)
        if not held:
            led.reserved.pop((transfer.patent_no, h.party), None)


def check_confirm(led: Ledger, entry: Entry, index: int) -> Checked:
    transfer = _pending(led, entry.body.target)
    patent = led.patents[transfer.patent_no]
    _in_force(patent, entry)
    if transfer.kind == "licence" and transfer.body.end < entry.day:
        b = transfer.body
        raise conflict("licence_expired", start=b.start, end=b.end, today=entry.day)
    if transfer.kind == "licence" and set(transfer.body.licensors) != set(patent.owners):
        raise conflict("licensors_not_owners", licensors=", ".join(sorted(transfer.body.licensors)),
                       owners=", ".join(sorted(patent.owners)), patent_no=patent.patent_no)
    assert led.office is not None
    check_signatures(led, entry, [led.office])

    def commit() -> None:
        transfer.status, transfer.settled = "confirmed", index
        if transfer.kind == "assignment":
            _release(led, transfer)
            for h in transfer.body.assignors:
                left = patent.owners[h.party] - h.share_bp
                if left:
                    patent.owners[h.party] = left
                else:
                    del patent.owners[h.party]
                    patent.transferred_by[h.party] = transfer.index
            for h in transfer.body.assignees:
                patent.owners[h.party] = patent.owners.get(h.party, 0) + h.share_bp

    return commit, [transfer.patent_no]


def check_decline(led: Ledger, entry: Entry, index: int) -> Checked:
    transfer = _pending(led, entry.body.target)
    assert led.office is not None
    check_signatures(led, entry, [led.office])

    def commit() -> None:
        transfer.status, transfer.settled = "declined", index
        if transfer.kind == "assignment":
            _release(led, transfer)
        for trade in led.trades.values():
            if trade.used_by == transfer.index:
                trade.used_by = None

    return commit, [transfer.patent_no]


# ---- royalties ---------------------------------------------------------------------------------------------
def royalty_shares(led: Ledger | Any, licence: TransferState) -> list[tuple[str, int]]:
    """Who shares a royalty under ``licence`` now, in a fixed order (party id): owners or the agreement."""
    led = getattr(led, "ledger", led)
    patent = led.patents[licence.patent_no]
    if licence.body.royalty.split == "contribution":
        if patent.agreement is None:
            raise conflict("no_agreement", patent_no=patent.patent_no)
        return sorted(patent.agreement.items())
    return sorted(patent.owners.items())


def check_royalty_payment(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    licence = led.transfers.get(body.licence)
    if licence is None or licence.kind != "licence" or licence.status != "confirmed":
        raise conflict("licence_unknown", licence=body.licence)
    lic = licence.body
    if body.payer != lic.licensee:
        raise conflict("payer_not_licensee", party=body.payer, licence=body.licence, licensee=lic.licensee)
    if body.period_end < body.period_start:
        raise conflict("dates_reversed", what="payment period", start=body.period_start, end=body.period_end)
    if body.period_start < lic.start or body.period_end > lic.end:
        raise conflict("period_outside_licence", start=body.period_start, end=body.period_end,
                       lstart=lic.start, lend=lic.end)
    expected = [(p, a) for p, a in split_amount(body.amount_fen, royalty_shares(led, licence)) if a]
    given: dict[str, int] = {}
    for payout in body.distribution:
        if payout.party in given:
            raise conflict("party_repeated", party=payout.party, what="distribution")
        if payout.amount_fen:
            given[payout.party] = payout.amount_fen
    if given != dict(expected):
        raise conflict("distribution_mismatch", given=sorted(given.items()), expected=expected)
    check_signatures(led, entry, [body.payer])

    def commit() -> None:
        led.balance(body.payer).paid_fen += body.amount_fen
        for party, amount in expected:
            led.balance(party).received_fen += amount
        led.payments.append(index)

    return commit, [licence.patent_no]


# ---- trading -----------------------------------------------------------------------------------------------
def check_offer(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    patent = _patent(led, body.patent_no)
    _in_force(patent, entry)
    if len(set(body.sellers)) != len(body.sellers):
        raise conflict("party_repeated", party=body.sellers[0], what="sellers")
    if body.closes_at <= entry.at:
        raise conflict("trade_closed", target=index, closes_at=body.closes_at)
    if body.mode == "sealed" and (body.reveal_until is None or body.reveal_until <= body.closes_at):
        raise conflict("offer_terms", detail="a sealed-bid auction needs reveal_until after closes_at")
    if body.deal == "licence":
        if set(body.sellers) != set(patent.owners):
            raise conflict("licensors_not_owners", licensors=", ".join(sorted(body.sellers)),
                           owners=", ".join(sorted(patent.owners)), patent_no=body.patent_no)
        missing = [n for n in ("licence_kind", "territory", "fields", "start", "end") if getattr(body, n) in (None, [])]
        if missing:
            raise conflict("offer_terms", detail="licence offer lacks " + ", ".join(missing))
        if body.end < body.start:
            raise conflict("dates_reversed", what="offer", start=body.start, end=body.end)
        if body.end < entry.day:
            raise conflict("licence_expired", start=body.start, end=body.end, today=entry.day)
        if body.end > patent.expires_on:
            raise conflict("licence_beyond_patent", end=body.end, expires_on=patent.expires_on)
        licence_overlap(led, _OfferTerms(body), body.patent_no)
    else:
        if body.share_bp is None:
            raise conflict("offer_terms", detail="an assignment offer needs share_bp")
        free = sum(max(led.free_share(body.patent_no, p), 0) for p in body.sellers)
        for party in body.sellers:
            if patent.owners.get(party, 0) == 0:
                raise conflict("offer_not_owner", party=party, patent_no=body.patent_no)
        if free < body.share_bp:
            raise conflict("offer_not_owner", party=", ".join(body.sellers), patent_no=body.patent_no)
    check_signatures(led, entry, body.sellers)

    def commit() -> None:
        led.trades[index] = TradeState(index, "offer", body, list(body.sellers))

    return commit, [body.patent_no]


class _OfferTerms:
    """A licence offer's terms seen as a licence, for the overlap check."""

    def __init__(self, offer: object) -> None:
        self.kind = offer.licence_kind  # type: ignore[attr-defined]
        self.territory = offer.territory  # type: ignore[attr-defined]
        self.fields = offer.fields  # type: ignore[attr-defined]
        self.start = offer.start  # type: ignore[attr-defined]
        self.end = offer.end  # type: ignore[attr-defined]


def check_tender(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    _known(led, [body.buyer])
    if body.closes_at <= entry.at:
        raise conflict("trade_closed", target=index, closes_at=body.closes_at)
    check_signatures(led, entry, [body.buyer])

    def commit() -> None:
        led.trades[index] = TradeState(index, "tender", body, [body.buyer])

    return commit, []


def _open_trade(led: Ledger, target: int, entry: Entry) -> TradeState:
    trade = led.trades.get(target)
    if trade is None:
        raise conflict("trade_unknown", target=target)
    if trade.status != "open" or entry.at >= trade.body.closes_at:
        raise conflict("trade_closed", target=target, closes_at=trade.body.closes_at)
    return trade


def _mode(trade: TradeState) -> str:
    return "tender" if trade.kind == "tender" else str(trade.body.mode)


def _best_bid(led: Ledger, trade: TradeState) -> BidState | None:
    valid = [led.bids[i] for i in trade.bids if led.bids[i].amount_fen is not None]
    if not valid:
        return None
    return max(valid, key=lambda b: (b.amount_fen, -b.index))


def check_bid(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    trade = _open_trade(led, body.target, entry)
    mode = _mode(trade)
    if mode == "sealed":
        raise conflict("bid_mode", target=body.target, mode=mode, type=entry.type)
    if body.bidder in trade.principals:
        raise conflict("bid_by_seller", party=body.bidder)
    if mode == "tender":
        if body.patent_no is None:
            raise conflict("offer_terms", detail="a tender bid names the patent it offers (patent_no)")
        patent = _patent(led, body.patent_no)
        _in_force(patent, entry)
        if patent.owners.get(body.bidder, 0) == 0:
            raise conflict("tender_patent", party=body.bidder, patent_no=body.patent_no)
        if body.amount_fen > trade.body.budget_fen:
            raise conflict("bid_over_budget", amount=body.amount_fen, budget=trade.body.budget_fen)
    else:
        if body.patent_no is not None and body.patent_no != trade.body.patent_no:
            raise conflict("offer_terms", detail=f"bid names patent {body.patent_no!r}, the offer is for another")
        minimum = trade.body.price_fen
        best = _best_bid(led, trade)
        if mode == "english" and best is not None:
            minimum = max(minimum, (best.amount_fen or 0) + trade.body.min_increment_fen)
        if body.amount_fen < minimum:
            raise conflict("bid_too_low", amount=body.amount_fen, minimum=minimum)
    check_signatures(led, entry, [body.bidder])

    def commit() -> None:
        led.bids[index] = BidState(index, body.target, body.bidder, body.amount_fen, body.patent_no)
        trade.bids.append(index)

    return commit, [body.patent_no] if body.patent_no else [trade.body.patent_no] if trade.kind == "offer" else []


def seal_commitment(amount_fen: int, salt: bytes) -> str:
    """A sealed bid's commitment: SHA-256(salt ‖ decimal amount in ASCII), hex."""
    return hashlib.sha256(salt + str(amount_fen).encode("ascii")).hexdigest()


def check_sealed_bid(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    trade = _open_trade(led, body.target, entry)
    if _mode(trade) != "sealed":
        raise conflict("bid_mode", target=body.target, mode=_mode(trade), type=entry.type)
    if body.bidder in trade.principals:
        raise conflict("bid_by_seller", party=body.bidder)
    if body.bidder in trade.sealed_by:
        raise conflict("seal_duplicate", party=body.bidder, at=trade.sealed_by[body.bidder])
    check_signatures(led, entry, [body.bidder])

    def commit() -> None:
        led.bids[index] = BidState(index, body.target, body.bidder, None, sealed=True, commitment=body.commitment)
        trade.bids.append(index)
        trade.sealed_by[body.bidder] = index

    return commit, [trade.body.patent_no]


def check_bid_reveal(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    bid = led.bids.get(body.sealed)
    if bid is None or not bid.sealed:
        raise conflict("bid_unknown", bid=body.sealed, target="?")
    trade = led.trades[bid.target]
    t = trade.body
    if not (t.closes_at <= entry.at < t.reveal_until) or trade.status != "open":
        raise conflict("reveal_window", closes_at=t.closes_at, reveal_until=t.reveal_until)
    if bid.revealed is not None:
        raise conflict("claim_revealed", claim=body.sealed, at=bid.revealed)
    if seal_commitment(body.amount_fen, bytes.fromhex(body.salt)) != bid.commitment:
        raise integrity("seal_mismatch", bid=body.sealed)
    check_signatures(led, entry, [bid.bidder])

    def commit() -> None:
        bid.amount_fen, bid.revealed = body.amount_fen, index

    return commit, [t.patent_no]


def check_award(led: Ledger, entry: Entry, index: int) -> Checked:
    body = entry.body
    trade = led.trades.get(body.target)
    if trade is None:
        raise conflict("trade_unknown", target=body.target)
    t = trade.body
    if trade.status != "open":
        raise conflict("trade_closed", target=body.target, closes_at=t.closes_at)
    bid = led.bids.get(body.bid)
    if bid is None or bid.target != body.target:
        raise conflict("bid_unknown", bid=body.bid, target=body.target)
    mode = _mode(trade)
    if mode in ("english", "sealed", "tender"):
        ends = t.reveal_until if mode == "sealed" else t.closes_at
        if entry.at < ends:
            raise conflict("trade_open", target=body.target, closes_at=ends)
    if bid.amount_fen is None:
        raise conflict("bid_unknown", bid=body.bid, target=body.target)
    if mode in ("english", "sealed"):
        best = _best_bid(led, trade)
        if best is None or best.amount_fen is None or best.amount_fen < t.price_fen:
            raise conflict("award_no_bids", target=body.target)
        if best.index != bid.index:
            raise conflict("award_not_best", mode=mode, best=best.index, amount=best.amount_fen, bid=bid.index)
    check_signatures(led, entry, trade.principals)

    def commit() -> None:
        trade.status, trade.award, trade.winner = "awarded", index, bid.bidder
        trade.winning_bid, trade.amount_fen = bid.index, bid.amount_fen

    return commit, [t.patent_no] if trade.kind == "offer" else [bid.patent_no] if bid.patent_no else []
