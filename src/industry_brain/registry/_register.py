"""Reading the register: an enterprise's portrait, search, batches, quarantine, review groups, exports."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from industry_brain._core.cells import XLSXWRITER_OPTIONS, sql_guard, write_row
from industry_brain._core.errors import InputError, NotFoundError, writing
from industry_brain._core.store import Store, open_store
from industry_brain.registry._records import COMPARED, record_md5_sql
from industry_brain.registry._uscc import check_uscc, normalise_code

EXPORT_FORMATS = ("xlsx", "csv", "parquet")
#: What a portrait's history says changed between versions: the fields read from the file, and what was derived
#: from them (placement, technology field).
_COMPARED = (
    *(c for c in COMPARED if c not in ("uscc", "synthetic")),
    "division_code",
    "map_unit_2019",
    "district_2021",
    "field_l1",
    "field_l2",
    "field_l3",
)


@contextmanager
def _store(store: Store | None) -> Iterator[Store]:
    if store is not None:
        yield store
        return
    st = open_store()
    try:
        yield st
    finally:
        st.close()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _row(d: dict[str, Any]) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in d.items()}


# Point lookups by credit code (portraits). Imports drop these indexes inside their transaction (maintaining an
# ART index row by row costs more than the rest of a large import) and a long-running reader — the dashboard —
# rebuilds them after each import: about 0.4 s per million records, after which a portrait reads in ~1 ms
# instead of scanning the column (~25 ms at a million records).
_LOOKUP_INDEXES = (
    ("ix_enterprise_record_uscc", "enterprise_record"),
    ("ix_enterprise_current_uscc", "enterprise_current"),
)


def ensure_lookup_indexes(store: Store | None = None) -> None:
    """Create the credit-code indexes used by portraits if they are missing (idempotent)."""
    with _store(store) as st:
        for name, table in _LOOKUP_INDEXES:
            st.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} (uscc)")


def drop_lookup_indexes(st: Store) -> None:
    """Drop the credit-code indexes (inside an import's transaction: a rollback restores them)."""
    for name, _table in _LOOKUP_INDEXES:
        st.execute(f"DROP INDEX IF EXISTS {name}")


def get_enterprise(uscc: str, store: Store | None = None) -> dict[str, Any]:
    """The portrait of one enterprise: registration, geography (method, confidence), field (phrases),
    certificate, future industries, source batch and row, warnings, and its history across batches.

    Raises :class:`NotFoundError` when no batch ever loaded the code. ``current`` is False for a code that was
    loaded once but is absent from its source's newest version.
    """
    code = normalise_code(uscc)
    with _store(store) as st:
        # Each query is a point lookup that can use the credit-code indexes (a join would scan the table instead):
        # every version of the record, which batch the current register holds, and those batches.
        versions = st.records(
            f"SELECT *, {record_md5_sql()} AS record_hash FROM enterprise_record WHERE uscc = ? ORDER BY batch_id",
            [code],
        )
        if not versions:
            raise NotFoundError(f"no enterprise with credit code {code!r} in the register", uscc=code)
        held_in = st.fetchone("SELECT batch_id FROM enterprise_current WHERE uscc = ?", [code])
        ids = sorted({int(v["batch_id"]) for v in versions})
        batches = {
            int(b["batch_id"]): b
            for b in st.records(
                "SELECT batch_id, source, file_name, finished_at FROM import_batch"
                f" WHERE batch_id IN ({', '.join('?' * len(ids))})",
                ids,
            )
        }
        history = []
        for v in versions:
            b = batches.get(int(v["batch_id"]), {})
            history.append({**v, "source": b.get("source"), "file_name": b.get("file_name"),
                            "imported_at": b.get("finished_at"),
                            "is_current": held_in is not None and int(v["batch_id"]) == int(held_in[0])})
        held = [h for h in history if h["is_current"]]
        current = bool(held)
        chosen = held[0] if held else history[-1]
        batch = {"source": chosen["source"], "file_name": chosen["file_name"], "finished_at": chosen["imported_at"]}
        rec = {k: v for k, v in chosen.items() if k not in ("source", "file_name", "imported_at", "is_current")}
        warnings = st.records(
            "SELECT field, code, value, message_zh, message_en FROM quarantine WHERE batch_id = ? AND source_row = ?"
            " AND severity = 'warning' ORDER BY code",
            [rec["batch_id"], rec["source_row"]],
        )
    changes: list[dict[str, Any]] = []
    before: dict[str, Any] | None = None
    for h in history:
        changed = [] if before is None else [f for f in _COMPARED if before.get(f) != h.get(f)]
        changes.append(
            _row(
                {
                    "batch_id": h["batch_id"],
                    "source": h["source"],
                    "file_name": h["file_name"],
                    "imported_at": h["imported_at"],
                    "source_row": h["source_row"],
                    "record_hash": h["record_hash"],
                    "changed_fields": changed,
                    "current": current and h["batch_id"] == rec["batch_id"],
                }
            )
        )
        before = h
    extra = json.loads(rec["extra"]) if rec.get("extra") else {}
    return _row(
        {
            "uscc": code,
            "current": current,
            "name": rec["name"],
            "registration": _row(
                {
                    "name": rec["name"],
                    "name_norm": rec["name_norm"],
                    "name_initials": rec["name_initials"],
                    "registered_on": rec["registered_on"],
                    "entity_type": rec["entity_type"],
                    "capital_wan": rec["capital_wan"],
                    "capital_currency": rec["capital_currency"],
                    "capital_wan_cny": rec["capital_wan_cny"],
                    "capital_raw": rec["capital_raw"],
                    "business_scope": rec["business_scope"],
                    "address": rec["address"],
                    "listed": rec["listed"],
                    "startup": rec["startup"],
                    "uscc_check_ok": rec["uscc_check_ok"],
                    "uscc_verdict": check_uscc(code).to_dict(),
                }
            ),
            "geography": _row(
                {
                    "division_code": rec["division_code"],
                    "division_vintage": rec["division_vintage"],
                    "street": rec["street"],
                    "map_unit_2019": rec["map_unit_2019"],
                    "district_2021": rec["district_2021"],
                    "method": rec["geo_method"],
                    "confidence": rec["geo_confidence"],
                    "evidence": rec["geo_evidence"],
                    "declared": rec["district_declared"],
                }
            ),
            "field": _row(
                {
                    "field_l1": rec["field_l1"],
                    "field_l2": rec["field_l2"],
                    "field_l3": rec["field_l3"],
                    "method": rec["field_method"],
                    "confidence": rec["field_confidence"],
                    "phrases": list(rec["field_phrases"] or []),
                    "declared": rec["field_declared"],
                }
            ),
            "future_industries": list(rec["future_industries"] or []),
            "certificate": {
                "hightech": rec["hightech"],
                "cert_no": rec["hightech_cert_no"],
                "year": rec["hightech_year"],
            },
            "source": _row(
                {
                    "batch_id": rec["batch_id"],
                    "source": batch["source"],
                    "file_name": batch["file_name"],
                    "source_row": rec["source_row"],
                    "imported_at": batch["finished_at"],
                    "synthetic": rec["synthetic"],
                }
            ),
            "extra": extra,
            "warnings": [_row(w) for w in warnings],
            "history": changes,
        }
    )


SUMMARY_COLUMNS = (
    "uscc, name, name_norm, name_initials, registered_on, address, division_code, map_unit_2019, district_2021,"
    " geo_method, geo_confidence, field_l1, field_l2, field_l3, field_method, hightech, hightech_year, batch_id"
)


def search(
    text: str,
    store: Store | None = None,
    district: str | None = None,
    field: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> dict[str, Any]:
    """Find enterprises by name, normalised name, pinyin initials (``hzrd``) or credit-code prefix.

    ``district`` matches a 2019 map unit, a 2021 district or a division code; ``field`` a field code at any level.
    Returns ``{"total", "limit", "offset", "items"}``, best matches first (exact code, code prefix, exact name,
    name prefix, initials, contained text).
    """
    if limit < 0 or offset < 0:
        raise InputError(f"limit and offset must be >= 0, got {limit!r} and {offset!r}")
    t = unicodedata.normalize("NFKC", text or "").strip()
    code = normalise_code(t) if t else ""
    ini = t.lower().replace(" ", "")
    conds = [
        "(? = '' OR starts_with(uscc, ?) OR contains(name, ?) OR contains(name_norm, ?)"
        " OR (? <> '' AND contains(name_initials, ?)))"
    ]
    params: list[Any] = [t, code, t, t, ini if ini.isascii() and ini.isalnum() else "", ini]
    if district:
        conds.append("(map_unit_2019 = ? OR district_2021 = ? OR division_code = ?)")
        params += [district, district, district]
    if field:
        conds.append("(field_l1 = ? OR field_l2 = ? OR field_l3 = ?)")
        params += [field, field, field]
    where = " AND ".join(conds)
    rank = (
        "CASE WHEN uscc = ? THEN 0 WHEN starts_with(uscc, ?) THEN 1 WHEN name = ? THEN 2"
        " WHEN starts_with(name, ?) THEN 3 WHEN starts_with(name_initials, ?) THEN 4 ELSE 5 END"
    )
    with _store(store) as st:
        items = st.records(
            f"SELECT {SUMMARY_COLUMNS}, count(*) OVER () AS _total FROM enterprise WHERE {where}"
            f" ORDER BY {rank}, name LIMIT ? OFFSET ?",
            [*params, code or "\x00", code or "\x00", t, t or "\x00", ini or "\x00", limit, offset],
        )
        if items:
            total = int(items[0]["_total"])
        else:
            row = st.fetchone(f"SELECT count(*) FROM enterprise WHERE {where}", params)
            total = int(row[0]) if row else 0
    for it in items:
        it.pop("_total", None)
    return {"total": total, "limit": limit, "offset": offset, "items": [_row(i) for i in items]}


def list_batches(store: Store | None = None) -> list[dict[str, Any]]:
    """Every import batch, newest first."""
    with _store(store) as st:
        rows = st.records(
            "SELECT batch_id, source, file_name, sha256, file_format, encoding, sheet, header_row, rows_read,"
            " rows_loaded, rows_quarantined, rows_warned, added, changed, removed, unchanged, synthetic,"
            " started_at, finished_at FROM import_batch ORDER BY batch_id DESC"
        )
    return [_row(r) for r in rows]


def _batch_or_latest(st: Store, batch_id: int | None) -> int:
    if batch_id is None:
        row = st.fetchone("SELECT max(batch_id) FROM import_batch")
        if row is None or row[0] is None:
            raise NotFoundError("the register has no import batches yet")
        return int(row[0])
    if st.fetchone("SELECT 1 FROM import_batch WHERE batch_id = ?", [batch_id]) is None:
        raise NotFoundError(f"no import batch {batch_id!r}", batch_id=batch_id)
    return int(batch_id)


def quarantine(
    batch_id: int | None = None,
    store: Store | None = None,
    *,
    include_warnings: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Rows of a batch (default: the newest) that were not loaded, with field, code, messages and the raw row;
    ``include_warnings`` adds the problems recorded beside loaded rows."""
    with _store(store) as st:
        bid = _batch_or_latest(st, batch_id)
        sev = "" if include_warnings else " AND severity = 'error'"
        rows = st.records(
            f"SELECT batch_id, source_row, field, code, severity, value, message_zh, message_en, raw FROM quarantine"
            f" WHERE batch_id = ?{sev} ORDER BY source_row, severity, code LIMIT ? OFFSET ?",
            [bid, limit if limit is not None else 2**62, offset],
        )
    for r in rows:
        r["raw"] = json.loads(r["raw"]) if r["raw"] else None
    return [_row(r) for r in rows]


def duplicates_for_review(
    store: Store | None = None,
    batch_id: int | None = None,
    *,
    limit: int = 200,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Groups of rows that may be one firm (same code with different data, or one normalised name under
    several codes), each member shown with its data side by side. Never merged."""
    with _store(store) as st:
        bid = _batch_or_latest(st, batch_id)
        groups = st.records(
            "SELECT batch_id, name_norm, source_rows, usccs, reason FROM duplicate_review WHERE batch_id = ?"
            " ORDER BY reason, len(source_rows) DESC, name_norm LIMIT ? OFFSET ?",
            [bid, limit, offset],
        )
        out = []
        for g in groups:
            rows = list(g["source_rows"])
            loaded = {
                r["source_row"]: r
                for r in st.records(
                    "SELECT source_row, uscc, name, registered_on, address, business_scope, capital_raw, map_unit_2019,"
                    " district_2021 FROM enterprise_record WHERE batch_id = ? AND list_contains(?, source_row)",
                    [bid, rows],
                )
            }
            held = {
                r["source_row"]: r
                for r in st.records(
                    "SELECT source_row, first(code ORDER BY code) AS code, first(raw) AS raw FROM quarantine"
                    " WHERE batch_id = ? AND severity = 'error' AND list_contains(?, source_row) GROUP BY source_row",
                    [bid, rows],
                )
            }
            members = []
            for r in rows:
                if r in held:
                    members.append(
                        {
                            "source_row": r,
                            "status": "quarantined",
                            "code": held[r]["code"],
                            "raw": json.loads(held[r]["raw"]) if held[r]["raw"] else None,
                        }
                    )
                elif r in loaded:
                    members.append({"status": "loaded", **_row(loaded[r])})
                else:
                    members.append({"source_row": r, "status": "collapsed"})
            out.append(_row({**g, "source_rows": rows, "usccs": list(g["usccs"]), "members": members}))
    return out


def export(path: str | Path, format: str | None = None, store: Store | None = None) -> Path:
    """Write the current register to ``path`` as xlsx, csv or parquet (default: from the file's suffix)."""
    p = Path(path)
    fmt = (format or p.suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            f"export format {fmt!r} is not supported, expected one of {list(EXPORT_FORMATS)!r}", format=fmt
        )
    import duckdb
    from xlsxwriter.exceptions import XlsxWriterException

    with writing(p, duckdb.IOException, XlsxWriterException):
        p.parent.mkdir(parents=True, exist_ok=True)
        return _export(p, fmt, store)


def _export(p: Path, fmt: str, store: Store | None) -> Path:
    with _store(store) as st:
        if fmt == "parquet":
            st.execute(f"COPY (SELECT * FROM enterprise ORDER BY uscc) TO '{_sql_path(p)}' (FORMAT parquet)")
            return p
        select = (
            "SELECT * REPLACE (array_to_string(field_phrases, '；') AS field_phrases,"
            " array_to_string(future_industries, ',') AS future_industries) FROM enterprise ORDER BY uscc"
        )
        if fmt == "csv":
            st.execute(f"COPY ({_guarded_select(st, select)}) TO '{_sql_path(p)}' (FORMAT csv, HEADER)")
            return p
        _write_xlsx(st, select, p, "enterprise")
    return p


def _guarded_select(st: Store, select: str) -> str:
    """``select`` with every text column passed through the spreadsheet guard (see :mod:`industry_brain._core.cells`)."""
    described = st.execute(f"DESCRIBE {select}").fetchall()
    cols = [
        f'{sql_guard(_ident(name))} AS {_ident(name)}' if kind == "VARCHAR" else _ident(name)
        for name, kind, *_ in described
    ]
    return f"SELECT {', '.join(cols)} FROM ({select})"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")


def _write_xlsx(st: Store, select: str, p: Path, sheet: str) -> None:
    import xlsxwriter

    cur = st.execute(select)
    cols = [d[0] for d in cur.description or []]
    wb = xlsxwriter.Workbook(str(p), {"constant_memory": True, **XLSXWRITER_OPTIONS})
    try:
        ws = wb.add_worksheet(sheet)
        bold = wb.add_format({"bold": True})
        text = wb.add_format({"quote_prefix": True})
        ws.write_row(0, 0, cols, bold)
        r = 1
        while True:
            batch = cur.fetchmany(10_000)
            if not batch:
                break
            for row in batch:
                write_row(ws, r, 0, [_cell(v) for v in row], text)
                r += 1
    finally:
        wb.close()


def _cell(v: Any) -> Any:
    if isinstance(v, datetime | date):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return "；".join(str(x) for x in v)
    if isinstance(v, float) and v != v:
        return None
    return v


def export_quarantine(batch_id: int | None, path: str | Path, store: Store | None = None) -> Path:
    """An XLSX of a batch's quarantined rows (the raw row beside the reason), its warnings, and its conflicting
    duplicates side by side, for the office to correct and re-import."""
    from xlsxwriter.exceptions import XlsxWriterException

    p = Path(path)
    with writing(p, XlsxWriterException):
        p.parent.mkdir(parents=True, exist_ok=True)
        return _export_quarantine(batch_id, p, store)


def _export_quarantine(batch_id: int | None, p: Path, store: Store | None) -> Path:
    import xlsxwriter

    with _store(store) as st:
        bid = _batch_or_latest(st, batch_id)
        errors = quarantine(bid, st)
        warnings = [w for w in quarantine(bid, st, include_warnings=True) if w["severity"] == "warning"]
        groups = [g for g in duplicates_for_review(st, bid, limit=10_000) if g["reason"] == "uscc_conflict"]
    wb = xlsxwriter.Workbook(str(p), XLSXWRITER_OPTIONS)
    try:
        bold = wb.add_format({"bold": True})
        text = wb.add_format({"quote_prefix": True})
        wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        base = ["行号 row", "字段 field", "代码 code", "值 value", "说明", "message"]
        raw_keys: list[str] = []
        for e in errors:
            for k in e["raw"] or {}:
                if k not in raw_keys and k != "text":
                    raw_keys.append(k)
        ws = wb.add_worksheet("隔离行 quarantined")
        write_row(ws, 0, 0, [*base, "原始行 text", *raw_keys], text, bold)
        for i, e in enumerate(errors, start=1):
            raw = e["raw"] or {}
            write_row(
                ws,
                i,
                0,
                [
                    e["source_row"],
                    e["field"],
                    e["code"],
                    e["value"],
                    e["message_zh"],
                    e["message_en"],
                    raw.get("text"),
                ]
                + [_cell(raw.get(k)) for k in raw_keys],
                text,
            )
        ws.set_column(4, 5, 50, wrap)
        ws.freeze_panes(1, 0)
        ws = wb.add_worksheet("警告 warnings")
        ws.write_row(0, 0, base, bold)
        for i, w in enumerate(warnings, start=1):
            write_row(
                ws, i, 0, [w["source_row"], w["field"], w["code"], w["value"], w["message_zh"], w["message_en"]], text
            )
        ws.set_column(4, 5, 50, wrap)
        ws = wb.add_worksheet("冲突重复 conflicts")
        r = 0
        for g in groups:
            ws.write_row(
                r,
                0,
                [f"统一社会信用代码 {g['usccs'][0]}（{g['name_norm']}）：以下各行内容不同，均未导入"],
                bold,
            )
            r += 1
            keys: list[str] = []
            for m in g["members"]:
                for k in m.get("raw") or {}:
                    if k not in keys:
                        keys.append(k)
            write_row(ws, r, 0, ["行号 row", *keys], text, bold)
            r += 1
            for m in g["members"]:
                raw = m.get("raw") or {}
                write_row(ws, r, 0, [m["source_row"], *[_cell(raw.get(k)) for k in keys]], text)
                r += 1
            r += 1
    finally:
        wb.close()
    return p
