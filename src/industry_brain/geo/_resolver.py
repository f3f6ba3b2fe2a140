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
FIELDS = (
    "division_code",
    "division_vintage",
    "street",
    "map_unit_2019",
    "district_2021",
    "method",
    "confidence",
    "evidence",
)


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
    "330102": ("330102", "330102", "330102"),
    "330103": ("330103", "330105", "330103"),
    "330104": ("330104", "330102", "330104"),
    "330105": ("330105", "330105", "330105"),
    "330106": ("330106", "330106", "330106"),
    "330107": ("330105", "330105", "330105"),
    "330108": ("330108", "330108", "330108"),
    "330109": ("330109", "330109", "330109"),
    "330110": ("330110", "330110", "330110"),
    "330111": ("330111", "330111", "330111"),
    "330112": ("330112", "330112", "330112"),
    "330113": ("330110", "330113", "330113"),
    "330114": (QTXQ, "330114", "330114"),
    "330122": ("330122", "330122", "330122"),
    "330127": ("330127", "330127", "330127"),
    "330182": ("330182", "330182", "330182"),
    # former codes
    "330121": ("330109", "330109", "330109"),
    "330181": ("330109", "330109", "330109"),
    "330123": ("330111", "330111", "330111"),
    "330183": ("330111", "330111", "330111"),
    "330124": ("330112", "330112", "330112"),
    "330185": ("330112", "330112", "330112"),
    "330125": ("330110", "330110", "330110"),
    "330184": ("330110", "330110", "330110"),
    "330126": ("330182", "330182", "330182"),
}
# Lower confidence when the 2021 district is not certain without a township: 余杭 was split into 余杭 and 临平;
# a 江干 address may lie in 下沙/白杨 (钱塘新区 on the 2019 map) without saying so.
_UNSURE_2021 = {"330110": 0.1, "330125": 0.1, "330184": 0.1, "330104": 0.05}
# Short names read only at the start of the (prefix-stripped) address.
_SHORT = {
    "上城": "330102",
    "下城": "330103",
    "江干": "330104",
    "拱墅": "330105",
    "西湖": "330106",
    "滨江": "330108",
    "萧山": "330109",
    "余杭": "330110",
    "富阳": "330111",
    "临安": "330112",
    "临平": "330113",
    "桐庐": "330122",
    "淳安": "330127",
    "建德": "330182",
}
_ROADLIKE = "路|大道|大街|街(?!道)|塘|巷|弄|广场|文化|湖|江|新村|花园|公园|国际|大厦|商|宾馆|饭店|银泰|印象|天地|人家|之|中|东|西|南|北"
# Declared values only (register columns), on top of every address token.
_DECLARED_ALIASES = {
    "高新区": "330108",
    "滨江高新区": "330108",
    "经开区": QTXQ,
    "开发区": QTXQ,
    "经济技术开发区": QTXQ,
    "钱塘新区": QTXQ,
    "大江东": QTXQ,
}
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
    """A regex matching any of ``words``, longest first, written as a trie so that matching costs O(length)."""
    trie: dict[str, Any] = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
        return body + "?" if optional else body

    return emit(trie)


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
_ROADLIKE_RE = re.compile(f"(?:{_ROADLIKE})")
_SPACE = re.compile(r"\s+")
_HEAD = "(?:中华人民共和国|中国)?(?:浙江省?)?(?:杭州市?)?(?:[ \t\u3000]*[^0-9０-９ \t\u3000]){0,4}"


@cache
def key_pattern() -> str:
    """The part of an address that decides its reading: the text before the first digit, cut after the last
    character that can end a name (区, 县, 街道, 镇, 开发区…), but never shorter than the prefix plus 4 characters
    (what the bare-name check looks at). No name can end in the part cut off, so reading the key gives the
    same answer as reading the whole prefix; this makes distinct keys few, and keys cacheable. The pattern is
    also valid RE2, so :func:`resolve_many` computes keys vectorised in Arrow."""
    return f"^({_HEAD}(?:[^0-9０-９]*[{_end_class()}])?)"


@cache
def _end_class() -> str:
    ends: set[str] = {"）", ")"}
    for w in (*_hz_counties(), "钱塘新区", *gazetteer(), *prefecture_index(), *unique_county_names()):
        ends.add(normalize(w)[-1])
    for names in county_index().values():
        ends.update(n[-1] for n in names)
    return "".join(re.escape(c) for c in sorted(ends))


@cache
def later_name_pattern() -> str:
    """Text that may hold a name after its first digit (a name-ending character after a digit)."""
    return f"[0-9０-９].*[{_end_class()}]"


@cache
def _later_name_re() -> re.Pattern[str]:
    return re.compile(later_name_pattern(), re.DOTALL)


