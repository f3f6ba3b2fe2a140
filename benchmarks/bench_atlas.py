"""All atlas measures over a national-scale register: ``measure_table`` against a straightforward pandas version.

    .venv/bin/python benchmarks/bench_atlas.py            # 1 M and 10 M enterprises (a few minutes)
    .venv/bin/python benchmarks/bench_atlas.py --quick    # 1 M only
    .venv/bin/python benchmarks/bench_atlas.py --sizes 1000000 10000000 --runs 5

The register is generated (never read from ../shared): ~3,000 county-level units with six-digit division codes
(province · prefecture · county) and the 254 level-3 high-tech fields of the taxonomy. Enterprises per county
follow a Zipf-like law (a few metropolitan districts hold most firms, s = 1.05 over a shuffled order); fields
follow a Zipf-like law city-wide (s = 1.1) and every county has a specialty field that draws 25% of its firms,
so that location quotients and strong clusters mean something. About 7% of enterprises are classified into one
of the 7 future industries, 1% into two. Columns are plain Arrow strings (what a Parquet or CSV register gives),
handed to pandas as its default string columns (``str``, Arrow-backed in pandas 3) with a list (or None) per
enterprise for the future industries.

"All measures", for both contenders: counts by unit × field and by unit × future industry; unit and field
totals; every share; competition ranks (unit, field, unit within field, field within unit); location quotients
with count floors; HHI both ways; strong clusters (LQ ≥ 1 and ≥ the field's 75th percentile, count floor); the
units each field blurb names and their share; top-3 lists both ways for every unit and field; each unit's fields
led. Before timing, the two are checked to give the same figures.

Printed: median wall time of ``--runs`` runs (the contenders alternate, so a shared machine's load falls on
both), peak traced allocations (tracemalloc: NumPy and Python objects)
plus Arrow's peak pool allocation for one extra run of each, the process's peak RSS, and pandas / ours.
Targets: 10 M enterprises in ≤ 2 s median, ≥ 10× the pandas baseline.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import time
import tracemalloc
from typing import Any

import numpy as np

N_UNITS = 3000
SPECIALTY_SHARE = 0.25
LQ_FLOOR, UNIT_FLOOR, CLUSTER_FLOOR, NAMED_FLOOR, NAMED_MAX = 5, 20, 10, 100, 5


# ------------------------------------------------------------------------------------------------ generator
def _zipf_draw(rng: np.random.Generator, n: int, k: int, s: float) -> np.ndarray:
    """``n`` draws from 0..k−1 with P(rank r) ∝ 1/r^s over a shuffled order (so rank is not code order)."""
    w = 1.0 / np.arange(1, k + 1) ** s
    cdf = np.cumsum(w / w.sum())
    ranks = np.minimum(np.searchsorted(cdf, rng.random(n)), k - 1)
    return rng.permutation(k)[ranks].astype(np.int32)


def county_codes(rng: np.random.Generator, n: int = N_UNITS) -> list[str]:
    """``n`` distinct six-digit county-level codes over the 31 province prefixes."""
    provinces = [
        11,
        12,
        13,
        14,
        15,
        21,
        22,
        23,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        41,
        42,
        43,
        44,
        45,
        46,
        50,
        51,
        52,
        53,
        54,
        61,
        62,
        63,
        64,
        65,
    ]
    pool = [f"{p:02d}{c:02d}{d:02d}" for p in provinces for c in range(1, 21) for d in range(1, 31)]
    return sorted(rng.choice(pool, size=n, replace=False).tolist())


def level3_fields() -> list[str]:
    from industry_brain.taxonomy import fields

    return sorted(f.code for f in fields() if f.level == 3)


def generate(n: int, seed: int = 2019) -> tuple[Any, dict[str, Any]]:
    """A register of ``n`` enterprises as a pyarrow Table (county, field_l3, future_industries)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from industry_brain.atlas._tally import FUTURE_CODES

    rng = np.random.default_rng(seed)
    units = county_codes(rng)
    fields = level3_fields()
    ui = _zipf_draw(rng, n, len(units), 1.05)
    specialty = rng.integers(0, len(fields), size=len(units)).astype(np.int32)
    fi = _zipf_draw(rng, n, len(fields), 1.1)
    special = rng.random(n) < SPECIALTY_SHARE
    fi[special] = specialty[ui[special]]
    lengths = np.zeros(n, dtype=np.int32)
    u = rng.random(n)
    lengths[u < 0.08] = 1
    lengths[u < 0.01] = 2
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    values = rng.integers(0, len(FUTURE_CODES), size=int(offsets[-1])).astype(np.int32)
    future_dict = pa.array(FUTURE_CODES)
    table = pa.table(
        {
            "county": pc.take(pa.array(units), pa.array(ui)),
            "field_l3": pc.take(pa.array(fields), pa.array(fi)),
            "future_industries": pa.ListArray.from_arrays(
                pa.array(offsets), pc.take(future_dict, pa.array(values))
            ),
        }
    )
    return table, {"units": units, "fields": fields}


