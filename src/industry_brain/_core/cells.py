"""Spreadsheet cells that a user can open safely (OWASP "CSV injection").

Excel, WPS and LibreOffice evaluate a cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula. The product writes such text so that it stays text:

* **CSV** — :func:`guard` prefixes the text with a single quote (``'=HYPERLINK(...)``), the escape OWASP describes;
  :func:`sql_guard` is the same rule as a DuckDB expression for ``COPY ... TO``.
* **XLSX** — the cell is written as a string cell with the *quote prefix* style (what Excel stores when a user types
  ``'=x``): the workbook holds the exact text, and Excel shows it as text and keeps it text when the cell is edited.
  :data:`XLSXWRITER_OPTIONS` turns off xlsxwriter's guessing of formulas, numbers and links; :func:`write_row`
  (xlsxwriter) and :func:`openpyxl_row` (openpyxl) apply the style.

Numbers are left as numbers. Every importer passes text cells through :func:`unguard` (or :func:`unguard_arrow`),
so the product's own CSV exports read back as the same values; a text that really begins with ``'`` followed by a
trigger character cannot be told apart from a guarded one and reads back without its quote.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"

XLSXWRITER_OPTIONS: dict[str, bool] = {
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


def needs_guard(value: Any) -> bool:
    """True for text that a spreadsheet would evaluate as a formula."""
    return isinstance(value, str) and value.startswith(TRIGGERS)


def guard(value: Any) -> Any:
    """The cell as it is safe to write to CSV: text starting with a formula trigger gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return _QUOTE + value
    return value


def unguard(value: Any) -> Any:
    """Undo :func:`guard`: ``'=x`` reads back as ``=x``; any other value is returned unchanged."""
    if isinstance(value, str) and len(value) > 1 and value[0] == _QUOTE and value[1:].startswith(TRIGGERS):
        return value[1:]
    return value


def sql_guard(expr: str) -> str:
    """A DuckDB SQL expression applying :func:`guard` to the VARCHAR expression ``expr``."""
    chars = ", ".join(f"chr({ord(c)})" for c in TRIGGERS)
    return f"CASE WHEN left({expr}, 1) IN ({chars}) THEN '{_QUOTE * 2}' || {expr} ELSE {expr} END"


_GUARDED = r"^'[=+\-@\t\r]"  # "a quote, then one of TRIGGERS" as an RE2 pattern


def unguard_arrow(arr: Any) -> Any:
    """:func:`unguard` over a pyarrow string array (vectorised; an array without a leading quote is returned as is)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if len(arr) == 0 or not pa.types.is_string(arr.type):
        return arr
    if not pc.any(pc.starts_with(arr, _QUOTE)).as_py():
        return arr
    hit = pc.fill_null(pc.match_substring_regex(arr, _GUARDED), False)
    return pc.if_else(hit, pc.utf8_slice_codeunits(arr, 1), arr)


def write_row(ws: Any, row: int, col: int, values: Sequence[Any], text_format: Any, fmt: Any = None) -> None:
    """xlsxwriter: write ``values`` from (row, col); text that would be a formula gets ``text_format`` (a format with
    ``quote_prefix``), everything else ``fmt``."""
    for i, v in enumerate(values):
        if isinstance(v, str) and v.startswith(TRIGGERS):
            ws.write_string(row, col + i, v, text_format)
        else:
            ws.write(row, col + i, v, fmt)


def openpyxl_row(ws: Any, values: Sequence[Any]) -> list[Any]:
    """openpyxl: ``values`` ready for ``ws.append``, with text that would be a formula as a quote-prefixed string
    cell (openpyxl otherwise stores any text beginning with ``=`` as a formula)."""
    from openpyxl.cell import WriteOnlyCell

    out: list[Any] = []
    for v in values:
        if isinstance(v, str) and v.startswith(TRIGGERS):
            cell = WriteOnlyCell(ws, value=v)
            cell.data_type = "s"
            cell.quotePrefix = True
            out.append(cell)
        else:
            out.append(v)
    return out
