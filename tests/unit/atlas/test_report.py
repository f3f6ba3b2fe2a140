"""The map report: self-contained pages, every district blurb and field page, the future-industry view, the
reconstruction and check pages, the XLSX of every table, the PDF (facts read back from the files)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from industry_brain._core.errors import InputError
from industry_brain.atlas._measures import Measures
from industry_brain.atlas._narrative import field_blurb, unit_blurb
from industry_brain.atlas._report import ReportResult, print_pdf, write_report
from industry_brain.atlas._tally import FIELDS_L1, FUTURE_CODES, UNITS_2019, UNITS_2021

TABLE = Path(__file__).with_name("measures_hangzhou_table.csv")


def hangzhou(future: bool = False) -> Measures:
    """The 2019 table (printed cells and a reconstruction's estimates), optionally with future-industry counts."""
    with TABLE.open(encoding="utf-8") as fh:
        rows = {r["unit"]: [int(r[f]) for f in FIELDS_L1] for r in csv.DictReader(fh)}
    fut = None
    if future:
        fut = np.random.default_rng(5).integers(0, 40, size=(len(UNITS_2019), len(FUTURE_CODES)))
        fut[:, FUTURE_CODES.index("quantum")] = 0  # one industry with no firm: no map, a note instead
    return Measures(
        units=UNITS_2019,
        fields=FIELDS_L1,
        counts=np.array([rows[u] for u in UNITS_2019]),
        basis={"hightech_only": True, "year": 2018},
        future_codes=FUTURE_CODES,
        future=fut,
    )


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each element that has a data-unit attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def with_attr(self, name: str, tag: str | None = None) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if name in a and (tag is None or t == tag)]


def workbook(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's rows (the file is closed again: read-only workbooks keep it open otherwise)."""
    wb = load_workbook(path, read_only=True)
    try:
        return {name: list(wb[name].iter_rows(values_only=True)) for name in wb.sheetnames}
    finally:
        wb.close()


def parse(path: Path) -> Tags:
    p = Tags()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Measures, ReportResult]:
    m = hangzhou(future=True)
    out = tmp_path_factory.mktemp("report")
    result = write_report(
        m, out, pdf=False, check_note="no check in this test", reconstruction_note="none here"
    )
    return m, result


def test_files_written_and_self_contained(built: tuple[Measures, ReportResult]) -> None:
    m, r = built
    names = {p.name for p in r.pages}
    assert {"index.html", "future.html", "reconstruction.html", "check.html"} <= names
    assert {f"field-{f}.html" for f in m.fields} <= names
    assert (r.out / "assets" / "report.css").is_file()
    assert r.pdf is None and r.xlsx.is_file()
    pages = [*r.pages, *(p for p in r.maps if p.suffix == ".html")]
    for page in pages:
        tags = parse(page)
        refs = [a.get("src") for _, a in tags.tags if a.get("src")]
        refs += [a.get("href") for t, a in tags.tags if t == "link" and a.get("href")]
        refs += [a.get("href") for t, a in tags.tags if t == "a" and a.get("href")]
        for ref in refs:
            assert ref is not None
            assert not ref.startswith(("http://", "https://", "//")), (page.name, ref)
            assert (page.parent / ref).is_file(), (page.name, ref)
        scripts = [a for t, a in tags.tags if t == "script"]
        assert all(not a.get("src") for a in scripts), page.name  # every script inline
    # the interactive map carries plotly.js itself
    interactive = [p for p in r.maps if p.suffix == ".html"]
    assert len(interactive) == 1 and "Plotly.newPlot" in interactive[0].read_text(encoding="utf-8")


def test_every_district_blurb_with_its_facts(built: tuple[Measures, ReportResult]) -> None:
    m, r = built
    divs = parse(r.index).with_attr("data-unit", "div")
    assert sorted(d["data-unit"] or "" for d in divs) == sorted(m.units)
    ranks = [int(d["data-rank"] or 0) for d in divs]
    assert ranks == sorted(ranks)  # shown best first
    for d in divs:
        u = d["data-unit"] or ""
        b = unit_blurb(m, u)
        assert int(d["data-total"] or -1) == m.unit_total(u)
        assert int(d["data-rank"] or -1) == m.unit_rank_of(u)[0]
        assert (d["data-top"] or "").split(",") == [x.code for x in m.top_fields(u, 3)][: len(b.top_fields)]
        assert [x for x in (d["data-led"] or "").split(",") if x] == m.fields_led(u)
    text = r.index.read_text(encoding="utf-8")
    for u in m.units:
        assert unit_blurb(m, u).text in text
    # 滨江 leads three fields alone; 余杭 four: the facts the magazine printed
    by = {d["data-unit"]: d for d in divs}
    assert (by["330108"]["data-led"] or "").split(",") == ["10", "50", "20"]
    assert (by["330110"]["data-led"] or "").split(",") == ["80", "40", "70", "60"]


