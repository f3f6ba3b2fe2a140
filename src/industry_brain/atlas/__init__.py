"""The Future Industry Map (杭州未来产业地图): measures, published figures, reconstruction, blurbs, maps, reports.

Measures (``_measures``, ``_tally``)::

    measure_register(store, *, vintage=2019, level=1, hightech_only=True, year=None, synthetic=None,
                     batch_id=None) -> Measures
    measure_frame(frame, *, vintage=2019, level=1, hightech_only=True, year=None, synthetic=None) -> Measures
    Measures(units, fields, counts, ...)       # from any unit × field count table
    Change(before, after)                      # two versions (batches) of a list

``Measures`` carries ``units``/``fields`` (codes; 2019 units include ``"QTXQ"`` 钱塘新区), ``counts[u, f]``,
``unit_totals``, ``field_totals``, ``total``, shares, competition ranks (``unit_rank``, ``rank_in_field``,
``rank_in_unit``, ``field_rank``), ``lq``, ``hhi_unit``/``hhi_field``, ``strong_cluster``, ``named_share`` and
``concentration(field)``, ``top_units(field, k)``, ``top_fields(unit, k)``, ``fields_led(unit)``, ``future``
(unit × future industry), ``apportioned`` and ``basis`` (the filters and record counts), ``to_dict()``.

Blurbs (``_narrative``), in the magazine's sentence patterns, with the facts they state::

    unit_blurb(measures, unit, lang="zh-CN") -> UnitBlurb     # text, top_fields, rank, tied, fields_led, ...
    field_blurb(measures, field, lang="zh-CN") -> FieldBlurb  # text, share, rank, label, named units, ...
    blurbs(measures, lang="zh-CN") -> {"units": [...], "fields": [...]}

Published figures (``_published``; the Hangzhou 2019 set ships as data, ``HANGZHOU_2019``)::

    published_figures(document=HANGZHOU_2019) -> list[PublishedFigure]   # measure, unit, field, value, sentence
    MEASURE_NAMES[measure] -> (zh, en)            # how each kind of figure is named
    published_document(document) -> PublishedDocument                     # the figures with unit/field names
    load_published(store, document) -> int        # into the store's published_figure table (idempotent)
    stored_figures(store, document) -> list[PublishedFigure]

Check (``_check``): every printed figure against a register::

    check(store, document=HANGZHOU_2019, *, vintage=2019, batch_id=None, year=None) -> CheckReport
    check_measures(measures, document=HANGZHOU_2019) -> CheckReport
    CheckReport.rows (CheckRow: id, measure, unit_code, unit_name, field, field_name, printed, computed,
                      status matched|differs|not_computable, delta, detail {zh, en}, sentence)
    CheckReport.summary {matched, differs, not_computable}; .ok; .to_dict() -> {"rows": [...], "summary": {...}}

Reconstruction (``_reconstruct``): the full 14 × 8 table consistent with every printed statement (HiGHS MILP)::

    reconstruct(document=HANGZHOU_2019, *, ranges=True, cache=True, cache_dir=None) -> Reconstruction
    Reconstruction.table() / .cells (printed | implied | estimated with min–max) / .relaxation (the smallest
    relaxation: the three 第七位 read as a shared rank) / .drop_only (every smallest set of statements to drop)

National scale (``_tally``)::

    measure_table(table, *, unit_col="unit", field_col="field", ...) -> Measures   # any unit and field codes

Report and maps (``_report``, ``_maps``)::

    report_for_store(store, out, *, vintage=2019, lang="zh-CN", pdf=True, ...) -> ReportResult
    class_breaks(values, k=5) -> list[int]        # natural-breaks class bounds of a choropleth
    write_report(measures, out, *, lang="zh-CN", pdf=True, check=None, reconstruction=None) -> ReportResult

Demo register (``_demo``)::

    build_demo(store, directory, *, seed=DEFAULT_SEED) -> DemoBuild   # two synthetic list versions, imported
    is_synthetic_uscc(code) -> bool                                    # the demo's credit-code pattern
"""

from industry_brain.atlas._check import CheckReport, CheckRow, check, check_measures
from industry_brain.atlas._demo import build_demo, is_synthetic_uscc
from industry_brain.atlas._maps import class_breaks
from industry_brain.atlas._measures import (
    CONCENTRATED,
    CONCENTRATED_SHARE,
    DISPERSED,
    Change,
    Measures,
    Ranked,
    competition_rank,
    rank_phrase,
)
from industry_brain.atlas._narrative import FieldBlurb, UnitBlurb, blurbs, field_blurb, unit_blurb
from industry_brain.atlas._published import (
    HANGZHOU_2019,
    MEASURE_NAMES,
    PublishedDocument,
    PublishedFigure,
    load_published,
    published_document,
    published_figures,
    stored_figures,
)
from industry_brain.atlas._reconstruct import Cell, Reconstruction, Relaxation, reconstruct
from industry_brain.atlas._report import report_for_store, write_report
from industry_brain.atlas._tally import UNITS_2019, UNITS_2021, measure_frame, measure_register, measure_table

__all__: list[str] = [
    "CONCENTRATED",
    "CONCENTRATED_SHARE",
    "DISPERSED",
    "HANGZHOU_2019",
    "MEASURE_NAMES",
    "UNITS_2019",
    "UNITS_2021",
    "Cell",
    "Change",
    "CheckReport",
    "CheckRow",
    "FieldBlurb",
    "Measures",
    "PublishedDocument",
    "PublishedFigure",
    "Ranked",
    "Reconstruction",
    "Relaxation",
    "UnitBlurb",
    "blurbs",
    "build_demo",
    "check",
    "check_measures",
    "class_breaks",
    "competition_rank",
    "field_blurb",
    "is_synthetic_uscc",
    "load_published",
    "measure_frame",
    "measure_register",
    "measure_table",
    "published_document",
    "published_figures",
    "rank_phrase",
    "reconstruct",
    "report_for_store",
    "stored_figures",
    "unit_blurb",
    "write_report",
]
