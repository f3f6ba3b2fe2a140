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
"""

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
from industry_brain.atlas._tally import UNITS_2019, UNITS_2021, measure_frame, measure_register

__all__: list[str] = [
    "CONCENTRATED",
    "CONCENTRATED_SHARE",
    "DISPERSED",
    "UNITS_2019",
    "UNITS_2021",
    "Change",
    "Measures",
    "Ranked",
    "competition_rank",
    "measure_frame",
    "measure_register",
    "rank_phrase",
]
