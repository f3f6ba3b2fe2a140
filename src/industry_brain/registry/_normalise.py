"""Normalisation of a chunk's text columns, vectorised with pyarrow (and NumPy over distinct values).

* text: NFKC (full-width digits, letters and brackets become ASCII), whitespace trimmed and collapsed; empty → null.
* codes: NFKC, no whitespace or hyphens, upper case.
* capital: ``200(万元人民币)``, ``"50万人民币"``, ``1000万美元``, ``1.2亿元``, ``5000000元``, ``N/A`` → amount in 万 of a
  currency (bare numbers follow the register convention of 万元人民币); the currencies and their spellings, old ones
  such as ``50(万法国法郎)`` included, are those of ``_data/currencies.json`` (:mod:`._currency`).
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
from industry_brain.registry._currency import spellings

T = TypeVar("T")

MISSING = frozenset(
    {"", "n/a", "na", "-", "--", "—", "/", "无", "空", "null", "none", "nan", "#n/a", "不详", "未知"}
)


# ---- columns -----------------------------------------------------------------------------------------------


def _ranges(ranges: list[tuple[int, int]]) -> str:
    return "".join(f"\\x{{{a:04X}}}-\\x{{{b:04X}}}" if a != b else f"\\x{{{a:04X}}}" for a, b in ranges)


@lru_cache(maxsize=1)
def _plain_pattern() -> str:
    """A regex matching any character whose NFKC form is not simply itself or one ASCII character.

    Plain: ASCII, CJK ideographs, CJK and general punctuation that NFKC leaves alone (checked here against
    ``unicodedata``), the full-width ASCII forms U+FF01–FF5E and the ideographic space (mapped byte-wise by
    :func:`_map_full_width`). None of them has a combining class or composes with a neighbour, so a string made
    only of them normalises character by character.
    """
    candidates = [
        *range(0x09, 0x0E),
        *range(0x20, 0x7F),
        0xB7,
        *range(0x2010, 0x2028),
        *range(0x2030, 0x205F),
        *range(0x3000, 0x3040),
        *range(0x3400, 0x4DC0),
        *range(0x4E00, 0xA000),
        *range(0xFF01, 0xFF5F),
    ]
    ok = [
        cp
        for cp in candidates
        if not unicodedata.combining(chr(cp))
        and (unicodedata.normalize("NFKC", chr(cp)) == chr(cp) or 0xFF01 <= cp <= 0xFF5E or cp == 0x3000)
    ]
    ranges: list[tuple[int, int]] = []
    for cp in ok:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return "[^" + _ranges(ranges) + "]"


# the rows whose whitespace changes: ASCII whitespace other than single spaces, or Unicode space at either end
_SPACE = r"[\s\x{0B}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]"
_WS_WORK = r"[\t\n\f\r]|  |^" + _SPACE + "|" + _SPACE + "$"


def _buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray, pa.Buffer | None]:
    """(offsets relative to the first byte, the bytes, a zero-offset validity bitmap) of a string array."""
    n = len(arr)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset : arr.offset + n + 1]
    data_buf = arr.buffers()[2]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    data = data[offsets[0] : offsets[-1]]
    validity = arr.is_valid().buffers()[1] if arr.null_count else None
    return offsets - offsets[0], data, validity


def _string_array(
    n: int, offsets: np.ndarray, data: np.ndarray, validity: pa.Buffer | None, nulls: int
) -> pa.Array:
    return pa.StringArray.from_buffers(
        n,
        pa.py_buffer(np.ascontiguousarray(offsets, dtype=np.int32)),
        pa.py_buffer(np.ascontiguousarray(data)),
        validity,
        nulls,
    )


def _map_full_width(arr: pa.Array) -> pa.Array:
    """Full-width ASCII forms (U+FF01–FF5E) and the ideographic space to their ASCII characters, in the bytes."""
    if len(arr) == 0 or arr.null_count == len(arr):
        return arr
    offsets, data, validity = _buffers(arr)
    if len(data) < 3:
        return arr
    lead = np.flatnonzero((data[:-2] == 0xEF) | (data[:-2] == 0xE3))
    if not len(lead):
        return arr
    b0, b1, b2 = data[lead], data[1:][lead], data[2:][lead]
    full = (b0 == 0xEF) & (((b1 == 0xBC) & (b2 >= 0x81)) | ((b1 == 0xBD) & (b2 <= 0x9E)))
    space = (b0 == 0xE3) & (b1 == 0x80) & (b2 == 0x80)
    hit = full | space
    if not hit.any():
        return arr
    pos = lead[hit]
    code = 0xFF00 + ((b1[hit].astype(np.int32) - 0xBC) << 6) + (b2[hit].astype(np.int32) & 0x3F)
    ascii_ = np.where(space[hit], 0x20, code - 0xFEE0).astype(np.uint8)
    out = data.copy()
    out[pos] = ascii_
    keep = np.ones(len(data), dtype=bool)
    keep[1:][pos] = False
    keep[2:][pos] = False
    new_offsets = offsets - 2 * np.searchsorted(pos, offsets, side="left")
    return _string_array(len(arr), new_offsets, out[keep], validity, arr.null_count)


def contiguous(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    return arr


def text(arr: pa.Array) -> pa.Array:
    """NFKC, whitespace trimmed and collapsed; empty strings become null.

    The same as ``utf8_normalize(NFKC)`` → ``\\s+`` to one space → trim, done in fewer passes: full-width
    forms are mapped byte-wise, NFKC runs only on rows holding other characters it could change, and whitespace
    is rewritten only on rows where it would change.
    """
    arr = contiguous(arr)
    if len(arr) == 0 or arr.null_count == len(arr):
        return arr
    few = few_values(arr)
    if few is not None:  # a column of few distinct values (types, units, flags): each is normalised once
        return _text(few.dictionary).take(few.indices)
    return _text(arr)


#: columns this long or longer are checked for few distinct values (on a sample first)
_FEW_MIN_ROWS = 4096
_FEW_SAMPLE = 1024


def few_values(arr: pa.Array) -> pa.DictionaryArray | None:
    """The column dictionary-encoded when it holds few distinct values (at most one per 16 rows), else None.

    A sample of its first rows decides whether encoding the whole column is worth trying."""
    n = len(arr)
    if n < _FEW_MIN_ROWS:
        return None
    if len(pc.unique(arr.slice(0, _FEW_SAMPLE))) > _FEW_SAMPLE // 4:
        return None
    enc = pc.dictionary_encode(arr)
    return enc if len(enc.dictionary) * 16 <= n else None


def _text(arr: pa.Array) -> pa.Array:
    if len(arr) == 0 or arr.null_count == len(arr):
        return arr
    # one scan finds the rows the byte-wise mapping cannot finish: other characters NFKC changes, or whitespace
    # to collapse or trim (the ideographic space becomes one); those rows take the plain path
    special = pc.match_substring_regex(arr, _special_pattern()).fill_null(False)
    out = _map_full_width(arr)
    if pc.any(special).as_py():
        plain = pc.utf8_normalize(arr.filter(special), form="NFKC")
        plain = pc.utf8_trim_whitespace(pc.replace_substring_regex(plain, pattern=r"\s+", replacement=" "))
        out = pc.replace_with_mask(out, special, plain)
    return _empty_to_null(out)


def _empty_to_null(arr: pa.Array) -> pa.Array:
    """Empty strings as nulls (the column itself when it has none)."""
    empty = pc.equal(arr, "")
    if not pc.any(empty).as_py():
        return arr
    return pc.if_else(empty, pa.scalar(None, pa.string()), arr)


@lru_cache(maxsize=1)
def _special_pattern() -> str:
    return _plain_pattern() + "|" + _WS_WORK + r"|\x{3000}"


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


_UNSEEN, _FAILED = object(), object()
_MEMO: dict[
    Any, dict[str, Any]
] = {}  # parser → value → result, shared by the chunks of an import (and the next)
_MEMO_SIZE = 200_000


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
    memo = _MEMO.setdefault(parse, {})
    if len(memo) > _MEMO_SIZE:
        memo.clear()
    for i, u in enumerate(uniques):
        got = memo.get(u, _UNSEEN)
        if got is _UNSEEN:
            try:
                got = parse(u)
            except ParseError:
                got = _FAILED
            memo[u] = got
        if got is _FAILED:
            parsed.append(None)
            failed[i] = True
        else:
            parsed.append(got)
    values = pa.array(parsed, out_type)
    idx = enc.indices
    out = values.take(idx)
    idx_np = idx.fill_null(len(uniques)).to_numpy(zero_copy_only=False)
    ok = ~failed[idx_np]
    return out, ok


# ---- capital -----------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)(.*)$")


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
    for word, cur in spellings():
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
    elif "元" in rest or "圆" in rest or currency is not None:
        factor = 1e-4  # a plain amount in units of the currency
    rest = rest.replace("元", "").replace("圆", "").replace("整", "").replace("人民币", "")
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


_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def dates(arr: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """(dates, ok) for a text column: ISO dates in the years allowed are read in Arrow, the rest by
    :func:`parse_date` once per distinct value."""
    arr = contiguous(arr)
    iso = pc.match_substring_regex(arr, _ISO_DATE).fill_null(False)
    if not pc.any(iso).as_py():
        return by_distinct(arr, parse_date, pa.date32())
    candidates = pc.if_else(iso, arr, pa.scalar(None, pa.string()))
    try:
        read = pc.cast(candidates, pa.date32())  # Arrow's ISO reader rejects impossible days (2019-02-30)
    except pa.ArrowInvalid:
        # some impossible day among them: read with strptime, which rolls such days over (2019-02-30 → 03-02),
        # and keep a date only when it reads back the same
        read = pc.cast(pc.strptime(candidates, format="%Y-%m-%d", unit="s", error_is_null=True), pa.date32())
        read = pc.if_else(
            pc.equal(pc.strftime(read, format="%Y-%m-%d"), arr).fill_null(False),
            read,
            pa.scalar(None, pa.date32()),
        )
    year = pc.year(read)
    fast = pc.and_(
        pc.is_valid(read), pc.and_(pc.greater_equal(year, MIN_YEAR), pc.less_equal(year, MAX_YEAR))
    )
    fast = fast.fill_null(False)
    if pc.all(pc.or_(fast, pc.is_null(arr))).as_py():
        return pc.if_else(fast, read, pa.scalar(None, pa.date32())), np.ones(len(arr), dtype=bool)
    rest = pc.if_else(fast, pa.scalar(None, pa.string()), arr)
    slow, ok = by_distinct(rest, parse_date, pa.date32())
    return pc.if_else(fast, read, slow), ok


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
def _name_steps() -> list[tuple[str, bool]]:
    """The patterns removed from a name in turn, each with whether it can only match a space or a bracket."""
    lf = _legal_forms()
    return [
        (r"\s+", True),
        (r"\((?:" + _alt(lf["bracketed_places"]) + r")\)", True),
        (r"(?:" + _alt(lf["suffixes"]) + r")[^()]{0,8}(?:" + _alt(lf["branch_suffixes"]) + r")$", False),
        (r"(?:" + _alt(lf["branch_suffixes"]) + r")$", False),
        (r"(?:" + _alt(lf["suffixes"]) + r")$", False),
        (r"(?:" + _alt(lf["suffixes"]) + r")$", False),
        (r"^(?:" + _alt(lf["prefixes"]) + r")", False),
        (r"[()]", True),
    ]


def _name_patterns() -> list[str]:
    return [p for p, _ in _name_steps()]


def name_norm(names: pa.Array) -> pa.Array:
    """Names without legal-form affixes, bracketed place names and branch suffixes (for duplicate review)."""
    out = contiguous(names)
    # removing never adds a space or a bracket: the steps that need one look only at the rows that had one
    spaced = pc.match_substring_regex(out, r"[\s()]").fill_null(False)
    n_spaced = pc.sum(spaced).as_py() or 0
    for pattern, needs_space_or_bracket in _name_steps():
        if needs_space_or_bracket and n_spaced * 2 <= len(out):
            if n_spaced:
                out = pc.replace_with_mask(
                    out, spaced, pc.replace_substring_regex(out.filter(spaced), pattern=pattern, replacement="")
                )
            continue
        hit = pc.match_substring_regex(out, pattern).fill_null(False)
        hits = pc.sum(hit).as_py() or 0
        if hits == 0:
            continue
        if hits * 2 > len(out):  # most rows: rewrite the column; else only the rows that match
            out = pc.replace_substring_regex(out, pattern=pattern, replacement="")
        else:
            fixed = pc.replace_substring_regex(out.filter(hit), pattern=pattern, replacement="")
            out = pc.replace_with_mask(out, hit, fixed)
    return pc.if_else(pc.equal(out, ""), names, out)


def normalise_name(name: str) -> str:
    """:func:`name_norm` for one name."""
    norm = text(pa.array([name], pa.string()))
    if norm[0].as_py() is None:
        return ""
    return str(name_norm(norm)[0].as_py())


@lru_cache(maxsize=1)
def _initials_table() -> dict[int, str | None]:
    """Code point → the first letter of its first pinyin reading (CJK), lower-case letter or digit (ASCII)."""
    from pypinyin.pinyin_dict import pinyin_dict

    table: dict[int, str | None] = {}
    for cp, readings in pinyin_dict.items():
        if 0x3400 <= cp < 0xA000 and readings:
            first = unicodedata.normalize("NFD", readings.split(",")[0])[:1].lower()
            if first.isascii() and first:
                table[cp] = first
    for cp in range(0x20, 0x7F):
        ch = chr(cp)
        table[cp] = ch.lower() if ch.isalnum() else None
    return table


@lru_cache(maxsize=1)
def _initials_lut() -> np.ndarray:
    """The table over the Basic Multilingual Plane: an ASCII byte, or -1 for a character that is dropped."""
    lut = np.full(0x10000, -1, dtype=np.int16)
    lut[:0x80] = np.arange(0x80)  # ASCII outside the table (control characters) is kept as is
    for cp, ch in _initials_table().items():
        lut[cp] = ord(ch) if ch is not None else -1
    return lut


def initials(names: list[str | None]) -> list[str | None]:
    """Pinyin initials of each name (杭州融达 → hzrd), letters and digits kept, other characters dropped."""
    return initials_column(pa.array(names, pa.string())).to_pylist()  # type: ignore[no-any-return]


def initials_column(names: pa.Array) -> pa.Array:
    """:func:`initials` for a string column, over the UTF-8 bytes with NumPy."""
    arr = contiguous(names)
    n = len(arr)
    if n == 0 or arr.null_count == n:
        return arr
    offsets, data, validity = _buffers(arr)
    lead = np.flatnonzero((data & 0xC0) != 0x80)
    padded = np.concatenate([data, np.zeros(2, dtype=np.uint8)])  # continuation bytes read past the end are 0
    b0 = data[lead]
    lead0 = b0.astype(np.int32)
    cont1 = padded[1:][lead].astype(np.int32) & 0x3F
    cont2 = padded[2:][lead].astype(np.int32) & 0x3F
    cp = np.where(
        b0 < 0x80,
        lead0,
        np.where(b0 < 0xE0, ((lead0 & 0x1F) << 6) | cont1, ((lead0 & 0x0F) << 12) | (cont1 << 6) | cont2),
    )
    out = _initials_lut()[cp]
    out[b0 >= 0xF0] = -1  # beyond the BMP: dropped
    kept = out >= 0
    # each row's new end is the number of characters kept before its old end
    new_offsets = np.searchsorted(lead[kept], offsets, side="left")
    return _string_array(n, new_offsets, out[kept].astype(np.uint8), validity, arr.null_count)


def as_date(value: Any) -> date | None:
    """A date value from a store row (DuckDB returns date objects; strings are parsed)."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    return parse_date(str(value))
