"""Every interval of the talent statistics against SciPy/statsmodels and published worked examples, plus properties.

Sources of the known answers:

* Wilson: Newcombe R.G. (1998) "Two-sided confidence intervals for the single proportion: comparison of seven
  methods", Stat Med 17:857-872, Table I (method 3, score interval without continuity correction); and
  ``statsmodels.stats.proportion.proportion_confint(method="wilson")`` / ``scipy.stats.binomtest().proportion_ci``.
* Newcombe's paired difference (method 10 of Newcombe 1998, Stat Med 17:2635-2650): the worked example of
  Fagerland, Lydersen & Laake (2017) "Statistical Analysis of Contingency Tables", chapter 8 — complete response
  before and after consolidation therapy (Cavo et al. 2012), table [[59, 6], [16, 80]]: estimate −0.0621,
  95 % CI −0.1186 to −0.0046 (also the expected output in the test suite of the R package contingencytables).
  When the correlation term φ is 0 (0 ≤ ad − bc ≤ n/2) the paired interval is Newcombe's square-and-add interval
  for two proportions of size n each, which statsmodels computes as
  ``confint_proportions_2indep(method="newcomb")``.
* Wald for a paired difference: Agresti, "An Introduction to Categorical Data Analysis" (2nd ed., §8.1), the
  presidential approval ratings table [[794, 150], [86, 570]]: 0.04 ± 1.96 × 0.0095 = (0.021, 0.059).
* t interval of a mean: ``scipy.stats.t.interval`` with ``scipy.stats.sem`` and statsmodels' ``DescrStatsW``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from industry_brain._core.errors import InputError
from industry_brain.talent import (
    implied_n,
    kish_deff,
    mean_t,
    net_outlook,
    newcombe_paired,
    wald_paired,
    wilson,
)


def _statsmodels() -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' own import-time deprecations are not ours
        from statsmodels.stats import proportion, weightstats
    return proportion, weightstats


# ------------------------------------------------------------------------------------------------ Wilson
@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_reproduces_newcombe_1998_table_i(k: int, n: int, low: float, high: float) -> None:
    w = wilson(k, n)
    assert (round(w.low, 4), round(w.high, 4)) == (low, high)
    assert w.estimate == pytest.approx(k / n)
    assert w.method == "wilson"


@pytest.mark.parametrize(
    ("k", "n"),
    [(0, 1), (1, 1), (3, 7), (50, 100), (469, 587), (96, 110), (0, 697), (697, 697), (12345, 54321)],
)
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_wilson_equals_statsmodels_and_scipy(k: int, n: int, confidence: float) -> None:
    proportion, _ = _statsmodels()
    w = wilson(k, n, confidence)
    sm_low, sm_high = proportion.proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    sp = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    assert w.low == pytest.approx(sm_low, abs=1e-12)
    assert w.high == pytest.approx(sm_high, abs=1e-12)
    assert w.low == pytest.approx(sp.low, abs=1e-12)
    assert w.high == pytest.approx(sp.high, abs=1e-12)


def test_wilson_accepts_weighted_counts_and_an_empty_base() -> None:
    w = wilson(12.5, 40.25)
    assert w.low < 12.5 / 40.25 < w.high
    empty = wilson(0, 0)
    assert math.isnan(empty.estimate) and (empty.low, empty.high) == (0.0, 1.0)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ((5, 4), "exceed"),
        ((-1, 4), "non-negative"),
        ((float("nan"), 4), "non-negative"),
        ((1, 4, 1.0), "confidence"),
    ],
)
def test_wilson_refuses_impossible_input_with_our_error(args: tuple[float, ...], fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        wilson(*args)


# ------------------------------------------------------------------------------- Newcombe paired difference
def test_newcombe_paired_reproduces_the_fagerland_cavo_example() -> None:
    ci = newcombe_paired(59, 6, 16, 80)
    assert round(ci.estimate, 4) == -0.0621
    assert (round(ci.low, 4), round(ci.high, 4)) == (-0.1186, -0.0046)
    assert ci.n == 161 and ci.method == "newcombe10"


@pytest.mark.parametrize(
    "table",
    [
        (5, 5, 5, 5),  # ad − bc = 0
        (2, 3, 4, 10),  # ad − bc = 8 ≤ n/2 = 9.5: the continuity correction sets φ to 0
        (4, 3, 3, 4),  # ad − bc = 7 = n/2 exactly
        (0, 9, 0, 3),  # a zero margin: φ = 0 by definition
        (0, 40, 0, 0),
    ],
)
def test_newcombe_paired_with_zero_correlation_is_statsmodels_newcomb(
    table: tuple[int, int, int, int],
) -> None:
    proportion, _ = _statsmodels()
    a, b, c, d = table
    n = a + b + c + d
    ci = newcombe_paired(a, b, c, d)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        low, high = proportion.confint_proportions_2indep(a + b, n, a + c, n, method="newcomb")
    assert ci.low == pytest.approx(max(-1.0, low), abs=1e-12)
    assert ci.high == pytest.approx(min(1.0, high), abs=1e-12)


def test_positive_correlation_narrows_and_negative_widens_the_interval() -> None:
    proportion, _ = _statsmodels()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ind_low, ind_high = proportion.confint_proportions_2indep(30, 65, 15, 65, method="newcomb")
    positive = newcombe_paired(10, 20, 5, 30)  # ad − bc = 200 > n/2: φ > 0
    assert positive.high - positive.low < ind_high - ind_low
    proportion_a, proportion_b = (3 + 40) / 100, (3 + 7) / 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ind_low, ind_high = proportion.confint_proportions_2indep(43, 100, 10, 100, method="newcomb")
    negative = newcombe_paired(3, 40, 7, 50)  # ad − bc = −130: φ < 0
    assert negative.estimate == pytest.approx(proportion_a - proportion_b)
    assert negative.high - negative.low > ind_high - ind_low


def test_net_outlook_is_the_paired_difference_of_increase_and_decrease() -> None:
    # the synthetic overall split of the article: 563 increase, 115 same, 19 decrease of 697 → +78
    ci = net_outlook(563, 115, 19)
    assert round(100 * ci.estimate) == 78
    assert ci == newcombe_paired(0, 563, 19, 115)
    assert ci.low < ci.estimate < ci.high
    # the increase and decrease shares of one question are negatively correlated: the paired interval is wider
    # than the square-and-add interval that treats them as independent samples
    proportion, _ = _statsmodels()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ind_low, ind_high = proportion.confint_proportions_2indep(563, 697, 19, 697, method="newcomb")
    assert ci.high - ci.low > ind_high - ind_low


def test_newcombe_empty_table() -> None:
    ci = newcombe_paired(0, 0, 0, 0)
    assert math.isnan(ci.estimate) and (ci.low, ci.high) == (-1.0, 1.0)


# ------------------------------------------------------------------------------------------------- Wald
def test_wald_paired_reproduces_agresti_presidential_approval() -> None:
    ci = wald_paired(794, 150, 86, 570)
    assert ci.estimate == pytest.approx(0.04)
    assert (round(ci.low, 3), round(ci.high, 3)) == (0.021, 0.059)
    se = (ci.high - ci.estimate) / stats.norm.ppf(0.975)
    assert round(se, 4) == 0.0095


# ----------------------------------------------------------------------------------------------- t mean
@pytest.mark.parametrize(
    "values",
    [
        [1, 2, 3],
        [1.0, 1.0, 2.0, 1.0, 3.0, 2.0, 1.0],
        [1] * 469 + [2] * 103 + [3] * 15,  # the synthetic AI split of Table 1
        [0.5, -2.25, 7.125, 3.0, 3.0],
    ],
)
def test_mean_t_equals_scipy_and_statsmodels(values: list[float]) -> None:
    _, weightstats = _statsmodels()
    xs = np.asarray(values, dtype=float)
    s = mean_t(xs.tolist())
    n = len(xs)
    assert s.n == n
    assert s.mean == pytest.approx(xs.mean(), rel=1e-12)
    assert s.sd == pytest.approx(xs.std(ddof=1), rel=1e-12)
    assert s.se == pytest.approx(stats.sem(xs), rel=1e-12)
    low, high = stats.t.interval(0.95, n - 1, loc=xs.mean(), scale=stats.sem(xs))
    assert (s.low, s.high) == (pytest.approx(low, rel=1e-12), pytest.approx(high, rel=1e-12))
    sm_low, sm_high = weightstats.DescrStatsW(xs).tconfint_mean(alpha=0.05)
    assert (s.low, s.high) == (pytest.approx(sm_low, rel=1e-12), pytest.approx(sm_high, rel=1e-12))
    assert (s.min, s.max) == (xs.min(), xs.max())
    d = s.to_dict()
    assert set(d) == {"n", "mean", "sd", "se", "ci95_low", "ci95_high", "min", "max"}


def test_mean_t_of_zero_and_one_values() -> None:
    empty = mean_t([])
    assert empty.n == 0 and math.isnan(empty.mean)
    one = mean_t([2])
    assert (one.n, one.mean, one.min, one.max) == (1, 2.0, 2.0, 2.0)
    assert math.isnan(one.sd) and math.isnan(one.low)


# ------------------------------------------------------------------------------ implied n and design effect
def test_implied_n_of_the_magazines_table_1() -> None:
    # printed SD and SE of Table 1: AI 0.474 / 0.028, bio 0.481 / 0.056 — not 587 and 110
    assert round(implied_n(0.474, 0.028)) == 287
    assert round(implied_n(0.481, 0.056)) == 74
    with pytest.raises(InputError):
        implied_n(0.5, 0)


def test_kish_design_effect() -> None:
    assert kish_deff([2.0] * 10) == pytest.approx((1.0, 10.0))
    deff, n_eff = kish_deff([1, 1, 1, 3])  # n Σw² / (Σw)² = 4 · 12 / 36
    assert deff == pytest.approx(4 / 3) and n_eff == pytest.approx(3.0)
    assert math.isnan(kish_deff([])[0])
    with pytest.raises(InputError):
        kish_deff([1, -1])


# ------------------------------------------------------------------------------------------- properties
counts = st.integers(min_value=0, max_value=400)


@settings(max_examples=300, deadline=None)
@given(k=counts, extra=counts, confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_contains_its_estimate_and_stays_in_bounds(k: int, extra: int, confidence: float) -> None:
    n = k + extra
    assume(n > 0)
    w = wilson(k, n, confidence)
    assert 0.0 <= w.low <= w.estimate <= w.high <= 1.0
    wider = wilson(k, n, min(0.999, confidence + 0.009))
    assert wider.low <= w.low + 1e-12 and wider.high >= w.high - 1e-12


@settings(max_examples=300, deadline=None)
@given(k=counts, extra=counts, m=st.integers(min_value=2, max_value=50))
def test_wilson_narrows_with_n(k: int, extra: int, m: int) -> None:
    n = k + extra
    assume(n > 0)
    small, large = wilson(k, n), wilson(k * m, n * m)
    assert large.high - large.low < small.high - small.low


@settings(max_examples=400, deadline=None)
@given(a=counts, b=counts, c=counts, d=counts)
def test_newcombe_paired_contains_its_estimate_and_stays_in_bounds(a: int, b: int, c: int, d: int) -> None:
    assume(a + b + c + d > 0)
    ci = newcombe_paired(a, b, c, d)
    assert -1.0 <= ci.low <= ci.estimate <= ci.high <= 1.0
    assert ci.estimate == pytest.approx((b - c) / (a + b + c + d))
    wd = wald_paired(a, b, c, d)
    assert -1.0 <= wd.low <= wd.estimate <= wd.high <= 1.0


@settings(max_examples=400, deadline=None)
@given(increase=counts, same=counts, decrease=counts, m=st.integers(min_value=2, max_value=50))
def test_net_outlook_narrows_with_n(increase: int, same: int, decrease: int, m: int) -> None:
    assume(increase + same + decrease > 0)
    small = net_outlook(increase, same, decrease)
    large = net_outlook(increase * m, same * m, decrease * m)
    assert large.estimate == pytest.approx(small.estimate)
    assert large.high - large.low < small.high - small.low


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.integers(min_value=1, max_value=3), min_size=2, max_size=200),
    m=st.integers(min_value=2, max_value=20),
)
def test_mean_t_contains_its_mean_and_narrows_with_n(values: list[int], m: int) -> None:
    s = mean_t(values)
    assert s.min <= s.mean <= s.max
    assert s.low <= s.mean <= s.high
    assert s.se == pytest.approx(s.sd / math.sqrt(len(values)))
    big = mean_t(values * m)
    assert big.mean == pytest.approx(s.mean)
    if s.sd > 0:
        assert big.high - big.low < s.high - s.low
    else:
        assert big.high - big.low == pytest.approx(0.0)
