"""``ib atlas``: the Future Industry Map — measures, blurbs, published figures, check, reconstruction.

``ib atlas map`` and ``ib atlas report`` live in ``cli/_atlas_report.py``, which adds them to this ``app``.

Exit codes of ``ib atlas check`` (besides the error codes of ``_core.errors``: 1 internal, 2 bad input):

* 0 — every printed figure matches the register;
* 3 — at least one printed figure differs (a check that fails, like a proof that does not verify);
* 5 — nothing differs, but some figures cannot be computed from this register (e.g. an empty register, or
  units that do not exist on the vintage measured).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from industry_brain.cli._output import JsonOpt, emit

app = typer.Typer(no_args_is_help=True, help="未来产业地图 (the Future Industry Map)")

#: ``ib atlas check`` exit codes (see the module docstring).
EXIT_DIFFERS = 3
EXIT_NOT_COMPUTABLE = 5

VintageOpt = Annotated[
    int, typer.Option("--vintage", help="2019（杂志地图 14 个单元）或 2021（13 个区县）(map vintage)")
]
BatchOpt = Annotated[
    int | None,
    typer.Option(
        "--batch", help="名录的某一版本（导入批次），默认当前名录 (one imported batch; default current)"
    ),
]
AllEnterprisesOpt = Annotated[
    bool,
    typer.Option(
        "--all-enterprises",
        help="统计名录中全部企业，而不只是国家高新技术企业 (count every enterprise, not only high-tech ones)",
    ),
]
YearOpt = Annotated[
    int | None,
    typer.Option("--year", help="高企证书在该年末有效（三年有效期）(certificates valid at the end of YEAR)"),
]
DocumentOpt = Annotated[
    str, typer.Option("--document", help="发表数据所属文献 (the document whose figures are used)")
]

_STATUS = {
    "matched": ("一致", "matched", "green"),
    "differs": ("不一致", "differs", "red"),
    "not_computable": ("无法计算", "not computable", "yellow"),
}
_MARK = {
    "printed": ("刊印", "printed"),
    "implied": ("唯一确定", "implied"),
    "estimated": ("估计", "estimated"),
}


def _en() -> bool:
    from industry_brain._core.i18n import current_lang

    return current_lang() == "en"


def _l(zh: str, en: str) -> str:
    return en if _en() else zh


def _lang() -> str:
    return "en" if _en() else "zh-CN"


def _store() -> Any:
    from industry_brain._core.store import open_store

    return open_store()


def _vintage(vintage: int) -> int:
    from industry_brain._core.errors import InputError

    if vintage not in (2019, 2021):
        raise InputError(f"map vintage {vintage!r} is not known, expected 2019 or 2021", field="--vintage")
    return vintage


def _unit(code: str, vintage: int = 2019) -> str:
    from industry_brain.atlas._labels import unit_name

    if code == "330100":
        return _l("全市", "city")
    return unit_name(code, vintage, _lang())


def _field(code: str | None) -> str:
    if not code:
        return ""
    from industry_brain.atlas._labels import field_name

    return field_name(code, _lang())


def _measure(code: str) -> str:
    from industry_brain.atlas._published import MEASURE_NAMES

    zh, en = MEASURE_NAMES.get(code, (code, code))
    return _l(zh, en)


def _value_text(value: Any, measure: str) -> str:
    """A printed or computed value for a console cell: names instead of codes."""
    if value is None:
        return "—"
    if isinstance(value, list):
        name = _field if measure == "unit_top_fields" else _unit
        return "、".join(name(v) for v in value) if not _en() else ", ".join(name(v) for v in value)
    if isinstance(value, dict):
        if "threshold" in value:
            units = ("、" if not _en() else ", ").join(_unit(u) for u in value["units"])
            return _l(
                f"≥{value['threshold']}：{value['count']} 个（{units}）",
                f">={value['threshold']}: {value['count']} ({units})",
            )
        if "max_share_pct" in value:
            return _l(
                f"{value['label']}（≤{value['max_share_pct']}%）", f"few (<= {value['max_share_pct']}%)"
            )
        return json.dumps(value, ensure_ascii=False)
    if measure == "field_share":
        return f"{value}%"
    return str(value)


# ------------------------------------------------------------------------------------------- published
@app.command("published")
def published(
    measure: Annotated[
        str | None,
        typer.Option("--measure", help="只列某一类，如 cell_count、unit_rank (only one kind of figure)"),
    ] = None,
    document: DocumentOpt = "hangzhou-kj-2019-05",
    as_json: JsonOpt = False,
) -> None:
    """列出杂志刊印的每一个数字及其原句（杭州未来产业地图，2019）。"""
    from industry_brain._core.errors import InputError
    from industry_brain.atlas import published_document
    from industry_brain.atlas._published import MEASURES

    if measure is not None and measure not in MEASURES:
        raise InputError(
            f"unknown measure {measure!r}, expected one of {list(MEASURES)!r}", field="--measure"
        )
    doc = published_document(document)
    figures = [f for f in doc.figures if measure is None or f.measure == measure]
    payload = {
        "document": doc.document,
        "title_zh": doc.title_zh,
        "basis_zh": doc.basis_zh,
        "unit_vintage": doc.unit_vintage,
        "count": len(figures),
        "figures": [
            {**f.to_dict(), "unit_name": doc.unit_name(f.unit_code), "field_name": doc.field_name(f.field)}
            for f in figures
        ],
    }

    def render(console: Any) -> None:
        console.print(doc.title_zh)
        console.print(_l(f"数据口径：{doc.basis_zh}", f"basis: {doc.basis_zh}"))
        t = Table(title=_l(f"刊印数字 {len(figures)} 个", f"{len(figures)} printed figures"))
        t.add_column(_l("类别", "measure"), no_wrap=True)
        t.add_column(_l("单元", "unit"), overflow="fold")
        t.add_column(_l("领域", "field"), overflow="fold")
        t.add_column(_l("刊印值", "printed"), overflow="fold")
        t.add_column(_l("原句", "sentence"), overflow="fold", ratio=1, min_width=24)
        for f in figures:
            t.add_row(
                _measure(f.measure),
                _unit(f.unit_code),
                _field(f.field),
                (f.qualifier or "") + _value_text(f.value, f.measure),
                f.sentence_zh,
            )
        console.print(t)

    emit(payload, as_json, render)


# ------------------------------------------------------------------------------------------------ check
@app.command("check")
def check_(
    vintage: VintageOpt = 2019,
    batch: BatchOpt = None,
    year: YearOpt = None,
    document: DocumentOpt = "hangzhou-kj-2019-05",
    show_all: Annotated[
        bool, typer.Option("--all", help="同时列出一致的数字 (list matched figures too)")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """用当前名录核对杂志刊印的每一个数字：一致 / 不一致（差多少）/ 无法计算。

    退出码：0 全部一致；3 有数字不一致；5 无不一致但有无法计算的数字。
    (exit 0 when every figure matches, 3 when one differs, 5 when none differs but some cannot be computed)
    """
    from industry_brain.atlas import check

    with _store() as store:
        report = check(store, document, vintage=_vintage(vintage), batch_id=batch, year=year)
    data = report.to_dict()
    summary = report.summary

    def render(console: Any) -> None:
        s = summary
        console.print(
            _l(
                f"核对 {report.title_zh}（{report.vintage} 年区划，名录中 {report.total} 家国家高新技术企业）",
                f"checking {report.document} ({report.vintage} map, {report.total} high-tech enterprises in the register)",
            )
        )
        shown = [r for r in report.rows if show_all or r.status != "matched"]
        if shown:
            t = Table()
            t.add_column(_l("类别", "measure"), no_wrap=True)
            t.add_column(_l("单元", "unit"), overflow="fold")
            t.add_column(_l("领域", "field"), overflow="fold")
            t.add_column(_l("刊印", "printed"), overflow="fold")
            t.add_column(_l("计算", "computed"), overflow="fold")
            t.add_column(_l("状态", "status"), no_wrap=True)
            t.add_column(_l("说明", "detail"), overflow="fold", ratio=1, min_width=20)
            for r in shown:
                zh, en, colour = _STATUS[r.status]
                t.add_row(
                    _measure(r.measure),
                    _unit(r.unit_code),
                    _field(r.field),
                    (r.qualifier or "") + _value_text(r.printed, r.measure),
                    _value_text(r.computed, r.measure),
                    f"[{colour}]{_l(zh, en)}[/{colour}]",
                    r.detail["en"] if _en() else r.detail["zh"],
                )
            console.print(t)
        console.print(
            _l(
                f"一致 {s['matched']}，不一致 {s['differs']}，无法计算 {s['not_computable']}",
                f"{s['matched']} matched, {s['differs']} differ, {s['not_computable']} not computable",
            )
        )

    emit(data, as_json, render)
    if summary["differs"]:
        raise typer.Exit(EXIT_DIFFERS)
    if summary["not_computable"]:
        raise typer.Exit(EXIT_NOT_COMPUTABLE)


# ------------------------------------------------------------------------------------------ reconstruct
@app.command("reconstruct")
def reconstruct_(
    no_ranges: Annotated[
        bool,
        typer.Option("--no-ranges", help="不计算估计值的可行范围（更快）(skip the cells' feasible ranges)"),
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache", help="不读写缓存，重新求解 (solve again; neither read nor write the cache)"
        ),
    ] = False,
    document: DocumentOpt = "hangzhou-kj-2019-05",
    as_json: JsonOpt = False,
) -> None:
    """由刊印的全部数字重建完整的 14×8 表（整数规划），并报告刊印数字之间的矛盾及最小放宽。"""
    from industry_brain._core.settings import get_settings
    from industry_brain.atlas import reconstruct

    rec = reconstruct(
        document, ranges=not no_ranges, cache=not no_cache, cache_dir=get_settings().home / "cache" / "atlas"
    )

    def render(console: Any) -> None:
        table = rec.table()
        cells = {(c.unit_code, c.field): c for c in rec.cells}
        marks = rec.marks()
        t = Table(title=_l("重建的单元 × 领域表（国家高新技术企业数）", "reconstructed unit × field table"))
        r_t = Table(
            title=_l("估计值的可行范围（最小–最大）", "feasible ranges of the estimated cells (min–max)")
        )
        for tab in (t, r_t):
            tab.add_column(_l("单元", "unit"), no_wrap=True)
            for f in rec.fields:
                tab.add_column(f, justify="right", no_wrap=True)
        t.add_column(_l("合计", "total"), justify="right", no_wrap=True)
        for u in rec.units:
            row, ranges = [], []
            for f in rec.fields:
                c = cells[u, f]
                if c.status == "printed":
                    row.append(f"[bold]{c.value}[/bold]")
                    ranges.append("")
                elif c.status == "implied":
                    row.append(f"{c.value}=")
                    ranges.append("")
                else:
                    row.append(f"[dim]{c.value}~[/dim]")
                    ranges.append(
                        "" if c.min is None else f"{c.min}–{c.max}" + ("" if c.range_exact else "?")
                    )
            t.add_row(rec.unit_names.get(u, u), *row, str(sum(table[u].values())))
            r_t.add_row(rec.unit_names.get(u, u), *ranges)
        console.print(t)
        console.print(
            _l(
                "领域：" + "，".join(f"{f} {_field(f)}" for f in rec.fields),
                "fields: " + "; ".join(f"{f} {_field(f)}" for f in rec.fields),
            )
        )
        console.print(
            _l(
                f"粗体 = 刊印（{marks['printed']}）；= 唯一确定（{marks['implied']}）；~ 估计（{marks['estimated']}，"
                "最接近先验的可行值）",
                f"bold = printed ({marks['printed']}); = implied ({marks['implied']}); ~ estimated "
                f"({marks['estimated']}, the feasible value closest to the prior)",
            )
        )
        if rec.ranges:
            console.print(r_t)
        if rec.feasible_as_printed:
            console.print(_l("刊印的全部数字彼此一致。", "The printed statements are consistent."))
        else:
            console.print(
                _l(
                    "刊印数字彼此矛盾；最小放宽：",
                    "The printed statements contradict each other; smallest relaxation:",
                )
            )
            for r in rec.relaxation:
                console.print(f"  • {r.description_en if _en() else r.description_zh}")
                console.print(f"    「{r.sentence_zh}」")
            if rec.drop_only:
                console.print(
                    _l(
                        "若只能删除语句，最少须删除下列任一组：",
                        "If statements can only be dropped, drop any one of these sets:",
                    )
                )
                for k, s in enumerate(rec.drop_only, start=1):
                    console.print(
                        f"  {k}. "
                        + _l("；", "; ").join(r.description_en if _en() else r.description_zh for r in s)
                    )
        console.print(
            _l(
                f"{rec.statements} 条语句，{rec.milps} 次求解，用时 {rec.seconds:.1f} 秒"
                + ("（结果读自缓存）" if rec.cached else ""),
                f"{rec.statements} statements, {rec.milps} solves in {rec.seconds:.1f} s"
                + (" (result read from the cache)" if rec.cached else ""),
            )
        )

    emit(rec.to_dict(), as_json, render)


# --------------------------------------------------------------------------------------------- measures
@app.command("measures")
def measures_(
    vintage: VintageOpt = 2019,
    level: Annotated[
        int, typer.Option("--level", help="技术领域层级 1（8 个）或 2（52 个）(field level)")
    ] = 1,
    batch: BatchOpt = None,
    all_enterprises: AllEnterprisesOpt = False,
    year: YearOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """单元 × 领域企业数表，含合计、占比与排名（并列按 1224 排名法）。"""
    from industry_brain._core.errors import InputError
    from industry_brain.atlas import measure_register, rank_phrase

    if level not in (1, 2):
        raise InputError(f"field level {level!r} is not supported here, expected 1 or 2", field="--level")
    with _store() as store:
        m = measure_register(
            store,
            vintage=_vintage(vintage),
            level=level,
            hightech_only=not all_enterprises,
            year=year,
            batch_id=batch,
        )

    def rank(r: int, tied: bool) -> str:
        return rank_phrase(r, tied, _lang())

    def short_rank(r: int, tied: bool) -> str:
        return f"{r}=" if tied else str(r)

    def render(console: Any) -> None:
        b = m.basis
        console.print(
            _l(
                f"{m.vintage} 年区划，{'国家高新技术企业' if b.get('hightech_only') else '全部企业'}：计入 {m.total} 家"
                f"（记录 {b.get('records', 0)}，按比例分配 {b.get('apportioned', 0)}，未定位 {b.get('unlocated', 0)}，"
                f"未分类 {b.get('unclassified', 0)}）",
                f"{m.vintage} map, {'high-tech' if b.get('hightech_only') else 'all'} enterprises: {m.total} counted "
                f"({b.get('records', 0)} records, {b.get('apportioned', 0)} apportioned, {b.get('unlocated', 0)} "
                f"unlocated, {b.get('unclassified', 0)} unclassified)",
            )
        )
        if level == 1:
            t = Table(title=_l("单元 × 领域（国家高新技术企业数）", "unit × field"))
            t.add_column(_l("单元", "unit"), no_wrap=True)
            for f in m.fields:
                t.add_column(f, justify="right", no_wrap=True)
            t.add_column(_l("合计", "total"), justify="right")
            t.add_column(_l("排名", "rank"), justify="right")
            for i, u in enumerate(m.units):
                r, tied = m.unit_rank_of(u)
                t.add_row(
                    _unit(u, m.vintage),
                    *(str(int(v)) for v in m.counts[i]),
                    str(int(m.unit_totals[i])),
                    short_rank(r, tied),
                )
            t.add_row(
                _l("全市", "city"),
                *(str(int(v)) for v in m.field_totals),
                str(m.total),
                "",
                end_section=True,
            )
            shares = [f"{100 * m.field_total(f) / m.total:.2f}%" if m.total else "—" for f in m.fields]
            t.add_row(_l("占比", "share"), *shares, "100%" if m.total else "—", "")
            t.add_row(_l("排名", "rank"), *(short_rank(*m.field_rank_of(f)) for f in m.fields), "", "")
            console.print(t)
            console.print(
                _l(
                    "领域："
                    + "，".join(f"{f} {_field(f)}" for f in m.fields)
                    + "。排名按 1224 排名法，= 表示并列。",
                    "fields: "
                    + "; ".join(f"{f} {_field(f)}" for f in m.fields)
                    + ". Ranks 1224, = marks a tie.",
                )
            )
            return
        t = Table(title=_l("技术领域（二级）", "fields (level 2)"))
        for head in (_l("领域", "field"), _l("企业数", "count"), _l("占比", "share"), _l("排名", "rank"),
                     _l("最多的单元", "top units")):  # fmt: skip
            t.add_column(head)
        for f in m.fields:
            top = m.top_units(f, 3)
            t.add_row(
                f"{_field(f)} ({f})",
                str(m.field_total(f)),
                f"{100 * m.field_total(f) / m.total:.2f}%" if m.total else "—",
                rank(*m.field_rank_of(f)),
                ("、" if not _en() else ", ").join(f"{_unit(e.code, m.vintage)} {e.count}" for e in top),
            )
        console.print(t)
        u_t = Table(title=_l("单元合计", "unit totals"))
        for head in (_l("单元", "unit"), _l("企业数", "count"), _l("排名", "rank")):
            u_t.add_column(head)
        for u in m.units:
            u_t.add_row(_unit(u, m.vintage), str(m.unit_total(u)), rank(*m.unit_rank_of(u)))
        console.print(u_t)

    emit(m.to_dict(), as_json, render)


# ----------------------------------------------------------------------------------------------- blurbs
@app.command("blurbs")
def blurbs_(
    unit: Annotated[
        str | None, typer.Option("--unit", help="只写某一单元，如 330108 或 QTXQ (one unit)")
    ] = None,
    field: Annotated[
        str | None, typer.Option("--field", help="只写某一领域，如 10 (one level-1 field)")
    ] = None,
    vintage: VintageOpt = 2019,
    batch: BatchOpt = None,
    all_enterprises: AllEnterprisesOpt = False,
    year: YearOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """按杂志的句式生成各区域、各领域的简介（随全局 --lang 输出中文或英文）。"""
    from industry_brain.atlas import field_blurb, measure_register, unit_blurb

    with _store() as store:
        m = measure_register(
            store,
            vintage=_vintage(vintage),
            level=1,
            hightech_only=not all_enterprises,
            year=year,
            batch_id=batch,
        )
    lang = _lang()
    if unit is not None:
        m.unit_index(unit)  # an unknown code is an input error
    if field is not None:
        m.field_index(field)
    units = [unit] if unit is not None else ([] if field is not None else list(m.units))
    fields = [field] if field is not None else ([] if unit is not None else list(m.fields))
    payload: dict[str, Any] = {
        "vintage": m.vintage,
        "lang": lang,
        "total": m.total,
        "units": [unit_blurb(m, u, lang).to_dict() for u in units],
        "fields": [field_blurb(m, f, lang).to_dict() for f in fields],
    }

    def render(console: Any) -> None:
        if m.total == 0:
            console.print(
                _l("名录中没有符合口径的企业，简介无从写起。", "The register has no enterprise in scope.")
            )
            return
        for b in payload["units"]:
            console.print(b["text"])
        if payload["units"] and payload["fields"]:
            console.print()
        for b in payload["fields"]:
            console.print(b["text"])

    emit(payload, as_json, render)
