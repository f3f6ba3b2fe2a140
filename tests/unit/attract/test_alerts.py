"""Watch lists and alerts on a real in-memory DuckDB store, with the register filled by the real import: the rules
of each alert kind, the certificate window, the branch search, idempotence, the JSON Feed, the watch-list import
and its quarantine, and that a failing computation never fails an import."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import industry_brain.attract as attract
from industry_brain._core.errors import IndustryBrainError, InputError, NotFoundError
from industry_brain._core.store import Store, open_store
from industry_brain.attract import (
    add_to_watch,
    alert_feed,
    alerts_after_import,
    compute_alerts,
    import_watch,
    list_alerts,
    mark_read,
    version_pair,
    watch_kind,
    watch_list,
)
from industry_brain.attract._alert_kinds import items_text, scope_diff, scope_items
from industry_brain.registry import import_file, make_uscc

XIHU = "330106"
HEADER = ["企业名称", "统一社会信用代码", "注册地址", "经营范围", "注册资本", "认定年份", "证书编号"]
ALERT_NAMES = {
    "ALERT_KINDS", "Alert", "AlertRun", "DEFAULT_MONTHS", "SEVERITY", "WATCH_KINDS", "WatchImport", "WatchItem",
    "add_anchors", "add_to_watch", "alert_feed", "alert_runs", "alerts_after_import", "anchor_candidates",
    "compute_alerts", "count_alerts", "district_of", "find_alerts", "get_alert", "get_watch_item", "import_watch",
    "list_alerts", "load_demo_watch", "mark_read", "remove_from_watch", "version_pair", "watch_kind", "watch_list",
    "watch_problems",
}


def code(n: int, division: str = XIHU) -> str:
    return str(make_uscc("9", "1", division, f"UT{n:06d}"))


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def store() -> Store:
    return open_store(":memory:")


def load(store: Store, path: Path, source: str = "名单") -> int:
    return int(import_file(path, store=store, source=source, classify=False).batch_id)


def test_the_alerts_names_are_public() -> None:
    assert set(attract.__all__) >= ALERT_NAMES
    assert all(hasattr(attract, n) for n in ALERT_NAMES)
    assert attract.ALERT_KINDS == ("moved_out", "deregistered", "removed_from_list", "capital_reduced", "renamed",
                                   "scope_changed", "cert_expiring", "branch_elsewhere")


def test_scope_items_and_diff() -> None:
    assert scope_items("软件开发；技术服务，技术咨询、软件开发。") == ["软件开发", "技术服务", "技术咨询"]
    diff = scope_diff("软件开发；技术服务", "软件开发；数据处理；云计算")
    assert diff == {"added": ["数据处理", "云计算"], "removed": ["技术服务"], "added_total": 2, "removed_total": 1}
    many = scope_diff("", "；".join(f"项目{i}" for i in range(8)), most=3)
    assert items_text(many["added"], many["added_total"], "zh") == "项目0、项目1、项目2 等 8 项"
    assert items_text(many["added"], many["added_total"], "en") == "项目0; 项目1; 项目2 and 5 more"
    assert items_text([], 0, "zh") == "无"


@given(st.text(max_size=40), st.text(max_size=40))
def test_scope_diff_is_consistent(before: str, after: str) -> None:
    diff = scope_diff(before, after, most=100)
    assert set(diff["added"]) == set(scope_items(after)) - set(scope_items(before))
    assert set(diff["removed"]) == set(scope_items(before)) - set(scope_items(after))


@given(st.text(max_size=30))
def test_watch_kind_never_raises(text: str) -> None:
    assert watch_kind(text) in (None, "target", "anchor")


def test_watch_kind_words() -> None:
    assert [watch_kind(w) for w in ("招商标的", "龙头企业", " Anchor ", "链主", "合作伙伴")] == [
        "target", "anchor", "anchor", "anchor", None]


def test_adding_checks_its_input(store: Store) -> None:
    with pytest.raises(InputError, match=r"unknown district '火星区'"):
        add_to_watch(store, "火星区", code(1), "target")
    with pytest.raises(InputError, match=r"malformed credit code '123'"):
        add_to_watch(store, XIHU, "123", "target")
    with pytest.raises(InputError, match=r"unknown watch kind 'friend'"):
        add_to_watch(store, XIHU, code(1), "friend")
    item = add_to_watch(store, "西湖", code(1).lower(), "标的", "first", by="u1")
    assert (item.district, item.uscc, item.kind, item.note, item.in_register) == (XIHU, code(1), "target", "first", False)
    again = add_to_watch(store, XIHU, code(1), "anchor")
    assert (again.kind, again.note) == ("anchor", "first")   # a second add changes the kind, keeps the note
    assert len(watch_list(store)) == 1
    with pytest.raises(NotFoundError):
        attract.remove_from_watch(store, XIHU, code(2))


def test_status_columns_and_severities(store: Store, tmp_path: Path) -> None:
    header = [*HEADER, "经营状态"]
    west = "浙江省杭州市西湖区文三路{}号"
    v1 = [["杭州一号科技有限公司", code(1), west.format(1), "软件开发", "1000", "2020", "GR202033000001", "存续"],
          ["杭州二号科技有限公司", code(2), west.format(2), "软件开发", "1000", "2020", "GR202033000002", "在业"],
          ["杭州三号科技有限公司", code(3), west.format(3), "软件开发", "1000", "2020", "GR202033000003", "在业"],
          ["杭州四号科技有限公司", code(4), west.format(4), "软件开发", "1000", "2020", "GR202033000004", "在业"]]
    v2 = [["杭州一号科技有限公司", code(1), west.format(1), "软件开发", "1000", "2020", "GR202033000001", "吊销，未注销"],
          ["杭州二号科技有限公司", code(2), west.format(2), "软件开发", "1000", "2020", "GR202033000002", "迁出"],
          ["杭州三号科技有限公司", code(3), west.format(3), "软件开发", "800", "2020", "GR202033000003", "在业"],
          ["杭州四号科技有限公司", code(4), "上海市浦东新区张江路4号", "软件开发", "1000", "2020", "GR202033000004", "在业"]]
    load(store, write(tmp_path / "v1.csv", v1, header))
    for n in (1, 2, 3, 4):
        add_to_watch(store, XIHU, code(n), "anchor")
    load(store, write(tmp_path / "v2.csv", v2, header))
    run = compute_alerts(store, as_of=date(2021, 1, 1))
    assert (run.batch_after, run.batch_before, run.alerts_added) == (2, 1, 4)
    got = {(a.kind, a.uscc): a for a in list_alerts(store)}
    assert set(got) == {("deregistered", code(1)), ("moved_out", code(2)), ("capital_reduced", code(3)),
                        ("moved_out", code(4))}
    away = got["moved_out", code(4)]   # out of the city: no map unit, the division says where
    assert away.detail == {"field": "division_code", "before": XIHU, "after": "310115"}
    assert "上海市浦东新区" in away.message_zh and "Xihu" in away.message_en
    assert got["deregistered", code(1)].detail == {"field": "status", "before": "存续", "after": "吊销，未注销"}
    assert got["moved_out", code(2)].severity == "high" and "迁出" in got["moved_out", code(2)].message_zh
    cut = got["capital_reduced", code(3)]
    assert cut.severity == "medium" and cut.detail["percent"] == 20.0    # below 50 %: medium
    assert compute_alerts(store, 2, as_of=date(2021, 1, 1)).alerts_added == 0


def test_first_version_and_the_certificate_window(store: Store, tmp_path: Path) -> None:
    rows = [["杭州证书科技有限公司", code(7), "浙江省杭州市西湖区文三路7号", "软件开发", "100", "", "GR201833000007"]]
    path = write(tmp_path / "v1.csv", rows)
    add_to_watch(store, XIHU, code(7), "target")
    batch = load(store, path)
    assert version_pair(store) == (batch, None, "名单")
    # the year is read from the certificate number when the list has no 认定年份: GR2018… lapses on 31 Dec 2021
    assert compute_alerts(store, as_of=date(2021, 6, 30), months=6).alerts_added == 0   # one day too early
    run = compute_alerts(store, as_of=date(2021, 7, 1), months=6)
    assert run.by_kind == {"cert_expiring": 1} and run.batch_before is None
    alert = list_alerts(store)[0]
    assert alert.detail["lapses_on"] == "2021-12-31" and alert.batch_before is None and alert.row_after == 2
    assert compute_alerts(store, as_of=date(2021, 12, 31), months=1).alerts_added == 0  # warned once per certificate
    with pytest.raises(InputError, match="months 0"):
        compute_alerts(store, months=0)
    with pytest.raises(NotFoundError, match="no import batch 9"):
        compute_alerts(store, 9)


def test_branches_by_name_and_by_trade_name(store: Store, tmp_path: Path) -> None:
    v1 = [["杭州融达科技有限公司", code(1), "浙江省杭州市西湖区文三路1号", "软件开发", "100", "2020", ""]]
    v2 = [*v1,
          ["杭州融达科技有限公司上海分公司", code(2, "310115"), "上海市浦东新区张江路1号", "软件开发", "", "", ""],
          ["融达科技北京办事处", code(3, "110108"), "北京市海淀区中关村大街1号", "软件开发", "", "", ""],
          ["杭州融达科技有限公司滨江分公司", code(4, "330108"), "浙江省杭州市滨江区江南大道1号", "软件开发", "", "", ""],
          ["杭州融达科技有限公司南京研究院", code(5, "320106"), "江苏省南京市鼓楼区中山路1号", "软件开发", "", "", ""]]
    load(store, write(tmp_path / "v1.csv", v1))
    add_to_watch(store, XIHU, code(1), "anchor")
    load(store, write(tmp_path / "v2.csv", v2))
    compute_alerts(store, as_of=date(2021, 1, 1))
    found = {a.detail["branch_uscc"]: a for a in list_alerts(store, kind="branch_elsewhere")}
    # Shanghai (by the full name) and Beijing (by the name without place and legal form); not Hangzhou, and not a
    # record without a branch word
    assert set(found) == {code(2, "310115"), code(3, "110108")}
    assert "北京市海淀区" in found[code(3, "110108")].message_zh
    assert found[code(2, "310115")].row_after == 3 and found[code(2, "310115")].batch_before is None
    # a third version keeps the branches: they are not new, nothing more is raised
    load(store, write(tmp_path / "v3.csv", [*v2, ["杭州其他科技有限公司", code(9), "浙江省杭州市西湖区文三路9号",
                                                   "软件开发", "100", "", ""]]))
    assert compute_alerts(store, as_of=date(2021, 1, 1)).alerts_found == 0


def test_reading_and_the_feed(store: Store, tmp_path: Path) -> None:
    rows = [["杭州读取科技有限公司", code(1), "浙江省杭州市西湖区文三路1号", "软件开发", "100", "2018", "GR201833000001"]]
    add_to_watch(store, XIHU, code(1), "target")
    load(store, write(tmp_path / "v1.csv", rows))
    compute_alerts(store, as_of=date(2021, 9, 1))
    alert = list_alerts(store)[0]
    assert not alert.read and list_alerts(store, unread=True) == [alert]
    marked = mark_read(store, int(alert.alert_id or 0), by="u1")
    assert marked.read and marked.read_by == "u1" and list_alerts(store, unread=True) == []
    assert not mark_read(store, int(alert.alert_id or 0), read=False).read
    feed = alert_feed(list_alerts(store), base_url="http://x.test/", lang="en")
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "http://x.test/api/v1/attract/alerts/feed.json"
    (item,) = feed["items"]
    assert item["title"] == "杭州读取科技有限公司: certificate expiring"
    assert item["tags"] == ["cert_expiring", "medium", XIHU, "target"]
    assert item["date_published"].endswith("+00:00") and item["content_text"].startswith("high-tech certificate")
    with pytest.raises(InputError, match="unknown alert kind"):
        list_alerts(store, kind="nope")


def test_a_failing_computation_never_fails_the_import(store: Store, tmp_path: Path) -> None:
    assert alerts_after_import(store, 1) == {"computed": False, "run": None, "error": None}   # no watch list
    add_to_watch(store, XIHU, code(1), "target")
    res = alerts_after_import(store, 42)
    assert res["computed"] is False and "no import batch 42" in str(res["error"])
    batch = load(store, write(tmp_path / "v1.csv", [["杭州甲科技有限公司", code(1), "西湖区", "软件", "1", "", ""]]))
    assert alerts_after_import(store, batch)["computed"] is True


def test_watch_list_import(store: Store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["企业名称", "统一社会信用代码", "类型", "备注"])
    ws.append(["杭州甲科技有限公司", code(1), "龙头企业", "纳税大户"])
    ws.append(["杭州乙科技有限公司", code(2), "", ""])
    ws.append(["没有代码", "", "招商标的", ""])
    ws.append(["杭州丙科技有限公司", code(3), "合作伙伴", ""])
    path = tmp_path / "关注清单.xlsx"
    wb.save(path)
    res = import_watch(store, "西湖区", path, by="u1")
    assert (res.rows_read, res.rows_loaded, res.rows_quarantined) == (4, 2, 2)
    assert [(p["source_row"], p["field"], p["code"]) for p in res.problems] == [
        (4, "uscc", "uscc_missing"), (5, "kind", "kind_unknown")]
    assert {(w.uscc, w.kind, w.name) for w in watch_list(store, XIHU)} == {
        (code(1), "anchor", "杭州甲科技有限公司"), (code(2), "target", "杭州乙科技有限公司")}
    assert len(attract.watch_problems(store, int(res.import_id or 0))) == 2
    assert import_watch(store, XIHU, path).noop is True
    no_code = write(tmp_path / "bad.csv", [["x"]], ["企业名称"])
    with pytest.raises(InputError, match="required column missing: 统一社会信用代码"):
        import_watch(store, XIHU, no_code)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_a_watch_list_file_raises_only_domain_errors(tmp_path: Path, data: bytes) -> None:
    store = open_store(":memory:")
    path = tmp_path / "清单.csv"
    path.write_bytes("统一社会信用代码,类型\n".encode() + data)
    try:
        res = import_watch(store, XIHU, path)
    except IndustryBrainError:
        return
    assert res.rows_loaded + res.rows_quarantined <= res.rows_read
