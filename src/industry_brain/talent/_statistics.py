"""Survey statistics over one import batch: shares with Wilson intervals, the net employment outlook with
Newcombe's paired interval, Table-1 demand means, pooled headcount shares, demand-record (scarce post) shares,
cross-tabs with small-cell suppression, and post-stratification weights with Kish's design effect.

Bases (口径), stated with every figure:

* a share of a single/multiple/scale question: respondents who answered it (``(跳过)`` and ``(空)`` excluded);
* a matrix multiple-choice share (sub-field × horizon): respondents who answered at least one row;
* a pooled headcount share (figures 1-3): persons, summed over respondents who answered every row;
* a demand-record share (the catalogue's requirement splits, figures 6-7): scarce-post records with that field
  answered — one respondent may report up to three posts;
* cross-tab cells with fewer than :data:`MIN_CELL` respondents are suppressed (shown as ``None``).

With weights (``talent_weight``), counts are weighted and intervals use the Kish effective sample size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain._core.store import Store
from industry_brain.talent._intervals import kish_deff, mean_t, net_outlook, wald_paired, wilson
from industry_brain.talent._survey import Survey

MIN_CELL = 5
BREAKDOWNS = ("sector", "size", "ownership")


def _nan_none(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


@dataclass
class SurveyData:
    """One batch's respondents and answers, loaded once."""

    survey: Survey
    batch_id: int
    respondents: pd.DataFrame  # respondent_id, sector, size, ownership, weight
    answers: pd.DataFrame  # respondent_id, question_id, item, status, option_key, value_num, value_text
    weighted: bool = False

    @classmethod
    def load(cls, store: Store, survey: Survey, batch_id: int, weights: str | None = None) -> SurveyData:
        resp = store.execute(
            "SELECT respondent_id, sector, firm_name, enterprise_uscc, link_method FROM talent_respondent "
            "WHERE batch_id = ? ORDER BY source_row",
            [batch_id],
        ).df()
        ans = store.execute(
            "SELECT respondent_id, question_id, item, status, option_key, value_num, value_text FROM talent_answer "
            "WHERE batch_id = ?",
            [batch_id],
        ).df()
        for role, column in (("size", "size"), ("ownership", "ownership")):
            q = survey.role(role)
            if q is not None:
                m = ans[(ans.question_id == q.id) & (ans.status == "answered")].set_index("respondent_id")[
                    "option_key"
                ]
                resp[column] = resp.respondent_id.map(m)
            else:
                resp[column] = None
        resp["weight"] = 1.0
        weighted = False
        if weights:
            w = store.execute(
                "SELECT respondent_id, weight FROM talent_weight WHERE batch_id = ? AND name = ?",
                [batch_id, weights],
            ).df()
            if w.empty:
                raise NotFoundError(
                    f"batch {batch_id} has no weights named {weights!r}", batch_id=batch_id, weights=weights
                )
            resp["weight"] = resp.respondent_id.map(w.set_index("respondent_id")["weight"]).fillna(0.0)
            weighted = True
        return cls(survey, batch_id, resp, ans, weighted)

    def subset(self, **filters: str | None) -> pd.DataFrame:
        r = self.respondents
        for col, value in filters.items():
            if value is not None:
                r = r[r[col] == value]
        return r


def _weights(data: SurveyData, ids: pd.Series) -> pd.Series:
    return data.respondents.set_index("respondent_id")["weight"].reindex(ids).fillna(0.0)


def _interval_counts(k: float, base: float, n_eff_scale: float) -> dict[str, Any]:
    ci = wilson(k * n_eff_scale, base * n_eff_scale) if base > 0 else None
    return {
        "pct": 100 * k / base if base else None,
        "low": 100 * ci.low if ci else None,
        "high": 100 * ci.high if ci else None,
    }


def _eff_scale(w: pd.Series) -> float:
    """Kish n_eff / n: multiply weighted counts normalised to n by this to get effective counts."""
    if len(w) == 0 or w.sum() == 0:
        return 1.0
    deff, _ = kish_deff(w.tolist())
    return 1.0 / deff if deff and not math.isnan(deff) else 1.0


