"""Normalisation of a chunk's text columns, vectorised with pyarrow (and NumPy over distinct values).

* text: NFKC (full-width digits, letters and brackets become ASCII), whitespace trimmed and collapsed; empty → null.
* codes: NFKC, no whitespace or hyphens, upper case.
* capital: ``200(万元人民币)``, ``"50万人民币"``, ``1000万美元``, ``1.2亿元``, ``5000000元``, ``N/A`` → amount in 万 of a
  currency (bare numbers follow the register convention of 万元人民币).
* dates: ``2019-01-02``, ``2019/1/2``, ``2019.1.2``, ``2019年1月2日``, ``20190102``, Excel serials, datetimes.
* names: ``name_norm`` without legal-form affixes (``_data/legal_forms.json``), ``name_initials`` in pinyin.

Parsers of single values (:func:`parse_capital`, :func:`parse_date`) return ``None`` for "missing", raise
:class:`~industry_brain._core.errors.ParseError` for a value that is present but wrong, and nothing else.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from industry_brain._core.errors import ParseError
from industry_brain.registry._columns import header_data

T = TypeVar("T")

MISSING = frozenset(
    {"", "n/a", "na", "-", "--", "—", "/", "无", "空", "null", "none", "nan", "#n/a", "不详", "未知"}
)


# ---- columns -----------------------------------------------------------------------------------------------


def text(arr: pa.Array) -> pa.Array:
    """NFKC, whitespace trimmed and collapsed; empty strings become null."""
    out = pc.utf8_normalize(arr, form="NFKC")
    out = pc.replace_substring_regex(out, pattern=r"\s+", replacement=" ")
    out = pc.utf8_trim_whitespace(out)
    return pc.if_else(pc.equal(out, ""), pa.scalar(None, pa.string()), out)


def code(arr: pa.Array) -> pa.Array:
    """NFKC, no whitespace or separators, upper case; empty → null."""
    out = pc.utf8_normalize(arr, form="NFKC")
    out = pc.replace_substring_regex(out, pattern=r"[\s\-_]+", replacement="")
    out = pc.utf8_upper(out)
    return pc.if_else(pc.equal(out, ""), pa.scalar(None, pa.string()), out)


def missing_mask(arr: pa.Array) -> pa.Array:
    """True where a (normalised) value is null or a placeholder such as N/A."""
    lowered = pc.utf8_lower(arr)
    return pc.or_kleene(pc.is_null(arr), pc.is_in(lowered, value_set=pa.array(sorted(MISSING))))


def by_distinct(
    arr: pa.Array, parse: Callable[[str], T | None], out_type: pa.DataType
) -> tuple[pa.Array, np.ndarray]:
    """Apply a Python parser to each distinct value once; returns (values, ok) where ok is False for a
    present value that failed to parse (``ParseError``)."""
    enc = (
        pc.dictionary_encode(arr).combine_chunks()
        if isinstance(arr, pa.ChunkedArray)
        else pc.dictionary_encode(arr)
    )
    uniques = enc.dictionary.to_pylist()
    parsed: list[Any] = []
    failed = np.zeros(len(uniques) + 1, dtype=bool)
    for i, u in enumerate(uniques):
        try:
            parsed.append(parse(u))
        except ParseError:
            parsed.append(None)
            failed[i] = True
    values = pa.array(parsed, out_type)
    idx = enc.indices
    out = values.take(idx)
    idx_np = idx.fill_null(len(uniques)).to_numpy(zero_copy_only=False)
    ok = ~failed[idx_np]
    return out, ok


# ---- capital -----------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)(.*)$")


@lru_cache(maxsize=1)
def _currencies() -> list[tuple[str, str]]:
    table: dict[str, str] = header_data()["capital_units"]["currencies"]
    return sorted(table.items(), key=lambda kv: -len(kv[0]))


def parse_capital(value: str | None) -> tuple[float, str] | None:
    """``(amount in 万, currency)``; None when missing; :class:`ParseError` when present but unreadable."""
    if value is None:
        return None
    s = unicodedata.normalize("NFKC", str(value)).strip().strip('"').strip()
    if s.lower() in MISSING:
        return None
    compact = re.sub(r"[\s()\[\]【】]", "", s).lower()
    m = _NUMBER.match(compact)
    if not m:
        raise ParseError(f"registered capital {value!r} does not start with a number", value=value)
    try:
        amount = float(m.group(1).replace(",", ""))
    except ValueError as exc:
        raise ParseError(f"registered capital {value!r} has no readable number", value=value) from exc
    unit = m.group(2)
    currency = None
    rest = unit
    for word, cur in _currencies():
        if word in rest:
            currency = cur
            rest = rest.replace(word, "", 1)
            break
    factor = 1.0  # a bare number follows the register convention: 万
    if "亿" in rest:
        factor, rest = 10_000.0, rest.replace("亿", "", 1)
    elif "万" in rest:
        rest = rest.replace("万", "", 1)
    elif "千" in rest:
        factor, rest = 0.1, rest.replace("千", "", 1)
    elif "元" in rest or currency is not None:
        factor = 1e-4  # a plain amount in units of the currency
    rest = rest.replace("元", "").replace("整", "").replace("人民币", "")
    if rest:
        raise ParseError(f"registered capital {value!r}: unknown unit {unit!r}", value=value)
    if not np.isfinite(amount) or amount < 0:
        raise ParseError(f"registered capital {value!r} is not a finite amount", value=value)
    return amount * factor, currency or "CNY"


def capital(arr: pa.Array) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """(capital_wan, capital_currency, ok) for a text column."""
    parsed, ok = by_distinct(
        arr, _parse_capital_struct, pa.struct([("wan", pa.float64()), ("currency", pa.string())])
    )
    return pc.struct_field(parsed, "wan"), pc.struct_field(parsed, "currency"), ok


def _parse_capital_struct(value: str) -> dict[str, Any] | None:
    got = parse_capital(value)
    return None if got is None else {"wan": got[0], "currency": got[1]}


# ---- dates -------------------------------------------------------------------------------------------------

_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^(\d{4,5})(?:\.\d+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1900, 2100


def parse_date(value: str | None) -> date | None:
    """A date from the formats registers use; None when missing; :class:`ParseError` when present but wrong."""
    if value is None:
        return None
    s = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if s in MISSING:
        return None
    m = _YMD.match(s) or _COMPACT.match(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _SERIAL.match(s)
        if not m:
            raise ParseError(f"date {value!r} is in no known format", value=value)
        serial = int(m.group(1))
        if not 1 <= serial <= 73050:  # up to 2099-12-31
            raise ParseError(f"date {value!r}: Excel serial out of range", value=value)
        return _EXCEL_EPOCH + timedelta(days=serial)
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ParseError(f"date {value!r}: year {y} out of range {MIN_YEAR}–{MAX_YEAR}", value=value)
    try:
        return date(y, mo, d)
    except ValueError as exc:
        raise ParseError(f"date {value!r} does not exist: {exc}", value=value) from exc


def dates(arr: pa.Array) -> tuple[pa.Array, np.ndarray]:
    return by_distinct(arr, parse_date, pa.date32())


def parse_year(value: str | None) -> int | None:
    """A certification year (2008, when the current high-tech rules began, to 2100)."""
    if value is None:
        return None
    s = unicodedata.normalize("NFKC", str(value)).strip().lower().removesuffix("年").removesuffix("年度")
    if s in MISSING:
        return None
    if s.endswith(".0"):
        s = s[:-2]
    if not (len(s) == 4 and s.isdigit()) or not 2008 <= int(s) <= MAX_YEAR:
        raise ParseError(f"year {value!r} is not a four-digit year from 2008 on", value=value)
    return int(s)


def years(arr: pa.Array) -> tuple[pa.Array, np.ndarray]:
    return by_distinct(arr, parse_year, pa.int32())


@lru_cache(maxsize=1)
def _flags() -> dict[str, bool]:
    data = header_data()["flags"]
    return {**{k: True for k in data["true"]}, **{k: False for k in data["false"]}}


def parse_flag(value: str | None) -> bool | None:
    if value is None:
        return None
    s = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if s in ("", "n/a", "-"):
        return None
    table = _flags()
    if s in table:
        return table[s]
    raise ParseError(f"{value!r} is not yes/no", value=value)


def flags(arr: pa.Array) -> tuple[pa.Array, np.ndarray]:
    return by_distinct(arr, parse_flag, pa.bool_())


CERT_PATTERN = r"^GR(20\d{2})\d{2}\d{5,6}$"


def cert_numbers(arr: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Certificate numbers without spaces, upper case; ok False where present and not GR+year+province+serial."""
    out = code(arr)
    good = pc.match_substring_regex(out, pattern=CERT_PATTERN)
    ok = pc.or_kleene(pc.is_null(out), good).fill_null(True).to_numpy(zero_copy_only=False)
    return out, ok


