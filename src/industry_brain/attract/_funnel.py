"""The pipeline's funnel: how many projects reached each stage, the conversion from one stage to the next, and
how long projects stay in each stage — all computed from the projects' histories (``project_event``).

Rules (shown with the figures):

- a project *reached* a stage when its history puts it at that stage or a later one at some time; a project
  entered at a later stage (a ledger row at 洽谈) counts as having passed the stages before it;
- *conversion* from a stage to the next = projects that reached the next ÷ projects that reached the stage;
- *days in a stage*: each completed stay, from the event that put the project there to the event that moved it
  on (forward, skip, back or an outcome); a stay still running is counted under *now at the stage*, not timed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime
from typing import Any

from industry_brain._core.store import Store
from industry_brain.accounts import Account, can
from industry_brain.attract._projects import district_name, district_of
from industry_brain.attract._stages import StageRules, stage_rules


def _rule_lines(lang: str) -> list[str]:
    if lang.startswith("en"):
        return [
            "reached: the project's history puts it at this stage or a later one at some time (a project entered "
            "at a later stage counts as having passed the earlier ones)",
            "conversion = projects that reached the next stage ÷ projects that reached this stage",
            "days in stage: completed stays only, from the event that put the project there to the event that moved "
            "it on; median and mean",
        ]
    return [
        "到达：历史记录中曾处于该阶段或之后的阶段（以较后阶段录入的项目视为已经过之前各阶段）",
        "转化率 = 到达下一阶段的项目数 ÷ 到达本阶段的项目数",
        "停留天数：只计已结束的停留，从进入该阶段的记录到离开该阶段的记录；给出中位数和平均数",
    ]


def funnel(store: Store, *, district: str | None = None, viewer: Account | None = None, lang: str = "zh",
           rules: StageRules | None = None) -> dict[str, Any]:
    """The funnel of the projects ``viewer`` may see (optionally of one district): per stage the projects that
    reached it, the conversion to the next stage, the projects there now, and the median and mean days of a stay;
    the outcomes with their counts; the rules of the computation."""
    rules = rules or stage_rules()
    code = district_of(district) if district else None
    if district and code is None:
        from industry_brain._core.errors import InputError

        raise InputError(f"district {district!r} is not a unit of the 2019 Hangzhou map", field="district",
                         value=district)
    rows = store.fetchall("SELECT project_id, district, stage FROM project" + (" WHERE district = ?" if code else ""),
                          [code] if code else None)
    visible = {int(r[0]): str(r[2]) for r in rows if viewer is None or can(viewer, "view_projects", unit=str(r[1]))}
    events = store.fetchall(
        "SELECT project_id, happened_at, kind, from_stage, to_stage FROM project_event WHERE kind IN ('created', 'moved')"
        " ORDER BY project_id, happened_at, event_id")
    order = {s.code: i for i, s in enumerate(rules.stages)}
    furthest: dict[int, int] = {}
    stays: dict[str, list[float]] = defaultdict(list)
    entered: dict[int, tuple[str, datetime]] = {}
    for pid, at, _kind, _frm, to in events:
        pid = int(pid)
        if pid not in visible:
            continue
        if pid in entered:
            stage, since = entered[pid]
            if stage in order:
                stays[stage].append((at - since).total_seconds() / 86400.0)
        if to is not None:
            entered[pid] = (str(to), at)
            if to in order:
                furthest[pid] = max(furthest.get(pid, -1), order[to])
    reached = [sum(1 for f in furthest.values() if f >= i) for i in range(len(rules.stages))]
    now_at: dict[str, int] = defaultdict(int)
    for stage in visible.values():
        now_at[stage] += 1
    out_stages = []
    for i, s in enumerate(rules.stages):
        days = stays.get(s.code, [])
        nxt = reached[i + 1] if i + 1 < len(rules.stages) else None
        out_stages.append({
            "code": s.code, "name": s.name(lang), "reached": reached[i], "now": now_at.get(s.code, 0),
            "conversion_to_next": (round(nxt / reached[i], 4) if nxt is not None and reached[i] else None),
            "next": rules.stages[i + 1].code if i + 1 < len(rules.stages) else None,
            "stays": len(days),
            "median_days": round(statistics.median(days), 1) if days else None,
            "mean_days": round(statistics.fmean(days), 1) if days else None,
        })
    first, last = reached[0], reached[-1]
    return {
        "district": code,
        "district_name": district_name(code, lang) if code else None,
        "projects": len(visible),
        "stages": out_stages,
        "outcomes": [{"code": o.code, "name": o.name(lang), "now": now_at.get(o.code, 0)} for o in rules.outcomes],
        "overall_conversion": round(last / first, 4) if first else None,
        "rules": _rule_lines(lang),
    }
