"""Automatic warnings (预警): records similar to an in-force patent, and bursts of priority claims (抢注).

Similarity: texts are NFKC-normalised, lower-cased and stripped of whitespace and punctuation, then cut into
character bigrams and trigrams (which works for Chinese without a word segmenter). Each gram is weighted by
TF-IDF with smoothed idf ``ln((1+N)/(1+df)) + 1`` over the in-force corpus plus the new text, vectors are
L2-normalised, and the score is their cosine. A record warns when it scores at least ``threshold`` (0.35)
against an in-force patent (``expires_on`` on or after the day).

Bursts (the article's 抢注 risk): for each applicant, the largest number of priority claims inside any rolling
``window_days`` (30) window. The population's typical level is the median of those maxima and its spread
1.4826 × MAD (at least 1). An applicant is flagged when their count is at least ``min_count`` (5) AND at least
median + ``k`` (3) × spread. The rule is deliberately simple and documented so that a flagged applicant can be
told exactly why.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_text(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text).lower())


def char_grams(text: str, sizes: Sequence[int] = (2, 3)) -> Counter[str]:
    """Character n-gram counts of the normalised text (a 1-character text yields itself)."""
    norm = normalise_text(text)
    grams: Counter[str] = Counter()
    for n in sizes:
        grams.update(norm[i : i + n] for i in range(len(norm) - n + 1))
    if not grams and norm:
        grams[norm] += 1
    return grams


def tfidf_vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    """L2-normalised TF-IDF vectors over character bi- and trigrams."""
    counts = [char_grams(t) for t in texts]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(texts)
    vectors = []
    for c in counts:
        vec = {g: tf * (math.log((1 + n) / (1 + df[g])) + 1.0) for g, tf in c.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        vectors.append({g: v / norm for g, v in vec.items()} if norm else {})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(g, 0.0) for g, v in a.items())


@dataclass(frozen=True)
class Similar:
    patent_no: str
    title: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def similar_texts(
    text: str, corpus: Sequence[tuple[str, str, str]], *, threshold: float = 0.35, limit: int = 5
) -> list[Similar]:
    """Items of ``corpus`` — ``(patent_no, title, full text)`` — whose cosine with ``text`` ≥ ``threshold``."""
    if not corpus or not normalise_text(text):
        return []
    vectors = tfidf_vectors([*(c[2] for c in corpus), text])
    query = vectors[-1]
    scored = [Similar(no, title, round(cosine(query, vec), 4)) for (no, title, _), vec in zip(corpus, vectors, strict=False)]
    hits = [s for s in scored if s.score >= threshold]
    hits.sort(key=lambda s: (-s.score, s.patent_no))
    return hits[:limit]


@dataclass(frozen=True)
class Burst:
    party: str
    count: int
    window_start: str
    window_end: str
    threshold: float
    median: float
    spread: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def max_window(times: Iterable[datetime], window: timedelta) -> tuple[int, datetime | None, datetime | None]:
    """The largest number of instants within any window of length ``window`` (and that window's ends)."""
    ordered = sorted(times)
    best = 0
    best_span: tuple[datetime | None, datetime | None] = (None, None)
    lo = 0
    for hi, t in enumerate(ordered):
        while t - ordered[lo] > window:
            lo += 1
        if hi - lo + 1 > best:
            best, best_span = hi - lo + 1, (ordered[lo], t)
    return best, best_span[0], best_span[1]


def claim_bursts(
    claims: dict[str, list[datetime]], *, window_days: int = 30, min_count: int = 5, k: float = 3.0
) -> list[Burst]:
    """Applicants whose priority claims within a rolling window are unusually many (rule in the module doc)."""
    window = timedelta(days=window_days)
    peaks = {party: max_window(times, window) for party, times in claims.items() if times}
    if not peaks:
        return []
    counts = [c for c, _, _ in peaks.values()]
    median = float(statistics.median(counts))
    mad = float(statistics.median([abs(c - median) for c in counts]))
    spread = max(1.0, 1.4826 * mad)
    threshold = max(float(min_count), median + k * spread)
    flagged = []
    for party, (count, start, end) in sorted(peaks.items()):
        if count >= threshold and start is not None and end is not None:
            flagged.append(Burst(party, count, start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                 end.strftime("%Y-%m-%dT%H:%M:%SZ"), threshold, median, round(spread, 4)))
    return flagged