# ---- names -------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _legal_forms() -> dict[str, list[str]]:
    text_ = (resources.files("industry_brain.registry") / "_data" / "legal_forms.json").read_text(
        encoding="utf-8"
    )
    data: dict[str, list[str]] = json.loads(text_)
    return data


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _name_patterns() -> list[str]:
    lf = _legal_forms()
    return [
        r"\s+",
        r"\((?:" + _alt(lf["bracketed_places"]) + r")\)",
        r"(?:" + _alt(lf["suffixes"]) + r")[^()]{0,8}(?:" + _alt(lf["branch_suffixes"]) + r")$",
        r"(?:" + _alt(lf["branch_suffixes"]) + r")$",
        r"(?:" + _alt(lf["suffixes"]) + r")$",
        r"(?:" + _alt(lf["suffixes"]) + r")$",
        r"^(?:" + _alt(lf["prefixes"]) + r")",
        r"[()]",
    ]


def name_norm(names: pa.Array) -> pa.Array:
    """Names without legal-form affixes, bracketed place names and branch suffixes (for duplicate review)."""
    out = names
    for pattern in _name_patterns():
        out = pc.replace_substring_regex(out, pattern=pattern, replacement="")
    return pc.if_else(pc.equal(out, ""), names, out)


def normalise_name(name: str) -> str:
    """:func:`name_norm` for one name."""
    norm = text(pa.array([name], pa.string()))
    if norm[0].as_py() is None:
        return ""
    return str(name_norm(norm)[0].as_py())


@lru_cache(maxsize=1)
def _initials_table() -> dict[int, str | None]:
    from pypinyin import Style, pinyin

    table: dict[int, str | None] = {}
    for cp in range(0x3400, 0xA000):
        got = pinyin(chr(cp), style=Style.FIRST_LETTER, heteronym=False, errors="ignore")
        if got and got[0] and got[0][0]:
            table[cp] = got[0][0][0].lower()
    for cp in range(0x20, 0x7F):
        ch = chr(cp)
        table[cp] = ch.lower() if ch.isalnum() else None
    return table


def initials(names: list[str | None]) -> list[str | None]:
    """Pinyin initials of each name (杭州融达 → hzrd), letters and digits kept, other characters dropped."""
    table = _initials_table()
    out: list[str | None] = []
    for n in names:
        if n is None:
            out.append(None)
        else:
            s = n.translate(table)
            out.append("".join(ch for ch in s if ch.isascii()) if not s.isascii() else s)
    return out


def as_date(value: Any) -> date | None:
    """A date value from a store row (DuckDB returns date objects; strings are parsed)."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return parse_date(str(value))
