"""Check a register against every figure a document printed: matched / differs (by how much) / not computable.

Each published figure (see ``_published``) is recomputed from :class:`~industry_brain.atlas.Measures` of the
register (``measure_register``: certified high-tech enterprises, the map units of the document's vintage,
level-1 fields), with the same rules the blurbs use, so that a figure "matches" exactly when the blurb generated
from the register would print it:

==========================  =============================================================================
measure                     computed as, and matched when
==========================  =============================================================================
``city_total``              ``Measures.total`` equals the printed number
``field_share``             the field's share of the total, rounded half-up to the printed decimals, equals
                            the printed share (``delta`` in percentage points)
``field_total``             ``field_total(field)`` equals the printed number
``field_rank``              competition rank of the field total (``field_rank_of``) equals the printed rank
``field_concentration``     ``concentration(field)`` (较为集中 / 较为分散, see ``_measures``) is the printed label
``field_top_units``         ``top_units(field, k)`` is the printed list, in the printed order
``field_units_all``         the units with at least one enterprise in the field are the printed ones
``units_at_least``          ``units_at_least(field, threshold)`` are the printed units, as many as printed
``cell_count``              ``count(unit, field)`` equals the printed number
``unit_top_fields``         ``top_fields(unit, k)`` is the printed list, in the printed order
``unit_rank``               competition rank of the unit total (``unit_rank_of``) equals the printed rank; a
                            shared rank is said (并列第七位) and still matches, as the three 第七位 of 2019 do
``unit_field_rank``         rank 1: the field is among ``fields_led(unit)`` (first, not shared); other ranks:
                            the unit's competition rank within the field
``unit_few``                the unit's share of the total is at most the stated share
==========================  =============================================================================

A number printed with a qualifier matches as the qualifier says: 超过/多/余 (more than: computed ≥ printed),
近 (nearly: printed − 10% ≤ computed ≤ printed), 约/左右 (about: within 5%). A figure is *not computable* when
the register has no enterprise in scope, or when the unit it names is not a unit of the vintage measured (e.g.
钱塘新区 on the 2021 map).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from industry_brain.atlas._labels import field_name, join_names, unit_name
from industry_brain.atlas._measures import CONCENTRATED, CONCENTRATED_SHARE, DISPERSED, Measures, rank_phrase
from industry_brain.atlas._published import CITY_CODE, HANGZHOU_2019, PublishedFigure, published_document

if TYPE_CHECKING:
    from industry_brain._core.store import Store

MATCHED = "matched"
DIFFERS = "differs"
NOT_COMPUTABLE = "not_computable"
STATUSES: tuple[str, ...] = (MATCHED, DIFFERS, NOT_COMPUTABLE)

_LABELS = {"较为集中": CONCENTRATED, "较为分散": DISPERSED}
_LABEL_ZH = {CONCENTRATED: "较为集中", DISPERSED: "较为分散"}
_LABEL_EN = {CONCENTRATED: "concentrated", DISPERSED: "dispersed"}


@dataclass(frozen=True)
class CheckRow:
    """One printed figure against the register.

    ``printed`` is the value as printed (a number, a label, a list of codes or an object); ``computed`` the same
    quantity from the register (None when not computable); ``delta`` computed − printed for numbers (percentage
    points for shares, places for ranks), else None; ``detail`` says in zh-CN and English what differs, or how
    a match was read (a shared rank, a tie in a list).
    """

    id: str
    measure: str
    unit_code: str
    unit_name: str
    field: str | None
    field_name: str
    printed: Any
    computed: Any
    status: str
    detail: dict[str, str]
    sentence: str
    delta: float | int | None = None
    qualifier: str | None = None
    source_line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "measure": self.measure,
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "field": self.field,
            "field_name": self.field_name,
            "printed": self.printed,
            "computed": self.computed,
            "status": self.status,
            "delta": self.delta,
            "detail": dict(self.detail),
            "sentence": self.sentence,
            "qualifier": self.qualifier,
            "source_line": self.source_line,
        }


@dataclass(frozen=True)
class CheckReport:
    """Every printed figure of ``document`` against one register; ``ok`` when all of them match."""

    document: str
    title_zh: str
    vintage: int
    basis: dict[str, Any]
    total: int
    rows: tuple[CheckRow, ...] = field(default_factory=tuple)

    @property
    def summary(self) -> dict[str, int]:
        """``{"matched": n, "differs": n, "not_computable": n}``."""
        out = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            out[row.status] += 1
        return out

    @property
    def ok(self) -> bool:
        return all(row.status == MATCHED for row in self.rows)

    def by_status(self, status: str) -> list[CheckRow]:
        return [row for row in self.rows if row.status == status]

    def row(self, figure_id: str) -> CheckRow:
        for r in self.rows:
            if r.id == figure_id:
                return r
        raise KeyError(figure_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "title_zh": self.title_zh,
            "vintage": self.vintage,
            "basis": self.basis,
            "total": self.total,
            "ok": self.ok,
            "summary": self.summary,
            "rows": [r.to_dict() for r in self.rows],
        }


def check(
    store: Store,
    document: str = HANGZHOU_2019,
    *,
    vintage: int = 2019,
    batch_id: int | None = None,
    year: int | None = None,
) -> CheckReport:
    """Every figure ``document`` printed against the register in ``store`` (or one batch of it).

    ``year`` keeps only certificates valid at the end of that year (the 2019 map counts those of end-2018).
    """
    from industry_brain.atlas._tally import measure_register

    measures = measure_register(store, vintage=vintage, level=1, batch_id=batch_id, year=year)
    return check_measures(measures, document)


def check_measures(measures: Measures, document: str = HANGZHOU_2019) -> CheckReport:
    """Every figure ``document`` printed against already computed ``measures`` (e.g. of a reconstructed table)."""
    doc = published_document(document)
    rows = tuple(
        _row(measures, fig, doc.unit_name(fig.unit_code), doc.field_name(fig.field)) for fig in doc.figures
    )
    return CheckReport(
        document=doc.document,
        title_zh=doc.title_zh,
        vintage=measures.vintage,
        basis=dict(measures.basis),
        total=measures.total,
        rows=rows,
    )


# ---------------------------------------------------------------------------------------------- evaluation
class _NotComputable(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass
class _Outcome:
    computed: Any
    matched: bool
    zh: str = ""
    en: str = ""
    delta: float | int | None = None


def _row(m: Measures, fig: PublishedFigure, unit_label: str, field_label: str) -> CheckRow:
    try:
        _require(m, fig)
        out = _EVALUATORS[fig.measure](m, fig)
        status = MATCHED if out.matched else DIFFERS
        computed, delta, detail = out.computed, out.delta, {"zh": out.zh, "en": out.en}
    except _NotComputable as exc:
        status, computed, delta, detail = NOT_COMPUTABLE, None, None, {"zh": exc.zh, "en": exc.en}
    return CheckRow(
        id=fig.figure_id,
        measure=fig.measure,
        unit_code=fig.unit_code,
        unit_name=unit_label,
        field=fig.field,
        field_name=field_label,
        printed=fig.value,
        computed=computed,
        status=status,
        detail=detail,
        sentence=fig.sentence_zh,
        delta=delta,
        qualifier=fig.qualifier,
        source_line=fig.source_line,
    )


def _require(m: Measures, fig: PublishedFigure) -> None:
    if m.total == 0:
        raise _NotComputable(
            "名录中没有符合口径的国家高新技术企业（已认定、已定位到地图单元、已归入技术领域）",
            "the register has no high-tech enterprise in scope (certified, placed on the map, in a field)",
        )
    units = [fig.unit_code] if fig.unit_code != CITY_CODE else []
    value = fig.value
    if isinstance(value, list) and fig.measure in ("field_top_units", "field_units_all"):
        units += value
    if isinstance(value, dict) and "units" in value:
        units += value["units"]
    for u in units:
        if u not in m.units:
            raise _NotComputable(
                f"{m.vintage}年区划中没有地图单元「{unit_name(u, 2019)}」（{u}）",
                f"the {m.vintage} division has no map unit {unit_name(u, 2019, 'en')} ({u})",
            )
    fields = [fig.field] if fig.field else []
    if isinstance(value, list) and fig.measure == "unit_top_fields":
        fields += value
    for f in fields:
        if f not in m.fields:
            raise _NotComputable(f"没有技术领域 {f}", f"no field {f} in the measures")


def _number(printed: float, computed: float, qualifier: str | None) -> bool:
    if qualifier in (None, ""):
        return computed == printed
    if qualifier in ("超过", "多", "余"):
        return computed >= printed
    if qualifier == "近":
        return printed * 0.9 <= computed <= printed
    if qualifier in ("约", "左右"):
        return abs(computed - printed) <= 0.05 * printed
    return computed == printed


def _count_outcome(
    printed: int, computed: int, qualifier: str | None, what_zh: str, what_en: str
) -> _Outcome:
    delta = computed - printed
    matched = _number(printed, computed, qualifier)
    if matched and delta == 0:
        return _Outcome(computed, True, delta=0)
    more_zh = f"多 {delta} 家" if delta > 0 else f"少 {-delta} 家"
    more_en = f"{delta} more" if delta > 0 else f"{-delta} fewer"
    zh = f"{what_zh}：计算 {computed} 家，发表 {qualifier or ''}{printed} 家（{more_zh}）"
    en = f"{what_en}: computed {computed}, printed {qualifier or ''}{printed} ({more_en})"
    return _Outcome(computed, matched, zh, en, delta)


def _city_total(m: Measures, fig: PublishedFigure) -> _Outcome:
    return _count_outcome(int(fig.value), m.total, fig.qualifier, "全市总数", "city total")


def _field_total(m: Measures, fig: PublishedFigure) -> _Outcome:
    f = str(fig.field)
    return _count_outcome(int(fig.value), m.field_total(f), fig.qualifier, field_name(f), field_name(f, "en"))


def _cell_count(m: Measures, fig: PublishedFigure) -> _Outcome:
    u, f = fig.unit_code, str(fig.field)
    return _count_outcome(
        int(fig.value),
        m.count(u, f),
        fig.qualifier,
        f"{unit_name(u, m.vintage)}{field_name(f)}",
        f"{unit_name(u, m.vintage, 'en')}, {field_name(f, 'en')}",
    )


def _field_share(m: Measures, fig: PublishedFigure) -> _Outcome:
    f = str(fig.field)
    places = int(fig.precision or 0)
    quantum = Decimal(1).scaleb(-places)
    count = m.field_total(f)
    share = (Decimal(100 * count) / Decimal(m.total)).quantize(quantum, rounding=ROUND_HALF_UP)
    printed = Decimal(str(fig.value)).quantize(quantum)
    delta = float(share - printed)
    computed = float(share)
    if share == printed:
        return _Outcome(computed, True, delta=0.0)
    zh = f"计算 {share}%（{count}/{m.total}），发表 {printed}%（差 {delta:+.{places}f} 个百分点）"
    en = f"computed {share}% ({count}/{m.total}), printed {printed}% ({delta:+.{places}f} points)"
    return _Outcome(computed, False, zh, en, delta)


def _rank_outcome(
    printed: int, rank: int, tied: bool, level_zh: list[str], level_en: list[str], what_zh: str, what_en: str
) -> _Outcome:
    phrase_zh, phrase_en = rank_phrase(rank, tied), rank_phrase(rank, tied, "en")
    with_zh = f"与{join_names(level_zh)}" if tied and level_zh else ""
    with_en = f" with {join_names(level_en, 'en')}" if tied and level_en else ""
    printed_zh, printed_en = rank_phrase(printed, False), rank_phrase(printed, False, "en")
    if rank == printed:
        if not tied:
            return _Outcome(rank, True, delta=0)
        zh = f"{what_zh}{with_zh}{phrase_zh}（按并列名次读，发表的{printed_zh}成立）"
        en = f"{what_en} {phrase_en}{with_en} (a shared rank: the printed {printed_en} holds)"
        return _Outcome(rank, True, zh, en, 0)
    zh = f"{what_zh}计算为{with_zh}{phrase_zh}，发表为{printed_zh}"
    en = f"{what_en} computed {phrase_en}{with_en}, printed {printed_en}"
    return _Outcome(rank, False, zh, en, rank - printed)


def _unit_rank(m: Measures, fig: PublishedFigure) -> _Outcome:
    u = fig.unit_code
    rank, tied = m.unit_rank_of(u)
    i = m.unit_index(u)
    level = [w for k, w in enumerate(m.units) if k != i and m.unit_totals[k] == m.unit_totals[i]]
    return _rank_outcome(
        int(fig.value),
        rank,
        tied,
        [unit_name(w, m.vintage) for w in level],
        [unit_name(w, m.vintage, "en") for w in level],
        f"{unit_name(u, m.vintage)}（{m.unit_total(u)}家）",
        f"{unit_name(u, m.vintage, 'en')} ({m.unit_total(u)})",
    )


def _field_rank(m: Measures, fig: PublishedFigure) -> _Outcome:
    f = str(fig.field)
    rank, tied = m.field_rank_of(f)
    j = m.field_index(f)
    level = [g for k, g in enumerate(m.fields) if k != j and m.field_totals[k] == m.field_totals[j]]
    return _rank_outcome(
        int(fig.value),
        rank,
        tied,
        [field_name(g) for g in level],
        [field_name(g, "en") for g in level],
        f"{field_name(f)}（{m.field_total(f)}家）",
        f"{field_name(f, 'en')} ({m.field_total(f)})",
    )


def _unit_field_rank(m: Measures, fig: PublishedFigure) -> _Outcome:
    u, f = fig.unit_code, str(fig.field)
    i, j = m.unit_index(u), m.field_index(f)
    rank = int(m.rank_in_field[i, j])
    tied = int((m.rank_in_field[:, j] == rank).sum()) > 1
    level = [w for k, w in enumerate(m.units) if k != i and m.counts[k, j] == m.counts[i, j]]
    what_zh = f"{unit_name(u, m.vintage)}{field_name(f)}（{m.count(u, f)}家）"
    what_en = f"{unit_name(u, m.vintage, 'en')} in {field_name(f, 'en')} ({m.count(u, f)})"
    names_zh = [unit_name(w, m.vintage) for w in level]
    names_en = [unit_name(w, m.vintage, "en") for w in level]
    if int(fig.value) == 1:  # 位列各区县第一位: first and not shared (``fields_led``)
        if f in m.fields_led(u):
            return _Outcome(1, True, delta=0)
        out = _rank_outcome(1, rank, tied, names_zh, names_en, what_zh, what_en)
        if rank == 1:  # first, but shared: the magazine's phrase does not hold
            out.matched = False
            out.zh = f"{what_zh}与{join_names(names_zh)}{rank_phrase(1, True)}，不是唯一的第一位"
            out.en = f"{what_en} joint 1st with {join_names(names_en, 'en')}, not first alone"
        return out
    return _rank_outcome(int(fig.value), rank, tied, names_zh, names_en, what_zh, what_en)


def _list_detail(
    printed: list[str], computed: list[str], name: Any, counts: dict[str, int]
) -> tuple[str, str]:
    def show(codes: list[str], lang: str) -> str:
        sep = "、" if lang == "zh-CN" else ", "
        return sep.join(f"{name(c, lang)} {counts.get(c, 0)}" for c in codes) or (
            "（无）" if lang == "zh-CN" else "none"
        )

    diffs_zh, diffs_en = [], []
    for k in range(max(len(printed), len(computed))):
        p = printed[k] if k < len(printed) else None
        c = computed[k] if k < len(computed) else None
        if p != c:
            diffs_zh.append(
                f"第{k + 1}位发表{name(p, 'zh-CN') if p else '（无）'}、计算{name(c, 'zh-CN') if c else '（无）'}"
            )
            diffs_en.append(
                f"#{k + 1} printed {name(p, 'en') if p else 'none'}, computed {name(c, 'en') if c else 'none'}"
            )
    zh = "；".join(diffs_zh) + f"（计算：{show(computed, 'zh-CN')}）"
    en = "; ".join(diffs_en) + f" (computed: {show(computed, 'en')})"
    return zh, en


def _tie_note(entries: list[Any], name: Any) -> tuple[str, str]:
    tied = [e for e in entries if e.tied]
    if not tied:
        return "", ""
    zh = "、".join(f"{name(e.code, 'zh-CN')} {e.count}" for e in tied)
    en = ", ".join(f"{name(e.code, 'en')} {e.count}" for e in tied)
    return f"有并列：{zh}", f"tied: {en}"


def _field_top_units(m: Measures, fig: PublishedFigure) -> _Outcome:
    f = str(fig.field)
    printed = list(fig.value)
    top = m.top_units(f, len(printed))
    computed = [r.code for r in top]
    counts = {u: m.count(u, f) for u in set(printed) | set(computed)}

    def name(code: str, lang: str) -> str:
        return unit_name(code, m.vintage, lang)

    if computed == printed:
        zh, en = _tie_note(top, name)
        return _Outcome(computed, True, zh, en)
    zh, en = _list_detail(printed, computed, name, counts)
    return _Outcome(computed, False, zh, en)


def _unit_top_fields(m: Measures, fig: PublishedFigure) -> _Outcome:
    u = fig.unit_code
    printed = list(fig.value)
    top = m.top_fields(u, len(printed))
    computed = [r.code for r in top]
    counts = {f: m.count(u, f) for f in set(printed) | set(computed)}
    if computed == printed:
        zh, en = _tie_note(top, field_name)
        return _Outcome(computed, True, zh, en)
    zh, en = _list_detail(printed, computed, field_name, counts)
    return _Outcome(computed, False, zh, en)


def _set_outcome(
    m: Measures, f: str, printed: list[str], computed: list[str], extra_ok: bool = True
) -> _Outcome:
    missing = [u for u in printed if u not in computed]
    extra = [u for u in computed if u not in printed]
    if not missing and not extra and extra_ok:
        return _Outcome(computed, True)
    zh_parts, en_parts = [], []
    if missing:
        zh_parts.append(
            "缺少 " + "、".join(f"{unit_name(u, m.vintage)}（{m.count(u, f)}家）" for u in missing)
        )
        en_parts.append(
            "missing " + ", ".join(f"{unit_name(u, m.vintage, 'en')} ({m.count(u, f)})" for u in missing)
        )
    if extra:
        zh_parts.append("多出 " + "、".join(f"{unit_name(u, m.vintage)}（{m.count(u, f)}家）" for u in extra))
        en_parts.append(
            "also " + ", ".join(f"{unit_name(u, m.vintage, 'en')} ({m.count(u, f)})" for u in extra)
        )
    return _Outcome(computed, False, "；".join(zh_parts), "; ".join(en_parts), len(computed) - len(printed))


def _field_units_all(m: Measures, fig: PublishedFigure) -> _Outcome:
    f = str(fig.field)
    computed = [r.code for r in m.top_units(f, len(m.units))]
    return _set_outcome(m, f, list(fig.value), computed)


def _units_at_least(m: Measures, fig: PublishedFigure) -> _Outcome:
    f = str(fig.field)
    value = dict(fig.value)
    computed = m.units_at_least(f, int(value["threshold"]))
    out = _set_outcome(m, f, list(value["units"]), computed, extra_ok=len(computed) == int(value["count"]))
    if not out.matched:
        out.zh = (
            f"拥有{value['threshold']}家以上的区域：计算 {len(computed)} 个，发表 {value['count']} 个；"
            + out.zh
        )
        out.en = (
            f"units with {value['threshold']}+: computed {len(computed)}, printed {value['count']}; " + out.en
        )
        out.delta = len(computed) - int(value["count"])
    return out


def _field_concentration(m: Measures, fig: PublishedFigure) -> _Outcome:
    f = str(fig.field)
    label = m.concentration(f)
    if label is None:
        raise _NotComputable(
            f"{field_name(f)}企业过少（{m.field_total(f)}家），不判断集中程度",
            f"too few enterprises in {field_name(f, 'en')} ({m.field_total(f)}) for a concentration label",
        )
    j = m.field_index(f)
    share = float(m.named_share[j]) * 100
    named_zh = "、".join(unit_name(u, m.vintage) for u in m.named_units[j])
    named_en = ", ".join(unit_name(u, m.vintage, "en") for u in m.named_units[j])
    zh = f"{named_zh} 合计占 {share:.1f}%（{CONCENTRATED_SHARE:.0%} 及以上为较为集中）"
    en = f"{named_en} hold {share:.1f}% ({CONCENTRATED_SHARE:.0%} or more is concentrated)"
    printed = _LABELS.get(str(fig.value))
    computed = _LABEL_ZH[label]
    if printed == label:
        return _Outcome(computed, True, zh, en)
    return _Outcome(
        computed,
        False,
        f"计算为{computed}，发表为{fig.value}：" + zh,
        f"computed {_LABEL_EN[label]}, printed {_LABEL_EN.get(printed or '', fig.value)}: " + en,
    )


def _unit_few(m: Measures, fig: PublishedFigure) -> _Outcome:
    u = fig.unit_code
    cap = float(fig.value["max_share_pct"])
    share = 100 * m.unit_total(u) / m.total
    computed = round(share, 2)
    if share <= cap:
        return _Outcome(computed, True)
    zh = f"{unit_name(u, m.vintage)}有 {m.unit_total(u)} 家，占全市 {share:.2f}%，超过「数量较少」的上限 {cap:g}%"
    en = f"{unit_name(u, m.vintage, 'en')} has {m.unit_total(u)}, {share:.2f}% of the city, above the {cap:g}% of 'few'"
    return _Outcome(computed, False, zh, en, round(share - cap, 2))


_EVALUATORS = {
    "city_total": _city_total,
    "field_share": _field_share,
    "field_total": _field_total,
    "field_rank": _field_rank,
    "field_concentration": _field_concentration,
    "field_top_units": _field_top_units,
    "field_units_all": _field_units_all,
    "units_at_least": _units_at_least,
    "cell_count": _cell_count,
    "unit_top_fields": _unit_top_fields,
    "unit_rank": _unit_rank,
    "unit_field_rank": _unit_field_rank,
    "unit_few": _unit_few,
}
