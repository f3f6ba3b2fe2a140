"""Peer-city benchmarking of the life-health chain (北京、上海、苏州 on four dimensions) from the magazine's printed
comparisons, each a typed statement turned into an implied interval for the peer's value.

**Reading a comparison** (per peer, in its sentence): the ratio that follows the peer's name (「北京的1/6」「北京、上海的
1/2」「苏州的2倍」「北京的20%」「一半」) and the relation word before it in the same clause — carried over a list
(「不及北京的20%，上海的40%」 reads 不及 for both) — or an absolute count said of the peer (「已超百次」「近40次」).

**Implied interval** for the peer's value P, with Hangzhou's printed value H (「300余家」 = [300, 400), 「60余次」 =
[60, 70), 「三家」 = 3) and Hangzhou = r × P:

* 仅为 / bare ratio (about equal): r is printed rounded, taken ±10 %: P ∈ [H_lo / 1.1r, H_hi / 0.9r];
* 不足 / 不及 (less than): P > H_lo / r;   接近 … 倍 (a little under): H ∈ [0.9 r P, r P] → P ∈ [H_lo / r, H_hi / 0.9r];
* 略低于 (slightly below, no ratio): P ∈ (H_lo, 1.25 H_hi];   低于: P > H_lo;   高于: P < H_hi;
* 已超 N: P > N;   近 N: P ∈ [0.9 N, N).

Where H is not printed the interval is for the ratio P / H instead. A bureau's own measured figure for a peer is
shown beside the interval and checked against it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

from industry_brain._core.errors import InputError
from industry_brain._core.store import Store

_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "百": 100}
_RELATIONS = ("仅为", "不足", "不及", "略低于", "低于", "高于", "接近", "已超", "超过", "近")
_RATIO = r"(1/\d+|\d+(?:\.\d+)?%|一半|\d+倍)"


@dataclass(frozen=True)
class Interval:
    lo: float | None        # None: unbounded below (0 in practice)
    hi: float | None        # None: unbounded above
    lo_open: bool = False
    hi_open: bool = True

    def contains(self, x: float) -> bool:
        if self.lo is not None and (x < self.lo or (self.lo_open and x == self.lo)):
            return False
        return not (self.hi is not None and (x > self.hi or (self.hi_open and x == self.hi)))

    def text(self) -> str:
        lo = "0" if self.lo is None else f"{self.lo:.4g}"
        hi = "∞" if self.hi is None else f"{self.hi:.4g}"
        return f"{'(' if self.lo_open else '['}{lo}, {hi}{')' if self.hi_open else ']'}"

    def to_dict(self) -> dict[str, Any]:
        return {"lo": self.lo, "hi": self.hi, "lo_open": self.lo_open, "hi_open": self.hi_open, "text": self.text()}


def _number(text: str) -> float:
    if text in _CN:
        return float(_CN[text])
    return float(text)


def hangzhou_value(printed: str | None) -> Interval | None:
    """「300余家」→ [300, 400), 「60余次」→ [60, 70), 「7次」→ [7, 7], 「三家」→ [3, 3]; None when not printed."""
    if not printed:
        return None
    m = re.match(r"(\d+|[一二两三四五六七八九十百])(余)?", printed)
    if not m:
        raise InputError(f"Hangzhou value {printed!r}: expected a count such as 300余家", value=printed)
    n = _number(m.group(1))
    if m.group(2):
        return Interval(n, n + 10 ** math.floor(math.log10(n)), False, True)
    return Interval(n, n, False, False)


def _ratio(text: str) -> float:
    if text == "一半":
        return 0.5
    if text.endswith("%"):
        return float(text[:-1]) / 100
    if text.endswith("倍"):
        return float(text[:-1])
    a, b = text.split("/")
    return float(a) / float(b)


@dataclass(frozen=True)
class Comparison:
    peer: str
    relation: str | None      # one of _RELATIONS, or None (bare ratio: about equal)
    ratio: float | None       # Hangzhou = ratio × peer
    absolute: float | None    # a count said of the peer itself
    phrase: str


def read_comparison(quote: str, peer_zh: str, phrase: str) -> Comparison:
    """Type one printed comparison of ``peer_zh`` (its phrase as printed, inside ``quote``)."""
    at = quote.find(phrase)
    clause_start = max(quote.rfind(x, 0, at) for x in "。；") + 1 if at >= 0 else 0
    # an absolute count said of the peer (「北京、上海发生投融资事件已超百次」「苏州…近40次」)
    m = re.search(r"(已超|超过|近)(\d+|百)次", phrase)
    if (m and peer_zh not in re.sub(r"(已超|超过|近).*", "", phrase)) or (m and "的" not in phrase):
        return Comparison(peer_zh, m.group(1), None, _number(m.group(2)), phrase)
    r = re.search(rf"{peer_zh}(?:市)?(?:(?:、|和)[\u4e00-\u9fff]{{2,3}}?(?:市)?)*的{_RATIO}", quote[clause_start:])
    ratio = _ratio(r.group(1)) if r else None
    # the relation: the last relation word before the peer's name in its clause (carried over 「，上海的40%」)
    start = clause_start + r.start() if r else quote.find(peer_zh, max(at, clause_start))
    before = quote[clause_start : start if start >= 0 else len(quote)]
    relation = None
    best = -1
    for word in _RELATIONS:
        i = before.rfind(word)
        if i > best or (i == best and i >= 0 and relation is not None and len(word) > len(relation)):
            best, relation = i, word
    if best < 0:
        relation = None
    if relation == "近" and best >= 1 and before[best - 1] == "接":
        relation = "接近"
    if relation == "低于" and best >= 1 and before[best - 1] == "略":
        relation = "略低于"
    return Comparison(peer_zh, relation, ratio, None, phrase)


def implied(c: Comparison, h: Interval | None) -> tuple[Interval | None, str]:
    """(interval, what it bounds): the peer's value when Hangzhou's is printed, else the ratio peer / Hangzhou."""
    if c.absolute is not None:
        n = c.absolute
        return (Interval(n, None, True, True) if c.relation in ("已超", "超过") else Interval(0.9 * n, n, False, True)), "value"
    lo, hi, what = (h.lo, h.hi, "value") if h is not None and h.lo is not None and h.hi is not None else (1.0, 1.0, "ratio")
    assert lo is not None and hi is not None
    if c.ratio is not None:
        r = c.ratio
        if c.relation in ("不足", "不及", "低于"):
            return Interval(lo / r, None, True, True), what
        if c.relation == "接近":
            return Interval(lo / r, hi / (0.9 * r), False, False), what
        return Interval(lo / (1.1 * r), hi / (0.9 * r), False, False), what
    if c.relation == "略低于":
        return Interval(lo, 1.25 * hi, True, False), what
    if c.relation in ("低于", "不及", "不足"):
        return Interval(lo, None, True, True), what
    if c.relation == "高于":
        return Interval(None, hi, False, True), what
    return None, what


@cache
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("_data/peer_statements.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def benchmark(store: Store | None = None, lang: str = "zh") -> dict[str, Any]:
    """Every printed comparison with its typed reading, the implied interval, and a bureau's measured figure."""
    d = _data()
    measured: dict[tuple[str, str], dict[str, Any]] = {}
    if store is not None:
        for city, ind, value, unit, year, source in store.fetchall(
                "SELECT city, indicator, value, unit, year, source FROM chain_peer_figure"):
            measured[(city, ind)] = {"value": value, "unit": unit, "year": year, "source": source}
    rows = []
    for s in d["statements"]:
        h = hangzhou_value(s["hangzhou"])
        peers = []
        for peer, phrase in s["peers"].items():
            zh = d["peers"][peer]["zh"]
            c = read_comparison(s["quote"], zh, phrase)
            iv, what = implied(c, h)
            m = measured.get((peer, s["indicator"]))
            check = None
            if m is not None and iv is not None and what == "value":
                check = iv.contains(float(m["value"]))
            peers.append({"peer": peer, "name": d["peers"][peer][lang if lang == "zh" else "en"], "phrase": phrase,
                          "relation": c.relation, "ratio": c.ratio, "absolute": c.absolute,
                          "interval": iv.to_dict() if iv else None, "bounds": what, "measured": m,
                          "consistent": check})
        rows.append({"indicator": s["indicator"], "dimension": s["dimension"],
                     "dimension_name": d["dimensions"][s["dimension"]][lang if lang == "zh" else "en"],
                     "name": s["name_zh"] if lang == "zh" else s["name_en"], "unit": s["unit"],
                     "hangzhou": s["hangzhou"], "hangzhou_interval": h.to_dict() if h else None,
                     "quote": s["quote"], "line": s["line"], "peers": peers})
    return {"source": d["source"], "method": d["method"], "method_line": d["method_line"], "statements": rows,
            "dimensions": d["dimensions"]}


