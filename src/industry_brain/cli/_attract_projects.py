"""``ib attract projects``: the project pipeline (招商项目过程管理).

The command line acts as the local operator of the instance: it sees every district, and each change is recorded
under the operating-system user, or the name given with ``--by``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from industry_brain.cli._output import JsonOpt, emit
from industry_brain.cli._output import store as _store
from industry_brain.cli._output import ui_lang as _lang
from industry_brain.cli._output import zh_en as _l

projects_app = typer.Typer(no_args_is_help=True, help="招商项目：新建、推进、台账导入导出、漏斗 (project pipeline)")

ByOpt = Annotated[str | None, typer.Option("--by", help="记录为谁的操作（默认：当前系统用户） (actor)")]
DistrictOpt = Annotated[str | None, typer.Option("--district", help="区县代码或名称，如 西湖区、330106")]


def _actor(by: str | None) -> str:
    if by and by.strip():
        return by.strip()
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


def _fields(**values: Any) -> dict[str, Any]:
    """The options a user gave (None: not given)."""
    return {k: v for k, v in values.items() if v is not None}


def _project_table(rows: list[dict[str, Any]]) -> Table:
    t = Table(title=_l(f"招商项目 {len(rows)} 个", f"{len(rows)} projects"), title_justify="left")
    for h in (_l("编号", "id"), _l("项目", "project"), _l("区县", "district"), _l("阶段", "stage"),
              _l("目标企业", "target"), _l("投资（万元）", "investment (万元)"), _l("下一步", "next action"),
              _l("计划完成", "due")):
        t.add_column(h)
    for r in rows:
        due = r["next_action_on"] or "–"
        if r["overdue"]:
            due = f"[red]{due} " + _l("逾期", "overdue") + "[/red]"
        t.add_row(str(r["project_id"]), r["name"], r["district_name"], r["stage_name"], r["target_name"] or "–",
                  f"{r['investment_wan']:,.0f}" if r["investment_wan"] is not None else "–", r["next_action"] or "–",
                  due)
    return t


@projects_app.command("list")
def list_cmd(
    district: DistrictOpt = None,
    stage: Annotated[str | None, typer.Option("--stage", help="阶段代码或名称，如 洽谈、negotiation")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列下一步工作已逾期的项目")] = False,
    as_json: JsonOpt = False,
) -> None:
    """列出招商项目（最近更新的在前）；--overdue 只列下一步工作已逾期的项目。"""
    from industry_brain.attract import describe_project, list_projects, stage_rules
    from industry_brain.attract._projects import in_register

    rules = stage_rules()
    with _store() as store:
        found = list_projects(store, stage=stage, district=district, overdue=overdue or None, rules=rules)
        registered = in_register(store, [p.target_uscc for p in found if p.target_uscc])
        rows = [describe_project(p, rules, _lang(), registered=registered) for p in found]
    emit(rows, as_json, lambda console: console.print(_project_table(rows)))


@projects_app.command("show")
def show(project_id: Annotated[int, typer.Argument(help="项目编号")], as_json: JsonOpt = False) -> None:
    """一个项目：基本信息、完整历史（谁、何时、从哪个阶段到哪个阶段、原因）与当前可以进行的推进。"""
    from industry_brain.attract import project_detail

    with _store() as store:
        detail = project_detail(store, project_id, lang=_lang())

    def render(console: Any) -> None:
        p = detail["project"]
        console.print(f"[bold]#{p['project_id']} {p['name']}[/bold]  {p['district_name']}  "
                      + _l("阶段：", "stage: ") + p["stage_name"]
                      + (f"（{p['held_stage_name']}）" if p["held_stage_name"] else ""))
        for label, key in ((_l("目标企业", "target"), "target_name"), (_l("统一社会信用代码", "credit code"), "target_uscc"),
                           (_l("计划投资额（万元）", "investment (万元)"), "investment_wan"),
                           (_l("所属领域", "field"), "field_name"), (_l("产业链环节", "chain segment"), "chain_name"),
                           (_l("负责人", "owner"), "owner"), (_l("下一步工作", "next action"), "next_action"),
                           (_l("计划完成时间", "due"), "next_action_on"), (_l("备注", "notes"), "notes")):
            if p[key] is not None:
                console.print(f"  {label}: {p[key]}")
        if p["target_uscc"]:
            console.print("  " + (_l("目标企业在企业名录中：/enterprises/", "target firm in the register: /enterprises/")
                                  + p["target_uscc"] if p["target_in_register"]
                                  else _l("目标企业不在当前企业名录中", "target firm not in the current register")))
        if p["overdue"]:
            console.print(f"  [red]{_l('逾期', 'overdue')}[/red]: {p['overdue_why']}")
        console.print(_l("历史：", "history:"))
        for e in detail["history"]:
            what = e["kind"]
            if e["kind"] == "created":
                what = _l(f"新建于「{e['to_name']}」", f"created at {e['to_name']!r}")
            elif e["kind"] == "moved":
                what = f"{e['move_name']}: {e['from_name']} → {e['to_name']}"
            elif e["kind"] == "edited":
                what = _l("修改 ", "edited ") + ", ".join(f"{k}: {v[0]!r} → {v[1]!r}" for k, v in (e["changes"] or {}).items())
            reason = f"  ({e['reason']})" if e["reason"] else ""
            console.print(f"  {e['at']}  {e['actor']}  {what}{reason}")
        moves = detail["allowed_moves"]
        console.print(_l("可以推进到：", "allowed moves: ") + ("、".join(
            f"{m['to_name']}（{m['kind_name']}{_l('，须填原因', ', with a reason') if m['needs_reason'] else ''}）"
            for m in moves) or "–"))

    emit(detail, as_json, render)


@projects_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="项目名称")],
    district: Annotated[str, typer.Option("--district", help="所属区县（代码或名称）")],
    stage: Annotated[str | None, typer.Option("--stage", help="起始阶段（默认：线索）")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="负责人（用户名）")] = None,
    target: Annotated[str | None, typer.Option("--target", help="目标企业名称")] = None,
    uscc: Annotated[str | None, typer.Option("--uscc", help="目标企业统一社会信用代码")] = None,
    investment: Annotated[str | None, typer.Option("--investment", help="计划投资额（万元），如 5000 或 1.2亿")] = None,
    field: Annotated[str | None, typer.Option("--field", help="高新技术领域二级或三级代码，如 102")] = None,
    chain: Annotated[str | None, typer.Option("--chain", help="产业链代码，如 ai")] = None,
    segment: Annotated[str | None, typer.Option("--segment", help="产业链环节代码，如 chips")] = None,
    next_action: Annotated[str | None, typer.Option("--next", help="下一步工作")] = None,
    due: Annotated[str | None, typer.Option("--due", help="计划完成时间 YYYY-MM-DD")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="备注")] = None,
    by: ByOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """新建一个招商项目。"""
    from industry_brain.attract import add_project

    values = _fields(name=name, district=district, owner=owner, target_name=target, target_uscc=uscc,
                     investment_wan=investment, field_code=field, chain_code=chain, segment_code=segment,
                     next_action=next_action, next_action_on=due, notes=notes)
    with _store() as store:
        p = add_project(store, values, actor=_actor(by), stage=stage).to_dict()
    emit(p, as_json, lambda c: c.print(_l(f"已新建项目 #{p['project_id']} {p['name']}",
                                          f"project #{p['project_id']} {p['name']} created")))


@projects_app.command("edit")
def edit(
    project_id: Annotated[int, typer.Argument(help="项目编号")],
    name: Annotated[str | None, typer.Option("--name", help="项目名称")] = None,
    district: Annotated[str | None, typer.Option("--district", help="所属区县")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="负责人")] = None,
    target: Annotated[str | None, typer.Option("--target", help="目标企业名称")] = None,
    uscc: Annotated[str | None, typer.Option("--uscc", help="目标企业统一社会信用代码（空字符串清除）")] = None,
    investment: Annotated[str | None, typer.Option("--investment", help="计划投资额（万元）")] = None,
    field: Annotated[str | None, typer.Option("--field", help="高新技术领域代码")] = None,
    chain: Annotated[str | None, typer.Option("--chain", help="产业链代码")] = None,
    segment: Annotated[str | None, typer.Option("--segment", help="产业链环节代码")] = None,
    next_action: Annotated[str | None, typer.Option("--next", help="下一步工作")] = None,
    due: Annotated[str | None, typer.Option("--due", help="计划完成时间 YYYY-MM-DD（空字符串清除）")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="备注")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="修改原因（记入历史）")] = None,
    by: ByOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """修改项目信息（阶段用 move 推进）；每次修改连同改前改后的值记入历史。"""
    from industry_brain.attract import edit_project

    values = _fields(name=name, district=district, owner=owner, target_name=target, target_uscc=uscc,
                     investment_wan=investment, field_code=field, next_action=next_action, next_action_on=due,
                     notes=notes)
    if chain is not None or segment is not None:
        values.update(chain_code=chain or "", segment_code=segment or "")
    with _store() as store:
        p = edit_project(store, project_id, values, actor=_actor(by), reason=reason).to_dict()
    emit(p, as_json, lambda c: c.print(_l(f"已修改项目 #{p['project_id']}", f"project #{p['project_id']} edited")))


@projects_app.command("move")
def move(
    project_id: Annotated[int, typer.Argument(help="项目编号")],
    stage: Annotated[str, typer.Argument(help="目标阶段（代码或名称），如 洽谈、签约、终止")],
    reason: Annotated[str | None, typer.Option("--reason", help="原因（退回、终止、搁置时必填）")] = None,
    by: ByOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """推进项目阶段：按配置的规则逐级推进，允许的跳过、带原因的退回、终止或搁置；不允许的推进会说明可以怎样推进。"""
    from industry_brain.attract import move_project, stage_rules

    with _store() as store:
        p = move_project(store, project_id, stage, actor=_actor(by), reason=reason).to_dict()
    name = stage_rules().get(p["stage"]).name(_lang())
    emit(p, as_json, lambda c: c.print(_l(f"项目 #{p['project_id']} 已到「{name}」",
                                          f"project #{p['project_id']} is now at {name!r}")))


@projects_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="招商项目台账 XLSX / CSV（中文表头，表头上方可有标题行）")],
    by: ByOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """导入区县的招商项目台账：整批原子导入，问题行隔离并说明原因，重复导入同一文件不做任何更改。"""
    from industry_brain.attract import import_ledger

    with _store() as store:
        res = import_ledger(store, file, actor=_actor(by)).to_dict()

    def render(console: Any) -> None:
        if res["noop"]:
            console.print(_l(f"该文件已导入（批次 {res['batch_id']}），未做任何更改。",
                             f"file already imported (batch {res['batch_id']}); nothing changed."))
            return
        console.print(_l(f"批次 {res['batch_id']}（表头在第 {res['header_row']} 行）：读取 {res['rows_read']} 行，"
                         f"新建 {res['created']}，更新 {res['changed']}，未变 {res['unchanged']}，"
                         f"隔离 {res['quarantined']}，警告 {res['warnings']}",
                         f"batch {res['batch_id']} (header on row {res['header_row']}): {res['rows_read']} rows read, "
                         f"{res['created']} created, {res['changed']} changed, {res['unchanged']} unchanged, "
                         f"{res['quarantined']} quarantined, {res['warnings']} warnings"))
        for p in res["problems"]:
            msg = p["message_zh"] if _lang() == "zh" else p["message_en"]
            console.print(f"  · [{p['severity']}] {p['code']} ({p['field']}): {msg}")

    emit(res, as_json, render)


@projects_app.command("export")
def export_cmd(
    file: Annotated[Path, typer.Argument(help="输出文件 .xlsx 或 .csv（表头与导入相同）")],
    district: DistrictOpt = None,
    stage: Annotated[str | None, typer.Option("--stage", help="只导出一个阶段")] = None,
    as_json: JsonOpt = False,
) -> None:
    """导出招商项目台账（与导入相同的中文表头，可再导入）。"""
    from industry_brain.attract import export_ledger

    with _store() as store:
        n = export_ledger(store, file, district=district, stage=stage)
    res = {"path": str(file), "rows": n}
    emit(res, as_json, lambda c: c.print(_l(f"已导出 {n} 个项目到 {file}", f"{n} projects written to {file}")))


@projects_app.command("funnel")
def funnel_cmd(district: DistrictOpt = None, as_json: JsonOpt = False) -> None:
    """项目漏斗：各阶段到达数、阶段间转化率、停留天数（中位数、平均数），及计算规则。"""
    from industry_brain.attract import funnel

    with _store() as store:
        res = funnel(store, district=district, lang=_lang())

    def render(console: Any) -> None:
        title = res["district_name"] or _l("全部区县", "all districts")
        t = Table(title=_l(f"项目漏斗 · {title} · {res['projects']} 个项目", f"funnel · {title} · {res['projects']} projects"),
                  title_justify="left")
        for h in (_l("阶段", "stage"), _l("到达", "reached"), _l("当前", "now"), _l("转化到下一阶段", "to next"),
                  _l("停留中位数（天）", "median days"), _l("平均（天）", "mean days"), _l("已结束停留", "stays")):
            t.add_column(h, justify="left" if h in ("阶段", "stage") else "right")
        for s in res["stages"]:
            conv = f"{s['conversion_to_next']:.0%}" if s["conversion_to_next"] is not None else "–"
            t.add_row(s["name"], str(s["reached"]), str(s["now"]), conv,
                      "–" if s["median_days"] is None else str(s["median_days"]),
                      "–" if s["mean_days"] is None else str(s["mean_days"]), str(s["stays"]))
        console.print(t)
        console.print("  ".join(f"{o['name']} {o['now']}" for o in res["outcomes"]))
        for line in res["rules"]:
            console.print(f"  · {line}", style="dim")

    emit(res, as_json, render)


@projects_app.command("demo")
def demo_cmd(as_json: JsonOpt = False) -> None:
    """载入示例招商项目（12 个，合成数据，历史分布在过去几个月）；已有示例项目时不做更改。"""
    from industry_brain.attract import load_demo_projects

    with _store() as store:
        res = load_demo_projects(store)
    emit(res, as_json, lambda c: c.print(
        _l("示例项目已存在，未做更改。", "the demo projects are there already; nothing changed.") if res["noop"]
        else _l(f"已载入示例项目 {res['rows_loaded']} 个（合成数据）", f"{res['rows_loaded']} demo projects loaded (synthetic)")))


@projects_app.command("stages")
def stages_cmd(as_json: JsonOpt = False) -> None:
    """配置的项目阶段与推进规则（<IB_HOME>/attract/stages.yaml，否则为内置默认）。"""
    from industry_brain.attract import stage_rules

    rules = stage_rules()
    res = rules.to_dict(_lang())

    def render(console: Any) -> None:
        console.print(_l("配置来源：", "configuration: ") + (_l("内置默认", "packaged default")
                                                          if res["source"] == "packaged" else res["source"]))
        for i, s in enumerate(res["stages"], start=1):
            console.print(f"  {i}. {s['code']:<14} {s['zh']}  {s['en']}")
        for o in res["outcomes"]:
            console.print(f"  ·  {o['code']:<14} {o['zh']}  {o['en']}")
        console.print(_l("规则：", "rules:"))
        for line in res["rules"]:
            console.print(f"  - {line}")

    emit(res, as_json, render)