def test_one_page_per_field_with_map_blurb_and_units(built: tuple[Measures, ReportResult]) -> None:
    m, r = built
    for f in m.fields:
        page = r.out / f"field-{f}.html"
        tags = parse(page)
        (section,) = tags.with_attr("data-field", "section")
        assert section["data-field"] == f
        assert int(section["data-total"] or -1) == m.field_total(f)
        assert (section["data-named"] or "").split(",") == m.named_units[m.field_index(f)]
        assert (section["data-concentration"] or None) == m.concentration(f)
        rows = tags.with_attr("data-count", "tr")
        assert [x["data-unit"] for x in rows] == [
            x.code for x in m.top_units(f, len(m.units), include_zero=True)
        ]
        counts = [int(x["data-count"] or 0) for x in rows]
        assert sum(counts) == m.field_total(f) and counts == sorted(counts, reverse=True)
        imgs = [a["src"] for t, a in tags.tags if t == "img"]
        assert imgs == [f"maps/map-2019-field-{f}-zh.png"]
        assert (r.out / imgs[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        svg = (r.out / f"maps/map-2019-field-{f}-zh.svg").read_text(encoding="utf-8")
        assert "示意图" in svg and "2019" in svg
        assert field_blurb(m, f).text in page.read_text(encoding="utf-8")


def test_future_industry_view(built: tuple[Measures, ReportResult]) -> None:
    m, r = built
    tags = parse(r.out / "future.html")
    assert m.future is not None
    rows = tags.with_attr("data-unit", "tr")
    assert [x["data-unit"] for x in rows] == m.units
    mapped = {a["data-future"] for a in tags.with_attr("data-future")}
    empty = {a["data-future-empty"] for a in tags.with_attr("data-future-empty")}
    assert empty == {"quantum"} and mapped == set(FUTURE_CODES) - {"quantum"}
    for code in mapped:
        assert (r.out / f"maps/map-2019-future-{code}-zh.png").is_file()
    # the XLSX future sheet holds the same counts
    values = workbook(r.xlsx)["future"]
    assert values[1][2:9] == tuple(FUTURE_CODES)
    assert np.array_equal(np.array([row[2:9] for row in values[2:]], dtype=int), m.future)


def test_missing_sections_say_why(built: tuple[Measures, ReportResult]) -> None:
    _, r = built
    for page, why in (("check.html", "no check in this test"), ("reconstruction.html", "none here")):
        tags = parse(r.out / page)
        assert tags.with_attr("class", "p") and why in (r.out / page).read_text(encoding="utf-8")
    assert r.notes == ["none here", "no check in this test"]
    assert r.sections["check"] is False and r.sections["reconstruction"] is False


def test_xlsx_sheets_have_the_shapes_of_their_tables(built: tuple[Measures, ReportResult]) -> None:
    m, r = built
    wb = workbook(r.xlsx)
    expected = {
        "units": (14, 12),
        "fields": (8, 10),
        "matrix": (14, 2 + 8 + 1),
        "cells": (14 * 8, 12),
        "future": (14, 2 + 7 + 1),
        "unit_blurbs": (14, 9),
        "field_blurbs": (8, 8),
    }
    assert list(wb) == ["about", *expected]
    for name, (nrows, ncols) in expected.items():
        rows = wb[name]
        assert len(rows) == 2 + nrows, name
        assert all(len(row) == ncols for row in rows), name
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in str(h)) for h in rows[0]), name  # Chinese headers
        assert all(str(c).isascii() and str(c).replace("_", "").isalnum() for c in rows[1]), name  # ASCII ids
        assert r.sections["sheets"][name] == nrows
    matrix = wb["matrix"]
    assert [row[0] for row in matrix[2:]] == m.units
    assert np.array_equal(np.array([row[2:10] for row in matrix[2:]], dtype=int), m.counts)
    assert [row[10] for row in matrix[2:]] == [int(v) for v in m.unit_totals]
    cells = wb["cells"]
    ids = cells[1]
    by = {(row[ids.index("unit")], row[ids.index("field")]): row for row in cells[2:]}
    assert by["330108", "10"][ids.index("count")] == 466
    assert by["330108", "10"][ids.index("rank_in_field")] == 1
    units = wb["units"]
    shares = [row[units[1].index("share_pct")] for row in units[2:]]
    assert sum(shares) == pytest.approx(100, abs=0.01)


def test_english_report_and_2021_maps(tmp_path: Path) -> None:
    m = Measures(
        units=UNITS_2021,
        fields=FIELDS_L1,
        counts=np.arange(len(UNITS_2021) * 8).reshape(len(UNITS_2021), 8) % 17,
        vintage=2021,
        basis={"hightech_only": False},
    )
    r = write_report(m, tmp_path / "en", lang="en", pdf=False)
    html = r.index.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Electronic information" in html
    assert sorted(a["data-unit"] or "" for a in parse(r.index).with_attr("data-unit", "div")) == sorted(
        UNITS_2021
    )
    assert {p.name for p in r.maps} >= {"map-2021-all-en.png", "map-2021-all-en.svg", "map-2021-all-en.html"}
    svg = (r.out / "maps" / "map-2021-all-en.svg").read_text(encoding="utf-8")
    assert "Illustrative map" in svg and "2021" in svg