def shares(data: SurveyData, question_id: str, *, sector: str | None = None) -> dict[str, Any]:
    """Shares of each option among respondents who answered (Wilson 95 % intervals)."""
    q = data.survey.question(question_id)
    if q.answer_type not in ("single", "multiple", "scale") or q.type == "matrix":
        raise InputError(
            f"question {question_id!r} is {q.type}, expected single, multiple or scale", question=question_id
        )
    ids = data.subset(sector=sector).respondent_id
    a = data.answers[(data.answers.question_id == question_id) & data.answers.respondent_id.isin(ids)]
    answered = a[a.status == "answered"]
    base_ids = answered.respondent_id.unique()
    w = _weights(data, pd.Series(base_ids))
    scale_n = len(base_ids) / w.sum() if w.sum() else 1.0
    base = float(w.sum() * scale_n)
    eff = _eff_scale(w)
    out = []
    for opt in q.options:
        holders = answered[answered.option_key == opt.key].respondent_id.unique()
        k = float(_weights(data, pd.Series(holders)).sum() * scale_n)
        out.append(
            {
                "key": opt.key,
                "zh": opt.zh,
                "en": opt.en,
                "count": len(holders),
                "weighted": round(k, 3),
                **_interval_counts(k, base, eff),
            }
        )
    return {
        "question": q.id,
        "zh": q.zh,
        "en": q.en,
        "type": q.type,
        "sector": sector,
        "base": len(base_ids),
        "skipped": int(a[a.status == "skipped"].respondent_id.nunique()),
        "empty": int(a[a.status == "empty"].respondent_id.nunique()),
        "basis_zh": "基数为作答该题的企业",
        "options": out,
    }


def matrix_shares(data: SurveyData, question_id: str) -> dict[str, Any]:
    """Matrix multiple choice: share of respondents (who answered any row) choosing each option in each row."""
    q = data.survey.question(question_id)
    a = data.answers[data.answers.question_id == question_id]
    answered = a[a.status == "answered"]
    base_ids = answered.respondent_id.unique()
    base = len(base_ids)
    rows = []
    for r in q.rows:
        cells = []
        for opt in q.options:
            k = answered[(answered.item == r.key) & (answered.option_key == opt.key)].respondent_id.nunique()
            ci = wilson(k, base) if base else None
            cells.append(
                {
                    "key": opt.key,
                    "zh": opt.zh,
                    "count": int(k),
                    "pct": 100 * k / base if base else None,
                    "low": 100 * ci.low if ci else None,
                    "high": 100 * ci.high if ci else None,
                }
            )
        rows.append({"key": r.key, "zh": r.zh, "en": r.en, "printed_zh": r.printed_zh, "cells": cells})
    return {
        "question": q.id,
        "zh": q.zh,
        "en": q.en,
        "base": base,
        "basis_zh": "基数为作答该题任一行的企业",
        "options": [{"key": o.key, "zh": o.zh, "en": o.en} for o in q.options],
        "rows": rows,
    }


def pooled_shares(data: SurveyData, question_id: str, *, sector: str | None = None) -> dict[str, Any]:
    """Matrix of head counts: each row's share of the persons summed over respondents (figures 2 and 3)."""
    q = data.survey.question(question_id)
    ids = data.subset(sector=sector).respondent_id
    a = data.answers[
        (data.answers.question_id == question_id)
        & data.answers.respondent_id.isin(ids)
        & (data.answers.status == "answered")
    ]
    complete = a.groupby("respondent_id").item.nunique()
    complete_ids = complete[complete == len(q.rows)].index
    a = a[a.respondent_id.isin(complete_ids)]
    total = float(a.value_num.sum())
    rows = []
    for r in q.rows:
        v = float(a[a.item == r.key].value_num.sum())
        rows.append(
            {
                "key": r.key,
                "zh": r.zh,
                "en": r.en,
                "persons": int(v),
                "pct": 100 * v / total if total else None,
            }
        )
    return {
        "question": q.id,
        "zh": q.zh,
        "en": q.en,
        "respondents": len(complete_ids),
        "persons": int(total),
        "basis_zh": "基数为各行均作答企业的专业人才人数合计",
        "rows": rows,
    }


