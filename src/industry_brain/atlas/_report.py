"""The Future Industry Map as a report: the magazine's map pages regenerated from a register.

``write_report(measures, out)`` writes a folder that opens offline (no script, style, font or image is fetched
from the network: the stylesheet is copied into ``assets/``, maps are files in ``maps/``, the one interactive map
embeds plotly.js from the Python package)::

    index.html              the overall map, every district's blurb, the district and field tables
    field-<code>.html       one page per field: its map, its blurb, its units
    future.html             enterprises classified into the 7 future industries, by unit (table and maps)
    reconstruction.html     the full table rebuilt from the printed figures, each cell marked printed / implied /
                            estimated (with its feasible range), and the statements relaxed to make it consistent
    check.html              every printed figure against the register: matched / differs / not computable
    print.html              all of the above on one page (what the PDF is printed from)
    report.pdf              when a Chromium-family browser is installed (headless ``--print-to-pdf``; it lays
                            out Chinese text with the system's Noto CJK fonts); otherwise skipped with a note
    tables.xlsx             every table, one sheet each: row 1 Chinese headers, row 2 ASCII column ids, data below

Every figure in the report comes from :class:`~industry_brain.atlas.Measures` (and the blurbs from
``_narrative``), so the report of any register is as right as its measures. ``ReportResult`` lists what was
written and what was left out and why.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from industry_brain._core.cells import openpyxl_row
from industry_brain._core.errors import InputError
from industry_brain.atlas._labels import field_name, future_name, unit_name
from industry_brain.atlas._maps import Layer, class_breaks, layer_values, note, titles, write_map_set
from industry_brain.atlas._measures import CONCENTRATED, Measures, rank_phrase
from industry_brain.atlas._narrative import field_blurb, unit_blurb

if TYPE_CHECKING:
    from industry_brain._core.store import Store

log = logging.getLogger(__name__)

#: Browsers tried, in order, for the PDF (``IB_CHROMIUM`` names another executable).
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PDF_TIMEOUT_S = 180

_T: dict[str, dict[str, str]] = {
    "zh-CN": {
        "title": "杭州未来产业地图",
        "overview": "总览",
        "fields": "领域",
        "future": "未来产业",
        "reconstruction": "公开数据重建",
        "check": "公开数据核对",
        "downloads": "下载",
        "tables": "全部表格（XLSX）",
        "pdf": "PDF 版",
        "interactive": "交互式地图",
        "svg": "矢量图（SVG）",
        "districts": "各区县概况",
        "field_table": "各领域概况",
        "unit": "区域",
        "field": "领域",
        "total": "合计",
        "share": "占比",
        "rank": "排名",
        "top_fields": "前三位领域",
        "fields_led": "居全市第一的领域",
        "hhi": "领域集中度 HHI",
        "named_units": "最为集中的区域",
        "named_share": "所列区域占比",
        "concentration": "分布",
        "concentrated": "较为集中",
        "dispersed": "较为分散",
        "lq": "区位商 LQ",
        "strong": "优势集群",
        "count": "数量",
        "share_of_field": "占该领域",
        "share_of_unit": "占该区域",
        "rank_in_field": "领域内排名",
        "future_intro": "按经营范围与领域归入 7 个未来产业的企业数量（一家企业可归入多个未来产业）。",
        "no_future": "本名录中没有归入该未来产业的企业，不绘制地图。",
        "basis": "口径",
        "records": "读入记录",
        "counted": "计入地图",
        "unlocated": "无法定位",
        "unclassified": "未归入领域",
        "apportioned": "按比例分摊",
        "unavailable": "不可用",
        "recon_intro": "由杂志刊印的全部数字与表述反推的完整区域×领域表（整数规划，HiGHS），在满足全部表述的表中取最接近先验的一张。",
        "printed": "刊印",
        "implied": "唯一确定",
        "estimated": "估计（可行范围）",
        "weaken": "放宽为并列",
        "drop": "删除",
        "feasible": "原文表述可同时满足",
        "infeasible": "原文表述相互矛盾；最少放宽如下",
        "relaxed": "放宽的表述",
        "drop_only": "仅允许删除表述时的最小删除集合",
        "statements": "表述数",
        "marks": "单元格标注",
        "check_intro": "将杂志刊印的每个数字与当前名录逐条比对（口径：国家高新技术企业，2019 年版 14 个地图单元）。",
        "check_total": "名录中符合口径的企业",
        "matched": "一致",
        "differs": "不一致",
        "not_computable": "无法计算",
        "status": "结果",
        "printed_value": "刊印值",
        "computed_value": "计算值",
        "sentence": "原文",
        "figure": "编号",
        "measure": "指标",
        "detail": "说明",
        "map_note": "地图为示意图，区划边界已简化，仅供参考。",
        "generated": "生成自 industry-brain",
        "blurb": "简介",
        "cells_table": "区域×领域数量",
        "cluster_note": "★ 优势集群：区位商 ≥ 1 且不低于该领域第 75 百分位，且企业数 ≥ {floor}。",
    },
    "en": {
        "title": "Hangzhou Future Industry Map",
        "overview": "Overview",
        "fields": "Fields",
        "future": "Future industries",
        "reconstruction": "Reconstruction",
        "check": "Published-figure check",
        "downloads": "Downloads",
        "tables": "All tables (XLSX)",
        "pdf": "PDF",
        "interactive": "Interactive map",
        "svg": "Vector map (SVG)",
        "districts": "Districts",
        "field_table": "Fields",
        "unit": "District",
        "field": "Field",
        "total": "Total",
        "share": "Share",
        "rank": "Rank",
        "top_fields": "Top fields",
        "fields_led": "Leads the city in",
        "hhi": "Field-mix HHI",
        "named_units": "Leading districts",
        "named_share": "Their share",
        "concentration": "Distribution",
        "concentrated": "concentrated",
        "dispersed": "dispersed",
        "lq": "Location quotient",
        "strong": "Strong cluster",
        "count": "Count",
        "share_of_field": "Share of field",
        "share_of_unit": "Share of district",
        "rank_in_field": "Rank in field",
        "future_intro": "Enterprises classified into the 7 future industries by business scope and field "
        "(an enterprise may belong to several).",
        "no_future": "No enterprise of this register is classified into this future industry: no map.",
        "basis": "Basis",
        "records": "Records read",
        "counted": "On the map",
        "unlocated": "Not located",
        "unclassified": "No field",
        "apportioned": "Apportioned",
        "unavailable": "unavailable",
        "recon_intro": "The full district × field table rebuilt from every figure and statement the magazine "
        "printed (an integer program solved by HiGHS): of the tables consistent with them, the closest to a prior.",
        "printed": "printed",
        "implied": "implied exactly",
        "estimated": "estimated (feasible range)",
        "weaken": "read with ties",
        "drop": "dropped",
        "feasible": "The printed statements are consistent",
        "infeasible": "The printed statements contradict each other; the smallest relaxation",
        "relaxed": "Relaxed statements",
        "drop_only": "Smallest sets of statements to drop (drops only)",
        "statements": "Statements",
        "marks": "Cell marks",
        "check_intro": "Every figure the magazine printed, compared with the current register (basis: national "
        "high-tech enterprises on the 14 units of the 2019 map).",
        "check_total": "enterprises of the register on that basis",
        "matched": "matched",
        "differs": "differs",
        "not_computable": "not computable",
        "status": "Result",
        "printed_value": "Printed",
        "computed_value": "Computed",
        "sentence": "Sentence",
        "figure": "Id",
        "measure": "Measure",
        "detail": "Detail",
        "map_note": "Maps are illustrative; boundaries are simplified.",
        "generated": "Generated by industry-brain",
        "blurb": "Summary",
        "cells_table": "Enterprises by district and field",
        "cluster_note": "★ strong cluster: location quotient ≥ 1, at or above the field's 75th percentile, "
        "and at least {floor} enterprises.",
    },
}


def _lang(lang: str) -> str:
    return "en" if lang.lower().startswith("en") else "zh-CN"


def texts(lang: str) -> dict[str, str]:
    """The report's own words in ``lang`` (zh-CN or en)."""
    return _T[_lang(lang)]


