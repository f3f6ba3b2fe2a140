"""Alerts (预警) computed from a version pair of the register: a batch and the previous batch of the same list.

The comparison runs in DuckDB over the two batches joined on the credit code, restricted to the watched codes
(``_CHANGES``); the branch search scans every record new in the newer batch whose name carries a branch word and
joins it to the watched firms on a prefix of the name (``_BRANCHES``, a hash join on the first characters, then
``starts_with``). Rules and sentences: :mod:`._alert_kinds`. Each alert keeps the record versions it came from
(batch and source row, before and after) and a key, so computing a pair again adds nothing; a certificate is
warned about once, a branch once per firm that it is named after.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain._core.store import Store
from industry_brain.attract._alert_kinds import (
    ALERT_KINDS,
    BRANCH_WORDS,
    CAPITAL_CUT_HIGH,
    CERT_YEARS,
    DEFAULT_MONTHS,
    DEREGISTERED,
    KIND_LABELS,
    MESSAGES,
    MOVED,
    SEVERITY,
    STATUS_HEADERS,
    city_name,
    items_text,
    place_name,
    scope_diff,
    unit_name,
)

log = logging.getLogger(__name__)

HANGZHOU = "3301"   # division codes of the city the map covers: a record placed outside it has no map unit
_STATUS = "coalesce(" + ", ".join(f"json_extract_string(r.extra, '$.\"{h}\"')" for h in STATUS_HEADERS) + ")"
_DEREG = "|".join(DEREGISTERED)

_CHANGES = f"""
WITH w AS (SELECT district, uscc, kind AS watch_kind, name AS watch_name FROM attract_watch),
codes AS (SELECT DISTINCT uscc FROM w),
o AS (SELECT r.uscc, r.source_row, r.name, r.capital_wan_cny, r.business_scope, r.map_unit_2019, {_STATUS} AS status
      FROM enterprise_record r SEMI JOIN codes c ON c.uscc = r.uscc WHERE r.batch_id = $before),
n AS (SELECT r.uscc, r.source_row, r.name, r.capital_wan_cny, r.business_scope, r.map_unit_2019, r.division_code,
             {_STATUS} AS status,
             coalesce(r.hightech_year, try_cast(substr(r.hightech_cert_no, 3, 4) AS INTEGER)) AS cert_year,
             r.hightech_cert_no
      FROM enterprise_record r SEMI JOIN codes c ON c.uscc = r.uscc WHERE r.batch_id = $after),
j AS (
  SELECT w.district, w.uscc, w.watch_kind, coalesce(n.name, o.name, w.watch_name, w.uscc) AS name,
         o.source_row AS row_before, n.source_row AS row_after, o.name AS name_before, n.name AS name_after,
         o.capital_wan_cny AS capital_before, n.capital_wan_cny AS capital_after,
         o.business_scope AS scope_before, n.business_scope AS scope_after,
         o.map_unit_2019 AS unit_before, n.map_unit_2019 AS unit_after, n.division_code AS division_after,
         o.status AS status_before,
         n.status AS status_after, n.cert_year, n.hightech_cert_no AS cert_no,
         make_date(n.cert_year + {CERT_YEARS}, 12, 31) AS lapse,
         o.uscc IS NOT NULL AS had, n.uscc IS NOT NULL AS has
  FROM w LEFT JOIN o ON o.uscc = w.uscc LEFT JOIN n ON n.uscc = w.uscc
  WHERE o.uscc IS NOT NULL OR n.uscc IS NOT NULL)
SELECT *,
  had AND NOT has AND $before IS NOT NULL AS f_removed,
  had AND has AND unit_before = district AND coalesce(unit_after <> district,
      division_after IS NOT NULL AND NOT starts_with(division_after, '{HANGZHOU}')) AS f_moved_unit,
  has AND coalesce(contains(status_after, '{MOVED}'), false)
      AND NOT coalesce(contains(status_before, '{MOVED}'), false) AS f_moved_status,
  has AND coalesce(regexp_matches(status_after, '{_DEREG}'), false)
      AND NOT coalesce(regexp_matches(status_before, '{_DEREG}'), false) AS f_dereg,
  had AND has AND coalesce(capital_after < capital_before, false) AS f_capital,
  had AND has AND name_before <> name_after AS f_renamed,
  had AND has AND coalesce(scope_before, '') <> coalesce(scope_after, '') AS f_scope,
  has AND coalesce(lapse BETWEEN $as_of AND $as_of + to_months($months), false) AS f_cert
