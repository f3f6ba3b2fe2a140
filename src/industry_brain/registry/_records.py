"""One chunk of read rows → normalised, validated staging records and the problems found in them.

Everything here is column-wise (pyarrow compute, NumPy); Python runs per distinct value (dates, capital) or per
problem row (messages), never per row of a clean file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from industry_brain.registry import _normalise as norm
from industry_brain.registry._columns import ColumnMap
from industry_brain.registry._currency import cny_rates
from industry_brain.registry._messages import MESSAGES, SEVERITY
from industry_brain.registry._readers import Chunk
from industry_brain.registry._uscc import check_uscc, check_uscc_array

#: Columns of a staging table, in order (loaded rows become ``enterprise_record`` rows).
STAGING_SCHEMA = pa.schema(
    [
        ("source_row", pa.int64()),
        ("ok", pa.bool_()),
        ("uscc", pa.string()),
        ("name", pa.string()),
        ("name_norm", pa.string()),
        ("name_initials", pa.string()),
        ("registered_on", pa.date32()),
        ("entity_type", pa.string()),
        ("capital_wan", pa.float64()),
        ("capital_currency", pa.string()),
        ("capital_wan_cny", pa.float64()),
        ("capital_raw", pa.string()),
        ("business_scope", pa.string()),
        ("address", pa.string()),
        ("district_declared", pa.string()),
        ("field_declared", pa.string()),
        ("hightech", pa.bool_()),
        ("hightech_cert_no", pa.string()),
        ("hightech_year", pa.int32()),
        ("listed", pa.bool_()),
        ("startup", pa.bool_()),
        ("synthetic", pa.bool_()),
        ("uscc_check_ok", pa.bool_()),
        ("extra", pa.string()),
    ]
)

#: The fields two records of one code are compared on (a new version of a list against the previous one; the
#: rows of one code in a file): the normalised values read from the file, not what is derived from them.
COMPARED = (
    "uscc",
    "name",
    "registered_on",
    "entity_type",
    "capital_raw",
    "business_scope",
    "address",
    "district_declared",
    "field_declared",
    "hightech_cert_no",
    "hightech_year",
    "listed",
    "startup",
    "synthetic",
)


def record_md5_sql() -> str:
    """SQL for the md5 of a record's compared fields (shown in a portrait's history)."""
    parts = ", ".join(f"coalesce(CAST({c} AS VARCHAR), '\x01')" for c in COMPARED)
    return f"md5(concat_ws('\x1f', {parts}))"


ISSUE_SCHEMA = pa.schema(
    [
        ("source_row", pa.int64()),
        ("field", pa.string()),
        ("code", pa.string()),
        ("severity", pa.string()),
        ("value", pa.string()),
        ("message_zh", pa.string()),
        ("message_en", pa.string()),
        ("raw", pa.string()),
    ]
)

#: Field names as shown in messages.
FIELD_LABELS = {
    "registered_on": ("注册日期", "registration date"),
    "listed": ("是否上市", "listed"),
    "startup": ("是否初创", "startup"),
}


@dataclass
class Issues:
    """Problems found in a chunk, one per (row, field, code)."""

    rows: list[int] = field(default_factory=list)
    fields: list[str | None] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    values: list[str | None] = field(default_factory=list)
    zh: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    raw: list[str | None] = field(default_factory=list)

    def add(
        self, row: int, fld: str | None, code: str, value: str | None, raw: str | None = None, **kw: object
    ) -> None:
        msg = MESSAGES.both(code, row=row, value=value, **kw)
        self.rows.append(row)
        self.fields.append(fld)
        self.codes.append(code)
        self.values.append(value)
        self.zh.append(msg["zh"])
        self.en.append(msg["en"])
        self.raw.append(raw)

    def table(self) -> pa.Table:
        return pa.table(
            {
                "source_row": pa.array(self.rows, pa.int64()),
                "field": pa.array(self.fields, pa.string()),
                "code": pa.array(self.codes, pa.string()),
                "severity": pa.array([SEVERITY[c] for c in self.codes], pa.string()),
                "value": pa.array(self.values, pa.string()),
                "message_zh": pa.array(self.zh, pa.string()),
                "message_en": pa.array(self.en, pa.string()),
                "raw": pa.array(self.raw, pa.string()),
            },
            schema=ISSUE_SCHEMA,
        )

    def __len__(self) -> int:
        return len(self.rows)


def raw_json(cm: ColumnMap, columns: list[list[str | None]], i: int) -> str:
    """The row as read, keyed by the file's headers."""
    out: dict[str, str | None] = {}
    for j, h in enumerate(cm.headers):
        out[h or f"column_{j + 1}"] = columns[j][i] if j < len(columns) else None
    return json.dumps(out, ensure_ascii=False)


