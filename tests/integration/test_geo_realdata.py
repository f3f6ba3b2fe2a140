"""The resolver on the real Hangzhou register (read from ../shared; its rows never enter the repository)."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from industry_brain.geo import resolve_many


@pytest.mark.realdata
def test_real_register_placed_on_both_maps() -> None:
    from tests.conftest import REAL_REGISTRATIONS

    with REAL_REGISTRATIONS.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts = [r["注册地址"] for r in rows]
    codes = [r["统一社会信用代码"][2:8] for r in rows]
    table = resolve_many(texts, codes).to_pydict()
    n = len(rows)
    placed = sum(1 for u, d in zip(table["map_unit_2019"], table["district_2021"], strict=True) if u and d)
    breakdown = Counter(zip(table["method"], table["confidence"], strict=True))
    print(f"\nrows {n}, placed on a 2019 unit and a 2021 district: {placed} ({placed / n:.2%})")
    for (method, conf), count in sorted(breakdown.items(), key=lambda kv: -kv[1]):
        print(f"  {method:15} {conf:.2f} {count:6} ({count / n:.2%})")
    assert n == 30426
    assert placed / n >= 0.98
    by_method = Counter(table["method"])
    assert by_method["authority-code"] / n < 0.02  # the authority digits stay a last resort
    assert by_method["gazetteer"] + by_method["street"] > 0.05 * n  # the township level matters
