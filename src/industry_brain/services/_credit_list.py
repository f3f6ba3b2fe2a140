"""Credit events imported from a list: an administrative penalty list (行政处罚公示, as 信用中国 and the market
regulator publish them), or a bureau's own list of complaints upheld, broken contracts and awards.

Each row names the provider by its 编号, its 统一社会信用代码 or its exact name; the event kind defaults to 行政处罚.
The import follows the register's rules: one transaction (the events, their credit-log entries as one signed
batch, the batch record and the quarantine); rows that cannot be placed go to quarantine with a stable code;
re-importing the same file changes nothing, and an event already on record (same provider, kind, date and
decision number or source) is not counted twice.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from industry_brain._core.errors import ParseError
from industry_brain._core.store import Store
from industry_brain.registry import check_uscc, parse_date
from industry_brain.services._directory import (
    ImportResult,
    _already,
    _batch,
    _Problems,
    _rows,
    _save_problems,
)
from industry_brain.services._reputation import (
    EVENT_KINDS,
    _append_many,
    _points,
    credit_log_dir,
    event_entry,
)
from industry_brain.services._vocab import vocabulary

CREDIT_HEADERS: dict[str, tuple[str, ...]] = {
    "provider_id": ("机构编号", "编号", "provider_id"),
    "name": ("机构名称", "行政相对人名称", "当事人名称", "被处罚单位", "单位名称", "名称", "name"),
    "uscc": ("统一社会信用代码", "行政相对人代码_1(统一社会信用代码)", "信用代码", "uscc"),
    "kind": ("事件类型", "信用事件", "类型", "kind"),
    "occurred_on": ("处罚决定日期", "决定日期", "处罚日期", "发生日期", "日期", "occurred_on", "date"),
    "detail": ("处罚内容", "处罚事由", "违法行为类型", "事件内容", "内容", "事由", "detail"),
    "doc_no": ("行政处罚决定书文号", "决定书文号", "处罚决定书文号", "文书号", "文号", "doc_no"),
    "source": ("处罚机关", "决定机关", "来源", "报告单位", "source"),
}


def _kind(text: str) -> str | None:
    t = unicodedata.normalize("NFKC", text).strip()
    if not t:
        return "penalty"
    for code, spec in vocabulary()["credit"]["events"].items():
        if code == "rating":
            continue
        if t.lower() in (code, str(spec["en"]).lower()) or t == spec["zh"] or (code == "penalty" and "处罚" in t):
            return str(code)
    return None


def import_credit_events(store: Store, path: str | Path, *, actor: str | None = None,
                         log_dir: Path | None = None) -> ImportResult:
    """Load a list of credit events (XLSX/CSV with Chinese headers) as one transaction."""
    p = Path(path)
    _, rows, digest = _rows(p, CREDIT_HEADERS, ("occurred_on",))
    done = _already(store, "credit_events", digest, p, len(rows))
    if done:
        return done
    by_id = {str(r[0]): str(r[0]) for r in store.fetchall("SELECT provider_id FROM service_provider")}
    by_uscc = {str(r[1]): str(r[0]) for r in store.fetchall(
        "SELECT provider_id, uscc FROM service_provider WHERE uscc IS NOT NULL")}
    by_name: dict[str, list[str]] = {}
    for pid, name in store.fetchall("SELECT provider_id, name FROM service_provider"):
        by_name.setdefault(unicodedata.normalize("NFKC", str(name)).strip(), []).append(str(pid))
    expected_kinds = "、".join(k for k in EVENT_KINDS if k != "rating")

    problems = _Problems()
    events: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str, str]] = set()
    for row, cell in rows:
        pid = _provider_of(cell, by_id, by_uscc, by_name)
        if pid is None:
            who = cell.get("provider_id") or cell.get("uscc") or cell.get("name") or ""
            problems.add(row, "name", "provider_unmatched", who, cell)
        kind = _kind(cell.get("kind", ""))
        if kind is None:
            problems.add(row, "kind", "event_kind_unknown", cell.get("kind", ""), cell, expected=expected_kinds)
        try:
            day = parse_date(cell.get("occurred_on") or None)
        except ParseError:
            day = None
        if day is None:
            problems.add(row, "occurred_on", "event_date_invalid", cell.get("occurred_on", ""), cell)
        if problems.errors_on(row):
            continue
        assert pid is not None and kind is not None and day is not None
        source = " · ".join(x for x in (cell.get("source", ""), cell.get("doc_no", "")) if x) or p.name
        key = (pid, kind, day.isoformat(), source)
        on_record = store.fetchone(
            "SELECT event_id FROM service_credit_event WHERE provider_id = ? AND kind = ? AND occurred_on = ?"
            " AND source = ?", [pid, kind, day, source])
        if key in seen or on_record is not None:
            problems.add(row, "doc_no", "event_on_record", source, None)
            continue
        seen.add(key)
        events.append({"provider_id": pid, "kind": kind, "occurred_on": day, "points": _points(kind, None),
                       "detail": cell.get("detail") or None, "source": source})

    errors = sum(1 for r, _ in rows if problems.errors_on(r))
    now = datetime.now(UTC).replace(tzinfo=None)
    with store.transaction():
        bid = _batch(store, "credit_events", p, digest, (len(rows), len(events), errors), False, actor)
        ids = []
        for e in events:
            got = store.fetchone("SELECT nextval('service_credit_event_seq')")
            assert got is not None
            ids.append(int(got[0]))
            store.execute("INSERT INTO service_credit_event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          [ids[-1], e["provider_id"], e["kind"], e["occurred_on"], e["points"], e["detail"],
                           e["source"], None, now])
        _save_problems(store, bid, problems)
        if events:  # last: the log takes the batch under one checkpoint only when everything else is written
            entries = [event_entry(i, e["provider_id"], e["kind"], e["occurred_on"], e["points"], e["detail"],
                                   e["source"]) for i, e in zip(ids, events, strict=True)]
            indexes = _append_many(log_dir or credit_log_dir(), entries)
            for i, index in zip(ids, indexes, strict=True):
                store.execute("UPDATE service_credit_event SET log_index = ? WHERE event_id = ?", [index, i])
    warnings = sum(1 for x in problems.items if x["severity"] == "warning")
    return ImportResult(bid, "credit_events", p.name, len(rows), len(events), errors, warnings,
                        problems=problems.items)


def _provider_of(cell: dict[str, str], by_id: dict[str, str], by_uscc: dict[str, str],
                 by_name: dict[str, list[str]]) -> str | None:
    """The provider a row names: by id, else by credit code, else by a name only one provider has."""
    if cell.get("provider_id") in by_id:
        return by_id[cell["provider_id"]]
    if cell.get("uscc"):
        code = check_uscc(cell["uscc"]).code
        if code in by_uscc:
            return by_uscc[code]
    names = by_name.get(unicodedata.normalize("NFKC", cell.get("name", "")).strip(), [])
    return names[0] if len(names) == 1 else None
