"""Address → Hangzhou map placement: division code, street, 2019 map unit, 2021 district, method, confidence.

How an address is read (one compiled regex over the normalised text; the first match of each kind counts):

1. Normalise: NFKC (full-width digits and brackets), drop whitespace, drop a leading 中国 / 浙江(省) / 杭州(市).
2. Outside Hangzhou: a leading province other than 浙江 or a prefecture other than 杭州 (``宁波市…``,
   ``上海市浦东新区…``) → the county code when the next token is one of that prefecture's counties (method
   ``address``, no Hangzhou unit), else method ``none``. A nationally unique county name of another prefecture
   (``义乌市…``) is read the same way. A Hangzhou unit is never guessed for such an address.
3. A county-level name with its suffix (上城区, 江干区, 临安市, 余杭县…; current and former names) → method
   ``address``, confidence 0.95. A bare short name right at the start (``杭州萧山…``, ``余杭街道…``) counts too
   (0.85) unless a road-like word follows (``西湖大道``, ``余杭塘路``, ``滨江路``): bare names elsewhere are ignored.
4. A township (街道/镇/乡, including former names like 浦沿镇) or a zone (杭州经济技术开发区, 下沙, 大江东,
   高新区(滨江)…) from the gazetteer. With a county named too, a consistent township refines the placement
   (``江干区下沙街道`` → 钱塘新区 / 钱塘区; ``余杭区临平街道`` → 余杭 / 临平; method ``street`` when it changes the
   unit or district, 0.95); an inconsistent one is ignored (the county wins, 0.7). Without a county: method
   ``gazetteer`` (township 0.85, zone 0.8).
5. Only the text before the first digit is read (district, township and zone names precede house numbers); when
   that yields nothing the whole text is read. This makes results cacheable by prefix, which is what makes
   :func:`resolve_many` fast.

Then ``declared`` (a register's 所属区县 value, method ``declared``, 0.95) overrides the address unless the address
is consistent with it and more precise; ``registered_code`` (the credit code's authority digits) is used only when
nothing else placed the record: method ``authority-code``, confidence 0.3 (0.2 when the authority's district was
split in 2021 and the larger part is assumed). City- and province-level authorities (330100, 330101, 330000) do
not place a record.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from industry_brain.geo._divisions import (
    Division,
    county_index,
    division_history,
    prefecture_index,
    unique_county_names,
)
from industry_brain.geo._units import QTXQ, gazetteer

__all__ = ["METHODS", "Placement", "resolve_address", "resolve_many"]

METHODS = ("declared", "address", "street", "gazetteer", "authority-code", "none")
FIELDS = ("division_code", "division_vintage", "street", "map_unit_2019", "district_2021", "method", "confidence",
          "evidence")


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a record lies. ``map_unit_2019`` is a code of the 2019 map or ``"QTXQ"`` (钱塘新区)."""

    division_code: str | None
    division_vintage: int | None
    street: str | None
    map_unit_2019: str | None
    district_2021: str | None
    method: str
    confidence: float
    evidence: str | None

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in FIELDS}


# (division code, vintage, street, unit 2019, district 2021, method, confidence, evidence)
Row = tuple[str | None, int | None, str | None, str | None, str | None, str, float, str | None]
NONE_ROW: Row = (None, None, None, None, None, "none", 0.0, None)