FROM j
WHERE f_removed OR f_moved_unit OR f_moved_status OR f_dereg OR f_capital OR f_renamed OR f_scope OR f_cert
ORDER BY district, uscc
"""

_BRANCH_FILTER = " OR ".join(f"contains(name, '{w}')" for w in BRANCH_WORDS)
_BRANCHES = f"""
WITH codes AS (SELECT DISTINCT uscc FROM attract_watch),
x AS (SELECT r.uscc, r.name, r.name_norm, r.division_code FROM enterprise_record r SEMI JOIN codes c ON c.uscc = r.uscc
      WHERE r.batch_id = $after OR r.batch_id = $before
      QUALIFY row_number() OVER (PARTITION BY r.uscc ORDER BY r.batch_id DESC) = 1),
w AS (SELECT a.district, a.uscc, a.kind AS watch_kind, x.name, x.name_norm, x.division_code
      FROM attract_watch a JOIN x ON x.uscc = a.uscc WHERE x.division_code IS NOT NULL),
p AS (SELECT DISTINCT * FROM (
        SELECT district, uscc, watch_kind, name, division_code, name AS prefix FROM w
        UNION ALL SELECT district, uscc, watch_kind, name, division_code, name_norm FROM w WHERE name_norm IS NOT NULL)
      WHERE length(prefix) >= 2),
b AS (SELECT r.uscc AS b_uscc, r.source_row AS b_row, r.name AS b_name, r.division_code AS b_div
      FROM enterprise_record r WHERE r.batch_id = $after AND r.division_code IS NOT NULL AND ({_BRANCH_FILTER})
      AND r.uscc NOT IN (SELECT uscc FROM enterprise_record WHERE batch_id = $before)),
m AS (SELECT p.*, b.* FROM b JOIN p ON left(b.b_name, 4) = left(p.prefix, 4) WHERE length(p.prefix) >= 4
      UNION ALL
      SELECT p.*, b.* FROM b JOIN p ON left(b.b_name, 2) = left(p.prefix, 2) WHERE length(p.prefix) < 4)