def test_bad_requests(tmp_path: Path) -> None:
    m = hangzhou()
    with pytest.raises(InputError, match="level-1"):
        write_report(Measures(units=["a"], fields=["1001"], counts=np.array([[1]]), level=2), tmp_path / "x")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not a folder"):
        write_report(m, tmp_path / "file", pdf=False)


def test_pdf_skipped_with_a_reason_when_no_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IB_CHROMIUM", str(tmp_path / "no-such-browser"))
    page = tmp_path / "p.html"
    page.write_text("<html><body>示意图</body></html>", encoding="utf-8")
    path, why = print_pdf(page, tmp_path / "p.pdf")
    assert path is None and why is not None and "chromium" in why.lower()
    assert not (tmp_path / "p.pdf").exists()


@pytest.mark.slow
def test_reconstruction_page_marks_every_cell(tmp_path: Path) -> None:
    from industry_brain.atlas._reconstruct import reconstruct

    rec = reconstruct(cache_dir=tmp_path / "cache")
    r = write_report(hangzhou(), tmp_path / "rep", pdf=False, reconstruction=rec)
    tags = parse(r.out / "reconstruction.html")
    cells = tags.with_attr("data-status", "td")
    assert len(cells) == len(rec.cells) == 14 * 8
    marks = {k: sum(1 for c in cells if c["data-status"] == k) for k in ("printed", "implied", "estimated")}
    assert marks == rec.marks()
    rows = tags.with_attr("data-unit", "tr")
    by = {(c.unit_code, c.field): c for c in rec.cells}
    k = 0
    for row in rows:
        for f in rec.fields:
            cell = cells[k]
            k += 1
            truth = by[row["data-unit"], f]
            assert cell["data-field"] == f and int(cell["data-value"] or -1) == truth.value
            lo, hi = int(cell["data-min"] or -1), int(cell["data-max"] or -1)
            assert lo <= truth.value <= hi
            assert (lo < hi) == (truth.status == "estimated")
    assert {a["data-figure"] for a in tags.with_attr("data-figure", "tr")} == rec.relaxed_ids()
    ws = workbook(r.xlsx)["reconstruction"]
    assert len(ws) == 2 + 112
    assert sum(1 for row in ws[2:] if row[5] == "printed") == rec.marks()["printed"]


@pytest.mark.slow
@pytest.mark.browser
def test_pdf_has_every_page_in_chinese(tmp_path: Path) -> None:
    m = hangzhou()
    r = write_report(m, tmp_path / "pdf", pdf=True)
    assert r.pdf is not None and r.pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed: the PDF's text is not read back")
    text = subprocess.run(
        ["pdftotext", "-layout", str(r.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "示意图" in text and "杭州未来产业地图" in text
    for u in ("余杭区", "西湖区", "淳安县"):
        assert u in text
    assert text.count("\f") >= 1 + len(m.fields)  # one page or more per section


def test_a_unit_whose_first_four_fields_tie_gets_the_joint_first_group(tmp_path: Path) -> None:
    counts = np.zeros((len(UNITS_2019), 8), dtype=int)
    counts[:, 0] = np.arange(1, len(UNITS_2019) + 1) * 3
    counts[0, :5] = 2  # 上城区: five fields with 2 firms each, three with none
    m = Measures(units=UNITS_2019, fields=FIELDS_L1, counts=counts, basis={"hightech_only": True})
    for lang in ("zh-CN", "en"):
        b = unit_blurb(m, "330102", lang)
        assert b.top_fields == ["10", "20", "30", "40", "50"] and b.top_counts == [2] * 5
    r = write_report(m, tmp_path / "ties", pdf=False)
    (div,) = [d for d in parse(r.index).with_attr("data-unit", "div") if d["data-unit"] == "330102"]
    assert (div["data-top"] or "").split(",") == ["10", "20", "30", "40", "50"]


def test_check_page_and_sheet_hold_every_printed_figure(tmp_path: Path) -> None:
    from industry_brain.atlas._check import check_measures

    m = hangzhou()
    report = check_measures(m)
    for lang in ("zh-CN", "en"):
        r = write_report(m, tmp_path / lang, lang=lang, pdf=False, check=report.to_dict())
        tags = parse(r.out / "check.html")
        rows = tags.with_attr("data-figure", "tr")
        assert [x["data-figure"] for x in rows] == [row.id for row in report.rows]
        assert [x["data-status"] for x in rows] == [row.status for row in report.rows]
        shown = {a["data-summary"] for a in tags.with_attr("data-summary")}
        assert shown == set(report.summary)
        assert r.sections["check_summary"] == report.summary
        sheet = workbook(r.xlsx)["check"]
        ids = sheet[1]
        assert len(sheet) == 2 + len(report.rows)
        assert [row[ids.index("id")] for row in sheet[2:]] == [row.id for row in report.rows]
        assert [row[ids.index("status")] for row in sheet[2:]] == [row.status for row in report.rows]
        detail = [row[ids.index("detail")] for row in sheet[2:]]
        key = "en" if lang == "en" else "zh"
        assert detail == [row.detail[key] or None for row in report.rows]
