"""Tally a register into a unit × field count table for either division vintage, then measure it.

The register is the ``enterprise`` table of the store (or, for tests and scripts without a store, any table or
DataFrame with the same columns; only these are read: ``map_unit_2019``, ``district_2021``, ``division_code``,
``field_l1``, ``field_l2``, ``future_industries``, ``hightech``, ``hightech_year``, ``synthetic``, ``batch_id``).

Filters (the 口径 of every figure, returned in ``Measures.basis``):

* ``hightech_only`` — only certified high-tech enterprises (``hightech``), the magazine's basis;
* ``year`` — certificates valid at the end of ``year``: a certificate runs three years, so
  ``year − 2 ≤ hightech_year ≤ year`` (the magazine's "end of 2018" list is ``year=2018``);
* ``synthetic`` — None keeps all rows, True only synthetic (demo) rows, False only real rows;
* ``batch_id`` — one version of a list from ``enterprise_record`` instead of the current register (for change).

Vintages. ``vintage=2019`` tallies the 14 units of the magazine's map (13 districts/counties + ``QTXQ``
钱塘新区, which took 下沙/白杨 from 江干 and 河庄/义蓬/新湾/临江/前进 from 萧山); ``vintage=2021`` the 13 districts
after the 2021 re-districting. A record whose unit in the asked vintage is known (the registry resolved it, from a
street where the district was split) is counted exactly. A record known only by a district that the crosswalk
splits — a 2019-era 江干 (330104), 萧山 (330109) or 余杭 (330110) code without a street, or, the other way round,
a 2021 上城/拱墅 district — is **apportioned** among the parts: by the share of that district's exactly located
records of the same register (same filters) that fall in each part; when the register has none, by land area
(:data:`AREA_KM2`, measured on the shipped boundaries). Apportioned counts are rounded with the largest-remainder
method so that every cell stays an integer and each district's total is kept; ``Measures.apportioned`` holds the
apportioned part of every cell and ``Measures.basis["apportioned"]`` the number of records apportioned.
Records with no usable geography (e.g. a city-level registration code 330100) are counted in
``basis["unlocated"]``, and records without a field in ``basis["unclassified"]``; neither is silently dropped.

Any other register (a province, a country: ~3,000 county units × 254 level-3 fields) is measured by
:func:`measure_table`, which counts by code with Arrow dictionary encoding and one ``numpy.bincount`` and applies
no crosswalk (see ``benchmarks/bench_atlas.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from industry_brain._core.errors import InputError
from industry_brain.atlas._measures import Measures

if TYPE_CHECKING:
    import duckdb

    from industry_brain._core.store import Store

QTXQ = "QTXQ"
#: The 14 units of the 2019 map, in the magazine's order of division codes (钱塘新区 last).
UNITS_2019 = [
    "330102",
    "330103",
    "330104",
    "330105",
    "330106",
    "330108",
    "330109",
    "330110",
    "330111",
    "330112",
    "330122",
    "330127",
    "330182",
    QTXQ,
]
#: The 13 districts of Hangzhou after 2021.
UNITS_2021 = [
    "330102",
    "330105",
    "330106",
    "330108",
    "330109",
    "330110",
    "330111",
    "330112",
    "330113",
    "330114",
    "330122",
    "330127",
    "330182",
]
FIELDS_L1 = ["10", "20", "30", "40", "50", "60", "70", "80"]
FUTURE_CODES = ["ai", "vr", "blockchain", "quantum", "additive", "aerospace", "biotech"]

# Crosswalk (../shared/geo/hangzhou/crosswalk_2019_2021.csv, 国函〔2021〕29号, 浙政发〔2021〕7号): what a record
# known only by one key counts towards in each vintage. One target = exact; several = apportioned.
_TO_2019: dict[str, list[str]] = {
    # a county-level division code as registered (2019-era codes and their predecessors)
    "div:330102": ["330102"],
    "div:330103": ["330103"],
    "div:330104": ["330104", QTXQ],
    "div:330105": ["330105"],
    "div:330106": ["330106"],
    "div:330108": ["330108"],
    "div:330109": ["330109", QTXQ],
    "div:330110": ["330110"],
    "div:330111": ["330111"],
    "div:330183": ["330111"],
    "div:330112": ["330112"],
    "div:330185": ["330112"],
    "div:330122": ["330122"],
    "div:330127": ["330127"],
    "div:330182": ["330182"],
    "div:330113": ["330110"],
    "div:330114": [QTXQ],
    # a 2021 district
    "d21:330102": ["330102", "330104"],
    "d21:330105": ["330103", "330105"],
    "d21:330106": ["330106"],
    "d21:330108": ["330108"],
    "d21:330109": ["330109"],
    "d21:330110": ["330110"],
    "d21:330111": ["330111"],
    "d21:330112": ["330112"],
    "d21:330113": ["330110"],
    "d21:330114": [QTXQ],
    "d21:330122": ["330122"],
    "d21:330127": ["330127"],
    "d21:330182": ["330182"],
}
_TO_2021: dict[str, list[str]] = {
    "div:330102": ["330102"],
    "div:330103": ["330105"],
    "div:330104": ["330102", "330114"],
    "div:330105": ["330105"],
    "div:330106": ["330106"],
    "div:330108": ["330108"],
    "div:330109": ["330109", "330114"],
    "div:330110": ["330110", "330113"],
    "div:330111": ["330111"],
    "div:330183": ["330111"],
    "div:330112": ["330112"],
    "div:330185": ["330112"],
    "div:330113": ["330113"],
    "div:330114": ["330114"],
    "div:330122": ["330122"],
    "div:330127": ["330127"],
    "div:330182": ["330182"],
    # a 2019 map unit (江干/萧山 units exclude 钱塘新区, so only 余杭 is split)
    "u19:330102": ["330102"],
    "u19:330103": ["330105"],
    "u19:330104": ["330102"],
    "u19:330105": ["330105"],
    "u19:330106": ["330106"],
    "u19:330108": ["330108"],
    "u19:330109": ["330109"],
    "u19:330110": ["330110", "330113"],
    "u19:330111": ["330111"],
    "u19:330112": ["330112"],
    "u19:330122": ["330122"],
    "u19:330127": ["330127"],
    "u19:330182": ["330182"],
    f"u19:{QTXQ}": ["330114"],
}
#: Land area (km², equirectangular on the shipped GCJ-02 boundaries) of each part of a split district: the
#: fallback weights when the register has no exactly located record of that district.
AREA_KM2: dict[str, dict[str, float]] = {
    "div:330104": {"330104": 111.8, QTXQ: 107.7, "330102": 111.8, "330114": 107.7},
    "div:330109": {"330109": 974.9, QTXQ: 411.3, "330114": 411.3},
    "div:330110": {"330110": 942.3, "330113": 283.8},
    "u19:330110": {"330110": 942.3, "330113": 283.8},
    "d21:330102": {"330102": 26.0, "330104": 111.8},
    "d21:330105": {"330103": 29.1, "330105": 68.2},
}

_COLUMNS = (
    "map_unit_2019",
    "district_2021",
    "division_code",
    "field_l1",
    "field_l2",
    "future_industries",
    "hightech",
    "hightech_year",
    "synthetic",
    "batch_id",
)


def measure_register(
    store: Store,
    *,
    vintage: int = 2019,
    level: int = 1,
    hightech_only: bool = True,
    year: int | None = None,
    synthetic: bool | None = None,
    batch_id: int | None = None,
) -> Measures:
    """Measures of the register in ``store`` (the current ``enterprise`` table, or one batch of it)."""
    if batch_id is None:
        return _measure(
            store.con,
            "enterprise",
            vintage=vintage,
            level=level,
            hightech_only=hightech_only,
            year=year,
            synthetic=synthetic,
            source="enterprise",
        )
    found = store.fetchone("SELECT count(*) FROM enterprise_record WHERE batch_id = ?", [batch_id])
    if not found or not found[0]:
        from industry_brain._core.errors import NotFoundError

        raise NotFoundError(f"no records for batch {batch_id!r}", field="batch_id")
    return _measure(
        store.con,
        f"(SELECT * FROM enterprise_record WHERE batch_id = {int(batch_id)})",
        vintage=vintage,
        level=level,
        hightech_only=hightech_only,
        year=year,
        synthetic=synthetic,
        source=f"batch {int(batch_id)}",
    )


def measure_frame(
    frame: Any,
    *,
    vintage: int = 2019,
    level: int = 1,
    hightech_only: bool = True,
    year: int | None = None,
    synthetic: bool | None = None,
) -> Measures:
    """Measures of an in-memory register: a pandas DataFrame, a pyarrow Table or a list of dicts.

    Only ``map_unit_2019`` / ``district_2021`` / ``division_code`` (at least one) and ``field_l1`` (or
    ``field_l2`` for ``level=2``) are required; ``hightech`` defaults to true, ``future_industries`` to none.
    """
    import duckdb
    import pandas as pd

    df = pd.DataFrame(frame) if isinstance(frame, list) else frame
    if hasattr(df, "to_pandas"):
        df = df.to_pandas()
    if not isinstance(df, pd.DataFrame):
        raise InputError(
            f"expected a DataFrame, a pyarrow Table or a list of dicts, got {type(frame).__name__!r}"
        )
    df = df.copy()
    if not {"map_unit_2019", "district_2021", "division_code"} & set(df.columns):
        raise InputError(
            "the register has none of the columns map_unit_2019, district_2021, division_code",
            field="map_unit_2019",
        )
    defaults: dict[str, Any] = {
        "map_unit_2019": None,
        "district_2021": None,
        "division_code": None,
        "field_l1": None,
        "field_l2": None,
        "hightech": True,
        "hightech_year": None,
        "synthetic": False,
        "batch_id": None,
    }
    for col, value in defaults.items():
        if col not in df.columns:
            df[col] = value
    for col in ("map_unit_2019", "district_2021", "division_code", "field_l1", "field_l2"):
        df[col] = df[col].astype("object").where(df[col].notna(), None)
        df[col] = [None if v is None else str(v) for v in df[col]]
    if "future_industries" not in df.columns:
        df["future_industries"] = [[] for _ in range(len(df))]
    else:
        df["future_industries"] = [
            list(v) if isinstance(v, list | tuple | np.ndarray) else [] for v in df["future_industries"]
        ]
    con = duckdb.connect(":memory:")
    try:
        con.register("frame_in", df[list(_COLUMNS)])
        con.execute(
            "CREATE TEMP TABLE frame_register AS SELECT map_unit_2019::VARCHAR AS map_unit_2019, "
            "district_2021::VARCHAR AS district_2021, division_code::VARCHAR AS division_code, "
            "field_l1::VARCHAR AS field_l1, field_l2::VARCHAR AS field_l2, "
            "future_industries::VARCHAR[] AS future_industries, hightech::BOOLEAN AS hightech, "
            "hightech_year::INTEGER AS hightech_year, synthetic::BOOLEAN AS synthetic, "
            "batch_id::INTEGER AS batch_id FROM frame_in"
        )
        return _measure(
            con,
            "frame_register",
            vintage=vintage,
            level=level,
            hightech_only=hightech_only,
            year=year,
            synthetic=synthetic,
            source="frame",
        )
    finally:
        con.close()


def measure_table(
    table: Any,
    *,
    unit_col: str = "unit",
    field_col: str = "field",
    future_col: str | None = None,
    units: list[str] | None = None,
    fields: list[str] | None = None,
    future_codes: list[str] | None = None,
    level: int = 1,
    vintage: int = 0,
) -> Measures:
    """Measures of any register large or small, tallied by code without the Hangzhou crosswalk.

    ``table``: a pyarrow Table, a pandas DataFrame or a dict of columns, with one map-unit code and one field
    code per enterprise (strings or integers; dictionary-encoded columns are used as they are) and optionally
    a list-of-strings column of future-industry codes. ``units`` / ``fields`` fix the rows and columns (codes
    outside them are counted in ``basis["unlocated"]`` / ``basis["other_fields"]``); by default they are the
    codes present, sorted. This is the path for a national register (~3,000 county units × 254 level-3
    fields): each code column is dictionary-encoded once by Arrow, the table is counted with one
    ``numpy.bincount`` over ``unit × n_fields + field``, and no per-row Python runs. The filters of
    :func:`measure_register` (high-tech status, year) are the caller's: pass the rows to measure.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    tbl = _as_arrow(table, list(dict.fromkeys(c for c in (unit_col, field_col, future_col) if c)))
    n = tbl.num_rows
    from concurrent.futures import ThreadPoolExecutor

    cols = [unit_col, field_col] + ([future_col] if future_col else [])
    batches = [rb for rb in tbl.select(cols).to_batches() if rb.num_rows]
    # 1. dictionary-encode the two code columns of every batch, side by side (Arrow releases the GIL): the only
    #    pass that reads the strings
    with ThreadPoolExecutor(max_workers=2) as pool:
        uenc = [pool.submit(_dictionary_chunks, pa.chunked_array([rb.column(0)])) for rb in batches]
        fenc = [pool.submit(_dictionary_chunks, pa.chunked_array([rb.column(1)])) for rb in batches]
        uchunks = [f.result()[0] for f in uenc]
        fchunks = [f.result()[0] for f in fenc]
    unit_codes = list(units) if units is not None else _sorted_codes(uchunks)
    field_codes = list(fields) if fields is not None else _sorted_codes(fchunks)
    nu, nf = len(unit_codes), len(field_codes)
    width = nf + 2  # column nf: a field outside ``fields``; nf + 1: no field. Row nu: no or unknown unit.
    codes = list(future_codes if future_codes is not None else FUTURE_CODES)
    ext = np.zeros((nu + 1) * width, dtype=np.int64)
    fkeys = []
    for rb, (uidx, udict), (fidx, fdict) in zip(batches, uchunks, fchunks, strict=True):
        # 2. count in the batch's dictionary space (one multiply-add and one bincount over the rows), then map
        #    the small dictionary × dictionary table onto units × fields
        du, df = len(udict) + 1, len(fdict) + 1
        ui = _indices(uidx, len(udict))
        small = _pair_counts(ui, _indices(fidx, len(fdict)), df, du * df)
        urow = _lookup(udict, unit_codes, unknown=nu, null=nu)
        fcol = _lookup(fdict, field_codes, unknown=nf, null=nf + 1)
        target = (urow[:, None] * width + fcol[None, :]).ravel()
        ext += np.bincount(target, weights=small, minlength=ext.size).astype(np.int64)
        if future_col is None or not codes:
            continue
        chunk = rb.column(2)
        if not (pa.types.is_list(chunk.type) or pa.types.is_large_list(chunk.type)):
            raise InputError(
                f"column {future_col!r} must hold lists of future-industry codes, got {chunk.type}",
                field=future_col,
            )
        flat = pc.list_flatten(chunk)
        if len(flat):
            parent = pc.list_parent_indices(chunk).to_numpy()
            (kidx, kdict) = _dictionary_chunks(pa.chunked_array([flat]))[0]
            k = _lookup(kdict, codes, unknown=-1, null=-1)[_indices(kidx, len(kdict))]
            u = urow[ui[parent]]
            ok = (k >= 0) & (u < nu)
            fkeys.append(u[ok] * len(codes) + k[ok])
    grid = ext.reshape(nu + 1, width)
    counts = grid[:nu, :nf]
    unlocated = int(grid[nu].sum())
    other = int(grid[:nu, nf].sum())
    null_fields = int(grid[:nu, nf + 1].sum())
    future = np.zeros((nu, len(codes)), dtype=np.int64)
    if fkeys:
        future = np.bincount(np.concatenate(fkeys), minlength=nu * len(codes)).reshape(nu, len(codes))
    basis = {
        "source": "table",
        "vintage": vintage,
        "level": level,
        "records": n,
        "counted": int(counts.sum()),
        "apportioned": 0,
        "unlocated": unlocated,
        "unclassified": null_fields,
        "other_fields": other,
    }
    return Measures(
        units=unit_codes,
        fields=field_codes,
        counts=counts,
        vintage=vintage,
        level=level,
        basis=basis,
        future_codes=codes,
        future=future,
    )


