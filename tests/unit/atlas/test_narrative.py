"""District and field blurbs: the facts they state match the magazine's (../shared/reference/hangzhou-2019/)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from industry_brain.atlas._measures import Measures
from industry_brain.atlas._narrative import blurbs, field_blurb, unit_blurb
from industry_brain.atlas._tally import FIELDS_L1, UNITS_2019, measure_frame

TABLE = Path(__file__).with_name("measures_hangzhou_table.csv")
SLUG = {
    "electronic_info": "10",
    "biomed": "20",
    "aerospace": "30",
    "new_materials": "40",
    "high_tech_services": "50",
    "new_energy": "60",
    "resources_env": "70",
    "adv_manufacturing": "80",
}
UNIT_OF = {
    "上城区": "330102",
    "下城区": "330103",
    "江干区": "330104",
    "拱墅区": "330105",
    "西湖区": "330106",
    "滨江（高新）区": "330108",
    "萧山区": "330109",
    "余杭区": "330110",
    "富阳区": "330111",
    "临安区": "330112",
    "桐庐县": "330122",
    "淳安县": "330127",
    "建德市": "330182",
    "钱塘新区": "QTXQ",
}


def hangzhou() -> Measures:
    with TABLE.open(encoding="utf-8") as fh:
        rows = {r["unit"]: [int(r[f]) for f in FIELDS_L1] for r in csv.DictReader(fh)}
    return Measures(units=UNITS_2019, fields=FIELDS_L1, counts=np.array([rows[u] for u in UNITS_2019]))


def reference(shared: Path, name: str) -> list[dict[str, str]]:
    with (shared / "reference" / "hangzhou-2019" / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_district_blurbs_state_the_printed_top_fields_and_ranks(shared: Path) -> None:
    m = hangzhou()
    for row in reference(shared, "district_profiles.csv"):
        unit = UNIT_OF[row["district_zh"]]
        b = unit_blurb(m, unit)
        assert b.top_fields == [SLUG[s] for s in row["top_codes"].split(";")], row["district_zh"]
        if row["city_rank_printed"]:
            assert b.rank == int(row["city_rank_printed"]), row["district_zh"]
        assert b.text.startswith(row["district_zh"] + "：")
    assert unit_blurb(m, "330127").few  # 淳安县：高新技术企业数量较少
    assert [unit_blurb(m, u).tied for u in ("330104", "330105", "330112")] == [True, True, True]


def test_units_leading_fields_as_printed() -> None:
    m = hangzhou()
    bj = unit_blurb(m, "330108")
    assert (bj.fields_led, bj.led_counts) == (["10", "50", "20"], [466, 189, 65])
    yh = unit_blurb(m, "330110")
    assert (yh.fields_led, yh.led_counts) == (["80", "40", "70", "60"], [238, 146, 48, 36])
    assert "位列杭州市各区县第一位" in yh.text and "总体国家高新技术企业数量排名全市第二位" in yh.text
    assert unit_blurb(m, "330106").fields_led == []


def test_field_blurbs_state_the_printed_facts(shared: Path) -> None:
    m = hangzhou()
    for row in reference(shared, "domain_profiles.csv"):
        code = SLUG[row["code"]]
        b = field_blurb(m, code)
        assert f"{b.share * 100:.2f}" == row["share_pct"]
        printed = [(UNIT_OF[p.split(":")[0]], int(p.split(":")[1])) for p in row["top_districts"].split(";")]
        if code == "30":
            assert b.descriptor == "weakest"
            assert {(u, n) for us, n in b.equal_groups for u in us} == set(printed)
            assert b.concentration is None
        else:
            assert list(zip(b.named_units, b.named_counts, strict=True)) == printed
            assert (
                b.concentration == {"较为集中": "concentrated", "较为分散": "dispersed"}[row["concentration"]]
            )
        if row["field_rank_printed"]:
            assert (b.descriptor, b.rank) == ("rank", int(row["field_rank_printed"]))
    assert field_blurb(m, "80").named_by_floor
    assert [field_blurb(m, f).descriptor for f in ("10", "60", "70")] == ["dominant", "weak", "weak"]


def test_english_blurbs_carry_the_same_facts() -> None:
    m = hangzhou()
    zh, en = blurbs(m, "zh-CN"), blurbs(m, "en")
    for a, b in zip(zh["units"] + zh["fields"], en["units"] + en["fields"], strict=True):
        facts = {k: v for k, v in a.items() if k not in ("text", "lang", "name")}
        assert facts == {k: v for k, v in b.items() if k not in ("text", "lang", "name")}
    assert "Binjiang" in en["units"][5]["text"] and "1st" in en["units"][5]["text"]


def test_not_a_hightech_list_says_enterprises() -> None:
    m = measure_frame(
        [{"map_unit_2019": "330108", "field_l1": "10", "hightech": False}] * 3, hightech_only=False
    )
    text = unit_blurb(m, "330108").text
    assert "国家高新技术企业" not in text and "企业数量排名" in text
    assert unit_blurb(m, "330102").text == "上城区：区域内暂无企业。"


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_tie_at_the_end_of_a_top_list_shortens_it(lang: str) -> None:
    counts = np.zeros((2, 8), dtype=int)
    counts[0, :4] = [5, 4, 2, 2]
    counts[1, 0] = 1
    m = Measures(units=["330102", "330103"], fields=FIELDS_L1, counts=counts)
    b = unit_blurb(m, "330102", lang)
    assert b.top_fields == ["10", "20"]
