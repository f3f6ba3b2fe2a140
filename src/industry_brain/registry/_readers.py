"""Readers: CSV, XLSX and Parquet files → chunks of string columns with their row numbers in the file.

Every reader finds the header row (also below title and note rows), yields bounded chunks (memory does not grow
with the file) and reports rows it cannot split into the header's columns instead of dropping them.

* CSV: encoding detected from the bytes (UTF-8, UTF-8 with BOM, GB18030, UTF-16 with BOM) and reported, never
  guessed silently; delimiter sniffed (``,`` ``\\t`` ``;`` ``|``); parsed by pyarrow in chunks cut at record
  boundaries (quote-aware). Row numbers are record numbers, counting title rows and the header.
* XLSX: openpyxl read-only streaming; merged ranges (read from the sheet's XML) are filled with their top-left
  value, so a district merged over several rows reaches each of them; ``sheet`` picks a sheet, else the first
  sheet with a recognisable header.
* Parquet: row groups streamed; every column cast to text.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from industry_brain._core.cells import unguard, unguard_arrow
from industry_brain._core.errors import InputError, ParseError
from industry_brain.registry._columns import (
    HEADER_SCAN_ROWS,
    ColumnMap,
    describe_missing,
    find_header,
    map_columns,
)

CSV_CHUNK_BYTES = 16 << 20
XLSX_CHUNK_ROWS = 20_000
PARQUET_CHUNK_ROWS = 131_072
_HEAD_BYTES = 1 << 20
_DELIMITERS = (",", "\t", ";", "|")


@dataclass
class BadRow:
    """A row that does not split into the header's columns (quarantined as ``row_column_count``)."""

    row: int
    expected: int
    actual: int
    text: str


@dataclass
class Chunk:
    """Up to a few ten thousand rows: one text column per header column, and each row's number in the file."""

    columns: list[pa.Array]
    rows: np.ndarray
    bad_rows: list[BadRow] = field(default_factory=list)
    numeric_code_rows: set[int] = field(default_factory=set)  # XLSX: the code cell held a number

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class Source:
    """An opened input: what was detected, and an iterator of chunks (consumed once)."""

    path: Path
    file_format: str
    encoding: str | None
    sheet: str | None
    header_row: int | None
    column_map: ColumnMap
    rows_hint: int | None
    chunks: Iterator[Chunk]
    delimiter: str | None = None


def open_source(
    path: Path, *, sheet: str | None = None, mapping: dict[str, str | None] | None = None
) -> Source:
    """Open ``path`` and read its header; raises :class:`InputError` when the file is unusable."""
    if not path.exists():
        raise InputError(f"file {str(path)!r} not found", file=str(path))
    if path.is_dir():
        raise InputError(f"{str(path)!r} is a folder, expected a CSV, XLSX or Parquet file", file=str(path))
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"file {str(path)!r} is empty (0 bytes)", file=str(path), reason="empty_file")
    with path.open("rb") as fh:
        magic = fh.read(8)
    fmt = _detect_format(path, magic)
    if fmt == "xlsx":
        return _open_xlsx(path, sheet, mapping)
    if fmt == "parquet":
        return _open_parquet(path, mapping)
    return _open_csv(path, mapping)


def _detect_format(path: Path, magic: bytes) -> str:
    ext = path.suffix.lower()
    if magic.startswith(b"PK\x03\x04"):
        if ext in (".xls", ".et"):
            raise InputError(
                f"file {str(path)!r}: unsupported format {ext!r}, expected .xlsx, .csv or .parquet",
                file=str(path),
            )
        return "xlsx"
    if magic.startswith(b"PAR1"):
        return "parquet"
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"file {str(path)!r} is an old binary Excel workbook (.xls), expected .xlsx, .csv or .parquet: "
            "save it as .xlsx first",
            file=str(path),
            reason="xls",
        )
    if ext in (".xlsx", ".xlsm"):
        raise ParseError(
            f"file {str(path)!r} is not a valid XLSX workbook (not a zip archive)", file=str(path)
        )
    if ext == ".parquet":
        raise ParseError(f"file {str(path)!r} is not a valid Parquet file (no PAR1 magic)", file=str(path))
    return "csv"


