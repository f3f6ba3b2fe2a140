"""The survey report: every statistic as one JSON-ready dict, checked against the published figures, and its
HTML rendering with the magazine's figures 1-9 as charts.

:func:`report_data` is what the CLI, the web page and the tests read. Its ``checks`` recompute every figure the
article printed (``_data/<survey>-published.yaml``: value, sentence, source line) at the printed precision, and
``inconsistencies`` lists what the printed figures contradict among themselves — e.g. Table 1's standard errors
imply n = (SD/SE)² ≈ 287 and 74 respondents, not the 587 and 110 printed as the effective samples.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any, overload

from industry_brain._core.store import Store
from industry_brain.talent._catalogue import catalogue
from industry_brain.talent._importer import _batch_summary, current_batch
from industry_brain.talent._intervals import implied_n
from industry_brain.talent._statistics import (
    SurveyData,
    crosstab,
    demand_means,
    matrix_shares,
    outlook,
    pooled_shares,
    post_records,
    post_shares,
    ratio,
    shares,
)
from industry_brain.talent._survey import Survey, load_survey, published_figures

SHARE_QUESTIONS = (
    "headcount",
    "stage",
    "ownership",
    "years_in_industry",
    "sales",
    "listed",
    "training",
    "demand_change",
    "channels",
    "gov_help",
    "publicity_channels",
    "need_association",
    "need_benchmark_exchange",
    "need_joint_training",
)
POST_FIELDS = (
    "level",
    "education",
    "experience_required",
    "experience",
    "language",
    "computer",
    "horizon",
    "salary",
)


@overload
def clean(value: dict[Any, Any]) -> dict[str, Any]: ...
@overload
def clean(value: list[Any] | tuple[Any, ...]) -> list[Any]: ...
def clean(value: Any) -> Any:
    """NaN/inf → None, numpy scalars → Python, recursively (the JSON boundary)."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            return str(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _rounded(value: float | None, decimals: int) -> float | None:
    if value is None:
        return None
    q: float = 10**decimals
    return math.floor(value * q + 0.5) / q


def _check_one(fig: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any]:
    data: SurveyData = ctx["data"]
    m = fig["measure"]
    computed: Any = None
    decimals = 0
    if m == "respondents":
        computed = int((data.respondents.sector == fig["sector"]).sum())
    elif m == "share_pct":
        s = ctx["shares"].get(fig["question"]) or shares(data, fig["question"])
        computed = (
            sum(o["pct"] or 0 for o in s["options"] if o["key"] in fig["options"]) if s["base"] else None
        )
    elif m == "ratio_pct":
        computed = ratio(data, fig["numerator"], fig["denominator"], sector=fig["sector"])["pct"]
    elif m == "matrix_sum_pct":
        p = ctx["pooled"][fig["question"]]
        computed = next(r["pct"] for r in p["rows"] if r["key"] == fig["row"])
    elif m == "neoi_pct":
        computed = ctx["outlook"][0]["neoi"]
    elif m == "table1":
        row = next(r for r in ctx["table1"] if r["sector"] == fig.get("sector"))
        stat = {"ci95_low": "ci95_low", "ci95_high": "ci95_high"}.get(fig["stat"], fig["stat"])
        computed = row[stat]
        decimals = int(fig.get("decimals", 2))
    elif m == "matrix_share_pct":
        ms = ctx["matrix"][fig["question"]]
        row = next(r for r in ms["rows"] if r["key"] == fig["row"])
        computed = next(c["pct"] for c in row["cells"] if c["key"] == fig["option"])
    elif m == "post_share_pct":
        s = post_shares(data, ctx["records"], fig["field"], sector=fig.get("sector"))
        computed = (
            sum(o["pct"] or 0 for o in s["options"] if o["key"] in fig["options"]) if s["base"] else None
        )
    elif m == "catalogue_posts":
        computed = ctx["catalogue"]["by_sector"].get(fig["sector"], {}).get("posts", 0)
    elif m == "post_majors_over_half":
        s = post_shares(data, ctx["records"], fig["field"], sector=fig["sector"])
        over = sorted((o for o in s["options"] if (o["pct"] or 0) > 50), key=lambda o: -(o["pct"] or 0))
        computed = [o["key"] for o in over]
    printed = fig["printed"]
    if isinstance(printed, list):
        status = "match" if computed == printed else "differs"
        shown = computed
    elif computed is None:
        status, shown = "not_computable", None
    else:
        shown = _rounded(float(computed), decimals)
        status = "match" if shown is not None and abs(shown - float(printed)) < 1e-9 else "differs"
    return {
        "id": fig["id"],
        "measure": m,
        "figure": fig.get("figure"),
        "printed": printed,
        "computed": clean(computed),
        "computed_rounded": clean(shown),
        "status": status,
        "quote_zh": fig.get("quote_zh"),
        "source_line": fig.get("source_line"),
        "confidence": fig.get("confidence"),
    }


