"""``ib registry``: import enterprise lists, check credit codes, look up, search, export, review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from industry_brain.cli._output import JsonOpt, emit, progress

app = typer.Typer(no_args_is_help=True, help="企业名录：导入、校验、查询、导出 (enterprise register)")


def _en() -> bool:
    from industry_brain._core.i18n import current_lang

    return current_lang() == "en"


def _l(zh: str, en: str) -> str:
    return en if _en() else zh


def _unit(code: str | None, vintage: int) -> str:
    if not code:
        return "—"
    from industry_brain.geo import unit

    try:
        u = unit(code, vintage)
    except Exception:  # an unknown code is shown as is
        return code
    return f"{u.name_en if _en() else u.name_zh} ({code})"


def _field_name(code: str | None) -> str:
    if not code:
        return "—"
    from industry_brain.taxonomy import field

    try:
        f = field(code)
    except Exception:  # an unknown code is shown as is
        return code
    return f"{f.name_en if _en() else f.name_zh} ({code})"


def _kv(title: str, rows: list[tuple[str, Any]]) -> Table:
    t = Table(show_header=False, title=title, title_justify="left")
    for k, v in rows:
        t.add_row(k, "—" if v is None or v == "" else str(v))
    return t


def _counts(title: str, head: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Table:
    t = Table(title=title, title_justify="left")
    for i, h in enumerate(head):
        t.add_column(h, justify="right" if i else "left")
    for r in rows:
        t.add_row(*[str(x) for x in r])
    return t


def _render_report(console: Any, r: dict[str, Any]) -> None:
    from industry_brain.registry._messages import MESSAGES  # noqa: F401  (the catalog the codes belong to)

    if r["noop"]:
        console.print(
            _l(
                f"文件与来源“{r['source']}”的最新版本（批次 {r['batch_id']}）完全相同，未做任何更改。",
                f"identical to the newest version of source {r['source']!r} (batch {r['batch_id']}); "
                "nothing changed.",
            )
        )
    console.print(
        _kv(
            _l(f"导入批次 {r['batch_id']}", f"import batch {r['batch_id']}"),
            [
                (_l("文件", "file"), r["file"]),
                (_l("来源", "source"), r["source"]),
                (
                    _l("格式", "format"),
                    r["format"]
                    + (f" / {r['encoding']}" if r["encoding"] else "")
                    + (f" / {r['sheet']}" if r["sheet"] else ""),
                ),
                (_l("表头所在行", "header row"), r["header_row"]),
                (_l("读取行数", "rows read"), r["rows_read"]),
                (_l("导入行数", "rows loaded"), r["rows_loaded"]),
                (_l("隔离行数", "rows quarantined"), r["rows_quarantined"]),
                (_l("带警告行数", "rows with warnings"), r["rows_warned"]),
                (_l("企业记录数", "records"), r["records_loaded"]),
                (_l("相同重复已合并", "identical repeats collapsed"), r["duplicates_collapsed"]),
                (_l("代码冲突组", "conflicting code groups"), r["duplicate_conflicts"]),
                (
                    _l("新增/变更/移除/不变", "added/changed/removed/unchanged"),
                    f"{r['added']} / {r['changed']} / {r['removed']} / {r['unchanged']}"
                    + (
                        _l(f"（对比批次 {r['previous_batch_id']}）", f" (vs batch {r['previous_batch_id']})")
                        if r["previous_batch_id"]
                        else ""
                    ),
                ),
                (_l("用时", "time"), f"{r['seconds']:.1f} s, {r['rows_per_second']:.0f} rows/s"),
            ],
        )
    )
    cmap = [(h, f or _l("（保留在 extra）", "(kept in extra)")) for h, f in r["column_map"].items()]
    console.print(_counts(_l("列映射", "column map"), (_l("文件表头", "header"), _l("字段", "field")), cmap))
    geo = r["geo"]
    if geo:
        console.print(
            _counts(
                _l(
                    f"空间定位：{geo['placed_both']} 行落到 2019 年地图单元和 2021 年区县（{geo['placed_share']:.2%}）",
                    f"placement: {geo['placed_both']} rows on a 2019 unit and a 2021 district ({geo['placed_share']:.2%})",
                ),
                (_l("方法", "method"), _l("行数", "rows"), _l("平均置信度", "mean confidence")),
                [(m, v["rows"], f"{v['mean_confidence']:.2f}") for m, v in geo["methods"].items()],
            )
        )
        console.print(
            _counts(
                _l("定位置信度", "placement confidence"),
                (_l("区间", "band"), _l("行数", "rows")),
                sorted(geo["confidence_bands"].items()),
            )
        )
    fields = r["fields"]
    if fields:
        console.print(
            _counts(
                _l(
                    f"技术领域：{fields['inferred_share']:.2%} 的行有领域",
                    f"fields: {fields['inferred_share']:.2%} of rows",
                ),
                (_l("方法", "method"), _l("行数", "rows"), _l("平均置信度", "mean confidence")),
                [(m, v["rows"], f"{v['mean_confidence']:.2f}") for m, v in fields["methods"].items()],
            )
        )
        if fields["field_l1"]:
            console.print(
                _counts(
                    _l("一级领域", "level-1 fields"),
                    (_l("领域", "field"), _l("行数", "rows")),
                    [(_field_name(c), n) for c, n in fields["field_l1"].items()],
                )
            )
        if fields["future_industries"]:
            console.print(
                _counts(
                    _l("未来产业", "future industries"),
                    (_l("产业", "industry"), _l("行数", "rows")),
                    list(fields["future_industries"].items()),
                )
            )
    if r["quarantine_reasons"]:
        console.print(
            _counts(
                _l("隔离原因", "quarantine reasons"),
                (_l("代码", "code"), _l("条数", "count")),
                list(r["quarantine_reasons"].items()),
            )
        )
    if r["warning_reasons"]:
        console.print(
            _counts(
                _l("警告", "warnings"),
                (_l("代码", "code"), _l("条数", "count")),
                list(r["warning_reasons"].items()),
            )
        )
    if r["duplicate_review"]:
        console.print(
            _counts(
                _l("待人工核对的疑似重复", "probable duplicates for review"),
                (_l("原因", "reason"), _l("组数", "groups")),
                list(r["duplicate_review"].items()),
            )
        )
        console.print(_l("查看：ib registry duplicates", "see: ib registry duplicates"))
    if r["rows_quarantined"]:
        console.print(
            _l(
                f"查看隔离行：ib registry quarantine {r['batch_id']}",
                f"see quarantined rows: ib registry quarantine {r['batch_id']}",
            )
        )


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV / XLSX / Parquet 企业名录 (an enterprise list)")],
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX 工作表名 (sheet name)")] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="表头映射文件 YAML/JSON (header → field)")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="名录名称，同一名录的新版本用同一名称 (list name)")
    ] = None,
    synthetic: Annotated[
        bool, typer.Option("--synthetic", help="标记为合成数据 (flag rows as synthetic)")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """导入企业名录：校验、定位、分类、入库（一次事务；有隔离行也返回 0）。"""
    from industry_brain.registry import import_file

    with progress(_l("导入", "importing"), None, enabled=not as_json) as advance:
        report = import_file(
            file, sheet=sheet, mapping=mapping, source=source, synthetic=synthetic, progress=advance
        )
    payload = report.to_dict()
    emit(payload, as_json, lambda c: _render_report(c, payload))
    if not report.noop:  # the watch lists' alerts for the new version (a failure never fails the import)
        from industry_brain.cli._attract_alerts import alerts_after_import_cli

        alerts_after_import_cli(report.batch_id)


@app.command("classify")
def classify(
    batch: Annotated[
        int | None, typer.Argument(help="批次号，默认所有未分类批次 (batch id; default all unclassified)")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """为以 classify=False 导入的批次推断技术领域（按经营范围）。"""
    from industry_brain.registry import classify_batch

    with progress(_l("分类", "classifying"), None, enabled=not as_json):
        done = classify_batch(batch)

    def render(console: Any) -> None:
        if not done:
            console.print(_l("没有待分类的批次。", "no batch is waiting for classification."))
        for d in done:
            rate = d["rows"] / d["seconds"] if d["seconds"] else 0.0
            console.print(
                _l(
                    f"批次 {d['batch_id']}：{d['rows']} 行，{d['seconds']:.1f} 秒（{rate:,.0f} 行/秒），"
                    f"{d['fields']['inferred_share']:.2%} 的行有领域",
                    f"batch {d['batch_id']}: {d['rows']} rows in {d['seconds']:.1f} s ({rate:,.0f} rows/s), "
                    f"{d['fields']['inferred_share']:.2%} with a field",
                )
            )

    emit(done, as_json, render)


@app.command("uscc")
def uscc(
    codes: Annotated[list[str], typer.Argument(help="统一社会信用代码，可多个 (credit codes)")],
    as_json: JsonOpt = False,
) -> None:
    """校验统一社会信用代码（GB 32100-2015 与 GB 11714）并逐条解释。"""
    from industry_brain._core.i18n import current_lang
    from industry_brain.registry import check_uscc

    verdicts = [check_uscc(c) for c in codes]
    payload = [v.to_dict() for v in verdicts]

    def render(console: Any) -> None:
        for v in verdicts:
            state = (
                _l("有效", "valid")
                if v.valid
                else _l("结构正确，校验不符", "well formed, check fails")
                if v.well_formed
                else _l("格式错误", "malformed")
            )
            console.print(f"[bold]{v.code or v.input!s}[/bold]  {state}")
            for line in v.explain(current_lang()):
                console.print(f"  · {line}")

    emit(payload, as_json, render)


@app.command("quarantine")
def quarantine_(
    batch: Annotated[int | None, typer.Argument(help="批次号，默认最新 (batch id; default newest)")] = None,
    export: Annotated[Path | None, typer.Option("--export", dir_okay=False, help="导出为 XLSX (write an .xlsx)")] = None,
    warnings: Annotated[bool, typer.Option("--warnings", help="同时列出警告 (include warnings)")] = False,
    limit: Annotated[int, typer.Option("--limit", help="最多显示行数 (rows shown)")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """列出某批次的隔离行（行号、字段、代码、说明），或导出为 XLSX。"""
    from industry_brain.registry import export_quarantine, quarantine

    if export is not None:
        path = export_quarantine(batch, export)
        payload: Any = {"batch_id": batch, "path": str(path)}
        emit(payload, as_json, lambda c: c.print(_l(f"已导出：{path}", f"written: {path}")))
        return
    rows = quarantine(batch, include_warnings=warnings)
    payload = rows

    def render(console: Any) -> None:
        t = Table(title=_l(f"隔离行 {len(rows)} 条", f"{len(rows)} quarantined rows"), title_justify="left")
        for h in (
            _l("行号", "row"),
            _l("字段", "field"),
            _l("代码", "code"),
            _l("级别", "severity"),
            _l("说明", "message"),
        ):
            t.add_column(h)
        for r in rows[:limit]:
            t.add_row(
                str(r["source_row"]),
                r["field"] or "—",
                r["code"],
                r["severity"],
                r["message_en"] if _en() else r["message_zh"],
            )
        console.print(t)
        if len(rows) > limit:
            console.print(
                _l(
                    f"……另有 {len(rows) - limit} 条；全部导出：--export FILE.xlsx",
                    f"… {len(rows) - limit} more; export all with --export FILE.xlsx",
                )
            )

    emit(payload, as_json, render)


@app.command("show")
def show(
    code: Annotated[str, typer.Argument(help="统一社会信用代码 (credit code)")],
    as_json: JsonOpt = False,
) -> None:
    """企业画像：登记信息、空间定位、技术领域、证书、来源批次与历史。"""
    from industry_brain.registry import get_enterprise

    p = get_enterprise(code)

    def render(console: Any) -> None:
        reg, geo, fld, cert, src = (
            p["registration"],
            p["geography"],
            p["field"],
            p["certificate"],
            p["source"],
        )
        console.print(
            _kv(
                f"{p['name']}  {p['uscc']}"
                + ("" if p["current"] else _l("（已不在最新名录中）", " (not current)")),
                [
                    (_l("注册日期", "registered"), reg["registered_on"]),
                    (_l("企业类型", "entity type"), reg["entity_type"]),
                    (_l("注册资本", "capital"), _capital_line(reg)),
                    (_l("地址", "address"), reg["address"]),
                    (
                        _l("代码校验", "code check"),
                        _l("通过", "ok") if reg["uscc_check_ok"] else _l("校验位不符", "check fails"),
                    ),
                    (
                        _l("区划", "division"),
                        f"{geo['division_code']} ({geo['division_vintage']})"
                        if geo["division_code"]
                        else None,
                    ),
                    (_l("街道/乡镇", "street"), geo["street"]),
                    (_l("2019 年地图单元", "2019 unit"), _unit(geo["map_unit_2019"], 2019)),
                    (_l("2021 年区县", "2021 district"), _unit(geo["district_2021"], 2021)),
                    (
                        _l("定位方法/置信度", "placement"),
                        f"{geo['method']} / {geo['confidence'] or 0:.2f}  {geo['evidence'] or ''}",
                    ),
                    (
                        _l("技术领域", "field"),
                        _field_name(fld["field_l3"] or fld["field_l2"] or fld["field_l1"]),
                    ),
                    (
                        _l("领域方法/置信度", "field method"),
                        f"{fld['method']} / {fld['confidence'] or 0:.2f}  " + "、".join(fld["phrases"]),
                    ),
                    (_l("未来产业", "future industries"), ", ".join(p["future_industries"])),
                    (_l("高企证书", "certificate"), f"{cert['cert_no'] or '—'} / {cert['year'] or '—'}"),
                    (
                        _l("来源", "source"),
                        f"{src['source']} · {src['file_name']} · "
                        + _l(
                            f"批次 {src['batch_id']} 第 {src['source_row']} 行",
                            f"batch {src['batch_id']} row {src['source_row']}",
                        ),
                    ),
                    (_l("经营范围", "business scope"), reg["business_scope"]),
                ],
            )
        )
        if p["warnings"]:
            for w in p["warnings"]:
                console.print("⚠ " + (w["message_en"] if _en() else w["message_zh"]))
        if len(p["history"]) > 1:
            console.print(
                _counts(
                    _l("历史", "history"),
                    (_l("批次", "batch"), _l("来源", "source"), _l("变更字段", "changed"), _l("行号", "row")),
                    [
                        (h["batch_id"], h["source"], ", ".join(h["changed_fields"]) or "—", h["source_row"])
                        for h in p["history"]
                    ],
                )
            )

    emit(p, as_json, render)


@app.command("search")
def search_(
    text: Annotated[str, typer.Argument(help="名称、拼音首字母或代码前缀 (name, initials, code prefix)")],
    district: Annotated[str | None, typer.Option("--district", help="区县/地图单元代码 (unit code)")] = None,
    field: Annotated[str | None, typer.Option("--field", help="技术领域代码 (field code)")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 20,
    offset: Annotated[int, typer.Option("--offset")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """搜索企业：名称、规范化名称、拼音首字母、信用代码前缀。"""
    from industry_brain.registry import search

    res = search(text, district=district, field=field, limit=limit, offset=offset)

    def render(console: Any) -> None:
        t = Table(title=_l(f"共 {res['total']} 家", f"{res['total']} enterprises"), title_justify="left")
        for h in (
            _l("信用代码", "credit code"),
            _l("名称", "name"),
            _l("2019 单元", "2019 unit"),
            _l("领域", "field"),
        ):
            t.add_column(h)
        for it in res["items"]:
            t.add_row(it["uscc"], it["name"], _unit(it["map_unit_2019"], 2019), it["field_l1"] or "—")
        console.print(t)

    emit(res, as_json, render)


def _capital_line(reg: dict[str, Any]) -> str | None:
    """Capital as read; a foreign amount also in 元, with the rate and its basis."""
    from industry_brain.registry import currency

    wan, code, cny = reg["capital_wan"], reg["capital_currency"], reg["capital_wan_cny"]
    if wan is None:
        return reg["capital_raw"]  # type: ignore[no-any-return]
    line = f"{wan:g} 万 {code}"
    cur = currency(code)
    if code == "CNY" or cur is None:
        return line
    lang = _l("zh", "en")
    if cny is None or cur.cny_per_unit is None:
        return line + _l(f"（未折算：{cur.basis(lang)}）", f" (not converted: {cur.basis(lang)})")
    return line + _l(
        f" ≈ {cny:,.2f} 万元（1 {cur.name_zh} = {cur.cny_per_unit:.6g} 元；{cur.basis(lang)}）",
        f" ≈ {cny:,.2f} 万 CNY (1 {code} = {cur.cny_per_unit:.6g} CNY; {cur.basis(lang)})",
    )


@app.command("export")
def export_(
    out: Annotated[Path, typer.Option("--out", dir_okay=False, help="输出文件 (output file)")],
    fmt: Annotated[str | None, typer.Option("--format", help="xlsx | csv | parquet（默认按扩展名）")] = None,
    as_json: JsonOpt = False,
) -> None:
    """导出当前名录为 xlsx / csv / parquet。"""
    from industry_brain.registry import export

    path = export(out, fmt)
    emit(
        {"path": str(path), "format": fmt or path.suffix.lstrip(".")},
        as_json,
        lambda c: c.print(_l(f"已导出：{path}", f"written: {path}")),
    )


@app.command("batches")
def batches(as_json: JsonOpt = False) -> None:
    """列出导入批次。"""
    from industry_brain.registry import list_batches

    rows = list_batches()

    def render(console: Any) -> None:
        console.print(
            _counts(
                _l("导入批次", "import batches"),
                (
                    _l("批次", "batch"),
                    _l("来源", "source"),
                    _l("文件", "file"),
                    _l("读取", "read"),
                    _l("导入", "loaded"),
                    _l("隔离", "quarantined"),
                    _l("新增/变更/移除", "added/changed/removed"),
                    _l("时间", "time"),
                ),
                [
                    (
                        r["batch_id"],
                        r["source"],
                        r["file_name"],
                        r["rows_read"],
                        r["rows_loaded"],
                        r["rows_quarantined"],
                        f"{r['added']}/{r['changed']}/{r['removed']}",
                        r["finished_at"],
                    )
                    for r in rows
                ],
            )
        )

    emit(rows, as_json, render)


@app.command("duplicates")
def duplicates(
    batch: Annotated[int | None, typer.Argument(help="批次号，默认最新 (batch id)")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """列出疑似重复（同名不同码、同码不同内容），供人工核对，从不自动合并。"""
    from industry_brain.registry import duplicates_for_review

    groups = duplicates_for_review(batch_id=batch, limit=limit)

    def render(console: Any) -> None:
        for g in groups:
            t = Table(title=f"{g['name_norm']} · {g['reason']}", title_justify="left")
            for h in (
                _l("行号", "row"),
                _l("状态", "status"),
                _l("信用代码", "credit code"),
                _l("名称", "name"),
                _l("地址", "address"),
            ):
                t.add_column(h)
            for m in g["members"]:
                raw = m.get("raw") or {}
                t.add_row(
                    str(m["source_row"]),
                    m["status"],
                    m.get("uscc") or str(raw.get("uscc", "—")),
                    m.get("name") or str(raw.get("name", "—")),
                    m.get("address") or str(raw.get("address", "—")),
                )
            console.print(t)
        if not groups:
            console.print(_l("没有待核对的疑似重复。", "no probable duplicates to review."))

    emit(groups, as_json, render)