# ---------------------------------------------------------------------------------------------------- tables
@dataclass
class Table:
    """One table of the report: ``columns`` are (ascii id, Chinese header, English header)."""

    sheet: str
    title_zh: str
    title_en: str
    columns: list[tuple[str, str, str]]
    rows: list[list[Any]]

    def header(self, lang: str) -> list[str]:
        return [en if _lang(lang) == "en" else zh for _, zh, en in self.columns]

    def records(self) -> list[dict[str, Any]]:
        ids = [c for c, _, _ in self.columns]
        return [dict(zip(ids, row, strict=True)) for row in self.rows]


def _sep(lang: str) -> str:
    return ", " if _lang(lang) == "en" else "、"


def _pct(x: float | None) -> float | None:
    return None if x is None or not np.isfinite(x) else round(100 * float(x), 2)


def _r(x: float | None, nd: int = 4) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), nd)


def measure_tables(m: Measures, lang: str = "zh-CN") -> list[Table]:
    """The tables of the measures: districts, fields, the count matrix, every cell, future industries, blurbs."""
    lg = _lang(lang)
    un = {u: unit_name(u, m.vintage, lg) for u in m.units}
    fn = {f: field_name(f, lg) for f in m.fields}
    sep = _sep(lg)
    units = Table(
        "units",
        "各区县汇总",
        "Districts",
        [
            ("unit", "区域代码", "District code"),
            ("name", "区域", "District"),
            ("total", "企业数", "Enterprises"),
            ("share_pct", "占全市比例(%)", "Share of city (%)"),
            ("rank", "全市排名", "Rank in city"),
            ("tied", "并列", "Tied"),
            ("top_fields", "前三位领域", "Top fields"),
            ("fields_led", "居全市第一的领域", "Fields led"),
            ("hhi", "领域结构HHI", "Field-mix HHI"),
            ("hhi_norm", "HHI(标准化)", "HHI (normalised)"),
            ("strong_clusters", "优势集群领域", "Strong clusters"),
            ("apportioned", "分摊计入", "Apportioned"),
        ],
        [
            [
                r["unit"],
                un[r["unit"]],
                r["total"],
                _pct(r["share"]),
                r["rank"],
                r["tied"],
                sep.join(fn[f] for f in r["top_fields"]),
                sep.join(fn[f] for f in r["fields_led"]),
                _r(r["hhi"]),
                _r(r["hhi_norm"]),
                sep.join(fn[f] for f in r["strong_clusters"]),
                r["apportioned"],
            ]
            for r in m.unit_rows()
        ],
    )
    fields = Table(
        "fields",
        "各领域汇总",
        "Fields",
        [
            ("field", "领域代码", "Field code"),
            ("name", "领域", "Field"),
            ("total", "企业数", "Enterprises"),
            ("share_pct", "占全市比例(%)", "Share of city (%)"),
            ("rank", "排名", "Rank"),
            ("hhi", "区域分布HHI", "Spread HHI"),
            ("hhi_norm", "HHI(标准化)", "HHI (normalised)"),
            ("named_units", "最为集中的区域", "Leading districts"),
            ("named_share_pct", "所列区域占比(%)", "Their share (%)"),
            ("concentration", "分布", "Distribution"),
        ],
        [
            [
                r["field"],
                fn[r["field"]],
                r["total"],
                _pct(r["share"]),
                r["rank"],
                _r(r["hhi"]),
                _r(r["hhi_norm"]),
                sep.join(un[u] for u in r["named_units"]),
                _pct(r["named_share"]),
                texts(lg).get(r["concentration"] or "", "") if r["concentration"] else "",
            ]
            for r in m.field_rows()
        ],
    )
    matrix = Table(
        "matrix",
        "区域×领域企业数",
        "Enterprises by district and field",
        [("unit", "区域代码", "District code"), ("name", "区域", "District")]
        + [(f"f{f}", field_name(f, "zh-CN"), field_name(f, "en")) for f in m.fields]
        + [("total", "合计", "Total")],
        [[u, un[u], *(int(v) for v in m.counts[i]), int(m.unit_totals[i])] for i, u in enumerate(m.units)],
    )
    cells = Table(
        "cells",
        "单元格明细",
        "Cells",
        [
            ("unit", "区域代码", "District code"),
            ("unit_name", "区域", "District"),
            ("field", "领域代码", "Field code"),
            ("field_name", "领域", "Field"),
            ("count", "企业数", "Enterprises"),
            ("apportioned", "分摊计入", "Apportioned"),
            ("share_of_field_pct", "占该领域(%)", "Share of field (%)"),
            ("share_of_unit_pct", "占该区域(%)", "Share of district (%)"),
            ("rank_in_field", "领域内排名", "Rank in field"),
            ("rank_in_unit", "区域内排名", "Rank in district"),
            ("lq", "区位商", "Location quotient"),
            ("strong_cluster", "优势集群", "Strong cluster"),
        ],
        [
            [
                c["unit"],
                un[c["unit"]],
                c["field"],
                fn[c["field"]],
                c["count"],
                c["apportioned"],
                _pct(c["share_of_field"]),
                _pct(c["share_of_unit"]),
                c["rank_in_field"],
                c["rank_in_unit"],
                _r(c["lq"]),
                c["strong_cluster"],
            ]
            for c in m.cells()
        ],
    )
    future = Table(
        "future",
        "未来产业企业数",
        "Future industries",
        [("unit", "区域代码", "District code"), ("name", "区域", "District")]
        + [(c, future_name(c, "zh-CN"), future_name(c, "en")) for c in m.future_codes]
        + [("total", "合计(人次)", "Total (classifications)")],
        [[r["unit"], un[r["unit"]], *(r[c] for c in m.future_codes), r["total"]] for r in m.future_rows()],
    )
    ub = [unit_blurb(m, u, lg) for u in m.units]
    unit_blurbs = Table(
        "unit_blurbs",
        "区县简介",
        "District blurbs",
        [
            ("unit", "区域代码", "District code"),
            ("name", "区域", "District"),
            ("text", "简介", "Blurb"),
            ("top_fields", "前几位领域", "Top fields"),
            ("top_counts", "对应数量", "Their counts"),
            ("rank", "全市排名", "Rank"),
            ("tied", "并列", "Tied"),
            ("fields_led", "居第一的领域", "Fields led"),
            ("led_counts", "对应数量", "Their counts"),
        ],
        [
            [
                b.unit,
                b.name,
                b.text,
                ",".join(b.top_fields),
                ",".join(map(str, b.top_counts)),
                b.rank,
                b.tied,
                ",".join(b.fields_led),
                ",".join(map(str, b.led_counts)),
            ]
            for b in ub
        ],
    )
    fb = [field_blurb(m, f, lg) for f in m.fields]
    field_blurbs = Table(
        "field_blurbs",
        "领域简介",
        "Field blurbs",
        [
            ("field", "领域代码", "Field code"),
            ("name", "领域", "Field"),
            ("text", "简介", "Blurb"),
            ("share_pct", "占全市比例(%)", "Share (%)"),
            ("descriptor", "描述", "Descriptor"),
            ("concentration", "分布", "Distribution"),
            ("named_units", "所列区域", "Named districts"),
            ("named_counts", "对应数量", "Their counts"),
        ],
        [
            [
                b.field,
                b.name,
                b.text,
                _pct(b.share),
                b.descriptor,
                b.concentration or "",
                ",".join(b.named_units),
                ",".join(map(str, b.named_counts)),
            ]
            for b in fb
        ],
    )
    return [units, fields, matrix, cells, future, unit_blurbs, field_blurbs]


