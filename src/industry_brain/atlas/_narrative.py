"""Blurbs in the magazine's sentence patterns (杭州科技 2019年第5期, 杭州未来产业地图), zh-CN and English.

Each blurb is generated from :class:`~industry_brain.atlas.Measures` and returned with the facts it states
(ordered lists, counts, ranks, labels), so that tests and the published-figure check compare facts, not strings.

District (unit) blurb, e.g. 余杭区::

    区域内国家高新技术企业数量排名前三位的领域分别是：先进制造与自动化、新材料、电子信息领域。
    其中先进制造与自动化、新材料、资源与环境和新能源与节能领域的国高企数量，分别以238家、146家、48家和36家
    位列杭州市各区县第一位，总体国家高新技术企业数量排名全市第二位。

Rules: the top fields are those with at least one enterprise, at most three, and a list stops before a tie that
crosses its end (淳安县: "排名前两位"). The "位列…第一位" clause names the fields where the unit is first alone
(a shared first is left out, as the magazine leaves out 滨江's 2 aerospace firms, tied with 西湖). Ranks are
competition ranks, worded 第X位 or 并列第X位. A unit that is last in the city with under 1% of its enterprises
is introduced as "高新技术企业数量较少".

Field blurb, e.g. 电子信息::

    电子信息领域的国家高新技术企业数量占全市国家高新技术企业数量的28.59%，占有绝对比重。区域分布较为集中，
    其中最为集中的三个区域为滨江（高新）区、西湖区和余杭区，分别拥有466家、168家和141家。

The descriptor after the share, in order of precedence: first field with ≥ 25% → 占有绝对比重 (``dominant``);
2nd/3rd (or a 1st below 25%) → 领域拥有的数量在全市排名第X (``rank``); the smallest field → 仅拥有N家企业，是最为
薄弱的领域 (``weakest``, and its units are listed in full, "A和B各拥有2家"); a field that by itself places firms
in a future industry (taxonomy's implying links) → 与未来产业紧密关联 (``future``); share below 7% → 较为薄弱
(``weak``); otherwise its rank. The 较为集中/较为分散 label is :meth:`Measures.concentration` (see
``_measures``); when more than three units have ≥ 100 enterprises the blurb names them all ("拥有100家以上的区域
有四个"). On a register that is not a high-tech list the subject is 企业 rather than 国家高新技术企业.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import field as _field
from typing import Any

from industry_brain.atlas._labels import field_name, future_linked_fields, join_names, unit_name
from industry_brain.atlas._measures import (
    CONCENTRATED,
    NAMED_FLOOR,
    WEAK_SHARE,
    Measures,
    rank_phrase,
    zh_number,
)

DOMINANT_SHARE = 0.25
FEW_SHARE = 0.01


@dataclass
class UnitBlurb:
    unit: str
    name: str
    lang: str
    text: str
    top_fields: list[str]
    top_counts: list[int]
    rank: int
    tied: bool
    total: int
    fields_led: list[str] = _field(default_factory=list)
    led_counts: list[int] = _field(default_factory=list)
    few: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FieldBlurb:
    field: str
    name: str
    lang: str
    text: str
    share: float
    total: int
    rank: int
    descriptor: str
    concentration: str | None
    named_units: list[str]
    named_counts: list[int]
    named_by_floor: bool
    equal_groups: list[tuple[list[str], int]] = _field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _subject(m: Measures, lang: str, short: bool = False) -> str:
    hightech = bool(m.basis.get("hightech_only", True))
    if lang == "en":
        return "national high-tech enterprises" if hightech else "enterprises"
    if hightech:
        return "国高企" if short else "国家高新技术企业"
    return "企业"


def _top_for_blurb(m: Measures, unit: str) -> tuple[list[tuple[str, int]], bool]:
    """The unit's top fields (at most three, stopping before a tie that crosses the end), and whether they are
    instead the group tied for first place (when more than three fields share the largest count)."""
    ranked = m.top_fields(unit, len(m.fields))
    top = [(r.code, r.count) for r in ranked[:3]]
    if len(ranked) > 3 and ranked[2].count == ranked[3].count:
        top = [(c, n) for c, n in top if n != ranked[2].count]
        if not top:  # every one of the first four ties: name the whole group tied for first
            return [(r.code, r.count) for r in ranked if r.count == ranked[0].count], True
    return top, False


def unit_blurb(m: Measures, unit: str, lang: str = "zh-CN", city: str | None = None) -> UnitBlurb:
    """The magazine's district paragraph for ``unit``."""
    en = lang == "en"
    city = city or ("Hangzhou" if en else "杭州市")
    name = unit_name(unit, m.vintage, lang)
    i = m.unit_index(unit)
    total = int(m.unit_totals[i])
    rank, tied = m.unit_rank_of(unit)
    top, joint = _top_for_blurb(m, unit)
    led = m.fields_led(unit)
    led_counts = [m.count(unit, f) for f in led]
    few = bool(rank == max(m.unit_rank) and m.total and total / m.total < FEW_SHARE and len(m.units) > 1)
    subj, short = _subject(m, lang), _subject(m, lang, short=True)
    fnames = [field_name(f, lang) for f, _ in top]
    if total == 0:
        text = f"{name}: no {subj} on record." if en else f"{name}：区域内暂无{subj}。"
        return UnitBlurb(unit, name, lang, text, [], [], rank, tied, 0, [], [], few)
    if en:
        k = (
            "joint top fields"
            if joint
            else {1: "top field", 2: "top two fields", 3: "top three fields"}[len(top)]
        )
        parts = [
            f"{name}: "
            + ("few national high-tech enterprises; " if few and subj != "enterprises" else "")
            + f"the {k} by number of {subj} {'is' if len(top) == 1 else 'are'} {join_names(fnames, lang)}."
        ]
        if led:
            parts.append(
                f" It leads all districts of {city} in {join_names([field_name(f, lang) for f in led], lang)}"
                f" with {join_names([str(n) for n in led_counts], lang)} {short}, and ranks "
                f"{rank_phrase(rank, tied, lang)} in the city overall."
            )
        else:
            parts.append(f" By number of {subj} it ranks {rank_phrase(rank, tied, lang)} in the city.")
        text = "".join(parts)
    else:
        k = "第一位" if len(top) == 1 else f"前{'两' if len(top) == 2 else zh_number(len(top))}位"
        head = f"{name}：" + (f"{'高新技术' if subj != '企业' else ''}企业数量较少，" if few else "")
        text = head + f"区域内{subj}数量排名{k}的领域分别是：{'、'.join(fnames)}领域。"
        if k == "第一位":
            text = head + f"区域内{subj}数量排名第一位的领域是：{fnames[0]}领域。"
        if joint:
            text = head + f"区域内{subj}数量并列第一位的领域是：{'、'.join(fnames)}领域。"
        if led:
            counts = join_names([f"{n}家" for n in led_counts])
            lead_names = "、".join(field_name(f, lang) for f in led)
            many = "分别以" if len(led) > 1 else "以"
            text += (
                f"其中{lead_names}领域的{short}数量，{many}{counts}位列{city}各区县第一位，"
                f"总体{subj}数量排名全市{rank_phrase(rank, tied)}。"
            )
        else:
            text += f"{subj}数量排名全市{rank_phrase(rank, tied)}。"
    return UnitBlurb(
        unit,
        name,
        lang,
        text,
        [f for f, _ in top],
        [n for _, n in top],
        rank,
        tied,
        total,
        led,
        led_counts,
        few,
    )


