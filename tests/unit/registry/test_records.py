"""Staging columns built column-wise: the JSON of unmapped columns and text of few-valued columns, whichever path
the column's values take."""

from __future__ import annotations

import json
import random

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from industry_brain.registry import _normalise as norm
from industry_brain.registry._columns import map_columns
from industry_brain.registry._readers import Chunk
from industry_brain.registry._records import _extra

_VALUES = st.one_of(st.none(), st.text(st.sampled_from([*'浙江杭州 "\\\n\t{}:,ＡＢab1', "\x00", "\u3000"]), max_size=6))


def _chunk(columns: list[list[str | None]]) -> Chunk:
    n = len(columns[0])
    return Chunk([pa.array(c, pa.string()) for c in columns], np.arange(2, n + 2, dtype=np.int64))


@settings(max_examples=30, deadline=None)
@given(st.lists(_VALUES, min_size=1, max_size=5), st.lists(_VALUES, min_size=1, max_size=5), st.integers(0, 2**32))
def test_unmapped_columns_become_the_same_json_whether_their_values_are_few_or_many(
    provinces: list[str | None], notes: list[str | None], seed: int
) -> None:
    rnd = random.Random(seed)
    n = 5000  # above the size where columns of few values are encoded once per distinct combination
    cm = map_columns(["企业名称", "统一社会信用代码", "所在省份", '备注 "a"'])
    few = [[rnd.choice(provinces) for _ in range(n)], [rnd.choice(notes) for _ in range(n)]]
    many = [few[0], [f"{v}{i}" if v is not None else None for i, v in enumerate(few[1])]]  # a serial number
    for cols in (few, many):
        got = _extra(cm, _chunk([["名"] * n, ["码"] * n, *cols]), n).to_pylist()
        want = [{"所在省份": a, '备注 "a"': b} for a, b in zip(*cols, strict=True)]
        assert [json.loads(g) for g in got] == want
    assert norm.few_values(pa.array(few[0], pa.string())) is not None


@settings(max_examples=30, deadline=None)
@given(st.lists(_VALUES, min_size=1, max_size=8), st.integers(0, 2**32))
def test_text_of_a_column_of_few_values_equals_nfkc_then_whitespace(values: list[str | None], seed: int) -> None:
    rnd = random.Random(seed)
    arr = pa.array([rnd.choice(values) for _ in range(5000)], pa.string())
    assert norm.few_values(arr) is not None
    per_value = {v: norm.text(pa.array([v], pa.string()))[0].as_py() for v in set(values)}
    assert norm.text(arr).to_pylist() == [per_value[v] for v in arr.to_pylist()]


@pytest.mark.parametrize("n", [100, 5000])
def test_columns_of_many_values_are_not_encoded(n: int) -> None:
    arr = pa.array([f"杭州{i}" for i in range(n)], pa.string())
    assert norm.few_values(arr) is None