def ratio(data: SurveyData, numerator: str, denominator: str, *, sector: str | None = None) -> dict[str, Any]:
    """Σ numerator / Σ denominator over respondents who answered both (figure 1)."""
    ids = data.subset(sector=sector).respondent_id
    a = data.answers[data.answers.respondent_id.isin(ids) & (data.answers.status == "answered")]
    num = a[a.question_id == numerator].set_index("respondent_id").value_num
    den = a[a.question_id == denominator].set_index("respondent_id").value_num
    both = num.index.intersection(den.index)
    n, d = float(num[both].sum()), float(den[both].sum())
    return {
        "sector": sector,
        "respondents": len(both),
        "numerator": n,
        "denominator": d,
        "pct": 100 * n / d if d else None,
        "basis_zh": "合计专业人才人数 ÷ 合计员工人数",
    }


def _demand_codes(data: SurveyData, question_id: str, sector: str | None) -> pd.DataFrame:
    ids = data.subset(sector=sector).respondent_id
    a = data.answers[
        (data.answers.question_id == question_id)
        & data.answers.respondent_id.isin(ids)
        & (data.answers.status == "answered")
    ]
    return a


def outlook(
    data: SurveyData, question_id: str | None = None, *, by: str | None = None
) -> list[dict[str, Any]]:
    """Net employment outlook = %increase − %decrease with Newcombe's paired interval, overall and by group."""
    q = data.survey.question(question_id) if question_id else data.survey.role("outlook")
    if q is None:
        raise InputError("the survey has no question with role 'outlook'")
    inc_key, same_key, dec_key = (o.key for o in q.options[:3])
    groups: list[tuple[str | None, str | None]] = [(None, None)]
    if by:
        if by not in BREAKDOWNS:
            raise InputError(f"breakdown {by!r}, expected one of {', '.join(BREAKDOWNS)}", field="by")
        values = [v for v in data.respondents[by].dropna().unique()]
        groups += [(by, v) for v in sorted(values, key=str)]
    out = []
    for col, value in groups:
        ids = data.subset(**({col: value} if col else {})).respondent_id
        a = data.answers[
            (data.answers.question_id == q.id)
            & data.answers.respondent_id.isin(ids)
            & (data.answers.status == "answered")
        ]
        w = _weights(data, a.respondent_id)
        n_raw = len(a)
        scale = n_raw / w.sum() if w.sum() else 1.0
        eff = _eff_scale(w)
        counts = {k: float(w[a.option_key.values == k].sum() * scale) for k in (inc_key, same_key, dec_key)}
        inc, same, dec = (counts[k] * eff for k in (inc_key, same_key, dec_key))
        suppressed = col is not None and n_raw < MIN_CELL
        nc = net_outlook(inc, same, dec)
        wd = wald_paired(0, inc, dec, same)
        base = sum(counts.values())
        out.append(
            {
                "group": col or "all",
                "value": value,
                "n": n_raw,
                "suppressed": suppressed,
                "increase_pct": None if suppressed or not base else 100 * counts[inc_key] / base,
                "same_pct": None if suppressed or not base else 100 * counts[same_key] / base,
                "decrease_pct": None if suppressed or not base else 100 * counts[dec_key] / base,
                "neoi": None if suppressed else _nan_none(100 * nc.estimate),
                "low": None if suppressed else 100 * nc.low,
                "high": None if suppressed else 100 * nc.high,
                "wald_low": None if suppressed else 100 * wd.low,
                "wald_high": None if suppressed else 100 * wd.high,
                "method": "newcombe10",
                "design_effect": round(1 / eff, 4),
            }
        )
    return out


def demand_means(data: SurveyData, question_id: str | None = None) -> list[dict[str, Any]]:
    """Table 1: mean of the 1/2/3 coding with SD, SE, t-based 95 % CI, min, max — by sector and in total."""
    q = data.survey.question(question_id) if question_id else data.survey.role("outlook")
    if q is None:
        raise InputError("the survey has no question with role 'outlook'")
    sector_q = data.survey.role("sector")
    assert sector_q is not None
    code = {o.key: o.code for o in q.options}
    rows = []
    for opt in [*sector_q.options, None]:
        a = _demand_codes(data, q.id, opt.key if opt else None)
        s = mean_t([code[k] for k in a.option_key])
        rows.append(
            {
                "sector": opt.key if opt else None,
                "zh": opt.zh if opt else "总数",
                "en": opt.en if opt else "Total",
                **{k: _nan_none(v) for k, v in s.to_dict().items()},
            }
        )
    return rows


