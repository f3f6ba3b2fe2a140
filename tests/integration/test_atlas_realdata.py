"""The atlas on the real registrations (../shared/data/real): not a high-tech list, so the figures differ from the
magazine's, but every measure, blurb and map must still come out sane. No row of the file is written anywhere but
a temporary store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from industry_brain.atlas._measures import Measures, competition_rank

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real" / "hangzhou_registrations.csv"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from industry_brain._core.store import open_store
    from industry_brain.registry import import_file

    st = open_store(tmp_path_factory.mktemp("real") / "real.duckdb")
    report = import_file(REAL, store=st)
    assert report.rows_read == report.rows_loaded + report.rows_quarantined
    assert report.rows_loaded > 10_000
    yield st
    st.close()


@pytest.fixture(scope="module", params=[2019, 2021])
def measures(request: pytest.FixtureRequest, store: object) -> Measures:
    from industry_brain.atlas._tally import measure_register

    return measure_register(store, vintage=request.param, hightech_only=False)  # type: ignore[arg-type]


def test_counts_account_for_every_record(measures: Measures, store: object) -> None:
    m = measures
    b = m.basis
    (records,) = store.fetchone("SELECT count(*) FROM enterprise")  # type: ignore[attr-defined]
    assert b["records"] == records
    assert b["counted"] == m.total == int(m.counts.sum())
    assert b["counted"] + b["unlocated"] + b["unclassified"] + b["other_fields"] == records
    assert m.total > 1_000 and (m.counts >= 0).all()
    # every unit of the vintage has firms in a city register of this size
    assert (m.unit_totals > 0).all()
    assert len(m.units) == (14 if m.vintage == 2019 else 13)


def test_shares_sum_to_one_and_ranks_are_competition_ranks(measures: Measures) -> None:
    m = measures
    assert m.field_share_city.sum() == pytest.approx(1.0)
    assert m.unit_share_city.sum() == pytest.approx(1.0)
    for j in range(len(m.fields)):
        if m.field_totals[j]:
            assert np.nansum(m.unit_share_of_field[:, j]) == pytest.approx(1.0)
    for ranks, values in ((m.unit_rank, m.unit_totals), (m.field_rank, m.field_totals)):
        assert np.array_equal(ranks, competition_rank(values))
        # a permutation with ties: rank r is held by exactly the values with r − 1 strictly larger
        for r, v in zip(ranks, values, strict=True):
            assert r == 1 + int((values > v).sum())
        assert sorted(ranks)[0] == 1 and max(ranks) <= len(values)
    assert np.array_equal(m.rank_in_field[:, 0], competition_rank(m.counts[:, 0]))


def test_every_unit_blurb_states_its_counts(measures: Measures) -> None:
    from industry_brain.atlas._narrative import field_blurb, unit_blurb

    m = measures
    for lang in ("zh-CN", "en"):
        for u in m.units:
            b = unit_blurb(m, u, lang)
            assert b.total == m.unit_total(u) and b.text
            assert (b.rank, b.tied) == m.unit_rank_of(u)
            assert 1 <= len(b.top_fields) <= 3 or (
                b.top_fields and all(n == b.top_counts[0] for n in b.top_counts)
            )
            assert b.top_counts == [m.count(u, f) for f in b.top_fields]
            assert b.top_counts == sorted(b.top_counts, reverse=True)
            others = [m.count(u, f) for f in m.fields if f not in b.top_fields]
            assert all(n < b.top_counts[-1] for n in others)  # the list never cuts a tie
            for f, n in zip(b.fields_led, b.led_counts, strict=True):
                assert n == m.count(u, f) == int(m.counts[:, m.field_index(f)].max())
                assert int((m.counts[:, m.field_index(f)] == n).sum()) == 1  # led alone
            assert "企业" in b.text if lang == "zh-CN" else "enterprises" in b.text
            assert "国家高新技术企业" not in b.text  # not a high-tech list: the subject is 企业
        for f in m.fields:
            fb = field_blurb(m, f, lang)
            assert fb.total == m.field_total(f)
            assert fb.share == pytest.approx(m.field_total(f) / m.total)
            assert fb.named_counts == [m.count(u, f) for u in fb.named_units]
            assert fb.concentration == m.concentration(f)


def test_maps_render(measures: Measures, tmp_path: Path) -> None:
    from industry_brain.atlas._maps import (
        class_breaks,
        classify,
        draw,
        interactive_html,
        layer_values,
        parse_layer,
        save_static,
    )

    m = measures
    for layer in ("all", m.fields[int(np.argmax(m.field_totals))], "future:biotech"):
        lay = parse_layer(layer, m)
        values = layer_values(m, lay)
        breaks = class_breaks(values)
        classes = classify(values, breaks)
        assert breaks == sorted(breaks) and (not breaks or breaks[-1] == values.max())
        assert all(
            classes[i] <= classes[k]
            for i in range(len(values))
            for k in range(len(values))
            if values[i] <= values[k]
        )
        png = save_static(draw(m, lay), tmp_path / f"{lay.slug}.png")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
        svg = save_static(draw(m, lay), tmp_path / f"{lay.slug}.svg").read_text(encoding="utf-8")
        assert "示意图" in svg and f"{m.vintage} 年版" in svg
        for u, v in zip(m.units, values, strict=True):
            assert str(int(v)) in svg, u
        html = interactive_html(m, lay)
        assert "Plotly.newPlot" in html and '<script src="http' not in html


def test_report_on_the_real_register(measures: Measures, tmp_path: Path) -> None:
    from industry_brain.atlas._report import write_report

    r = write_report(measures, tmp_path / "report", pdf=False)
    assert r.sections["total"] == measures.total
    assert r.sections["sheets"]["units"] == len(measures.units)
    assert all(p.is_file() for p in (*r.pages, *r.maps, r.xlsx))