@cache
def _key_re() -> re.Pattern[str]:
    return re.compile(key_pattern(), re.DOTALL)


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
    rest = body[m.end() :]
    if pref.level == "province":  # 江苏省… / 上海市…: try a prefecture, then a county of a municipality
        m3 = _outside_re().match(rest)
        if m3 is not None and prefecture_index()[m3.group()].level == "prefecture":
            pref, rest = prefecture_index()[m3.group()], rest[m3.end() :]
    prefixes = (
        {pref.code[:4]}
        if pref.level == "prefecture"
        else {k for k in county_index() if k.startswith(pref.code[:2])}
    )
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
    if county is None and body[:2] in _SHORT and not _ROADLIKE_RE.match(body, 2):
        county, county_name, confidence = _SHORT[body[:2]], body[:2], 0.85
    if county is not None:
        u19, d21, canon = _HZ_COUNTY[county]
        if county_name == "钱塘新区":
            u19 = QTXQ
        if street is not None:
            consistent = canon in (street.county_2019, street.district_2021) or (
                u19 == QTXQ and street.unit_2019 == QTXQ
            )
            if consistent:
                method = "street" if (street.unit_2019, street.district_2021) != (u19, d21) else "address"
                code = street.district_2021 if method == "street" else county
                vintage = 2021 if method == "street" else _vintage(county)
                street_name = street.name if street.kind != "zone" else None
                return (
                    code,
                    vintage,
                    street_name,
                    street.unit_2019,
                    street.district_2021,
                    method,
                    confidence,
                    f"{county_name}+{street.name}",
                )
            return (
                county,
                _vintage(county),
                None,
                u19,
                d21,
                "address",
                0.7,
                f"{county_name} (ignored {street.name})",
            )
        confidence -= _UNSURE_2021.get(county, 0.0)
        return (county, _vintage(county), None, u19, d21, "address", round(confidence, 2), county_name)
    if street is not None:
        conf = 0.8 if street.kind == "zone" else 0.85
        return (
            street.district_2021,
            2021,
            street.name if street.kind != "zone" else None,
            street.unit_2019,
            street.district_2021,
            "gazetteer",
            conf,
            street.name,
        )
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


_raw: dict[str, Row] = {}  # a key as found in the text → its reading (saves normalising it again)


def _read_raw(key: str) -> Row:
    row = _raw.get(key)
    if row is None:
        if len(_raw) >= _CACHE_MAX:
            _raw.clear()
        row = _raw[key] = _read_cached(normalize(key))
    return row


def clear_caches() -> None:
    """Forget every address read so far (for timing a cold start)."""
    _cache.clear()
    _raw.clear()


def _read_address(text: str) -> Row:
    m = _key_re().match(text)
    key = m.group(1) if m else text
    row = _read_cached(normalize(key))
    if row[5] == "none" and len(key) < len(text) and _later_name_re().search(text, len(key)):
        row = _read_cached(normalize(text))
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
    conf = 0.2 if u19 in ("330104", "330109", "330110") else 0.3  # parts went to 钱塘/临平
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


_QTXQ_ADMINISTRATORS = ("330104", "330109")  # 江干区, 萧山区


def _combine(addr: Row, code: str | None, declared: str | None) -> Row:
    if declared:
        dec = _declared(declared)
        if dec[5] != "none":
            # The address agrees with the declared district on one of the two maps: keep its finer reading
            # (street, and the unit on the other map), e.g. declared 上城区 (2021) + 江干区… → 江干 on the 2019 map.
            agrees = addr[3] is not None and addr[4] is not None and (addr[3] == dec[3] or addr[4] == dec[4])
            # 钱塘新区 (2019) was administered by 江干区 (下沙, 白杨) and 萧山区 (大江东): a register that declares
            # the administrative district of a street there still belongs to 钱塘新区 on the magazine's map.
            agrees = agrees or (addr[3] == QTXQ and dec[3] in _QTXQ_ADMINISTRATORS)
            if agrees and addr[5] in ("address", "street", "gazetteer"):
                return (*addr[:5], "declared", 0.95, f"{declared}; {addr[7]}")
            return dec
    if addr[5] != "none" or not code:
        return addr
    return _authority(code)


def resolve_address(
    text: str | None, registered_code: str | None = None, declared: str | None = None
) -> Placement:
    """Place one address on the 2019 map and the 2021 districts. Never raises on any text."""
    addr = _read_address(text) if isinstance(text, str) else NONE_ROW
    return Placement(
        *_combine(
            addr,
            registered_code if isinstance(registered_code, str) else None,
            declared if isinstance(declared, str) else None,
        )
    )


