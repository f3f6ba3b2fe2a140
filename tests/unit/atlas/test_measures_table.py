"""``measure_table``: any register counted by code (the national-scale path) agrees with a plain count, and the
vectorised measures agree with their definitions."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from industry_brain._core.errors import InputError
from industry_brain.atlas._measures import Measures, competition_rank, competition_rank_columns
from industry_brain.atlas._tally import FUTURE_CODES, measure_table

UNITS = ["110101", "110102", "320505", "330106", "440305"]
FIELDS = ["10101", "10102", "20301", "80104"]

rows = st.lists(
    st.tuples(
        st.sampled_from([*UNITS, None, "999999"]),
        st.sampled_from([*FIELDS, None, "00000"]),
        st.lists(st.sampled_from([*FUTURE_CODES, "warp"]), max_size=2),
    ),
    max_size=200,
)


@settings(max_examples=60, deadline=None)
@given(rows=rows, chunks=st.integers(1, 3), dictionary=st.booleans())
def test_counts_match_a_plain_count(
    rows: list[tuple[str | None, str | None, list[str]]], chunks: int, dictionary: bool
) -> None:
    units = list(UNITS)
    types = {"unit": pa.string(), "field": pa.string(), "fi": pa.list_(pa.string())}
    cols = {"unit": [r[0] for r in rows], "field": [r[1] for r in rows], "fi": [r[2] for r in rows]}
    tables = []
    size = max(1, -(-len(rows) // chunks))
    for k in range(0, max(len(rows), 1), size):
        part = pa.table({c: pa.array(v[k : k + size], type=types[c]) for c, v in cols.items()})
        if dictionary:
            part = part.set_column(0, "unit", part.column("unit").dictionary_encode())
        tables.append(part)
    table = pa.concat_tables(tables)
    m = measure_table(table, future_col="fi", units=units, fields=FIELDS)
    want = Counter((u, f) for u, f, _ in rows if u in UNITS and f in FIELDS)
    for i, u in enumerate(units):
        for j, f in enumerate(FIELDS):
            assert m.counts[i, j] == want[u, f]
    assert m.basis["records"] == len(rows)
    assert m.basis["unlocated"] == sum(1 for u, _, _ in rows if u not in UNITS)
    assert m.basis["unclassified"] == sum(1 for u, f, _ in rows if u in UNITS and f is None)
    assert m.basis["other_fields"] == sum(1 for u, f, _ in rows if u in UNITS and f == "00000")
    fut = Counter((u, c) for u, _, cs in rows if u in UNITS for c in cs if c in FUTURE_CODES)
    assert m.future is not None
    for i, u in enumerate(units):
        for k, c in enumerate(FUTURE_CODES):
            assert m.future[i, k] == fut[u, c]


def test_codes_default_to_those_present_and_inputs_of_every_kind() -> None:
    df = pd.DataFrame({"county": [330106, 110101, 330106, 110101, 330106], "f": ["b", "a", "a", None, "b"]})
    m = measure_table(df, unit_col="county", field_col="f")
    assert m.units == ["110101", "330106"] and m.fields == ["a", "b"]
    assert m.counts.tolist() == [[1, 0], [1, 2]]
    assert m.basis["unclassified"] == 1
    same = measure_table({"county": ["330106", "110101"], "f": ["a", "a"]}, unit_col="county", field_col="f")
    assert same.counts.tolist() == [[1], [1]]
    with pytest.raises(InputError, match="no column 'unit'"):
        measure_table(df)
    with pytest.raises(InputError, match="lists of future-industry codes"):
        measure_table(df, unit_col="county", field_col="f", future_col="f")
    with pytest.raises(InputError, match="expected a pyarrow Table"):
        measure_table([1, 2, 3])


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda u: st.integers(1, 6).flatmap(
            lambda f: st.lists(st.integers(0, 6), min_size=u * f, max_size=u * f).map(
                lambda v: np.array(v).reshape(u, f)
            )
        )
    )
)
def test_vectorised_measures_match_their_definitions(c: np.ndarray) -> None:
    units = [f"u{i:02d}" for i in range(c.shape[0])][::-1]  # code order differs from row order
    fields = [f"f{j}" for j in range(c.shape[1])]
    m = Measures(units=units, fields=fields, counts=c)
    r = competition_rank_columns(c)
    for j in range(c.shape[1]):
        assert np.array_equal(r[:, j], competition_rank(c[:, j]))
        assert np.array_equal(r[:, j], [1 + int((c[:, j] > v).sum()) for v in c[:, j]])
    for f in fields:
        j = fields.index(f)
        order = sorted(range(len(units)), key=lambda i: (-int(c[i, j]), units[i]))
        assert [x.code for x in m.top_units(f, 3)] == [units[i] for i in order[:3] if c[i, j] > 0]
        assert [x.code for x in m.top_units(f, 99, include_zero=True)] == [units[i] for i in order]
        named = [units[i] for i in order[:3] if c[i, j] > 0]
        assert m.named_units[j] == named  # counts ≤ 6: the ≥ 100 clause never applies
    for i, u in enumerate(units):
        led = [
            f
            for j, f in enumerate(fields)
            if c[i, j] > 0 and c[i, j] == c[:, j].max() and int((c[:, j] == c[i, j]).sum()) == 1
        ]
        assert m.fields_led(u) == sorted(led, key=lambda f: (-int(c[i, fields.index(f)]), f))
    # the whole-table forms give the same lists
    top_fields, top_units = m.top_lists(3)
    assert top_fields == {u: [x.code for x in m.top_fields(u, 3)] for u in units}
    assert top_units == {f: [x.code for x in m.top_units(f, 3)] for f in fields}
    assert m.leaders() == {u: m.fields_led(u) for u in units}


def test_counting_in_blocks_gives_the_same_table(monkeypatch: pytest.MonkeyPatch) -> None:
    from industry_brain.atlas import _tally

    rng = np.random.default_rng(11)
    unit = rng.choice([*UNITS, None], size=1000).tolist()
    field = rng.choice([*FIELDS, None], size=1000).tolist()
    table = pa.table({"unit": pa.array(unit, pa.string()), "field": pa.array(field, pa.string())})
    whole = measure_table(table, units=UNITS, fields=FIELDS)
    monkeypatch.setattr(_tally, "_BLOCK", 7)
    blocked = measure_table(table, units=UNITS, fields=FIELDS)
    assert np.array_equal(whole.counts, blocked.counts) and whole.basis == blocked.basis
    want = Counter((u, f) for u, f in zip(unit, field, strict=True) if u is not None and f is not None)
    assert blocked.counts.tolist() == [[want[u, f] for f in FIELDS] for u in UNITS]