def to_pandas(table: Any) -> Any:
    """The same register as pandas gets it: its default string columns, a list (or None) per enterprise."""
    import pandas as pd

    df = table.select(["county", "field_l3"]).to_pandas()
    lists = table.column("future_industries").combine_chunks()
    offsets = lists.offsets.to_numpy()
    flat = np.asarray(lists.values.to_pylist(), dtype=object)
    future = np.full(len(df), None, dtype=object)
    for i in np.flatnonzero(np.diff(offsets)):
        future[i] = list(flat[offsets[i] : offsets[i + 1]])
    df["future_industries"] = pd.Series(future, index=df.index)
    return df


# ------------------------------------------------------------------------------------------------ ours
def ours(table: Any) -> dict[str, Any]:
    from industry_brain.atlas._tally import measure_table

    m = measure_table(table, unit_col="county", field_col="field_l3", future_col="future_industries", level=3)
    top_fields, top_units = m.top_lists(3)
    return {"m": m, "top_fields": top_fields, "top_units": top_units, "led": m.leaders()}


# ------------------------------------------------------------------------------------------------ pandas
def pandas_baseline(df: Any) -> dict[str, Any]:
    """The same measures, written the way a pandas user would."""
    import pandas as pd

    counts = df.groupby(["county", "field_l3"]).size().unstack(fill_value=0).sort_index().sort_index(axis=1)
    future = (
        df[["county", "future_industries"]]
        .explode("future_industries")
        .dropna()
        .groupby(["county", "future_industries"])
        .size()
        .unstack(fill_value=0)
    )
    unit_tot = counts.sum(axis=1)
    field_tot = counts.sum(axis=0)
    total = int(unit_tot.sum())
    share_city = field_tot / total
    share_of_field = counts / field_tot
    share_of_unit = counts.div(unit_tot, axis=0)
    lq = share_of_unit / share_city
    lq = lq.where((counts >= LQ_FLOOR) & (unit_tot >= UNIT_FLOOR).values[:, None])
    ranks = {
        "unit": unit_tot.rank(method="min", ascending=False),
        "field": field_tot.rank(method="min", ascending=False),
        "in_field": counts.rank(method="min", ascending=False),
        "in_unit": counts.rank(axis=1, method="min", ascending=False),
    }
    hhi_unit = (share_of_unit**2).sum(axis=1)
    hhi_field = (share_of_field**2).sum(axis=0)
    p75 = lq.quantile(0.75)
    strong = (lq >= 1) & (lq >= p75) & (counts >= CLUSTER_FLOOR)
    long = counts.stack().rename("n").reset_index()
    long = long[long["n"] > 0]
    by_field = long.sort_values(["field_l3", "n", "county"], ascending=[True, False, True])
    by_unit = long.sort_values(["county", "n", "field_l3"], ascending=[True, False, True])
    top_units = by_field.groupby("field_l3").head(3).groupby("field_l3")["county"].apply(list)
    top_fields = by_unit.groupby("county").head(3).groupby("county")["field_l3"].apply(list)
    big = (counts >= NAMED_FLOOR).sum(axis=0)
    head = by_field.groupby("field_l3").head(NAMED_MAX).copy()
    head["pos"] = head.groupby("field_l3").cumcount()
    take = pd.Series(np.where((big > 3) & (big <= NAMED_MAX), big, 3), index=big.index)
    named = head[head["pos"] < head["field_l3"].map(take)]
    named_share = named.groupby("field_l3")["n"].sum() / field_tot
    firsts = ranks["in_field"] == 1
    sole = firsts & (firsts.sum(axis=0) == 1) & (counts > 0)
    led_long = sole.stack()
    led_long = led_long[led_long].reset_index()
    led_long["n"] = counts.stack()[sole.stack()].values
    led = (
        led_long.sort_values(["county", "n", "field_l3"], ascending=[True, False, True])
        .groupby("county")["field_l3"]
        .apply(list)
    )
    return {
        "counts": counts,
        "future": future,
        "lq": lq,
        "ranks": ranks,
        "hhi_unit": hhi_unit,
        "hhi_field": hhi_field,
        "strong": strong,
        "top_units": top_units,
        "top_fields": top_fields,
        "named_share": named_share,
        "led": led,
    }


def same(a: dict[str, Any], b: dict[str, Any]) -> None:
    """Both contenders give the same figures (raises AssertionError otherwise)."""
    m = a["m"]
    c = b["counts"].reindex(index=m.units, columns=m.fields, fill_value=0)
    assert np.array_equal(m.counts, c.to_numpy()), "counts"
    fut = b["future"].reindex(index=m.units, columns=m.future_codes, fill_value=0)
    assert np.array_equal(m.future, fut.to_numpy()), "future-industry counts"
    assert np.allclose(m.lq, b["lq"].reindex(index=m.units, columns=m.fields).to_numpy(), equal_nan=True), (
        "LQ"
    )
    assert np.array_equal(m.rank_in_field, b["ranks"]["in_field"].to_numpy().astype(int)), "rank in field"
    assert np.array_equal(m.rank_in_unit, b["ranks"]["in_unit"].to_numpy().astype(int)), "rank in unit"
    assert np.array_equal(m.unit_rank, b["ranks"]["unit"].to_numpy().astype(int)), "unit rank"
    assert np.allclose(m.hhi_unit, b["hhi_unit"].to_numpy()), "HHI of units"
    assert np.allclose(m.hhi_field, b["hhi_field"].to_numpy()), "HHI of fields"
    assert np.array_equal(m.strong_cluster, b["strong"].to_numpy()), "strong clusters"
    assert np.allclose(m.named_share, b["named_share"].reindex(m.fields).to_numpy(), equal_nan=True), "named"
    for f in m.fields:
        assert a["top_units"][f] == list(b["top_units"].get(f, [])), f"top units of {f}"
    for u in m.units:
        assert a["top_fields"][u] == list(b["top_fields"].get(u, [])), f"top fields of {u}"
        assert a["led"][u] == list(b["led"].get(u, [])), f"fields led by {u}"


