"""View models: the JSON-ready data behind every page and ``/api/v1`` endpoint, computed by the contexts.

Measures are cached per (register version, vintage, basis) in the application state, so the map, district and
field endpoints answer from memory until the next import lands.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, overload

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain._core.store import Store
from industry_brain.web._i18n import UI
from industry_brain.web._state import AppState

if TYPE_CHECKING:
    from industry_brain.geo import Unit

VINTAGES = (2019, 2021)


# ----------------------------------------------------------------------------------------------- helpers
def json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


@overload
def clean(value: dict[Any, Any]) -> dict[str, Any]: ...
@overload
def clean(value: list[Any] | tuple[Any, ...]) -> list[Any]: ...
def clean(value: Any) -> Any:
    """NaN → null at the API boundary, recursively; numpy scalars → Python."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return clean(value.item())
    return value


def json_for_script(data: Any) -> str:
    """JSON safe to embed in ``<script type="application/json">``."""
    return json.dumps(clean(data), ensure_ascii=False, default=json_default).replace("</", "<\\/")


def _vintage(vintage: int) -> int:
    if vintage not in VINTAGES:
        raise InputError(
            f"unknown vintage {vintage!r}: expected 2019 or 2021", field="vintage", value=vintage
        )
    return vintage


def _en(lang: str) -> bool:
    return lang == "en"


# ----------------------------------------------------------------------------------------------- names
@cache
def _units(vintage: int) -> tuple[Unit, ...]:
    from industry_brain import geo

    return geo.MAP_UNITS_2019 if vintage == 2019 else geo.DISTRICTS_2021


def unit_name(code: str, vintage: int, lang: str) -> str:
    for u in _units(vintage):
        if u.code == code:
            return u.name_en if _en(lang) else u.name_zh
    return code


def field_name(code: str | None, lang: str) -> str | None:
    if not code:
        return None
    from industry_brain import taxonomy

    try:
        f = taxonomy.field(code)
    except LookupError:
        return code
    return f.name_en if _en(lang) and f.name_en else f.name_zh


def future_name(code: str, lang: str) -> str:
    from industry_brain import taxonomy

    try:
        f = taxonomy.future_industry(code)
    except LookupError:
        return code
    return f.name_en if _en(lang) else f.name_zh


def field_options(lang: str) -> list[dict[str, str]]:
    from industry_brain import taxonomy

    return [{"code": f.code, "name": field_name(f.code, lang) or f.code} for f in taxonomy.fields(level=1)]


def future_options(lang: str) -> list[dict[str, str]]:
    from industry_brain import taxonomy

    return [
        {"code": f.code, "name": f.name_en if _en(lang) else f.name_zh} for f in taxonomy.future_industries()
    ]


def unit_options(vintage: int, lang: str) -> list[dict[str, str]]:
    return [
        {"code": u.code, "name": u.name_en if _en(lang) else u.name_zh} for u in _units(_vintage(vintage))
    ]


@cache
def _boundaries(vintage: int) -> dict[str, Any]:
    from shapely.geometry import shape

    from industry_brain import geo

    fc = geo.boundaries(vintage)
    units = {u.code: u for u in _units(vintage)}
    features = []
    for feat in fc["features"]:
        props = dict(feat["properties"])
        u = units.get(props.get("code", ""))
        if u is None:
            continue
        point = shape(feat["geometry"]).representative_point()
        props.update(
            {
                "name_zh": u.name_zh,
                "short_zh": u.short_zh,
                "name_en": u.name_en,
                "label_point": [round(point.x, 5), round(point.y, 5)],
            }
        )
        features.append({"type": "Feature", "properties": props, "geometry": feat["geometry"]})
    return {"type": "FeatureCollection", "features": features}


def boundaries(vintage: int, lang: str) -> dict[str, Any]:
    fc = dict(_boundaries(_vintage(vintage)))
    fc["vintage"] = vintage
    fc["note"] = UI.t("vintage_note", lang, vintage=vintage)
    fc["datum"] = "GCJ-02"
    return fc


