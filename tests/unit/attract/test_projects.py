"""The project pipeline on a real DuckDB file: the stage rules (forward, named skips, back and outcomes with a
reason, resume, refusals that say what is allowed), a bureau's own stage file, projects with their history and
district permissions, the funnel against figures worked out by hand, the ledger import (title rows, quarantine,
re-import) and export round trip, and the demo pipeline."""

from __future__ import annotations

import contextlib
import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from industry_brain import attract
from industry_brain._core.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from industry_brain._core.i18n import use_lang
from industry_brain._core.store import Store, open_store
from industry_brain.accounts import Account
from industry_brain.attract._projects import clean
from industry_brain.registry import make_uscc

FIRM = make_uscc("9", "1", "330106", "DM000001")
XIHU_OFFICER = Account("xh", "district_officer", ("330106",))
ANALYST = Account("ana", "analyst")
T0 = datetime(2026, 1, 5, 9, 0)

PROJECT_NAMES = ("EDITABLE", "LEDGER_HEADERS", "LedgerImport", "Move", "Project", "Stage", "StageRules",
                 "add_project", "describe_project", "edit_project", "export_ledger", "funnel", "get_project",
                 "history", "import_ledger", "ledger_bytes", "ledger_problems", "ledger_rows", "list_projects",
                 "load_demo_projects", "move_project", "parse_stage_rules", "project_detail", "stage_rules")


@pytest.fixture
def store(ib_home: Path) -> Store:
    return open_store(ib_home / "ib.duckdb")


def _add(store: Store, name: str = "示例·芯片设计中心", district: str = "西湖区", **extra: object) -> attract.Project:
    return attract.add_project(store, {"name": name, "district": district, **extra}, actor="tester", at=T0)


def test_project_names_are_exported() -> None:
    for name in PROJECT_NAMES:
        assert name in attract.__all__ and hasattr(attract, name), name


# ------------------------------------------------------------------------------------------------- stage rules
def test_the_packaged_rules() -> None:
    rules = attract.stage_rules()
    assert [s.zh for s in rules.stages] == ["线索", "走访/接洽", "洽谈", "政策商议", "签约", "注册", "建设", "投产"]
    assert [o.zh for o in rules.outcomes] == ["终止", "搁置"]
    assert rules.check("lead", "visit", None).kind == "forward"
    assert rules.check("signed", "construction", None).kind == "skip"       # the configured skip
    assert rules.check("signed", "negotiation", "条件变化").kind == "back"
    assert rules.check("policy", "dropped", "企业另选址").kind == "outcome"
    assert rules.find("走访") is rules.find("visit") is rules.find("走访/接洽")
    assert [m.kind for m in rules.allowed("on_hold", "policy")] == ["resume"]
    assert rules.allowed("dropped", "policy") == []
    assert [m.to.code for m in rules.allowed("production")] == [s.code for s in reversed(rules.stages[:-1])]


def test_a_skip_not_configured_is_refused_naming_both_stages_and_what_is_allowed() -> None:
    rules = attract.stage_rules()
    with pytest.raises(ConflictError) as err:
        rules.check("signed", "production", None)
    msg = err.value.message
    assert "「签约」" in msg and "「投产」" in msg and "注册" in msg and "建设" in msg and "终止" in msg
    assert err.value.details["allowed"][:2] == ["registered", "construction"]
    with use_lang("en"), pytest.raises(ConflictError) as err_en:
        rules.check("signed", "production", None)
    assert "'Signed' → 'In production' is not allowed" in err_en.value.message
    assert "forward to 'Registered'" in err_en.value.message
    with pytest.raises(ConflictError, match="最终结果"):
        rules.check("dropped", "lead", "重启")
    with pytest.raises(ConflictError):
        rules.check("production", "dropped", "x")     # outcomes only from open stages