def inconsistencies(published: dict[str, Any]) -> list[dict[str, Any]]:
    """Contradictions among the printed figures themselves (independent of any response data)."""
    figs = {f["id"]: f for f in published.get("figures", [])}
    out: list[dict[str, Any]] = []
    n_printed = {"ai": figs.get("n_ai", {}).get("printed"), "bio": figs.get("n_bio", {}).get("printed")}
    if n_printed["ai"] and n_printed["bio"]:
        n_printed["all"] = n_printed["ai"] + n_printed["bio"]
    for sector, label in (("ai", "人工智能"), ("bio", "生物技术和生命科学"), ("all", "总数")):
        sd, se = figs.get(f"table1_{sector}_sd"), figs.get(f"table1_{sector}_se")
        if not sd or not se or not n_printed.get(sector):
            continue
        sd_v, se_v = float(sd["printed"]), float(se["printed"])
        half = 0.5 * 10 ** -int(sd.get("decimals", 3))
        lo, hi = implied_n(sd_v - half, se_v + half), implied_n(sd_v + half, se_v - half)
        n = n_printed[sector]
        if not lo <= n <= hi:
            out.append(
                {
                    "id": f"table1_se_implies_n_{sector}",
                    "severity": "conflict",
                    "zh": (
                        f"表1{label}：标准差 {sd['printed']:.3f} 与标准误 {se['printed']:.3f} 意味着 n = (SD/SE)² ≈ "
                        f"{implied_n(sd_v, se_v):.0f}（按四舍五入范围 {lo:.0f}-{hi:.0f}），而文中有效样本为 {n}；"
                        f"按 n = {n}，标准误应为 {sd_v / math.sqrt(n):.3f}"
                    ),
                    "en": (
                        f"Table 1 {sector}: SD {sd_v:.3f} and SE {se_v:.3f} imply n = (SD/SE)² ≈ {implied_n(sd_v, se_v):.0f} "
                        f"({lo:.0f}-{hi:.0f} allowing for rounding), but the printed sample is {n}; with n = {n} the SE "
                        f"would be {sd_v / math.sqrt(n):.3f}"
                    ),
                    "implied_n": round(implied_n(sd_v, se_v), 1),
                    "implied_n_range": [round(lo, 1), round(hi, 1)],
                    "printed_n": n,
                    "se_if_printed_n": round(sd_v / math.sqrt(n), 4),
                }
            )
    for sector, label in (("ai", "人工智能"), ("bio", "生物技术和生命科学")):
        posts = figs.get(f"catalogue_{sector}", {}).get("printed")
        if not posts:
            continue
        bad = [
            f
            for f in figs.values()
            if f["measure"] == "post_share_pct"
            and f.get("sector") == sector
            and not any(round(100 * k / posts) == f["printed"] for k in range(posts + 1))
        ]
        if bad:
            out.append(
                {
                    "id": f"requirement_base_{sector}",
                    "severity": "definition",
                    "zh": (
                        f"{label}岗位要求占比中有 {len(bad)} 个（如 {bad[0]['printed']}%）不可能是 {posts} 个目录岗位的整数占比，"
                        "其基数应为企业或需求记录而非岗位；本报告以需求记录为基数"
                    ),
                    "en": (
                        f"{len(bad)} of the {sector} requirement percentages (e.g. {bad[0]['printed']}%) cannot be shares of "
                        f"{posts} catalogue posts; their base must be firms or demand records (this report uses records)"
                    ),
                    "figures": [f["id"] for f in bad],
                }
            )
    return out


