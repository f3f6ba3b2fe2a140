"""``ib attract``: smart investment attraction — targets, their backtest, the project pipeline, watch lists and
alerts."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from industry_brain.cli._attract_alerts import alerts_app, watch_app
from industry_brain.cli._attract_projects import projects_app
from industry_brain.cli._output import JsonOpt, emit
from industry_brain.cli._output import store as _store
from industry_brain.cli._output import ui_lang as _lang
from industry_brain.cli._output import zh_en as _l

app = typer.Typer(no_args_is_help=True, help="智能招商：招商标的推荐、回测、项目过程管理、监测预警 (investment attraction)")
app.add_typer(projects_app, name="projects")
app.add_typer(watch_app, name="watch")
app.add_typer(alerts_app, name="alerts")

DistrictArg = Annotated[str, typer.Option("--district", help="区县代码或名称（2019 地图单元）")]
PresetOpt = Annotated[str, typer.Option("--preset", help="权重预设：low_hanging | balanced | long_jumps | chain_first")]
LevelOpt = Annotated[str, typer.Option("--level", help="技术领域层级：l1 | l2 | l3")]
LimitOpt = Annotated[int, typer.Option("--limit", min=1, max=1000, help="列出条数")]


def _district(text: str) -> str:
    from industry_brain._core.errors import InputError
    from industry_brain.geo import map_unit_code

    code = map_unit_code(text)
    if code is None:
        raise InputError(f"--district {text!r}: not a Hangzhou district (2019 map unit code or name)",
                         field="--district", value=text)
    return code


def _print_rule(console: Any, lines: list[str]) -> None:
    console.print(_l("规则：", "Rule:"))
    for line in lines:
        console.print(f"  · {line}")


@app.command("presets")
def presets(as_json: JsonOpt = False) -> None:
    """列出目标领域评分的权重预设。"""
    from industry_brain.attract import PRESETS

    rows = [p.to_dict(_lang()) for p in PRESETS.values()]

    def render(console: Any) -> None:
        t = Table(title=_l("权重预设", "Weight presets"), title_justify="left")
        for h in (_l("代码", "code"), _l("名称", "name"), _l("关联密度", "density"), "PCI", "COG",
                  _l("补链", "chain gap"), _l("说明", "note")):
            t.add_column(h)
        for r in rows:
            w = r["weights"]
            t.add_row(r["code"], r["name"], f"{w['density']:.2f}", f"{w['pci']:.2f}", f"{w['cog']:.2f}",
                      f"{w['gap']:.2f}", r["note"])
        console.print(t)

    emit(rows, as_json, render)


@app.command("targets")
def targets(district: DistrictArg, preset: PresetOpt = "balanced", level: LevelOpt = "l2", limit: LimitOpt = 15,
            as_json: JsonOpt = False) -> None:
    """本区应引进的技术领域：关联密度、复杂度、机会增益与补链，逐条说明理由。"""
    from industry_brain.attract import field_targets

    with _store() as store:
        data = field_targets(store, _district(district), preset_code=preset, level=level,  # type: ignore[arg-type]
                             lang=_lang(), limit=limit)

    def render(console: Any) -> None:
        console.print(data["panel"]["text"])
        cx = data["complexity"]
        console.print(cx["reason_zh"] if _lang() == "zh" else cx["reason_en"])
        t = Table(title=_l(f"{district} 应引进的领域（{data['preset']['name']}）",
                           f"Fields {district} should court ({data['preset']['name']})"), title_justify="left")
        for h in ("#", _l("领域", "field"), _l("得分", "score"), _l("关联密度", "density"), "PCI", "COG",
                  _l("理由", "why")):
            t.add_column(h, overflow="fold")
        for i, r in enumerate(data["targets"], 1):
            t.add_row(str(i), f"{r['field']} {r['name']}", f"{r['score']:.2f}", f"{r['density']:.2f}",
                      "—" if r["pci"] is None else f"{r['pci']:+.2f}", "—" if r["cog"] is None else f"{r['cog']:.2f}",
                      r["why"])
        console.print(t)
        _print_rule(console, data["rule"])

    emit(data, as_json, render)


@app.command("segments")
def segments(district: DistrictArg, as_json: JsonOpt = False) -> None:
    """本区产业链的缺失、薄弱与优势环节（补链/强链），附该环节领域在本区的关联密度。"""
    from industry_brain.attract import segment_targets

    with _store() as store:
        rows = segment_targets(store, _district(district), lang=_lang())

    def render(console: Any) -> None:
        t = Table(title=_l("补链与强链环节", "Segments to fill and strengthen"), title_justify="left")
        for h in (_l("产业链", "chain"), _l("环节", "segment"), _l("判定", "verdict"), _l("本区企业", "firms"),
                  _l("全市", "city"), _l("关联密度", "density"), _l("理由", "why")):
            t.add_column(h, overflow="fold")
        for r in rows:
            t.add_row(r["chain_name"], r["name"], f"{r['verdict_name']} {r['action']}", str(r["firms"]),
                      str(r["city_firms"]), "—" if r["density"] is None else f"{r['density']:.2f}", r["why"])
        console.print(t)

    emit(rows, as_json, render)


@app.command("firms")
def firms(district: DistrictArg, preset: PresetOpt = "balanced", level: LevelOpt = "l2", limit: LimitOpt = 30,
          per_field: Annotated[int, typer.Option("--per-field", min=0, help="每个领域最多列出几家（0 不限）")] = 5,
          as_json: JsonOpt = False) -> None:
    """本区应接洽的企业：区外、领域补本区之缺或强本区之长，按文档化评分排序并说明理由。"""
    from industry_brain.attract import firm_targets

    with _store() as store:
        data = firm_targets(store, _district(district), preset_code=preset, level=level,  # type: ignore[arg-type]
                            lang=_lang(), limit=limit, per_field=per_field)

    def render(console: Any) -> None:
        t = Table(title=_l(f"应接洽企业（候选 {data.get('candidates', 0)} 家）",
                           f"Firms to approach ({data.get('candidates', 0)} candidates)"), title_justify="left")
        for h in ("#", _l("企业", "firm"), _l("信用代码", "credit code"), _l("得分", "score"), _l("理由", "why")):
            t.add_column(h, overflow="fold")
        for i, r in enumerate(data["firms"], 1):
            t.add_row(str(i), r["name"], r["uscc"], f"{r['score']:.3f}", r["why"])
        console.print(t)
        _print_rule(console, data["rule"])

    emit(data, as_json, render)


@app.command("backtest")
def backtest_(as_of: Annotated[int, typer.Option("--as-of", help="截止年份：用此前登记的企业做推荐")] = 2015,
              horizon: Annotated[int, typer.Option("--horizon", min=1, max=30, help="检验期（年）")] = 3,
              units: Annotated[str, typer.Option("--units", help="评估单元：district | street | county")] = "district",
              level: LevelOpt = "l2",
              presence: Annotated[str, typer.Option("--presence", help="形成优势的口径：rca（区位商≥1）| entry（至少一家）")] = "rca",
              preset: PresetOpt = "balanced",
              save: Annotated[bool, typer.Option("--save/--no-save", help="保存结果，供仪表盘显示")] = True,
              as_json: JsonOpt = False) -> None:
    """回测：以截止年前登记的企业做推荐，对照此后实际新形成优势的区县×领域，报告 ROC-AUC 与 precision@k。"""
    from industry_brain.attract import backtest, save_backtest

    with _store() as store:
        result = backtest(store, as_of, horizon, units=units, level=level,  # type: ignore[arg-type]
                          presence_rule=presence, preset_code=preset)
        run_id = save_backtest(store, result) if save else None
    data = result.to_dict() | {"run_id": run_id}

    def render(console: Any) -> None:
        p = data["panel"]
        console.print(_l(f"回测：截至 {as_of} 年底推荐，检验至 {as_of + horizon} 年底；单元 {units}，{p['units']} 个单元 × "
                         f"{p['fields']} 个领域；候选（此前无优势）{data['candidates']} 对，其后形成优势 {data['positives']} 对"
                         f"（基率 {data['base_rate']:.3f}）",
                         f"backtest: recommend at the end of {as_of}, check at the end of {as_of + horizon}; units "
                         f"{units}, {p['units']} units × {p['fields']} fields; {data['candidates']} candidate pairs "
                         f"(no presence before), {data['positives']} gained presence (base rate {data['base_rate']:.3f})"))
        console.print(p["proximity"]["text"] if _lang() == "zh" else p["proximity"]["text_en"])
        t = Table(title_justify="left")
        ks = list(next(iter(data["metrics"].values()))["precision_at"])
        for h in (_l("评分", "score"), "ROC-AUC", _l("单元内 AUC", "within-unit AUC"), *[f"P@{k}" for k in ks]):
            t.add_column(h)
        names = {"density": _l("关联密度", "density"), "preset": _l("预设得分", "preset score"),
                 "field_growth": _l("基线：领域全市增速", "baseline: field growth"),
                 "random": _l("基线：随机", "baseline: random")}
        for k, m in data["metrics"].items():
            t.add_row(names.get(k, k), "—" if m["auc"] is None else f"{m['auc']:.3f}",
                      "—" if m.get("auc_within") is None else f"{m['auc_within']:.3f}",
                      *[f"{m['precision_at'].get(x, 0):.3f}" for x in ks])
        console.print(t)
        for n in data["notes"]:
            console.print("· " + (n["zh"] if _lang() == "zh" else n["en"]))
        if run_id:
            console.print(_l(f"已保存为第 {run_id} 次回测", f"saved as backtest {run_id}"))

    emit(data, as_json, render)


@app.command("all-targets")
def all_targets_(units: Annotated[str, typer.Option("--units", help="单元：county（县级区划）| street | district")] = "county",
                 level: LevelOpt = "l2", preset: PresetOpt = "balanced",
                 top: Annotated[int, typer.Option("--top", min=1, max=254, help="每个单元列出前几个领域")] = 10,
                 out: Annotated[str | None, typer.Option("--out", help="写出 .csv / .xlsx / .parquet")] = None,
                 as_json: JsonOpt = False) -> None:
    """全部单元的应引进领域（省级或全国名录）：在同一面板上计算邻近度与复杂度，不含补链项。"""
    from pathlib import Path

    import pandas as pd

    from industry_brain._core.errors import InputError
    from industry_brain.attract import all_targets

    with _store() as store:
        res = all_targets(store, units=units, level=level, preset_code=preset, k=top)  # type: ignore[arg-type]
    rows = res.rows(_lang())
    basis = res.panel.basis(_lang())
    if out:
        path = Path(out)
        frame = pd.DataFrame(rows)
        if path.suffix == ".csv":
            frame.to_csv(path, index=False, encoding="utf-8-sig")
        elif path.suffix == ".xlsx":
            frame.to_excel(path, index=False)
        elif path.suffix == ".parquet":
            frame.to_parquet(path, index=False)
        else:
            raise InputError(f"--out {out!r}: expected a .csv, .xlsx or .parquet file", field="--out", value=out)
    data = {"panel": basis, "complexity": res.space.stable.to_dict(), "weights": res.weights, "rows": len(rows),
            "out": out, "targets": rows if as_json and not out else None}

    def render(console: Any) -> None:
        console.print(basis["text"])
        cx = res.space.stable
        console.print(cx.reason_zh if _lang() == "zh" else cx.reason_en)
        console.print(_l(f"共 {len(rows)} 行（{len(res.panel.units)} 个单元 × 前 {top} 个领域）",
                         f"{len(rows)} rows ({len(res.panel.units)} units × top {top} fields)")
                      + (_l(f"，已写出 {out}", f", written to {out}") if out else ""))
        if not out:
            t = Table(title_justify="left")
            for h in (_l("单元", "unit"), "#", _l("领域", "field"), _l("得分", "score"), _l("关联密度", "density")):
                t.add_column(h)
            for r in rows[: top * 5]:
                t.add_row(r["unit"], str(r["rank"]), f"{r['field']} {r['name']}", f"{r['score']:.2f}",
                          f"{r['density']:.2f}")
            console.print(t)

    emit(data, as_json, render)
