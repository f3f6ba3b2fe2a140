"""Place staging records on the map (``geo.resolve_many``) and in a technology field (declared 技术领域 read with
``taxonomy.field_from_name``, else inferred from 经营范围 with ``taxonomy.classify_many``), column-wise."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from industry_brain._core.errors import IndustryBrainError

PLACEMENT_SCHEMA = pa.schema(
    [
        ("division_code", pa.string()),
        ("division_vintage", pa.int32()),
        ("street", pa.string()),
        ("map_unit_2019", pa.string()),
        ("district_2021", pa.string()),
        ("geo_method", pa.string()),
        ("geo_confidence", pa.float64()),
        ("geo_evidence", pa.string()),
    ]
)

FIELD_SCHEMA = pa.schema(
    [
        ("field_l1", pa.string()),
        ("field_l2", pa.string()),
        ("field_l3", pa.string()),
        ("field_method", pa.string()),
        ("field_confidence", pa.float64()),
        ("field_phrases", pa.list_(pa.string())),
        ("future_industries", pa.list_(pa.string())),
    ]
)


def place(staging: pa.Table) -> pa.Table:
    """Placement columns for each staging row (addresses, the code's authority digits, the declared district)."""
    from industry_brain.geo import resolve_many

    n = staging.num_rows
    if n == 0:
        return PLACEMENT_SCHEMA.empty_table()
    uscc = staging.column("uscc").combine_chunks()
    ok = staging.column("ok").combine_chunks()
    authority = pc.if_else(ok, pc.utf8_slice_codeunits(uscc, 2, 8), pa.scalar(None, pa.string()))
    result = resolve_many(
        staging.column("address").combine_chunks(),
        registered_codes=authority,
        declared=staging.column("district_declared").combine_chunks(),
    )
    names = {
        "division_code": "division_code",
        "division_vintage": "division_vintage",
        "street": "street",
        "map_unit_2019": "map_unit_2019",
        "district_2021": "district_2021",
        "geo_method": "method",
        "geo_confidence": "confidence",
        "geo_evidence": "evidence",
    }
    cols = []
    for f in PLACEMENT_SCHEMA:
        c = result.column(names[f.name])
        cols.append(c.cast(f.type) if c.type != f.type else c)
    return pa.table(cols, schema=PLACEMENT_SCHEMA)


def _lists(values: list[tuple[str, ...] | None]) -> pa.Array:
    return pa.array([list(v) if v else [] for v in values], pa.list_(pa.string()))


def classify(staging: pa.Table) -> tuple[pa.Table, np.ndarray]:
    """Field columns for each staging row, and a mask of rows whose declared field was not recognised."""
    from industry_brain.taxonomy import classify_many, field_from_name

    n = staging.num_rows
    if n == 0:
        return FIELD_SCHEMA.empty_table(), np.zeros(0, dtype=bool)
    scope = pc.dictionary_encode(staging.column("business_scope").combine_chunks())
    found = classify_many(scope.dictionary.to_pylist())
    idx = scope.indices
    none_at = len(found)

    def pick(values: list[object], typ: pa.DataType) -> pa.Array:
        arr = pa.array([*values, None], typ) if not pa.types.is_list(typ) else _lists([*values, None])  # type: ignore[list-item]
        return arr.take(idx.fill_null(none_at))

    l1 = pick([c.field_l1 for c in found], pa.string())
    l2 = pick([c.field_l2 for c in found], pa.string())
    l3 = pick([c.field_l3 for c in found], pa.string())
    conf = pick([c.confidence for c in found], pa.float64())
    phrases = pick([tuple(c.phrases) for c in found], pa.list_(pa.string()))
    future = pick([tuple(c.future_industries) for c in found], pa.list_(pa.string()))
    method = pc.if_else(pc.is_valid(l1), "inferred", "none")

    declared = pc.dictionary_encode(staging.column("field_declared").combine_chunks())
    unknown = np.zeros(n, dtype=bool)
    if len(declared.dictionary):
        codes: list[tuple[str | None, str | None, str | None]] = []
        bad = np.zeros(len(declared.dictionary) + 1, dtype=bool)
        for j, value in enumerate(declared.dictionary.to_pylist()):
            try:
                f = field_from_name(value)
            except IndustryBrainError:
                codes.append((None, None, None))
                bad[j] = True
                continue
            code = f.code
            codes.append((code[:2], code[:3] if len(code) >= 3 else None, code if len(code) >= 5 else None))
        codes.append((None, None, None))
        didx = declared.indices.fill_null(len(codes) - 1)
        d1 = pa.array([c[0] for c in codes], pa.string()).take(didx)
        d2 = pa.array([c[1] for c in codes], pa.string()).take(didx)
        d3 = pa.array([c[2] for c in codes], pa.string()).take(didx)
        unknown = bad[didx.to_numpy(zero_copy_only=False)]
        has = pc.is_valid(d1)
        # a declared field wins; deeper levels inferred from the scope are kept only when they lie under it
        null = pa.scalar(None, pa.string())
        l2_fits = pc.equal(pc.utf8_slice_codeunits(l2, 0, 2), d1).fill_null(False)
        eff_l2 = pc.coalesce(d2, pc.if_else(l2_fits, l2, null))
        l3_fits = pc.equal(pc.utf8_slice_codeunits(l3, 0, 3), eff_l2).fill_null(False)
        eff_l3 = pc.coalesce(d3, pc.if_else(l3_fits, l3, null))
        new_l2 = pc.if_else(has, eff_l2, l2)
        new_l3 = pc.if_else(has, eff_l3, l3)
        l1 = pc.if_else(has, d1, l1)
        l2, l3 = new_l2, new_l3
        conf = pc.if_else(has, pa.scalar(1.0), conf)
        method = pc.if_else(has, "declared", method)
    return pa.table([l1, l2, l3, method, conf, phrases, future], schema=FIELD_SCHEMA), unknown
