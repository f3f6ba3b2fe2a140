"""A small synthetic pipeline for the Hangzhou demo: a dozen projects across five districts, at every stage and
both outcomes, with histories over the past months so that the funnel has figures and some next actions are
overdue. Every project is flagged ``synthetic`` and named 「示例」; where the demo register has a firm of the
project's field outside the district, it is the target (so the pages link to its portrait)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from industry_brain._core.store import Store
from industry_brain.attract._projects import clean, insert_project, now, record_event
from industry_brain.attract._stages import stage_rules

ACTOR = "demo"

# name, district, field, (chain, segment), investment (万元), [(stage, days ago)], (outcome, days ago, reason),
# next action, its due date in days from today (negative: overdue)
_PROJECTS: list[tuple[Any, ...]] = [
    ("示例·视觉芯片研发中心", "330108", "102", ("ai", "chips"), 30000.0,
     [("lead", 200), ("visit", 185), ("negotiation", 150), ("policy", 120), ("signed", 90), ("registered", 70),
      ("construction", 40)], None, "核对厂房装修进度", 12),
    ("示例·工业机器人整机基地", "330110", "804", ("ai", "robots"), 85000.0,
     [("lead", 240), ("visit", 220), ("negotiation", 190), ("policy", 160), ("signed", 130), ("registered", 110),
      ("construction", 80), ("production", 10)], None, None, None),
    ("示例·细胞治疗中试平台", "QTXQ", "201", ("biotech", "cell"), 42000.0,
     [("lead", 150), ("visit", 140), ("negotiation", 110), ("policy", 75)], None, "提交人才政策兑现方案", -6),
    ("示例·区块链供应链金融总部", "330106", "101", ("blockchain", "finance"), 12000.0,
     [("lead", 130), ("visit", 118), ("negotiation", 95)], None, "第二轮洽谈（租金补贴）", 9),
    ("示例·增材制造材料产线", "330109", "804", ("additive", "materials"), 26000.0,
     [("lead", 170), ("visit", 150), ("negotiation", 120), ("policy", 100), ("signed", 64)], None,
     "催办工商注册材料", -3),
    ("示例·医疗影像AI公司迁入", "330108", "101", ("life_health", "data"), 8000.0,
     [("lead", 60), ("visit", 41)], None, "邀请企业实地考察园区", -12),
    ("示例·量子测量仪器项目", "330106", "803", ("quantum", "sensing"), 15000.0,
     [("lead", 35)], None, "首次走访", 5),
    ("示例·无人机研发制造基地", "330110", "805", ("aerospace", "rnd_manufacturing"), 60000.0,
     [("lead", 210), ("visit", 196), ("negotiation", 160), ("policy", 131), ("signed", 100), ("construction", 70)],
     None, "协调施工许可", -1),
    ("示例·生物药CDMO基地", "QTXQ", "201", ("life_health", "rnd_cro"), 120000.0,
     [("lead", 260), ("visit", 240), ("negotiation", 205), ("policy", 170), ("signed", 150), ("registered", 126),
      ("construction", 95)], None, "设备进场验收", 20),
    ("示例·虚拟现实内容工作室", "330106", "105", ("vr", "content"), 3000.0,
     [("lead", 120), ("visit", 104), ("negotiation", 80)], ("dropped", 50, "企业选址上海，终止跟进"), None, None),
    ("示例·体外诊断试剂生产线", "330109", "205", ("life_health", "devices"), 18000.0,
     [("lead", 140), ("visit", 121), ("negotiation", 100), ("policy", 82)], ("on_hold", 30, "企业融资未到位，暂缓"),
     "三个月后回访", 60),
    ("示例·智能网联测试场", "330110", "108", ("ai", "driving"), 50000.0,
     [("lead", 90), ("visit", 76), ("negotiation", 55)], None, "报送用地需求", -20),
]


def _targets(store: Store) -> dict[str, tuple[str, str]]:
    """Project name → a demo-register firm of the project's field outside its district, each firm courted by one
    project only: (uscc, name)."""
    rows = store.fetchall(
        "SELECT field_l2, map_unit_2019, uscc, name FROM enterprise WHERE synthetic AND field_l2 IS NOT NULL"
        " QUALIFY row_number() OVER (PARTITION BY field_l2 ORDER BY capital_wan DESC NULLS LAST, uscc) <= 20"
        " ORDER BY field_l2, capital_wan DESC NULLS LAST, uscc")
    out: dict[str, tuple[str, str]] = {}
    used: set[str] = set()
    for p in _PROJECTS:
        for fld, unit_code, uscc, name in rows:
            if fld == p[2] and unit_code != p[1] and str(uscc) not in used:
                out[p[0]] = (str(uscc), str(name))
                used.add(str(uscc))
                break
    return out


def load_demo_projects(store: Store) -> dict[str, Any]:
    """Fill the demo pipeline (left alone when synthetic projects exist): ``{"rows_loaded", "noop"}``."""
    row = store.fetchone("SELECT count(*) FROM project WHERE synthetic")
    if row is not None and int(row[0]) > 0:
        return {"rows_loaded": 0, "noop": True}
    rules = stage_rules()
    today = now().replace(hour=9, minute=0, second=0, microsecond=0)
    targets = _targets(store)
    with store.transaction():
        for name, district, fld, (chain, segment), wan, path, outcome, action, due in _PROJECTS:
            target = targets.get(name)
            values = {"name": name, "district": district, "owner": ACTOR,
                      "target_name": target[1] if target else name.removeprefix("示例·") + "（合成示例企业）",
                      "target_uscc": target[0] if target else None, "investment_wan": wan, "field_code": fld,
                      "chain_code": chain, "segment_code": segment, "next_action": action,
                      "next_action_on": (today + timedelta(days=due)).date() if due is not None else None,
                      "notes": "合成演示数据"}
            first_stage, first_ago = path[0]
            pid = insert_project(store, clean(values), first_stage, actor=ACTOR, at=today - timedelta(days=first_ago),
                                 synthetic=True)
            current = first_stage
            for stage, ago in path[1:]:
                at = today - timedelta(days=ago)
                kind = rules.check(current, stage, None).kind
                record_event(store, pid, at, ACTOR, "moved", move=kind, frm=current, to=stage)
                current = stage
            held = None
            since = today - timedelta(days=path[-1][1])
            if outcome is not None:
                code, ago, reason = outcome
                since = today - timedelta(days=ago)
                rules.check(current, code, reason)
                record_event(store, pid, since, ACTOR, "moved", move="outcome", frm=current, to=code, reason=reason)
                held, current = current, code
            store.execute("UPDATE project SET stage = ?, held_stage = ?, stage_since = ?, updated_at = ?"
                          " WHERE project_id = ?", [current, held, since, since, pid])
    return {"rows_loaded": len(_PROJECTS), "noop": False}
