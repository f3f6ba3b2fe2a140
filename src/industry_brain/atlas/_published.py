"""Published figures: what a document printed, as data that a register can be checked against.

The Hangzhou 2019 set (《杭州科技》2019年第5期, 杭州未来产业地图) ships with the package as
``_data/hangzhou_2019_published.json``, built by ``scripts/build_published_figures.py`` from
``../shared/reference/hangzhou-2019/``. Each record is one printed statement:

=====================  ==========================================================================  ==============
measure                what the sentence says                                                      value
=====================  ==========================================================================  ==============
``city_total``         the city's number of national high-tech enterprises (3785家)                int
``field_share``        a field's share of the city's total, in %, printed to ``precision`` places  float
``field_total``        a field's number of enterprises (航空航天 6家)                               int
``field_rank``         a field's rank among the 8 fields (第二, 第三; 最为薄弱 = 8)                  int
``field_concentration`` 较为集中 / 较为分散                                                          label
``field_top_units``    a field's top units, in printed order (最为集中的三个区域)                    [unit codes]
``field_units_all``    every unit that has the field at all (航空航天: 各拥有…)                      [unit codes]
``units_at_least``     the units with at least ``threshold`` (拥有100家以上的区域有四个)             object
``cell_count``         a unit's number of enterprises in a field                                   int
``unit_top_fields``    a unit's top fields, in printed order (排名前三位的领域分别是)               [field codes]
``unit_rank``          a unit's rank among the 14 units by total (排名全市第X位)                   int
``unit_field_rank``    a unit's rank among the units within a field (位列…第一位)                  int
``unit_few``           数量较少, read as: the unit holds at most ``max_share_pct`` % of the total   object
=====================  ==========================================================================  ==============

Units are 2019 map units (``unit_vintage`` 2019): 6-digit codes, ``QTXQ`` for 钱塘新区, ``330100`` for the city;
fields are the 2016 level-1 codes ``"10"``..``"80"``. ``load_published`` copies a document's figures into the
store's ``published_figure`` table (on demand, idempotent); ``stored_figures`` reads them back.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from industry_brain._core.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from industry_brain._core.store import Store

HANGZHOU_2019 = "hangzhou-kj-2019-05"
CITY_CODE = "330100"

MEASURES: tuple[str, ...] = (
    "city_total",
    "field_share",
    "field_total",
    "field_rank",
    "field_concentration",
    "field_top_units",
    "field_units_all",
    "units_at_least",
    "cell_count",
    "unit_top_fields",
    "unit_rank",
    "unit_field_rank",
    "unit_few",
)
#: How each kind of figure is named in reports and on the console (zh-CN, en).
MEASURE_NAMES: dict[str, tuple[str, str]] = {
    "city_total": ("全市总数", "city total"),
    "field_share": ("领域占比", "field share"),
    "field_total": ("领域总数", "field total"),
    "field_rank": ("领域排名", "field rank"),
    "field_concentration": ("分布集中程度", "concentration label"),
    "field_top_units": ("最为集中的区域", "top units of the field"),
    "field_units_all": ("拥有该领域企业的区域", "units with the field"),
    "units_at_least": ("达到门槛的区域", "units at or above the threshold"),
    "cell_count": ("企业数", "count"),
    "unit_top_fields": ("排名前列的领域", "top fields of the unit"),
    "unit_rank": ("全市排名", "city rank"),
    "unit_field_rank": ("领域内排名", "rank within the field"),
    "unit_few": ("数量较少", "few enterprises"),
}
_FILES = {HANGZHOU_2019: "hangzhou_2019_published.json"}


@dataclass(frozen=True)
class PublishedFigure:
    """One printed statement of a document."""

    figure_id: str
    document: str
    section: str
    measure: str
    unit_vintage: int
    unit_code: str
    field: str | None
    value: Any
    qualifier: str | None
    precision: int | None
    sentence_zh: str
    source_line: int | None
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PublishedDocument:
    """A document's figures with the names it prints for its units and fields."""

    document: str
    title_zh: str
    basis_zh: str
    unit_vintage: int
    units: dict[str, str]
    fields: dict[str, str]
    figures: tuple[PublishedFigure, ...]

    def unit_name(self, code: str) -> str:
        return "全市" if code == CITY_CODE else self.units.get(code, code)

    def field_name(self, code: str | None) -> str:
        return "" if code is None else self.fields.get(code, code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "title_zh": self.title_zh,
            "basis_zh": self.basis_zh,
            "unit_vintage": self.unit_vintage,
            "units": self.units,
            "fields": self.fields,
            "figures": [f.to_dict() for f in self.figures],
        }