def add_peer_figure(store: Store, city: str, indicator: str, value: float, *, unit: str | None = None,
                    year: int | None = None, source: str) -> dict[str, Any]:
    """Record a bureau's own measured figure for a peer (replacing an earlier one of the same indicator)."""
    d = _data()
    peer = next((k for k, v in d["peers"].items() if city in (k, v["zh"], v["en"])), None)
    if peer is None:
        raise InputError(f"city {city!r}: expected one of {', '.join(v['zh'] for v in d['peers'].values())}",
                         field="city", value=city)
    known = {s["indicator"]: s["dimension"] for s in d["statements"]}
    if indicator not in known:
        raise InputError(f"indicator {indicator!r}: expected one of {', '.join(sorted(known))}", field="indicator",
                         value=indicator)
    if not math.isfinite(value) or value < 0:
        raise InputError(f"value {value!r}: expected a number ≥ 0", field="value", value=value)
    if not source.strip():
        raise InputError("say who measured the figure (--source)", field="source")
    store.execute("INSERT OR REPLACE INTO chain_peer_figure VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  [peer, known[indicator], indicator, value, unit, year, source.strip(), datetime.now(UTC).replace(tzinfo=None)])
    return {"city": peer, "indicator": indicator, "value": value, "unit": unit, "year": year, "source": source}