# ----------------------------------------------------------------------------------------------- measures
def _hightech_basis(store: Store) -> bool:
    row = store.fetchone("SELECT count(*) FILTER (WHERE hightech), count(*) FROM enterprise")
    return bool(row and row[0])


def measures(state: AppState, store: Store, vintage: int) -> Any:
    """The atlas measures of the current register (high-tech enterprises when the register has any)."""
    from industry_brain import atlas

    version = state.register_version(store)
    hightech = _hightech_basis(store)
    return state.cached(
        ("measures", version, vintage, hightech),
        lambda: atlas.measure_register(store, vintage=_vintage(vintage), hightech_only=hightech),
    )


def _basis_note(m: Any, lang: str) -> str:
    hightech = bool(m.basis.get("hightech_only", True)) if isinstance(m.basis, dict) else True
    if _en(lang):
        base = "national high-tech enterprises" if hightech else "all enterprises in the register"
    else:
        base = "国家高新技术企业" if hightech else "名录内全部企业"
    return base


def meta(state: AppState, store: Store) -> dict[str, Any]:
    from industry_brain import __version__

    row = store.fetchone(
        "SELECT count(*), count(*) FILTER (WHERE hightech), count(*) FILTER (WHERE synthetic) FROM enterprise"
    )
    batches = store.fetchone("SELECT count(*), max(finished_at) FROM import_batch")
    return clean(
        {
            "version": __version__,
            "demo": state.settings.demo,
            "vintages": list(VINTAGES),
            "register": {
                "enterprises": row[0] if row else 0,
                "hightech": row[1] if row else 0,
                "synthetic": row[2] if row else 0,
                "batches": batches[0] if batches else 0,
                "last_import": batches[1].isoformat() if batches and batches[1] else None,
            },
        }
    )


def _parse_layer(layer: str) -> tuple[str, str | None]:
    if layer == "all":
        return "all", None
    kind, _, code = layer.partition(":")
    if kind not in ("field", "future") or not code:
        raise InputError(
            f"unknown layer {layer!r}: expected all, field:<code> or future:<code>",
            field="layer",
            value=layer,
        )
    return kind, code


def map_layer(state: AppState, store: Store, vintage: int, layer: str, lang: str) -> dict[str, Any]:
    import numpy as np

    from industry_brain import atlas

    kind, code = _parse_layer(layer)
    m = measures(state, store, vintage)
    if kind == "all":
        values = [int(v) for v in m.unit_totals]
        label = UI.t("all_fields", lang)
    elif kind == "field":
        from industry_brain import taxonomy

        assert code is not None  # _parse_layer gives a code with every layer but "all"
        try:
            fld = taxonomy.field(code)
        except LookupError as exc:
            raise NotFoundError(f"unknown field {code!r}", field="layer", value=layer) from exc
        if fld.level == 1:
            values = [int(v) for v in m.counts[:, m.field_index(fld.code)]]
        else:
            values = _level_counts(state, store, vintage, fld.code, fld.level)
        label = field_name(fld.code, lang) or fld.code
    else:
        assert code is not None
        if code not in m.future_codes:
            raise NotFoundError(
                f"unknown future industry {code!r}: expected one of {m.future_codes}",
                field="layer",
                value=layer,
            )
        values = [int(v) for v in m.future[:, m.future_codes.index(code)]]
        label = future_name(code, lang)
    total = sum(values)
    ranks = [int(r) for r in atlas.competition_rank(values)]
    from industry_brain.atlas import rank_phrase

    units = [
        {
            "code": u,
            "name": unit_name(u, vintage, lang),
            "count": values[i],
            "share": (values[i] / total) if total else None,
            "rank": ranks[i],
            "rank_label": rank_phrase(ranks[i], ranks.count(ranks[i]) > 1, lang) if values[i] else None,
        }
        for i, u in enumerate(m.units)
    ]
    basis = _basis_note(m, lang)
    title = (
        f"Hangzhou Future Industry Map · {label} · {basis}"
        if _en(lang)
        else f"杭州未来产业地图 · {label} · {basis}"
    )
    return clean(
        {
            "vintage": vintage,
            "layer": layer,
            "label": label,
            "title": title,
            "total": total,
            "units": units,
            "breaks": atlas.class_breaks(np.asarray(values)),
            "note": UI.t("vintage_note", lang, vintage=vintage),
            "apportioned": int(m.apportioned_total),
            "basis": m.basis,
        }
    )


