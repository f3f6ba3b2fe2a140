"""The spreadsheet guard: text a spreadsheet would evaluate is written as text, and reads back unchanged."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from industry_brain._core.cells import (
    TRIGGERS,
    XLSXWRITER_OPTIONS,
    guard,
    needs_guard,
    openpyxl_row,
    sql_guard,
    unguard,
    unguard_arrow,
    write_row,
)

# text that is likely to begin with a trigger, a quote, or both
_text = st.one_of(
    st.text(max_size=12),
    st.tuples(st.sampled_from([*TRIGGERS, "'", "'=", "''", "a"]), st.text(max_size=8)).map("".join),
)


def _ambiguous(s: str) -> bool:
    """A text that itself looks guarded (a quote before a trigger) cannot round-trip; documented in the module."""
    return len(s) > 1 and s[0] == "'" and s[1:].startswith(TRIGGERS)


def test_owasp_examples() -> None:
    assert guard('=HYPERLINK("http://example.invalid/","点击")') == '\'=HYPERLINK("http://example.invalid/","点击")'
    assert [guard(x) for x in ("+86 571", "-2", "@SUM(A1)", "\tx", "\rx")] == [
        "'+86 571",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
    ]
    assert guard("杭州某某科技有限公司") == "杭州某某科技有限公司" and guard("") == ""
    assert guard(-2) == -2 and guard(3.5) == 3.5 and guard(None) is None  # numbers stay numbers
    assert unguard("'x") == "'x" and unguard("'") == "'" and unguard(5) == 5


@given(_text)
def test_guarded_text_never_starts_a_formula_and_reads_back(s: str) -> None:
    g = guard(s)
    assert not needs_guard(g)
    if not _ambiguous(s):
        assert unguard(g) == s
    assert needs_guard(s) == (g != s)


@settings(deadline=None, max_examples=60)
@given(st.lists(st.one_of(st.none(), _text), max_size=20))
def test_arrow_and_sql_forms_agree_with_python(values: list[str | None]) -> None:
    guarded = [guard(v) for v in values]
    assert unguard_arrow(pa.array(guarded, pa.string())).to_pylist() == [unguard(v) for v in guarded]
    con = duckdb.connect()
    con.execute("CREATE TABLE t (i INTEGER, x VARCHAR)")
    if values:
        con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(values)))
    got = [r[0] for r in con.execute(f"SELECT {sql_guard('x')} FROM t ORDER BY i").fetchall()]
    assert got == guarded


def test_xlsx_writers_store_text_with_the_quote_prefix(tmp_path: Path) -> None:
    import openpyxl
    import xlsxwriter
    from openpyxl import Workbook

    values = ["=1+1", "-3", "普通", 7, -2.5]
    p1 = tmp_path / "a.xlsx"
    wb1 = xlsxwriter.Workbook(str(p1), XLSXWRITER_OPTIONS)
    ws1 = wb1.add_worksheet()
    write_row(ws1, 0, 0, values, wb1.add_format({"quote_prefix": True}))
    wb1.close()
    p2 = tmp_path / "b.xlsx"
    wb2 = Workbook()
    ws2 = wb2.active
    assert ws2 is not None
    ws2.append(openpyxl_row(ws2, values))
    wb2.save(p2)
    for p in (p1, p2):
        cells = next(openpyxl.load_workbook(p).worksheets[0].iter_rows())
        assert [c.value for c in cells] == values
        assert [c.data_type for c in cells] == ["s", "s", "s", "n", "n"]
        assert [c.quotePrefix for c in cells] == [True, True, False, False, False]