# ---- CSV ---------------------------------------------------------------------------------------------------


def _detect_encoding(path: Path, head: bytes, whole: bool) -> tuple[str, int]:
    """(encoding, bytes to skip). UTF-8 first, GB18030 second; anything else is unreadable."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", 3
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0
    if b"\x00" in head:
        raise ParseError(
            f"file {str(path)!r} holds binary data (NUL bytes), expected a text CSV, an XLSX or a Parquet file",
            file=str(path),
            reason="binary",
        )
    for enc in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(enc)().decode(head, final=whole)
        except UnicodeDecodeError:
            continue
        return enc, 0
    bad = _first_bad_offset(head)
    raise ParseError(
        f"file {str(path)!r} has unreadable bytes at offset {bad}: neither UTF-8 nor GB18030",
        file=str(path),
        reason="unreadable_bytes",
        offset=bad,
    )


def _first_bad_offset(head: bytes) -> int:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def _split_records(buf: bytes) -> list[bytes]:
    """Split bytes into records at newlines outside quotes (the last piece may be incomplete)."""
    out: list[bytes] = []
    start = 0
    quotes = 0
    pos = 0
    while True:
        nl = buf.find(b"\n", pos)
        if nl < 0:
            if start < len(buf):
                out.append(buf[start:])
            return out
        quotes += buf.count(b'"', pos, nl)
        pos = nl + 1
        if quotes % 2 == 0:
            out.append(buf[start : nl + 1])
            start = pos
            quotes = 0


def _cut(buf: bytes) -> int:
    """Largest prefix length of ``buf`` ending at a record boundary (0 if none)."""
    cut = buf.rfind(b"\n")
    while cut >= 0:
        if buf.count(b'"', 0, cut) % 2 == 0:
            return cut + 1
        cut = buf.rfind(b"\n", 0, cut)
    return 0


def _parse_cells(record: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([record.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return record.rstrip("\r\n").split(delimiter)


def _open_csv(path: Path, mapping: dict[str, str | None] | None) -> Source:
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    encoding, skip = _detect_encoding(path, head, whole=len(head) >= size)
    if encoding == "utf-16":
        return _open_transcoded(path, mapping)
    records = _split_records(head[skip:])
    if len(head) < size and records:
        records = records[:-1]  # possibly cut mid-record
    texts = [r.decode(encoding if encoding != "utf-8-sig" else "utf-8", errors="replace") for r in records]
    if not any(t.strip() for t in texts):
        raise InputError(
            f"file {str(path)!r} is empty (only blank lines)", file=str(path), reason="empty_file"
        )
    best: tuple[int, str, list[str]] | None = None
    best_score = -1
    for delim in _DELIMITERS:
        rows: list[list[object]] = [list(_parse_cells(t, delim)) for t in texts[:HEADER_SCAN_ROWS]]
        idx = find_header(rows, mapping)
        if idx is None:
            continue
        score = len(map_columns([str(c) for c in rows[idx]], mapping).fields)
        if score > best_score:
            best, best_score = (idx, delim, [str(c) for c in rows[idx]]), score
    if best is None:
        rows = [list(_parse_cells(t, ",")) for t in texts[:HEADER_SCAN_ROWS]]
        raise InputError(
            f"file {str(path)!r}: no recognisable header in the first {HEADER_SCAN_ROWS} rows "
            f"(expected columns such as 企业名称 and 统一社会信用代码; {describe_missing(rows, mapping)})",
            file=str(path),
            reason="no_header",
        )
    idx, delim, headers = best
    while headers and headers[-1].strip() == "":
        headers.pop()
    column_map = map_columns(headers, mapping)
    data_offset = skip + sum(len(r) for r in records[: idx + 1])
    chunks = _csv_chunks(path, encoding, data_offset, delim, len(headers), first_row=idx + 2)
    return Source(path, "csv", encoding, None, idx + 1, column_map, None, chunks, delimiter=delim)


def _open_transcoded(path: Path, mapping: dict[str, str | None] | None) -> Source:
    import tempfile

    try:
        text = path.read_bytes().decode("utf-16")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"file {str(path)!r} has unreadable bytes at offset {exc.start} (UTF-16)",
            file=str(path),
            reason="unreadable_bytes",
        ) from exc
    tmp = Path(tempfile.mkdtemp(prefix="ib_utf16_")) / path.name
    tmp.write_bytes(text.encode("utf-8"))
    src = _open_csv(tmp, mapping)
    src.path, src.encoding = path, "utf-16"
    return src


def _csv_chunks(
    path: Path, encoding: str, offset: int, delimiter: str, width: int, first_row: int
) -> Iterator[Chunk]:
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    convert = pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names},
        strings_can_be_null=True,
        null_values=[""],
        quoted_strings_can_be_null=True,
    )
    next_row = first_row
    text_encoding = None if encoding in ("utf-8", "utf-8-sig") else encoding
    with path.open("rb") as fh:
        fh.seek(offset)
        carry = b""
        eof = False
        # a small first chunk starts the validation (and the loading behind it) sooner
        size = max(CSV_CHUNK_BYTES // 8, 1 << 16)
        while not eof:
            block = fh.read(size)
            size = CSV_CHUNK_BYTES
            eof = not block
            buf = carry + block
            if not buf:
                break
            cut = len(buf) if eof else _cut(buf)
            if cut == 0:
                carry = buf
                continue
            piece, carry = buf[:cut], buf[cut:]
            if text_encoding is not None:
                try:
                    piece = piece.decode(text_encoding).encode("utf-8")
                except UnicodeDecodeError as exc:
                    line = next_row + piece[: exc.start].count(b"\n")
                    raise ParseError(
                        f"file {str(path)!r}: unreadable bytes near row {line} ({encoding} was detected from the "
                        "start of the file)",
                        file=str(path),
                        row=line,
                        reason="unreadable_bytes",
                    ) from exc
            chunk = _parse_csv_piece(path, piece, delimiter, names, convert, next_row, threads=True)
            next_row += chunk[1]
            yield chunk[0]


def _parse_csv_piece(
    path: Path,
    piece: bytes,
    delimiter: str,
    names: list[str],
    convert: Any,
    first_row: int,
    *,
    threads: bool,
) -> tuple[Chunk, int]:
    import pyarrow.csv as pacsv

    bad: list[tuple[int | None, int, int, str]] = []

    def handler(row: Any) -> str:
        bad.append((row.number, row.expected_columns, row.actual_columns, row.text))
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(piece)),  # read in place (a BytesIO would copy the chunk)
            read_options=pacsv.ReadOptions(column_names=names, use_threads=threads, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=handler,
            ),
            convert_options=convert,
        )
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        message = str(exc)
        if "UTF8" in message or "utf8" in message.lower():
            line = first_row
            raise ParseError(
                f"file {str(path)!r}: invalid UTF-8 bytes in the rows from {line} on (UTF-8 was detected from the "
                "start of the file)",
                file=str(path),
                row=line,
                reason="unreadable_bytes",
            ) from exc
        raise ParseError(
            f"file {str(path)!r}: rows from {first_row} on do not parse as CSV: {message}",
            file=str(path),
            row=first_row,
        ) from exc
    if bad and threads and any(b[0] is None for b in bad):
        return _parse_csv_piece(path, piece, delimiter, names, convert, first_row, threads=False)
    total = table.num_rows + len(bad)
    numbers = np.arange(first_row, first_row + total, dtype=np.int64)
    bad_rows: list[BadRow] = []
    if bad:
        keep = np.ones(total, dtype=bool)
        for number, expected, actual, text in bad:
            pos = (number or 1) - 1
            keep[pos] = False
            bad_rows.append(BadRow(int(numbers[pos]), expected, actual, text))
        numbers = numbers[keep]
    columns = [unguard_arrow(table.column(i).combine_chunks()) for i in range(table.num_columns)]
    # blank lines come through as rows whose every cell is null
    if columns:
        valid = np.zeros(table.num_rows, dtype=bool)
        for col in columns:
            valid |= ~col.is_null().to_numpy(zero_copy_only=False)
        if not valid.all():
            mask = pa.array(valid)
            columns = [c.filter(mask) for c in columns]
            numbers = numbers[valid]
    return Chunk(columns, numbers, bad_rows), total


# ---- XLSX --------------------------------------------------------------------------------------------------

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _merged_ranges(ws: Any) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col), 1-based rows and 0-based columns, scanned from the sheet XML."""
    out: list[tuple[int, int, int, int]] = []
    tail = b""
    with ws._get_source() as src:
        while True:
            block = src.read(1 << 20)
            if not block:
                break
            buf = tail + block
            for m in _MERGE.finditer(buf):
                c1, r1, c2, r2 = m.groups()
                out.append((int(r1), _col_index(c1), int(r2), _col_index(c2)))
            tail = buf[-200:]  # a ref cut by the block boundary is found whole next time; set() drops repeats
    return sorted(set(out))