def _level_counts(state: AppState, store: Store, vintage: int, code: str, level: int) -> list[int]:
    from industry_brain import atlas

    version = state.register_version(store)
    hightech = _hightech_basis(store)
    m2 = state.cached(
        ("measures", version, vintage, hightech, level),
        lambda: atlas.measure_register(store, vintage=vintage, level=level, hightech_only=hightech),
    )
    if code not in m2.fields:
        return [0] * len(m2.units)
    return [int(v) for v in m2.counts[:, m2.field_index(code)]]


# ----------------------------------------------------------------------------------------------- blurbs
def _unit_blurb(m: Any, unit: str, lang: str) -> str | None:
    from industry_brain import atlas

    return str(atlas.unit_blurb(m, unit, lang=lang).text) if m.unit_totals[m.unit_index(unit)] else None


def _field_blurb(m: Any, field_code: str, lang: str) -> str | None:
    from industry_brain import atlas

    return (
        str(atlas.field_blurb(m, field_code, lang=lang).text)
        if m.field_totals[m.field_index(field_code)]
        else None
    )


def _unit_code(m: Any, code: str) -> str:
    if code not in m.units:
        raise NotFoundError(
            f"unknown map unit {code!r} for this vintage: expected one of {m.units}", field="unit", value=code
        )
    return code


# ----------------------------------------------------------------------------------------------- districts
def units_overview(state: AppState, store: Store, vintage: int, lang: str) -> dict[str, Any]:
    m = measures(state, store, vintage)
    from industry_brain.atlas import rank_phrase

    rows = []
    for r in m.unit_rows():
        rows.append(
            {
                **r,
                "name": unit_name(r["unit"], vintage, lang),
                "rank_label": rank_phrase(r["rank"], r["tied"], lang) if r["total"] else None,
                "top_fields": [{"code": c, "name": field_name(c, lang)} for c in r["top_fields"]],
            }
        )
    return clean(
        {
            "vintage": vintage,
            "total": m.total,
            "units": rows,
            "basis": _basis_note(m, lang),
            "note": UI.t("vintage_note", lang, vintage=vintage),
        }
    )