@pytest.mark.parametrize(("frm", "to"), [("signed", "negotiation"), ("policy", "dropped"), ("lead", "on_hold")])
def test_back_and_outcomes_need_a_reason(frm: str, to: str) -> None:
    with pytest.raises(InputError, match="原因") as err:
        attract.stage_rules().check(frm, to, "  ")
    assert err.value.details["field"] == "reason"


def test_a_bureaus_own_stage_file_replaces_the_default(ib_home: Path) -> None:
    (ib_home / "attract").mkdir(parents=True)
    (ib_home / "attract" / "stages.yaml").write_text(
        "stages:\n  - {code: lead, zh: 线索, en: Lead}\n  - {code: talk, zh: 洽谈, en: Talks}\n"
        "  - {code: deal, zh: 签约, en: Deal}\n  - {code: live, zh: 投产, en: Live}\n"
        "skips:\n  - {from: lead, to: deal, zh: 老客户续约, en: a returning client}\n"
        "outcomes:\n  - {code: dropped, zh: 终止, en: Dropped}\n", encoding="utf-8")
    rules = attract.stage_rules()
    assert rules.source.endswith("stages.yaml") and [s.code for s in rules.stages] == ["lead", "talk", "deal", "live"]
    assert rules.check("lead", "deal", None).kind == "skip"
    assert rules.find("搁置") is None
    (ib_home / "attract" / "stages.yaml").write_text(
        "stages:\n  - {code: a, zh: 甲, en: A}\n  - {code: b, zh: 乙, en: B}\nskips:\n  - {from: a, to: b, zh: x, en: x}\n",
        encoding="utf-8")
    with pytest.raises(InputError, match="must go forward over at least one stage"):
        attract.stage_rules()


@pytest.mark.parametrize("text", ["stages: 3", "stages:\n  - {code: a, zh: 甲}\n  - {code: b, zh: 乙, en: B}", "[: x"])
def test_a_broken_stage_file_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match=r"(stage configuration|阶段配置) bureau\.yaml"):
        attract.parse_stage_rules(text, "bureau.yaml")


# ---------------------------------------------------------------------------------------------------- projects
def test_a_project_moves_and_keeps_its_whole_history(store: Store) -> None:
    p = _add(store, investment_wan="1.2亿", field_code="10201", chain_code="ai", segment_code="chips",
             target_uscc=FIRM.lower(), next_action="首次走访", next_action_on="2026-02-01")
    assert (p.district, p.stage, p.investment_wan, p.target_uscc) == ("330106", "lead", 12000.0, FIRM)
    for i, to in enumerate(["走访", "洽谈", "政策商议", "签约"], start=1):
        attract.move_project(store, p.project_id, to, actor="tester", at=T0 + timedelta(days=10 * i))
    with pytest.raises(ConflictError, match="「签约」"):
        attract.move_project(store, p.project_id, "投产", actor="tester", at=T0 + timedelta(days=60))
    attract.move_project(store, p.project_id, "建设", actor="tester", at=T0 + timedelta(days=61))
    attract.edit_project(store, p.project_id, {"investment_wan": 15000, "notes": "追加投资"}, actor="boss",
                         reason="企业追加")
    events = attract.history(store, p.project_id)
    assert [(e["kind"], e["move"], e["from_stage"], e["to_stage"]) for e in events] == [
        ("created", None, None, "lead"), ("moved", "forward", "lead", "visit"),
        ("moved", "forward", "visit", "negotiation"), ("moved", "forward", "negotiation", "policy"),
        ("moved", "forward", "policy", "signed"), ("moved", "skip", "signed", "construction"),
        ("edited", None, None, None)]
    assert events[-1]["changes"] == {"investment_wan": [12000.0, 15000.0], "notes": [None, "追加投资"]}
    assert events[-1]["actor"] == "boss" and events[-1]["reason"] == "企业追加"
    detail = attract.project_detail(store, p.project_id, today=date(2026, 3, 1))
    assert detail["project"]["overdue"] is True     # 建设 is an open stage and 2026-02-01 has passed
    assert detail["project"]["chain_name"] == "人工智能 · 处理器与芯片"
    assert [m["to"] for m in detail["allowed_moves"]][:1] == ["production"]