SELECT DISTINCT district, uscc, watch_kind, name, division_code, b_uscc, b_row, b_name, b_div FROM m
WHERE starts_with(b_name, prefix) AND b_uscc <> uscc AND left(b_div, 4) <> left(division_code, 4)
ORDER BY district, uscc, b_uscc
"""


@dataclass(frozen=True)
class Alert:
    """One warning about one watched firm, with why (the values compared and the rule) and its record versions."""

    alert_id: int | None
    kind: str
    district: str
    uscc: str
    name: str
    watch_kind: str
    severity: str
    message_zh: str
    message_en: str
    detail: dict[str, Any]
    source: str
    batch_before: int | None
    row_before: int | None
    batch_after: int
    row_after: int | None
    computed_at: datetime | None = None
    read_at: datetime | None = None
    read_by: str | None = None
    key: str = ""

    @property
    def read(self) -> bool:
        return self.read_at is not None

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        d = asdict(self)
        d.pop("key")
        d["read"] = self.read
        d["kind_label"] = KIND_LABELS.t(self.kind, "en" if lang == "en" else "zh-CN")
        d["district_name"] = unit_name(self.district, "en" if lang == "en" else "zh")
        d["message"] = self.message(lang)
        d["versions"] = {"before": None if self.batch_before is None else
                         {"batch_id": self.batch_before, "source_row": self.row_before},
                         "after": {"batch_id": self.batch_after, "source_row": self.row_after}}
        for k in ("computed_at", "read_at"):
            v = d[k]
            d[k] = v.isoformat(timespec="seconds") if v is not None else None
        return d


@dataclass(frozen=True)
class AlertRun:
    """One computation for a version pair."""

    run_id: int
    batch_after: int
    batch_before: int | None
    source: str
    as_of: date
    months: int
    watched: int
    alerts_found: int
    alerts_added: int
    seconds: float
    by_kind: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["as_of"] = self.as_of.isoformat()
        return d


def version_pair(store: Store, batch_id: int | None = None) -> tuple[int, int | None, str]:
    """(the batch, the previous batch of its source or None, the source); the newest batch when none is given."""
    if batch_id is None:
        row = store.fetchone("SELECT batch_id, source FROM import_batch ORDER BY batch_id DESC LIMIT 1")
        if row is None:
            raise NotFoundError("the register has no import yet: import a list first (ib registry import)")
    else:
        row = store.fetchone("SELECT batch_id, source FROM import_batch WHERE batch_id = ?", [batch_id])
        if row is None:
            raise NotFoundError(f"no import batch {batch_id!r}: see ib registry batches", batch_id=batch_id)
    after, source = int(row[0]), str(row[1])
    prev = store.fetchone("SELECT max(batch_id) FROM import_batch WHERE source = ? AND batch_id < ?", [source, after])
    return after, (int(prev[0]) if prev and prev[0] is not None else None), source


def _both(code: str, **values: Any) -> tuple[str, str]:
    m = MESSAGES.both(code, **values)
    return m["zh"], m["en"]


def _from_change(r: dict[str, Any], before: int | None, after: int, source: str, as_of: date,
                 months: int) -> list[Alert]:
    """The alerts one joined row of the pair raises."""
    out: list[Alert] = []
    base = (r["district"], r["uscc"], r["name"], r["watch_kind"])

    def add(kind: str, msg: tuple[str, str], detail: dict[str, Any], what: str, severity: str | None = None) -> None:
        out.append(Alert(None, kind, base[0], base[1], base[2], base[3], severity or SEVERITY[kind], msg[0], msg[1],
                         detail, source, before, r["row_before"], after, r["row_after"],
                         key=f"{kind}|{base[0]}|{base[1]}|{what}"))

    pair = f"b{after}"
    if r["f_moved_unit"]:
        # placed in another unit of the map, or outside the city (no unit; the division says where)
        where = r["unit_after"] or r["division_after"]
        after_zh = unit_name(where) if r["unit_after"] else place_name(where)
        after_en = unit_name(where, "en") if r["unit_after"] else place_name(where, "en")
        add("moved_out", _both("moved_out_unit", before=unit_name(r["unit_before"]), after=after_zh,
                               district=unit_name(r["district"]), before_en=unit_name(r["unit_before"], "en"),
                               after_en=after_en, district_en=unit_name(r["district"], "en")),
            {"field": "map_unit_2019" if r["unit_after"] else "division_code", "before": r["unit_before"],
             "after": where}, pair)
    elif r["f_moved_status"]:
        add("moved_out", _both("moved_out_status", before=r["status_before"] or "", after=r["status_after"]),
            {"field": "status", "before": r["status_before"], "after": r["status_after"]}, pair)
    if r["f_dereg"]:
        add("deregistered", _both("deregistered", before=r["status_before"] or "", after=r["status_after"]),
            {"field": "status", "before": r["status_before"], "after": r["status_after"]}, pair)
    if r["f_removed"]:
        add("removed_from_list", _both("removed_from_list", batch_before=before, row_before=r["row_before"],
                                       batch_after=after, source=source),
            {"field": "record", "before": r["name_before"], "after": None}, pair)
    if r["f_capital"]:
        cb, ca = float(r["capital_before"]), float(r["capital_after"])
        pct = round((cb - ca) / cb * 100, 1) if cb else 100.0
        add("capital_reduced", _both("capital_reduced", before=cb, after=ca, pct=pct, high=CAPITAL_CUT_HIGH),
            {"field": "capital_wan_cny", "before": cb, "after": ca, "percent": pct}, pair,
            "high" if pct >= CAPITAL_CUT_HIGH else "medium")
    if r["f_renamed"]:
        add("renamed", _both("renamed", before=r["name_before"], after=r["name_after"]),
            {"field": "name", "before": r["name_before"], "after": r["name_after"]}, pair)
    if r["f_scope"]:
        diff = scope_diff(r["scope_before"], r["scope_after"])
        add("scope_changed", _both("scope_changed",
                                   added_zh=items_text(diff["added"], diff["added_total"], "zh"),
                                   removed_zh=items_text(diff["removed"], diff["removed_total"], "zh"),
                                   added_en=items_text(diff["added"], diff["added_total"], "en"),
                                   removed_en=items_text(diff["removed"], diff["removed_total"], "en")),
            {"field": "business_scope", "before": r["scope_before"], "after": r["scope_after"], **diff}, pair)
    if r["f_cert"]:
        year, lapse = int(r["cert_year"]), r["lapse"]
        cert = r["cert_no"] or f"{year}"
        add("cert_expiring", _both("cert_expiring", cert=cert, year=year, lapse=lapse.isoformat(),
                                   as_of=as_of.isoformat(), months=months, lapse_year=year + CERT_YEARS),
            {"field": "hightech_cert_no", "before": None, "after": r["cert_no"], "cert_year": year,
             "lapses_on": lapse.isoformat(), "as_of": as_of.isoformat(), "months": months}, f"cert:{cert}")
    return out


def _from_branch(r: dict[str, Any], before: int | None, after: int, source: str) -> Alert:
    zh, en = _both("branch_elsewhere", branch=r["b_name"], branch_uscc=r["b_uscc"], place=place_name(r["b_div"]),
                   place_en=place_name(r["b_div"], "en"), batch_after=after, row_after=r["b_row"],
                   city=city_name(r["division_code"]), city_en=city_name(r["division_code"], "en"))
    return Alert(None, "branch_elsewhere", r["district"], r["uscc"], r["name"], r["watch_kind"],
                 SEVERITY["branch_elsewhere"], zh, en,
                 {"field": "branch", "before": None, "after": r["b_name"], "branch_uscc": r["b_uscc"],
                  "branch_division": r["b_div"], "firm_division": r["division_code"]},
                 source, None, None, after, int(r["b_row"]),
                 key=f"branch_elsewhere|{r['district']}|{r['uscc']}|{r['b_uscc']}")


def find_alerts(store: Store, after: int, before: int | None, source: str, *, as_of: date,
                months: int = DEFAULT_MONTHS) -> list[Alert]:
    """The alerts of a version pair for the watch lists as they are now (nothing written)."""
    params = {"after": after, "before": before, "as_of": as_of, "months": months}
    found: list[Alert] = []
    for r in store.records(_CHANGES, params):
        found.extend(_from_change(r, before, after, source, as_of, months))
    for r in store.records(_BRANCHES, {"after": after, "before": before}):
        found.append(_from_branch(r, before, after, source))
    return found


def _check_months(months: int) -> int:
    if not 1 <= months <= 36:
        raise InputError(f"months {months!r}: expected a whole number of months from 1 to 36", field="months",
                         value=months)
    return months


def compute_alerts(store: Store, batch_id: int | None = None, *, as_of: date | None = None,
                   months: int = DEFAULT_MONTHS) -> AlertRun:
    """Compute and keep the alerts of a version pair (default: the newest batch against the previous one of its
    source). ``as_of`` (default: today) and ``months`` set the certificate window. Alerts already on record are
    not added again."""
    t0 = time.perf_counter()
    _check_months(months)
    day = as_of or datetime.now(UTC).date()
    after, before, source = version_pair(store, batch_id)
    alerts = find_alerts(store, after, before, source, as_of=day, months=months)
    now = datetime.now(UTC).replace(tzinfo=None)
    watched = store.fetchone("SELECT count(*) FROM attract_watch")
    with store.transaction():
        nxt = store.fetchone("SELECT coalesce(max(run_id), 0) + 1 FROM attract_alert_run")
        run_id = int(nxt[0]) if nxt else 1
        new = _store_new(store, alerts, run_id, now)
        seconds = round(time.perf_counter() - t0, 3)
        store.execute("INSERT INTO attract_alert_run VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [run_id, after, before, source, day, months, int(watched[0]) if watched else 0, len(alerts),
                       len(new), seconds, now])
    by_kind = {k: sum(1 for a in new if a.kind == k) for k in ALERT_KINDS if any(a.kind == k for a in new)}
    return AlertRun(run_id, after, before, source, day, months, int(watched[0]) if watched else 0, len(alerts),
                    len(new), seconds, by_kind)


_ALERT_COLUMNS = ("alert_key", "kind", "district", "uscc", "name", "watch_kind", "severity", "message_zh",
                  "message_en", "detail", "source", "batch_before", "row_before", "batch_after", "row_after")


def _store_new(store: Store, alerts: list[Alert], run_id: int, now: datetime) -> list[Alert]:
    """Insert the alerts not yet on record (by key) in one statement over an Arrow table; returns them."""
    import pyarrow as pa

    if not alerts:
        return []
    known = {str(k[0]) for k in store.fetchall(
        "SELECT alert_key FROM attract_alert WHERE batch_after = ? OR kind IN ('cert_expiring', 'branch_elsewhere')",
        [alerts[0].batch_after])}
    new = [a for a in alerts if a.key not in known]
    if not new:
        return []
    ints = pa.int32()
    table = pa.table({
        "alert_key": [a.key for a in new], "kind": [a.kind for a in new], "district": [a.district for a in new],
        "uscc": [a.uscc for a in new], "name": [a.name for a in new], "watch_kind": [a.watch_kind for a in new],
        "severity": [a.severity for a in new], "message_zh": [a.message_zh for a in new],
        "message_en": [a.message_en for a in new],
        "detail": [json.dumps(a.detail, ensure_ascii=False, default=str) for a in new],
        "source": [a.source for a in new], "batch_before": pa.array([a.batch_before for a in new], ints),
        "row_before": pa.array([a.row_before for a in new], ints),
        "batch_after": pa.array([a.batch_after for a in new], ints),
        "row_after": pa.array([a.row_after for a in new], ints),
    })
    cols = ", ".join(_ALERT_COLUMNS)
    store.con.register("ib_new_alerts", table)
    try:
        store.execute(f"INSERT INTO attract_alert ({cols}, run_id, computed_at) SELECT {cols}, ?, ? FROM ib_new_alerts",
                      [run_id, now])
    finally:
        store.con.unregister("ib_new_alerts")
    return new


def alerts_after_import(store: Store, batch_id: int | None) -> dict[str, Any]:
    """Compute the alerts of a batch just imported. A failure is logged and reported in the result — it never
    undoes or fails the import. Returns ``{"computed": bool, "run": AlertRun dict or None, "error": str or None}``;
    nothing is computed without a batch or without any watch list."""
    if batch_id is None:
        return {"computed": False, "run": None, "error": None}
    try:
        row = store.fetchone("SELECT count(*) FROM attract_watch")
        if not row or int(row[0]) == 0:
            return {"computed": False, "run": None, "error": None}
        return {"computed": True, "run": compute_alerts(store, batch_id).to_dict(), "error": None}
    except Exception as exc:  # the import stands whatever happens here
        log.exception("alerts for batch %s could not be computed; the import is kept", batch_id)
        return {"computed": False, "run": None, "error": f"{type(exc).__name__}: {exc}"}


_COLS = ("alert_id, kind, district, uscc, name, watch_kind, severity, message_zh, message_en, detail, source,"
         " batch_before, row_before, batch_after, row_after, computed_at, read_at, read_by, alert_key")


def _alert(row: tuple[Any, ...]) -> Alert:
    values = list(row)
    values[9] = json.loads(values[9]) if isinstance(values[9], str) else values[9]
    return Alert(*values)


def list_alerts(store: Store, *, districts: list[str] | None = None, kind: str | None = None,
                unread: bool | None = None, uscc: str | None = None, limit: int = 200,
                offset: int = 0) -> list[Alert]:
    """Alerts, newest first (unread before read at the same time), narrowed by districts (None: all), kind,
    read state and firm."""
    where: list[str] = ["true"]
    args: list[Any] = []
    if districts is not None:
        where.append("list_contains(?, district)")
        args.append(list(districts))
    if kind:
        if kind not in ALERT_KINDS:
            raise InputError(f"unknown alert kind {kind!r}: expected one of {', '.join(ALERT_KINDS)}", field="kind",
                             value=kind)
        where.append("kind = ?")
        args.append(kind)
    if unread is not None:
        where.append("read_at IS NULL" if unread else "read_at IS NOT NULL")
    if uscc:
        where.append("uscc = ?")
        args.append(uscc.strip().upper())
    rows = store.fetchall(
        f"SELECT {_COLS} FROM attract_alert WHERE {' AND '.join(where)}"
        " ORDER BY computed_at DESC, read_at IS NOT NULL, CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1"
        " ELSE 2 END, alert_id LIMIT ? OFFSET ?", [*args, limit, offset])
    return [_alert(r) for r in rows]


def count_alerts(store: Store, *, districts: list[str] | None = None) -> dict[str, int]:
    """Alerts and unread alerts (of ``districts``, or all)."""
    where, args = ("list_contains(?, district)", [list(districts)]) if districts is not None else ("true", [])
    row = store.fetchone(f"SELECT count(*), count(*) FILTER (read_at IS NULL) FROM attract_alert WHERE {where}", args)
    return {"total": int(row[0]) if row else 0, "unread": int(row[1]) if row else 0}


def get_alert(store: Store, alert_id: int) -> Alert:
    row = store.fetchone(f"SELECT {_COLS} FROM attract_alert WHERE alert_id = ?", [alert_id])
    if row is None:
        raise NotFoundError(f"no alert {alert_id!r}", alert_id=alert_id)
    return _alert(row)


def mark_read(store: Store, alert_id: int, *, by: str | None = None, read: bool = True) -> Alert:
    """Mark an alert read (or unread again with ``read=False``)."""
    get_alert(store, alert_id)
    if read:
        store.execute("UPDATE attract_alert SET read_at = coalesce(read_at, ?), read_by = coalesce(read_by, ?)"
                      " WHERE alert_id = ?", [datetime.now(UTC).replace(tzinfo=None), by, alert_id])
    else:
        store.execute("UPDATE attract_alert SET read_at = NULL, read_by = NULL WHERE alert_id = ?", [alert_id])
    return get_alert(store, alert_id)


def alert_runs(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The latest computations, newest first."""
    return store.records("SELECT * FROM attract_alert_run ORDER BY run_id DESC LIMIT ?", [limit])


