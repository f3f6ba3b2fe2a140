"""Choropleths: class breaks, the files written, Chinese text kept as text, the 示意图 note, offline HTML."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from industry_brain._core.errors import InputError
from industry_brain.atlas._maps import (
    class_breaks,
    classify,
    draw,
    interactive_html,
    note,
    parse_layer,
    write_map_set,
)
from industry_brain.atlas._measures import Measures
from industry_brain.atlas._tally import FIELDS_L1, UNITS_2019, UNITS_2021

TABLE = Path(__file__).with_name("measures_hangzhou_table.csv")


def hangzhou() -> Measures:
    with TABLE.open(encoding="utf-8") as fh:
        rows = {r["unit"]: [int(r[f]) for f in FIELDS_L1] for r in csv.DictReader(fh)}
    return Measures(
        units=UNITS_2019,
        fields=FIELDS_L1,
        counts=np.array([rows[u] for u in UNITS_2019]),
        basis={"hightech_only": True, "year": 2018},
    )


def test_class_breaks() -> None:
    assert class_breaks(np.array([0, 0, 2, 1, 2])) == [1, 2]
    vals = np.array([0, 5, 8, 12, 40, 45, 100, 120, 300, 310, 900, 3])
    breaks = class_breaks(vals)
    assert len(breaks) == 5 and breaks[-1] == 900 and breaks == sorted(breaks)
    classes = classify(vals, breaks)
    assert classes[0] == 0 and classes[10] == 5
    assert all(
        classes[i] <= classes[j] for i in range(len(vals)) for j in range(len(vals)) if vals[i] <= vals[j]
    )
    assert class_breaks(np.zeros(4)) == []


def test_layers() -> None:
    m = hangzhou()
    assert parse_layer("all", m).slug == "all"
    assert parse_layer("80", m).slug == "field-80"
    with pytest.raises(InputError, match="unknown layer"):
        parse_layer("99", m)
    with pytest.raises(InputError, match="future industry"):
        parse_layer("future:warp", m)


def test_static_maps_keep_chinese_text_and_the_note(tmp_path: Path) -> None:
    m = hangzhou()
    written = write_map_set(m, tmp_path, "10", "zh-CN", formats=("png", "svg"))
    assert written["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = written["svg"].read_text(encoding="utf-8")
    for text in (
        "示意图 · 行政区划 2019 年版 · 仅供参考",
        "杭州市电子信息领域国家高新技术企业数量分布",
        "滨江（高新）区",
        "466",
        "Noto Sans CJK",
        "本图合计1082家",
    ):
        assert text in svg, text
    fig = draw(m, None, "en")
    texts = [t.get_text() for t in fig.texts]
    assert note(m, "en") in texts


def test_2021_map_draws_all_13_districts() -> None:
    counts = np.arange(13 * 8).reshape(13, 8)
    m = Measures(units=UNITS_2021, fields=FIELDS_L1, counts=counts, vintage=2021)
    fig = draw(m, "all", "zh-CN")
    labels = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any(t.startswith("临平区") for t in labels) and any(t.startswith("钱塘区") for t in labels)
    assert "示意图 · 行政区划 2021 年版 · 仅供参考" in [t.get_text() for t in fig.texts]


def test_interactive_html_is_offline() -> None:
    html = interactive_html(hangzhou(), "50", "zh-CN")
    import re

    assert not re.search(r"<script[^>]+src=", html) and not re.search(r"<link[^>]+href=", html)
    assert "topojson" not in html.split("</script>")[-2][-5000:]  # no geo subplot, nothing to fetch
    import json

    assert "滨江（高新）区: 189" in html or json.dumps("滨江（高新）区: 189")[1:-1] in html
    assert "示意图 · 行政区划 2019 年版 · 仅供参考" in html
    assert len(html) > 1_000_000  # plotly.js itself is embedded


def test_bad_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="map format"):
        write_map_set(hangzhou(), tmp_path, "all", formats=("gif",))
