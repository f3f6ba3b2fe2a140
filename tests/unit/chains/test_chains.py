"""The chains context: templates as data (checked, YAML and XLSX round trips), placement by the rule it documents,
gap verdicts that follow the register, and the peer-city comparisons read as printed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import industry_brain.chains as chains_api
from industry_brain._core import InputError, open_store
from industry_brain._core.store import Store
from industry_brain.chains import (
    Placer,
    Record,
    add_peer_figure,
    benchmark,
    chain,
    chains,
    export_templates,
    gaps,
    hangzhou_value,
    parse_template,
    read_comparison,
    read_templates,
)
from industry_brain.registry import import_file, make_uscc

SEED = Path(__file__).resolve().parents[4] / "shared" / "seed" / "000_934fe733c4218240.txt"


def test_all_is_pinned() -> None:
    assert chains_api.__all__ == sorted(chains_api.__all__, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    for name in chains_api.__all__:
        assert hasattr(chains_api, name), name


def test_every_template_loads_and_every_cited_sentence_is_in_the_seed() -> None:
    codes = [c.code for c in chains()]
    assert codes == ["ai", "vr", "blockchain", "quantum", "additive", "aerospace", "biotech", "life_health"]
    if not SEED.exists():
        pytest.skip(f"the seed text is not at {SEED} (it lives in ../shared); citations not checked")
    lines = SEED.read_text("utf-8").splitlines()
    for c in chains():
        for where, src in [(c.code, c.source), *((f"{c.code}:{s.code}", s.source) for s in c.segments)]:
            if src is None:
                continue
            window = "".join(lines[max(0, src.line - 4) : src.line + 14]).replace(" ", "")
            for piece in (p for p in src.quote.replace("…", "\n").splitlines() if len(p.strip()) >= 2):
                assert piece.strip().replace(" ", "") in window, (where, src.line, piece)


def test_a_bad_template_is_refused_naming_the_segment_and_field() -> None:
    data = chain("vr").to_yaml_data()
    data["segments"][1]["stage"] = "sideways"
    data["segments"][2]["fields"] = ["999"]
    del data["segments"][3]["keywords"]
    with pytest.raises(InputError) as got:
        parse_template(data, "vr.yaml")
    msg = got.value.message
    assert "segment 2 (software): stage 'sideways'" in msg and "'999' is not a code" in msg
    assert "segment 4 (content): keywords" in msg


def test_templates_round_trip_through_yaml_and_xlsx(tmp_path: Path) -> None:
    for name in ("t.yaml", "t.xlsx"):
        path = export_templates(tmp_path / name, chains())
        back = read_templates(path)
        assert [c.to_yaml_data() for c in back] == [c.to_yaml_data() for c in chains()], name


def test_a_broken_xlsx_template_names_sheet_row_and_field(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = export_templates(tmp_path / "t.xlsx", (chain("vr"),))
    wb = load_workbook(path)
    wb["环节"]["G3"] = "近眼显示:很多"          # a weight that is not a number, on the second segment row
    wb.save(path)
    with pytest.raises(InputError) as got:
        read_templates(path)
    assert "sheet 环节 row 3" in got.value.message and "phrase:weight" in got.value.message


@pytest.fixture(scope="module")
def placer() -> Placer:
    return Placer(chains())


@pytest.mark.parametrize(("name", "scope", "field", "expected"), [
    ("杭州同仁大药房有限公司", "零售：处方药与非处方药：中药材、中成药、中药饮片、化学药制剂、抗生素制剂、生化药品；零售：第二类医疗器械", None,
     {("life_health", "distribution")}),
    ("杭州某某贸易有限公司", "批发、零售：通信设备，日用百货，文化用品，家用电器，体育用品，电子产品，金属材料，建筑材料，医疗器械（限一类）", None, set()),
    ("杭州先临三维科技股份有限公司", "3D打印机、三维扫描仪的研发、生产；增材制造技术服务", "80406",
     {("additive", "equipment")}),
    ("杭州某食品有限公司", "零售：预包装食品；初级食用农产品（除药品）的销售", None, set()),
    ("杭州某生物科技有限公司", "服务：生物制品的技术开发、技术咨询；批发、零售：化妆品", "20", set()),
    ("杭州某量子科技有限公司", "量子通信设备、量子密钥分发系统的研发、生产", None, {("quantum", "communication")}),
])
def test_placement_follows_the_rule(placer: Placer, name: str, scope: str, field: str | None,
                                    expected: set[tuple[str, str]]) -> None:
    got = placer.place(Record("X", name, scope, field, ()))
    assert {(p.chain, p.segment) for p in got} == expected, [p.to_dict() for p in got]
    for p in got:
        assert p.phrases and 0 < p.confidence <= 1


def _register(store: Store, tmp_path: Path, rows: list[tuple[str, str, str]]) -> None:
    path = tmp_path / "名录.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["企业名称", "统一社会信用代码", "经营范围", "注册地址"])
        for i, (name, scope, address) in enumerate(rows):
            w.writerow([name, make_uscc("9", "1", "330108", f"MA{i:06d}"), scope, address])
    import_file(path, store=store)


VR_DEVICE = "虚拟现实设备、头戴显示设备的研发、生产"
VR_PART = "虚拟现实近眼显示模组、光学模组的研发、生产"


@pytest.mark.parametrize(("parts", "verdict"), [(0, "missing"), (2, "thin"), (6, "strong")])
def test_the_upstream_verdict_flips_with_the_register(tmp_path: Path, parts: int, verdict: str) -> None:
    store = open_store(tmp_path / "ib.duckdb")
    rows = [(f"杭州甲{i}虚拟现实科技有限公司", VR_DEVICE, "浙江省杭州市滨江区长河街道江南大道1号") for i in range(8)]
    rows += [(f"杭州乙{i}光电科技有限公司", VR_PART, "浙江省杭州市滨江区长河街道江南大道2号") for i in range(parts)]
    _register(store, tmp_path, rows)
    rep = gaps(store, chain("vr"))
    seg = {s["segment"]: s for s in rep["segments"]}
    assert seg["devices"]["firms"] == 8
    assert seg["components"]["firms"] == parts and seg["components"]["verdict"] == verdict, seg["components"]
    assert seg["components"]["why"] and rep["rule"]
    district = gaps(store, chain("vr"), "330108")
    assert {s["segment"]: s["firms"] for s in district["segments"]}["components"] == parts
    if parts == 0:   # the devices depend on suppliers outside the district (none in the city either)
        deps = {s["segment"]: s["depends"] for s in district["segments"]}["devices"]
        assert deps and deps[0]["side"] == "upstream" and deps[0]["outside"] == []
    store.close()


def test_placements_follow_a_new_register_version(tmp_path: Path) -> None:
    from industry_brain.chains import ensure_placements

    store = open_store(tmp_path / "ib.duckdb")
    _register(store, tmp_path, [("杭州甲虚拟现实科技有限公司", VR_DEVICE, "浙江省杭州市滨江区长河街道1号")])
    first = ensure_placements(store)
    assert ensure_placements(store)["run_id"] == first["run_id"]          # unchanged: not placed again
    (tmp_path / "v2").mkdir()
    _register(store, tmp_path / "v2", [("杭州甲虚拟现实科技有限公司", VR_DEVICE, "浙江省杭州市滨江区长河街道1号"),
                                       ("杭州乙光电科技有限公司", VR_PART, "浙江省杭州市滨江区长河街道2号")])
    second = ensure_placements(store)
    assert second["run_id"] > first["run_id"] and second["placements"] > first["placements"]
    store.close()


def test_printed_comparisons_become_intervals() -> None:
    assert hangzhou_value("300余家").text() == "[300, 400)" and hangzhou_value("三家").text() == "[3, 3]"
    q = "杭州市生命健康产业高新技术企业认定数量300余家，略低于苏州，不及北京的20%，上海的40%。"
    shanghai = read_comparison(q, "上海", "上海的40%")
    assert (shanghai.relation, shanghai.ratio) == ("不及", 0.4)          # 不及 carries over the list
    assert read_comparison(q, "苏州", "略低于苏州").relation == "略低于"
    rows = {s["indicator"]: {p["peer"]: p for p in s["peers"]} for s in benchmark()["statements"]}
    assert rows["high_tech_enterprises"]["beijing"]["interval"]["text"] == "(1500, ∞)"
    assert rows["high_tech_enterprises"]["suzhou"]["interval"]["text"] == "(300, 500]"
    assert rows["financing_events_2018"]["suzhou"]["interval"]["text"] == "[30, 38.89]"
    assert rows["carriers"]["beijing"]["bounds"] == "ratio"


def test_a_measured_peer_figure_is_checked_against_the_printed_statement() -> None:
    store = open_store(":memory:")
    add_peer_figure(store, "北京", "high_tech_enterprises", 1800, source="北京市科委 2019 名单")
    add_peer_figure(store, "苏州", "high_tech_enterprises", 900, source="苏州市统计")
    rows = {p["peer"]: p for s in benchmark(store)["statements"] if s["indicator"] == "high_tech_enterprises"
            for p in s["peers"]}
    assert rows["beijing"]["consistent"] is True and rows["suzhou"]["consistent"] is False
    with pytest.raises(InputError, match="city"):
        add_peer_figure(store, "深圳", "high_tech_enterprises", 1, source="x")
    with pytest.raises(InputError, match="source"):
        add_peer_figure(store, "北京", "high_tech_enterprises", 1, source=" ")
