"""The scarce-post catalogue (紧缺专业人才需求目录): one line per effective post, with a shortage score and band.

A *post* is a post title (whitespace removed) within a sector; its *records* are the scarce-post blocks of the
respondents that named it. A post is **effective** (有效紧缺岗位) when at least :data:`MIN_FIRMS` firms named it.

Shortage score, in [0, 1]::

    S = 0.5·U + 0.25·R + 0.25·V
    U = mean declared level over the post's records, coded 一般紧缺 = 0, 紧缺 = 0.5, 十分紧缺 = 1
    R = f / f_max      f = firms naming the post; f_max = the most-named post of the same sector
    V = ln(1 + h) / ln(1 + h_max)     h = persons wanted (sum over records); h_max = the sector's largest h

Each term lies in [0, 1] and the weights sum to 1, so S does too. Bands: S < 1/3 一般紧缺, 1/3 ≤ S < 2/3 紧缺,
S ≥ 2/3 十分紧缺. The declared level carries half the weight because it is the firms' own judgement of
difficulty; breadth (how many firms) and volume (how many persons) carry the other half, so that a post many
firms need in numbers rises even when each calls it only 紧缺.

The requirement columns give the most frequent answer among the post's records (education, language, computer,
salary), the options chosen in at least half of the records (experience, horizon) and the three most frequent
majors.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from industry_brain._core.cells import XLSXWRITER_OPTIONS, needs_guard
from industry_brain._core.errors import InputError
from industry_brain.talent._statistics import SurveyData, post_records

MIN_FIRMS = 3
LEVEL_SCORE = {"general": 0.0, "short": 0.5, "extreme": 1.0}
BANDS = (
    ("一般紧缺", "generally short", 0.0),
    ("紧缺", "short", 1 / 3),
    ("十分紧缺", "extremely short", 2 / 3),
)


def band(score: float) -> tuple[str, str]:
    """The (zh, en) band of a score in [0, 1]."""
    if not 0 <= score <= 1 or math.isnan(score):
        raise InputError(f"shortage score {score!r}, expected a number in [0, 1]")
    zh, en = BANDS[0][0], BANDS[0][1]
    for b_zh, b_en, low in BANDS:
        if score >= low:
            zh, en = b_zh, b_en
    return zh, en


def shortage_score(
    mean_level: float, firms: int, max_firms: int, persons: float, max_persons: float
) -> float:
    """S = 0.5·U + 0.25·R + 0.25·V (see the module docstring)."""
    if not 0 <= mean_level <= 1:
        raise InputError(f"mean level {mean_level!r}, expected 0..1")
    if firms < 0 or max_firms < firms or persons < 0 or max_persons < persons:
        raise InputError(
            f"counts firms={firms!r}/{max_firms!r} persons={persons!r}/{max_persons!r} are inconsistent"
        )
    r = firms / max_firms if max_firms else 0.0
    v = math.log1p(persons) / math.log1p(max_persons) if max_persons > 0 else 0.0
    return 0.5 * mean_level + 0.25 * r + 0.25 * v


def _label(data: SurveyData, field: str, key: str | None) -> str | None:
    if key is None:
        return None
    q = data.survey.block_fields("post")[field][0]
    return q.option(key).zh


def catalogue(data: SurveyData, min_firms: int = MIN_FIRMS) -> dict[str, Any]:
    """The catalogue as a JSON-ready dict: posts (sorted by sector, then score), excluded titles, the formula."""
    records = post_records(data)
    sector_q = data.survey.role("sector")
    assert sector_q is not None
    posts: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    if records.empty:
        return {
            "posts": [],
            "excluded": [],
            "min_firms": min_firms,
            "by_sector": {},
            "formula_zh": FORMULA_ZH,
        }
    for opt in sector_q.options:
        recs = records[records.sector == opt.key]
        if recs.empty:
            continue
        grouped = []
        for title, g in recs.groupby("title"):
            firms = g.respondent_id.nunique()
            levels = [LEVEL_SCORE[x] for x in g.get("level", pd.Series(dtype=object)).dropna()]
            persons = float(
                pd.to_numeric(g.get("headcount", pd.Series(dtype=float)), errors="coerce").fillna(0).sum()
            )
            grouped.append((str(title), g, firms, (sum(levels) / len(levels)) if levels else 0.0, persons))
        effective = [x for x in grouped if x[2] >= min_firms]
        excluded += [
            {"sector": opt.key, "title": t, "firms": f} for t, _, f, _, _ in grouped if f < min_firms
        ]
        if not effective:
            continue
        max_f = max(x[2] for x in effective)
        max_h = max(x[4] for x in effective)
        for title, g, firms, level, persons in effective:
            s = shortage_score(level, firms, max_f, persons, max_h)
            zh, en = band(s)
            posts.append(
                {
                    "sector": opt.key,
                    "sector_zh": opt.zh,
                    "title": title,
                    "score": round(s, 4),
                    "band_zh": zh,
                    "band_en": en,
                    "firms": int(firms),
                    "records": len(g),
                    "persons": int(persons),
                    "mean_level": round(level, 4),
                    "education": _label(data, "education", _mode(g, "education")),
                    "majors": [_label(data, "majors", k) for k in _top_multi(g, "majors", 3)],
                    "experience": [_label(data, "experience", k) for k in _half_multi(g, "experience")],
                    "language": _label(data, "language", _mode(g, "language")),
                    "computer": _label(data, "computer", _mode(g, "computer")),
                    "salary": _label(data, "salary", _mode(g, "salary")),
                    "horizon": [_label(data, "horizon", k) for k in _half_multi(g, "horizon")],
                }
            )
    posts.sort(key=lambda p: ([o.key for o in sector_q.options].index(p["sector"]), -p["score"], p["title"]))
    for i, p in enumerate(posts, start=1):
        p["no"] = i
    by_sector: dict[str, dict[str, Any]] = {}
    for p in posts:
        tally = by_sector.setdefault(p["sector"], {"posts": 0, "一般紧缺": 0, "紧缺": 0, "十分紧缺": 0})
        tally["posts"] += 1
        tally[p["band_zh"]] += 1
    return {
        "posts": posts,
        "excluded": excluded,
        "min_firms": min_firms,
        "by_sector": by_sector,
        "formula_zh": FORMULA_ZH,
        "formula_en": FORMULA_EN,
    }


FORMULA_ZH = (
    "紧缺指数 S = 0.5×U + 0.25×R + 0.25×V：U 为企业申报紧缺程度均值（一般紧缺=0，紧缺=0.5，十分紧缺=1），"
    "R 为申报该岗位企业数 ÷ 本领域申报最多的岗位企业数，V = ln(1+需求人数) ÷ ln(1+本领域最大需求人数)。"
    "S<1/3 为一般紧缺，1/3≤S<2/3 为紧缺，S≥2/3 为十分紧缺。至少3家企业申报的岗位列为有效紧缺岗位。"
)
FORMULA_EN = (
    "Shortage score S = 0.5·U + 0.25·R + 0.25·V: U mean declared level (0 / 0.5 / 1), R firms naming the "
    "post ÷ the sector's most-named post, V = ln(1+persons)/ln(1+sector max). Bands at 1/3 and 2/3. "
    "Posts named by at least 3 firms are effective."
)


def _mode(g: pd.DataFrame, field: str) -> str | None:
    if field not in g:
        return None
    values = [v for v in g[field].dropna() if isinstance(v, str)]
    if not values:
        return None
    return Counter(values).most_common(1)[0][0]


def _multi_counts(g: pd.DataFrame, field: str) -> tuple[Counter[str], int]:
    if field not in g:
        return Counter(), 0
    lists = [v for v in g[field].dropna() if isinstance(v, list)]
    return Counter(k for v in lists for k in v), len(lists)


def _top_multi(g: pd.DataFrame, field: str, k: int) -> list[str]:
    counts, _ = _multi_counts(g, field)
    return [key for key, _ in counts.most_common(k)]


def _half_multi(g: pd.DataFrame, field: str) -> list[str]:
    counts, n = _multi_counts(g, field)
    keys = [key for key, c in counts.items() if n and c / n >= 0.5]
    if not keys and counts:
        keys = [counts.most_common(1)[0][0]]
    q_order = list(counts)
    return sorted(keys, key=q_order.index)


COLUMNS = [
    ("no", "序号"),
    ("sector_zh", "行业领域"),
    ("title", "岗位名称"),
    ("band_zh", "紧缺程度"),
    ("score", "紧缺指数"),
    ("firms", "需求企业数"),
    ("persons", "需求人数"),
    ("education", "学历要求"),
    ("majors", "专业要求"),
    ("experience", "从业经验"),
    ("language", "外语水平"),
    ("computer", "计算机水平"),
    ("salary", "参考年薪"),
    ("horizon", "需求时间"),
]


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "、".join(v for v in value if v)
    return "" if value is None else value


def write_xlsx(cat: dict[str, Any], path: Path, title: str, note: str) -> Path:
    """The catalogue as a workbook in the form of a published 目录: title, notes, one table, a formula sheet."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), XLSXWRITER_OPTIONS)
    title_fmt = wb.add_format({"bold": True, "font_size": 16, "align": "center", "font_name": "SimSun"})
    note_fmt = wb.add_format({"font_size": 9, "text_wrap": True, "valign": "top"})
    head = wb.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "bg_color": "#D9E1F2",
            "text_wrap": True,
        }
    )
    cell = wb.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    text = wb.add_format({"border": 1, "valign": "vcenter", "text_wrap": True, "quote_prefix": True})
    num = wb.add_format({"border": 1, "valign": "vcenter", "num_format": "0.000"})
    ws = wb.add_worksheet("紧缺专业人才需求目录")
    ws.merge_range(0, 0, 0, len(COLUMNS) - 1, title, title_fmt)
    ws.merge_range(1, 0, 1, len(COLUMNS) - 1, note, note_fmt)
    ws.set_row(1, 48)
    widths = [5, 12, 22, 9, 8, 8, 8, 11, 30, 18, 9, 9, 10, 16]
    for i, ((_, label), w) in enumerate(zip(COLUMNS, widths, strict=True)):
        ws.write(2, i, label, head)
        ws.set_column(i, i, w)
    for r, p in enumerate(cat["posts"], start=3):
        for c, (key, _) in enumerate(COLUMNS):
            value = _cell(p[key])
            ws.write(r, c, value, num if key == "score" else text if needs_guard(value) else cell)
    ws.freeze_panes(3, 0)
    info = wb.add_worksheet("说明")
    info.set_column(0, 0, 110)
    lines = [cat["formula_zh"], cat.get("formula_en", ""), f"有效紧缺岗位 {len(cat['posts'])} 个。"]
    lines += [
        f"未列入（申报企业少于{cat['min_firms']}家）：{e['title']}（{e['firms']}家）" for e in cat["excluded"]
    ]
    for i, line in enumerate(lines):
        info.write_string(i, 0, line, note_fmt)
    wb.close()
    return path