def test_overdue_is_an_open_project_whose_next_action_date_has_passed(store: Store) -> None:
    late = _add(store, "示例·甲", next_action="报送方案", next_action_on="2026-02-01")
    due = _add(store, "示例·乙", next_action="回访", next_action_on="2026-03-01")
    held = _add(store, "示例·丙", next_action_on="2026-01-20")
    attract.move_project(store, held.project_id, "搁置", actor="t", reason="资金未到位", at=T0 + timedelta(days=1))
    found = attract.list_projects(store, overdue=True, today=date(2026, 2, 15))
    assert [p.project_id for p in found] == [late.project_id]
    shown = attract.describe_project(found[0], attract.stage_rules(), today=date(2026, 2, 15))
    assert shown["overdue"] and "2026-02-01" in shown["overdue_why"] and "14 天" in shown["overdue_why"]
    assert not attract.get_project(store, due.project_id).overdue(attract.stage_rules(), date(2026, 2, 15))


@pytest.mark.parametrize(("values", "field"), [
    ({"district": "月球区"}, "district"),
    ({"target_uscc": "91330106DM00000130"}, "target_uscc"),          # wrong check character
    ({"field_code": "10"}, "field_code"),                              # level 1 is not enough
    ({"investment_wan": "很多"}, "investment_wan"),
    ({"investment_wan": "100万美元"}, "investment_wan"),
    ({"chain_code": "ai", "segment_code": "moon"}, "segment_code"),
    ({"segment_code": "chips"}, "segment_code"),
    ({"next_action_on": "明天"}, "next_action_on"),
    ({"name": " "}, "name"),
])
def test_bad_values_are_refused_naming_the_field(store: Store, values: dict[str, str], field: str) -> None:
    with pytest.raises(InputError) as err:
        attract.add_project(store, {"name": "示例·项目", "district": "西湖区", **values}, actor="t")
    assert err.value.details["field"] == field
    assert store.fetchone("SELECT count(*) FROM project") == (0,)


def test_names_repeat_only_across_districts(store: Store) -> None:
    _add(store, "示例·同名项目", "西湖区")
    _add(store, "示例·同名项目", "滨江区")
    with pytest.raises(ConflictError, match="已有名为"):
        _add(store, "示例·同名项目", "西湖")


def test_a_district_officer_sees_and_edits_only_its_districts(store: Store) -> None:
    own = _add(store, "示例·西湖项目", "西湖区")
    other = _add(store, "示例·滨江项目", "滨江区")
    assert [p.project_id for p in attract.list_projects(store, viewer=XIHU_OFFICER)] == [own.project_id]
    assert len(attract.list_projects(store, viewer=ANALYST)) == 2
    with pytest.raises(PermissionDeniedError):
        attract.get_project(store, other.project_id, viewer=XIHU_OFFICER)
    with pytest.raises(PermissionDeniedError):
        attract.move_project(store, other.project_id, "visit", actor="xh", viewer=XIHU_OFFICER)
    with pytest.raises(PermissionDeniedError):
        attract.add_project(store, {"name": "示例·越界", "district": "滨江区"}, actor="xh", viewer=XIHU_OFFICER)
    with pytest.raises(PermissionDeniedError):
        attract.edit_project(store, own.project_id, {"district": "滨江区"}, actor="xh", viewer=XIHU_OFFICER)
    with pytest.raises(PermissionDeniedError):
        attract.move_project(store, own.project_id, "visit", actor="ana", viewer=ANALYST)
    assert attract.move_project(store, own.project_id, "visit", actor="xh", viewer=XIHU_OFFICER).stage == "visit"
    assert attract.funnel(store, viewer=XIHU_OFFICER)["projects"] == 1
    with pytest.raises(NotFoundError):
        attract.get_project(store, 999)