def report_data(
    store: Store,
    survey: str | Survey = "hangzhou-2018",
    *,
    batch_id: int | None = None,
    weights: str | None = None,
    lang: str = "zh-CN",
) -> dict[str, Any]:
    """Everything the report shows, JSON-ready (NaN → None)."""
    sv = survey if isinstance(survey, Survey) else load_survey(survey)
    bid = current_batch(store, sv.id, batch_id)
    batch = _batch_summary(store, bid)
    data = SurveyData.load(store, sv, bid, weights)
    records = post_records(data)
    sector_q = sv.role("sector")
    assert sector_q is not None
    share_results = {q: shares(data, q) for q in SHARE_QUESTIONS if _has(sv, q)}
    by_sector_shares = {
        q: {o.key: shares(data, q, sector=o.key) for o in sector_q.options}
        for q in ("demand_change", "channels", "training")
        if _has(sv, q)
    }
    pooled = {
        q.id: pooled_shares(data, q.id) for q in sv.questions if q.type == "matrix" and q.cell == "numeric"
    }
    matrix = {
        q.id: matrix_shares(data, q.id) for q in sv.questions if q.type == "matrix" and q.cell == "multiple"
    }
    outlook_rows = (
        outlook(data, by="sector") + outlook(data, by="size")[1:] + outlook(data, by="ownership")[1:]
    )
    table1 = demand_means(data)
    cat = catalogue(data)
    post = {
        f: {
            "all": post_shares(data, records, f),
            **{o.key: post_shares(data, records, f, sector=o.key) for o in sector_q.options},
        }
        for f in POST_FIELDS
        if not records.empty and f in sv.block_fields("post")
    }
    majors = (
        {o.key: post_shares(data, records, "majors", sector=o.key) for o in sector_q.options}
        if not records.empty
        else {}
    )
    ratios = (
        {o.key: ratio(data, "staff_professional", "staff_total", sector=o.key) for o in sector_q.options}
        if _has(sv, "staff_total")
        else {}
    )
    cross = {
        f"{q}_by_{by}": crosstab(data, q, by)
        for q in ("demand_change",)
        for by in ("size", "ownership")
        if _has(sv, q)
    }
    published = published_figures(sv.id)
    ctx = {
        "data": data,
        "shares": share_results,
        "pooled": pooled,
        "matrix": matrix,
        "outlook": outlook_rows,
        "table1": table1,
        "records": records,
        "catalogue": cat,
    }
    checks = [_check_one(f, ctx) for f in published.get("figures", [])]
    quarantine_summary = store.records(
        "SELECT code, severity, scope, count(*) AS n FROM talent_quarantine WHERE batch_id = ? "
        "GROUP BY ALL ORDER BY n DESC",
        [bid],
    )
    linking = store.records(
        "SELECT link_method, count(*) AS n FROM talent_respondent WHERE batch_id = ? GROUP BY ALL ORDER BY n DESC",
        [bid],
    )
    weights_info = None
    if weights:
        from industry_brain.talent._intervals import kish_deff

        deff, n_eff = kish_deff(data.respondents.weight.tolist())
        weights_info = {"name": weights, "design_effect": deff, "effective_n": n_eff}
    result = {
        "survey": {
            "id": sv.id,
            "year": sv.year,
            "zh": sv.zh,
            "en": sv.en,
            "organizer_zh": sv.meta.get("organizer_zh"),
            "catalogue_zh": sv.meta.get("catalogue_zh"),
            "source_zh": sv.meta.get("source_zh"),
        },
        "batch": {
            k: batch[k]
            for k in (
                "batch_id",
                "file_name",
                "sha256",
                "layout",
                "answer_mode",
                "multiple_layout",
                "rows_read",
                "respondents_loaded",
                "respondents_quarantined",
                "answers_quarantined",
                "warnings",
                "synthetic",
                "finished_at",
            )
        },
        "synthetic": bool(batch["synthetic"]),
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "lang": lang,
        "respondents": {
            "total": len(data.respondents),
            "by_sector": {o.key: int((data.respondents.sector == o.key).sum()) for o in sector_q.options},
        },
        "weights": weights_info,
        "outlook": outlook_rows,
        "table1": table1,
        "shares": share_results,
        "shares_by_sector": by_sector_shares,
        "professional_share": ratios,
        "pooled": pooled,
        "subfields": matrix,
        "posts": post,
        "majors": majors,
        "crosstabs": cross,
        "catalogue": cat,
        "checks": checks,
        "checks_summary": {
            s: sum(1 for c in checks if c["status"] == s) for s in ("match", "differs", "not_computable")
        },
        "inconsistencies": inconsistencies(published),
        "quarantine": quarantine_summary,
        "linking": linking,
        "document_zh": published.get("document_zh"),
    }
    from industry_brain.talent._figures import chart_specs

    result["charts"] = chart_specs(result, lang)
    return clean(result)


def _has(sv: Survey, qid: str) -> bool:
    return any(q.id == qid for q in sv.questions)


def write_report(
    store: Store,
    out_dir: Path | str,
    survey: str = "hangzhou-2018",
    *,
    batch_id: int | None = None,
    weights: str | None = None,
    lang: str = "zh-CN",
) -> dict[str, Any]:
    """Write report.html, report.json and the chart PNGs into ``out_dir``; returns the data plus file paths."""
    from industry_brain.talent._charts import render
    from industry_brain.talent._figures import render_html

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = report_data(store, survey, batch_id=batch_id, weights=weights, lang=lang)
    files = []
    for spec in data["charts"]:
        files.append(str(render(spec, out / f"{spec['id']}.png")))
    (out / "report.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "report.html").write_text(render_html(data), encoding="utf-8")
    return {
        **data,
        "files": {"html": str(out / "report.html"), "json": str(out / "report.json"), "charts": files},
    }