# ------------------------------------------------------------------------------------------------ timing
def timed_pairs(
    a: Any, a_arg: Any, b: Any, b_arg: Any, runs: int, b_runs: int
) -> tuple[list[float], list[float]]:
    """Alternate the contenders (a, b, a, b, …) so that a shared machine's load falls on both alike."""
    ta: list[float] = []
    tb: list[float] = []
    for k in range(max(runs, b_runs)):
        for fn, arg, out, limit in ((a, a_arg, ta, runs), (b, b_arg, tb, b_runs)):
            if k >= limit:
                continue
            gc.collect()
            t0 = time.perf_counter()
            fn(arg)
            out.append(time.perf_counter() - t0)
    return ta, tb


def traced_peak(fn: Any, arg: Any) -> tuple[int, int]:
    """(tracemalloc peak, Arrow's peak allocation) in bytes, for one run: Arrow allocates through a proxy pool
    for the run, so that its peak is the run's own."""
    import pyarrow as pa

    gc.collect()
    parent = pa.default_memory_pool()
    proxy = pa.proxy_memory_pool(parent)
    pa.set_memory_pool(proxy)
    tracemalloc.start()
    try:
        fn(arg)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        pa.set_memory_pool(parent)
    return peak, int(proxy.max_memory() or 0)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    ap.add_argument(
        "--runs", type=int, default=5, help="timed runs of ours (median); pandas gets --pandas-runs"
    )
    ap.add_argument("--pandas-runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="1 M enterprises only, 3 runs each")
    ap.add_argument("--no-memory", action="store_true", help="skip the traced-memory runs")
    args = ap.parse_args()
    sizes = [1_000_000] if args.quick else args.sizes
    runs, pruns = (3, 2) if args.quick else (args.runs, args.pandas_runs)
    print(f"units ≈ {N_UNITS} counties, fields = 254 level-3, runs = {runs} (ours) / {pruns} (pandas)")
    for n in sizes:
        t0 = time.perf_counter()
        table, _meta = generate(n)
        gen = time.perf_counter() - t0
        t0 = time.perf_counter()
        df = to_pandas(table)
        conv = time.perf_counter() - t0
        a, b = ours(table), pandas_baseline(df)
        same(a, b)
        m = a["m"]
        nz = int((m.counts > 0).sum())
        print(
            f"\n== {n:,} enterprises: {len(m.units)} units × {len(m.fields)} fields ({nz:,} non-empty cells), "
            f"{int(m.future.sum()):,} future-industry classifications; generated in {gen:.1f} s, "
            f"to pandas in {conv:.1f} s; results identical"
        )
        del a, b
        all_ours, all_pd = timed_pairs(ours, table, pandas_baseline, df, runs, pruns)
        t_ours, t_pd = statistics.median(all_ours), statistics.median(all_pd)
        print(f"  ours   (measure_table, top_lists, leaders):  median {t_ours:7.3f} s  runs {_fmt(all_ours)}")
        print(f"  pandas (groupby/unstack/rank/quantile/...):  median {t_pd:7.3f} s  runs {_fmt(all_pd)}")
        print(f"  pandas / ours = {t_pd / t_ours:.1f}×   ({n / t_ours / 1e6:.1f} M enterprises/s)")
        if not args.no_memory:
            po, ao = traced_peak(ours, table)
            pp, ap_ = traced_peak(pandas_baseline, df)
            print(
                f"  memory, one run: ours {po / 2**20:.0f} MiB traced + {ao / 2**20:.0f} MiB Arrow; "
                f"pandas {pp / 2**20:.0f} MiB traced + {ap_ / 2**20:.0f} MiB Arrow"
            )
        print(
            f"  process peak RSS so far: {peak_rss_mib():.0f} MiB (register: {table.nbytes / 2**20:.0f} MiB Arrow)"
        )
        if n >= 10_000_000:
            ok = t_ours <= 2.0 and t_pd / t_ours >= 10
            print(f"  targets (≤ 2 s, ≥ 10×): {'met' if ok else 'MISSED'}")
        del table, df
        gc.collect()


def _fmt(ts: list[float]) -> str:
    return " ".join(f"{t:.3f}" for t in ts)


if __name__ == "__main__":
    main()
