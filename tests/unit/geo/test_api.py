"""The public API of ``geo`` is pinned: adding or removing a name is a deliberate change."""

from __future__ import annotations

import industry_brain.geo as geo


def test_all_is_pinned() -> None:
    assert sorted(geo.__all__) == sorted([
        "AS_OF_YEAR", "DISTRICTS_2021", "MAP_UNITS_2019", "METHODS", "QTXQ", "SPLIT_RULES", "CrosswalkRow",
        "Division", "Placement", "SplitRule", "StreetUnits", "Unit", "boundaries", "crosswalk", "division",
        "division_history", "map_unit_code", "resolve_address", "resolve_many", "street_units", "unit",
    ])
    for name in geo.__all__:
        assert hasattr(geo, name), name