def documents() -> list[str]:
    """The documents whose figures ship with the package."""
    return sorted(_FILES)


@lru_cache(maxsize=4)
def published_document(document: str = HANGZHOU_2019) -> PublishedDocument:
    """The figures of ``document`` as shipped with the package."""
    if document not in _FILES:
        raise NotFoundError(
            f"no published figures for document {document!r}, expected one of {documents()!r}",
            document=document,
        )
    raw = json.loads(
        (resources.files("industry_brain.atlas") / "_data" / _FILES[document]).read_text("utf-8")
    )
    figures = tuple(_figure_from_dict(item) for item in raw["figures"])
    return PublishedDocument(
        document=raw["document"],
        title_zh=raw["title_zh"],
        basis_zh=raw["basis_zh"],
        unit_vintage=int(raw["unit_vintage"]),
        units=dict(raw["units"]),
        fields=dict(raw["fields"]),
        figures=figures,
    )


def published_figures(document: str = HANGZHOU_2019) -> list[PublishedFigure]:
    """The figures of ``document`` as shipped with the package, in document order."""
    return list(published_document(document).figures)


def _figure_from_dict(item: dict[str, Any]) -> PublishedFigure:
    measure = item.get("measure")
    if measure not in MEASURES:
        raise InputError(
            f"unknown published measure {measure!r}, expected one of {MEASURES!r}",
            field="measure",
            value=measure,
        )
    return PublishedFigure(
        figure_id=str(item["figure_id"]),
        document=str(item["document"]),
        section=str(item["section"]),
        measure=str(measure),
        unit_vintage=int(item["unit_vintage"]),
        unit_code=str(item["unit_code"]),
        field=item.get("field"),
        value=item["value"],
        qualifier=item.get("qualifier"),
        precision=item.get("precision"),
        sentence_zh=str(item["sentence_zh"]),
        source_line=item.get("source_line"),
        note=item.get("note"),
    )


def load_published(store: Store, document: str = HANGZHOU_2019) -> int:
    """Copy ``document``'s shipped figures into ``published_figure`` unless they are there already.

    Returns the number of rows inserted (0 when the document was loaded before with the same figures; a
    document whose shipped figures changed is replaced as a whole, in one transaction).
    """
    figures = published_figures(document)
    stored = store.fetchone("SELECT count(*) FROM published_figure WHERE document = ?", [document])
    if stored is not None and int(stored[0]) == len(figures):
        current = {f.figure_id: f for f in stored_figures(store, document)}
        if all(current.get(f.figure_id) == f for f in figures):
            return 0
    with store.transaction():
        store.execute("DELETE FROM published_figure WHERE document = ?", [document])
        store.con.executemany(
            "INSERT INTO published_figure (figure_id, document, section, measure, unit_vintage, unit_code, field,"
            " value, qualifier, precision, sentence_zh, source_line, note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                [
                    f.figure_id,
                    f.document,
                    f.section,
                    f.measure,
                    f.unit_vintage,
                    f.unit_code,
                    f.field,
                    json.dumps(f.value, ensure_ascii=False),
                    f.qualifier,
                    f.precision,
                    f.sentence_zh,
                    f.source_line,
                    f.note,
                ]
                for f in figures
            ],
        )
    return len(figures)


def stored_figures(store: Store, document: str = HANGZHOU_2019) -> list[PublishedFigure]:
    """The figures of ``document`` in the store's ``published_figure`` table, in document order."""
    rows = store.records(
        "SELECT figure_id, document, section, measure, unit_vintage, unit_code, field, value, qualifier,"
        " precision, sentence_zh, source_line, note FROM published_figure WHERE document = ?",
        [document],
    )
    order = {f.figure_id: i for i, f in enumerate(published_figures(document))} if document in _FILES else {}
    rows.sort(key=lambda r: (order.get(r["figure_id"], len(order)), r["figure_id"]))
    return [_figure_from_dict({**r, "value": json.loads(r["value"])}) for r in rows]