def _json_escape(arr: pa.Array) -> pa.Array:
    """JSON string escapes, rewritten only on the rows holding a character that needs one."""
    hit = pc.match_substring_regex(arr, r'[\\"\x00-\x1f]').fill_null(False)
    hits = pc.sum(hit).as_py() or 0
    if hits == 0:
        return arr
    if hits * 2 > len(arr):
        return _escape_all(arr)
    return pc.replace_with_mask(arr, hit, _escape_all(arr.filter(hit)))


def _escape_all(arr: pa.Array) -> pa.Array:
    out = pc.replace_substring(arr, "\\", "\\\\")
    out = pc.replace_substring(out, '"', '\\"')
    out = pc.replace_substring(out, "\n", "\\n")
    out = pc.replace_substring(out, "\r", "\\r")
    out = pc.replace_substring(out, "\t", "\\t")
    # other control characters (rare) are written as \u00XX, in Python, on the rows that hold one
    other = pc.match_substring_regex(arr, r"[\x00-\x08\x0b\x0c\x0e-\x1f]").fill_null(False)
    if not pc.any(other).as_py():
        return out
    fixed = [json.dumps(v, ensure_ascii=False)[1:-1] for v in arr.filter(other).to_pylist()]
    return pc.replace_with_mask(out, other, pa.array(fixed, pa.string()))


def _extra(cm: ColumnMap, chunk: Chunk, n: int) -> pa.Array:
    """Unmapped columns (and province/city, which the register has no column for) as one JSON object per row."""
    idx = [i for i in range(len(cm.headers)) if cm.fields.get(i) in (None, "province", "city")]
    if not idx:
        return pa.nulls(n, pa.string())
    keys = [json.dumps(cm.headers[i] or f"column_{i + 1}", ensure_ascii=False) for i in idx]
    cols = [norm.contiguous(chunk.columns[i]) if i < len(chunk.columns) else pa.nulls(n, pa.string()) for i in idx]
    encoded = [norm.few_values(c) for c in cols]
    if all(e is not None for e in encoded):
        # columns of few values (a province, a city): one object per distinct combination of them
        combo = np.zeros(n, dtype=np.int64)
        for e in encoded:
            assert e is not None
            size = len(e.dictionary) + 1
            if size * (int(combo.max(initial=0)) + 1) >= 1 << 62:
                break
            combo = combo * size + e.indices.fill_null(size - 1).to_numpy(zero_copy_only=False)
        else:
            distinct = pc.dictionary_encode(pa.array(combo))
            first = np.unique(distinct.indices.to_numpy(zero_copy_only=False), return_index=True)[1]
            take = pa.array(first)
            return _json_objects(keys, [c.take(take) for c in cols]).take(distinct.indices)
    return _json_objects(keys, cols)


def _json_objects(keys: list[str], cols: list[pa.Array]) -> pa.Array:
    """One JSON object per row from JSON-encoded keys and string columns (null values as ``null``)."""
    parts: list[pa.Array | str] = ["{"]
    for k, (key, col) in enumerate(zip(keys, cols, strict=True)):
        val = pc.if_else(
            pc.is_null(col), "null", pc.binary_join_element_wise('"', _json_escape(col), '"', "")
        )
        parts.extend([("," if k else "") + key + ":", val])
    parts.append("}")
    return pc.binary_join_element_wise(*[p if not isinstance(p, str) else pa.scalar(p) for p in parts], "")