def _descriptor(m: Measures, code: str) -> str:
    j = m.field_index(code)
    rank, _ = m.field_rank_of(code)
    share = float(m.field_share_city[j])
    if rank == 1 and share >= DOMINANT_SHARE:
        return "dominant"
    if rank <= 3:
        return "rank"
    if rank == max(m.field_rank) and len(m.fields) > 3:
        return "weakest"
    if m.level == 1 and code in future_linked_fields():
        return "future"
    if share < WEAK_SHARE:
        return "weak"
    return "rank"


def _equal_groups(m: Measures, code: str) -> list[tuple[list[str], int]]:
    groups: list[tuple[list[str], int]] = []
    for r in m.top_units(code, len(m.units)):
        if groups and groups[-1][1] == r.count:
            groups[-1][0].append(r.code)
        else:
            groups.append(([r.code], r.count))
    return groups


def field_blurb(m: Measures, code: str, lang: str = "zh-CN") -> FieldBlurb:
    """The magazine's field paragraph for ``code``."""
    en = lang == "en"
    j = m.field_index(code)
    name = field_name(code, lang)
    subj = _subject(m, lang)
    total = int(m.field_totals[j])
    share = float(m.field_share_city[j]) if m.total else 0.0
    pct = f"{100 * share:.2f}%"
    rank, _ = m.field_rank_of(code)
    desc = _descriptor(m, code)
    label = m.concentration(code)
    named = list(m.named_units[j])
    named_counts = [m.count(u, code) for u in named]
    by_floor = bool(m.named_by_floor[j])
    unames = [unit_name(u, m.vintage, lang) for u in named]
    groups = _equal_groups(m, code) if desc == "weakest" else []
    if en:
        text = f"{name} holds {pct} of the city's {subj}"
        text += {
            "dominant": ", by far the largest share.",
            "rank": f"; the field ranks {rank_phrase(rank, False, 'en')} in the city.",
            "weakest": f", only {total} enterprises: the weakest field.",
            "future": "; it is closely linked to the future industries.",
            "weak": ", a relatively weak field.",
        }[desc]
        if desc == "weakest":
            if groups:
                text += (
                    " "
                    + "; ".join(
                        f"{join_names([unit_name(u, m.vintage, lang) for u in us], lang)} "
                        f"{'each have' if len(us) > 1 else 'has'} {n}"
                        for us, n in groups
                    )
                    + "."
                )
        elif named:
            lab = {
                None: "",
                CONCENTRATED: "Its distribution is relatively concentrated: ",
                "dispersed": "Its distribution is relatively dispersed: ",
            }[label]
            if by_floor:
                body = (
                    f"{len(named)} districts have {NAMED_FLOOR} or more, {join_names(unames, lang)}, "
                    f"with {join_names([str(n) for n in named_counts], lang)}."
                )
            else:
                body = (
                    f"the {'three ' if len(named) == 3 else ''}leading districts are {join_names(unames, lang)}, "
                    f"with {join_names([str(n) for n in named_counts], lang)}."
                )
            text += " " + (lab + body if lab else body[0].upper() + body[1:])
    else:
        only = "仅为" if desc == "weakest" else "的"
        text = f"{name}领域的{subj}数量占全市{subj}数量{only}{pct}，"
        text += {
            "dominant": "占有绝对比重。",
            "rank": f"领域拥有的数量在全市排名第{zh_number(rank)}。",
            "weakest": f"领域仅拥有{total}家企业，是最为薄弱的领域。",
            "future": "与未来产业紧密关联。",
            "weak": "较为薄弱。",
        }[desc]
        if desc == "weakest":
            if groups:
                text += (
                    "其中"
                    + "，".join(
                        f"{join_names([unit_name(u, m.vintage, lang) for u in us])}{'各' if len(us) > 1 else ''}拥有{n}家"
                        for us, n in groups
                    )
                    + "。"
                )
        elif named:
            lab = {None: "", CONCENTRATED: "区域分布较为集中，", "dispersed": "区域分布较为分散，"}[label]
            counts = join_names([f"{n}家" for n in named_counts])
            if by_floor:
                text += (
                    f"{lab}其中拥有{NAMED_FLOOR}家以上的区域有{zh_number(len(named))}个，为{join_names(unames)}，"
                    f"分别拥有{counts}。"
                )
            else:
                k = {1: "一", 2: "两", 3: "三"}[len(named)]
                verb = "分别拥有" if len(named) > 1 else "拥有"
                text += f"{lab}其中最为集中的{k}个区域为{join_names(unames)}，{verb}{counts}。"
    return FieldBlurb(
        code, name, lang, text, share, total, rank, desc, label, named, named_counts, by_floor, groups
    )


def blurbs(m: Measures, lang: str = "zh-CN") -> dict[str, list[dict[str, Any]]]:
    """Every unit and field blurb of a table, as dicts (text + facts)."""
    return {
        "units": [unit_blurb(m, u, lang).to_dict() for u in m.units],
        "fields": [field_blurb(m, f, lang).to_dict() for f in m.fields],
    }
