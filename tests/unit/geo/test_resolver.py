"""Known answers for the address resolver: prefixes, old names, zones, moved streets, other cities, roads."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from industry_brain.geo import METHODS, QTXQ, Placement, resolve_address, resolve_many

# (address, 2019 map unit, 2021 district, method)
CASES = [
    # with and without province/city prefix
    ("上城区秋涛路254号", "330102", "330102", "address"),
    ("杭州市上城区秋涛路254号", "330102", "330102", "address"),
    ("浙江省杭州市上城区秋涛路254号", "330102", "330102", "address"),
    ("浙江杭州上城区秋涛路254号", "330102", "330102", "address"),
    ("中国浙江省杭州市西湖区文三路90号", "330106", "330106", "address"),
    ("  浙江省 杭州市 滨江区 江南大道3850号 ", "330108", "330108", "address"),
    ("杭州市滨江区长河街道江晖路2030号", "330108", "330108", "address"),
    # old names
    ("浙江省杭州市江干区采荷路19号", "330104", "330102", "address"),
    ("杭州市下城区石桥街道华丰村九组", "330103", "330105", "address"),
    ("下城区建国北路190号", "330103", "330105", "address"),
    ("临安市板桥镇三口村", "330112", "330112", "address"),
    ("临安市锦城街道锦天路149号", "330112", "330112", "address"),
    ("富阳市富春街道江滨西大道", "330111", "330111", "address"),
    ("富阳市银湖街道", "330111", "330111", "address"),
    ("余杭县临平镇", "330110", "330113", "street"),
    ("萧山市城厢镇人民路", "330109", "330109", "address"),
    ("建德市新安江街道政法路2号", "330182", "330182", "address"),
    ("淳安县千岛湖镇新安东路", "330127", "330127", "address"),
    ("桐庐县桐君街道", "330122", "330122", "address"),
    # 2021 names
    ("杭州市临平区南苑街道", "330110", "330113", "address"),
    ("杭州市钱塘区下沙街道", QTXQ, "330114", "address"),
    ("杭州市钱塘新区义蓬街道", QTXQ, "330114", "address"),
    ("杭州市上城区九堡街道九环路", "330104", "330102", "street"),
    ("杭州市拱墅区朝晖街道", "330103", "330105", "street"),
    ("杭州市拱墅区和睦路553号", "330105", "330105", "address"),
    # development zones
    ("杭州经济技术开发区白杨街道围垦街160号", QTXQ, "330114", "gazetteer"),
    ("浙江省杭州经济技术开发区4号大街15号", QTXQ, "330114", "gazetteer"),
    ("杭州经济开发区6号大街", QTXQ, "330114", "gazetteer"),
    ("杭州下沙经济开发区", QTXQ, "330114", "gazetteer"),
    ("杭州市下沙围垦八号坝北", QTXQ, "330114", "gazetteer"),
    ("浙江省杭州大江东产业集聚区长福杭路829号", QTXQ, "330114", "gazetteer"),
    ("杭州大江东产业集聚区义蓬街道金星村", QTXQ, "330114", "gazetteer"),
    ("杭州高新技术产业开发区江南大道", "330108", "330108", "gazetteer"),
    ("高新区(滨江)江南大道3786号", "330108", "330108", "gazetteer"),
    ("高新区（滨江）江南大道3786号", "330108", "330108", "gazetteer"),
    ("杭州萧山经济技术开发区市心北路", "330109", "330109", "address"),
    ("萧山区萧山经济技术开发区启迪路198号", "330109", "330109", "address"),
    ("杭州余杭经济技术开发区", "330110", "330113", "street"),
    ("杭州未来科技城", "330110", "330110", "gazetteer"),
    ("杭州青山湖科技城", "330112", "330112", "gazetteer"),
    # streets that moved between vintages
    ("杭州市江干区下沙街道天城东路", QTXQ, "330114", "street"),
    ("江干区白杨街道", QTXQ, "330114", "street"),
    ("萧山区河庄街道", QTXQ, "330114", "street"),
    ("萧山区义蓬镇", QTXQ, "330114", "street"),
    ("杭州余杭区临平街道", "330110", "330113", "street"),
    ("杭州余杭区乔司街道葛家车村", "330110", "330113", "street"),
    ("余杭区塘栖镇富塘路17号", "330110", "330113", "street"),
    ("余杭区仓前街道文一西路", "330110", "330110", "address"),
    ("江干区丁桥镇临丁路699号", "330104", "330102", "address"),
    # street or town only (gazetteer)
    ("千岛湖镇", "330127", "330127", "gazetteer"),
    ("转塘街道", "330106", "330106", "gazetteer"),
    ("党湾镇", "330109", "330109", "gazetteer"),
    ("锦城街道", "330112", "330112", "gazetteer"),
    ("下沙街道", QTXQ, "330114", "gazetteer"),
    ("临平街道", "330110", "330113", "address"),  # the bare district name at the start: 临平 (2021 name)
    ("浦沿镇龙山路20号", "330108", "330108", "gazetteer"),
    ("杭州市三墩镇", "330106", "330106", "gazetteer"),
    ("瓜沥镇张潭村", "330109", "330109", "gazetteer"),
    ("杭州市富阳区场口镇", "330111", "330111", "address"),
    # bare district names at the start
    ("杭州萧山新塘街道", "330109", "330109", "address"),
    ("杭州余杭良渚", "330110", "330110", "address"),
    ("萧山瓜沥", "330109", "330109", "address"),
]


@pytest.mark.parametrize(("text", "unit_2019", "district_2021", "method"), CASES)
def test_known_answers(text: str, unit_2019: str, district_2021: str, method: str) -> None:
    p = resolve_address(text)
    assert (p.map_unit_2019, p.district_2021, p.method) == (unit_2019, district_2021, method), p
    assert 0.5 <= p.confidence <= 1.0
    assert p.division_code is not None and p.division_vintage is not None
    assert p.evidence


@pytest.mark.parametrize("text", [
    "西湖大道193号", "杭州市西湖大道193号", "余杭塘路866号", "杭州市余杭塘路", "滨江路1号", "钱塘江路",
    "西湖文化广场19号", "富阳路", "建国北路190号", "杭州市延安路528号", "", "   ", "杭州市", "浙江省",
])
def test_no_false_district_from_roads(text: str) -> None:
    p = resolve_address(text)
    assert p.method == "none" and p.map_unit_2019 is None and p.district_2021 is None, p


@pytest.mark.parametrize(("text", "unit_2019"), [
    ("杭州市上城区西湖大道193号", "330102"),  # a road in 上城 named after the lake
    ("杭州市西湖区余杭塘路", "330106"),
    ("杭州市拱墅区余杭塘路2号", "330105"),
    ("杭州市拱墅区西湖文化广场", "330105"),
    ("杭州市滨江区钱塘江路", "330108"),
])
def test_roads_named_after_districts_do_not_win(text: str, unit_2019: str) -> None:
    assert resolve_address(text).map_unit_2019 == unit_2019


def test_explicit_district_wins_over_inconsistent_street() -> None:
    p = resolve_address("西湖区下沙街道")  # contradictory: the named district wins with lower confidence
    assert (p.map_unit_2019, p.method) == ("330106", "address")
    assert p.confidence == 0.7


def test_street_is_reported() -> None:
    p = resolve_address("杭州市西湖区转塘街道xx路")
    assert p.street == "转塘街道"
    assert resolve_address("杭州市西湖区文三路").street is None


def test_division_code_and_vintage() -> None:
    assert (resolve_address("临安市板桥镇").division_code, resolve_address("临安市板桥镇").division_vintage) == (
        "330185", 2016)
    p = resolve_address("杭州市江干区采荷路")
    assert (p.division_code, p.division_vintage) == ("330104", 2020)
    p = resolve_address("江干区下沙街道")  # the street refines: code of the 2021 district
    assert (p.division_code, p.division_vintage) == ("330114", 2021)


@pytest.mark.parametrize(("text", "code"), [
    ("宁波市鄞州区天童南路", "330212"),
    ("浙江省宁波市鄞州区天童南路", "330212"),
    ("上海市浦东新区张江路", "310115"),
    ("北京市朝阳区建国路", "110105"),
    ("江苏省苏州市吴中区", "320506"),
    ("南昌市西湖区", "360103"),  # not Hangzhou's 西湖区
    ("义乌市稠州北路", "330782"),
    ("绍兴市柯桥区", "330603"),
])
def test_outside_hangzhou_reads_the_other_county(text: str, code: str) -> None:
    p = resolve_address(text)
    assert p.division_code == code, p
    assert p.map_unit_2019 is None and p.district_2021 is None
    assert p.method == "address"


@pytest.mark.parametrize("text", ["宁波市xx路", "江苏省苏州市工业园区星湖街", "广东省深圳市", "温州市下沙路"])
def test_outside_hangzhou_never_gets_a_hangzhou_unit(text: str) -> None:
    p = resolve_address(text)
    assert p.map_unit_2019 is None and p.district_2021 is None, p


def test_authority_code_is_last_resort() -> None:
    p = resolve_address("建国北路190号", "330103")
    assert (p.method, p.map_unit_2019, p.district_2021, p.confidence) == ("authority-code", "330103", "330105", 0.3)
    p = resolve_address("杭州市西湖区文三路", "330103")  # the address wins over the authority
    assert (p.method, p.map_unit_2019) == ("address", "330106")
    assert resolve_address("xx路", "330110").confidence == 0.2  # 余杭 was split in 2021
    assert resolve_address("xx路", "330185").map_unit_2019 == "330112"
    assert resolve_address("xx路", "330183").district_2021 == "330111"
    for city_level in ("330100", "330101", "330000"):
        assert resolve_address("xx路", city_level).method == "none"
    p = resolve_address("xx路", "330212")  # 鄞州: a county elsewhere, no Hangzhou unit
    assert (p.method, p.division_code, p.map_unit_2019) == ("authority-code", "330212", None)
    for junk in ("", "abc", "33010", "999999", "３３０１０２"):
        resolve_address("xx路", junk)


@pytest.mark.parametrize(("declared", "unit_2019", "district_2021"), [
    ("滨江区", "330108", "330108"),
    ("高新区", "330108", "330108"),
    ("钱塘新区", QTXQ, "330114"),
    ("临安市", "330112", "330112"),
    ("江干区", "330104", "330102"),
    ("杭州市萧山区", "330109", "330109"),
    ("大江东", QTXQ, "330114"),
])
def test_declared(declared: str, unit_2019: str, district_2021: str) -> None:
    p = resolve_address("杭州市文三路90号", declared=declared)
    assert (p.method, p.map_unit_2019, p.district_2021) == ("declared", unit_2019, district_2021)
    assert p.confidence == 0.95


def test_declared_refined_by_consistent_street() -> None:
    p = resolve_address("余杭区临平街道", declared="余杭区")
    assert (p.method, p.map_unit_2019, p.district_2021, p.street) == ("declared", "330110", "330113", "临平街道")


def test_unreadable_declared_falls_back_to_address() -> None:
    p = resolve_address("杭州市西湖区文三路", declared="不详")
    assert (p.method, p.map_unit_2019) == ("address", "330106")


def test_placement_is_frozen_and_complete() -> None:
    p = resolve_address("杭州市西湖区文三路")
    assert isinstance(p, Placement)
    with pytest.raises(AttributeError):
        p.method = "x"  # type: ignore[misc]
    assert set(p.to_dict()) == {"division_code", "division_vintage", "street", "map_unit_2019", "district_2021",
                                "method", "confidence", "evidence"}


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=60)), st.one_of(st.none(), st.text(max_size=10)),
       st.one_of(st.none(), st.text(max_size=10)))
def test_never_raises_on_any_text(text: str | None, code: str | None, declared: str | None) -> None:
    p = resolve_address(text, code, declared)
    assert p.method in METHODS
    assert 0.0 <= p.confidence <= 1.0


ALPHABET = "杭州市浙江省上城西湖区余杭萧山江干下沙街道镇乡临平钱塘新区开发经济技术大道路号0123456789０１２()（） "


def test_no_name_ends_in_a_digit() -> None:
    # resolve_many reads the key from the text before the first digit, which holds only while no name ends in one
    from industry_brain.geo._resolver import _end_class

    assert not [c for c in _end_class() if c.isdigit()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=30)), max_size=30),
       st.data())
def test_many_equals_one_by_one(texts: list[str | None], data: st.DataObject) -> None:
    codes = data.draw(st.lists(st.sampled_from([None, "330102", "330110", "330100", "x"]),
                               min_size=len(texts), max_size=len(texts)))
    declared = data.draw(st.lists(st.sampled_from([None, "", "高新区", "余杭区", "不详"]),
                                  min_size=len(texts), max_size=len(texts)))
    table = resolve_many(texts, codes, declared).to_pylist()
    assert table == [resolve_address(t, c, d).to_dict() for t, c, d in zip(texts, codes, declared, strict=True)]


def test_many_without_codes_and_from_arrow() -> None:
    import pyarrow as pa

    texts = ["上城区秋涛路254号", None, "转塘街道", "建国北路190号"]
    table = resolve_many(pa.chunked_array([texts[:2], texts[2:]]))
    assert table.column("map_unit_2019").to_pylist() == ["330102", None, "330106", None]
    assert table.column_names == ["division_code", "division_vintage", "street", "map_unit_2019",
                                  "district_2021", "method", "confidence", "evidence"]
    assert resolve_many([]).num_rows == 0


def test_many_rejects_misaligned_columns() -> None:
    from industry_brain._core.errors import InputError

    with pytest.raises(InputError):
        resolve_many(["a", "b"], ["330102"])


@pytest.mark.parametrize(("text", "unit_2019", "district_2021"), [
    ("杭州市经济技术开发区金沙大道1045号", QTXQ, "330114"),
    ("浙江杭州出口加工区M12-19-1地块", QTXQ, "330114"),
    ("杭州余杭区临平经济开发区北沙西路", "330110", "330113"),
    ("杭州余杭区临平水车河弄7号", "330110", "330113"),
    ("杭州余杭崇贤向阳村", "330110", "330113"),
    ("杭州市梅家坞98号", "330106", "330106"),
    ("杭州市西湖区临平路1号", "330106", "330106"),  # a named district beats an inconsistent place name
])
def test_zones_and_place_names(text: str, unit_2019: str, district_2021: str) -> None:
    p = resolve_address(text)
    assert (p.map_unit_2019, p.district_2021) == (unit_2019, district_2021), p


NAMEY = "杭州市浙江省上城西湖区余杭萧山江干下沙街道镇乡临平钱塘新区开发经济技术大道路号宁波鄞州上海浦东义乌塘栖村"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=NAMEY + "0123456789０１幢室 ", max_size=40))
def test_key_reads_like_the_whole_prefix(text: str) -> None:
    """Reading the cache key gives the answer reading the text before its first digit would give."""
    import re

    from industry_brain.geo._resolver import _key_re, _read, normalize

    m = re.search("[0-9０-９]", text)
    prefix = text[: m.start()] if m else text
    key_match = _key_re().match(text)
    assert key_match is not None
    assert _read(normalize(key_match.group(1))) == _read(normalize(prefix))


def test_declared_2021_name_with_older_address() -> None:
    p = resolve_address("杭州市江干区采荷路19号", declared="上城区")  # a 2021 register, an address of 2019
    assert (p.method, p.map_unit_2019, p.district_2021) == ("declared", "330104", "330102")
    p = resolve_address("杭州市西湖区文三路", declared="滨江区")  # disagreement: the register's own value wins
    assert (p.method, p.map_unit_2019, p.district_2021, p.street) == ("declared", "330108", "330108", None)


def test_declared_administrative_district_of_a_qiantang_street() -> None:
    # 下沙街道 was administered by 江干区 in 2019 but lies in 钱塘新区 on the magazine's map (钱塘区 in 2021)
    p = resolve_address("杭州市江干区下沙街道6号大街452号", declared="江干区")
    assert (p.method, p.map_unit_2019, p.district_2021) == ("declared", "QTXQ", "330114")
    p = resolve_address("萧山区义蓬街道义府大街", declared="萧山区")  # 大江东 streets of 萧山区
    assert (p.map_unit_2019, p.district_2021) == ("QTXQ", "330114")
    p = resolve_address("杭州市江干区采荷路19号", declared="江干区")  # the rest of 江干 stays 江干
    assert (p.map_unit_2019, p.district_2021) == ("330104", "330102")