def stage(chunk: Chunk, cm: ColumnMap, *, synthetic: bool) -> tuple[pa.Table, Issues]:
    """Normalise and validate a chunk: a staging table (every row, with ``ok``) and its problems."""
    n = len(chunk)
    issues = Issues()
    pylists: list[list[str | None]] | None = None

    def col(fld: str) -> pa.Array:
        i = cm.index_of(fld)
        if i is None or i >= len(chunk.columns):
            return pa.nulls(n, pa.string())
        return chunk.columns[i]

    def raw_of(i: int) -> str:
        nonlocal pylists
        if pylists is None:
            pylists = [c.to_pylist() for c in chunk.columns]
        return raw_json(cm, pylists, i)

    rows = chunk.rows
    for bad in chunk.bad_rows:
        issues.add(
            bad.row,
            None,
            "row_column_count",
            None,
            json.dumps({"text": bad.text}, ensure_ascii=False),
            expected=bad.expected,
            actual=bad.actual,
        )

    name = norm.text(col("name"))
    uscc_raw = col("uscc")
    uscc = norm.code(uscc_raw)
    ok = np.ones(n, dtype=bool)

    # name and code
    name_missing = pc.is_null(name).to_numpy(zero_copy_only=False)
    verdict = check_uscc_array(uscc)

    def uscc_at(i: Any) -> str:
        return str(uscc[int(i)].as_py() or "")

    uscc_missing = pc.is_null(uscc).to_numpy(zero_copy_only=False)
    numeric = (
        np.array([int(r) in chunk.numeric_code_rows for r in rows], dtype=bool)
        if chunk.numeric_code_rows
        else np.zeros(n, dtype=bool)
    )
    malformed = ~verdict.well_formed & ~uscc_missing & ~numeric
    for i in np.flatnonzero(name_missing):
        issues.add(int(rows[i]), "name", "name_missing", None, raw_of(int(i)))
    for i in np.flatnonzero(uscc_missing):
        issues.add(int(rows[i]), "uscc", "uscc_missing", None, raw_of(int(i)))
    for i in np.flatnonzero(numeric & ~uscc_missing):
        issues.add(int(rows[i]), "uscc", "uscc_numeric_cell", uscc_at(i), raw_of(int(i)))
    for i in np.flatnonzero(malformed):
        v = check_uscc(uscc_at(i))
        errs = [p for p in v.problems if p.severity == "error"]
        issues.add(
            int(rows[i]),
            "uscc",
            "uscc_malformed",
            uscc_at(i),
            raw_of(int(i)),
            reason_zh="；".join(p.zh for p in errs),
            reason_en="; ".join(p.en for p in errs),
        )
    ok &= ~name_missing & ~uscc_missing & ~numeric & ~malformed
    well = verdict.well_formed & ok
    for i in np.flatnonzero(well & ~verdict.check_ok):
        issues.add(
            int(rows[i]), "uscc", "uscc_check_char", uscc_at(i), expected=chr(verdict.expected_check[i])
        )
    for i in np.flatnonzero(well & verdict.check_ok & ~verdict.org_check_ok):
        issues.add(
            int(rows[i]),
            "uscc",
            "uscc_org_check",
            uscc_at(i)[8:17],
            expected=chr(verdict.expected_org_check[i]),
        )

    # values that become empty with a warning when they do not parse
    def warn(mask: np.ndarray, fld: str, code: str, values: pa.Array, **kw: object) -> None:
        bad_idx = np.flatnonzero(~mask & ok)
        if len(bad_idx):
            vals = values.take(pa.array(bad_idx)).to_pylist()
            for i, v in zip(bad_idx, vals, strict=True):
                issues.add(int(rows[i]), fld, code, v, None, **kw)

    reg_text = norm.text(col("registered_on"))
    registered_on, d_ok = norm.dates(reg_text)
    zh, _en = FIELD_LABELS["registered_on"]
    warn(d_ok, "registered_on", "date_invalid", reg_text, field=zh)
    capital_raw = norm.text(col("capital"))
    capital_wan, currency, c_ok = norm.capital(capital_raw)
    warn(c_ok, "capital", "capital_invalid", capital_raw)
    year_text = norm.text(col("hightech_year"))
    year, y_ok = norm.years(year_text)
    warn(y_ok, "hightech_year", "year_invalid", year_text)
    cert, cert_ok = norm.cert_numbers(col("hightech_cert_no"))
    warn(cert_ok, "hightech_cert_no", "cert_no_invalid", cert)
    flags: dict[str, pa.Array] = {}
    for fld in ("listed", "startup"):
        t = norm.text(col(fld))
        flags[fld], f_ok = norm.flags(t)
        warn(f_ok, fld, "flag_invalid", t, field=FIELD_LABELS[fld][0])
    hightech = pc.or_kleene(pc.is_valid(cert), pc.is_valid(year)).fill_null(False)
    if cm.index_of("hightech_year") is None and cm.index_of("hightech_cert_no") is not None:
        hightech = pc.is_valid(cert)
    rates = cny_rates()  # 元 per unit, each with its basis (registry/_data/currencies.json)
    per_unit = pc.take(
        pa.array([*rates.values(), None], pa.float64()),
        pc.fill_null(pc.index_in(currency, pa.array(list(rates), pa.string())), len(rates)),
    )
    capital_cny = pc.multiply(capital_wan, per_unit)
    names_norm = norm.name_norm(name)
    initials = norm.initials_column(name)
    table = pa.table(
        [
            pa.array(rows, pa.int64()),
            pa.array(ok),
            uscc,
            name,
            pc.if_else(pc.is_null(names_norm), pa.scalar("", pa.string()), names_norm),
            initials,
            registered_on,
            norm.text(col("entity_type")),
            capital_wan,
            currency,
            capital_cny,
            capital_raw,
            norm.text(col("business_scope")),
            norm.text(col("address")),
            norm.text(col("district")),
            norm.text(col("field")),
            hightech,
            cert,
            year,
            flags["listed"],
            flags["startup"],
            pa.array(np.full(n, synthetic)),
            pa.array((verdict.check_ok & verdict.org_check_ok) | ~well),
            _extra(cm, chunk, n),
        ],
        schema=STAGING_SCHEMA,
    )
    return table, issues
