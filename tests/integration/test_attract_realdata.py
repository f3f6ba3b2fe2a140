"""The attraction backtest and targets on the real registrations (../shared/data/real, 1980 – April 2019): the
figures are what they are (no AUC target), but they must be computed on data the recommendation did not see and
stay internally consistent. No row of the file is written anywhere but a temporary store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real" / "hangzhou_registrations.csv"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from industry_brain._core.store import open_store
    from industry_brain.registry import import_file

    st = open_store(tmp_path_factory.mktemp("real") / "real.duckdb")
    import_file(REAL, store=st)
    yield st
    st.close()


@pytest.mark.parametrize("units", ["district", "street"])
def test_the_backtest_on_the_real_register(store: object, units: str) -> None:
    from industry_brain.attract import backtest

    res = backtest(store, 2012, 3, units=units).to_dict()  # type: ignore[arg-type]
    p = res["panel"]
    assert p["register"]["first"].startswith("1980") and p["register"]["last"].startswith("2019")
    assert p["firms_after"] > p["firms_before"] > 1000
    assert p["proximity"]["kind"] == "street" and p["proximity"]["units"] > 50   # the largest panel: streets
    assert 0 < res["positives"] < res["candidates"] and res["base_rate"] == round(res["positives"] / res["candidates"], 4)
    for name in ("density", "preset", "field_growth"):
        auc = res["metrics"][name]["auc"]
        assert auc is not None and 0.0 <= auc <= 1.0
    assert abs(res["metrics"]["random"]["auc"] - 0.5) < 0.1
    assert p["complexity"]["spearman"] is not None      # the stability check ran and its figure is reported


def test_targets_on_the_real_register_say_why(store: object) -> None:
    from industry_brain.attract import field_targets, firm_targets

    got = field_targets(store, "330108", lang="zh")  # type: ignore[arg-type]
    assert got["targets"] and all(t["why"] and t["rca"] < 1 for t in got["targets"])
    assert got["panel"]["kind"] == "street" and got["complexity"]["ok"] == (got["targets"][0]["pci"] is not None)
    firms = firm_targets(store, "330108", targets=got, limit=20)  # type: ignore[arg-type]
    assert firms["firms"] and all(f["unit"] != "330108" and f["why"] for f in firms["firms"])
