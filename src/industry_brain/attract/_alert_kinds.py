"""The alert kinds, their severities and their zh/en sentences, each saying the values compared and the rule.

=====================  ========  ===========================================================================
kind                   severity  rule
=====================  ========  ===========================================================================
moved_out              high      the 2019 map unit was the watch list's district in the earlier version and is
                                 another unit in the newer, or the newer record lies outside the city (a division
                                 code outside 3301); or the status (登记状态 …) now reads 迁出
deregistered           high      the status now reads 注销, 吊销 or 撤销 (and did not before)
removed_from_list      medium    on the earlier version of the list, not on the newer (名录中消失)
capital_reduced        high/med  registered capital (万元 CNY) lower than before; high when cut by 50 % or more
renamed                low       the same credit code under another name
scope_changed          low       business scope differs; the items added and removed are listed
cert_expiring          medium    high-tech certificate of year Y lapses on 31 Dec of Y + 3; within N months
branch_elsewhere       medium    a record new in the newer version, named after the firm (its name or its name
                                 without legal-form affixes, then 分公司/分支机构/办事处), registered in
                                 another city (first four digits of the division code differ)
=====================  ========  ===========================================================================
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from industry_brain._core.i18n import Catalog

ALERT_KINDS: tuple[str, ...] = ("moved_out", "deregistered", "removed_from_list", "capital_reduced", "renamed",
                                "scope_changed", "cert_expiring", "branch_elsewhere")
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
SEVERITY = {"moved_out": "high", "deregistered": "high", "removed_from_list": "medium", "capital_reduced": "medium",
            "renamed": "low", "scope_changed": "low", "cert_expiring": "medium", "branch_elsewhere": "medium"}
CAPITAL_CUT_HIGH = 50.0   # per cent: a cut at least this large is of high severity
CERT_YEARS = 3            # a high-tech certificate lasts three years
DEFAULT_MONTHS = 6
STATUS_HEADERS: tuple[str, ...] = ("登记状态", "经营状态", "企业状态", "状态", "登记状态(经营状态)", "企业经营状态")
DEREGISTERED = ("注销", "吊销", "撤销")
MOVED = "迁出"
BRANCH_WORDS: tuple[str, ...] = ("分公司", "分支机构", "办事处")

KIND_LABELS = Catalog({
    "moved_out": ("迁出", "moved out"),
    "deregistered": ("注销/吊销", "deregistered"),
    "removed_from_list": ("名录中消失", "gone from the list"),
    "capital_reduced": ("注册资本减少", "capital reduced"),
    "renamed": ("更名", "renamed"),
    "scope_changed": ("经营范围变更", "scope changed"),
    "cert_expiring": ("高企证书将到期", "certificate expiring"),
    "branch_elsewhere": ("异地设立分支机构", "branch in another city"),
    "high": ("高", "high"),
    "medium": ("中", "medium"),
    "low": ("低", "low"),
    "target": ("招商标的", "target"),
    "anchor": ("本区龙头企业", "anchor"),
})

MESSAGES = Catalog({
    "moved_out_unit": (
        "所在单元由{before}变为{after}，已迁出{district}（规则：前一版本位于关注清单所属区县，新版本位于其他单元或市外）",
        "map unit changed from {before_en} to {after_en}: moved out of {district_en} (rule: in the watch list's "
        "district in the earlier version, in another unit or outside the city in the newer)"),
    "moved_out_status": (
        "登记状态由{before!r}变为{after!r}（规则：状态含「迁出」）",
        "status changed from {before!r} to {after!r} (rule: the status reads 迁出, moved out)"),
    "deregistered": (
        "登记状态由{before!r}变为{after!r}（规则：状态为注销、吊销或撤销）",
        "status changed from {before!r} to {after!r} (rule: the status reads 注销, 吊销 or 撤销 — deregistered "
        "or revoked)"),
    "removed_from_list": (
        "前一版本（批次 {batch_before} 第 {row_before} 行）列于「{source}」，新版本（批次 {batch_after}）中已无此企业"
        "（规则：关注企业在同一名录的新版本中消失）",
        "on the earlier version (batch {batch_before}, row {row_before}) of {source!r}, not on the newer (batch "
        "{batch_after}) (rule: a watched firm absent from a newer version of the same list)"),
    "capital_reduced": (
        "注册资本由 {before:g} 万元减至 {after:g} 万元，减少 {pct:.1f}%（规则：新版本注册资本低于前一版本；"
        "减少 {high:g}% 及以上为高）",
        "registered capital cut from {before:g} to {after:g} 万元 CNY, by {pct:.1f}% (rule: lower than in the "
        "earlier version; a cut of {high:g}% or more is high)"),
    "renamed": (
        "企业名称由{before!r}变更为{after!r}（规则：同一信用代码，名称不同）",
        "name changed from {before!r} to {after!r} (rule: the same credit code under another name)"),
    "scope_changed": (
        "经营范围变更：新增 {added_zh}；删除 {removed_zh}（规则：经营范围按分号、逗号、顿号分项比较）",
        "business scope changed: added {added_en}; removed {removed_en} (rule: the scope compared item by item, "
        "split at semicolons, commas and enumeration commas)"),
    "cert_expiring": (
        "高新技术企业证书 {cert}（{year} 年认定）将于 {lapse} 到期，距 {as_of} 不足 {months} 个月"
        "（规则：证书有效期三年，{year} 年认定的证书于 {lapse_year} 年 12 月 31 日到期）",
        "high-tech certificate {cert} (certified {year}) lapses on {lapse}, within {months} months of {as_of} "
        "(rule: a certificate lasts three years; one of {year} lapses on 31 December {lapse_year})"),
    "branch_elsewhere": (
        "新版本出现分支机构「{branch}」（{branch_uscc}，登记地 {place}，批次 {batch_after} 第 {row_after} 行），"
        "不在本企业所在城市（{city}）（规则：名称以本企业名称或字号开头且含分公司/分支机构/办事处，登记地在本市以外）",
        "a new branch {branch!r} ({branch_uscc}, registered in {place_en}, batch {batch_after} row {row_after}) "
        "outside the firm's city ({city_en}) (rule: named after the firm — its name or its name without legal-form "
        "affixes — with 分公司/分支机构/办事处, registered outside its city)"),
})

_SPLIT = re.compile(r"[;；,，、。.\n]+")


def scope_items(scope: str | None) -> list[str]:
    """A business scope's items (split at ；，、 and the like), trimmed, in order, without repeats."""
    return list(dict.fromkeys(p.strip() for p in _SPLIT.split(scope or "") if p.strip()))


