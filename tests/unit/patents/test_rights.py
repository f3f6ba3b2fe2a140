"""Priority, patent records, contributions, assignments, licences and royalties: every refusal by its rule code."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from industry_brain._core.errors import ConflictError, IntegrityError
from industry_brain.patents import priority_commitment, split_amount

PN = "CN201910000001.1"


def refused(world, error, rule, type_, body, signers):  # type: ignore[no-untyped-def]
    size = world.state.size
    with pytest.raises(error) as info:
        world.submit(type_, body, signers)
    assert info.value.details["rule"] == rule, info.value.message
    assert world.state.size == size
    return info.value


def assign(world, frm, to, signers=None):  # type: ignore[no-untyped-def]
    body = {"patent_no": PN, "assignors": [{"party": p, "share_bp": s} for p, s in frm.items()],
            "assignees": [{"party": p, "share_bp": s} for p, s in to.items()]}
    return body, signers or [*frm, *to]


def licence(kind="exclusive", territory=("CN",), fields=("*",), start="2019-06-01", end="2024-05-31",
            licensee="dave", **royalty):  # type: ignore[no-untyped-def]
    body = {"patent_no": PN, "licensors": ["alice", "bob"], "licensee": licensee, "kind": kind,
            "territory": list(territory), "fields": list(fields), "start": start, "end": end}
    if royalty:
        body["royalty"] = royalty
    return body


# ---- priority ----------------------------------------------------------------------------------------------
def test_priority_claim_and_reveal(world) -> None:  # type: ignore[no-untyped-def]
    salt, disclosure = b"s" * 32, hashlib.sha256("一种锂电池隔膜……".encode()).digest()
    commitment = priority_commitment(salt, disclosure)
    claim = world.submit("priority_claim", {"claimants": ["alice", "bob"], "commitment": commitment},
                         ["alice", "bob"])
    refused(world, ConflictError, "claim_duplicate", "priority_claim",
            {"claimants": ["carol"], "commitment": commitment}, ["carol"])
    refused(world, IntegrityError, "signature_missing", "priority_claim",
            {"claimants": ["alice", "bob"], "commitment": "ab" * 32}, ["alice"])
    refused(world, IntegrityError, "reveal_mismatch", "priority_reveal",
            {"claim": claim, "salt": (b"t" * 32).hex(), "disclosure_sha256": disclosure.hex()}, ["alice"])
    refused(world, ConflictError, "signer_unexpected", "priority_reveal",
            {"claim": claim, "salt": salt.hex(), "disclosure_sha256": disclosure.hex()}, ["carol"])
    world.submit("priority_reveal", {"claim": claim, "salt": salt.hex(), "disclosure_sha256": disclosure.hex()},
                 ["bob"])
    assert world.led.claims[claim].revealed is not None
    refused(world, ConflictError, "claim_revealed", "priority_reveal",
            {"claim": claim, "salt": salt.hex(), "disclosure_sha256": disclosure.hex()}, ["alice"])


TSA = Path(__file__).resolve().parents[3].parent / "shared/vectors/ledger/rfc3161_client_fixtures/test/fixtures"


def test_priority_claim_with_rfc3161_token(world, shared) -> None:  # type: ignore[no-untyped-def]
    token = (shared / "vectors/ledger/rfc3161_client_fixtures/test/fixtures/sigstage/response-sha256.tsr").read_bytes()
    b64 = base64.b64encode(token).decode()
    hello = hashlib.sha256(b"hello").hexdigest()  # the fixture stamps SHA-256("hello")
    refused(world, IntegrityError, "tsa_token_mismatch", "priority_claim",
            {"claimants": ["alice"], "commitment": "ab" * 32, "tsa_token": b64}, ["alice"])
    refused(world, IntegrityError, "tsa_token_invalid", "priority_claim",
            {"claimants": ["alice"], "commitment": hello, "tsa_token": base64.b64encode(b"not DER").decode()},
            ["alice"])
    claim = world.submit("priority_claim", {"claimants": ["alice"], "commitment": hello, "tsa_token": b64}, ["alice"])
    assert world.led.claims[claim].tsa_time == "2025-05-09T11:58:55Z"


# ---- patent records ----------------------------------------------------------------------------------------
def test_patent_record_rules(world) -> None:  # type: ignore[no-untyped-def]
    base = {"patent_no": PN, "title": "t", "ipc": ["H01M"], "filed_on": "2019-01-10", "expires_on": "2039-01-10",
            "inventors": ["alice"]}
    refused(world, ConflictError, "shares_not_100", "patent_record",
            {**base, "owners": [{"party": "alice", "share_bp": 6000}, {"party": "bob", "share_bp": 3000}]}, ["ipo"])
    refused(world, ConflictError, "party_repeated", "patent_record",
            {**base, "owners": [{"party": "alice", "share_bp": 5000}, {"party": "alice", "share_bp": 5000}]}, ["ipo"])
    refused(world, ConflictError, "party_unknown", "patent_record",
            {**base, "owners": [{"party": "zed", "share_bp": 10000}]}, ["ipo"])
    refused(world, ConflictError, "dates_reversed", "patent_record",
            {**base, "expires_on": "2018-01-01", "owners": [{"party": "alice", "share_bp": 10000}]}, ["ipo"])
    refused(world, ConflictError, "claim_unknown", "patent_record",
            {**base, "owners": [{"party": "alice", "share_bp": 10000}], "priority_claims": [1]}, ["ipo"])
    claim = world.submit("priority_claim", {"claimants": ["erin"], "commitment": "cd" * 32}, ["erin"])
    refused(world, ConflictError, "claim_not_inventor", "patent_record",
            {**base, "owners": [{"party": "alice", "share_bp": 10000}], "priority_claims": [claim]}, ["ipo"])
    world.patent()
    refused(world, ConflictError, "patent_exists", "patent_record",
            {**base, "owners": [{"party": "alice", "share_bp": 10000}]}, ["ipo"])


# ---- assignments -------------------------------------------------------------------------------------------
def test_assignment_effective_only_when_confirmed(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    a = world.submit("assignment", *assign(world, {"alice": 2000}, {"carol": 2000}))
    assert world.led.patents[PN].owners == {"alice": 6000, "bob": 4000}
    refused(world, ConflictError, "signer_unexpected", "confirm", {"target": a}, ["alice"])
    world.submit("confirm", {"target": a}, ["ipo"])
    assert world.led.patents[PN].owners == {"alice": 4000, "bob": 4000, "carol": 2000}
    refused(world, ConflictError, "target_settled", "confirm", {"target": a}, ["ipo"])
    refused(world, ConflictError, "target_unknown", "confirm", {"target": 1}, ["ipo"])


def test_assignment_refusals(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    refused(world, ConflictError, "assignor_not_owner", "assignment", *assign(world, {"dave": 1000}, {"carol": 1000}))
    refused(world, ConflictError, "assignor_share_short", "assignment",
            *assign(world, {"bob": 5000}, {"carol": 5000}))
    refused(world, ConflictError, "assignment_unbalanced", "assignment",
            *assign(world, {"alice": 1000}, {"carol": 2000}))
    refused(world, ConflictError, "assignment_self", "assignment",
            *assign(world, {"alice": 1000}, {"alice": 1000}))
    refused(world, IntegrityError, "signature_missing", "assignment",
            *assign(world, {"alice": 1000}, {"carol": 1000}, signers=["alice"]))
    refused(world, ConflictError, "patent_unknown", "assignment",
            {**assign(world, {"alice": 1000}, {"carol": 1000})[0], "patent_no": "CN000000"}, ["alice", "carol"])


def test_patent_already_transferred_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    first = world.submit("assignment", *assign(world, {"bob": 4000}, {"carol": 4000}))
    # double transfer while the first waits for the office
    error = refused(world, ConflictError, "already_transferred", "assignment",
                    *assign(world, {"bob": 4000}, {"dave": 4000}))
    assert error.details["reason"]["en"].endswith(f"entry #{first} (pending or effective)")
    world.submit("confirm", {"target": first}, ["ipo"])
    refused(world, ConflictError, "already_transferred", "assignment", *assign(world, {"bob": 4000}, {"dave": 4000}))


def test_declined_assignment_releases_the_share(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    first = world.submit("assignment", *assign(world, {"bob": 4000}, {"carol": 4000}))
    world.submit("decline", {"target": first, "reason": "合同条款不全"}, ["ipo"])
    second = world.submit("assignment", *assign(world, {"bob": 4000}, {"dave": 4000}))
    world.submit("confirm", {"target": second}, ["ipo"])
    assert world.led.patents[PN].owners == {"alice": 6000, "dave": 4000}


def test_lapsed_patent_cannot_be_assigned(world) -> None:  # type: ignore[no-untyped-def]
    world.patent(expires_on="2019-02-01")
    refused(world, ConflictError, "patent_lapsed", "assignment", *assign(world, {"alice": 1000}, {"carol": 1000}))


# ---- licences ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("first", "second", "overlaps"),
    [
        (licence(), licence(kind="non_exclusive", territory=["330100"], fields=["G06F"], licensee="erin"), True),
        (licence(territory=["33"]), licence(territory=["44"], licensee="erin"), False),
        (licence(territory=["330000"]), licence(territory=["330106"], licensee="erin"), True),
        (licence(fields=["H01M"]), licence(fields=["G06F"], licensee="erin"), False),
        (licence(fields=["H01"]), licence(fields=["H01M"], licensee="erin"), True),
        (licence(end="2020-12-31"), licence(start="2021-01-01", end="2022-01-01", licensee="erin"), False),
        (licence(kind="non_exclusive"), licence(kind="non_exclusive", licensee="erin"), False),
        (licence(kind="sole"), licence(kind="sole", licensee="erin"), True),
        (licence(kind="sole"), licence(kind="non_exclusive", licensee="erin"), True),
        (licence(fields=["energy_storage"]), licence(fields=["vehicles"], licensee="erin"), False),
    ],
)
def test_licence_overlap(world, first, second, overlaps) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    lic = world.submit("licence", first, ["alice", "bob", first["licensee"]])
    world.submit("confirm", {"target": lic}, ["ipo"])
    if overlaps:
        error = refused(world, ConflictError, "licence_overlap", "licence", second, ["alice", "bob", "erin"])
        assert f"#{lic}" in error.details["reason"]["en"]
    else:
        world.submit("licence", second, ["alice", "bob", "erin"])


def test_pending_licence_also_blocks_overlap(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    world.submit("licence", licence(), ["alice", "bob", "dave"])
    refused(world, ConflictError, "licence_overlap", "licence", licence(licensee="erin"), ["alice", "bob", "erin"])


def test_licence_refusals(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    refused(world, ConflictError, "licence_expired", "licence", licence(start="2017-01-01", end="2018-12-31"),
            ["alice", "bob", "dave"])
    refused(world, ConflictError, "licence_beyond_patent", "licence", licence(end="2040-01-01"),
            ["alice", "bob", "dave"])
    refused(world, ConflictError, "licensors_not_owners", "licence", {**licence(), "licensors": ["alice"]},
            ["alice", "dave"])
    refused(world, ConflictError, "dates_reversed", "licence", licence(start="2024-01-01", end="2023-01-01"),
            ["alice", "bob", "dave"])
    refused(world, ConflictError, "no_agreement", "licence", licence(split="contribution"), ["alice", "bob", "dave"])


def test_licence_that_expired_before_confirmation_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    lic = world.submit("licence", licence(start="2019-03-01", end="2019-03-31"), ["alice", "bob", "dave"])
    world.tick(days=40)
    refused(world, ConflictError, "licence_expired", "confirm", {"target": lic}, ["ipo"])


# ---- royalties ---------------------------------------------------------------------------------------------
def _confirmed_licence(world, **royalty):  # type: ignore[no-untyped-def]
    lic = world.submit("licence", licence(**royalty), ["alice", "bob", "dave"])
    world.submit("confirm", {"target": lic}, ["ipo"])
    return lic


def _pay(lic, amount, shares, payer="dave", start="2019-06-01", end="2019-12-31"):  # type: ignore[no-untyped-def]
    return {"licence": lic, "payer": payer, "amount_fen": amount, "period_start": start, "period_end": end,
            "distribution": [{"party": p, "amount_fen": a} for p, a in split_amount(amount, shares)]}


def test_royalty_split_by_owner_shares(world) -> None:  # type: ignore[no-untyped-def]
    world.patent(owners={"alice": 5000, "bob": 3000, "carol": 2000})
    lic = world.submit("licence", {**licence(), "licensors": ["alice", "bob", "carol"]},
                       ["alice", "bob", "carol", "dave"])
    world.submit("confirm", {"target": lic}, ["ipo"])
    shares = [("alice", 5000), ("bob", 3000), ("carol", 2000)]
    world.submit("royalty_payment", _pay(lic, 100_001, shares), ["dave"])
    balances = {k: (b.received_fen, b.paid_fen) for k, b in world.led.balances.items()}
    assert balances == {"dave": (0, 100_001), "alice": (50_001, 0), "bob": (30_000, 0), "carol": (20_000, 0)}


def test_royalty_refusals(world) -> None:  # type: ignore[no-untyped-def]
    world.patent()
    lic = _confirmed_licence(world)
    shares = [("alice", 6000), ("bob", 4000)]
    bad = _pay(lic, 1000, shares)
    bad["distribution"] = [{"party": "alice", "amount_fen": 500}, {"party": "bob", "amount_fen": 500}]
    refused(world, ConflictError, "distribution_mismatch", "royalty_payment", bad, ["dave"])
    refused(world, ConflictError, "payer_not_licensee", "royalty_payment", _pay(lic, 1000, shares, payer="erin"),
            ["erin"])
    refused(world, ConflictError, "period_outside_licence", "royalty_payment",
            _pay(lic, 1000, shares, start="2024-01-01", end="2024-12-31"), ["dave"])
    refused(world, ConflictError, "licence_unknown", "royalty_payment", _pay(1, 1000, shares), ["dave"])


def test_royalty_split_by_contribution_agreement(world) -> None:  # type: ignore[no-untyped-def]
    world.patent(owners={"carol": 10000}, inventors=["alice", "bob"])
    contribution = {"patent_no": PN, "start": "2018-01-01", "end": "2018-12-31", "record_sha256": "ef" * 32}
    agreement = {"patent_no": PN, "shares": [{"party": "alice", "share_bp": 7000}, {"party": "bob", "share_bp": 3000}]}
    refused(world, ConflictError, "contributor_not_inventor", "contribution", {**contribution, "contributor": "dave"},
            ["dave"])
    refused(world, ConflictError, "subject_missing", "contribution",
            {**contribution, "contributor": "alice", "claim": 3}, ["alice"])
    world.submit("contribution", {**contribution, "contributor": "alice"}, ["alice"])
    refused(world, ConflictError, "contribution_missing", "contribution_agreement", agreement, ["alice", "bob"])
    world.submit("contribution", {**contribution, "contributor": "bob"}, ["bob"])
    refused(world, ConflictError, "shares_not_100", "contribution_agreement",
            {"patent_no": PN, "shares": [{"party": "alice", "share_bp": 7000}]}, ["alice"])
    world.submit("contribution_agreement", agreement, ["alice", "bob"])
    lic = world.submit("licence", {**licence(split="contribution"), "licensors": ["carol"]}, ["carol", "dave"])
    world.submit("confirm", {"target": lic}, ["ipo"])
    world.submit("royalty_payment", _pay(lic, 999, [("alice", 7000), ("bob", 3000)]), ["dave"])
    assert world.led.balances["alice"].received_fen == 699
    assert world.led.balances["bob"].received_fen == 300
