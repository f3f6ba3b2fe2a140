"""The report's figures as chart specs (the magazine's 图1-图9 plus the outlook index) and its HTML page."""

from __future__ import annotations

from importlib import resources
from typing import Any

TITLES = {
    "fig1": ("图1 专业人才规模占比", "Figure 1 Professional talent as a share of staff"),
    "fig2": ("图2 专业人才年龄层次分布", "Figure 2 Professional talent by age"),
    "fig3": ("图3 专业人才学历层次分布", "Figure 3 Professional talent by education"),
    "fig4": ("图4 专业人才培养方式分布", "Figure 4 How firms train professional talent"),
    "fig5": ("图5 行业紧缺专业人才总体需求意向变化分布", "Figure 5 Expected change in demand next year"),
    "fig6": ("图6 专业人才需求岗位需求状况分布", "Figure 6 When the scarce posts are needed"),
    "fig7": ("图7 紧缺专业人才需求岗位从业经验要求分布", "Figure 7 Experience accepted for the scarce posts"),
    "fig8": (
        "图8 人工智能行业企业所需紧缺专业人才细分领域分布",
        "Figure 8 AI sub-fields in demand, by horizon",
    ),
    "fig9": (
        "图9 生物技术和生命科学行业企业所需紧缺专业人才细分领域分布",
        "Figure 9 Biotech and life-science sub-fields in demand, by horizon",
    ),
    "neoi": (
        "净雇佣前景指数及95%置信区间（Newcombe配对差法）",
        "Net employment outlook with 95% Newcombe interval",
    ),
}


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _label(item: dict[str, Any], lang: str) -> str:
    return str(item.get("en") if lang == "en" else item.get("zh"))


def chart_specs(r: dict[str, Any], lang: str = "zh-CN") -> list[dict[str, Any]]:
    """JSON-ready specs of every chart the report draws, in figure order."""
    synthetic = (
        _t(lang, "（合成数据，仅供演示）", " (synthetic data, demonstration only)")
        if r.get("synthetic")
        else ""
    )
    specs: list[dict[str, Any]] = []

    def title(key: str) -> str:
        zh, en = TITLES[key]
        return _t(lang, zh, en)

    ratios = r.get("professional_share") or {}
    if ratios:
        names = {
            "ai": _t(lang, "人工智能", "AI"),
            "bio": _t(lang, "生物技术和生命科学", "Biotech & life science"),
        }
        specs.append(
            {
                "id": "fig1",
                "kind": "bar",
                "title": title("fig1"),
                "labels": [names.get(k, k) for k in ratios],
                "values": [v["pct"] for v in ratios.values()],
                "unit": "%",
                "note": _t(
                    lang, "口径：专业人才人数合计 ÷ 员工人数合计", "basis: total professionals / total staff"
                )
                + synthetic,
            }
        )
    for key, qid in (("fig2", "age_counts"), ("fig3", "education_counts")):
        p = r.get("pooled", {}).get(qid)
        if p:
            specs.append(
                {
                    "id": key,
                    "kind": "pie",
                    "title": title(key),
                    "labels": [_label(x, lang) for x in p["rows"]],
                    "values": [x["pct"] for x in p["rows"]],
                    "note": _t(
                        lang,
                        f"口径：{p['respondents']}家企业的{p['persons']}名专业人才",
                        f"basis: {p['persons']} professionals in {p['respondents']} firms",
                    )
                    + synthetic,
                }
            )
    for key, qid, kind in (("fig4", "training", "barh"), ("fig5", "demand_change", "pie")):
        s = r.get("shares", {}).get(qid)
        if s:
            spec = {
                "id": key,
                "kind": kind,
                "title": title(key),
                "labels": [_label(o, lang) for o in s["options"]],
                "values": [o["pct"] for o in s["options"]],
                "note": _t(lang, f"口径：作答该题的{s['base']}家企业", f"basis: {s['base']} firms answering")
                + synthetic,
            }
            if kind == "barh":
                spec["low"] = [o["low"] for o in s["options"]]
                spec["high"] = [o["high"] for o in s["options"]]
            specs.append(spec)
    for key, field in (("fig6", "horizon"), ("fig7", "experience")):
        s = r.get("posts", {}).get(field, {}).get("all")
        if s:
            specs.append(
                {
                    "id": key,
                    "kind": "barh",
                    "title": title(key),
                    "labels": [_label(o, lang) for o in s["options"]],
                    "values": [o["pct"] for o in s["options"]],
                    "low": [o["low"] for o in s["options"]],
                    "high": [o["high"] for o in s["options"]],
                    "note": _t(
                        lang,
                        f"口径：{s['base']}条紧缺岗位需求记录（多选）",
                        f"basis: {s['base']} scarce-post records (multiple choice)",
                    )
                    + synthetic,
                }
            )
    for key, qid in (("fig8", "ai_subfields"), ("fig9", "bio_subfields")):
        m = r.get("subfields", {}).get(qid)
        if m:
            specs.append(
                {
                    "id": key,
                    "kind": "grouped_barh",
                    "title": title(key),
                    "labels": [_label(x, lang) for x in m["rows"]],
                    "series": [
                        {"name": _label(o, lang), "values": [row["cells"][i]["pct"] for row in m["rows"]]}
                        for i, o in enumerate(m["options"])
                    ],
                    "note": _t(
                        lang,
                        f"口径：作答该题的{m['base']}家企业（每行可多选）",
                        f"basis: {m['base']} firms answering (several horizons per row)",
                    )
                    + synthetic,
                }
            )
    rows = [o for o in r.get("outlook", []) if o["group"] in ("all", "sector") and not o["suppressed"]]
    if rows:
        # the sectors' names come from the survey definition (Table 1 carries them), not from this module
        sector_names: dict[str | None, str] = {None: _t(lang, "总体", "All")}
        sector_names.update({t["sector"]: _t(lang, t["zh"], t["en"]) for t in r.get("table1", []) if t["sector"]})
        specs.append(
            {
                "id": "neoi",
                "kind": "interval",
                "title": title("neoi"),
                "labels": [sector_names.get(o["value"], str(o["value"])) for o in rows],
                "values": [o["neoi"] for o in rows],
                "low": [o["low"] for o in rows],
                "high": [o["high"] for o in rows],
                "unit": _t(lang, "百分点", "percentage points"),
                "note": _t(lang, "净雇佣前景指数 = 预期增加% − 预期减少%", "NEOI = % increase − % decrease")
                + synthetic,
            }
        )
    return specs


def render_html(data: dict[str, Any]) -> str:
    """The report page (self-contained HTML; the charts are the PNGs written beside it)."""
    import jinja2

    template = (resources.files("industry_brain.talent") / "_data" / "report.html.j2").read_text(
        encoding="utf-8"
    )
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    lang = data.get("lang", "zh-CN")

    def t(zh: str, en: str) -> str:
        return _t(lang, zh, en)

    def pct(v: float | None, d: int = 0) -> str:
        return "—" if v is None else f"{v:.{d}f}%"

    def num(v: float | None, d: int = 3) -> str:
        if v is None:
            return "—"
        text = f"{v:.{d}f}"
        return text

    env.globals.update(t=t, pct=pct, num=num)
    return env.from_string(template).render(r=data)
