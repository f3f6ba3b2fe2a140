"""Names of map units, fields and future industries as the atlas prints them (zh-CN and English).

Names come from ``geo`` and ``taxonomy``; the only atlas-specific name is the magazine's own label for 滨江 on the
2019 map, 「滨江（高新）区」 (the district shares its administration with the Hangzhou Hi-tech Zone).
"""

from __future__ import annotations

from functools import cache

_MAGAZINE_NAMES_2019 = {"330108": ("滨江（高新）区", "Binjiang (Hi-tech Zone)")}


def _en(lang: str) -> bool:
    return lang.lower().startswith("en")


@cache
def _unit_names(vintage: int) -> dict[str, tuple[str, str]]:
    from industry_brain.geo import DISTRICTS_2021, MAP_UNITS_2019

    units = MAP_UNITS_2019 if vintage == 2019 else DISTRICTS_2021
    names = {u.code: (u.name_zh, _english_unit(u.name_en, u.kind)) for u in units}
    if vintage == 2019:
        names.update(_MAGAZINE_NAMES_2019)
    return names


def _english_unit(name: str, kind: str) -> str:
    suffix = {"district": " District", "county": " County", "county-level city": " City"}.get(kind, "")
    return name if name.endswith(("Area", "District", "County", "City")) else name + suffix


def unit_name(code: str, vintage: int, lang: str = "zh-CN") -> str:
    zh, en = _unit_names(vintage).get(code, (code, code))
    return en if _en(lang) else zh


@cache
def _field_names() -> dict[str, tuple[str, str]]:
    from industry_brain.taxonomy import fields

    return {f.code: (f.name_zh, f.name_en) for f in fields()}


def field_name(code: str, lang: str = "zh-CN") -> str:
    zh, en = _field_names().get(code, (code, code))
    return en if _en(lang) else zh


@cache
def _future() -> dict[str, tuple[str, str]]:
    from industry_brain.taxonomy import future_industries

    return {i.code: (i.name_zh, i.name_en) for i in future_industries()}


def future_name(code: str, lang: str = "zh-CN") -> str:
    zh, en = _future().get(code, (code, code))
    return en if _en(lang) else zh


@cache
def future_linked_fields() -> frozenset[str]:
    """Level-1 fields that by themselves place an enterprise in a future industry (航空航天, 生物与新医药, …)."""
    from industry_brain.taxonomy import future_industries

    return frozenset(link.field[:2] for i in future_industries() for link in i.links if link.implies)


def join_names(names: list[str], lang: str = "zh-CN") -> str:
    """``A、B和C`` / ``A, B and C``."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if _en(lang):
        return ", ".join(names[:-1]) + " and " + names[-1]
    return "、".join(names[:-1]) + "和" + names[-1]
