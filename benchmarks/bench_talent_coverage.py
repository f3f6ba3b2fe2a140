"""Coverage of the net employment outlook's 95 % interval: Newcombe's paired interval against the naive one.

    .venv/bin/python benchmarks/bench_talent_coverage.py            # quick: 2,000 samples per cell
    .venv/bin/python benchmarks/bench_talent_coverage.py --full     # 20,000 samples per cell, a wider grid

The net employment outlook is θ = P(increase) − P(decrease), estimated from one multinomial sample of n firms
(increase / same / decrease). For each grid cell (n, true shares) the script draws samples, computes the intervals
and counts how often they contain the true θ (coverage) and how wide they are. The contenders:

- ``newcombe10``  our interval (``talent.net_outlook``: Newcombe 1998 method 10 for a paired difference);
- ``naive``       the baseline: the two-sample Wald interval p1 − p2 ± z·√(p1(1−p1)/n + p2(1−p2)/n), which treats
                  the two shares as independent samples and so ignores their negative covariance −p1·p2/n;
- ``wald_paired`` Wald with the right multinomial variance (``talent.wald_paired``), for reference;
- ``sq_add_ind``  Newcombe's square-and-add interval for *independent* proportions (statsmodels' ``newcomb``).

Each distinct table is computed once (many samples repeat a table); the time per interval is measured separately
on the same list of distinct tables for our interval and the naive baseline. Coverage is a Monte-Carlo estimate:
its standard error is about √(0.95·0.05/reps) — 0.5 points at 2,000 samples.
"""

from __future__ import annotations

import argparse
import math
import time
import warnings
from collections.abc import Callable

import numpy as np

from industry_brain.talent import net_outlook, wald_paired

Z = 1.959963984540054
Table = tuple[int, int, int]  # increase, same, decrease
Interval = tuple[float, float]

QUICK_N = (30, 110, 300, 697)
FULL_N = (20, 30, 50, 110, 200, 300, 587, 697, 1500)
QUICK_P = ((0.81, 0.03), (0.60, 0.10), (0.40, 0.30), (0.95, 0.01), (0.20, 0.05))
FULL_P = (*QUICK_P, (0.50, 0.50), (0.70, 0.25), (0.05, 0.02), (0.33, 0.33), (0.90, 0.00))


def newcombe10(t: Table) -> Interval:
    ci = net_outlook(t[0], t[1], t[2])
    return ci.low, ci.high


def naive(t: Table) -> Interval:
    n = sum(t)
    p1, p2 = t[0] / n, t[2] / n
    half = Z * math.sqrt(p1 * (1 - p1) / n + p2 * (1 - p2) / n)
    return max(-1.0, p1 - p2 - half), min(1.0, p1 - p2 + half)


def wald(t: Table) -> Interval:
    ci = wald_paired(0, t[0], t[2], t[1])
    return ci.low, ci.high


def square_and_add_independent(t: Table) -> Interval:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from statsmodels.stats.proportion import confint_proportions_2indep

        n = sum(t)
        low, high = confint_proportions_2indep(t[0], n, t[2], n, method="newcomb")
    return max(-1.0, float(low)), min(1.0, float(high))


METHODS: dict[str, Callable[[Table], Interval]] = {
    "newcombe10": newcombe10,
    "naive": naive,
    "wald_paired": wald,
    "sq_add_ind": square_and_add_independent,
}


def cell(
    n: int, p_inc: float, p_dec: float, reps: int, rng: np.random.Generator
) -> dict[str, tuple[float, float]]:
    """(coverage %, mean width in points) of each method over ``reps`` samples of size n."""
    theta = p_inc - p_dec
    draws = rng.multinomial(n, [p_inc, 1 - p_inc - p_dec, p_dec], size=reps)
    tables, counts = np.unique(draws, axis=0, return_counts=True)
    out = {}
    for name, fn in METHODS.items():
        covered = width = 0.0
        for row, k in zip(tables, counts, strict=True):
            low, high = fn((int(row[0]), int(row[1]), int(row[2])))
            covered += k * (low - 1e-12 <= theta <= high + 1e-12)
            width += k * (high - low)
        out[name] = (100 * covered / reps, 100 * width / reps)
    return out


def timing(tables: list[Table], fn: Callable[[Table], Interval], repeat: int = 3) -> float:
    """Best-of-``repeat`` microseconds per interval."""
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in tables:
            fn(t)
        best = min(best, time.perf_counter() - t0)
    return 1e6 * best / len(tables)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_true", help="2,000 samples per cell on a small grid (default)")
    g.add_argument("--full", action="store_true", help="20,000 samples per cell on a wider grid")
    ap.add_argument("--reps", type=int, help="samples per cell (overrides the mode)")
    ap.add_argument("--seed", type=int, default=2018)
    args = ap.parse_args()
    full = bool(args.full)
    reps = args.reps or (20_000 if full else 2_000)
    ns, ps = (FULL_N, FULL_P) if full else (QUICK_N, QUICK_P)
    rng = np.random.default_rng(args.seed)
    names = list(METHODS)
    print(f"coverage of nominal 95 % intervals for θ = P(increase) − P(decrease); {reps:,} samples per cell, "
          f"Monte-Carlo SE ≈ {100 * math.sqrt(0.95 * 0.05 / reps):.1f} points")  # fmt: skip
    print(f"{'n':>5} {'p_inc':>6} {'p_dec':>6} {'θ':>6} | " + " | ".join(f"{m:>17}" for m in names))
    print(f"{'':>5} {'':>6} {'':>6} {'':>6} | " + " | ".join(f"{'cover%   width':>17}" for _ in names))
    t0 = time.perf_counter()
    totals: dict[str, list[tuple[float, float]]] = {m: [] for m in names}
    for n in ns:
        for p_inc, p_dec in ps:
            res = cell(n, p_inc, p_dec, reps, rng)
            for m in names:
                totals[m].append(res[m])
            print(f"{n:>5} {p_inc:>6.2f} {p_dec:>6.2f} {100 * (p_inc - p_dec):>+6.0f} | "
                  + " | ".join(f"{res[m][0]:>7.1f} {res[m][1]:>9.2f}" for m in names))  # fmt: skip
    sim_s = time.perf_counter() - t0
    print()
    print(
        f"{'summary over ' + str(len(totals[names[0]])) + ' cells':<28} "
        + " ".join(f"{m:>12}" for m in names)
    )
    rows = {
        "mean coverage %": [np.mean([c for c, _ in totals[m]]) for m in names],
        "min coverage %": [np.min([c for c, _ in totals[m]]) for m in names],
        "cells below 93 %": [sum(c < 93 for c, _ in totals[m]) for m in names],
        "mean width (points)": [np.mean([w for _, w in totals[m]]) for m in names],
    }
    for label, vals in rows.items():
        print(f"{label:<28} " + " ".join(f"{v:>12.2f}" if isinstance(v, float) else f"{v:>12}" for v in vals))
    # time per interval, ours against the baseline, on the same distinct tables
    draws = np.random.default_rng(args.seed + 1).multinomial(697, [0.81, 0.16, 0.03], size=5_000)
    tables = [tuple(int(x) for x in r) for r in np.unique(draws, axis=0)]
    ours, base = timing(tables, newcombe10), timing(tables, naive)  # type: ignore[arg-type]
    print()
    print(f"time per interval over {len(tables):,} distinct tables (n = 697): newcombe10 {ours:.1f} µs, "
          f"naive {base:.1f} µs — ratio {ours / base:.1f}×")  # fmt: skip
    print(f"simulation wall time {sim_s:.1f} s")


if __name__ == "__main__":
    main()
