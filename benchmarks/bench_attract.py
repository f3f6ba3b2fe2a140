"""Attraction targets for every unit of a national register: ours against a pandas baseline in the same run, then
the alerts between two register versions (``bench_attract_alerts.py``).

    .venv/bin/python benchmarks/bench_attract.py            # 3,000 units × 254 fields, ~3 M firms; alerts on 1 M
    .venv/bin/python benchmarks/bench_attract.py --quick    # 600 units, ~0.6 M firms; alerts on 100 k

The register is generated with a fixed seed: 3,000 county-level units × the 254 third-level fields of the 2016
list, each firm one row (``division_code``, ``field_l3``) of a DuckDB table. A unit's capability and a field's
complexity are drawn from log-normal laws; a unit has firms in a field with a probability falling with the gap
between the two (the nested pattern registers show), and Poisson counts where it has. Ours:
``attract.all_targets`` — the unit × field counts by SQL, RCA, presence, proximity, the PCI stability check (20
resamples), ECI/PCI/COG, the balanced preset's z-scored score and the top 20 fields of every unit. The baseline: the
same counts by pandas ``groupby`` from the same rows in a DataFrame, the ``ecomplexity`` package (pandas + numpy)
for RCA, density, PCI and COG, the same z-scored score by ``groupby.transform`` and ``groupby.nlargest`` for the top
20. Both lists are compared (top-20 agreement). Target: targets for every unit < 2 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

K = 20


def generate(units: int, seed: int = 2019) -> pd.DataFrame:
    """(unit, field, firms) with the nested pattern of real registers."""
    from industry_brain.taxonomy import fields

    codes = [f.code for f in fields(3)]
    rng = np.random.default_rng(seed)
    capability = rng.normal(0, 1, (units, 1))
    complexity = rng.normal(0, 1, (1, len(codes)))
    size = rng.lognormal(0.0, 0.8, (units, 1))
    ubiquity = rng.lognormal(0.0, 0.7, (1, len(codes)))
    p = 1 / (1 + np.exp(-2.2 * (capability - complexity)))
    has = rng.random(p.shape) < p
    counts = np.where(has, rng.poisson(1 + 6 * size * ubiquity), 0)
    u, f = np.nonzero(counts)
    return pd.DataFrame({"division_code": [f"D{i:05d}" for i in u], "field_l3": [codes[j] for j in f],
                         "n": counts[u, f].astype(np.int64)})


def ours(con: object) -> tuple[float, object]:
    from industry_brain._core.store import Store
    from industry_brain.attract import all_targets

    store = Store(con, None)  # type: ignore[arg-type]
    t = time.perf_counter()
    res = all_targets(store, units="county", level="l3", k=K)
    return time.perf_counter() - t, res


def baseline(firms: pd.DataFrame, weights: dict[str, float]) -> tuple[float, dict[str, list[str]], bool]:
    from ecomplexity import ecomplexity

    t = time.perf_counter()
    counts = firms.groupby(["division_code", "field_l3"]).size().rename("val").reset_index()
    totals = counts.groupby("division_code")["val"].transform("sum")
    counts = counts[totals >= 10]
    counts["year"] = 2019
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = ecomplexity(counts, {"time": "year", "loc": "division_code", "prod": "field_l3", "val": "val"},
                          verbose=False, check_logsupermodularity=False)
    cand = out[out["mcp"] == 0].copy()
    for col, name in (("density", "density"), ("pci", "pci"), ("cog", "cog")):
        g = cand.groupby("division_code")[col]
        sd = g.transform(lambda s: s.std(ddof=0))
        cand[f"z_{name}"] = ((cand[col] - g.transform("mean")) / sd).where(sd > 0, 0.0)
    cand["score"] = sum(weights[k] * cand[f"z_{k}"] for k in ("density", "pci", "cog"))
    top = (cand.sort_values(["division_code", "score", "field_l3"], ascending=[True, False, True])
           .groupby("division_code").head(K))
    lists = top.groupby("division_code")["field_l3"].apply(list).to_dict()
    return time.perf_counter() - t, lists, bool(out["pci"].notna().all())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--skip-alerts", action="store_true")
    args = ap.parse_args()
    import duckdb

    units = 600 if args.quick else 3000
    cells = generate(units)
    con = duckdb.connect()
    con.register("cells", cells)
    con.execute("CREATE TABLE enterprise AS SELECT c.division_code, c.field_l3, NULL::VARCHAR AS street,"
                " NULL::VARCHAR AS map_unit_2019, NULL::DATE AS registered_on FROM cells c, range(c.n)")
    con.unregister("cells")
    n_firms = con.execute("SELECT count(*) FROM enterprise").fetchone()[0]  # type: ignore[index]
    firms = con.execute("SELECT division_code, field_l3 FROM enterprise").df()
    print(f"register: {units:,} units × 254 fields, {n_firms:,} firms ({len(cells):,} non-empty cells)")

    runs = [ours(con) for _ in range(3)]
    t_ours = sorted(r[0] for r in runs)[1]
    res = runs[0][1]
    print(f"ours:     targets for every unit in {t_ours:.3f} s (median of 3: {', '.join(f'{r[0]:.3f}' for r in runs)});"
          f" panel {len(res.panel.units):,} units × {len(res.panel.fields)} fields; "  # type: ignore[attr-defined]
          f"PCI {'kept' if res.space.stable.ok else 'refused'} (rank stability {res.space.stable.spearman})")  # type: ignore[attr-defined]
    t_base, lists, base_pci = baseline(firms, res.weights)  # type: ignore[attr-defined]
    print(f"baseline: pandas groupby + ecomplexity + groupby z-scores and top {K}: {t_base:.3f} s")
    agree = total = 0
    first = 0
    for u, unit in enumerate(res.panel.units):  # type: ignore[attr-defined]
        mine = [res.panel.fields[int(j)] for j in res.top[u] if np.isfinite(res.scores[u, j])]  # type: ignore[attr-defined]
        theirs = lists.get(unit, [])
        agree += len(set(mine) & set(theirs))
        total += max(len(mine), len(theirs))
        first += bool(mine and theirs and mine[0] == theirs[0])
    print(f"agreement: top-{K} overlap {agree / max(total, 1):.4f}, same first field for {first:,} of "
          f"{len(res.panel.units):,} units" + ("" if res.space.stable.ok and base_pci else  # type: ignore[attr-defined]
                                               " (PCI refused: scores differ by design)"))
    print(f"ratio:    {t_base / t_ours:.1f}× (target: < 2 s for every unit; measured {t_ours:.3f} s)")
    if not args.skip_alerts:
        alerts = REPO / "benchmarks" / "bench_attract_alerts.py"
        if alerts.exists():
            print("== alerts between two register versions")
            sys.stdout.flush()
            subprocess.run([sys.executable, str(alerts), *(["--quick"] if args.quick else [])], check=True)


if __name__ == "__main__":
    main()
