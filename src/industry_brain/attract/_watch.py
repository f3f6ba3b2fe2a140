"""Watch lists (关注清单): per district, the firms it courts (``target``, 招商标的) and its own anchor firms
(``anchor``, 本区龙头企业), each a credit code with a note.

Items are added one at a time, imported from a list (XLSX/CSV with the headers 企业名称, 统一社会信用代码, 类型,
备注), or taken from the register as the district's anchors. An import is one transaction; a row with a problem is
quarantined with its row, field, stable code and value (``attract_watch_problem``); importing the same file again
for the same district changes nothing, and a list that names a code again updates its kind and note.

The anchors rule (:func:`add_anchors`): the firms of the current register placed in the district (2019 map unit),
national high-tech enterprises first, then by registered capital in 万元 (CNY, largest first; unknown last), then
by credit code — the order the chains context uses for a segment's anchors, applied to the whole district.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain._core.i18n import Catalog
from industry_brain._core.store import Store
from industry_brain._core.tables import read_rows
from industry_brain.geo import map_unit_code
from industry_brain.registry import check_uscc

WATCH_KINDS: tuple[str, ...] = ("target", "anchor")
_KIND_WORDS = {
    "target": ("target", "标的", "招商标的", "目标", "目标企业", "招商目标", "拟招引", "拟招引企业"),
    "anchor": ("anchor", "龙头", "龙头企业", "本区龙头", "本区龙头企业", "链主", "链主企业"),
}
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("企业名称", "名称", "公司名称", "单位名称", "name"),
    "uscc": ("统一社会信用代码", "信用代码", "社会信用代码", "uscc"),
    "kind": ("类型", "关注类型", "类别", "kind"),
    "note": ("备注", "说明", "note"),
}
DEFAULT_ANCHORS = 10

PROBLEMS = Catalog({
    "uscc_missing": ("统一社会信用代码为空", "the credit code is empty"),
    "uscc_invalid": ("统一社会信用代码 {value!r} 格式不正确，应为18位（GB 32100）", "credit code {value!r} is malformed: expected 18 characters (GB 32100)"),
    "kind_unknown": ("类型 {value!r} 无法识别，应为：招商标的 或 龙头企业", "kind {value!r}: expected 招商标的 (target) or 龙头企业 (anchor)"),
    "uscc_duplicate": ("统一社会信用代码 {value!r} 重复（首次出现在第 {first} 行）", "credit code {value!r} repeats (first on row {first})"),
    "row_malformed": ("该行有 {got} 列，表头有 {expected} 列", "row has {got} cells, the header has {expected}"),
})


@dataclass(frozen=True)
class WatchItem:
    """A firm on a district's watch list, with its current register record's name and unit when it has one."""

    district: str
    uscc: str
    kind: str
    name: str | None
    note: str | None
    origin: str
    added_by: str | None
    added_at: datetime
    unit: str | None = None          # the firm's 2019 map unit in the current register
    in_register: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["added_at"] = self.added_at.isoformat(timespec="seconds")
        return d


@dataclass
class WatchImport:
    """What a watch-list import did."""

    import_id: int | None
    district: str
    file_name: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    noop: bool = False
    problems: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def district_of(text: str | None) -> str:
    """The 2019 map unit code of a district given by code or name; :class:`InputError` when it is not one."""
    code = map_unit_code(text)
    if code is None:
        raise InputError(f"unknown district {text!r}: expected a 2019 map unit code or name such as 330106 or 西湖区",
                         field="district", value=text)
    return code


def watch_kind(text: str | None) -> str | None:
    """``target`` or ``anchor`` from a code or a Chinese word (招商标的, 龙头企业 …); None when neither."""
    t = unicodedata.normalize("NFKC", text or "").strip().lower()
    for kind, words in _KIND_WORDS.items():
        if t in words:
            return kind
    return None


def _kind_or_error(kind: str) -> str:
    got = watch_kind(kind)
    if got is None:
        raise InputError(f"unknown watch kind {kind!r}: expected target (招商标的) or anchor (龙头企业)",
                         field="kind", value=kind)
    return got


def _uscc_or_error(uscc: str) -> str:
    verdict = check_uscc(uscc)
    if not verdict.well_formed:
        raise InputError(f"malformed credit code {uscc!r}: expected 18 characters (GB 32100)", field="uscc",
                         value=uscc)
    return verdict.code


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def add_to_watch(store: Store, district: str, uscc: str, kind: str, note: str | None = None, *,
                 by: str | None = None, name: str | None = None, origin: str = "manual") -> WatchItem:
    """Put a firm on a district's watch list (or change its kind and note when it is on it already)."""
    d, code, k = district_of(district), _uscc_or_error(uscc), _kind_or_error(kind)
    _upsert(store, [(d, code, k, name or None, note or None)], origin, None, by)
    return get_watch_item(store, d, code)


