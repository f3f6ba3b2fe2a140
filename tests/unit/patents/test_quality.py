"""OECD quality indicators on a small example computed by hand (worked in the comments)."""

from __future__ import annotations

import pytest

from industry_brain.patents import PatentFacts, quality, quality_indicators

P = {
    "P1": PatentFacts("P1", "2010-01-01", ("G06F 16/30", "H04L 9/32"), "ict"),
    "P5": PatentFacts("P5", "2010-05-01", ("G06F",), "ict"),
    "P2": PatentFacts("P2", "2012-06-01", ("G06F",), "ict"),
    "P3": PatentFacts("P3", "2014-03-01", ("H04L", "G06Q"), "ict"),
    "P4": PatentFacts("P4", "2016-01-02", ("A61B",), "bio"),
}
X = {"X": PatentFacts("X", "2005-01-01", ("A61K",))}
CITES = [("P2", "P1"), ("P3", "P1"), ("P4", "P1"), ("P3", "P2"), ("P1", "X"), ("P5", "X")]

# P1 is cited by P2 {G06F}, P3 {H04L, G06Q} and P4 {A61B}; P4 (2016-01-02) is after 2015-01-01, so 2 within 5 years.
# generality(P1) = 1 − [(1/3)² + (½/3)² + (½/3)² + (1/3)²] = 1 − 10/36 = 26/36.
# P3 cites P1 {G06F, H04L} and P2 {G06F}: weights G06F 1.5, H04L 0.5 of 2 → originality 1 − (.75² + .25²) = .375;
# its own classes are {H04L, G06Q}, so radicalness = 2 of the 3 (cited, class) pairs (both G06F) = 2/3.
# Cohort (2010, ict) = {P1, P5}; maxima: fwd5 2, bwd 1, gen 26/36, orig 0, rad 1.
# composite(P1) = (2/2 + 1/1 + 1 + 0 + 1)/5 = .8; composite(P5) = (0 + 1 + 0 + 0 + 1)/5 = .4.
# P2, P3, P4 are alone in their cohorts: every positive component scores 1.
EXPECTED = {
    "P1": (2, 3, 1, 26 / 36, 0.0, 1.0, 0.8),
    "P5": (0, 0, 1, None, 0.0, 1.0, 0.4),
    "P2": (1, 1, 1, 0.5, 0.5, 0.5, 1.0),
    "P3": (0, 0, 2, None, 0.375, 2 / 3, 0.6),
    "P4": (0, 0, 1, None, 0.5, 1.0, 0.6),
}


def _approx(v):  # type: ignore[no-untyped-def]
    return None if v is None else pytest.approx(v)


def _check(rows) -> None:  # type: ignore[no-untyped-def]
    got = {r.patent_no: r for r in rows}
    for no, (fwd5, fwd, bwd, gen, orig, rad, comp) in EXPECTED.items():
        r = got[no]
        assert (r.forward_5y, r.forward_total, r.backward) == (fwd5, fwd, bwd), no
        assert (r.generality, r.originality, r.radicalness) == (_approx(gen), _approx(orig), _approx(rad)), no
        assert r.composite == pytest.approx(comp), no
    assert (got["P1"].cohort_year, got["P1"].cohort_field) == (2010, "ict")


def test_known_answers() -> None:
    _check(quality_indicators(list(P.values()), CITES, X))


def test_same_answers_from_citation_entries_on_the_log(world) -> None:  # type: ignore[no-untyped-def]
    numbers = {"P1": "CN201010000001.1", "P5": "CN201010000005.5", "P2": "CN201210000002.2",
               "P3": "CN201410000003.3", "P4": "CN201610000004.4"}
    for key, facts in P.items():
        world.patent(numbers[key], owners={"alice": 10000}, ipc=list(facts.ipc), field=facts.field,
                     filed_on=facts.filed_on, expires_on="2036-01-02")
    for citing, cited in CITES:
        body = {"citing": numbers[citing], "cited": numbers.get(cited, "US7000000B1")}
        if cited == "X":
            body.update(cited_ipc=["A61K"], cited_filed_on="2005-01-01")
        world.submit("citation", body, ["ipo"])
    rows = quality(world.state)
    back = {v: k for k, v in numbers.items()}
    renamed = [type(r)(**{**r.to_dict(), "patent_no": back[r.patent_no]}) for r in rows]
    _check(renamed)


def test_field_falls_back_to_ipc_section() -> None:
    rows = quality_indicators([PatentFacts("A", "2020-01-01", ("H01M",))], [])
    assert (rows[0].cohort_field, rows[0].composite, rows[0].generality) == ("H", 0.0, None)