def reconstruction_tables(rec: Any) -> list[Table]:
    """The reconstructed table (one row per cell, with its mark and range) and the relaxed statements."""
    cells = Table(
        "reconstruction",
        "重建表（单元格）",
        "Reconstructed cells",
        [
            ("unit", "区域代码", "District code"),
            ("unit_name", "区域", "District"),
            ("field", "领域代码", "Field code"),
            ("field_name", "领域", "Field"),
            ("value", "重建值", "Value"),
            ("status", "标注", "Mark"),
            ("min", "可行最小值", "Feasible min"),
            ("max", "可行最大值", "Feasible max"),
            ("prior", "先验值", "Prior"),
        ],
        [
            [
                c.unit_code,
                rec.unit_names.get(c.unit_code, c.unit_code),
                c.field,
                rec.field_names.get(c.field, c.field),
                c.value,
                c.status,
                c.min,
                c.max,
                c.prior,
            ]
            for c in rec.cells
        ],
    )
    relax = Table(
        "relaxation",
        "放宽的表述",
        "Relaxed statements",
        [
            ("set", "方案", "Set"),
            ("figure_id", "编号", "Id"),
            ("measure", "指标", "Measure"),
            ("unit", "区域代码", "District code"),
            ("field", "领域代码", "Field code"),
            ("kind", "放宽方式", "Relaxation"),
            ("printed", "刊印", "Printed"),
            ("reconstructed", "重建", "Reconstructed"),
            ("description_zh", "说明", "Description (zh)"),
            ("description_en", "说明(英文)", "Description (en)"),
            ("sentence_zh", "原文", "Sentence"),
        ],
        [
            [
                label,
                r.figure_id,
                r.measure,
                r.unit_code,
                r.field or "",
                r.kind,
                _cell_text(r.printed),
                _cell_text(r.reconstructed),
                r.description_zh,
                r.description_en,
                r.sentence_zh,
            ]
            for label, group in _relaxation_sets(rec)
            for r in group
        ],
    )
    return [cells, relax]


