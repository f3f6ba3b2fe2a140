"""The demo patent ledger: every entry passes the rules, the log verifies, portraits see their rights."""

from __future__ import annotations

from pathlib import Path

from industry_brain.ledger import verify_log
from industry_brain.patents import PatentBook, enterprise_view, verify_rules
from industry_brain.patents._demo import application_number, build_demo_book

ENTERPRISES = [
    (f"91330106MA2B{i:05d}X", f"杭州演示{i}科技有限公司", "10" if i % 2 else "40") for i in range(10)
]


def test_application_number_check_character() -> None:
    # 2019 1 0123456: 2·2+0·3+1·4+9·5+1·6+0·7+1·8+2·9+3·2+4·3+5·4+6·5 = 153; 153 mod 11 = 10 → X
    assert application_number(2019, 1, 123456) == "CN201910123456.X"
    # 2018 1 0000001: 2·2+0+1·4+8·5+1·6+0+0+0+0+0+0+1·5 = 59; 59 mod 11 = 4
    assert application_number(2018, 1, 1) == "CN201810000001.4"


def test_demo_book_verifies_and_portraits_see_their_patents(tmp_path: Path) -> None:
    folder = tmp_path / "patents"
    summary = build_demo_book(folder, ENTERPRISES, seed=7)
    assert summary["created"] and summary["parties"] == len(ENTERPRISES)
    vkey = folder.with_suffix(".vkey").read_text(encoding="utf-8").strip()
    report = verify_log(folder, vkey)
    assert report.ok, report.problems
    with PatentBook.open(folder) as book:
        assert book.size == summary["entries"]
        assert verify_rules(book.log).ok
        state = book.state()
        views = [enterprise_view(state, uscc) for uscc, _name, _field in ENTERPRISES]
        assert all(
            v is not None and v["parties"][0]["name"] == name
            for v, (_u, name, _f) in zip(views, ENTERPRISES, strict=True)
        )
        assert (
            sum(len(v["patents"]) for v in views if v) >= summary["patents"]
        )  # shares assigned count for both
        assert all(0 < p["share_bp"] <= 10_000 for v in views if v for p in v["patents"])
        assert enterprise_view(state, "91330100000000000X") is None
    again = build_demo_book(folder, ENTERPRISES, seed=7)  # idempotent: an existing log is left alone
    assert not again["created"] and again["entries"] == summary["entries"]