def cell_text(value: Any) -> str | None:
    """An XLSX cell as text: dates as ISO, whole floats without '.0'."""
    if value is None:
        return None
    if isinstance(value, str):
        return str(unguard(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


def _open_xlsx(path: Path, sheet: str | None, mapping: dict[str, str | None] | None) -> Source:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        EOFError,
    ) as exc:
        raise ParseError(
            f"file {str(path)!r} is not a readable XLSX workbook: {exc}", file=str(path)
        ) from exc
    names = list(wb.sheetnames)
    if sheet is not None and sheet not in names:
        wb.close()
        raise InputError(
            f"file {str(path)!r} has no sheet {sheet!r}; sheets: {names!r}", file=str(path), sheet=sheet
        )
    candidates = [sheet] if sheet is not None else names
    first_rows: list[list[object]] = []
    for name in candidates:
        ws = wb[name]
        try:
            merged = _merged_ranges(ws)
            head = _filled_rows(ws, merged, 1, HEADER_SCAN_ROWS)
        except Exception as exc:  # openpyxl raises many kinds on a corrupt sheet
            wb.close()
            raise ParseError(
                f"file {str(path)!r}, sheet {name!r} is unreadable: {exc}", file=str(path)
            ) from exc
        rows: list[list[object]] = [[cell_text(v) for v in r] for _, r in head]
        first_rows = first_rows or rows
        idx = find_header(rows, mapping)
        if idx is None:
            continue
        header_row = head[idx][0]
        headers = [cell_text(v) or "" for v in head[idx][1]]
        while headers and headers[-1].strip() == "":
            headers.pop()
        column_map = map_columns(headers, mapping)
        uscc_col = column_map.index_of("uscc")
        max_row = ws.max_row
        hint = max_row - header_row if max_row else None
        chunks = _xlsx_chunks(wb, ws, merged, header_row, len(headers), uscc_col, path)
        return Source(path, "xlsx", None, name, header_row, column_map, hint, chunks)
    wb.close()
    if not any(any(v is not None and str(v).strip() for v in r) for r in first_rows):
        raise InputError(
            f"file {str(path)!r} is empty: no cells with values", file=str(path), reason="empty_file"
        )
    raise InputError(
        f"file {str(path)!r}: no recognisable header in the first {HEADER_SCAN_ROWS} rows of sheets {candidates!r} "
        f"(expected columns such as 企业名称 and 统一社会信用代码; {describe_missing(first_rows, mapping)})",
        file=str(path),
        reason="no_header",
    )


def _filled_rows(
    ws: Any,
    merged: list[tuple[int, int, int, int]],
    min_row: int,
    max_row: int | None,
) -> list[tuple[int, list[Any]]]:
    return list(_iter_filled(ws, merged, min_row, max_row))


def _iter_filled(
    ws: Any,
    merged: list[tuple[int, int, int, int]],
    min_row: int,
    max_row: int | None,
) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) with merged ranges filled from their top-left cell."""
    pending = [m for m in merged if m[2] >= min_row]
    active: list[tuple[int, int, int, int, Any]] = []
    top_left: dict[tuple[int, int], Any] = {}
    row_no = 1
    for row_no, values in enumerate(ws.iter_rows(min_row=1, max_row=max_row, values_only=True), start=1):
        vals = list(values)
        for m in pending:
            if m[0] == row_no:
                top_left[(m[0], m[1])] = vals[m[1]] if m[1] < len(vals) else None
                active.append((*m, top_left[(m[0], m[1])]))
        if active:
            active = [a for a in active if a[2] >= row_no]
            for r1, c1, _r2, c2, v in active:
                if r1 <= row_no:
                    if len(vals) <= c2:
                        vals.extend([None] * (c2 + 1 - len(vals)))
                    for c in range(c1, c2 + 1):
                        vals[c] = v
        if row_no >= min_row:
            yield row_no, vals
    del row_no


def _xlsx_chunks(
    wb: Any,
    ws: Any,
    merged: list[tuple[int, int, int, int]],
    header_row: int,
    width: int,
    uscc_col: int | None,
    path: Path,
) -> Iterator[Chunk]:
    cols: list[list[str | None]] = [[] for _ in range(width)]
    numbers: list[int] = []
    bad: list[BadRow] = []
    numeric: set[int] = set()
    try:
        for row_no, vals in _iter_filled(ws, merged, header_row + 1, None):
            if not any(v is not None and (not isinstance(v, str) or v.strip()) for v in vals):
                continue
            if len(vals) > width and any(v is not None and str(v).strip() for v in vals[width:]):
                actual = max(i for i, v in enumerate(vals) if v is not None and str(v).strip()) + 1
                bad.append(
                    BadRow(row_no, width, actual, "\t".join("" if v is None else str(v) for v in vals))
                )
                continue
            if (
                uscc_col is not None
                and uscc_col < len(vals)
                and isinstance(vals[uscc_col], int | float)
                and not isinstance(vals[uscc_col], bool)
            ):
                numeric.add(row_no)
            for i in range(width):
                cols[i].append(cell_text(vals[i]) if i < len(vals) else None)
            numbers.append(row_no)
            if len(numbers) >= XLSX_CHUNK_ROWS:
                yield Chunk(
                    [pa.array(c, pa.string()) for c in cols], np.array(numbers, dtype=np.int64), bad, numeric
                )
                cols = [[] for _ in range(width)]
                numbers, bad, numeric = [], [], set()
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise ParseError(
            f"file {str(path)!r} is unreadable after row {numbers[-1] if numbers else header_row}: {exc}",
            file=str(path),
        ) from exc
    if numbers or bad:
        yield Chunk([pa.array(c, pa.string()) for c in cols], np.array(numbers, dtype=np.int64), bad, numeric)
    wb.close()


# ---- Parquet -----------------------------------------------------------------------------------------------


def _open_parquet(path: Path, mapping: dict[str, str | None] | None) -> Source:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise ParseError(f"file {str(path)!r} is not a readable Parquet file: {exc}", file=str(path)) from exc
    headers = list(pf.schema_arrow.names)
    column_map = map_columns(headers, mapping)
    have = set(column_map.fields.values())
    if not {"name", "uscc"} <= have:
        raise InputError(
            f"file {str(path)!r}: no recognisable columns (expected columns such as 企业名称 and 统一社会信用代码; "
            f"found {headers[:12]!r})",
            file=str(path),
            reason="no_header",
        )
    return Source(
        path, "parquet", None, None, None, column_map, pf.metadata.num_rows, _parquet_chunks(pf, path)
    )


def _as_text(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    if pa.types.is_string(arr.type):
        return arr
    if pa.types.is_large_string(arr.type) or pa.types.is_dictionary(arr.type):
        return arr.cast(pa.string())
    if pa.types.is_timestamp(arr.type):
        return arr.cast(pa.date32()).cast(pa.string())
    try:
        return arr.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array([None if v is None else str(v) for v in arr.to_pylist()], pa.string())


def _parquet_chunks(pf: Any, path: Path) -> Iterator[Chunk]:
    start = 1
    try:
        for batch in pf.iter_batches(batch_size=PARQUET_CHUNK_ROWS):
            cols = [_as_text(batch.column(i)) for i in range(batch.num_columns)]
            n = batch.num_rows
            yield Chunk(cols, np.arange(start, start + n, dtype=np.int64))
            start += n
    except (pa.ArrowException, OSError) as exc:
        raise ParseError(
            f"file {str(path)!r}: Parquet data unreadable after row {start - 1}: {exc}", file=str(path)
        ) from exc
