"""The ``geo`` context: China's division codes with their history, Hangzhou's 2019 map units and 2021 districts,
the crosswalk and township gazetteer between them, boundaries, and the address resolver.

Geography is keyed by a 6-digit GB/T 2260 code plus a vintage year, never by a name alone. The 2019 magazine map
has 14 units (13 districts/counties + 钱塘新区, code ``"QTXQ"``); the 2021 map has 13 districts.
"""

from industry_brain.geo._divisions import AS_OF_YEAR, Division, division, division_history
from industry_brain.geo._resolver import METHODS, Placement, resolve_address, resolve_many
from industry_brain.geo._units import (
    DISTRICTS_2021,
    MAP_UNITS_2019,
    QTXQ,
    SPLIT_RULES,
    CrosswalkRow,
    SplitRule,
    StreetUnits,
    Unit,
    boundaries,
    crosswalk,
    map_unit_code,
    street_units,
    unit,
)

__all__ = [
    "AS_OF_YEAR",
    "DISTRICTS_2021",
    "MAP_UNITS_2019",
    "METHODS",
    "QTXQ",
    "SPLIT_RULES",
    "CrosswalkRow",
    "Division",
    "Placement",
    "SplitRule",
    "StreetUnits",
    "Unit",
    "boundaries",
    "crosswalk",
    "division",
    "division_history",
    "map_unit_code",
    "resolve_address",
    "resolve_many",
    "street_units",
    "unit",
]