def unit_detail(state: AppState, store: Store, code: str, vintage: int, lang: str) -> dict[str, Any]:
    m = measures(state, store, vintage)
    from industry_brain.atlas import rank_phrase

    i = m.unit_index(_unit_code(m, code))
    total = int(m.unit_totals[i])
    fields = []
    for j, f in enumerate(m.fields):
        fields.append(
            {
                "code": f,
                "name": field_name(f, lang),
                "count": int(m.counts[i, j]),
                "share": float(m.field_share_of_unit[i, j]) if total else None,
                "share_of_field": m.unit_share_of_field[i, j],
                "rank_in_field": int(m.rank_in_field[i, j]),
                "lq": m.lq[i, j],
                "strong_cluster": bool(m.strong_cluster[i, j]),
                "apportioned": int(m.apportioned[i, j]),
            }
        )
    fields.sort(key=lambda r: (-r["count"], r["code"]))
    rank, tied = m.unit_rank_of(code)
    apportioned = int(m.apportioned[i].sum())
    result: dict[str, Any] = {
        "code": code,
        "name": unit_name(code, vintage, lang),
        "vintage": vintage,
        "total": total,
        "share": float(m.unit_share_city[i]) if m.total else None,
        "rank": rank,
        "tied": tied,
        "rank_label": rank_phrase(rank, tied, lang) if total else None,
        "hhi": m.hhi_unit[i],
        "fields": fields,
        "top_fields": [r.to_dict() for r in m.top_fields(code, 3)],
        "fields_led": m.fields_led(code),
        "blurb": _unit_blurb(m, code, lang),
        "basis": _basis_note(m, lang),
        "apportioned": apportioned,
        "apportioned_note": (
            f"{apportioned} enterprises apportioned from a split district"
            if _en(lang)
            else f"其中 {apportioned} 家按拆分区县比例分摊"
        )
        if apportioned
        else None,
        "change": _unit_change(state, store, vintage, code, lang),
        "future": {c: int(m.future[i, k]) for k, c in enumerate(m.future_codes)},
        "note": UI.t("vintage_note", lang, vintage=vintage),
    }
    return clean(result)


def _unit_change(state: AppState, store: Store, vintage: int, code: str, lang: str) -> dict[str, Any] | None:
    """Change of a unit's total between the two newest versions of the newest list, when there are two."""

    version = state.register_version(store)
    change = state.cached(("change", version, vintage), lambda: _change(store, vintage))
    if change is None:
        return None
    for row in change.to_dict()["units"]:
        if row["unit"] == code:
            delta = row["delta"]
            label = (
                f"{delta:+d} enterprises, rank {row['rank_before']} → {row['rank_after']}"
                if _en(lang)
                else f"{delta:+d} 家，排名 {row['rank_before']} → {row['rank_after']}"
            )
            return {**row, "label": label}
    return None


def _change(store: Store, vintage: int) -> Any:
    """The change between the two newest versions of the newest list (same source), or ``None`` with one."""
    from industry_brain import atlas, registry

    batches = [b for b in registry.list_batches(store=store) if b.get("rows_loaded")]
    if not batches:
        return None
    latest = batches[0]
    previous = next((b for b in batches[1:] if b.get("source") == latest.get("source")), None)
    if previous is None:
        return None
    hightech = _hightech_basis(store)
    before, after = (
        atlas.measure_register(store, vintage=vintage, hightech_only=hightech, batch_id=int(b["batch_id"]))
        for b in (previous, latest)
    )
    return atlas.Change(before, after)


# ----------------------------------------------------------------------------------------------- fields
def fields_overview(state: AppState, store: Store, vintage: int, lang: str) -> dict[str, Any]:
    m = measures(state, store, vintage)
    rows = []
    for r in m.field_rows():
        rows.append(
            {
                **r,
                "name": field_name(r["field"], lang),
                "top_units": [{"code": c, "name": unit_name(c, vintage, lang)} for c in r["top_units"]],
                "concentration_label": _concentration_label(r["concentration"], lang),
                "blurb": _field_blurb(m, r["field"], lang),
            }
        )
    return clean({"vintage": vintage, "total": m.total, "fields": rows, "basis": _basis_note(m, lang)})


def _concentration_label(value: str | None, lang: str) -> str | None:
    if value is None:
        return None
    if _en(lang):
        return "relatively concentrated" if value == "concentrated" else "relatively dispersed"
    return "较为集中" if value == "concentrated" else "较为分散"