# Hangzhou county-level codes → (2019 map unit, 2021 district by default, canonical code for consistency checks).
# The default 2021 district of a split unit is the part that kept most of it (江干 → 上城, 余杭 → 余杭).
_HZ_COUNTY: dict[str, tuple[str, str, str]] = {
    "330102": ("330102", "330102", "330102"), "330103": ("330103", "330105", "330103"),
    "330104": ("330104", "330102", "330104"), "330105": ("330105", "330105", "330105"),
    "330106": ("330106", "330106", "330106"), "330107": ("330105", "330105", "330105"),
    "330108": ("330108", "330108", "330108"), "330109": ("330109", "330109", "330109"),
    "330110": ("330110", "330110", "330110"), "330111": ("330111", "330111", "330111"),
    "330112": ("330112", "330112", "330112"), "330113": ("330110", "330113", "330113"),
    "330114": (QTXQ, "330114", "330114"), "330122": ("330122", "330122", "330122"),
    "330127": ("330127", "330127", "330127"), "330182": ("330182", "330182", "330182"),
    # former codes
    "330121": ("330109", "330109", "330109"), "330181": ("330109", "330109", "330109"),
    "330123": ("330111", "330111", "330111"), "330183": ("330111", "330111", "330111"),
    "330124": ("330112", "330112", "330112"), "330185": ("330112", "330112", "330112"),
    "330125": ("330110", "330110", "330110"), "330184": ("330110", "330110", "330110"),
    "330126": ("330182", "330182", "330182"),
}
_SPLIT_2019 = {"330104", "330110"}  # 2019 units whose 2021 district is a guess without a township
# Short names read only at the start of the (prefix-stripped) address.
_SHORT = {"上城": "330102", "下城": "330103", "江干": "330104", "拱墅": "330105", "西湖": "330106",
          "滨江": "330108", "萧山": "330109", "余杭": "330110", "富阳": "330111", "临安": "330112",
          "临平": "330113", "桐庐": "330122", "淳安": "330127", "建德": "330182"}
_ROADLIKE = "路|大道|大街|街(?!道)|塘|巷|弄|广场|文化|湖|江|新村|花园|公园|国际|大厦|商|宾馆|饭店|银泰|印象|天地|人家|之|中|东|西|南|北"
# Declared values only (register columns), on top of every address token.
_DECLARED_ALIASES = {"高新区": "330108", "滨江高新区": "330108", "经开区": QTXQ, "开发区": QTXQ,
                     "经济技术开发区": QTXQ, "钱塘新区": QTXQ, "大江东": QTXQ}
_CITY_LEVEL = {"330100", "330101", "330000"}


@cache
def _hz_counties() -> dict[str, str]:
    """Every name a Hangzhou county-level code has carried (上城区, 临安市, 余杭县…) → code."""
    names: dict[str, str] = {}
    for code in _HZ_COUNTY:
        for d in division_history(code):
            names[d.name] = code
    return names


@cache
def _vintage(code: str) -> int:
    return division_history(code)[-1].last_year


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@cache
def _token_re() -> re.Pattern[str]:
    words = [*_hz_counties(), "钱塘新区", *gazetteer()]
    return re.compile(_alternation(words))


@cache
def _outside_re() -> re.Pattern[str]:
    names = [n for n, d in prefecture_index().items() if n not in ("杭州市", "浙江省")]
    return re.compile(f"(?:{_alternation(names)})")


@cache
def _unique_county_re() -> re.Pattern[str]:
    hz = _hz_counties()
    return re.compile(_alternation(n for n in unique_county_names() if n not in hz))


_PROVINCE = re.compile(r"^(?:中华人民共和国|中国)?(?:浙江省?)?")
_CITY = re.compile(r"^杭州市?")
_SHORT_RE = re.compile(f"^({'|'.join(_SHORT)})(?!{_ROADLIKE})")
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"[0-9]")