def write_pdf(cat: dict[str, Any], path: Path, title: str, note: str) -> Path:
    """The catalogue as an A4-landscape PDF (matplotlib with Noto Sans CJK), 22 posts a page."""
    from matplotlib.backends.backend_pdf import PdfPages

    from industry_brain.talent._charts import cjk_figure

    path.parent.mkdir(parents=True, exist_ok=True)
    keys = [
        "no",
        "sector_zh",
        "title",
        "band_zh",
        "score",
        "firms",
        "persons",
        "education",
        "majors",
        "experience",
        "language",
        "computer",
        "salary",
    ]
    labels = [dict(COLUMNS)[k] for k in keys]
    widths = [0.035, 0.085, 0.15, 0.06, 0.055, 0.06, 0.055, 0.075, 0.19, 0.09, 0.05, 0.06, 0.065]
    per_page = 22
    posts = cat["posts"]
    pages = max(1, math.ceil(len(posts) / per_page))
    with PdfPages(path) as pdf:
        for page in range(pages):
            fig = cjk_figure(figsize=(11.69, 8.27))
            fig.text(0.5, 0.955, title, ha="center", va="top", fontsize=14, weight="bold")
            fig.text(0.04, 0.915, note, ha="left", va="top", fontsize=7, wrap=True)
            ax = fig.add_axes((0.03, 0.06, 0.94, 0.80))
            ax.axis("off")
            chunk = posts[page * per_page : (page + 1) * per_page]
            rows = [[_short(_cell(p[k]), k) for k in keys] for p in chunk] or [["—"] * len(keys)]
            table = ax.table(
                cellText=rows, colLabels=labels, colWidths=widths, loc="upper center", cellLoc="center"
            )
            table.auto_set_font_size(False)
            table.set_fontsize(6.5)
            table.scale(1, 1.45)
            for (r, _), c in table.get_celld().items():
                if r == 0:
                    c.set_facecolor("#D9E1F2")
                    c.set_text_props(weight="bold")
            fig.text(0.5, 0.025, f"第 {page + 1} 页 / 共 {pages} 页", ha="center", fontsize=7)
            pdf.savefig(fig)
            import matplotlib.pyplot as plt

            plt.close(fig)
        info = pdf.infodict()
        info["Title"] = title
    return path


def _short(value: Any, key: str) -> str:
    text = f"{value:.3f}" if key == "score" and isinstance(value, float) else str(value)
    limit = {"majors": 22, "title": 14, "experience": 12}.get(key, 12)
    return text if len(text) <= limit else text[: limit - 1] + "…"