def post_records(data: SurveyData, block: str = "post") -> pd.DataFrame:
    """Scarce-post (demand) records: one row per respondent × instance that has a post title."""
    fields = data.survey.block_fields(block)
    if not fields:
        return pd.DataFrame()
    qmap: dict[str, tuple[int, str]] = {}
    for f, qs in fields.items():
        for q in qs:
            assert q.block is not None
            qmap[q.id] = (int(q.block["instance"]), f)
    a = data.answers[data.answers.question_id.isin(qmap) & (data.answers.status == "answered")]
    multi = {f for f, qs in fields.items() if qs[0].answer_type == "multiple"}
    table: dict[tuple[str, int], dict[str, Any]] = {}
    for rid, qid, key, num, text in zip(
        a.respondent_id, a.question_id, a.option_key, a.value_num, a.value_text, strict=True
    ):
        instance, f = qmap[qid]
        rec = table.setdefault((rid, instance), {"respondent_id": rid, "instance": instance})
        if f in multi:
            rec.setdefault(f, []).append(key)
        elif isinstance(key, str):
            rec[f] = key
        elif num is not None and not pd.isna(num):
            rec[f] = float(num)
        else:
            rec[f] = text
    if not table:
        return pd.DataFrame()
    wide = pd.DataFrame(list(table.values()))
    if "title" not in wide:
        return pd.DataFrame()
    wide = wide[wide.title.notna()]
    wide["title"] = wide.title.map(lambda t: "".join(str(t).split()))
    wide = wide.merge(
        data.respondents[["respondent_id", "sector", "firm_name"]], on="respondent_id", how="left"
    )
    return wide


def post_shares(
    data: SurveyData, records: pd.DataFrame, field: str, *, sector: str | None = None
) -> dict[str, Any]:
    """Share of demand records with each option of a post field (base: records with that field answered)."""
    fields = data.survey.block_fields("post")
    if field not in fields:
        raise InputError(f"post field {field!r}, expected one of {', '.join(fields)}", field=field)
    q = fields[field][0]
    recs = records
    if sector is not None:  # a file without post records has no columns at all
        recs = records[records.sector == sector] if "sector" in records else records.iloc[0:0]
    values = pd.Series([], dtype=object) if field not in recs else recs[field].dropna()
    base = len(values)
    out = []
    for opt in q.options:
        if q.answer_type == "multiple":
            k = int(sum(1 for v in values if isinstance(v, list) and opt.key in v))
        else:
            k = int((values == opt.key).sum())
        ci = wilson(k, base) if base else None
        out.append(
            {
                "key": opt.key,
                "zh": opt.zh,
                "en": opt.en,
                "count": k,
                "pct": 100 * k / base if base else None,
                "low": 100 * ci.low if ci else None,
                "high": 100 * ci.high if ci else None,
            }
        )
    return {
        "field": field,
        "zh": q.zh.split("：", 1)[-1],
        "sector": sector,
        "base": base,
        "basis_zh": "基数为填写该项的紧缺岗位需求记录（每家企业至多3条）",
        "options": out,
    }


def crosstab(data: SurveyData, question_id: str, by: str) -> dict[str, Any]:
    """Option × group counts and column percentages; cells under MIN_CELL respondents are suppressed.

    For a single-choice question a column's cells add up to its base, so when only one cell is small the smallest
    other cell is suppressed as well: no suppressed count can be recovered by subtraction.
    """
    if by not in BREAKDOWNS:
        raise InputError(f"breakdown {by!r}, expected one of {', '.join(BREAKDOWNS)}", field="by")
    q = data.survey.question(question_id)
    by_q = data.survey.role(by)
    if by_q is None:
        raise InputError(f"the survey has no question with role {by!r}", field="by")
    groups = [o for o in by_q.options]
    columns = []
    for g in groups:
        s = (
            shares(data, question_id, sector=g.key)
            if by == "sector"
            else _shares_in(data, question_id, by, g.key)
        )
        small = {o["key"] for o in s["options"] if o["count"] < MIN_CELL or s["base"] < MIN_CELL}
        if len(small) == 1 and q.answer_type != "multiple":
            # one answer per respondent: the cells add up to the printed base, so a lone suppressed cell would be
            # base minus the others — suppress the smallest other cell too (complementary suppression)
            others = sorted((o for o in s["options"] if o["key"] not in small), key=lambda o: o["count"])
            if others:
                small.add(others[0]["key"])
        cells = []
        for o in s["options"]:
            hidden = o["key"] in small
            cells.append(
                {
                    "key": o["key"],
                    "count": None if hidden else o["count"],
                    "pct": None if hidden else o["pct"],
                    "suppressed": hidden,
                }
            )
        columns.append({"key": g.key, "zh": g.zh, "en": g.en, "base": s["base"], "cells": cells})
    return {
        "question": q.id,
        "zh": q.zh,
        "by": by,
        "by_zh": by_q.zh,
        "min_cell": MIN_CELL,
        "options": [{"key": o.key, "zh": o.zh, "en": o.en} for o in q.options],
        "columns": columns,
    }