def field_detail(state: AppState, store: Store, code: str, vintage: int, lang: str) -> dict[str, Any]:
    m = measures(state, store, vintage)
    from industry_brain import taxonomy

    try:
        fld = taxonomy.field(code)
    except LookupError as exc:
        raise NotFoundError(f"unknown field {code!r}", field="field", value=code) from exc
    if fld.code not in m.fields:
        raise NotFoundError(f"field {code!r} is not a level-1 field of the map", field="field", value=code)
    j = m.field_index(fld.code)
    total = int(m.field_totals[j])
    units = [
        {
            "code": u,
            "name": unit_name(u, vintage, lang),
            "count": int(m.counts[i, j]),
            "share": (int(m.counts[i, j]) / total) if total else None,
            "rank": int(m.rank_in_field[i, j]),
            "lq": m.lq[i, j],
            "strong_cluster": bool(m.strong_cluster[i, j]),
        }
        for i, u in enumerate(m.units)
    ]
    units.sort(key=lambda r: (-r["count"], r["code"]))
    rank, tied = m.field_rank_of(fld.code)
    sub = [
        {"code": c.code, "name": field_name(c.code, lang)}
        for c in taxonomy.fields(level=2)
        if c.parent == fld.code
    ]
    return clean(
        {
            "code": fld.code,
            "name": field_name(fld.code, lang),
            "vintage": vintage,
            "total": total,
            "share": float(m.field_share_city[j]) if m.total else None,
            "rank": rank,
            "tied": tied,
            "hhi": m.hhi_field[j],
            "concentration": m.concentration(fld.code),
            "concentration_label": _concentration_label(m.concentration(fld.code), lang),
            "named_units": m.named_units[j],
            "named_share": m.named_share[j],
            "units": units,
            "top_units": [r.to_dict() for r in m.top_units(fld.code, 3)],
            "subfields": sub,
            "blurb": _field_blurb(m, fld.code, lang),
            "basis": _basis_note(m, lang),
            "note": UI.t("vintage_note", lang, vintage=vintage),
        }
    )


def future_view(state: AppState, store: Store, vintage: int, lang: str) -> dict[str, Any]:
    m = measures(state, store, vintage)
    return clean(
        {
            "vintage": vintage,
            "industries": [
                {"code": c, "name": future_name(c, lang), "total": int(m.future[:, k].sum())}
                for k, c in enumerate(m.future_codes)
            ],
            "units": [{**r, "name": unit_name(r["unit"], vintage, lang)} for r in m.future_rows()],
            "basis": "enterprises whose business scope classifies into a future industry"
            if _en(lang)
            else "按经营范围归入七大未来产业的企业",
        }
    )
# ----------------------------------------------------------------------------------------------- magazine
def reconstruction(state: AppState, lang: str) -> dict[str, Any]:
    """The reconstructed 14 × 8 table: each cell printed / implied exactly / estimated with its feasible range,
    and the smallest relaxation of the magazine's statements that makes them consistent."""
    from industry_brain import atlas

    rec = state.cached(("reconstruction",), atlas.reconstruct)
    table = rec.table()
    by_cell = {(c.unit_code, c.field): c for c in rec.cells}
    kind_label = {"printed": UI.t("cell_printed", lang), "implied": UI.t("cell_implied", lang),
                  "estimated": UI.t("cell_estimated", lang)}
    rows = []
    for u in rec.units:
        cells = []
        for f in rec.fields:
            c = by_cell[(u, f)]
            title = f"{kind_label[c.status]}" + (f" [{c.min}–{c.max}]" if c.status == "estimated" else "")
            cells.append({"field": f, "value": c.value, "kind": c.status, "min": c.min, "max": c.max, "title": title})
        rows.append({"unit": u, "name": unit_name(u, 2019, lang), "cells": cells, "total": sum(table[u].values())})
    relaxations = [r.description_en if _en(lang) else r.description_zh for r in rec.relaxation]
    prior = rec.prior.get("description_en" if _en(lang) else "description_zh") if isinstance(rec.prior, dict) else None
    return clean({
        "document": rec.document, "fields": [{"code": f, "name": field_name(f, lang)} for f in rec.fields],
        "rows": rows, "counts": rec.marks(), "feasible_as_printed": rec.feasible_as_printed,
        "relaxations": relaxations, "relaxation": [r.to_dict() for r in rec.relaxation],
        "alternatives": [[r.to_dict() for r in alt] for alt in rec.relaxation_alternatives],
        "prior": prior, "statements": rec.statements, "milps": rec.milps,
    })


