"""``ib attract watch`` and ``ib attract alerts``: watch lists and early warnings (招商标的监测预警)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from industry_brain.cli._output import JsonOpt, emit
from industry_brain.cli._output import store as _store
from industry_brain.cli._output import ui_lang as _lang
from industry_brain.cli._output import zh_en as _l

watch_app = typer.Typer(no_args_is_help=True, help="关注清单：招商标的与本区龙头企业 (watch lists)")
alerts_app = typer.Typer(invoke_without_command=True,
                         help="监测预警：由名录新版本计算的预警；不带子命令时列出预警 (alerts)")

DistrictOpt = Annotated[str, typer.Option("--district", "-d", help="区县代码或名称，如 330106 或 西湖区")]
KindOpt = Annotated[str, typer.Option("--kind", help="target（招商标的）| anchor（本区龙头企业）")]


def _kind_name(kind: str) -> str:
    from industry_brain.attract._alert_kinds import KIND_LABELS

    return KIND_LABELS.t(kind, "en" if _lang() == "en" else "zh-CN")


def _unit(code: str) -> str:
    from industry_brain.attract._alert_kinds import unit_name

    return unit_name(code, _lang())


# ------------------------------------------------------------------------------------------------------ watch
@watch_app.command("list")
def watch_list_cmd(
    district: Annotated[str | None, typer.Option("--district", "-d", help="区县代码或名称（默认：全部）")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="target | anchor")] = None,
    as_json: JsonOpt = False,
) -> None:
    """列出关注清单。"""
    from industry_brain.attract import watch_list

    with _store() as store:
        rows = [w.to_dict() for w in watch_list(store, district, kind=kind)]

    def render(console: Any) -> None:
        t = Table(title=_l(f"关注清单 {len(rows)} 家", f"{len(rows)} watched firms"), title_justify="left")
        for h in (_l("区县", "district"), _l("类型", "kind"), _l("统一社会信用代码", "credit code"), _l("名称", "name"),
                  _l("所在单元", "unit"), _l("备注", "note")):
            t.add_column(h)
        for r in rows:
            t.add_row(_unit(r["district"]), _kind_name(r["kind"]), r["uscc"], r["name"] or "–",
                      _unit(r["unit"]) if r["unit"] else _l("不在当前名录", "not in the register"), r["note"] or "")
        console.print(t)

    emit(rows, as_json, render)


@watch_app.command("add")
def watch_add(
    uscc: Annotated[str, typer.Argument(help="统一社会信用代码")],
    district: DistrictOpt,
    kind: KindOpt = "target",
    note: Annotated[str | None, typer.Option("--note", help="备注")] = None,
    as_json: JsonOpt = False,
) -> None:
    """把一家企业加入区县的关注清单（已在清单中则更新类型与备注）。"""
    from industry_brain.attract import add_to_watch

    with _store() as store:
        item = add_to_watch(store, district, uscc, kind, note, by="cli").to_dict()
    emit(item, as_json, lambda c: c.print(_l(f"已关注：{item['name'] or item['uscc']}（{_unit(item['district'])}，"
                                             f"{_kind_name(item['kind'])}）",
                                             f"watching {item['name'] or item['uscc']} ({_unit(item['district'])}, "
                                             f"{_kind_name(item['kind'])})")))


@watch_app.command("remove")
def watch_remove(uscc: Annotated[str, typer.Argument(help="统一社会信用代码")], district: DistrictOpt,
                 as_json: JsonOpt = False) -> None:
    """把一家企业移出关注清单（已有的预警保留）。"""
    from industry_brain.attract import remove_from_watch

    with _store() as store:
        item = remove_from_watch(store, district, uscc).to_dict()
    emit(item, as_json, lambda c: c.print(_l(f"已移出关注清单：{item['name'] or item['uscc']}",
                                             f"removed from the watch list: {item['name'] or item['uscc']}")))


@watch_app.command("import")
def watch_import(
    file: Annotated[Path, typer.Argument(help="XLSX / CSV：企业名称、统一社会信用代码、类型、备注")],
    district: DistrictOpt,
    kind: Annotated[str, typer.Option("--kind", help="未填类型的行的类型 (kind of rows without 类型)")] = "target",
    as_json: JsonOpt = False,
) -> None:
    """导入关注清单：整批原子导入，问题行隔离，重复导入不改变任何内容。"""
    from industry_brain.attract import import_watch

    with _store() as store:
        res = import_watch(store, district, file, by="cli", default_kind=kind).to_dict()

    def render(console: Any) -> None:
        if res["noop"]:
            console.print(_l(f"该文件已导入（第 {res['import_id']} 次导入），未做任何更改。",
                             f"file already imported (import {res['import_id']}); nothing changed."))
            return
        console.print(_l(f"第 {res['import_id']} 次导入：读取 {res['rows_read']} 行，载入 {res['rows_loaded']}，"
                         f"隔离 {res['rows_quarantined']}",
                         f"import {res['import_id']}: {res['rows_read']} rows read, {res['rows_loaded']} loaded, "
                         f"{res['rows_quarantined']} quarantined"))
        for p in res["problems"]:
            console.print(f"  · {p['code']}: {p['message_zh'] if _lang() == 'zh' else p['message_en']}")

    emit(res, as_json, render)


@watch_app.command("anchors")
def watch_anchors(
    district: DistrictOpt,
    top: Annotated[int, typer.Option("--top", "-k", min=1, max=200, help="龙头企业数 (how many)")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """把本区龙头企业加入关注清单：当前名录中位于本区的企业，高新技术企业优先，再按注册资本从大到小。"""
    from industry_brain.attract import add_anchors

    with _store() as store:
        rows = add_anchors(store, district, top, by="cli")

    def render(console: Any) -> None:
        added = sum(1 for r in rows if r["added"])
        console.print(_l(f"新加入 {added} 家（共 {len(rows)} 家候选）", f"{added} added ({len(rows)} candidates)"))
        for r in rows:
            mark = "+" if r["added"] else "="
            console.print(f" {mark} {r['uscc']} {r['name']}  {r['why_zh'] if _lang() == 'zh' else r['why_en']}")

    emit(rows, as_json, render)


# ----------------------------------------------------------------------------------------------------- alerts
def _list(district: str | None, kind: str | None, unread: bool, as_json: bool, limit: int) -> None:
    from industry_brain.attract import district_of, list_alerts

    lang = _lang()
    with _store() as store:
        rows = [a.to_dict(lang) for a in list_alerts(store, districts=[district_of(district)] if district else None,
                                                       kind=kind, unread=True if unread else None, limit=limit)]

    def render(console: Any) -> None:
        t = Table(title=_l(f"预警 {len(rows)} 条", f"{len(rows)} alerts"), title_justify="left")
        for h in ("#", _l("严重度", "severity"), _l("类型", "kind"), _l("区县", "district"), _l("企业", "firm"),
                  _l("原因", "why"), _l("版本（批次:行）", "versions (batch:row)"), _l("已读", "read")):
            t.add_column(h)
        for r in rows:
            v = r["versions"]
            before = f"{v['before']['batch_id']}:{v['before']['source_row'] or '–'}" if v["before"] else "–"
            after = f"{v['after']['batch_id']}:{v['after']['source_row'] or '–'}"
            t.add_row(str(r["alert_id"]), _kind_name(r["severity"]), r["kind_label"], r["district_name"],
                      f"{r['name']}\n{r['uscc']}", r["message"], f"{before} → {after}",
                      _l("是", "yes") if r["read"] else _l("否", "no"))
        console.print(t)

    emit(rows, as_json, render)


@alerts_app.callback()
def alerts_default(
    ctx: typer.Context,
    district: Annotated[str | None, typer.Option("--district", "-d", help="区县代码或名称")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="预警类型，如 moved_out、capital_reduced")] = None,
    unread: Annotated[bool, typer.Option("--unread", help="只列未读预警")] = False,
    as_json: JsonOpt = False,
) -> None:
    """监测预警：不带子命令时列出预警（同 ib attract alerts list）。"""
    if ctx.invoked_subcommand is None:
        _list(district, kind, unread, as_json, 200)


@alerts_app.command("list")
def alerts_list(
    district: Annotated[str | None, typer.Option("--district", "-d", help="区县代码或名称")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="预警类型，如 moved_out、capital_reduced")] = None,
    unread: Annotated[bool, typer.Option("--unread", help="只列未读预警")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10000, help="最多列出条数")] = 200,
    as_json: JsonOpt = False,
) -> None:
    """列出预警（最新在前），每条说明原因（前后取值与规则）及所依据的记录版本。"""
    _list(district, kind, unread, as_json, limit)


@alerts_app.command("compute")
def alerts_compute(
    batch: Annotated[int | None, typer.Option("--batch", help="导入批次（默认：最新批次，与同一名录的上一批次比较）")] = None,
    months: Annotated[int, typer.Option("--months", min=1, max=36, help="高企证书到期预警窗口（月）")] = 6,
    as_of: Annotated[str | None, typer.Option("--as-of", help="证书到期的起算日期 YYYY-MM-DD（默认：今天）")] = None,
    as_json: JsonOpt = False,
) -> None:
    """为一对名录版本计算预警；重复计算不新增预警。"""
    from industry_brain.attract import compute_alerts
    from industry_brain.registry import parse_date

    day = None
    if as_of:
        day = parse_date(as_of)
        if day is None:
            from industry_brain._core.errors import InputError

            raise InputError(f"--as-of {as_of!r}: expected a date YYYY-MM-DD", field="as_of", value=as_of)
    with _store() as store:
        run = compute_alerts(store, batch, as_of=day, months=months).to_dict()

    def render(console: Any) -> None:
        pair = (f"{run['batch_before']} → {run['batch_after']}" if run["batch_before"] is not None
                else _l(f"{run['batch_after']}（该名录的第一个版本）", f"{run['batch_after']} (first version of its list)"))
        console.print(_l(f"批次 {pair}（{run['source']}）：关注 {run['watched']} 家，发现 {run['alerts_found']} 条，"
                         f"新增 {run['alerts_added']} 条",
                         f"batches {pair} ({run['source']}): {run['watched']} watched, {run['alerts_found']} "
                         f"found, {run['alerts_added']} new"))
        for k, n in run["by_kind"].items():
            console.print(f"  · {_kind_name(k)} ({k}): {n}")

    emit(run, as_json, render)


@alerts_app.command("read")
def alerts_read(
    alert_id: Annotated[int, typer.Argument(help="预警编号")],
    unread: Annotated[bool, typer.Option("--unread", help="重新标为未读")] = False,
    as_json: JsonOpt = False,
) -> None:
    """把一条预警标为已读（--unread：标为未读）。"""
    from industry_brain.attract import mark_read

    with _store() as store:
        a = mark_read(store, alert_id, by="cli", read=not unread).to_dict(_lang())
    emit(a, as_json, lambda c: c.print(_l(f"预警 {a['alert_id']} 已标为{'已读' if a['read'] else '未读'}",
                                          f"alert {a['alert_id']} marked {'read' if a['read'] else 'unread'}")))


def alerts_after_import_cli(batch_id: int | None) -> None:
    """After ``ib registry import``: compute the new version's alerts and say so on stderr; a failure is reported
    and the import (already committed) stands."""
    from industry_brain.cli._output import stderr

    try:
        from industry_brain.attract import alerts_after_import

        with _store() as store:
            res = alerts_after_import(store, batch_id)
    except Exception as exc:  # e.g. the store is busy: the import is kept either way
        res = {"computed": False, "run": None, "error": f"{type(exc).__name__}: {exc}"}
    if res["error"]:
        stderr.print(_l(f"注意：导入已完成，但预警未能计算（{res['error']}）；可稍后运行 ib attract alerts compute "
                        f"--batch {batch_id}",
                        f"note: the import is done but its alerts could not be computed ({res['error']}); run "
                        f"ib attract alerts compute --batch {batch_id} later"))
    elif res["computed"] and res["run"]:
        run = res["run"]
        stderr.print(_l(f"监测预警：新增 {run['alerts_added']} 条（ib attract alerts --unread）",
                        f"watch-list alerts: {run['alerts_added']} new (ib attract alerts --unread)"))
