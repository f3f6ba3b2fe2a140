"""The magazine's whole story through the real ``ib`` CLI: priority, record, assignment, auctioned exclusive
licence, royalties split, infringement evidence proved to a third party holding only a proof bundle."""

from __future__ import annotations

import json
import shutil
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

PN = "CN201910123456.7"


def _ok(result):  # type: ignore[no-untyped-def]
    assert result.returncode == 0, result.stderr + result.stdout
    return result.json()


def _draft(folder: Path, name: str, type_: str, body: dict) -> Path:  # type: ignore[type-arg]
    path = folder / f"{name}.json"
    path.write_text(json.dumps({"type": type_, "body": body}, ensure_ascii=False), encoding="utf-8")
    return path


def _instant(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_patent_story_end_to_end(run_ib, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log, keys, work = tmp_path / "log", tmp_path / "keys", tmp_path / "drafts"
    work.mkdir()
    init = _ok(run_ib("patents", "init", "--log", log, "--keys", keys, "--json"))
    vkey = init["verifier_key"]

    def submit(name: str, type_: str, body: dict, *signers: str) -> dict:  # type: ignore[type-arg]
        args = [a for s in signers for a in ("--key", keys / f"{s}.key")]
        return _ok(run_ib("patents", "submit", _draft(work, name, type_, body), "--log", log,
                          "--log-key", keys / "log.skey", *args, "--json"))

    # parties: co-inventors 张三 (alice) and 李四 (bob), an enterprise (carol), two bidders (dave, erin)
    for party in ("alice", "bob", "carol", "dave", "erin"):
        gen = _ok(run_ib("patents", "keygen", party, "--out", keys, "--json"))
        submit(f"reg_{party}", "key_register", gen["register_draft"]["body"], "ipo", party)

    # 1. the co-inventors claim priority without disclosing the invention
    disclosure = tmp_path / "disclosure.txt"
    disclosure.write_text("一种锂离子电池隔膜的制备方法：以聚乙烯微孔膜为基材，双面涂覆陶瓷浆料……", encoding="utf-8")
    made = _ok(run_ib("patents", "commit", disclosure, "--claimant", "alice", "--claimant", "bob",
                      "--secret-out", tmp_path / "secret.json", "--json"))
    claim = submit("claim", "priority_claim", made["draft"]["body"], "alice", "bob")["index"]
    for party in ("alice", "bob"):
        submit(f"contrib_{party}", "contribution", {"contributor": party, "claim": claim, "start": "2018-03-01",
                                                    "end": "2018-12-31", "record_sha256": "ab" * 32}, party)

    # 2. the office records the patent (owners 60 % / 40 %) and the inventors agree their contribution shares
    today = date.today()
    submit("record", "patent_record", {
        "patent_no": PN, "title": "一种锂离子电池隔膜的制备方法", "ipc": ["H01M 50/403", "H01M 50/446"],
        "field": "new_energy", "filed_on": "2019-05-20", "expires_on": "2039-05-20",
        "owners": [{"party": "alice", "share_bp": 6000}, {"party": "bob", "share_bp": 4000}],
        "inventors": ["alice", "bob"], "priority_claims": [claim]}, "ipo")
    submit("agreement", "contribution_agreement", {"patent_no": PN, "shares": [
        {"party": "alice", "share_bp": 6000}, {"party": "bob", "share_bp": 4000}]}, "alice", "bob")

    # 3. alice assigns 20 % to carol: alice signs the draft offline, carol adds her signature and submits
    assignment = _draft(work, "assign", "assignment", {
        "patent_no": PN, "assignors": [{"party": "alice", "share_bp": 2000}],
        "assignees": [{"party": "carol", "share_bp": 2000}], "price_fen": 30_000_000})
    signed = work / "assign.signed.json"
    _ok(run_ib("patents", "sign", assignment, "--key", keys / "alice.key", "-o", signed, "--json"))
    a = _ok(run_ib("patents", "submit", signed, "--key", keys / "carol.key", "--log", log,
                   "--log-key", keys / "log.skey", "--json"))
    assert sorted(s["party"] for s in a["entry"]["sigs"]) == ["alice", "carol"]
    # not effective until the office confirms; meanwhile the same share cannot go elsewhere
    refused = run_ib("patents", "submit", _draft(work, "double", "assignment", {
        "patent_no": PN, "assignors": [{"party": "alice", "share_bp": 6000}],
        "assignees": [{"party": "dave", "share_bp": 6000}]}), "--log", log, "--log-key", keys / "log.skey",
        "--key", keys / "alice.key", "--key", keys / "dave.key", "--json")
    assert refused.returncode == 2 and refused.json()["error"]["details"]["rule"] == "already_transferred"
    submit("confirm_assign", "confirm", {"target": a["index"]}, "ipo")

    # 4. an exclusive licence is auctioned (English auction) by all three owners
    start, end = today.isoformat(), (today + timedelta(days=3 * 365)).isoformat()
    terms = {"licence_kind": "exclusive", "territory": ["330000"], "fields": ["*"], "start": start, "end": end}
    closes = _instant(12)  # long enough for three bids through subprocesses on a busy machine
    offer = submit("offer", "offer", {"patent_no": PN, "sellers": ["alice", "bob", "carol"], "deal": "licence",
                                      "mode": "english", "price_fen": 1_000_000, "min_increment_fen": 100_000,
                                      "closes_at": closes, **terms}, "alice", "bob", "carol")["index"]
    submit("bid_dave", "bid", {"target": offer, "bidder": "dave", "amount_fen": 1_000_000}, "dave")
    low = run_ib("patents", "submit", _draft(work, "bid_low", "bid", {"target": offer, "bidder": "erin",
                 "amount_fen": 1_050_000}), "--log", log, "--log-key", keys / "log.skey", "--key", keys / "erin.key")
    assert low.returncode == 2 and "低于最低可接受价" in low.stderr
    best = submit("bid_erin", "bid", {"target": offer, "bidder": "erin", "amount_fen": 1_200_000}, "erin")["index"]
    while datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") < closes:
        time.sleep(0.25)
    award = submit("award", "award", {"target": offer, "bid": best}, "alice", "bob", "carol")["index"]
    lic = submit("licence", "licence", {
        "patent_no": PN, "licensors": ["alice", "bob", "carol"], "licensee": "erin", "kind": "exclusive",
        "territory": ["330000"], "fields": ["*"], "start": start, "end": end, "award": award,
        "royalty": {"rate_bp": 300, "split": "owners"}}, "alice", "bob", "carol", "erin")["index"]
    submit("confirm_lic", "confirm", {"target": lic}, "ipo")
    overlap = run_ib("patents", "submit", _draft(work, "lic2", "licence", {
        "patent_no": PN, "licensors": ["alice", "bob", "carol"], "licensee": "dave", "kind": "non_exclusive",
        "territory": ["330100"], "fields": ["H01M"], "start": start, "end": end}), "--log", log,
        "--log-key", keys / "log.skey", *[a for s in ("alice", "bob", "carol", "dave")
                                          for a in ("--key", keys / f"{s}.key")], "--json")
    assert overlap.returncode == 2 and overlap.json()["error"]["details"]["rule"] == "licence_overlap"

    # 5. royalties are paid and split (the distribution is computed: largest remainder over owner shares)
    paid = submit("royalty", "royalty_payment", {"licence": lic, "payer": "erin", "amount_fen": 100_001,
                                                 "period_start": start, "period_end": start}, "erin")
    assert paid["entry"]["body"]["distribution"] == [
        {"party": "alice", "amount_fen": 40_001}, {"party": "bob", "amount_fen": 40_000},
        {"party": "carol", "amount_fen": 20_000}]
    state = _ok(run_ib("patents", "state", "--log", log, "--json"))
    assert {b["party"]: (b["received_fen"], b["paid_fen"]) for b in state["balances"]} == {
        "alice": (40_001, 0), "bob": (40_000, 0), "carol": (20_000, 0), "erin": (0, 100_001)}

    # 6. infringement evidence is filed, then proved to a third party with only a bundle and the public key
    photo = tmp_path / "infringing_product.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 photo of a separator sold without licence \xff\xd9")
    filed = _ok(run_ib("patents", "evidence", photo, "--submitter", "erin", "--description",
                       "某公司在杭州销售的隔膜产品照片（涉嫌侵权）", "--patent", PN, "--log", log,
                       "--key", keys / "erin.key", "--log-key", keys / "log.skey", "--json"))
    evidence = filed["submitted"]["index"]
    bundle = tmp_path / "bundle.json"
    _ok(run_ib("patents", "prove", evidence, "--log", log, "-o", bundle, "--json"))

    court = tmp_path / "court"  # the third party: no log, no private keys
    court.mkdir()
    shutil.copy(bundle, court / "bundle.json")
    shutil.copy(photo, court / "photo.jpg")
    shutil.rmtree(log)  # prove nothing depends on the log any more
    proof = _ok(run_ib("ledger", "verify-proof", court / "bundle.json", "--vkey", vkey, "--json"))
    assert proof["index"] == evidence
    matched = _ok(run_ib("patents", "check-evidence", court / "bundle.json", court / "photo.jpg", "--vkey", vkey,
                         "--json"))
    assert (matched["index"], matched["submitter"]) == (evidence, "erin")
    (court / "photo.jpg").write_bytes(b"another picture")
    wrong = run_ib("patents", "check-evidence", court / "bundle.json", court / "photo.jpg", "--vkey", vkey)
    assert wrong.returncode == 3 and "SHA-256" in wrong.stderr