def talent(store: Store, lang: str) -> dict[str, Any]:
    """The scarce-talent survey's report data (indices with intervals, charts' data, the catalogue), with the
    labels of the groups the outlook is broken down by. Raises NotFoundError when no survey has been imported."""
    from industry_brain import talent as talent_context

    data = talent_context.report_data(store, lang=lang)
    survey = talent_context.load_survey(data["survey"]["id"])
    labels: dict[tuple[str, str | None], str] = {("all", None): UI.t("talent_all", lang)}
    for group in ("sector", "size", "ownership"):
        question = survey.role(group)
        for option in question.options if question is not None else ():
            labels[(group, option.key)] = option.en if _en(lang) else option.zh
    order = {key: i for i, key in enumerate(labels)}
    data["sector_names"] = {k: v for (g, k), v in labels.items() if g == "sector"}
    for row in data["outlook"]:
        row["label"] = labels.get((row["group"], row["value"]), str(row["value"]))
    data["outlook"].sort(key=lambda row: order.get((row["group"], row["value"]), len(order)))
    return clean(data)


# ----------------------------------------------------------------------------------------- published figures


def _figure_text(measure: str, value: Any, lang: str) -> str:
    """A printed or computed value as a reader sees it: unit and field names, not codes."""
    en = _en(lang)
    sep = ", " if en else "、"
    if value is None:
        return "–"
    if measure in ("field_top_units", "field_units_all") and isinstance(value, list):
        return sep.join(unit_name(str(u), 2019, lang) for u in value)
    if measure == "unit_top_fields" and isinstance(value, list):
        return sep.join(field_name(str(f), lang) or str(f) for f in value)
    if measure == "units_at_least":
        units = value.get("units", []) if isinstance(value, dict) else value
        names = sep.join(unit_name(str(u), 2019, lang) for u in units)
        if isinstance(value, dict):
            head = f"≥{value.get('threshold')}: {value.get('count')}" + ("" if en else " 个")
            return f"{head} ({names})" if names else head
        return f"{len(units)}" + ("" if en else " 个") + f" ({names})"
    if measure == "unit_few" and isinstance(value, dict):
        return f"≤ {value.get('max_share_pct')}%"
    if measure == "unit_few" and isinstance(value, int | float):
        return f"{value}%"
    if measure in ("unit_rank", "unit_field_rank", "field_rank") and isinstance(value, int):
        return f"#{value}" if en else f"第{value}位"
    if measure == "field_share" and isinstance(value, int | float):
        return f"{value}%"
    return str(value)


def published_check(state: AppState, store: Store, lang: str) -> dict[str, Any]:
    """Every figure the magazine printed against the current register: matched / differs (by how much) / not
    computable, with the printed sentence. Cached until the next import lands."""
    from industry_brain import atlas

    version = state.register_version(store)
    report = state.cached(("published", version), lambda: atlas.check(store)).to_dict()
    en = _en(lang)
    rows = []
    for row in report["rows"]:
        row = dict(row)
        code = row.get("unit_code")
        row["unit_name"] = ("Whole city" if en else "全市") if code == "330100" else unit_name(code, 2019, lang) if code else None
        row["field_name"] = field_name(row.get("field"), lang)
        row["printed_text"] = _figure_text(row["measure"], row.get("printed"), lang)
        row["computed_text"] = _figure_text(row["measure"], row.get("computed"), lang)
        row["measure_label"] = atlas.MEASURE_NAMES.get(row["measure"], (row["measure"], row["measure"]))[1 if en else 0]
        row["detail"] = (row.get("detail") or {}).get("en" if en else "zh")  # CheckRow.detail is {zh, en}
        rows.append(row)
    return clean({**report, "rows": rows})