# ------------------------------------------------------------------------------------------------------ funnel
def test_the_funnel_against_hand_worked_figures(store: Store) -> None:
    # A: lead 0 → visit 10 → negotiation 30 (stays 10, 20); B: lead 0 → visit 4 → dropped 10 (stays 4, 6);
    # C: entered at negotiation (counts as having passed lead and visit), still there.
    a = _add(store, "示例·A")
    attract.move_project(store, a.project_id, "visit", actor="t", at=T0 + timedelta(days=10))
    attract.move_project(store, a.project_id, "negotiation", actor="t", at=T0 + timedelta(days=30))
    b = _add(store, "示例·B", "滨江区")
    attract.move_project(store, b.project_id, "visit", actor="t", at=T0 + timedelta(days=4))
    attract.move_project(store, b.project_id, "dropped", actor="t", reason="外迁", at=T0 + timedelta(days=10))
    attract.add_project(store, {"name": "示例·C", "district": "西湖区"}, actor="t", stage="洽谈", at=T0)
    f = attract.funnel(store)
    by = {s["code"]: s for s in f["stages"]}
    assert [by[c]["reached"] for c in ("lead", "visit", "negotiation", "policy")] == [3, 3, 2, 0]
    assert by["lead"]["conversion_to_next"] == 1.0 and by["visit"]["conversion_to_next"] == round(2 / 3, 4)
    assert by["negotiation"]["conversion_to_next"] == 0.0 and by["policy"]["conversion_to_next"] is None
    assert (by["lead"]["stays"], by["lead"]["median_days"], by["lead"]["mean_days"]) == (2, 7.0, 7.0)
    assert (by["visit"]["stays"], by["visit"]["median_days"], by["visit"]["mean_days"]) == (2, 13.0, 13.0)
    assert by["negotiation"]["now"] == 2 and by["negotiation"]["stays"] == 0
    assert {o["code"]: o["now"] for o in f["outcomes"]} == {"dropped": 1, "on_hold": 0}
    assert f["overall_conversion"] == 0.0 and any("÷" in line for line in f["rules"])
    assert attract.funnel(store, district="滨江区")["projects"] == 1


# ------------------------------------------------------------------------------------------------------ ledger
def write_ledger(path: Path, rows: list[list[object]], *, title: bool = True) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    if title:
        ws.append(["2026年西湖区招商项目台账（示例）"])
        ws.append(["填报单位：西湖区投资促进局"])
    ws.append(["序号", "项目名称", "所属区县", "目标企业", "统一社会信用代码", "计划投资额（万元）", "所属领域", "当前阶段",
               "负责人", "下一步工作", "计划完成时间", "备注"])
    for i, r in enumerate(rows, start=1):
        ws.append([i, *r])
    wb.save(path)
    return path


GOOD = [
    ["示例·视觉芯片项目", "西湖区", "示例芯片有限公司", FIRM, "3亿", "102", "洽谈", "xh", "第二轮洽谈", "2026-02-10", ""],
    ["示例·数据中心项目", "西湖", "示例数据有限公司", "", 8000, "软件", "线索", "xh", "", "", "招商会线索"],
]
BAD = [
    ["", "西湖区", "无名", "", "", "", "线索", "", "", "", ""],                                     # name missing
    ["示例·火星项目", "火星区", "", "", "", "", "线索", "", "", "", ""],                             # district unknown
    ["示例·阶段不明", "西湖区", "", "", "", "", "快签了", "", "", "", ""],                           # stage unknown
    ["示例·视觉芯片项目", "西湖区", "", "", "", "", "洽谈", "", "", "", ""],                         # repeats row 4
    ["示例·警告项目", "西湖区", "", "91330106DM00000130", "很多", "火星学", "走访", "", "", "下周", ""],  # warnings
]