def _upsert(store: Store, rows: Sequence[tuple[str, str, str, str | None, str | None]], origin: str,
            import_id: int | None, by: str | None) -> int:
    """Insert or update items; returns how many rows were new or changed."""
    changed = 0
    now = _now()
    for d, code, k, name, note in rows:
        old = store.fetchone("SELECT kind, name, note FROM attract_watch WHERE district = ? AND uscc = ?", [d, code])
        if old is None:
            store.execute("INSERT INTO attract_watch VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          [d, code, k, name, note, origin, import_id, by, now])
            changed += 1
        elif (old[0], old[1], old[2]) != (k, name or old[1], note if note is not None else old[2]):
            store.execute("UPDATE attract_watch SET kind = ?, name = coalesce(?, name), note = coalesce(?, note)"
                          " WHERE district = ? AND uscc = ?", [k, name, note, d, code])
            changed += 1
    return changed


def remove_from_watch(store: Store, district: str, uscc: str) -> WatchItem:
    """Take a firm off a district's watch list (its alerts stay in the inbox); returns the item removed."""
    item = get_watch_item(store, district, uscc)
    store.execute("DELETE FROM attract_watch WHERE district = ? AND uscc = ?", [item.district, item.uscc])
    return item


_ITEM_SQL = (
    "SELECT w.district, w.uscc, w.kind, coalesce(e.name, w.name, (SELECT r.name FROM enterprise_record r"
    " WHERE r.uscc = w.uscc ORDER BY r.batch_id DESC LIMIT 1)), w.note, w.origin, w.added_by, w.added_at,"
    " e.map_unit_2019, e.uscc IS NOT NULL FROM attract_watch w LEFT JOIN enterprise e ON e.uscc = w.uscc"
)


def get_watch_item(store: Store, district: str, uscc: str) -> WatchItem:
    d = district_of(district)
    code = unicodedata.normalize("NFKC", uscc).strip().upper()
    row = store.fetchone(_ITEM_SQL + " WHERE w.district = ? AND w.uscc = ?", [d, code])
    if row is None:
        raise NotFoundError(f"{code!r} is not on the watch list of {d!r}", district=d, uscc=code)
    return WatchItem(*row)


def watch_list(store: Store, district: str | None = None, *, districts: list[str] | None = None,
               kind: str | None = None) -> list[WatchItem]:
    """The items of one district (or of ``districts``, or of every district), anchors first, then by name."""
    where: list[str] = ["true"]
    args: list[Any] = []
    if district:
        where.append("w.district = ?")
        args.append(district_of(district))
    if districts is not None:
        where.append("list_contains(?, w.district)")
        args.append(list(districts))
    if kind:
        where.append("w.kind = ?")
        args.append(_kind_or_error(kind))
    rows = store.fetchall(_ITEM_SQL + " WHERE " + " AND ".join(where)
                          + " ORDER BY w.district, w.kind = 'target', coalesce(e.name, w.name, w.uscc), w.uscc", args)
    return [WatchItem(*r) for r in rows]


# ------------------------------------------------------------------------------------------------------ import
def _header_map(header: list[str]) -> dict[str, int]:
    norm = [unicodedata.normalize("NFKC", h).strip().lower() for h in header]
    found: dict[str, int] = {}
    for key, names in HEADERS.items():
        for name in names:
            if name.lower() in norm:
                found[key] = norm.index(name.lower())
                break
    return found


def import_watch(store: Store, district: str, path: str | Path, *, by: str | None = None,
                 default_kind: str = "target") -> WatchImport:
    """Load a watch list for ``district`` in one transaction; a file already imported for it changes nothing.

    A row without a 类型 takes ``default_kind``. Rows with a problem are quarantined (codes in :data:`PROBLEMS`)."""
    d = district_of(district)
    default = _kind_or_error(default_kind)
    p = Path(path)
    got = read_rows(p)
    rows = [r for r in got.rows if any(c for c in r)]
    if not rows:
        raise InputError(f"{p.name}: the file has no header row", file=p.name)
    header = rows[0]
    cols = _header_map(header)
    if "uscc" not in cols:
        raise InputError(f"{p.name}: required column missing: 统一社会信用代码 (header: {header!r})", file=p.name,
                         missing=["uscc"])
    digest = hashlib.sha256(p.read_bytes()).hexdigest()
    start = got.rows.index(header)
    body = [(i, r) for i, r in enumerate(got.rows[start + 1:], start=start + 2) if any(c for c in r)]
    seen = store.fetchone("SELECT import_id FROM attract_watch_import WHERE district = ? AND sha256 = ?", [d, digest])
    if seen is not None:
        return WatchImport(int(seen[0]), d, p.name, len(body), 0, 0, noop=True)
    problems: list[dict[str, Any]] = []
    first: dict[str, int] = {}
    good: list[tuple[str, str, str, str | None, str | None]] = []

    def problem(row: int, fld: str, code: str, value: object, raw: dict[str, str], **extra: Any) -> None:
        msg = PROBLEMS.both(code, value=value, **extra)
        problems.append({"source_row": row, "field": fld, "code": code, "value": None if value is None else str(value),
                         "message_zh": f"第{row}行：{msg['zh']}", "message_en": f"row {row}: {msg['en']}", "raw": raw})

    for row, cells in body:
        raw = {h: (cells[j] if j < len(cells) else "") for j, h in enumerate(header) if h}
        if len(cells) > len(header) and any(c for c in cells[len(header):]):
            problem(row, "row", "row_malformed", None, raw, got=len(cells), expected=len(header))
            continue
        cell = {k: (cells[j] if j < len(cells) else "") for k, j in cols.items()}
        text = cell.get("uscc", "")
        before = len(problems)
        code = None
        if not text:
            problem(row, "uscc", "uscc_missing", text, raw)
        else:
            verdict = check_uscc(text)
            if not verdict.well_formed:
                problem(row, "uscc", "uscc_invalid", text, raw)
            else:
                code = verdict.code
        kind = watch_kind(cell["kind"]) if cell.get("kind") else default
        if kind is None:
            problem(row, "kind", "kind_unknown", cell.get("kind"), raw)
        if code is not None and code in first:
            problem(row, "uscc", "uscc_duplicate", code, raw, first=first[code])
        if len(problems) > before or code is None or kind is None:
            continue
        first[code] = row
        good.append((d, code, kind, cell.get("name") or None, cell.get("note") or None))
    quarantined = len({pr["source_row"] for pr in problems})
    with store.transaction():
        nxt = store.fetchone("SELECT coalesce(max(import_id), 0) + 1 FROM attract_watch_import")
        iid = int(nxt[0]) if nxt else 1
        store.execute("INSERT INTO attract_watch_import VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [iid, d, p.name, digest, len(body), len(good), quarantined, by, _now()])
        _upsert(store, good, "import", iid, by)
        for pr in problems:
            store.execute("INSERT INTO attract_watch_problem VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          [iid, pr["source_row"], pr["field"], pr["code"], pr["value"], pr["message_zh"],
                           pr["message_en"], json.dumps(pr["raw"], ensure_ascii=False)])
    return WatchImport(iid, d, p.name, len(body), len(good), quarantined, problems=problems)


def watch_problems(store: Store, import_id: int) -> list[dict[str, Any]]:
    """The quarantined rows of a watch-list import."""
    return store.records("SELECT source_row, field, code, value, message_zh, message_en, raw FROM attract_watch_problem"
                         " WHERE import_id = ? ORDER BY source_row, field", [import_id])


# ----------------------------------------------------------------------------------------------------- anchors
def anchor_candidates(store: Store, district: str, limit: int = DEFAULT_ANCHORS) -> list[dict[str, Any]]:
    """The district's anchors by the module's rule, each with why it ranks where it does."""
    d = district_of(district)
    rows = store.records(
        "SELECT uscc, name, hightech, hightech_cert_no, capital_wan_cny FROM enterprise WHERE map_unit_2019 = ?"
        " ORDER BY hightech DESC, capital_wan_cny DESC NULLS LAST, uscc LIMIT ?", [d, limit])
    for rank, r in enumerate(rows, start=1):
        cap = "未知" if r["capital_wan_cny"] is None else f"{r['capital_wan_cny']:g} 万元"
        cap_en = "unknown" if r["capital_wan_cny"] is None else f"{r['capital_wan_cny']:g} 万元 CNY"
        r["rank"] = rank
        r["why_zh"] = (f"第 {rank} 位：{'高新技术企业' if r['hightech'] else '非高新技术企业'}，注册资本 {cap}"
                       "（规则：高新技术企业优先，再按注册资本从大到小）")
        r["why_en"] = (f"rank {rank}: {'high-tech certified' if r['hightech'] else 'not high-tech certified'}, "
                       f"registered capital {cap_en} (rule: high-tech firms first, then by registered capital)")
    return rows


def add_anchors(store: Store, district: str, limit: int = DEFAULT_ANCHORS, *, by: str | None = None) -> list[dict[str, Any]]:
    """Put the district's ``limit`` anchors (rule in the module docstring) on its watch list as ``anchor``; a firm
    already on the list keeps its kind and note. Returns the candidates, each with ``added``."""
    d = district_of(district)
    picked = anchor_candidates(store, d, limit)
    with store.transaction():
        for r in picked:
            on = store.fetchone("SELECT 1 FROM attract_watch WHERE district = ? AND uscc = ?", [d, r["uscc"]])
            r["added"] = on is None
            if on is None:
                _upsert(store, [(d, r["uscc"], "anchor", r["name"], None)], "anchors", None, by)
    return picked