def _relaxation_sets(rec: Any) -> list[tuple[str, tuple[Any, ...]]]:
    sets = [("adopted", tuple(rec.relaxation))]
    sets += [(f"alternative-{k + 1}", tuple(a)) for k, a in enumerate(rec.relaxation_alternatives)]
    sets += [(f"drop-only-{k + 1}", tuple(a)) for k, a in enumerate(rec.drop_only)]
    return sets


_CHECK_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "编号", "Id"),
    ("measure", "指标", "Measure"),
    ("unit_code", "区域代码", "District code"),
    ("unit_name", "区域", "District"),
    ("field", "领域代码", "Field code"),
    ("field_name", "领域", "Field"),
    ("qualifier", "限定词", "Qualifier"),
    ("printed", "刊印值", "Printed"),
    ("computed", "计算值", "Computed"),
    ("delta", "差异", "Difference"),
    ("status", "结果", "Result"),
    ("detail", "说明", "Detail"),
    ("sentence", "原文", "Sentence"),
    ("source_line", "原文行号", "Source line"),
)


def check_table(check: dict[str, Any], lang: str = "zh-CN") -> Table:
    """The published-figure check (``CheckReport.to_dict()``) as a table: one row per printed figure.

    The columns are those of :data:`_CHECK_COLUMNS` that the rows have, then any others; a ``{"zh", "en"}``
    value (the detail) is shown in ``lang``.
    """
    rows = list(check.get("rows", []))
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    known = {c for c, _, _ in _CHECK_COLUMNS}
    columns = [c for c in _CHECK_COLUMNS if c[0] in keys] + [(k, k, k) for k in keys if k not in known]
    lg = "en" if _lang(lang) == "en" else "zh"

    def value(v: Any) -> Any:
        if isinstance(v, dict) and set(v) >= {"zh", "en"}:
            return v[lg]
        return _cell_text(v)

    return Table(
        "check",
        "公开数据核对",
        "Published-figure check",
        columns,
        [[value(row.get(c)) for c, _, _ in columns] for row in rows],
    )


