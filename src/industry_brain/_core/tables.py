"""Small tables a user keeps in Excel or CSV (a survey export, a provider directory, a needs list), read whole as
rows of cell text: XLSX (first sheet) or CSV in UTF-8 (with or without BOM) or GB18030.

Cells are NFKC-normalised and trimmed; a cell the product quoted against formula injection on export is read back
as it was (:func:`industry_brain._core.cells.unguard`); Excel numbers that are whole become ``"12"``, not
``"12.0"``. A file that cannot be read raises :class:`ParseError` or :class:`InputError`, never a library's error.
Large registers go through the registry's streaming readers instead.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from industry_brain._core.cells import unguard
from industry_brain._core.errors import InputError, ParseError


@dataclass(frozen=True)
class Rows:
    """A file's rows as cell strings, with how it was read."""

    rows: list[list[str]]
    format: str
    encoding: str | None
    sheet: str | None


def cell_text(value: Any) -> str:
    """One cell as text ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(unguard(unicodedata.normalize("NFKC", str(value)).strip()))


def read_rows(path: Path) -> Rows:
    """Every row of ``path`` (XLSX or CSV) as cell strings."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            import openpyxl

            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            ws = wb.worksheets[0]
            rows = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            sheet = ws.title
            wb.close()
        except Exception as exc:  # openpyxl raises many kinds (zipfile, KeyError, XML) on a damaged file
            raise ParseError(
                f"{path.name}: not a readable xlsx workbook ({type(exc).__name__})", file=path.name
            ) from exc
        return Rows(rows, "xlsx", None, sheet)
    if suffix not in (".csv", ".txt"):
        raise InputError(f"{path.name}: file type {suffix!r}, expected .xlsx or .csv", file=path.name)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file", file=str(path)) from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})", file=str(path)) from exc
    text: str | None = None
    encoding = None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            encoding = "utf-8" if enc == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf") else enc
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise ParseError(f"{path.name}: neither UTF-8 nor GB18030 text", file=path.name)
    if "\x00" in text:
        raise ParseError(f"{path.name}: contains NUL bytes, not a text CSV", file=path.name)
    try:
        rows = [[cell_text(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise ParseError(f"{path.name}: malformed CSV ({exc})", file=path.name) from exc
    return Rows(rows, "csv", encoding, None)
