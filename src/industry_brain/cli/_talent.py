"""``ib talent``: the scarce-talent survey — import, report, catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from industry_brain.cli._output import JsonOpt, emit

app = typer.Typer(no_args_is_help=True, help="紧缺人才调查与目录 (talent survey and shortage catalogue)")

SurveyOpt = Annotated[
    str, typer.Option("--survey", help="问卷定义：内置编号或 YAML 文件 (survey id or YAML path)")
]
BatchOpt = Annotated[
    int | None, typer.Option("--batch", help="导入批次（默认最新）(batch id; default newest)")
]


def _en() -> bool:
    from industry_brain._core.i18n import current_lang

    return current_lang() == "en"


def _l(zh: str, en: str) -> str:
    return en if _en() else zh


def _num(value: float | None, spec: str) -> str:
    """A statistic for the console; '—' where it cannot be computed (too few answers)."""
    return "—" if value is None else format(value, spec)


def _store() -> Any:
    from industry_brain._core.store import open_store

    return open_store()


def _import_render(result: dict[str, Any]) -> Any:
    def render(console: Any) -> None:
        if result.get("already_imported"):
            console.print(
                _l(
                    f"该文件已导入（批次 {result['batch_id']}），未做任何更改。",
                    f"file already imported (batch {result['batch_id']}); nothing changed.",
                )
            )
            return
        t = Table(show_header=False, title=_l("问卷导入", "survey import"))
        for zh, en, key in (
            ("批次", "batch", "batch_id"),
            ("文件", "file", "file_name"),
            ("格式", "layout", "layout"),
            ("答案模式", "answer mode", "answer_mode"),
            ("多选格式", "multiple choice", "multiple_layout"),
            ("读取行数", "rows read", "rows_read"),
            ("载入答卷", "respondents loaded", "respondents_loaded"),
            ("隔离答卷", "respondents quarantined", "respondents_quarantined"),
            ("隔离答案", "answers quarantined", "answers_quarantined"),
            ("警告", "warnings", "warnings"),
            ("按信用代码关联", "linked by credit code", "linked_uscc"),
            ("按名称关联", "linked by name", "linked_name"),
            ("未关联", "unlinked", "unlinked"),
        ):
            t.add_row(_l(zh, en), str(result.get(key)))
        console.print(t)
        for p in result.get("problems", [])[:50]:
            msg = p["message_en"] if _en() else p["message_zh"]
            where = f"row {p['source_row']}" + (f" #{p['respondent_id']}" if p["respondent_id"] else "")
            console.print(
                f"{p['severity']}: {result['file_name']} {where} {p['question_id'] or ''} [{p['code']}] {msg}"
            )
        if len(result.get("problems", [])) > 50:
            console.print(
                _l(
                    f"……另有 {len(result['problems']) - 50} 条，见 ib talent problems {result['batch_id']}",
                    f"… {len(result['problems']) - 50} more: ib talent problems {result['batch_id']}",
                )
            )

    return render


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="问卷星导出（xlsx/csv，按序号或按文本）或整洁 CSV")],
    survey: SurveyOpt = "hangzhou-2018",
    mode: Annotated[
        str | None, typer.Option("--mode", help="number（按选项序号）或 text（按选项文本）；默认自动识别")
    ] = None,
    synthetic: Annotated[
        bool, typer.Option("--synthetic", help="标记为合成数据 (flag the batch as synthetic)")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """导入问卷答卷：校验、隔离问题答案、关联企业名录；同一文件重复导入不做更改。"""
    from industry_brain.talent import import_responses

    with _store() as store:
        result = import_responses(store, file, survey, mode=mode, synthetic=synthetic)
    emit(result, as_json, _import_render(result))


@app.command("demo")
def demo(as_json: JsonOpt = False) -> None:
    """导入内置的合成答卷（与文章发表的边际分布一致，697 家企业）。"""
    from industry_brain.talent import import_responses, synthetic_file

    with _store() as store:
        result = import_responses(store, synthetic_file(), "hangzhou-2018", synthetic=True)
    emit(result, as_json, _import_render(result))


@app.command("report")
def report(
    out: Annotated[
        Path | None, typer.Option("--out", file_okay=False, help="输出目录：report.html、report.json 与图表 PNG")
    ] = None,
    survey: SurveyOpt = "hangzhou-2018",
    batch: BatchOpt = None,
    weights: Annotated[str | None, typer.Option("--weights", help="使用的权重名 (weights set name)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """调查报告：净雇佣前景指数（Newcombe 区间）、表1、图1-图9、与发表数字核对。"""
    from industry_brain._core.i18n import current_lang
    from industry_brain.talent import report_data, write_report

    with _store() as store:
        if out is not None:
            data = write_report(store, out, survey, batch_id=batch, weights=weights, lang=current_lang())
        else:
            data = report_data(store, survey, batch_id=batch, weights=weights, lang=current_lang())

    def render(console: Any) -> None:
        if data["synthetic"]:
            console.print(_l("【合成数据，仅供演示】", "[synthetic data, demonstration only]"))
        o = data["outlook"][0]
        neoi, low, high = (_num(o[k], "+.1f") for k in ("neoi", "low", "high"))
        console.print(
            _l(
                f"有效样本 {data['respondents']['total']} 家；净雇佣前景指数 {neoi}%"
                f"（95% CI {low} 至 {high}，Newcombe 配对差法）",
                f"{data['respondents']['total']} respondents; net employment outlook {neoi}% "
                f"(95% CI {low} to {high}, Newcombe paired)",
            )
        )
        t = Table(title=_l("表1 行业紧缺专业人才需求描述性分析", "Table 1 demand descriptives"))
        for h in (
            "",
            "N",
            _l("均值", "mean"),
            _l("标准差", "SD"),
            _l("标准误", "SE"),
            _l("下限", "low"),
            _l("上限", "high"),
            _l("极小值", "min"),
            _l("极大值", "max"),
        ):
            t.add_column(h)
        for r in data["table1"]:
            t.add_row(
                _l(r["zh"], r["en"]),
                str(r["n"]),
                _num(r["mean"], ".2f"),
                _num(r["sd"], ".3f"),
                _num(r["se"], ".3f"),
                _num(r["ci95_low"], ".2f"),
                _num(r["ci95_high"], ".2f"),
                _num(r["min"], ".0f"),
                _num(r["max"], ".0f"),
            )
        console.print(t)
        s = data["checks_summary"]
        console.print(
            _l(
                f"与发表数字核对：一致 {s['match']}，不一致 {s['differs']}，无法计算 {s['not_computable']}",
                f"published figures: {s['match']} match, {s['differs']} differ, "
                f"{s['not_computable']} not computable",
            )
        )
        for c in data["checks"]:
            if c["status"] != "match":
                shown = c["computed_rounded"] if c["computed_rounded"] is not None else c["computed"]
                console.print(
                    f"  {c['id']}: {_l('发表', 'printed')} {c['printed']} / {_l('计算', 'computed')} "
                    f"{'—' if shown is None else shown}"
                )
        for i in data["inconsistencies"]:
            console.print(f"! {i['en'] if _en() else i['zh']}")
        if out is not None:
            console.print(
                _l(f"报告已写入 {data['files']['html']}", f"report written to {data['files']['html']}")
            )

    emit(data, as_json, render)


@app.command("catalogue")
def catalogue(
    fmt: Annotated[str, typer.Option("--format", help="xlsx 或 pdf")] = "xlsx",
    out: Annotated[
        Path | None, typer.Option("--out", dir_okay=False, help="输出文件（默认 <IB_HOME>/talent/catalogue.<format>）")
    ] = None,
    survey: SurveyOpt = "hangzhou-2018",
    batch: BatchOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """输出《紧缺专业人才需求目录》（xlsx 或 pdf）。"""
    from industry_brain._core.settings import get_settings
    from industry_brain.talent import write_catalogue

    target = out or get_settings().home / "talent" / f"catalogue.{fmt.lower()}"
    with _store() as store:
        data = write_catalogue(store, target, survey, fmt=fmt, batch_id=batch)

    def render(console: Any) -> None:
        by = data["by_sector"]
        names = {p["sector"]: p["sector_zh"] for p in data["posts"]}
        zh_parts = "，".join(f"{names.get(k, k)} {v['posts']} 个" for k, v in by.items())
        en_parts = ", ".join(f"{k} {v['posts']}" for k, v in by.items())
        console.print(
            _l(
                f"有效紧缺岗位 {len(data['posts'])} 个"
                + (f"（{zh_parts}）" if zh_parts else "")
                + f"，已写入 {data['path']}",
                f"{len(data['posts'])} effective posts"
                + (f" ({en_parts})" if en_parts else "")
                + f" written to {data['path']}",
            )
        )

    emit({k: v for k, v in data.items()}, as_json, render)


@app.command("weights")
def weights(
    by: Annotated[str, typer.Option("--by", help="sector | size | ownership")],
    population: Annotated[list[str], typer.Option("--population", help="总体数量，如 ai=1200（可重复）")],
    name: Annotated[str, typer.Option("--name", help="权重名")] = "poststrat",
    survey: SurveyOpt = "hangzhou-2018",
    batch: BatchOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """事后分层加权：按总体结构计算权重并报告设计效应（Kish）。"""
    from industry_brain._core.errors import InputError
    from industry_brain.talent import poststratify

    pop: dict[str, float] = {}
    for item in population:
        key, sep, value = item.partition("=")
        try:
            pop[key.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise InputError(f"population {item!r}: expected key=count, e.g. ai=1200", field="population")
    with _store() as store:
        result = poststratify(store, by, pop, survey, batch_id=batch, name=name)

    def render(console: Any) -> None:
        console.print(
            _l(
                f"权重 {result['name']}：设计效应 {result['design_effect']:.3f}，有效样本量 "
                f"{result['effective_n']:.1f}（共 {result['respondents']} 份）",
                f"weights {result['name']}: design effect {result['design_effect']:.3f}, effective n "
                f"{result['effective_n']:.1f} of {result['respondents']}",
            )
        )

    emit(result, as_json, render)


@app.command("batches")
def batches(survey: Annotated[str | None, typer.Option("--survey")] = None, as_json: JsonOpt = False) -> None:
    """列出导入批次。"""
    from industry_brain.talent import list_batches

    with _store() as store:
        rows = list_batches(store, survey)

    def render(console: Any) -> None:
        t = Table(title=_l("导入批次", "import batches"))
        for h in ("batch", "survey", "file", "respondents", "quarantined", "warnings", "synthetic"):
            t.add_column(h)
        for b in rows:
            t.add_row(
                str(b["batch_id"]),
                b["survey"],
                b["file_name"],
                str(b["respondents_loaded"]),
                f"{b['respondents_quarantined']}/{b['answers_quarantined']}",
                str(b["warnings"]),
                str(b["synthetic"]),
            )
        console.print(t)

    emit(rows, as_json, render)


@app.command("problems")
def problems(batch: Annotated[int, typer.Argument(help="批次号")], as_json: JsonOpt = False) -> None:
    """列出某批次被隔离的答卷/答案与警告（按行、题目）。"""
    from industry_brain.talent import batch_problems

    with _store() as store:
        rows = batch_problems(store, batch)

    def render(console: Any) -> None:
        for p in rows:
            msg = p["message_en"] if _en() else p["message_zh"]
            console.print(
                f"{p['severity']}: row {p['source_row']} #{p['respondent_id'] or '-'} "
                f"{p['question_id'] or '-'} [{p['code']}] {msg}"
            )
        if not rows:
            console.print(_l("无问题", "no problems"))

    emit(rows, as_json, render)
