"""Trading by contract, English auction, sealed-bid auction (commit–reveal) and tender; awards feed licences."""

from __future__ import annotations

import pytest

from industry_brain._core.errors import ConflictError, IntegrityError
from industry_brain.patents import seal_commitment
from industry_brain.patents._entries import format_instant

PN = "CN201910000001.1"


def refused(world, error, rule, type_, body, signers):  # type: ignore[no-untyped-def]
    size = world.state.size
    with pytest.raises(error) as info:
        world.submit(type_, body, signers)
    assert info.value.details["rule"] == rule, info.value.message
    assert world.state.size == size


def _at(world, **delta) -> str:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    return format_instant(world.now + timedelta(**delta))


LICENCE_TERMS = {"licence_kind": "exclusive", "territory": ["CN"], "fields": ["*"], "start": "2019-06-01",
                 "end": "2024-05-31"}


def _offer(world, mode, **extra):  # type: ignore[no-untyped-def]
    body = {"patent_no": PN, "sellers": ["alice", "bob"], "deal": "licence", "mode": mode, "price_fen": 1_000_000,
            "closes_at": _at(world, days=7), **LICENCE_TERMS, **extra}
    return world.submit("offer", body, ["alice", "bob"])


def test_english_auction_then_licence_from_award(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    offer = _offer(world, "english", min_increment_fen=50_000)
    refused(world, ConflictError, "bid_too_low", "bid", {"target": offer, "bidder": "dave", "amount_fen": 900_000},
            ["dave"])
    refused(world, ConflictError, "bid_by_seller", "bid", {"target": offer, "bidder": "alice", "amount_fen": 2_000_000},
            ["alice"])
    b1 = world.submit("bid", {"target": offer, "bidder": "dave", "amount_fen": 1_000_000}, ["dave"])
    refused(world, ConflictError, "bid_too_low", "bid", {"target": offer, "bidder": "erin", "amount_fen": 1_040_000},
            ["erin"])
    b2 = world.submit("bid", {"target": offer, "bidder": "erin", "amount_fen": 1_050_000}, ["erin"])
    refused(world, ConflictError, "trade_open", "award", {"target": offer, "bid": b2}, ["alice", "bob"])
    world.tick(days=8)
    refused(world, ConflictError, "trade_closed", "bid", {"target": offer, "bidder": "dave", "amount_fen": 2_000_000},
            ["dave"])
    refused(world, ConflictError, "award_not_best", "award", {"target": offer, "bid": b1}, ["alice", "bob"])
    award = world.submit("award", {"target": offer, "bid": b2}, ["alice", "bob"])
    assert world.led.trades[offer].winner == "erin"
    licence = {"patent_no": PN, "licensors": ["alice", "bob"], "kind": "exclusive", "territory": ["CN"],
               "fields": ["*"], "start": "2019-06-01", "end": "2024-05-31", "award": award}
    refused(world, ConflictError, "award_mismatch", "licence", {**licence, "licensee": "dave"}, ["alice", "bob", "dave"])
    lic = world.submit("licence", {**licence, "licensee": "erin"}, ["alice", "bob", "erin"])
    assert world.led.trades[offer].used_by == lic


def test_sealed_bid_auction(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    refused(world, ConflictError, "offer_terms", "offer",
            {"patent_no": PN, "sellers": ["alice", "bob"], "deal": "licence", "mode": "sealed", "price_fen": 1,
             "closes_at": _at(world, days=7), **LICENCE_TERMS}, ["alice", "bob"])
    offer = _offer(world, "sealed", reveal_until=_at(world, days=9))
    refused(world, ConflictError, "bid_mode", "bid", {"target": offer, "bidder": "dave", "amount_fen": 2_000_000},
            ["dave"])
    salts = {"dave": b"d" * 16, "erin": b"e" * 16}
    amounts = {"dave": 1_500_000, "erin": 1_200_000}
    sealed = {p: world.submit("sealed_bid", {"target": offer, "bidder": p,
                                             "commitment": seal_commitment(amounts[p], salts[p])}, [p])
              for p in ("dave", "erin")}
    refused(world, ConflictError, "seal_duplicate", "sealed_bid",
            {"target": offer, "bidder": "dave", "commitment": "00" * 32}, ["dave"])
    reveal = {"sealed": sealed["dave"], "amount_fen": amounts["dave"], "salt": salts["dave"].hex()}
    refused(world, ConflictError, "reveal_window", "bid_reveal", reveal, ["dave"])
    world.tick(days=7, hours=1)
    refused(world, IntegrityError, "seal_mismatch", "bid_reveal", {**reveal, "amount_fen": 9_999_999}, ["dave"])
    world.submit("bid_reveal", reveal, ["dave"])
    world.submit("bid_reveal", {"sealed": sealed["erin"], "amount_fen": amounts["erin"], "salt": salts["erin"].hex()},
                 ["erin"])
    refused(world, ConflictError, "trade_open", "award", {"target": offer, "bid": sealed["dave"]}, ["alice", "bob"])
    world.tick(days=2)
    refused(world, ConflictError, "award_not_best", "award", {"target": offer, "bid": sealed["erin"]}, ["alice", "bob"])
    world.submit("award", {"target": offer, "bid": sealed["dave"]}, ["alice", "bob"])
    assert world.led.trades[offer].amount_fen == 1_500_000


def test_contract_offer_accepts_any_bid_at_the_asking_price(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    offer = world.submit("offer", {"patent_no": PN, "sellers": ["bob"], "deal": "assignment", "mode": "contract",
                                   "price_fen": 500_000, "share_bp": 4000, "closes_at": _at(world, days=30)}, ["bob"])
    bid = world.submit("bid", {"target": offer, "bidder": "carol", "amount_fen": 500_000}, ["carol"])
    award = world.submit("award", {"target": offer, "bid": bid}, ["bob"])
    body = {"patent_no": PN, "assignors": [{"party": "bob", "share_bp": 4000}],
            "assignees": [{"party": "carol", "share_bp": 4000}], "price_fen": 500_000, "award": award}
    first = world.submit("assignment", body, ["bob", "carol"])
    again = {**body, "assignors": [{"party": "alice", "share_bp": 4000}]}
    refused(world, ConflictError, "award_used", "assignment", again, ["alice", "carol"])
    world.submit("decline", {"target": first, "reason": "价款未付"}, ["ipo"])  # a declined transfer frees the award
    world.submit("assignment", body, ["bob", "carol"])


def test_offer_refusals(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    base = {"patent_no": PN, "sellers": ["dave"], "deal": "assignment", "mode": "contract", "price_fen": 1,
            "share_bp": 1000, "closes_at": _at(world, days=3)}
    refused(world, ConflictError, "offer_not_owner", "offer", base, ["dave"])
    refused(world, ConflictError, "offer_terms", "offer", {**base, "sellers": ["bob"], "share_bp": None}, ["bob"])
    refused(world, ConflictError, "trade_closed", "offer", {**base, "sellers": ["bob"], "closes_at": _at(world, days=-1)},
            ["bob"])
    refused(world, ConflictError, "licensors_not_owners", "offer",
            {**base, "sellers": ["bob"], "deal": "licence", **LICENCE_TERMS}, ["bob"])


def test_tender(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    world.patent("CN201910000002.X", owners={"carol": 10000}, title="储能电池管理系统")
    tender = world.submit("tender", {"buyer": "dave", "title": "征集电池隔膜技术", "ipc": ["H01M"],
                                     "budget_fen": 3_000_000, "closes_at": _at(world, days=10)}, ["dave"])
    refused(world, ConflictError, "tender_patent", "bid",
            {"target": tender, "bidder": "erin", "amount_fen": 1, "patent_no": PN}, ["erin"])
    refused(world, ConflictError, "bid_over_budget", "bid",
            {"target": tender, "bidder": "carol", "amount_fen": 3_000_001, "patent_no": "CN201910000002.X"}, ["carol"])
    refused(world, ConflictError, "offer_terms", "bid", {"target": tender, "bidder": "carol", "amount_fen": 1},
            ["carol"])
    bid = world.submit("bid", {"target": tender, "bidder": "carol", "amount_fen": 2_500_000,
                               "patent_no": "CN201910000002.X"}, ["carol"])
    world.submit("bid", {"target": tender, "bidder": "alice", "amount_fen": 2_000_000, "patent_no": PN}, ["alice"])
    world.tick(days=11)
    award = world.submit("award", {"target": tender, "bid": bid}, ["dave"])  # the buyer may pick on merit
    world.submit("assignment", {"patent_no": "CN201910000002.X", "assignors": [{"party": "carol", "share_bp": 10000}],
                                "assignees": [{"party": "dave", "share_bp": 10000}], "award": award},
                 ["carol", "dave"])
