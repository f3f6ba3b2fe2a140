"""Confidence intervals used by the survey statistics.

``wilson(k, n)``
    Wilson score interval for one proportion (Wilson 1927) — used for every share, base = those who answered.
``newcombe_paired(a, b, c, d)``
    Newcombe (1998, Stat Med 17:2635-2650) method 10: the interval for the difference θ = p1 − p2 of two
    proportions measured on the *same* sample, from the paired table

    ===========  ==========  ==========
    \\            event 2 yes  event 2 no
    event 1 yes  a           b
    event 1 no   c           d
    ===========  ==========  ==========

    with p1 = (a+b)/n, p2 = (a+c)/n, Wilson limits (l1, u1), (l2, u2) and the correlation estimate
    φ = C / √((a+b)(c+d)(a+c)(b+d)), C = ad − bc − n/2 if ad − bc > n/2, 0 if 0 ≤ ad − bc ≤ n/2, else ad − bc::

        L = θ − √((p1 − l1)² − 2φ(p1 − l1)(u2 − p2) + (u2 − p2)²)
        U = θ + √((p2 − l2)² − 2φ(p2 − l2)(u1 − p1) + (u1 − p1)²)

    The net employment outlook (% increase − % decrease) is such a difference: "increase" and "decrease" are
    two mutually exclusive answers of one question, so a = 0, b = #increase, c = #decrease, d = #same, and the
    two shares are negatively correlated — the two-sample (independent) interval would be wrong.
``wald_paired(a, b, c, d)``
    the naive Wald interval θ ± z·√((b + c)/n − θ²)/√n, for comparison only (benchmarks/bench_talent_coverage.py).
``mean_t(values)``
    mean with SD, SE = SD/√n and the t-based interval mean ± t(0.975, n−1)·SE (the layout of SPSS's 描述统计,
    which the magazine's Table 1 follows).
``kish_deff(weights)``
    Kish's design effect of unequal weights, deff = n·Σw² / (Σw)², and the effective sample size n / deff.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from industry_brain._core.errors import InputError


@functools.lru_cache(maxsize=64)
def _z(confidence: float) -> float:
    """The normal quantile of a two-sided interval (cached: SciPy's ppf costs more than the interval)."""
    from scipy.stats import norm

    if not 0 < confidence < 1:
        raise InputError(f"confidence {confidence!r}, expected a number between 0 and 1")
    return float(norm.ppf(1 - (1 - confidence) / 2))


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float
    n: float
    method: str

    def to_dict(self) -> dict[str, float | str]:
        return {
            "estimate": self.estimate,
            "low": self.low,
            "high": self.high,
            "n": self.n,
            "method": self.method,
        }


def _check_counts(**counts: float) -> None:
    for name, value in counts.items():
        if value < 0 or (isinstance(value, float) and math.isnan(value)):
            raise InputError(f"count {name}={value!r}, expected a non-negative number")


def wilson(k: float, n: float, confidence: float = 0.95) -> Interval:
    """Wilson score interval for k successes out of n (k and n may be weighted, non-integer counts)."""
    _check_counts(k=k, n=n)
    if k > n:
        raise InputError(f"successes {k!r} exceed the base {n!r}")
    if n == 0:
        return Interval(math.nan, 0.0, 1.0, 0, "wilson")
    z = _z(confidence)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # the limits are exactly 0 at k = 0 and exactly 1 at k = n; rounding must not leave the estimate outside
    low = 0.0 if k == 0 else min(p, max(0.0, centre - half))
    high = 1.0 if k == n else max(p, min(1.0, centre + half))
    return Interval(p, low, high, n, "wilson")


def newcombe_paired(a: float, b: float, c: float, d: float, confidence: float = 0.95) -> Interval:
    """Newcombe's method 10 interval for p1 − p2 = (b − c)/n from a paired 2×2 table (see module docstring)."""
    _check_counts(a=a, b=b, c=c, d=d)
    n = a + b + c + d
    if n == 0:
        return Interval(math.nan, -1.0, 1.0, 0, "newcombe10")
    p1, p2 = (a + b) / n, (a + c) / n
    w1, w2 = wilson(a + b, n, confidence), wilson(a + c, n, confidence)
    l1, u1, l2, u2 = w1.low, w1.high, w2.low, w2.high
    e, f, g, h = a + b, c + d, a + c, b + d
    phi = 0.0
    if min(e, f, g, h) > 0:
        cross = a * d - b * c
        if cross > n / 2:
            numerator = cross - n / 2
        elif cross >= 0:
            numerator = 0.0
        else:
            numerator = cross
        phi = numerator / math.sqrt(e * f * g * h)
    theta = p1 - p2
    low = theta - math.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    high = theta + math.sqrt(max(0.0, (p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2))
    return Interval(theta, max(-1.0, low), min(1.0, high), n, "newcombe10")


def wald_paired(a: float, b: float, c: float, d: float, confidence: float = 0.95) -> Interval:
    """The naive Wald interval for a paired difference (shown only to compare coverage)."""
    _check_counts(a=a, b=b, c=c, d=d)
    n = a + b + c + d
    if n == 0:
        return Interval(math.nan, -1.0, 1.0, 0, "wald")
    theta = (b - c) / n
    se = math.sqrt(max(0.0, (b + c) / n - theta * theta) / n)
    z = _z(confidence)
    return Interval(theta, max(-1.0, theta - z * se), min(1.0, theta + z * se), n, "wald")


def net_outlook(increase: float, same: float, decrease: float, confidence: float = 0.95) -> Interval:
    """Net employment outlook (% increase − % decrease) with Newcombe's paired interval, as proportions."""
    return newcombe_paired(0, increase, decrease, same, confidence)


@dataclass(frozen=True)
class MeanSummary:
    n: int
    mean: float
    sd: float
    se: float
    low: float
    high: float
    min: float
    max: float

    def to_dict(self) -> dict[str, float]:
        return {
            "n": self.n,
            "mean": self.mean,
            "sd": self.sd,
            "se": self.se,
            "ci95_low": self.low,
            "ci95_high": self.high,
            "min": self.min,
            "max": self.max,
        }


def mean_t(values: Sequence[float], confidence: float = 0.95) -> MeanSummary:
    """Mean, sample SD (n − 1), SE, t-based interval, min and max."""
    from scipy.stats import t

    xs = [float(v) for v in values]
    n = len(xs)
    if n == 0:
        nan = math.nan
        return MeanSummary(0, nan, nan, nan, nan, nan, nan, nan)
    mean = sum(xs) / n
    if n == 1:
        return MeanSummary(1, mean, math.nan, math.nan, math.nan, math.nan, mean, mean)
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
    se = sd / math.sqrt(n)
    q = float(t.ppf(1 - (1 - confidence) / 2, n - 1))
    return MeanSummary(n, mean, sd, se, mean - q * se, mean + q * se, min(xs), max(xs))


def implied_n(sd: float, se: float) -> float:
    """The sample size a printed SD and SE imply (se = sd/√n ⇒ n = (sd/se)²)."""
    if se <= 0 or sd < 0:
        raise InputError(f"sd {sd!r} and se {se!r}: expected sd ≥ 0 and se > 0")
    return (sd / se) ** 2


def kish_deff(weights: Sequence[float]) -> tuple[float, float]:
    """Kish's design effect of unequal weighting and the effective sample size: (deff, n_eff)."""
    ws = [float(w) for w in weights]
    if any(w < 0 or math.isnan(w) for w in ws):
        raise InputError("weights must be non-negative numbers")
    total = sum(ws)
    if not ws or total == 0:
        return math.nan, 0.0
    deff = len(ws) * sum(w * w for w in ws) / (total * total)
    return deff, len(ws) / deff