def test_import_quarantines_bad_rows_loads_the_rest_and_reimport_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "台账.xlsx", GOOD + BAD)
    res = attract.import_ledger(store, path, actor="tester")
    assert res.header_row == 3 and res.rows_read == 7
    assert (res.created, res.changed, res.unchanged, res.quarantined, res.warnings) == (3, 0, 0, 4, 4)
    assert sorted((p["source_row"], p["field"], p["code"]) for p in res.problems) == [
        (6, "name", "name_missing"), (7, "district", "district_unknown"), (8, "stage", "stage_invalid"),
        (9, "name", "name_duplicate"), (10, "field_code", "field_unknown"),
        (10, "investment_wan", "investment_invalid"), (10, "next_action_on", "date_invalid"),
        (10, "target_uscc", "uscc_invalid")]
    assert "火星区" in next(p["message_zh"] for p in res.problems if p["code"] == "district_unknown")
    chip = next(p for p in attract.list_projects(store) if p.name == "示例·视觉芯片项目")
    assert (chip.stage, chip.investment_wan, chip.field_code, chip.target_uscc, chip.owner) == (
        "negotiation", 30000.0, "102", FIRM, "xh")
    warned = next(p for p in attract.list_projects(store) if p.name == "示例·警告项目")
    assert (warned.stage, warned.target_uscc, warned.investment_wan, warned.field_code) == ("visit", None, None, None)
    assert len(attract.ledger_problems(store, res.batch_id or 0)) == 8
    before = store.fetchall("SELECT * FROM project ORDER BY project_id")
    events = store.fetchone("SELECT count(*) FROM project_event")
    again = attract.import_ledger(store, path, actor="tester")
    assert again.noop and again.batch_id == res.batch_id
    assert store.fetchall("SELECT * FROM project ORDER BY project_id") == before
    assert store.fetchone("SELECT count(*) FROM project_event") == events


def test_a_corrected_ledger_updates_by_the_rules(store: Store, tmp_path: Path) -> None:
    attract.import_ledger(store, write_ledger(tmp_path / "v1.xlsx", GOOD), actor="t")
    v2 = [list(GOOD[0]), list(GOOD[1])]
    v2[0][6], v2[0][8] = "政策商议", "兑现人才政策"      # one stage forward, a new next action
    v2[1][6] = "签约"                                  # 线索 → 签约 is not allowed: quarantined, untouched
    res = attract.import_ledger(store, write_ledger(tmp_path / "v2.xlsx", v2), actor="t")
    assert (res.created, res.changed, res.quarantined) == (0, 1, 1)
    refused = next(p for p in res.problems if p["code"] == "stage_refused")
    assert refused["source_row"] == 5 and "「线索」" in refused["message_zh"] and "「签约」" in refused["message_zh"]
    chip = next(p for p in attract.list_projects(store) if p.name == "示例·视觉芯片项目")
    assert chip.stage == "policy" and chip.next_action == "兑现人才政策"
    kinds = [(e["kind"], e["batch_id"]) for e in attract.history(store, chip.project_id)]
    assert kinds == [("created", 1), ("edited", 2), ("moved", 2)]


def test_an_analyst_cannot_import_and_an_officer_only_its_districts(store: Store, tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "t.xlsx", [*GOOD, ["示例·滨江项目", "滨江区", "", "", "", "", "线索", "", "", "", ""]])
    with pytest.raises(PermissionDeniedError):
        attract.import_ledger(store, path, actor="ana", viewer=ANALYST)
    res = attract.import_ledger(store, path, actor="xh", viewer=XIHU_OFFICER)
    assert res.created == 2 and [(p["source_row"], p["code"]) for p in res.problems] == [(6, "district_not_allowed")]


