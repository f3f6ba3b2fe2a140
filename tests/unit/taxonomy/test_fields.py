"""The 2016 high-tech field list: counts, codes, slugs, names, lookups."""

from __future__ import annotations

import contextlib
import csv
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from industry_brain._core.errors import IndustryBrainError, InputError, NotFoundError
from industry_brain.taxonomy import children, field, field_from_name, fields

SLUGS = {
    "10": "electronic_info",
    "20": "biomed",
    "30": "aerospace",
    "40": "new_materials",
    "50": "high_tech_services",
    "60": "new_energy",
    "70": "resources_env",
    "80": "adv_manufacturing",
}


def test_counts_by_level() -> None:
    assert (len(fields(1)), len(fields(2)), len(fields(3))) == (8, 52, 254)
    assert len(fields()) == 314


def test_level1_codes_and_slugs() -> None:
    assert {f.code: f.slug for f in fields(1)} == SLUGS


def test_level1_matches_the_reference_data(shared) -> None:  # type: ignore[no-untyped-def]
    path = shared / "reference" / "hangzhou-2019" / "hightech_domains.csv"
    with path.open(encoding="utf-8") as fh:
        rows = {r["code"]: r for r in csv.DictReader(fh)}
    for f in fields(1):
        assert rows[f.slug]["name_zh"] == f.name_zh
        assert rows[f.slug]["name_en"] == f.name_en


def test_matches_the_shared_source(shared) -> None:  # type: ignore[no-untyped-def]
    raw = json.loads((shared / "taxonomy" / "hightech_fields_2016.json").read_text("utf-8"))
    for c1, n1 in raw.items():
        assert field(c1).name_zh == n1["name"].strip()
        for n2 in n1["children"]:
            assert field(n2["code"]).name_zh == n2["name"].strip()
            assert field(n2["code"]).parent == c1
            for n3 in n2.get("children", []):
                assert field(n3["code"]).name_zh == n3["name"].strip()
                assert field(n3["code"]).parent == n2["code"]


def test_every_entry_is_well_formed() -> None:
    for f in fields():
        assert f.code.isdigit() and len(f.code) == {1: 2, 2: 3, 3: 5}[f.level]
        assert f.name_zh and f.name_en and f.name_en.isascii()
        assert f.slug.isascii() and " " not in f.slug
        if f.level > 1:
            assert f.parent is not None and f.code.startswith(f.parent)
            assert field(f.parent).level == f.level - 1
            assert f.slug == f"{field(f.l1).slug}.{f.code}"
        else:
            assert f.parent is None


def test_three_second_level_entries_have_no_children() -> None:
    leafless = {f.code for f in fields(2) if not children(f.code)}
    assert leafless == {"504", "505", "706"}


def test_field_by_code_and_slug() -> None:
    assert field("10").name_zh == "电子信息"
    assert field("electronic_info").code == "10"
    assert field("10101").name_zh == "基础软件"
    assert field("802").name_zh == "安全生产技术"  # the source's trailing space is gone
    assert field("adv_manufacturing.80406").name_zh == "增材制造技术"
    assert field("１０").code == "10"  # full-width digits


@pytest.mark.parametrize("bad", ["", "90", "1010", "software", "electronic", "10 1"])
def test_field_unknown_raises_not_found(bad: str) -> None:
    with pytest.raises(NotFoundError, match="no high-tech field"):
        field(bad)


def test_fields_rejects_bad_level() -> None:
    with pytest.raises(InputError, match="level 4"):
        fields(4)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("电子信息", "10"),
        ("电子信息技术", "10"),
        ("电子信息领域", "10"),
        ("电子信息类", "10"),
        ("高技术服务业", "50"),
        ("高技术服务", "50"),
        ("新能源及节能技术", "60"),
        ("新能源与节能", "60"),
        ("高新技术改造传统产业", "80"),
        ("生物与新医药技术", "20"),
        ("资源与环境技术", "70"),
        ("航空航天技术", "30"),
        ("新材料技术", "40"),
        ("八、先进制造与自动化", "80"),
        ("（八）先进制造与自动化", "80"),
        ("8、先进制造与自动化", "80"),
        ("第八、先进制造与自动化", "80"),
        ("10", "10"),
        ("101", "101"),
        ("10101", "10101"),
        ("10 电子信息", "10"),
        ("101软件", "101"),
        ("软件", "101"),
        ("基础软件", "10101"),
        ("增材制造技术", "80406"),
        ("增材制造", "80406"),
        ("地理信息系统（GIS）软件", "10106"),
        ("地理信息系统(GIS)软件", "10106"),
        ("安全生产技术 ", "802"),
        ("Electronic information", "10"),
        ("electronic_info", "10"),
        ("adv_manufacturing", "80"),
        ("电子信息/软件/基础软件", "10101"),
        ("电子信息-->软件", "101"),
        (" 生物与新医药 ", "20"),
    ],
)
def test_field_from_name(text: str, code: str) -> None:
    assert field_from_name(text).code == code


@pytest.mark.parametrize("bad", ["", "   ", "餐饮", "电子商城", "1010", "九、其他"])
def test_field_from_name_unknown(bad: str) -> None:
    with pytest.raises(NotFoundError):
        field_from_name(bad)


def test_field_from_name_message_names_value_and_suggests() -> None:
    with pytest.raises(NotFoundError) as info:
        field_from_name("电子信息产品制造")
    assert "'电子信息产品制造'" in info.value.message
    assert "电子信息" in info.value.message


def test_field_from_name_inconsistent_path() -> None:
    with pytest.raises(NotFoundError, match="inconsistent"):
        field_from_name("电子信息/中药、天然药物")


def test_normalised_names_do_not_collide() -> None:
    # every entry is reachable by its own Chinese name
    for f in fields():
        assert field_from_name(f.name_zh) == f, f
        assert field_from_name(f.name_en) == f, f


@given(st.text(max_size=40))
def test_field_from_name_raises_only_domain_errors(text: str) -> None:
    with contextlib.suppress(IndustryBrainError):
        field_from_name(text)


@given(st.text(max_size=12))
def test_field_raises_only_domain_errors(text: str) -> None:
    with contextlib.suppress(IndustryBrainError):
        field(text)
