"""``ib atlas map`` and ``ib atlas report``: choropleths and the self-contained map report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from industry_brain.cli._atlas import AllEnterprisesOpt as AllOpt
from industry_brain.cli._atlas import YearOpt, app
from industry_brain.cli._output import JsonOpt, emit

VintageOpt = Annotated[int, typer.Option("--vintage", help="2019（杂志地图 14 个单元）或 2021（13 个区县）")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="zh-CN 或 en（默认随全局 --lang / IB_LANG）")]


def _lang(lang: str | None) -> str:
    from industry_brain._core.i18n import current_lang, normalise_lang

    return str(normalise_lang(lang) if lang else current_lang())


def _label(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _check_vintage(vintage: int) -> None:
    from industry_brain._core.errors import InputError

    if vintage not in (2019, 2021):
        raise InputError(f"map vintage {vintage!r} is not known, expected 2019 or 2021", field="--vintage")


@app.command("map")
def map_(
    out: Annotated[Path, typer.Option("--out", dir_okay=False, help="输出文件 .png / .svg / .html (output file)")],
    vintage: VintageOpt = 2019,
    field: Annotated[
        str | None, typer.Option("--field", help="高新技术领域代码，如 10 (a level-1 field code)")
    ] = None,
    future: Annotated[
        str | None, typer.Option("--future", help="未来产业代码，如 ai、biotech (a future-industry code)")
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="png、svg 或 html（默认按 --out 的后缀）")
    ] = None,
    all_enterprises: AllOpt = False,
    year: YearOpt = None,
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """绘制分区县分布图（示意图）：全部企业、某一领域或某一未来产业。"""
    from industry_brain._core.errors import InputError
    from industry_brain._core.store import open_store
    from industry_brain.atlas._maps import (
        class_breaks,
        draw,
        interactive_html,
        layer_values,
        parse_layer,
        save_static,
        titles,
    )
    from industry_brain.atlas._tally import measure_register

    _check_vintage(vintage)
    lg = _lang(lang)
    if field and future:
        raise InputError("give --field or --future, not both", field="--field")
    kind = (fmt or out.suffix.lstrip(".")).lower()
    if kind not in ("png", "svg", "html"):
        raise InputError(
            f"map format {kind or out.name!r} is not known, expected png, svg or html (--format or the file suffix)",
            field="--format",
        )
    if out.suffix.lower() != f".{kind}":
        out = out.with_name(out.name + f".{kind}")
    with open_store() as store:
        m = measure_register(store, vintage=vintage, hightech_only=not all_enterprises, year=year)
    layer = parse_layer(f"future:{future}" if future else (field or "all"), m)
    values = layer_values(m, layer)
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "html":
        out.write_text(interactive_html(m, layer, lg), encoding="utf-8")
    else:
        save_static(draw(m, layer, lg), out)
    title, basis = titles(m, layer, lg, int(values.sum()))
    payload = {
        "path": str(out),
        "format": kind,
        "vintage": vintage,
        "layer": layer.slug,
        "lang": lg,
        "title": title,
        "basis": basis,
        "total": int(values.sum()),
        "values": {u: int(v) for u, v in zip(m.units, values, strict=True)},
        "breaks": class_breaks(values),
        "register": m.basis,
    }

    def render(console: Any) -> None:
        console.print(f"{title}\n{basis}")
        console.print(_label(lg, f"已写入 {out}", f"written to {out}"))

    emit(payload, as_json, render)


@app.command("report")
def report(
    out: Annotated[Path, typer.Option("--out", file_okay=False, help="输出文件夹 (output folder)")],
    vintage: VintageOpt = 2019,
    lang: LangOpt = None,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="不生成 PDF (skip the PDF)")] = False,
    no_reconstruction: Annotated[
        bool, typer.Option("--no-reconstruction", help="不含公开数据重建页 (leave out the reconstruction)")
    ] = False,
    all_enterprises: AllOpt = False,
    year: YearOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """生成未来产业地图报告：总图与各区县简介、各领域页、未来产业、重建表、公开数据核对；HTML + PDF + XLSX。"""
    from industry_brain._core.store import open_store
    from industry_brain.atlas._report import report_for_store
    from industry_brain.cli._output import stderr

    _check_vintage(vintage)
    lg = _lang(lang)
    if not as_json:
        stderr.print(_label(lg, "正在生成报告……", "writing the report…"))
    with open_store() as store:
        result = report_for_store(
            store,
            out,
            vintage=vintage,
            lang=lg,
            pdf=not no_pdf,
            hightech_only=not all_enterprises,
            year=year,
            reconstruction=not no_reconstruction,
        )
    payload = result.to_dict()

    def render(console: Any) -> None:
        t = Table(title=_label(lg, "未来产业地图报告", "Future Industry Map report"), show_header=False)
        t.add_row(_label(lg, "文件夹", "folder"), str(result.out))
        t.add_row(_label(lg, "首页", "index"), str(result.index))
        t.add_row(_label(lg, "页面", "pages"), str(len(result.pages)))
        t.add_row(_label(lg, "地图文件", "map files"), str(len(result.maps)))
        t.add_row("XLSX", str(result.xlsx))
        t.add_row("PDF", str(result.pdf) if result.pdf else _label(lg, "未生成", "not written"))
        t.add_row(_label(lg, "企业数", "enterprises"), str(result.sections["total"]))
        console.print(t)
        for line in result.notes:
            console.print(f"[yellow]{line}[/yellow]")

    emit(payload, as_json, render)
