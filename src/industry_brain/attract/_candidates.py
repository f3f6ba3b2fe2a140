"""Which enterprises a district should approach (招商标的精准推荐, firm level), each row saying why it ranks.

Candidates are firms of the register outside the district — elsewhere in the city, or in an imported provincial or
national list — whose field is one the district should court (:func:`field_targets`) or one it is already strong in
(区位商 ≥ :data:`STRONG_LQ` with at least :data:`STRONG_FLOOR` firms: 强链). Each gets a score in [0, 1]::

    score = 0.40 fit + 0.20 size + 0.15 high-tech + 0.10 patents + 0.10 growth + 0.05 closeness

- fit: 1 for the best target field, falling linearly to 0.5 for the last one listed; 0.5 for a strong field;
- size: the firm's registered-capital percentile among the candidates (0 when not stated);
- high-tech: 1 with a national high-tech certificate;
- patents: ``min(1, ln(1 + n) / ln(11))`` for ``n`` patents on the ledger;
- growth: registered-capital growth since the firm's earliest record in the register, ``min(1, log2(now / first))``
  (0 when there is one version only, said so);
- closeness: 1 in another district of the city, 0.6 elsewhere in the province, 0.3 further away (a firm moving
  within the city is a zero-sum gain for the city, and the row says so).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from industry_brain._core.store import Store
from industry_brain.attract._panel import Level
from industry_brain.attract._targets import DEFAULT_PRESET, _field_name, field_targets

WEIGHTS = {"fit": 0.40, "size": 0.20, "hightech": 0.15, "patents": 0.10, "growth": 0.10, "closeness": 0.05}
STRONG_LQ = 1.25
STRONG_FLOOR = 5
TARGET_FIELDS = 12
PER_FIELD = 5
_PROVINCE = "33"   # 浙江: the province of the shipped dataset's city; closeness reads division codes against it


def firm_targets(store: Store, district: str, *, preset_code: str = DEFAULT_PRESET, level: Level = "l2",
                 lang: str = "zh", limit: int = 50, patents: dict[str, int] | None = None,
                 targets: dict[str, Any] | None = None, per_field: int = PER_FIELD) -> dict[str, Any]:
    """Firms outside ``district`` to approach, best first, with their score's parts and why; at most
    ``per_field`` of one field in the list (0: no cap), so that one big field does not hide the others."""
    t = targets or field_targets(store, district, preset_code=preset_code, level=level, lang=lang,
                                 limit=TARGET_FIELDS)
    fit: dict[str, tuple[float, str]] = {}
    listed = t["targets"][:TARGET_FIELDS]
    for i, row in enumerate(listed):
        share = i / max(len(listed) - 1, 1)
        fit[row["field"]] = (1.0 - 0.5 * share, "target")
    for row in t["present"]:
        if row["rca"] >= STRONG_LQ and row["firms"] >= STRONG_FLOOR and row["field"] not in fit:
            fit[row["field"]] = (0.5, "strong")
    if not fit:
        return {"district": district, "weights": WEIGHTS, "firms": [], "rule": _rule(lang), "fields": []}
    codes = list(fit)
    rows = store.fetchall(
        f"SELECT e.uscc, e.name, e.field_{level}, e.capital_wan_cny, e.hightech, e.map_unit_2019, e.division_code,"
        " e.registered_on, first.capital_first FROM enterprise e"
        " LEFT JOIN (SELECT r.uscc, arg_min(r.capital_wan_cny, r.batch_id) AS capital_first FROM enterprise_record r"
        "            WHERE r.capital_wan_cny IS NOT NULL GROUP BY r.uscc) first USING (uscc)"
        f" WHERE e.field_{level} IN (SELECT unnest(?::VARCHAR[])) AND e.map_unit_2019 IS DISTINCT FROM ?",
        [codes, district])
    if not rows:
        return {"district": district, "weights": WEIGHTS, "firms": [], "rule": _rule(lang), "fields": codes}
    caps = np.array([r[3] if r[3] is not None else np.nan for r in rows], dtype=np.float64)
    known = np.sort(caps[~np.isnan(caps)])
    pats = patents or {}
    out = []
    for r, cap in zip(rows, caps, strict=True):
        uscc, name, f, _, hightech, unit, division, registered, first = r
        size = float(np.searchsorted(known, cap, side="right") / len(known)) if not np.isnan(cap) and len(known) else 0.0
        n_pat = int(pats.get(uscc, 0))
        growth = (min(1.0, max(0.0, math.log2(float(cap) / float(first))))
                  if first and not np.isnan(cap) and first > 0 else 0.0)
        close = 1.0 if unit else (0.6 if str(division or "").startswith(_PROVINCE) else 0.3)
        parts = {"fit": fit[f][0], "size": round(size, 3), "hightech": 1.0 if hightech else 0.0,
                 "patents": round(min(1.0, math.log1p(n_pat) / math.log(11)), 3), "growth": round(growth, 3),
                 "closeness": close}
        score = sum(WEIGHTS[k] * v for k, v in parts.items())
        out.append({"uscc": uscc, "name": name, "field": f, "field_name": _field_name(f, lang), "kind": fit[f][1],
                    "capital_wan_cny": None if np.isnan(cap) else float(cap), "hightech": bool(hightech),
                    "unit": unit, "division_code": division,
                    "registered_on": registered.isoformat() if registered else None, "patents": n_pat,
                    "parts": parts, "score": round(score, 4), "capital_first": first})
    out.sort(key=lambda x: (-x["score"], x["uscc"]))
    if per_field:
        seen: dict[str, int] = {}
        capped = []
        for x in out:
            seen[x["field"]] = seen.get(x["field"], 0) + 1
            if seen[x["field"]] <= per_field:
                capped.append(x)
        out_listed = capped
    else:
        out_listed = out
    from industry_brain.geo import MAP_UNITS_2019

    names = {u.code: (u.name_zh if lang == "zh" else u.name_en) for u in MAP_UNITS_2019}
    for x in out_listed[:limit]:
        x["unit_name"] = names.get(x["unit"] or "", x["division_code"] or "")
        x["why"] = _why(x, lang)
    return {"district": district, "weights": WEIGHTS, "candidates": len(out), "firms": out_listed[:limit],
            "per_field": per_field,
            "fields": [{"field": c, "name": _field_name(c, lang), "fit": fit[c][0], "kind": fit[c][1]} for c in codes],
            "rule": _rule(lang)}


def _why(x: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    p = x["parts"]
    kind = ("本区应引进的领域" if x["kind"] == "target" else "本区优势领域（强链）") if zh else \
        ("a field the district should court" if x["kind"] == "target" else "a field the district is strong in")
    bits = [f"{x['field_name']}：{kind}（匹配 {p['fit']:.2f}）" if zh else f"{x['field_name']}: {kind} (fit {p['fit']:.2f})"]
    if x["capital_wan_cny"] is not None:
        bits.append(f"注册资本 {x['capital_wan_cny']:,.0f} 万元（候选中第 {p['size'] * 100:.0f} 百分位）" if zh else
                    f"registered capital {x['capital_wan_cny']:,.0f} 万元 (percentile {p['size'] * 100:.0f})")
    else:
        bits.append("注册资本未登记" if zh else "registered capital not stated")
    if x["hightech"]:
        bits.append("高新技术企业" if zh else "high-tech certified")
    if x["patents"]:
        bits.append(f"账本专利 {x['patents']} 件" if zh else f"{x['patents']} patents on the ledger")
    if p["growth"] > 0:
        bits.append(f"注册资本较首次登记增长（{x['capital_first']:,.0f} → {x['capital_wan_cny']:,.0f} 万元）" if zh else
                    f"capital grew since its first record ({x['capital_first']:,.0f} → {x['capital_wan_cny']:,.0f} 万元)")
    if x["unit"]:
        bits.append(f"位于本市{x['unit_name']}：市内迁移对全市是零和，宜引导设立分支或新项目" if zh else
                    f"in {x['unit_name']}, same city: a move within the city is zero-sum for it; court a branch or "
                    "a new project")
    else:
        bits.append(f"位于市外（区划 {x['division_code'] or '未知'}）" if zh else
                    f"outside the city (division {x['division_code'] or 'unknown'})")
    return "；".join(bits) if zh else "; ".join(bits)


def _rule(lang: str) -> list[str]:
    w = WEIGHTS
    if lang == "zh":
        return [f"候选：本区以外、技术领域为本区应引进领域（前 {TARGET_FIELDS} 个）或本区优势领域（区位商 ≥ {STRONG_LQ}、"
                f"≥ {STRONG_FLOOR} 家）的企业",
                f"得分 = {w['fit']}×领域匹配 + {w['size']}×规模 + {w['hightech']}×高新 + {w['patents']}×专利 + "
                f"{w['growth']}×成长 + {w['closeness']}×距离",
                "领域匹配：首位应引进领域 1，依次降至 0.5；优势领域 0.5。规模：注册资本在候选中的百分位。专利：min(1, ln(1+n)/ln 11)。"
                "成长：较首次登记的注册资本增长 min(1, log2(现/首))。距离：市内其他区县 1、省内 0.6、省外 0.3"]
    return [f"candidates: firms outside the district whose field is one it should court (top {TARGET_FIELDS}) or one it "
            f"is strong in (LQ ≥ {STRONG_LQ}, ≥ {STRONG_FLOOR} firms)",
            f"score = {w['fit']}×fit + {w['size']}×size + {w['hightech']}×high-tech + {w['patents']}×patents + "
            f"{w['growth']}×growth + {w['closeness']}×closeness",
            "fit: 1 for the first target field down to 0.5 for the last; 0.5 for a strong field. size: registered-capital "
            "percentile among candidates. patents: min(1, ln(1+n)/ln 11). growth: capital growth since the first record, "
            "min(1, log2(now/first)). closeness: another district of the city 1, the province 0.6, further 0.3"]
