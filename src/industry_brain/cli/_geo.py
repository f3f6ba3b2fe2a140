"""``ib geo``: division codes, map units and the address resolver."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from industry_brain.cli._output import JsonOpt, emit

app = typer.Typer(no_args_is_help=True, help="行政区划与地址解析 (divisions and address resolution)")


def _en() -> bool:
    from industry_brain._core.i18n import current_lang

    return current_lang() == "en"


def _label(zh: str, en: str) -> str:
    return en if _en() else zh


def _unit_name(code: str | None, vintage: int) -> str:
    if not code:
        return "—"
    from industry_brain.geo import unit

    u = unit(code, vintage)
    return f"{u.name_en if _en() else u.name_zh} ({code})"


@app.command("resolve")
def resolve(
    text: Annotated[str, typer.Argument(help="注册地址 (an address)")],
    code: Annotated[str | None, typer.Option("--code", help="登记机关代码：信用代码第 3–8 位 (authority code)")] = None,
    declared: Annotated[str | None, typer.Option("--declared", help="名录自报的所属区县 (declared district)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """解析地址：区划代码、街道、2019 年地图单元、2021 年区县、方法与置信度。"""
    from industry_brain.geo import resolve_address

    p = resolve_address(text, code, declared)
    payload: dict[str, Any] = {"text": text, **p.to_dict()}

    def render(console: Any) -> None:
        t = Table(show_header=False, title=_label("地址解析", "address resolution"))
        t.add_row(_label("地址", "address"), text)
        t.add_row(_label("区划代码", "division code"),
                  f"{p.division_code} ({p.division_vintage})" if p.division_code else "—")
        t.add_row(_label("街道/乡镇", "street/town"), p.street or "—")
        t.add_row(_label("2019 年地图单元", "2019 map unit"), _unit_name(p.map_unit_2019, 2019))
        t.add_row(_label("2021 年区县", "2021 district"), _unit_name(p.district_2021, 2021))
        t.add_row(_label("方法", "method"), p.method)
        t.add_row(_label("置信度", "confidence"), f"{p.confidence:.2f}")
        t.add_row(_label("依据", "evidence"), p.evidence or "—")
        console.print(t)

    emit(payload, as_json, render)


@app.command("units")
def units(
    vintage: Annotated[int, typer.Option("--vintage", help="2019（杂志地图 14 个单元）或 2021（13 个区县）")] = 2019,
    as_json: JsonOpt = False,
) -> None:
    """列出某一版本的地图单元。"""
    from industry_brain._core.errors import InputError
    from industry_brain.geo import DISTRICTS_2021, MAP_UNITS_2019

    if vintage not in (2019, 2021):
        raise InputError(f"map vintage {vintage!r} is not known, expected 2019 or 2021", field="--vintage")
    rows = MAP_UNITS_2019 if vintage == 2019 else DISTRICTS_2021
    payload = [{"code": u.code, "name_zh": u.name_zh, "short_zh": u.short_zh, "name_en": u.name_en,
                "kind": u.kind, "vintage": vintage} for u in rows]

    def render(console: Any) -> None:
        t = Table(title=_label(f"{vintage} 年杭州地图单元（{len(rows)} 个）", f"Hangzhou map units, {vintage}"))
        for h in (_label("代码", "code"), _label("名称", "name"), "English", _label("类型", "kind")):
            t.add_column(h)
        for u in rows:
            t.add_row(u.code, u.name_zh, u.name_en, u.kind)
        console.print(t)

    emit(payload, as_json, render)


@app.command("division")
def division(
    code: Annotated[str, typer.Argument(help="6 位行政区划代码 (GB/T 2260)")],
    as_json: JsonOpt = False,
) -> None:
    """查询区划代码的历史：名称、启用与弃用年份、新代码。"""
    from industry_brain.geo import division_history

    history = division_history(code)
    payload = {"code": history[-1].code, "history": [d.to_dict() for d in history]}

    def render(console: Any) -> None:
        t = Table(title=_label(f"区划代码 {code} 的沿革", f"history of division code {code}"))
        for h in (_label("名称", "name"), _label("级别", "level"), _label("上级", "parent"),
                  _label("启用", "from"), _label("弃用", "until"), _label("新代码", "successors")):
            t.add_column(h)
        for d in history:
            parent = d.province if d.prefecture in ("", "直辖") else f"{d.province}{d.prefecture}"
            t.add_row(d.name, d.level, parent, str(d.start), str(d.end or "—"), "; ".join(d.successors) or "—")
        console.print(t)

    emit(payload, as_json, render)
