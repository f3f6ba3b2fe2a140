"""``ib chains``: industry chains — templates, placement of the register, gaps, lists, the five-chain graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from industry_brain.cli._output import JsonOpt, emit
from industry_brain.cli._output import store as _store
from industry_brain.cli._output import ui_lang as _lang
from industry_brain.cli._output import zh_en as _l

app = typer.Typer(no_args_is_help=True, help="产业链图谱：模板、企业上链、补链强链延链分析、五链图谱 (industry chains)")
policies_app = typer.Typer(no_args_is_help=True, help="政策清单 (policies)")
financing_app = typer.Typer(no_args_is_help=True, help="融资事件 (financing events)")
app.add_typer(policies_app, name="policies")
app.add_typer(financing_app, name="financing")

DistrictOpt = Annotated[str | None, typer.Option("--district", help="区县代码或名称（2019 地图单元），默认全市")]


def _district(text: str | None) -> str | None:
    from industry_brain._core.errors import InputError
    from industry_brain.geo import map_unit_code

    if not text:
        return None
    code = map_unit_code(text)
    if code is None:
        raise InputError(f"--district {text!r}: not a Hangzhou district (2019 map unit code or name)",
                         field="--district", value=text)
    return code


@app.command("list")
def list_(as_json: JsonOpt = False) -> None:
    """列出产业链及每条链已上链企业数。"""
    from industry_brain.chains import chain_overview

    with _store() as store:
        rows = chain_overview(store, _lang())

    def render(console: Any) -> None:
        t = Table(title=_l("产业链", "Industry chains"), title_justify="left")
        for h in (_l("代码", "code"), _l("名称", "name"), _l("环节", "segments"), _l("上链企业", "firms"),
                  _l("缺失/薄弱环节", "missing/thin"), _l("来源", "origin")):
            t.add_column(h)
        for r in rows:
            t.add_row(r["code"], r["name"], str(r["segments"]), str(r["firms"]), str(r["gaps"]), r["origin"])
        console.print(t)

    emit(rows, as_json, render)


@app.command("show")
def show(code: Annotated[str, typer.Argument(help="产业链代码，如 vr、life_health")], as_json: JsonOpt = False) -> None:
    """显示一条链的环节：阶段、技术领域、关键词与出处。"""
    from industry_brain.chains import chain

    c = chain(code).to_dict(_lang())

    def render(console: Any) -> None:
        console.print(f"{c['name']} ({c['code']})" + (f" — {c['source']['quote']}（第 {c['source']['line']} 行）"
                                                       if c["source"] else ""))
        t = Table()
        for h in (_l("阶段", "stage"), _l("环节", "segment"), _l("技术领域", "fields"), _l("关键词", "keywords"),
                  _l("出处", "source")):
            t.add_column(h)
        for s in c["segments"]:
            src = f"{s['source']['line']}: {s['source']['quote']}" if s["source"] else _l("编辑选择", "editorial")
            t.add_row(s["stage_name"], f"{s['name']} ({s['code']})", " ".join(s["fields"]),
                      "、".join(list(s["keywords"])[:8]), src)
        console.print(t)

    emit(c, as_json, render)


@app.command("place")
def place(
    refresh: Annotated[bool, typer.Option("--refresh", help="重新为整个名录上链（默认仅在名录或模板变化时）")] = False,
    uscc: Annotated[str | None, typer.Option("--uscc", help="只解释一家企业为何上链（或未上链）")] = None,
    as_json: JsonOpt = False,
) -> None:
    """为当前名录的企业上链；--uscc 给出某家企业的判定依据。"""
    from industry_brain.chains import chains, ensure_placements, explain_firm, refresh_placements

    with _store() as store:
        if uscc:
            res = explain_firm(store, uscc)
        else:
            res = refresh_placements(store) if refresh else ensure_placements(store, chains())

    def render(console: Any) -> None:
        if uscc:
            console.print(f"{res['name']} ({res['uscc']})")
            for p in res["placements"]:
                console.print(f"  → {p['chain']}:{p['segment']}  {_l('得分', 'score')} {p['score']}  "
                              f"{_l('置信度', 'confidence')} {p['confidence']}  {_l('依据', 'because')} {'、'.join(p['phrases'])}")
            if not res["placements"]:
                console.print(_l("  未上任何产业链", "  on no chain"))
            console.print(_l("  经营范围中的链词：", "  chain phrases in its scope: ") +
                          "、".join(f"{k}×{v['factor']}" for k, v in res["phrases"].items()))
            return
        console.print(_l(f"名录 {res['records']} 家企业，上链 {res['placements']} 条（运行 {res['run_id']}，"
                         f"{res['seconds']:.2f} 秒）",
                         f"{res['records']} firms, {res['placements']} placements (run {res['run_id']}, "
                         f"{res['seconds']:.2f} s)"))

    emit(res, as_json, render)


@app.command("gaps")
def gaps_cmd(code: Annotated[str, typer.Argument(help="产业链代码")], district: DistrictOpt = None,
             as_json: JsonOpt = False) -> None:
    """补链/强链/延链分析：每个环节的企业数、全市占比、判定及其规则。"""
    from industry_brain.chains import chain, gaps

    with _store() as store:
        rep = gaps(store, chain(code), _district(district), _lang())

    def render(console: Any) -> None:
        console.print(f"{rep['chain_name']} · {rep['district_name']} · " +
                      _l(f"上链企业 {rep['firms']} 家", f"{rep['firms']} firms on the chain"))
        t = Table()
        for h in (_l("阶段", "stage"), _l("环节", "segment"), _l("企业", "firms"), _l("占全市", "of city"),
                  _l("区位商", "LQ"), _l("判定", "verdict"), _l("依据", "why")):
            t.add_column(h)
        for s in rep["segments"]:
            share = f"{s['share_of_city']:.0%}" if s["share_of_city"] is not None else "–"
            verdict = s["verdict_name"] + (f"（{s['action']}）" if s["action"] else "")
            t.add_row(s["stage_name"], s["name"], str(s["firms"]), share, "–" if s["lq"] is None else f"{s['lq']:.2f}",
                      verdict, s["why"])
        console.print(t)
        for s in rep["segments"]:
            for d in s["depends"]:
                where = "、".join(f"{o['name']} {o['firms']}" for o in d["outside"]) or _l("全市也没有", "none in the city")
                console.print(_l(f"  {s['name']}：{'上游' if d['side'] == 'upstream' else '下游'}依赖区外（{where}）",
                                 f"  {s['name']}: depends on {d['side']} outside the district ({where})"))
        console.print(_l("规则：", "Rule:"))
        for line in rep["rule"]:
            console.print(f"  · {line}")

    emit(rep, as_json, render)


@app.command("firms")
def firms(code: Annotated[str, typer.Argument(help="产业链代码")], segment: Annotated[str, typer.Argument(help="环节代码")],
          district: DistrictOpt = None, limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 20,
          as_json: JsonOpt = False) -> None:
    """列出某环节的企业（置信度高者在前）及其上链依据。"""
    from industry_brain.chains import chain, firms_on

    c = chain(code)
    c.segment(segment)
    with _store() as store:
        res = firms_on(store, c, segment, _district(district), limit)

    def render(console: Any) -> None:
        t = Table(title=_l(f"共 {res['total']} 家", f"{res['total']} firms"), title_justify="left")
        for h in ("uscc", _l("名称", "name"), _l("区县", "unit"), _l("置信度", "confidence"), _l("依据", "because")):
            t.add_column(h)
        for f in res["firms"]:
            t.add_row(f["uscc"], f["name"], f["unit"] or "–", f"{f['confidence']:.2f}", "、".join(f["phrases"][:4]))
        console.print(t)

    emit(res, as_json, render)


@app.command("export")
def export(out: Annotated[Path, typer.Argument(dir_okay=False, help=".yaml 或 .xlsx")],
           code: Annotated[list[str] | None, typer.Option("--chain", help="只导出这些链（可重复）")] = None,
           as_json: JsonOpt = False) -> None:
    """导出产业链模板（YAML，或中文表头的 XLSX：产业链、环节两张表）。"""
    from industry_brain.chains import chain, chains, export_templates

    selected = tuple(chain(c) for c in code) if code else chains()
    path = export_templates(out, selected)
    emit({"file": str(path), "chains": [c.code for c in selected]}, as_json,
         lambda c: c.print(_l(f"已导出 {len(selected)} 条链到 {path}", f"{len(selected)} chains written to {path}")))


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".yaml 或 .xlsx 模板")],
            as_json: JsonOpt = False) -> None:
    """导入（并校验）本局的产业链模板；同代码的模板替换内置模板，下次上链时生效。"""
    from industry_brain.chains import read_templates, save_templates

    got = read_templates(file)
    paths = save_templates(got)
    emit({"chains": [c.code for c in got], "files": [str(p) for p in paths]}, as_json,
         lambda c: c.print(_l(f"已保存 {len(got)} 条链：", f"{len(got)} chains saved: ") + "、".join(x.code for x in got)))


def _list_render(res: dict[str, Any]) -> Any:
    def render(console: Any) -> None:
        if res["noop"]:
            console.print(_l(f"该文件已导入（批次 {res['batch_id']}），未做任何更改。",
                             f"file already imported (batch {res['batch_id']}); nothing changed."))
            return
        console.print(_l(f"批次 {res['batch_id']}：读取 {res['rows_read']} 行，载入 {res['rows_loaded']}，隔离 {res['rows_quarantined']}",
                         f"batch {res['batch_id']}: {res['rows_read']} read, {res['rows_loaded']} loaded, "
                         f"{res['rows_quarantined']} quarantined"))
        for p in res["problems"]:
            console.print(f"  · {p['code']}: {p['message_zh'] if _lang() == 'zh' else p['message_en']}")

    return render


@policies_app.command("import")
def policies_import(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="政策清单 XLSX/CSV（中文表头）")],
                    as_json: JsonOpt = False) -> None:
    """导入政策清单（文号、政策名称、发文机关、发布日期、产业链、环节、区县、主要内容）。"""
    from industry_brain.chains import chains, import_policies

    with _store() as store:
        res = import_policies(store, file, chains()).to_dict()
    emit(res, as_json, _list_render(res))


@financing_app.command("import")
def financing_import(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="融资事件 XLSX/CSV（中文表头）")],
                     as_json: JsonOpt = False) -> None:
    """导入融资事件（企业名称、统一社会信用代码、轮次、金额（万元）、日期、投资方）。"""
    from industry_brain.chains import import_financing

    with _store() as store:
        res = import_financing(store, file).to_dict()
    emit(res, as_json, _list_render(res))


@app.command("graph")
def graph(as_json: JsonOpt = False) -> None:
    """重建五链图谱（产业链、创新链、资本链、空间链、政策链）并显示节点与边的数量。"""
    from industry_brain._core.settings import get_settings
    from industry_brain.chains import build_graph, chains

    book = get_settings().home / "patents"
    state = None
    if (book / "checkpoint").exists():
        from industry_brain.patents import PatentBook

        state = PatentBook.open(book).state()
    with _store() as store:
        res = build_graph(store, chains(), state)

    def render(console: Any) -> None:
        console.print(_l(f"节点 {res['node_total']}，边 {res['edge_total']}", f"{res['node_total']} nodes, {res['edge_total']} edges"))
        for k, v in sorted(res["nodes"].items()):
            console.print(f"  {_l('节点', 'nodes')} {k}: {v}")
        for k, v in sorted(res["edges"].items()):
            console.print(f"  {_l('边', 'edges')} {k}: {v}")

    emit(res, as_json, render)


@app.command("path")
def path_cmd(src: Annotated[str, typer.Argument(help="起点节点，如 policy:杭政〔2019〕1号 或 firm:9133…")],
             dst: Annotated[str, typer.Argument(help="终点节点")], as_json: JsonOpt = False) -> None:
    """两个节点之间的最短路径（跨五链）。"""
    from industry_brain.chains import path

    with _store() as store:
        hops = path(store, src, dst)
    emit(hops, as_json, lambda c: c.print("\n".join(f"{h['from_label']} —{h['kind']}→ {h['to_label']}" for h in hops)
                                          or _l("两点之间没有路径", "no path between them")))


peers_app = typer.Typer(no_args_is_help=True, help="对标城市 (peer-city benchmark)")
app.add_typer(peers_app, name="peers")


@peers_app.command("show")
def peers_show(as_json: JsonOpt = False) -> None:
    """生命健康产业对标（北京、上海、苏州）：原文对比语句及其推算区间、本局实测值。"""
    from industry_brain.chains import benchmark

    with _store() as store:
        res = benchmark(store, _lang())

    def render(console: Any) -> None:
        t = Table()
        for h in (_l("指标", "indicator"), _l("杭州", "Hangzhou"), _l("对标", "peer"), _l("原文", "printed"),
                  _l("推算区间", "implied"), _l("实测", "measured")):
            t.add_column(h)
        for s in res["statements"]:
            for p in s["peers"]:
                iv = p["interval"]["text"] + (" (÷杭州)" if p["bounds"] == "ratio" else "") if p["interval"] else "–"
                m = p["measured"]
                mark = "" if p["consistent"] is None else (" ✓" if p["consistent"] else " ✗")
                t.add_row(s["name"], s["hangzhou"] or "–", p["name"], p["phrase"], iv,
                          f"{m['value']:g}{mark}" if m else "–")
        console.print(t)

    emit(res, as_json, render)


@peers_app.command("add")
def peers_add(
    city: Annotated[str, typer.Argument(help="北京 / 上海 / 苏州")],
    indicator: Annotated[str, typer.Argument(help="指标代码，如 high_tech_enterprises（见 ib chains peers show --json）")],
    value: Annotated[float, typer.Argument(help="实测数值")],
    source: Annotated[str, typer.Option("--source", help="数据来源（谁测的、出自哪里）")],
    year: Annotated[int | None, typer.Option("--year", min=1990, max=2100)] = None,
    as_json: JsonOpt = False,
) -> None:
    """录入本局测得的对标城市数值（与原文推算区间核对）。"""
    from industry_brain.chains import add_peer_figure

    with _store() as store:
        res = add_peer_figure(store, city, indicator, value, year=year, source=source)
    emit(res, as_json, lambda c: c.print(_l(f"已录入 {res['city']} {indicator} = {value:g}", f"recorded {res['city']} {indicator} = {value:g}")))