def _as_arrow(table: Any, columns: list[str]) -> Any:
    import pyarrow as pa

    if isinstance(table, pa.Table):
        tbl = table
    elif isinstance(table, dict):
        tbl = pa.table({c: table[c] for c in columns if c in table})
    else:
        try:
            import pandas as pd
        except ModuleNotFoundError:  # pragma: no cover - pandas is a dependency
            pd = None
        if pd is not None and isinstance(table, pd.DataFrame):
            tbl = pa.Table.from_pandas(
                table[[c for c in columns if c in table.columns]], preserve_index=False
            )
        else:
            raise InputError(
                f"expected a pyarrow Table, a pandas DataFrame or a dict of columns, got {type(table).__name__!r}"
            )
    missing = [c for c in columns if c not in tbl.column_names]
    if missing:
        raise InputError(f"the register has no column {missing[0]!r}", field=missing[0])
    return tbl


def _dictionary_chunks(column: Any) -> list[tuple[Any, list[str | None]]]:
    """Each chunk of a column as (dictionary indices, dictionary values as strings)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = []
    for chunk in column.chunks:
        enc = chunk if pa.types.is_dictionary(chunk.type) else pc.dictionary_encode(chunk)
        dictionary = enc.dictionary
        if not pa.types.is_string(dictionary.type):
            dictionary = pc.cast(dictionary, pa.string())
        out.append((enc.indices, dictionary.to_pylist()))
    return out


def _sorted_codes(chunks: list[tuple[Any, list[str | None]]]) -> list[str]:
    return sorted({c for _, d in chunks for c in d if c is not None})


#: Rows counted per block: the block's keys stay in cache and no array as long as the register is allocated.
_BLOCK = 1 << 20


def _pair_counts(a: np.ndarray, b: np.ndarray, width: int, size: int) -> np.ndarray:
    """``bincount(a × width + b)`` with ``size`` bins, in blocks of :data:`_BLOCK` rows."""
    out = np.zeros(size, dtype=np.int64)
    buf = np.empty(min(len(a), _BLOCK), dtype=np.intp)
    for start in range(0, len(a), _BLOCK):
        stop = min(start + _BLOCK, len(a))
        key = buf[: stop - start]
        np.multiply(a[start:stop], width, out=key, dtype=np.intp, casting="unsafe")
        np.add(key, b[start:stop], out=key, casting="unsafe")
        out += np.bincount(key, minlength=size)
    return out


def _indices(indices: Any, size: int) -> np.ndarray:
    """Dictionary indices as numpy, a null as ``size`` (one past the dictionary)."""
    return cast(np.ndarray, indices.fill_null(size).to_numpy() if indices.null_count else indices.to_numpy())


def _lookup(dictionary: list[str | None], codes: list[str], unknown: int, null: int) -> np.ndarray:
    """Position in ``codes`` of each dictionary value, then of a null (index ``len(dictionary)``)."""
    position = {c: i for i, c in enumerate(codes)}
    values = [position.get(c, unknown) if c is not None else null for c in dictionary]
    return np.array([*values, null], dtype=np.int64)


def _where(hightech_only: bool, year: int | None, synthetic: bool | None) -> tuple[str, list[Any]]:
    clauses, params = ["TRUE"], []
    if hightech_only:
        clauses.append("coalesce(hightech, false)")
    if year is not None:
        clauses.append("hightech_year BETWEEN ? AND ?")
        params += [int(year) - 2, int(year)]
    if synthetic is not None:
        clauses.append("coalesce(synthetic, false) = ?")
        params.append(bool(synthetic))
    return " AND ".join(clauses), params


def _measure(
    con: duckdb.DuckDBPyConnection,
    table: str,
    *,
    vintage: int,
    level: int,
    hightech_only: bool,
    year: int | None,
    synthetic: bool | None,
    source: str,
) -> Measures:
    if vintage not in (2019, 2021):
        raise InputError(f"unknown vintage {vintage!r}, expected 2019 or 2021", field="vintage")
    if level not in (1, 2):
        raise InputError(f"unknown field level {level!r}, expected 1 or 2", field="level")
    units = UNITS_2019 if vintage == 2019 else UNITS_2021
    crosswalk = _TO_2019 if vintage == 2019 else _TO_2021
    own, other, other_tag = (
        ("map_unit_2019", "district_2021", "d21")
        if vintage == 2019
        else ("district_2021", "map_unit_2019", "u19")
    )
    field_col = "field_l1" if level == 1 else "field_l2"
    where, params = _where(hightech_only, year, synthetic)
    key = (
        f"CASE WHEN {own} IS NOT NULL THEN 'unit:' || {own} "
        f"WHEN {other} IS NOT NULL THEN '{other_tag}:' || {other} "
        f"WHEN division_code IS NOT NULL THEN 'div:' || division_code END"
    )
    sql = (
        f"SELECT {key} AS k, {field_col} AS f, division_code AS d, count(*) AS n "
        f"FROM {table} WHERE {where} GROUP BY ALL"
    )
    rows = con.execute(sql, params).fetchall()
    fsql = (
        f"SELECT {key} AS k, fi, count(*) FROM (SELECT *, unnest(future_industries) AS fi FROM {table} "
        f"WHERE {where}) GROUP BY ALL"
    )
    frows = con.execute(fsql, params).fetchall()

    fields = FIELDS_L1 if level == 1 else sorted({str(f) for _, f, _, _ in rows if f is not None})
    ui = {u: i for i, u in enumerate(units)}
    fj = {f: j for j, f in enumerate(fields)}
    fk = {c: k for k, c in enumerate(FUTURE_CODES)}
    counts = np.zeros((len(units), len(fields)), dtype=np.int64)
    future = np.zeros((len(units), len(FUTURE_CODES)), dtype=np.int64)
    pending: dict[str, dict[str, int]] = {}  # split key → field → records to apportion
    pending_future: dict[str, dict[str, int]] = {}
    exact_by_division: dict[str, dict[str, int]] = {}  # division code → unit → exactly located records
    unlocated = unclassified = other_fields = 0

    def target(k: str | None) -> list[str] | None:
        if k is None:
            return None
        if k.startswith("unit:"):
            u = k[5:]
            return [u] if u in ui else None
        return crosswalk.get(k)

    for k, f, d, n in rows:
        n = int(n)
        t = target(k)
        if t is None:
            unlocated += n
            continue
        if f is None:
            unclassified += n
            continue
        if str(f) not in fj:
            other_fields += n
            continue
        if len(t) == 1:
            counts[ui[t[0]], fj[str(f)]] += n
            if d is not None:
                exact_by_division.setdefault(f"div:{d}", {}).setdefault(t[0], 0)
                exact_by_division[f"div:{d}"][t[0]] += n
        else:
            pending.setdefault(k, {}).setdefault(str(f), 0)
            pending[k][str(f)] += n
    for k, code, n in frows:
        t = target(k)
        if t is None or code not in fk:
            continue
        if len(t) == 1:
            future[ui[t[0]], fk[code]] += int(n)
        else:
            pending_future.setdefault(k, {}).setdefault(code, 0)
            pending_future[k][code] += int(n)

    apportioned = np.zeros_like(counts)
    weights_used: dict[str, dict[str, float]] = {}
    apportioned_records = 0
    for k, by_field in pending.items():
        w = _weights(k, crosswalk[k], exact_by_division)
        weights_used[k] = w
        for f, n in by_field.items():
            apportioned_records += n
            for u, share in largest_remainder(n, w).items():
                counts[ui[u], fj[f]] += share
                apportioned[ui[u], fj[f]] += share
    for k, by_code in pending_future.items():
        w = weights_used.get(k) or _weights(k, crosswalk[k], exact_by_division)
        for code, n in by_code.items():
            for u, share in largest_remainder(n, w).items():
                future[ui[u], fk[code]] += share

    basis = {
        "source": source,
        "vintage": vintage,
        "level": level,
        "hightech_only": hightech_only,
        "year": year,
        "synthetic": synthetic,
        "records": int(sum(int(r[3]) for r in rows)),
        "counted": int(counts.sum()),
        "apportioned": apportioned_records,
        "unlocated": unlocated,
        "unclassified": unclassified,
        "other_fields": other_fields,
    }
    return Measures(
        units=list(units),
        fields=list(fields),
        counts=counts,
        vintage=vintage,
        level=level,
        basis=basis,
        apportioned=apportioned,
        apportion_weights=weights_used,
        future_codes=list(FUTURE_CODES),
        future=future,
    )


def _weights(key: str, parts: list[str], exact: Mapping[str, Mapping[str, int]]) -> dict[str, float]:
    """Weights of the parts of a split district: its exactly located records, else land area."""
    seen = exact.get(key, {}) if key.startswith("div:") else {}
    if key.startswith(("d21:", "u19:")):
        # a district of the other vintage: count its exact records by the parts they fall in
        seen = {}
        for d, by_unit in exact.items():
            for u, n in by_unit.items():
                if u in parts and d in _sources_of(key):
                    seen[u] = seen.get(u, 0) + n
    total = sum(seen.get(p, 0) for p in parts)
    if total > 0:
        return {p: seen.get(p, 0) / total for p in parts}
    area = AREA_KM2.get(key)
    if area is None:
        return {p: 1 / len(parts) for p in parts}
    a = sum(area[p] for p in parts)
    return {p: area[p] / a for p in parts}


def _sources_of(key: str) -> set[str]:
    """The 2019-era division codes whose records may fall in the parts of a district of the other vintage."""
    return {
        "d21:330102": {"div:330102", "div:330104"},
        "d21:330105": {"div:330103", "div:330105"},
        "u19:330110": {"div:330110"},
    }.get(key, set())


def largest_remainder(n: int, weights: Mapping[str, float]) -> dict[str, int]:
    """Split ``n`` into integers proportional to ``weights`` (Hamilton's method; ties to the earlier part)."""
    if n < 0:
        raise InputError(f"cannot apportion a negative count {n!r}")
    names = list(weights)
    total = sum(weights.values())
    if total <= 0:
        raise InputError(f"apportionment weights must be positive, got {dict(weights)!r}")
    quotas = [n * weights[p] / total for p in names]
    base = [int(q) for q in quotas]
    left = n - sum(base)
    order = sorted(range(len(names)), key=lambda i: (-(quotas[i] - base[i]), i))
    for i in order[:left]:
        base[i] += 1
    return {p: b for p, b in zip(names, base, strict=True)}