def _cell_text(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return ",".join(str(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}={x}" for k, x in v.items())
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return v


def write_xlsx(tables: list[Table], path: Path, *, title: str, basis: str) -> Path:
    """One sheet per table (Chinese headers in row 1, ASCII column ids in row 2), and a 说明 (about) sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = "about"
    about.append(["表", "sheet", "内容", "title", "行数 rows"])
    for t in tables:
        about.append([t.title_zh, t.sheet, t.title_zh, t.title_en, len(t.rows)])
    about.append([])
    about.append(openpyxl_row(about, ["标题 title", title]))
    about.append(openpyxl_row(about, ["口径 basis", basis]))
    bold = Font(bold=True)
    grey = Font(color="888888", size=9)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in about[1]:
        cell.font = bold
    for t in tables:
        ws = wb.create_sheet(t.sheet[:31])
        ws.append([zh for _, zh, _ in t.columns])
        ws.append([c for c, _, _ in t.columns])
        for row in t.rows:
            ws.append(openpyxl_row(ws, [_xlsx_value(v) for v in row]))
        for cell in ws[1]:
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in ws[2]:
            cell.font = grey
        ws.freeze_panes = "A3"
        for k, (cid, zh, _) in enumerate(t.columns, start=1):
            width = max(len(cid), 2 * len(zh), *(min(len(str(r[k - 1] or "")), 60) for r in t.rows[:200]))
            ws.column_dimensions[ws.cell(1, k).column_letter].width = min(max(width + 2, 8), 80)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _xlsx_value(v: Any) -> Any:
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, bool | int | float | str) or v is None:
        return v
    return str(v)


# ---------------------------------------------------------------------------------------------------- pdf
def find_browser() -> str | None:
    """A Chromium-family executable for printing the PDF: ``IB_CHROMIUM``, else the first of :data:`BROWSERS`."""
    named = os.environ.get("IB_CHROMIUM")
    if named:
        return named if Path(named).exists() or shutil.which(named) else None
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: Path, pdf: Path, *, browser: str | None = None) -> tuple[Path | None, str | None]:
    """Print ``html`` to ``pdf`` with headless Chromium; returns (path, None) or (None, why it was skipped)."""
    exe = browser or find_browser()
    if exe is None:
        return None, (
            "PDF skipped: no Chromium-family browser found (install chromium, or set IB_CHROMIUM); "
            "the HTML pages print to PDF from any browser"
        )
    with tempfile.TemporaryDirectory(prefix="ib-pdf-") as profile:
        args = [
            exe,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--disable-extensions",
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(args, capture_output=True, text=True, timeout=PDF_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"PDF skipped: {Path(exe).name} failed ({type(exc).__name__}: {exc})"
    if proc.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        tail = (proc.stderr or "").strip().splitlines()[-1:] or [""]
        return None, f"PDF skipped: {Path(exe).name} exited with {proc.returncode} {tail[0]}".strip()
    return pdf, None


# ---------------------------------------------------------------------------------------------------- report
@dataclass
class ReportResult:
    """What :func:`write_report` wrote."""

    out: Path
    index: Path
    pages: list[Path]
    maps: list[Path]
    xlsx: Path
    pdf: Path | None
    notes: list[str] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        def rel(p: Path) -> str:
            return str(p.relative_to(self.out))

        return {
            "out": str(self.out),
            "index": rel(self.index),
            "pages": [rel(p) for p in self.pages],
            "maps": [rel(p) for p in self.maps],
            "xlsx": rel(self.xlsx),
            "pdf": rel(self.pdf) if self.pdf else None,
            "notes": self.notes,
            "sections": self.sections,
        }


def _env() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("industry_brain.atlas", "_templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _fmt_pct(x: Any) -> str:
    return "" if x is None else f"{x:.2f}%"


def _map_entry(m: Measures, layer: Layer, out: Path, lang: str, html: bool) -> dict[str, Any]:
    formats = ("png", "svg", "html") if html else ("png", "svg")
    files = write_map_set(m, out / "maps", layer, lang, formats=formats)
    values = layer_values(m, layer)
    title, basis = titles(m, layer, lang, int(values.sum()))
    return {
        "title": title,
        "basis": basis,
        "note": note(m, lang),
        "files": {k: f"maps/{p.name}" for k, p in files.items()},
        "paths": list(files.values()),
        "breaks": class_breaks(values),
        "total": int(values.sum()),
    }


def write_report(
    m: Measures,
    out: str | Path,
    *,
    lang: str = "zh-CN",
    pdf: bool = True,
    check: dict[str, Any] | None = None,
    check_note: str | None = None,
    reconstruction: Any = None,
    reconstruction_note: str | None = None,
    interactive: bool = True,
) -> ReportResult:
    """Write the report of ``m`` into the folder ``out`` (see the module docstring for its files).

    ``check`` is the published-figure check as a dict (``{"rows": [...], "summary": {...}}``) and
    ``reconstruction`` a :class:`~industry_brain.atlas._reconstruct.Reconstruction`; when either is None its
    page says why it is missing (``check_note`` / ``reconstruction_note``). ``pdf=False`` skips the PDF.
    """
    lg = _lang(lang)
    t = texts(lg)
    if m.level != 1:
        raise InputError("the report shows the level-1 fields: measure with level=1", field="level")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} exists and is not a folder", file=str(out))
    out.mkdir(parents=True, exist_ok=True)
    (out / "assets").mkdir(exist_ok=True)
    css = resources.files("industry_brain.atlas") / "_templates" / "report.css"
    (out / "assets" / "report.css").write_text(css.read_text("utf-8"), encoding="utf-8")
    notes: list[str] = []

    # maps: the overall map (with its interactive version), each field, each future industry that has firms
    overall = _map_entry(m, Layer("all"), out, lg, interactive)
    field_maps = {f: _map_entry(m, Layer("field", f), out, lg, False) for f in m.fields}
    assert m.future is not None
    future_totals = {c: int(m.future[:, k].sum()) for k, c in enumerate(m.future_codes)}
    future_maps = {
        c: _map_entry(m, Layer("future", c), out, lg, False) for c in m.future_codes if future_totals[c] > 0
    }

    un = {u: unit_name(u, m.vintage, lg) for u in m.units}
    fn = {f: field_name(f, lg) for f in m.fields}
    ublurbs = [unit_blurb(m, u, lg) for u in m.units]
    fblurbs = {f: field_blurb(m, f, lg) for f in m.fields}
    unit_rows = m.unit_rows()
    field_rows = m.field_rows()
    by_unit = sorted(range(len(m.units)), key=lambda i: (int(m.unit_rank[i]), m.units[i]))
    districts = [
        {
            "code": m.units[i],
            "name": un[m.units[i]],
            "blurb": ublurbs[i].text,
            "total": int(m.unit_totals[i]),
            "share": _fmt_pct(_pct(m.unit_share_city[i])),
            "rank": rank_phrase(int(m.unit_rank[i]), bool(unit_rows[i]["tied"]), lg),
            "rank_number": int(m.unit_rank[i]),
            "top_codes": list(ublurbs[i].top_fields),
            "led_codes": list(ublurbs[i].fields_led),
            "top_fields": [fn[f] for f in unit_rows[i]["top_fields"]],
            "fields_led": [fn[f] for f in unit_rows[i]["fields_led"]],
            "hhi": _r(m.hhi_unit[i], 3),
            "strong": [fn[f] for f in unit_rows[i]["strong_clusters"]],
        }
        for i in by_unit
    ]
    fields = []
    for j, f in enumerate(m.fields):
        row = field_rows[j]
        order = sorted(range(len(m.units)), key=lambda i: (-int(m.counts[i, j]), m.units[i]))
        fields.append(
            {
                "code": f,
                "name": fn[f],
                "page": f"field-{f}.html",
                "blurb": fblurbs[f].text,
                "total": int(m.field_totals[j]),
                "share": _fmt_pct(_pct(m.field_share_city[j])),
                "rank": int(m.field_rank[j]),
                "concentration": t[row["concentration"]] if row["concentration"] else "",
                "concentration_code": row["concentration"],
                "named_codes": list(fblurbs[f].named_units),
                "concentrated": row["concentration"] == CONCENTRATED,
                "named": _sep(lg).join(un[u] for u in row["named_units"]),
                "named_share": _fmt_pct(_pct(row["named_share"])),
                "hhi": _r(m.hhi_field[j], 3),
                "map": field_maps[f],
                "units": [
                    {
                        "code": m.units[i],
                        "name": un[m.units[i]],
                        "count": int(m.counts[i, j]),
                        "share_of_field": _fmt_pct(_pct(m.unit_share_of_field[i, j])),
                        "share_of_unit": _fmt_pct(_pct(m.field_share_of_unit[i, j])),
                        "rank": int(m.rank_in_field[i, j]),
                        "lq": _r(m.lq[i, j], 2),
                        "strong": bool(m.strong_cluster[i, j]),
                        "apportioned": int(m.apportioned[i, j]) if m.apportioned is not None else 0,
                    }
                    for i in order
                ],
            }
        )
    future = {
        "codes": [{"code": c, "name": future_name(c, lg), "total": future_totals[c]} for c in m.future_codes],
        "rows": [
            {
                "code": u,
                "name": un[u],
                "values": [int(v) for v in m.future[i]],
                "total": int(m.future[i].sum()),
            }
            for i, u in enumerate(m.units)
        ],
        "maps": [{"code": c, "name": future_name(c, lg), "map": future_maps.get(c)} for c in m.future_codes],
    }
    matrix = {
        "fields": [fn[f] for f in m.fields],
        "rows": [
            {
                "name": un[u],
                "cells": [
                    {"value": int(m.counts[i, j]), "strong": bool(m.strong_cluster[i, j])}
                    for j in range(len(m.fields))
                ],
                "total": int(m.unit_totals[i]),
            }
            for i, u in enumerate(m.units)
        ],
        "totals": [int(v) for v in m.field_totals],
        "total": m.total,
    }

    tables = measure_tables(m, lg)
    recon_ctx = _reconstruction_context(reconstruction, lg) if reconstruction is not None else None
    if reconstruction is not None:
        tables += reconstruction_tables(reconstruction)
    elif reconstruction_note:
        notes.append(reconstruction_note)
    check_ctx = None
    if check is not None:
        ct = check_table(check, lg)
        tables.append(ct)
        check_ctx = _check_context(check, ct, lg)
    elif check_note:
        notes.append(check_note)

    basis = dict(m.basis)
    basis_line = titles(m, Layer("all"), lg)[1]
    report_title = t["title"] + (f"（{m.vintage}）" if lg != "en" else f" ({m.vintage})")
    ctx = {
        "lang": lg,
        "t": t,
        "sep": _sep(lg),
        "title": report_title,
        "vintage": m.vintage,
        "basis_line": basis_line,
        "basis": basis,
        "note": note(m, lg),
        "total": m.total,
        "overall": overall,
        "districts": districts,
        "fields": fields,
        "future": future,
        "matrix": matrix,
        "cluster_note": t["cluster_note"].format(floor=m.cluster_floor),
        "reconstruction": recon_ctx,
        "reconstruction_note": reconstruction_note,
        "check": check_ctx,
        "check_note": check_note,
        "xlsx": "tables.xlsx",
        "pdf": None,
        "nav": [
            ("index.html", t["overview"]),
            *[(f["page"], f["name"]) for f in fields],
            ("future.html", t["future"]),
            ("reconstruction.html", t["reconstruction"]),
            ("check.html", t["check"]),
        ],
    }

    xlsx = write_xlsx(tables, out / "tables.xlsx", title=report_title, basis=basis_line)
    env = _env()
    env.filters["pct"] = _fmt_pct
    pdf_path: Path | None = None
    if pdf:
        printed = out / "print.html"
        printed.write_text(env.get_template("print.html.j2").render(ctx, page="print.html"), encoding="utf-8")
        pdf_path, why = print_pdf(printed, out / "report.pdf")
        if why:
            notes.append(why)
            log.warning("%s", why)
    ctx["pdf"] = pdf_path.name if pdf_path else None
    pages: list[Path] = []

    def render(template: str, name: str, **extra: Any) -> None:
        path = out / name
        path.write_text(env.get_template(template).render(ctx, page=name, **extra), encoding="utf-8")
        pages.append(path)

    render("index.html.j2", "index.html")
    for field_ctx in fields:
        render("field.html.j2", field_ctx["page"], f=field_ctx)
    render("future.html.j2", "future.html")
    render("reconstruction.html.j2", "reconstruction.html")
    render("check.html.j2", "check.html")
    if pdf:
        pages.append(out / "print.html")
    maps = [p for e in (overall, *field_maps.values(), *future_maps.values()) for p in e["paths"]]
    return ReportResult(
        out=out,
        index=out / "index.html",
        pages=pages,
        maps=maps,
        xlsx=xlsx,
        pdf=pdf_path,
        notes=notes,
        sections={
            "vintage": m.vintage,
            "lang": lg,
            "basis": basis,
            "total": m.total,
            "units": len(m.units),
            "fields": len(m.fields),
            "future_maps": sorted(future_maps),
            "reconstruction": reconstruction is not None,
            "check": check is not None,
            "check_summary": (check or {}).get("summary"),
            "sheets": {tb.sheet: len(tb.rows) for tb in tables},
        },
    )


def _reconstruction_context(rec: Any, lang: str) -> dict[str, Any]:
    t = texts(lang)
    en = lang == "en"
    uname = {u: (unit_name(u, 2019, "en") if en else rec.unit_names.get(u, u)) for u in rec.units}
    fname = {f: (field_name(f, "en") if en else rec.field_names.get(f, f)) for f in rec.fields}
    by = {(c.unit_code, c.field): c for c in rec.cells}
    rows = []
    for u in rec.units:
        cells = [by[u, f] for f in rec.fields]
        rows.append(
            {
                "code": u,
                "name": uname[u],
                "cells": [
                    {
                        "field": c.field,
                        "value": c.value,
                        "min": c.min,
                        "max": c.max,
                        "status": c.status,
                        "range": f"{c.min}–{c.max}" if c.status == "estimated" else "",
                    }
                    for c in cells
                ],
                "total": sum(c.value for c in cells),
            }
        )
    totals = [sum(by[u, f].value for u in rec.units) for f in rec.fields]

    def describe(r: Any) -> dict[str, Any]:
        return {
            "figure_id": r.figure_id,
            "kind": t.get(r.kind, r.kind),
            "text": r.description_en if en else r.description_zh,
            "sentence": r.sentence_zh,
        }

    return {
        "fields": [fname[f] for f in rec.fields],
        "rows": rows,
        "totals": totals,
        "total": sum(totals),
        "marks": rec.marks(),
        "feasible": bool(rec.feasible_as_printed),
        "relaxation": [describe(r) for r in rec.relaxation],
        "alternatives": [[describe(r) for r in alt] for alt in rec.relaxation_alternatives],
        "drop_only": [[describe(r) for r in alt] for alt in rec.drop_only],
        "statements": rec.statements,
        "not_modelled": list(rec.not_modelled),
        "distance": rec.distance_to_prior,
        "labels": {"printed": t["printed"], "implied": t["implied"], "estimated": t["estimated"]},
    }


#: The columns of the check page (the XLSX sheet has them all).
_CHECK_PAGE = (
    "id",
    "unit_name",
    "field_name",
    "printed",
    "computed",
    "delta",
    "status",
    "detail",
    "sentence",
)


_CODE_LISTS = ("printed", "computed")


def _named_codes(value: Any, lang: str) -> Any:
    """``330108,330106`` → ``滨江（高新）区、西湖区`` (unit and field codes in a list shown by name)."""
    if not isinstance(value, str) or "," not in value:
        return value
    from industry_brain.atlas._tally import FIELDS_L1, UNITS_2019

    parts = value.split(",")
    if not all(p in UNITS_2019 or p in FIELDS_L1 for p in parts):
        return value
    return _sep(lang).join(
        unit_name(p, 2019, lang) if p in UNITS_2019 else field_name(p, lang) for p in parts
    )


def _check_context(check: dict[str, Any], table: Table, lang: str) -> dict[str, Any]:
    summary = check.get("summary", {}) or {}
    ids = [c for c, _, _ in table.columns]
    shown = [ids.index(c) for c in _CHECK_PAGE if c in ids] or list(range(len(ids)))
    header = table.header(lang)
    return {
        "summary_items": [(k, v) for k, v in summary.items() if not isinstance(v, dict | list)],
        "ok": check.get("ok"),
        "total": check.get("total"),
        "columns": [{"id": ids[k], "label": header[k]} for k in shown],
        "rows": [
            {
                "id": row[ids.index("id")] if "id" in ids else "",
                "status": row[ids.index("status")] if "status" in ids else "",
                "cells": [
                    {"id": ids[k], "value": _named_codes(row[k], lang) if ids[k] in _CODE_LISTS else row[k]}
                    for k in shown
                ],
            }
            for row in table.rows
        ],
    }


# ---------------------------------------------------------------------------------------------------- store
def report_for_store(
    store: Store,
    out: str | Path,
    *,
    vintage: int = 2019,
    lang: str = "zh-CN",
    pdf: bool = True,
    hightech_only: bool = True,
    year: int | None = None,
    synthetic: bool | None = None,
    reconstruction: bool = True,
) -> ReportResult:
    """Measure the register in ``store`` and write its report, with the published-figure check and the
    reconstruction of the Hangzhou 2019 table when those are available."""
    from industry_brain.atlas._tally import measure_register

    m = measure_register(store, vintage=vintage, hightech_only=hightech_only, year=year, synthetic=synthetic)
    check, check_note = _run_check(store, year, lang)
    rec, rec_note = _run_reconstruction(lang) if reconstruction else (None, _note("no_reconstruction", lang))
    return write_report(
        m,
        out,
        lang=lang,
        pdf=pdf,
        check=check,
        check_note=check_note,
        reconstruction=rec,
        reconstruction_note=rec_note,
    )


_NOTES = {
    "no_reconstruction": (
        "按要求未包含重建页（--no-reconstruction）",
        "reconstruction left out (--no-reconstruction)",
    ),
    "no_check_module": (
        "公开数据核对不可用：本安装没有核对模块",
        "published-figure check unavailable: this installation has no atlas check module",
    ),
    "no_reconstruction_module": (
        "公开数据重建不可用：本安装没有重建模块",
        "reconstruction unavailable: this installation has no atlas reconstruction module",
    ),
}


def _note(key: str, lang: str) -> str:
    zh, en = _NOTES[key]
    return en if _lang(lang) == "en" else zh


def _run_check(store: Store, year: int | None, lang: str) -> tuple[dict[str, Any] | None, str | None]:
    """The published-figure check on the magazine's basis (high-tech enterprises, 2019 map units)."""
    import importlib

    try:
        _check = importlib.import_module("industry_brain.atlas._check")
    except ModuleNotFoundError as exc:
        if exc.name != "industry_brain.atlas._check":
            raise
        return None, _note("no_check_module", lang)
    return _check.check(store, year=year).to_dict(), None


def _run_reconstruction(lang: str) -> tuple[Any, str | None]:
    try:
        from industry_brain.atlas._reconstruct import reconstruct
    except ModuleNotFoundError as exc:
        if exc.name != "industry_brain.atlas._reconstruct":
            raise
        return None, _note("no_reconstruction_module", lang)
    return reconstruct(), None
