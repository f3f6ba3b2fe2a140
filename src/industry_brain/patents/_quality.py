"""OECD patent-quality indicators computed from the citation entries on the log.

Following Squicciarini, Dernis & Criscuolo (2013), *Measuring Patent Quality*, OECD STI Working Paper 2013/03,
with technology classes taken at the IPC subclass level (4 characters, e.g. ``G06F``):

* ``forward_5y`` — citations received from patents filed within 5 years of the patent's filing date;
  ``forward_total`` — all citations received.
* ``backward`` — citations made (to patents on the log or named with their IPC and filing date).
* ``generality`` = 1 − Σⱼ sⱼ², sⱼ the share of the citing patents falling in subclass j (a citing patent with
  k subclasses counts 1/k in each); None when nothing cites the patent.
* ``originality`` = the same over the cited patents; None without backward citations.
* ``radicalness`` = the share of (cited patent, subclass) pairs whose subclass is not one of the patent's own
  subclasses; None without backward citations.
* ``composite`` — within each cohort (filing year × field; the field is the record's ``field`` or else the IPC
  section of its first class), each of the five components is divided by the cohort's maximum (0 when the
  maximum is 0 or the value is None) and the five ratios are averaged. It lies in [0, 1] and is comparable
  only within a cohort.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

COMPONENTS = ("forward_5y", "backward", "generality", "originality", "radicalness")


@dataclass(frozen=True)
class PatentFacts:
    """What the indicators need about one patent."""

    patent_no: str
    filed_on: str
    ipc: tuple[str, ...]
    field: str | None = None

    @property
    def subclasses(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(code[:4] for code in self.ipc))

    @property
    def cohort(self) -> tuple[int, str]:
        return int(self.filed_on[:4]), self.field or (self.ipc[0][:1] if self.ipc else "?")


@dataclass(frozen=True)
class QualityRow:
    patent_no: str
    cohort_year: int
    cohort_field: str
    forward_5y: int
    forward_total: int
    backward: int
    generality: float | None
    originality: float | None
    radicalness: float | None
    composite: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _plus_years(day: str, years: int) -> date:
    d = date.fromisoformat(day)
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def herfindahl_diversity(groups: Sequence[tuple[str, ...]]) -> float | None:
    """1 − Σ sⱼ² over the subclasses of ``groups`` (each group weighs 1, split evenly over its classes)."""
    groups = [g for g in groups if g]
    if not groups:
        return None
    weight: dict[str, float] = defaultdict(float)
    for classes in groups:
        for code in classes:
            weight[code] += 1.0 / len(classes)
    total = float(len(groups))
    return 1.0 - sum((w / total) ** 2 for w in weight.values())


def quality_indicators(
    patents: Sequence[PatentFacts],
    citations: Sequence[tuple[str, str]],
    external: dict[str, PatentFacts] | None = None,
) -> list[QualityRow]:
    """Indicators for every patent in ``patents`` from ``(citing, cited)`` pairs.

    ``external`` describes cited patents that are not in ``patents`` (only their classes and dates matter).
    """
    known = {p.patent_no: p for p in patents}
    facts = {**(external or {}), **known}
    forward: dict[str, list[PatentFacts]] = defaultdict(list)
    backward: dict[str, list[PatentFacts]] = defaultdict(list)
    for citing, cited in citations:
        if citing in known and cited in facts:
            backward[citing].append(facts[cited])
        if cited in known and citing in known:
            forward[cited].append(known[citing])
    raw: list[dict[str, Any]] = []
    for p in patents:
        limit = _plus_years(p.filed_on, 5)
        fwd = forward[p.patent_no]
        bwd = backward[p.patent_no]
        own = set(p.subclasses)
        pairs = [code for cited in bwd for code in cited.subclasses]
        year, field = p.cohort
        raw.append({
            "patent_no": p.patent_no, "cohort_year": year, "cohort_field": field,
            "forward_5y": sum(1 for c in fwd if date.fromisoformat(c.filed_on) <= limit),
            "forward_total": len(fwd),
            "backward": len(bwd),
            "generality": herfindahl_diversity([c.subclasses for c in fwd]),
            "originality": herfindahl_diversity([c.subclasses for c in bwd]),
            "radicalness": (sum(1 for code in pairs if code not in own) / len(pairs)) if pairs else None,
        })
    maxima: dict[tuple[int, str], dict[str, float]] = defaultdict(lambda: dict.fromkeys(COMPONENTS, 0.0))
    for row in raw:
        top = maxima[(row["cohort_year"], row["cohort_field"])]
        for name in COMPONENTS:
            top[name] = max(top[name], float(row[name] or 0))
    result = []
    for row in raw:
        top = maxima[(row["cohort_year"], row["cohort_field"])]
        ratios = [float(row[n] or 0) / top[n] if top[n] > 0 else 0.0 for n in COMPONENTS]
        result.append(QualityRow(**row, composite=sum(ratios) / len(ratios)))
    return result
