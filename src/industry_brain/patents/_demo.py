"""A synthetic patent ledger for the demo: enterprises of the demo register as parties, their patents, transfers,
licences, royalties and citations — every entry signed and checked by the same rules as a real submission.

The parties' keys are derived from a seed (``key_from_seed``), so the demo is reproducible; the log's signer key is
generated and its verifier key written beside the log (``<dir>.vkey``) so that ``ib ledger verify`` can check it.
Patent numbers are Chinese application numbers (12 digits, a dot and the check character of the CNIPA scheme) in
the reserved-looking range ``20189…``/``20199…`` of this module's own counter; titles are generic.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from industry_brain.patents._book import PatentBook, prepare_entry
from industry_brain.patents._keys import PartyKey, key_from_seed

_TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    # level-1 high-tech field -> (title, IPC)
    "10": (
        ("一种基于深度学习的图像识别方法", "G06N 3/08"),
        ("一种分布式数据存储系统及方法", "G06F 16/27"),
        ("一种语音交互终端及其控制方法", "G10L 15/22"),
        ("一种区块链存证装置", "H04L 9/32"),
    ),
    "20": (
        ("一种重组蛋白的纯化方法", "C07K 1/22"),
        ("一种核酸检测试剂盒", "C12Q 1/6883"),
        ("一种骨科植入物及其制备方法", "A61L 27/06"),
    ),
    "30": (("一种无人机姿态控制装置", "B64C 39/02"),),
    "40": (("一种高强度铝合金型材", "C22C 21/10"), ("一种锂离子电池隔膜", "H01M 50/403")),
    "50": (("一种光伏逆变器的并网控制方法", "H02J 3/38"), ("一种储能电池管理系统", "H02J 7/00")),
    "60": (("一种新型墙体保温材料", "E04B 1/76"), ("一种智能灌溉系统", "A01G 25/16")),
    "70": (("一种工业机器人关节减速器", "B25J 9/10"), ("一种数控机床刀具检测装置", "B23Q 17/09")),
    "80": (("一种污水处理装置", "C02F 9/00"), ("一种废气净化催化剂", "B01J 23/42")),
}


def application_number(year: int, kind: int, serial: int) -> str:
    """A Chinese patent application number ``YYYYKNNNNNNN.C`` with its check character (weights 2..9, 2..5 over
    the 12 digits, modulo 11, 10 → X)."""
    digits = f"{year:04d}{kind:1d}{serial:07d}"
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return f"CN{digits}.{'X' if check == 10 else check}"


class _Writer:
    def __init__(self, book: PatentBook, keys: dict[str, PartyKey]) -> None:
        self.book = book
        self.keys = keys
        self.entries = 0

    def submit(self, type_: str, body: dict[str, Any], *signers: str) -> int:
        entry = prepare_entry({"type": type_, "body": body}, [self.keys[s] for s in signers])
        result = self.book.submit(entry)
        self.entries += 1
        return int(result.index)


def build_demo_book(
    directory: Path | str,
    enterprises: Sequence[tuple[str, str, str | None]],
    *,
    seed: int = 2019,
) -> dict[str, Any]:
    """Write a demo patent ledger at ``directory`` for ``enterprises`` — ``(uscc, name, level-1 field)`` — and
    return a summary. Does nothing (and says so) when a log is already there."""
    from industry_brain.ledger import generate_key

    folder = Path(directory)
    if (folder / "checkpoint").exists():
        with PatentBook.open(folder) as book:
            return {"created": False, "directory": str(folder), "entries": book.size}
    rnd = random.Random(seed)

    def key(party: str) -> PartyKey:
        return key_from_seed(party, hashlib.sha256(f"industry-brain demo {seed}/{party}".encode()).digest())

    skey, vkey = generate_key("demo.industry-brain/patents")
    keys = {"ipo": key("ipo")}
    book = PatentBook.create(
        folder,
        log_signer_key=skey,
        office=keys["ipo"],
        office_name="杭州市知识产权局（演示）",
        origin="demo.industry-brain/patents",
    )
    folder.with_suffix(".vkey").write_text(vkey + "\n", encoding="utf-8")
    w = _Writer(book, keys)
    try:
        parties: list[tuple[str, str, str]] = []
        for i, (uscc, name, field) in enumerate(enterprises):
            party = f"e{i:04d}"
            keys[party] = key(party)
            w.submit(
                "key_register",
                {"party": party, "public_key": keys[party].public_b64, "name": name, "uscc": uscc},
                "ipo",
                party,
            )
            parties.append((party, name, field or "10"))
        patents: list[tuple[str, str, str, date]] = []  # (number, owner, field, filed)
        serial = 100_000
        for party, _name, field in parties:
            for _ in range(rnd.randint(1, 3)):
                serial += rnd.randint(1, 400)
                year = rnd.choice((2016, 2017, 2018, 2019))
                number = application_number(year, 1, serial)
                title, ipc = rnd.choice(_TITLES.get(field, _TITLES["10"]))
                filed = date(year, rnd.randint(1, 12), rnd.randint(1, 28))
                cited = [p for p, _o, f, on in patents if f == field and on < filed][-3:]
                w.submit(
                    "patent_record",
                    {
                        "patent_no": number,
                        "title": title,
                        "ipc": [ipc],
                        "filed_on": filed.isoformat(),
                        "expires_on": filed.replace(year=filed.year + 20).isoformat(),
                        "owners": [{"party": party, "share_bp": 10_000}],
                        "inventors": [party],
                    },
                    "ipo",
                )
                for target in cited[: rnd.randint(0, len(cited))]:
                    w.submit("citation", {"citing": number, "cited": target}, "ipo")
                patents.append((number, party, field, filed))
        today = datetime.now(UTC).date()
        licences = assignments = royalties = 0
        for number, owner, _field, _filed in rnd.sample(patents, k=min(len(patents) // 4, 60)):
            partner = rnd.choice([p for p, _n, _f in parties if p != owner] or [owner])
            if partner == owner:
                continue
            if rnd.random() < 0.4:
                share = rnd.choice((2000, 3000, 5000))
                a = w.submit(
                    "assignment",
                    {
                        "patent_no": number,
                        "assignors": [{"party": owner, "share_bp": share}],
                        "assignees": [{"party": partner, "share_bp": share}],
                        "price_fen": share * rnd.randint(50, 500),
                    },
                    owner,
                    partner,
                )
                w.submit("confirm", {"target": a}, "ipo")
                assignments += 1
            else:
                start, end = (
                    today - timedelta(days=rnd.randint(30, 400)),
                    today + timedelta(days=rnd.randint(300, 1500)),
                )
                lic = w.submit(
                    "licence",
                    {
                        "patent_no": number,
                        "licensors": [owner],
                        "licensee": partner,
                        "kind": "non_exclusive",
                        "territory": ["330100"],
                        "fields": ["*"],
                        "start": start.isoformat(),
                        "end": end.isoformat(),
                        "royalty": {"rate_bp": rnd.choice((200, 300, 500)), "split": "owners"},
                    },
                    owner,
                    partner,
                )
                w.submit("confirm", {"target": lic}, "ipo")
                licences += 1
                from industry_brain.patents._book import fill_distribution

                draft = fill_distribution(
                    book.state(),
                    {
                        "type": "royalty_payment",
                        "body": {
                            "licence": lic,
                            "payer": partner,
                            "amount_fen": rnd.randint(50_000, 2_000_000),
                            "period_start": start.isoformat(),
                            "period_end": today.isoformat(),
                        },
                    },
                )
                book.submit(prepare_entry(draft, [keys[partner]]))
                w.entries += 1
                royalties += 1
        return {
            "created": True,
            "directory": str(folder),
            "verifier_key": vkey,
            "entries": book.size,
            "parties": len(parties),
            "patents": len(patents),
            "assignments": assignments,
            "licences": licences,
            "royalty_payments": royalties,
        }
    finally:
        book.close()