def test_export_round_trip(store: Store, tmp_path: Path, ib_home: Path) -> None:
    attract.import_ledger(store, write_ledger(tmp_path / "v1.xlsx", GOOD), actor="t")
    first = attract.list_projects(store)[0]
    attract.edit_project(store, first.project_id, {"chain_code": "ai", "segment_code": "chips",
                                                   "notes": "=HYPERLINK(\"x\")"}, actor="t")
    assert attract.export_ledger(store, tmp_path / "out.xlsx") == 2
    assert attract.export_ledger(store, tmp_path / "out.csv") == 2
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [attract.LEDGER_HEADERS[k][0] for k in ("name", "district", "target_name", "target_uscc",
                       "investment_wan", "field_code", "chain_code", "segment_code", "stage", "owner", "next_action",
                       "next_action_on", "notes")]
    assert "'=HYPERLINK(\"x\")" in rows[1] + rows[2]             # text that would be a formula stays text
    for name in ("out.xlsx", "out.csv"):
        other = open_store(tmp_path / f"fresh-{name}.duckdb")
        res = attract.import_ledger(other, tmp_path / name, actor="t")
        assert (res.created, res.quarantined, res.warnings) == (2, 0, 0), res.problems

        def key(s: Store) -> list[tuple[object, ...]]:
            return s.fetchall("SELECT name, district, target_name, target_uscc, investment_wan, field_code, chain_code,"
                              " segment_code, stage, owner, next_action, next_action_on, notes FROM project ORDER BY name")

        assert key(other) == key(store)
        other.close()
    with pytest.raises(InputError, match=r"expected \.xlsx or \.csv"):
        attract.export_ledger(store, tmp_path / "out.pdf")


def test_a_file_without_the_header_is_refused(store: Store, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["名称", "金额"])
    ws.append(["甲", 1])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="no header row with 项目名称、所属区县"):
        attract.import_ledger(store, tmp_path / "x.xlsx", actor="t")


# -------------------------------------------------------------------------------------------------------- demo
def test_the_demo_pipeline(store: Store) -> None:
    assert attract.load_demo_projects(store) == {"rows_loaded": 12, "noop": False}
    assert attract.load_demo_projects(store) == {"rows_loaded": 0, "noop": True}
    found = attract.list_projects(store)
    assert len(found) == 12 and all(p.synthetic and p.name.startswith("示例") for p in found)
    assert len({p.district for p in found}) == 5
    assert {p.stage for p in found} >= {"lead", "visit", "negotiation", "policy", "signed", "construction",
                                        "production", "dropped", "on_hold"}
    assert len(attract.list_projects(store, overdue=True)) >= 4
    f = attract.funnel(store)
    assert f["stages"][0]["reached"] == 12 and all(s["median_days"] for s in f["stages"][:7])
    skip = [e for p in found for e in attract.history(store, p.project_id) if e["move"] == "skip"]
    assert len(skip) == 1 and (skip[0]["from_stage"], skip[0]["to_stage"]) == ("signed", "construction")



# ---------------------------------------------------------------------------------------------- properties
_YAMLISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=8),
              st.sampled_from(["lead", "visit", "stages", "skips", "outcomes", "from", "to", "code", "zh", "en"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(["stages", "skips", "outcomes", "code", "zh", "en", "from",
                                                             "to", "resumable", "back_requires_reason"]), inner,
                                            max_size=5)),
    max_leaves=25)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200), _YAMLISH.map(lambda d: yaml.safe_dump(d, allow_unicode=True))))
def test_any_stage_file_raises_only_input_errors(text: str) -> None:
    with contextlib.suppress(InputError):
        rules = attract.parse_stage_rules(text, "bureau.yaml")
        assert len(rules.stages) >= 2


_CELL = st.one_of(st.text(max_size=30), st.sampled_from(["西湖区", "1.2亿", "5,000万元", "102", "10201", "ai", "chips",
                                                         "2026-02-30", "２０２６年１月２日", FIRM, FIRM[:-1] + "0"]))


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({k: _CELL for k in ("name", "district", "target_uscc", "investment_wan", "field_code",
                                                  "chain_code", "segment_code", "next_action_on")}))
def test_any_form_values_are_cleaned_or_refused_with_an_input_error(values: dict[str, str]) -> None:
    try:
        out = clean(values)
    except InputError as exc:
        assert exc.details.get("field") in attract.EDITABLE
        return
    assert out["district"] and out["name"] == out["name"].strip()
