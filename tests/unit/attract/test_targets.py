"""The attraction targets: every measure equals the reference ``ecomplexity`` package on the same matrix, ECI/PCI
are refused where they are noise, the field targets follow the register's co-location structure with their
reasons, firm targets say why they rank, and the backtest finds what later happened."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import industry_brain.attract as attract_api
from industry_brain._core import InputError, open_store
from industry_brain._core.store import Store
from industry_brain.attract import (
    PRESETS,
    Space,
    backtest,
    backtests,
    complexity,
    density,
    field_targets,
    firm_targets,
    outlook,
    presence,
    proximity,
    proximity_panel,
    rca,
    save_backtest,
    segment_targets,
    stability,
)
from industry_brain.registry import import_file


def test_all_is_pinned() -> None:
    names = attract_api.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    for name in names:
        assert hasattr(attract_api, name), name


def _matrix(seed: int, units: int = 60, fields: int = 25) -> np.ndarray:
    """Counts with a nested structure (diverse units hold rare fields) plus noise, without empty rows or columns."""
    rng = np.random.default_rng(seed)
    cap = rng.gamma(0.8, 4, (units, 1))
    ease = rng.gamma(0.8, 4, (1, fields))
    x = rng.poisson(cap * ease * (rng.random((units, fields)) < 0.75)).astype(np.float64)
    return x[x.sum(axis=1) > 0][:, x.sum(axis=0) > 0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_measure_equals_the_ecomplexity_package(seed: int) -> None:
    ecomplexity = pytest.importorskip("ecomplexity").ecomplexity
    x = _matrix(seed)
    u, f = x.shape
    df = pd.DataFrame([(2019, f"u{i:03d}", f"f{j:03d}", x[i, j]) for i in range(u) for j in range(f)],
                      columns=["year", "loc", "prod", "val"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ecomplexity(df, {"time": "year", "loc": "loc", "prod": "prod", "val": "val"}, verbose=False,
                          check_logsupermodularity=False).sort_values(["loc", "prod"])
    r = rca(x)
    m = presence(r)
    phi = proximity(m)
    cx = complexity(m)
    coi, cog = outlook(m, phi, cx.pci_raw, cx.eci_std)
    np.testing.assert_allclose(r.ravel(), ref["rca"].to_numpy(), atol=1e-9)
    np.testing.assert_array_equal(m.ravel(), ref["mcp"].to_numpy())
    np.testing.assert_allclose(density(m, phi).ravel(), ref["density"].to_numpy(), atol=1e-9)
    np.testing.assert_allclose(np.repeat(cx.eci, f), ref["eci"].to_numpy(), atol=1e-8)
    np.testing.assert_allclose(np.tile(cx.pci, u), ref["pci"].to_numpy(), atol=1e-8)
    np.testing.assert_allclose(np.repeat(coi, f), ref["coi"].to_numpy(), atol=1e-8)
    np.testing.assert_allclose(cog.ravel(), ref["cog"].to_numpy(), atol=1e-8)
    np.testing.assert_array_equal(m.sum(axis=1).repeat(f), ref["diversity"].to_numpy())
    np.testing.assert_array_equal(np.tile(m.sum(axis=0), u), ref["ubiquity"].to_numpy())


def test_complexity_is_refused_for_a_small_or_unstable_matrix() -> None:
    small = stability(presence(rca(_matrix(1, units=14, fields=8))))
    assert not small.ok and small.spearman is None and "fewer than 20 units" in small.reason_en and "不稳定" in small.reason_zh
    noise = np.random.default_rng(5).poisson(3.0, (80, 30)).astype(np.float64)
    unstable = stability(presence(rca(noise)))       # no structure: the PCI ranking is a coin toss
    assert not unstable.ok and unstable.spearman is not None and unstable.spearman < 0.8
    # a nested matrix (unit i holds the i most common fields) has a ranking that survives resampling
    nested = np.array([[1.0 if j <= i * 30 // 100 + (j % 3 == 0 and j < i) else 0.0 for j in range(30)]
                       for i in range(100)]) * 5 + 0.01
    steady = stability(presence(rca(nested)))
    assert steady.ok and steady.spearman is not None and steady.spearman >= 0.8, steady


def _store(tmp_path: Path, register: Path) -> Store:
    store = open_store(tmp_path / "ib.duckdb")
    import_file(register, store=store)
    return store


def test_field_targets_follow_co_location_and_say_why(tmp_path: Path, attract_register_writer: Any) -> None:
    store = _store(tmp_path, attract_register_writer(tmp_path / "名录.csv", late_entry=False))
    panel = proximity_panel(store)
    assert panel.kind == "street" and len(panel.units) == 35 and panel.fields == ("101", "102", "103", "104", "201",
                                                                                   "202", "203", "204")
    got = field_targets(store, "330108", lang="zh")
    assert got["panel"]["units"] == 35 and "街道" in got["panel"]["text"]
    first = got["targets"][0]
    assert first["field"] == "104", [t["field"] for t in got["targets"]]     # the one electronics field it lacks
    assert {r["field"] for r in first["related"]} == {"101", "102", "103"}
    assert first["density"] > max(t["density"] for t in got["targets"][1:])
    assert "关联密度" in first["why"] and "区位商" in first["why"]
    assert {p["field"] for p in got["present"]} == {"101", "102", "103"}
    assert abs(sum(got["weights"].values()) - 1) < 1e-9 and got["rule"]
    if not got["complexity"]["ok"]:            # refused: PCI/COG left out of the score and said so
        assert first["pci"] is None and got["weights"]["pci"] == 0 and any("PCI" in line for line in got["rule"])
    en = field_targets(store, "330108", lang="en", preset_code="low_hanging")
    assert en["preset"]["code"] == "low_hanging" and "relatedness density" in en["targets"][0]["why"]
    with pytest.raises(InputError, match="preset"):
        field_targets(store, "330108", preset_code="greedy")
    store.close()


def test_firm_targets_rank_outside_firms_of_the_target_fields(tmp_path: Path, attract_register_writer: Any) -> None:
    store = _store(tmp_path, attract_register_writer(tmp_path / "名录.csv", late_entry=False))
    got = firm_targets(store, "330108", lang="zh", limit=500, per_field=0)
    assert got["firms"], got
    assert all(f["unit"] != "330108" for f in got["firms"])
    top = got["firms"][0]
    assert top["field"] == "104" and top["parts"]["fit"] == 1.0 and top["kind"] == "target"
    assert set(top["parts"]) == {"fit", "size", "hightech", "patents", "growth", "closeness"}
    assert abs(top["score"] - sum(attract_api.FIRM_WEIGHTS[k] * v for k, v in top["parts"].items())) < 1e-3
    assert "零和" in top["why"]               # a firm elsewhere in the city: moving it is zero-sum for the city
    capped = firm_targets(store, "330108", limit=50, per_field=2)
    counts: dict[str, int] = {}
    for f in capped["firms"]:
        counts[f["field"]] = counts.get(f["field"], 0) + 1
    assert max(counts.values()) <= 2
    store.close()


def test_segment_targets_list_the_chain_gaps(tmp_path: Path, attract_register: Path) -> None:
    store = _store(tmp_path, attract_register)
    rows = segment_targets(store, "330108")
    seg = {(r["chain"], r["segment"]): r for r in rows}
    assert seg[("vr", "components")]["verdict"] == "missing" and seg[("vr", "components")]["firms"] == 0
    assert seg[("vr", "components")]["density"] is not None
    assert all(r["verdict"] in ("missing", "thin", "strong") and r["why"] for r in rows)
    order = {"missing": 0, "thin": 1, "strong": 2}
    assert [order[r["verdict"]] for r in rows] == sorted(order[r["verdict"]] for r in rows)
    store.close()


def test_the_backtest_finds_the_field_that_arrived(tmp_path: Path, attract_register: Path) -> None:
    store = _store(tmp_path, attract_register)
    res = backtest(store, 2012, 3, units="district")
    d = res.to_dict()
    assert d["positives"] == 1 and d["candidates"] == 9 * 8 - 4 * 4 * 2 - 3   # only 滨江区 × 104 arrived
    assert d["metrics"]["density"]["auc"] == 1.0
    assert d["metrics"]["density"]["auc_within"] == 1.0 and d["metrics"]["density"]["units_scored"] == 1
    assert d["metrics"]["density"]["precision_at"]["10"] == pytest.approx(0.1)
    assert 0.2 < d["metrics"]["random"]["auc"] < 0.8 and d["metrics"]["random"]["auc_sd"] > 0
    assert d["panel"]["firms_before"] == 9 * 0 + 8 * 4 * 12 + 36 and d["panel"]["firms_after"] == 8 * 4 * 12 + 42
    assert set(d["metrics"]) == {"density", "preset", "field_growth", "random"} and d["notes"]
    assert d["roc"]["density"]["fpr"][0] == 0.0 and d["roc"]["density"]["tpr"][-1] == 1.0
    entry = backtest(store, 2012, 3, presence_rule="entry")
    assert entry.positives == 1
    run = save_backtest(store, res)
    assert backtests(store)[0]["run_id"] == run and backtests(store)[0]["params"]["as_of"] == 2012
    with pytest.raises(InputError, match="as-of"):
        backtest(store, 1990, 3)
    with pytest.raises(InputError, match="presence"):
        backtest(store, 2012, 3, presence_rule="maybe")
    store.close()


def test_no_arrival_no_positive(tmp_path: Path, attract_register_writer: Any) -> None:
    store = _store(tmp_path, attract_register_writer(tmp_path / "名录.csv", late_entry=False))
    with pytest.raises(InputError, match="as-of"):   # nothing registered after the cut-off: nothing to check
        backtest(store, 2012, 3)
    store.close()


def test_presets_weights_sum_to_one_and_space_reads_any_units() -> None:
    for p in PRESETS.values():
        assert abs(sum(p.weights.values()) - 1) < 1e-9 and p.name_zh and p.name_en
    from industry_brain.attract._panel import Panel

    x = _matrix(4)
    space = Space.learn(Panel("county", "l2", tuple(f"u{i}" for i in range(len(x))),
                              tuple(f"f{j}" for j in range(x.shape[1])), x))
    out = space.read(x[:5], np.zeros((5, x.shape[1])), PRESETS["balanced"].weights)
    assert out["score"].shape == (5, x.shape[1])
    assert np.isneginf(out["score"][out["m"] > 0]).all() and np.isfinite(out["score"][out["m"] == 0]).all()


def test_a_bad_level_or_unit_kind_is_an_input_error(tmp_path: Path, attract_register: Path) -> None:
    store = _store(tmp_path, attract_register)
    with pytest.raises(InputError, match="field level '0'"):
        backtest(store, 2012, 3, level="0")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unit kind 'town'"):
        backtest(store, 2012, 3, units="town")  # type: ignore[arg-type]
    store.close()
