"""Published figures: the shipped Hangzhou 2019 set, its build script, and the ``published_figure`` table."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain._core.store import open_store
from industry_brain.atlas._published import (
    HANGZHOU_2019,
    MEASURES,
    load_published,
    published_document,
    published_figures,
    stored_figures,
)

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "build_published_figures.py"
SEVENTH = {"330104", "330105", "330112"}  # 江干区, 拱墅区, 临安区: the three units printed 第七位


def test_every_figure_has_a_known_measure_a_unit_and_its_sentence() -> None:
    figures = published_figures()
    doc = published_document()
    assert len({f.figure_id for f in figures}) == len(figures)
    for f in figures:
        assert f.measure in MEASURES
        assert f.document == HANGZHOU_2019
        assert f.unit_vintage == 2019
        assert f.unit_code == "330100" or f.unit_code in doc.units
        assert f.field is None or f.field in doc.fields
        assert f.sentence_zh and f.source_line and f.source_line > 0
    assert set(doc.units) == {
        "330102", "330103", "330104", "330105", "330106", "330108", "330109",
        "330110", "330111", "330112", "330122", "330127", "330182", "QTXQ",
    }  # fmt: skip


def test_the_magazines_figures_are_all_there() -> None:
    figures = published_figures()
    by_measure = Counter(f.measure for f in figures)
    assert by_measure["field_share"] == 8
    assert by_measure["unit_top_fields"] == 14
    assert by_measure["unit_rank"] == 9
    # 26 distinct cells are printed, 7 of them twice (once in the field text, once in the district text)
    cells = [(f.unit_code, f.field, f.value) for f in figures if f.measure == "cell_count"]
    assert len(cells) == 33
    assert len({(u, fld) for u, fld, _ in cells}) == 26
    assert len(set(cells)) == 26  # the two printings always agree
    sevenths = {f.unit_code for f in figures if f.measure == "unit_rank" and f.value == 7}
    assert sevenths == SEVENTH
    (city,) = [f for f in figures if f.measure == "city_total"]
    assert city.value == 3785
    shares = {f.field: (f.value, f.precision) for f in figures if f.measure == "field_share"}
    assert shares["10"] == (28.59, 2)
    assert shares["30"] == (0.16, 2)
    assert sum(v for v, _ in shares.values()) == pytest.approx(100.0)
    (floor,) = [f for f in figures if f.measure == "units_at_least"]
    assert floor.value == {"threshold": 100, "count": 4, "units": ["330110", "330109", "QTXQ", "330108"]}
    (chunan,) = [f for f in figures if f.measure == "unit_top_fields" and f.unit_code == "330127"]
    assert chunan.value == ["20", "40"]  # 淳安县 prints only its top two


def test_sentences_are_the_printed_ones() -> None:
    figures = {f.figure_id: f for f in published_figures()}
    assert "466家、168家和141家" in figures["field.cell_count.330108.10"].sentence_zh
    assert "排名全市第七位" in figures["unit.unit_rank.330104"].sentence_zh
    assert figures["field.field_rank.330100.30"].value == 8  # 最为薄弱的领域
    assert figures["unit.unit_few.330127"].value["label"] == "较少"


def test_unknown_document_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        published_document("no-such-document")


def test_shipped_data_is_what_the_script_builds(shared: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_published_figures", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shipped = json.loads(
        (REPO / "src/industry_brain/atlas/_data/hangzhou_2019_published.json").read_text("utf-8")
    )
    assert module.build_figures() == shipped["figures"]


def test_load_published_is_idempotent_and_round_trips() -> None:
    with open_store(":memory:") as store:
        assert load_published(store) == len(published_figures())
        assert load_published(store) == 0
        assert stored_figures(store) == published_figures()
        # a changed row is replaced as a whole on the next load
        store.execute(
            "UPDATE published_figure SET value = '999' WHERE figure_id = 'field.cell_count.330108.10'"
        )
        assert load_published(store) == len(published_figures())
        assert stored_figures(store) == published_figures()


def test_a_figure_with_an_unknown_measure_is_refused() -> None:
    from industry_brain.atlas._published import _figure_from_dict

    raw = published_figures()[0].to_dict()
    with pytest.raises(InputError):
        _figure_from_dict({**raw, "measure": "guess"})