def scope_diff(before: str | None, after: str | None, most: int = 5) -> dict[str, Any]:
    """The items added to and removed from a scope (at most ``most`` of each shown; the totals counted)."""
    old, new = scope_items(before), scope_items(after)
    added = [x for x in new if x not in set(old)]
    removed = [x for x in old if x not in set(new)]
    return {"added": added[:most], "removed": removed[:most], "added_total": len(added),
            "removed_total": len(removed)}


def items_text(items: list[str], total: int, lang: str) -> str:
    """Items of a scope diff as one short phrase."""
    if not items:
        return "无" if lang == "zh" else "none"
    text = ("、" if lang == "zh" else "; ").join(items)
    if total > len(items):
        text += f" 等 {total} 项" if lang == "zh" else f" and {total - len(items)} more"
    return text


@cache
def unit_name(code: str | None, lang: str = "zh") -> str:
    """A 2019 map unit's name ("?" for none), for the sentences."""
    from industry_brain.geo import unit

    if not code:
        return "未知单元" if lang == "zh" else "an unknown unit"
    try:
        u = unit(code, 2019)
    except LookupError:
        return place_name(code, lang)
    return u.name_zh if lang == "zh" else u.name_en


@cache
def place_name(code: str | None, lang: str = "zh") -> str:
    """A county-level division's name with its province and prefecture (上海市浦东新区), or the code."""
    from industry_brain.geo import division

    if not code:
        return "未知" if lang == "zh" else "unknown"
    try:
        d = division(code)
    except LookupError:
        return code
    parts = [d.province] + ([d.prefecture] if d.prefecture and d.prefecture not in ("直辖", d.province) else [])
    if d.name not in parts:
        parts.append(d.name)
    text = "".join(parts)
    return text if lang == "zh" else f"{text} ({code})"


def city_name(division_code: str | None, lang: str = "zh") -> str:
    """The prefecture of a county-level code (330106 → 杭州市)."""
    if not division_code:
        return "未知" if lang == "zh" else "unknown"
    return place_name(division_code[:4] + "00", lang)