def normalize(text: str) -> str:
    """NFKC, no whitespace, no leading 中国/浙江省/杭州市."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return text


def _outside(body: str) -> Row | None:
    """Read an address of another prefecture or province, or None when it may be in Hangzhou."""
    m = _outside_re().match(body)
    if m is None:
        m2 = _unique_county_re().match(body)
        if m2 is None:
            return None
        d: Division = unique_county_names()[m2.group()]
        return (d.code, d.last_year, None, None, None, "address", 0.85, m2.group())
    pref = prefecture_index()[m.group()]
    rest = body[m.end():]
    if pref.level == "province":  # 江苏省… / 上海市…: try a prefecture, then a county of a municipality
        m3 = _outside_re().match(rest)
        if m3 is not None and prefecture_index()[m3.group()].level == "prefecture":
            pref, rest = prefecture_index()[m3.group()], rest[m3.end():]
    prefixes = {pref.code[:4]} if pref.level == "prefecture" else {
        k for k in county_index() if k.startswith(pref.code[:2])}
    for size in range(min(len(rest), 10), 1, -1):
        for p4 in sorted(prefixes):
            rows = county_index().get(p4, {}).get(rest[:size])
            if rows:
                d = max(rows, key=lambda r: r.last_year)
                return (d.code, d.last_year, None, None, None, "address", 0.9, f"{pref.name}{rest[:size]}")
    return (None, None, None, None, None, "none", 0.0, pref.name)


def _read(text: str) -> Row:
    """Read one normalised address (or address prefix)."""
    core = _PROVINCE.sub("", text, count=1)  # keeps 杭州 for zones like 杭州经济技术开发区
    body = _CITY.sub("", core, count=1)
    if not body:
        return NONE_ROW
    if not text.startswith(("杭州", "浙江杭州", "浙江省杭州")):
        out = _outside(body)
        if out is not None:
            return out
    county: str | None = None
    county_name = ""
    confidence = 0.95
    street = None
    for m in _token_re().finditer(core):
        word = m.group()
        if word in _hz_counties() or word == "钱塘新区":
            if county is None:
                county, county_name = ("330114" if word == "钱塘新区" else _hz_counties()[word]), word
        elif street is None or (street.kind == "zone" and gazetteer()[word].kind != "zone"):
            street = gazetteer()[word]
    if county is None:
        short = _SHORT_RE.match(body)
        if short is not None:
            county, county_name, confidence = _SHORT[short.group()], short.group(), 0.85
    if county is not None:
        u19, d21, canon = _HZ_COUNTY[county]
        if county_name == "钱塘新区":
            u19 = QTXQ
        if street is not None:
            consistent = canon in (street.county_2019, street.district_2021) or (
                u19 == QTXQ and street.unit_2019 == QTXQ)
            if consistent:
                method = "street" if (street.unit_2019, street.district_2021) != (u19, d21) else "address"
                code = street.district_2021 if method == "street" else county
                vintage = 2021 if method == "street" else _vintage(county)
                street_name = street.name if street.kind != "zone" else None
                return (code, vintage, street_name, street.unit_2019, street.district_2021, method, confidence,
                        f"{county_name}+{street.name}")
            return (county, _vintage(county), None, u19, d21, "address", 0.7,
                    f"{county_name} (ignored {street.name})")
        if u19 in _SPLIT_2019 and county != "330113":
            confidence -= 0.1  # the 2021 district is the larger part of a split unit
        return (county, _vintage(county), None, u19, d21, "address", round(confidence, 2), county_name)
    if street is not None:
        conf = 0.8 if street.kind == "zone" else 0.85
        return (street.district_2021, 2021, street.name if street.kind != "zone" else None, street.unit_2019,
                street.district_2021, "gazetteer", conf, street.name)
    return NONE_ROW


_cache: dict[str, Row] = {}
_CACHE_MAX = 500_000


def _read_cached(key: str) -> Row:
    row = _cache.get(key)
    if row is None:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        row = _cache[key] = _read(key)
    return row


def _read_address(norm: str) -> Row:
    m = _DIGIT.search(norm)
    prefix = norm[: m.start()] if m else norm
    row = _read_cached(prefix)
    if row[5] == "none" and len(prefix) < len(norm):
        row = _read_cached(norm)
    return row


def _authority(code: str) -> Row:
    code = unicodedata.normalize("NFKC", code).strip()
    known = _HZ_COUNTY.get(code)
    if known is None:
        if code in _CITY_LEVEL or not code.isdigit() or len(code) != 6:
            return NONE_ROW
        try:
            d = division_history(code)[-1]
        except LookupError:
            return NONE_ROW
        if d.level != "county" or code.startswith("3301"):
            return NONE_ROW
        return (code, d.last_year, None, None, None, "authority-code", 0.3, f"authority {code}")
    u19, d21, _ = known
    conf = 0.2 if u19 in _SPLIT_2019 or code in ("330109", "330121", "330181") else 0.3
    return (code, _vintage(code), None, u19, d21, "authority-code", conf, f"authority {code}")


def _declared(value: str) -> Row:
    v = normalize(value)
    if not v:
        return NONE_ROW
    alias = _DECLARED_ALIASES.get(v) or _DECLARED_ALIASES.get(v.removeprefix("杭州").removeprefix("市"))
    if alias is not None:
        if alias == QTXQ:
            return ("330114", 2021, None, QTXQ, "330114", "declared", 0.95, value)
        return (alias, _vintage(alias), None, *_HZ_COUNTY[alias][:2], "declared", 0.95, value)
    row = _read(v)
    if row[5] == "none" or row[3] is None:
        return row if row[5] != "none" else NONE_ROW
    return (*row[:5], "declared", 0.95, value)


def _combine(addr: Row, code: str | None, declared: str | None) -> Row:
    if declared:
        dec = _declared(declared)
        if dec[5] != "none":
            if addr[3] == dec[3] and addr[5] in ("address", "street", "gazetteer") and addr[2] is not None:
                return (addr[0], addr[1], addr[2], dec[3], addr[4], "declared", 0.95, f"{declared}+{addr[7]}")
            return dec
    if addr[5] != "none" or not code:
        return addr
    return _authority(code)


def resolve_address(text: str | None, registered_code: str | None = None, declared: str | None = None) -> Placement:
    """Place one address on the 2019 map and the 2021 districts. Never raises on any text."""
    norm = normalize(text) if isinstance(text, str) else ""
    addr = _read_address(norm) if norm else NONE_ROW
    return Placement(*_combine(addr, registered_code if isinstance(registered_code, str) else None,
                               declared if isinstance(declared, str) else None))


def _column(values: Any, n: int) -> list[str | None]:
    if values is None:
        return [None] * n
    if hasattr(values, "to_pylist"):
        values = values.to_pylist()
    out = list(values)
    if len(out) != n:
        from industry_brain._core.errors import InputError

        raise InputError(f"resolve_many got {len(out)} values for {n} addresses, expected one per address")
    return [v if isinstance(v, str) and v else None for v in out]


def resolve_many(
    texts: Sequence[str | None] | Any,
    registered_codes: Sequence[str | None] | Any = None,
    declared: Sequence[str | None] | Any = None,
) -> Any:
    """Resolve many addresses at once; returns a ``pyarrow.Table`` with the columns of :class:`Placement`.

    ``texts`` (and the optional parallel ``registered_codes`` / ``declared``) may be lists or pyarrow arrays.
    Rows are equal to ``resolve_address(text, code, declared)`` row by row; the work is done once per distinct
    (address prefix, code, declared) combination, with normalisation vectorised in Arrow.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = texts if isinstance(texts, pa.Array | pa.ChunkedArray) else pa.array(list(texts), type=pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    n = len(arr)
    norm = pc.replace_substring_regex(pc.utf8_normalize(arr, "NFKC"), r"\s+", "")
    prefix = pc.replace_substring_regex(norm, r"[0-9].*$", "", max_replacements=1)
    codes = _column(registered_codes, n)
    decl = _column(declared, n)
    extra = registered_codes is not None or declared is not None
    if extra:
        key = pc.binary_join_element_wise(
            pc.fill_null(pa.array(codes, pa.string()), ""), pc.fill_null(pa.array(decl, pa.string()), ""),
            pc.fill_null(prefix, ""), "\x1f")
    else:
        key = pc.fill_null(prefix, "")
    enc = key.dictionary_encode()
    indices = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    rows: list[Row] = []
    addr_none = np.zeros(len(enc.dictionary), dtype=bool)
    for j, k in enumerate(enc.dictionary.to_pylist()):
        c, d, p = k.split("\x1f", 2) if extra else ("", "", k)
        addr = _read_cached(p) if p else NONE_ROW
        addr_none[j] = addr[5] == "none"
        rows.append(_combine(addr, c or None, d or None))
    # Rows whose prefix read nothing: read the whole text (as resolve_address does), once per distinct text.
    longer = pc.greater(pc.utf8_length(norm), pc.utf8_length(prefix)).to_numpy(zero_copy_only=False)
    redo = np.flatnonzero(addr_none[indices] & np.nan_to_num(longer, nan=0).astype(bool))
    if len(redo):
        full = norm.take(pa.array(redo)).to_pylist()
        base = len(rows)
        for j, i in enumerate(redo.tolist()):
            rows.append(_combine(_read_cached(full[j]), codes[i], decl[i]))
        indices[redo] = np.arange(base, base + len(redo))
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(FIELDS)
    types = [pa.string(), pa.int16(), pa.string(), pa.string(), pa.string(), pa.string(), pa.float64(), pa.string()]
    take = pa.array(indices)
    return pa.table({f: pc.take(pa.array(col, t), take) for f, col, t in zip(FIELDS, cols, types, strict=True)})