def _column(values: Any, n: int) -> Any:
    """An optional parallel column as a pyarrow string array with "" → null."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if values is None:
        return pa.nulls(n, pa.string())
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not isinstance(values, pa.Array):
        values = list(values)
        try:
            values = pa.array(values, pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            values = pa.array([v if isinstance(v, str) else None for v in values], pa.string())
    elif values.type != pa.string():
        values = values.cast(pa.string())
    if len(values) != n:
        from industry_brain._core.errors import InputError

        raise InputError(f"resolve_many got {len(values)} values for {n} addresses, expected one per address")
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)


def resolve_many(
    texts: Sequence[str | None] | Any,
    registered_codes: Sequence[str | None] | Any = None,
    declared: Sequence[str | None] | Any = None,
) -> Any:
    """Resolve many addresses at once; returns a ``pyarrow.Table`` with the columns of :class:`Placement`.

    ``texts`` (and the optional parallel ``registered_codes`` / ``declared``) may be lists or pyarrow arrays.
    Rows are equal to ``resolve_address(text, code, declared)`` row by row. Normalisation runs vectorised in
    Arrow; an address is read once per distinct prefix (the text before its first digit); the authority code and
    the declared value are combined once per distinct (reading, code, declared) triple. Columns:
    ``division_code`` string, ``division_vintage`` int16, ``street``, ``map_unit_2019``, ``district_2021``,
    ``method`` strings, ``confidence`` float64, ``evidence`` string.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if not isinstance(texts, pa.Array):
        texts = list(texts)
        try:
            texts = pa.array(texts, pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            texts = pa.array([t if isinstance(t, str) else None for t in texts], pa.string())
    elif texts.type != pa.string():
        texts = texts.cast(pa.string())
    n = len(texts)
    # the key lies in the text before the first digit (neither its head nor a name's end is a digit): it is
    # computed once per distinct such prefix, which addresses share far more often than whole texts
    prefix = pc.struct_field(pc.extract_regex(texts, "^(?P<p>[^0-9０-９]*)"), [0]).dictionary_encode()
    with_null = pa.concat_arrays([prefix.dictionary, pa.nulls(1, pa.string())])
    prefix_keys = pc.struct_field(pc.extract_regex(with_null, key_pattern().replace("^(", "^(?P<k>", 1)), [0])
    of_prefix = prefix.indices.fill_null(len(prefix.dictionary)).to_numpy(zero_copy_only=False)

    # 1. read each distinct key once
    enc = pc.fill_null(prefix_keys, "").dictionary_encode()
    idx = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)[of_prefix]
    readings: list[Row] = [_read_raw(k) if k else NONE_ROW for k in enc.dictionary.to_pylist()]
    # 2. keys that read nothing: read the whole text, as resolve_address does
    is_none = np.fromiter((r[5] == "none" for r in readings), dtype=bool, count=len(readings))
    candidates = np.flatnonzero(is_none[idx])
    if len(candidates):
        texts_c = pc.take(texts, pa.array(candidates))
        keys_c = prefix_keys.take(pa.array(of_prefix[candidates]))
        later = pc.and_(
            pc.less(pc.utf8_length(keys_c), pc.utf8_length(texts_c)),
            pc.match_substring_regex(texts_c, later_name_pattern()),
        )
        # the search starts after the key: the key has no digit, so "a digit then a name end" can only lie beyond it
        redo = candidates[pc.fill_null(later, False).to_numpy(zero_copy_only=False)]
    else:
        redo = candidates
    if len(redo):
        full = pc.take(texts, pa.array(redo)).dictionary_encode()
        base = len(readings)
        readings.extend(_read_cached(normalize(t)) for t in full.dictionary.to_pylist())
        idx[redo] = base + full.indices.to_numpy(zero_copy_only=False)
        is_none = np.fromiter((r[5] == "none" for r in readings), dtype=bool, count=len(readings))
    rows = readings
    # 3. combine with the authority code (only where nothing was read) and the declared value (everywhere)
    if registered_codes is not None or declared is not None:
        codes = _column(registered_codes, n)
        decl = _column(declared, n)
        has_code = pc.is_valid(codes).to_numpy(zero_copy_only=False)
        has_decl = pc.is_valid(decl).to_numpy(zero_copy_only=False)
        need = np.flatnonzero((is_none[idx] & has_code) | has_decl)
        if len(need):
            sub = pa.array(need)
            c_enc = pc.fill_null(pc.take(codes, sub), "").dictionary_encode()
            d_enc = pc.fill_null(pc.take(decl, sub), "").dictionary_encode()
            c_vals, d_vals = c_enc.dictionary.to_pylist(), d_enc.dictionary.to_pylist()
            ci = c_enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
            di = d_enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
            combo = (idx[need] * len(c_vals) + ci) * len(d_vals) + di
            uniq, inverse = np.unique(combo, return_inverse=True)
            base = len(rows)
            rows = readings + [
                _combine(readings[r], c_vals[c] or None, d_vals[d] or None)
                for r, c, d in zip(
                    *np.unravel_index(uniq, (len(readings), len(c_vals), len(d_vals))), strict=True
                )
            ]
            idx[need] = base + inverse.reshape(-1)
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(FIELDS)
    types = [
        pa.string(),
        pa.int16(),
        pa.string(),
        pa.string(),
        pa.string(),
        pa.string(),
        pa.float64(),
        pa.string(),
    ]
    take = pa.array(idx)
    return pa.table(
        {f: pc.take(pa.array(col, t), take) for f, col, t in zip(FIELDS, cols, types, strict=True)}
    )