def _shares_in(data: SurveyData, question_id: str, col: str, value: str) -> dict[str, Any]:
    keep = data.subset(**{col: value}).respondent_id
    sub = SurveyData(
        data.survey,
        data.batch_id,
        data.respondents[data.respondents.respondent_id.isin(keep)],
        data.answers[data.answers.respondent_id.isin(keep)],
        data.weighted,
    )
    return shares(sub, question_id)


def poststratify(
    store: Store,
    survey: Survey,
    batch_id: int,
    by: str,
    population: dict[str, float],
    name: str = "poststrat",
) -> dict[str, Any]:
    """Cell weights w = (N_h / N) / (n_h / n) so the sample matches population shares on one breakdown.

    Stored in ``talent_weight`` under ``name``; returns the weights' summary with Kish's design effect.
    """
    data = SurveyData.load(store, survey, batch_id)
    if by not in BREAKDOWNS:
        raise InputError(f"breakdown {by!r}, expected one of {', '.join(BREAKDOWNS)}", field="by")
    by_q = data.survey.role(by)
    keys = {o.key for o in by_q.options} if by_q else set()
    unknown = sorted(set(population) - keys)
    if unknown or not population:
        raise InputError(
            f"population cells {unknown or '(none)'!r}, expected keys of {sorted(keys)!r}", field="population"
        )
    if any(v <= 0 or math.isnan(v) for v in population.values()):
        raise InputError("population counts must be positive numbers", field="population")
    resp = data.respondents
    counts = resp[by].value_counts()
    missing = [k for k in population if counts.get(k, 0) == 0]
    if missing:
        raise InputError(
            f"no respondents in population cell(s) {missing!r}: cannot weight", field="population"
        )
    uncovered = sorted(str(k) for k in counts.index if k not in population)
    if uncovered:
        raise InputError(
            f"population lacks cell(s) {uncovered!r} that "
            f"{int(sum(counts[k] for k in counts.index if k not in population))} respondents are in: "
            "give every cell of the breakdown, or those respondents would silently drop out",
            field="population",
        )
    # respondents who did not answer the breakdown question cannot be placed in a cell: weight 0, reported
    excluded = int(resp[by].isna().sum())
    n = int(resp[by].isin(list(population)).sum())
    total = sum(population.values())
    weight = resp[by].map(lambda k: (population[k] / total) / (counts[k] / n) if k in population else 0.0)
    with store.transaction():
        store.execute("DELETE FROM talent_weight WHERE batch_id = ? AND name = ?", [batch_id, name])
        table = pd.DataFrame(
            {
                "batch_id": batch_id,
                "name": name,
                "respondent_id": resp.respondent_id,
                "weight": weight.astype(float),
            }
        )
        store.con.register("talent_w_in", table)
        store.execute(
            "INSERT INTO talent_weight SELECT batch_id, name, respondent_id, weight FROM talent_w_in"
        )
        store.con.unregister("talent_w_in")
    deff, n_eff = kish_deff(weight.tolist())
    return {
        "batch_id": batch_id,
        "name": name,
        "by": by,
        "population": population,
        "respondents": len(resp),
        "excluded": excluded,
        "design_effect": deff,
        "effective_n": n_eff,
        "weights": {k: (population[k] / total) / (counts[k] / n) for k in population},
    }