def alert_feed(alerts: list[Alert], *, base_url: str, lang: str = "zh", title: str | None = None) -> dict[str, Any]:
    """The alerts as a JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""
    base = base_url.rstrip("/")
    en = lang == "en"
    items = []
    for a in alerts:
        label = KIND_LABELS.t(a.kind, "en" if en else "zh-CN")
        stamp = (a.computed_at or datetime.now(UTC).replace(tzinfo=None)).replace(tzinfo=UTC)
        items.append({
            "id": f"{base}/attract/alerts#alert-{a.alert_id}",
            "url": f"{base}/attract/alerts?uscc={a.uscc}#alert-{a.alert_id}",
            "title": f"{a.name}: {label}" if en else f"{a.name}：{label}",
            "content_text": a.message(lang),
            "date_published": stamp.isoformat(timespec="seconds"),
            "tags": [a.kind, a.severity, a.district, a.watch_kind],
            "_industry_brain": {"alert_id": a.alert_id, "uscc": a.uscc, "district": a.district, "read": a.read,
                                "versions": {"before": [a.batch_before, a.row_before],
                                             "after": [a.batch_after, a.row_after]}},
        })
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title or ("Industry Brain — watch-list alerts" if en else "产业大脑 · 监测预警"),
        "home_page_url": f"{base}/attract/alerts",
        "feed_url": f"{base}/api/v1/attract/alerts/feed.json",
        "language": "en" if en else "zh-CN",
        "items": items,
    }
