"""Lists a bureau imports beside the register: policies (政策链: issuing body, date, the chain and segments they
target) and financing events (资本链: firm, round, amount, investors). XLSX/CSV with Chinese headers, one
transaction, rows that cannot be read quarantined with a stable code, the same file twice changes nothing."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from industry_brain._core.errors import InputError, ParseError
from industry_brain._core.i18n import Catalog
from industry_brain._core.store import Store
from industry_brain._core.tables import read_rows
from industry_brain.chains._templates import Chain

MESSAGES = Catalog({
    "title_missing": ("政策名称为空", "the policy title is empty"),
    "issuer_missing": ("发文机关为空", "the issuing body is empty"),
    "date_invalid": ("日期 {value!r} 无法解析", "date {value!r} is not a date"),
    "chain_unknown": ("产业链 {value!r} 无法识别，应为：{expected}", "chain {value!r}: expected one of {expected}"),
    "segment_unknown": ("环节 {value!r} 不是该产业链的环节，应为：{expected}", "segment {value!r} is not a segment of the chain: expected {expected}"),
    "district_unknown": ("区县 {value!r} 不是杭州的区县", "district {value!r} is not a Hangzhou district"),
    "firm_missing": ("企业名称为空", "the firm name is empty"),
    "amount_invalid": ("金额 {value!r} 不是万元金额", "amount {value!r} is not an amount in 万元"),
    "id_duplicate": ("编号 {value!r} 重复（首次出现在第 {first} 行）", "id {value!r} repeats (first on row {first})"),
})
POLICY_HEADERS = {
    "policy_id": ("文号", "政策文号", "编号", "policy_id"),
    "title": ("政策名称", "名称", "标题", "title"),
    "issuer": ("发文机关", "发布机关", "发文单位", "issuer"),
    "issued_on": ("发布日期", "发文日期", "日期", "issued_on"),
    "chain": ("产业链", "chain"),
    "segments": ("环节", "针对环节", "segments"),
    "district": ("区县", "适用区县", "district"),
    "summary": ("主要内容", "摘要", "summary"),
}
FINANCING_HEADERS = {
    "event_id": ("编号", "事件编号", "event_id"),
    "firm_name": ("企业名称", "融资企业", "firm_name"),
    "uscc": ("统一社会信用代码", "信用代码", "uscc"),
    "round": ("轮次", "融资轮次", "round"),
    "amount_wan": ("金额（万元）", "金额(万元)", "融资金额", "金额", "amount_wan"),
    "occurred_on": ("日期", "融资日期", "披露日期", "occurred_on"),
    "investors": ("投资方", "投资机构", "investors"),
}
_SPLIT = re.compile(r"[;；,，、/]+")


@dataclass
class ListImport:
    batch_id: int | None
    kind: str
    file_name: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    noop: bool = False
    problems: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _cells(path: Path, synonyms: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> tuple[list[tuple[int, dict[str, str]]], str]:
    got = read_rows(path)
    rows = [r for r in got.rows if any(c for c in r)]
    if not rows:
        raise InputError(f"{path.name}: the file has no header row", file=path.name)
    header = [unicodedata.normalize("NFKC", h).strip().lower() for h in rows[0]]
    cols: dict[str, int] = {}
    for key, names in synonyms.items():
        for n in names:
            if unicodedata.normalize("NFKC", n).lower() in header:
                cols[key] = header.index(unicodedata.normalize("NFKC", n).lower())
                break
    missing = [synonyms[k][0] for k in required if k not in cols]
    if missing:
        raise InputError(f"{path.name}: required column missing: {'、'.join(missing)} (header: {rows[0]!r})",
                         file=path.name, missing=missing)
    start = got.rows.index(rows[0])
    out = []
    for i, r in enumerate(got.rows[start + 1 :], start=start + 2):
        if any(c for c in r):
            out.append((i, {k: unicodedata.normalize("NFKC", r[j] if j < len(r) else "").strip() for k, j in cols.items()}))
    return out, hashlib.sha256(path.read_bytes()).hexdigest()


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.rows: set[int] = set()

    def add(self, row: int, fld: str, code: str, value: object, **extra: Any) -> None:
        msg = MESSAGES.both(code, value=value, **extra)
        self.items.append({"source_row": row, "field": fld, "code": code, "value": str(value),
                           "message_zh": f"第{row}行：{msg['zh']}", "message_en": f"row {row}: {msg['en']}"})
        self.rows.add(row)


def _done(store: Store, kind: str, digest: str, p: Path, n: int) -> ListImport | None:
    row = store.fetchone("SELECT batch_id FROM chain_batch WHERE kind = ? AND sha256 = ?", [kind, digest])
    return ListImport(int(row[0]), kind, p.name, n, 0, 0, noop=True) if row else None


def _record_batch(store: Store, kind: str, p: Path, digest: str, counts: tuple[int, int, int],
                  problems: _Problems) -> int:
    row = store.fetchone("SELECT coalesce(max(batch_id), 0) + 1 FROM chain_batch")
    bid = int(row[0]) if row else 1
    store.execute("INSERT INTO chain_batch VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  [bid, kind, p.name, digest, *counts, datetime.now(UTC).replace(tzinfo=None)])
    for x in problems.items:
        store.execute("INSERT INTO chain_problem VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [bid, x["source_row"], x["field"], x["code"], x["value"], x["message_zh"], x["message_en"]])
    return bid


def _date(text: str) -> Any:
    from industry_brain.registry import parse_date

    try:
        return parse_date(text or None)
    except ParseError:
        return None


def _chain_of(text: str, all_chains: tuple[Chain, ...]) -> Chain | None:
    t = text.strip().lower()
    for c in all_chains:
        if t in (c.code, c.name_zh.lower(), c.name_en.lower()) or (t and t in c.name_zh):
            return c
    return None


def import_policies(store: Store, path: str | Path, all_chains: tuple[Chain, ...]) -> ListImport:
    """Load a policy list (政策清单): 文号, 政策名称, 发文机关, 发布日期, 产业链, 环节 (codes or names; empty = the whole
    chain), 区县 (empty = the whole city), 主要内容."""
    from industry_brain.geo import map_unit_code as district_code

    p = Path(path)
    rows, digest = _cells(p, POLICY_HEADERS, ("title", "issuer", "issued_on", "chain"))
    done = _done(store, "policies", digest, p, len(rows))
    if done:
        return done
    problems = _Problems()
    seen: dict[str, int] = {}
    loaded = []
    expected = "、".join(f"{c.code}（{c.name_zh}）" for c in all_chains)
    for row, cell in rows:
        if not cell.get("title"):
            problems.add(row, "title", "title_missing", "")
        if not cell.get("issuer"):
            problems.add(row, "issuer", "issuer_missing", "")
        day = _date(cell.get("issued_on", ""))
        if day is None:
            problems.add(row, "issued_on", "date_invalid", cell.get("issued_on", ""))
        c = _chain_of(cell.get("chain", ""), all_chains)
        segs: list[str] = []
        if c is None:
            problems.add(row, "chain", "chain_unknown", cell.get("chain", ""), expected=expected)
        else:
            for part in (x.strip() for x in _SPLIT.split(cell.get("segments", "")) if x.strip()):
                hit = next((s.code for s in c.segments if part in (s.code, s.name_zh) or part in s.name_zh), None)
                if hit is None:
                    problems.add(row, "segments", "segment_unknown", part,
                                 expected="、".join(f"{s.code}（{s.name_zh}）" for s in c.segments))
                else:
                    segs.append(hit)
        district = district_code(cell.get("district")) if cell.get("district") else None
        if cell.get("district") and district is None:
            problems.add(row, "district", "district_unknown", cell["district"])
        pid = cell.get("policy_id") or ("PL" + hashlib.sha256(cell.get("title", "").encode()).hexdigest()[:10].upper())
        if pid in seen:
            problems.add(row, "policy_id", "id_duplicate", pid, first=seen[pid])
        seen.setdefault(pid, row)
        if row in problems.rows:
            continue
        assert c is not None
        loaded.append([pid, cell["title"], cell["issuer"], day, c.code, sorted(set(segs)), district,
                       cell.get("summary") or None])
    with store.transaction():
        bid = _record_batch(store, "policies", p, digest, (len(rows), len(loaded), len(problems.rows)), problems)
        for values in loaded:
            store.execute("INSERT OR REPLACE INTO chain_policy VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [*values, bid])
    return ListImport(bid, "policies", p.name, len(rows), len(loaded), len(problems.rows), problems=problems.items)


def import_financing(store: Store, path: str | Path) -> ListImport:
    """Load financing events (融资事件): 企业名称, 统一社会信用代码 (or found by exact name in the register), 轮次,
    金额（万元）, 日期, 投资方 (separated by 、；,)."""
    from industry_brain.registry import check_uscc

    p = Path(path)
    rows, digest = _cells(p, FINANCING_HEADERS, ("firm_name", "occurred_on"))
    done = _done(store, "financing", digest, p, len(rows))
    if done:
        return done
    by_name = {str(n): str(u) for u, n in store.fetchall("SELECT uscc, name FROM enterprise")}
    problems = _Problems()
    loaded = []
    seen: dict[str, int] = {}
    for row, cell in rows:
        if not cell.get("firm_name"):
            problems.add(row, "firm_name", "firm_missing", "")
        day = _date(cell.get("occurred_on", ""))
        if day is None:
            problems.add(row, "occurred_on", "date_invalid", cell.get("occurred_on", ""))
        amount = None
        if cell.get("amount_wan"):
            try:
                amount = float(cell["amount_wan"].replace(",", ""))
            except ValueError:
                problems.add(row, "amount_wan", "amount_invalid", cell["amount_wan"])
        code = check_uscc(cell["uscc"]).code if cell.get("uscc") else by_name.get(cell.get("firm_name", ""))
        eid = cell.get("event_id") or ("FE" + hashlib.sha256(
            f"{cell.get('firm_name')}|{cell.get('round')}|{cell.get('occurred_on')}".encode()).hexdigest()[:10].upper())
        if eid in seen:
            problems.add(row, "event_id", "id_duplicate", eid, first=seen[eid])
        seen.setdefault(eid, row)
        if row in problems.rows:
            continue
        investors = sorted({x.strip() for x in _SPLIT.split(cell.get("investors", "")) if x.strip()})
        loaded.append([eid, code, cell["firm_name"], cell.get("round") or None, amount, day, investors])
    with store.transaction():
        bid = _record_batch(store, "financing", p, digest, (len(rows), len(loaded), len(problems.rows)), problems)
        for values in loaded:
            store.execute("INSERT OR REPLACE INTO chain_financing VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [*values, bid])
    return ListImport(bid, "financing", p.name, len(rows), len(loaded), len(problems.rows), problems=problems.items)


def policies_for(store: Store, chain: str, segment: str | None = None, district: str | None = None) -> list[dict[str, Any]]:
    """Policies that target a chain (and a segment: those naming it or the whole chain; and a district: those of
    the district or the whole city)."""
    rows = store.fetchall(
        "SELECT policy_id, title, issuer, issued_on, segments, district, summary FROM chain_policy WHERE chain = ?"
        " ORDER BY issued_on DESC, policy_id", [chain])
    out = []
    for pid, title, issuer, day, segs, dist, summary in rows:
        if segment and segs and segment not in segs:
            continue
        if district and dist and dist != district:
            continue
        out.append({"policy_id": pid, "title": title, "issuer": issuer, "issued_on": day.isoformat(),
                    "segments": list(segs), "district": dist, "summary": summary})
    return out


DEMO_INVESTORS = ("示例创投甲", "示例资本乙", "示例产业基金丙", "示例天使丁")
DEMO_ROUNDS = ("天使轮", "A轮", "B轮", "战略融资")


def load_demo_lists(store: Store, all_chains: tuple[Chain, ...], folder: Path) -> dict[str, ListImport]:
    """The demo's policy list (synthetic, each title marked （示例）) and financing events for demo firms of the
    biomedicine and AI chains (synthetic investors), both through the real import path."""
    import csv
    from importlib import resources

    from industry_brain.chains._placed import ensure_placements

    ensure_placements(store, all_chains)
    policies = resources.files(__package__).joinpath("_data/demo_policies.csv")
    with resources.as_file(policies) as path:
        got = {"policies": import_policies(store, path, all_chains)}
    firms = store.fetchall(
        "SELECT e.uscc, e.name FROM enterprise e WHERE e.synthetic AND e.uscc IN (SELECT uscc FROM chain_placement"
        " WHERE chain IN ('life_health', 'ai')) ORDER BY e.capital_wan_cny DESC NULLS LAST, e.uscc LIMIT 24")
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "融资事件（合成演示数据）.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["企业名称", "统一社会信用代码", "轮次", "金额（万元）", "日期", "投资方"])
        for i, (uscc, name) in enumerate(firms):
            investors = "、".join(DEMO_INVESTORS[j % len(DEMO_INVESTORS)] for j in (i, i + 1 + i % 2))
            w.writerow([name, uscc, DEMO_ROUNDS[i % len(DEMO_ROUNDS)], 500 * (1 + i % 7), f"2019-{1 + i % 9:02d}-15",
                        investors])
    got["financing"] = import_financing(store, out)
    return got
