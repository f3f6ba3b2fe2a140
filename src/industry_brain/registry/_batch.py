"""Importing a file as one batch: read → normalise and validate → place → classify → load, in one transaction.

* Atomic: everything a batch writes (its records, quarantine, review groups, the current register) is written in
  one DuckDB transaction; a process killed mid-import leaves the register as it was.
* Idempotent: a file identical (sha256, sheet, mapping) to its source's newest version writes nothing.
* Versioned: ``enterprise_record`` keeps every batch's records; ``enterprise`` is the current register (each
  source's newest batch; where sources overlap, the newest batch wins; a view over ``enterprise_current``); a report says what was added, changed,
  removed and unchanged against the source's previous version.
* Nothing lost: every row read is loaded or quarantined (``quarantine``, severity ``error``) with its row number,
  field, stable code and zh/en message; warnings are recorded beside loaded rows (severity ``warning``).
* Duplicates: the same code twice with the same data collapses (a ``duplicate_identical`` warning); with
  different data every row of the code is quarantined (``duplicate_conflict``) and listed side by side in
  ``duplicate_review``; rows whose normalised names agree under different (or missing) codes are listed for
  review (``same_name``), never merged. Records are compared on the normalised fields read from the file
  (``_records.COMPARED``; not columns kept verbatim in ``extra``, such as a serial-number column).
* Scoped: ``allowed_units`` refuses a whole file (403) when a row it would load lies outside those units.
* Fast: one thread reads chunks in order, two workers normalise, validate and place them (Arrow compute,
  NumPy over bytes, ``geo.resolve_many``), and a single INSERT streams them into ``enterprise_record``, hashing
  the loaded rows as it goes; DuckDB's threads take chunks from that stream side by side (insertion order is
  not kept: nothing reads the records in table order) and write full, compressed row groups while the next
  chunks are validated, so the commit has little left to do. Rows held back and the problems found are spilled
  to Arrow IPC files beside the stream and loaded after it. The current register is a view, so a batch is
  written once. ``classify=False`` leaves field inference to :func:`classify_batch`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from industry_brain._core.errors import InputError, PermissionDeniedError
from industry_brain._core.store import Store, open_store
from industry_brain.registry import _enrichment, _records
from industry_brain.registry._columns import load_mapping
from industry_brain.registry._readers import open_source
from industry_brain.registry._register import drop_lookup_indexes
from industry_brain.registry._report import ImportReport

log = logging.getLogger(__name__)

CONFIDENCE_BANDS = ((0.9, "high ≥0.9"), (0.7, "medium 0.7–0.9"), (0.0001, "low <0.7"), (-1.0, "none 0"))
MAX_REVIEW_MESSAGES = 100_000


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _record_columns(store: Store) -> list[str]:
    rows = store.fetchall(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'enterprise_record' "
        "ORDER BY ordinal_position"
    )
    return [r[0] for r in rows if r[0] != "batch_id"]


def import_file(
    path: str | Path,
    *,
    store: Store | None = None,
    sheet: str | None = None,
    mapping: str | Path | dict[str, str | None] | None = None,
    source: str | None = None,
    synthetic: bool = False,
    progress: Callable[[int], None] | None = None,
    classify: bool = True,
    allowed_units: Collection[str] | None = None,
) -> ImportReport:
    """Import an enterprise list (CSV, XLSX or Parquet) as one batch of the register.

    ``mapping``: a YAML/JSON file or a dict ``{source header: field}`` for headers the synonyms do not cover.
    ``source``: the list this file is a version of (default: the file's stem). ``synthetic`` flags every record
    as generated. ``progress(n)`` is called as rows are read. ``classify=False`` skips field inference,
    which :func:`classify_batch` (``ib registry classify``) adds later. ``allowed_units`` (2019 map-unit codes, ``QTXQ``, or 2021
    district codes, in any mix) restricts the import to those units: when any row that would be loaded lies
    elsewhere — or cannot be placed at all — the whole import is refused with :class:`PermissionDeniedError`
    naming the foreign units and their first rows, and nothing is written.
    Raises :class:`InputError` for unusable input (nothing written).
    """
    p = Path(path)
    mapping_dict = mapping if isinstance(mapping, dict) or mapping is None else load_mapping(mapping)
    t0 = time.perf_counter()
    src = open_source(p, sheet=sheet, mapping=mapping_dict)
    # the file's hash is computed beside the import; only a source's later version waits for it (no-op check)
    hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ib-sha256")
    sha_future = hasher.submit(_sha256, p)
    source_name = source or p.stem
    own = store is None
    st = store if store is not None else open_store()
    try:
        column_map = src.column_map.to_dict()
        prev = st.fetchone(
            "SELECT batch_id, sha256, sheet, column_map, report, synthetic FROM import_batch WHERE source = ? "
            "ORDER BY batch_id DESC LIMIT 1",
            [source_name],
        )
        sha = sha_future.result() if prev is not None else ""
        if (
            prev is not None
            and prev[1] == sha
            and prev[2] == src.sheet
            and json.loads(prev[3]) == column_map
            and bool(prev[5]) == synthetic
        ):
            report = ImportReport.from_dict(json.loads(prev[4]))
            report.noop = True
            report.seconds = time.perf_counter() - t0
            return report
        started = datetime.now(UTC).replace(tzinfo=None)
        report = ImportReport(
            batch_id=0,
            source=source_name,
            file=str(p),
            file_name=p.name,
            sha256=sha,
            format=src.file_format,
            encoding=src.encoding,
            delimiter=src.delimiter,
            sheet=src.sheet,
            header_row=src.header_row,
            column_map=column_map,
            synthetic=synthetic,
            classified=classify,
            previous_batch_id=int(prev[0]) if prev else None,
            started_at=started.isoformat(),
        )
        scope = _Scope(allowed_units) if allowed_units is not None else None
        with st.transaction():
            drop_lookup_indexes(st)
            _load(
                st, src, report, synthetic=synthetic, progress=progress, classify=classify, t0=t0, scope=scope
            )
            if not report.sha256:
                report.sha256 = sha_future.result()
                st.execute(
                    "UPDATE import_batch SET sha256 = ?, report = ? WHERE batch_id = ?",
                    [report.sha256, json.dumps(report.to_dict(), ensure_ascii=False), report.batch_id],
                )
        return report
    finally:
        hasher.shutdown(wait=False, cancel_futures=True)
        if own:
            st.close()


def _load(
    st: Store,
    src: Any,
    report: ImportReport,
    *,
    synthetic: bool,
    progress: Callable[[int], None] | None,
    classify: bool,
    t0: float,
    scope: _Scope | None = None,
) -> None:
    con = st.con
    row = st.fetchone("SELECT nextval('import_batch_seq')")
    batch_id = int(row[0]) if row else 1
    report.batch_id = batch_id
    now = datetime.now(UTC).replace(tzinfo=None)
    st.execute(
        "INSERT INTO import_batch (batch_id, source, file_name, sha256, file_format, encoding, sheet, header_row,"
        " column_map, rows_read, rows_loaded, rows_quarantined, synthetic, started_at, finished_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?)",
        [
            batch_id,
            report.source,
            report.file_name,
            report.sha256,
            report.format,
            report.encoding,
            report.sheet,
            report.header_row,
            json.dumps(report.column_map, ensure_ascii=False),
            synthetic,
            now,
            now,
        ],
    )
    timing = {"read_validate": 0.0, "place": 0.0, "classify": 0.0, "load": 0.0}
    cols = _record_columns(st)
    col_list = ", ".join(cols)
    insert_records = f"INSERT INTO enterprise_record (batch_id, {col_list}) SELECT ?, {col_list} FROM _ib_chunk WHERE ok"
    chunks = iter(src.chunks)
    lock = threading.Lock()

    def clock(stage: str, since: float) -> float:
        now = time.perf_counter()
        with lock:
            timing[stage] += now - since
        return now

    def read() -> Any:
        return next(chunks, None)

    def work(reading: Future[Any]) -> tuple[int, pa.Table, _records.Issues] | None:
        """Validate, place (and classify) one chunk: runs beside the loading of the previous ones."""
        t = time.perf_counter()
        chunk = reading.result()
        if chunk is None:
            return None
        staging, issues = _records.stage(chunk, src.column_map, synthetic=synthetic)
        t = clock("read_validate", t)
        placed = _enrichment.place(staging)
        if scope is not None:
            scope.check(staging, placed)
        t = clock("place", t)
        if classify:
            fields, unknown = _enrichment.classify(staging)
            for i in np.flatnonzero(unknown & staging.column("ok").to_numpy()):
                issues.add(
                    int(chunk.rows[i]),
                    "field",
                    "field_unknown",
                    staging.column("field_declared")[int(i)].as_py(),
                )
        else:
            fields = _unclassified(staging.num_rows)
        clock("classify", t)
        full = pa.Table.from_arrays(
            staging.columns + placed.columns + fields.columns,
            names=staging.column_names + placed.column_names + fields.column_names,
        )
        return len(chunk) + len(chunk.bad_rows), full, issues

    # chunks are read one after another (in order) and validated by two workers (one when classifying: the
    # classifier keeps caches of its own); one INSERT streams them, in order, into enterprise_record, so DuckDB
    # compresses and writes full row groups while the next chunks are validated (an INSERT per chunk would leave
    # that work to the commit). Rows held back and the problems found go to a spill beside it, loaded after.
    workers = 1 if classify else 2
    pending: deque[Future[tuple[int, pa.Table, _records.Issues] | None]] = deque()
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ib-read")
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ib-validate")
    spill = _Spill()
    rows_read = 0
    failure: list[BaseException] = []
    waited = 0.0

    def feed() -> None:
        pending.append(pool.submit(work, reader.submit(read)))

    def batches() -> Iterator[pa.RecordBatch]:
        """The validated chunks, in order, as DuckDB pulls them (from one of its threads)."""
        nonlocal rows_read, waited
        try:
            for _ in range(workers + 1):
                feed()
            while True:
                t = time.perf_counter()
                item = pending.popleft().result()
                waited += time.perf_counter() - t
                if item is None:
                    return
                feed()
                n, full, issues = item
                rows_read += n
                # the rows not loaded keep the few columns the duplicate review needs (loaded rows have them
                # in enterprise_record)
                held = full.filter(pc.invert(full.column("ok")))
                if held.num_rows:
                    spill.add("keys", held.select(list(KEYS_SCHEMA.names)))
                if len(issues):
                    spill.add("issues", issues.table())
                if progress is not None:
                    progress(n)
                yield from full.to_batches()
        except GeneratorExit:  # the stream closed before its end: nothing to report from here
            raise
        except BaseException as exc:  # raised again below: through DuckDB it would lose its type
            failure.append(exc)

    t = time.perf_counter()
    try:
        con.register("_ib_chunk", pa.RecordBatchReader.from_batches(FULL_SCHEMA, batches()))
        # the records' order in the table carries no meaning (every reader orders by what it needs): without
        # it, DuckDB's threads each take chunks from the stream and write row groups side by side
        order = st.fetchone("SELECT current_setting('preserve_insertion_order')")
        con.execute("SET preserve_insertion_order = false")
        try:
            con.execute(insert_records, [batch_id])
        finally:
            con.execute(f"SET preserve_insertion_order = {'true' if order and order[0] else 'false'}")
            con.unregister("_ib_chunk")
        if failure:
            raise failure[0]
        con.execute(
            "CREATE TEMP TABLE _ib_keys (source_row BIGINT, ok BOOLEAN, uscc VARCHAR, name_norm VARCHAR)"
        )
        held_keys = spill.read("keys")
        if held_keys is not None:
            con.register("_ib_spill", held_keys)
            con.execute("INSERT INTO _ib_keys SELECT source_row, ok, uscc, name_norm FROM _ib_spill")
            con.unregister("_ib_spill")
        problems = spill.read("issues")
        if problems is not None:
            _quarantine(st, batch_id, problems)
    finally:
        for f in pending:
            f.cancel()
        reader.shutdown(wait=True, cancel_futures=True)
        pool.shutdown(wait=True, cancel_futures=True)
        spill.close()
    timing["load"] += time.perf_counter() - t - waited
    created = rows_read > 0
    if rows_read == 0:
        raise InputError(
            f"file {report.file!r} has a header (row {report.header_row}) but no data rows",
            file=report.file,
            reason="no_rows",
        )
    if scope is not None:
        scope.raise_if_foreign(report.file_name)
    t = time.perf_counter()
    _finish(st, report, batch_id, rows_read, created)
    timing["load"] += time.perf_counter() - t
    report.stage_seconds = {k: round(v, 3) for k, v in timing.items()}
    report.seconds = time.perf_counter() - t0
    st.execute(
        "UPDATE import_batch SET report = ? WHERE batch_id = ?",
        [json.dumps(report.to_dict(), ensure_ascii=False), batch_id],
    )


#: The columns a validated chunk has: staging, placement, fields.
FULL_SCHEMA = pa.schema([*_records.STAGING_SCHEMA, *_enrichment.PLACEMENT_SCHEMA, *_enrichment.FIELD_SCHEMA])
#: What the duplicate review keeps of a row that is not loaded.
KEYS_SCHEMA = pa.schema([FULL_SCHEMA.field(n) for n in ("source_row", "ok", "uscc", "name_norm")])
_SPILL_SCHEMAS = {"keys": KEYS_SCHEMA, "issues": _records.ISSUE_SCHEMA}


class _Spill:
    """Tables written beside the loading stream (Arrow IPC files in a temporary folder, created on first use)
    and read back once it is done: memory stays bounded however many rows a file holds back."""

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._writers: dict[str, Any] = {}
        self._lock = threading.Lock()

    def add(self, name: str, table: pa.Table) -> None:
        import pyarrow.ipc as ipc

        with self._lock:
            if name not in self._writers:
                if self._folder is None:
                    self._folder = tempfile.TemporaryDirectory(prefix="ib-import-")
                path = Path(self._folder.name) / f"{name}.arrows"
                self._writers[name] = ipc.new_stream(str(path), _SPILL_SCHEMAS[name])
            self._writers[name].write_table(table.cast(_SPILL_SCHEMAS[name]))

    def read(self, name: str) -> pa.RecordBatchReader | None:
        import pyarrow.ipc as ipc

        with self._lock:
            writer = self._writers.pop(name, None)
            if writer is None or self._folder is None:
                return None
            writer.close()
            return ipc.open_stream(pa.memory_map(str(Path(self._folder.name) / f"{name}.arrows")))

    def close(self) -> None:
        with self._lock:
            for writer in self._writers.values():
                writer.close()
            self._writers.clear()
            if self._folder is not None:
                self._folder.cleanup()
                self._folder = None


def _quarantine(st: Store, batch_id: int, issues: pa.Table | pa.RecordBatchReader) -> None:
    """Record a batch's problems (``_records.ISSUE_SCHEMA`` rows) in ``quarantine``."""
    st.con.register("_ib_issues", issues)
    try:
        st.execute(
            "INSERT INTO quarantine SELECT ?, source_row, field, code, severity, value, message_zh,"
            " message_en, raw FROM _ib_issues",
            [batch_id],
        )
    finally:
        st.con.unregister("_ib_issues")


def _unclassified(n: int) -> pa.Table:
    """Field columns of rows loaded without classification (method ``none``)."""
    return pa.table(
        [
            pa.nulls(n, f.type) if f.name != "field_method" else pa.array(["none"] * n, pa.string())
            for f in _enrichment.FIELD_SCHEMA
        ],
        schema=_enrichment.FIELD_SCHEMA,
    )


class _Scope:
    """The units an import may touch, and the rows found outside them (collected over every chunk)."""

    FIRST_ROWS = 5

    def __init__(self, allowed: Collection[str]) -> None:
        if isinstance(allowed, str):
            allowed = [allowed]
        self.allowed = sorted({str(u).strip().upper() for u in allowed if str(u).strip()})
        self.foreign: dict[tuple[str | None, str | None], list[int]] = {}
        self.counts: dict[tuple[str | None, str | None], int] = {}
        self.first_rows: list[int] = []
        self._lock = threading.Lock()  # chunks are checked by two workers at once

    def check(self, staging: pa.Table, placed: pa.Table) -> None:
        import pyarrow.compute as pc

        if staging.num_rows == 0:
            return
        value_set = pa.array(self.allowed, pa.string())
        u19 = placed.column("map_unit_2019").combine_chunks()
        d21 = placed.column("district_2021").combine_chunks()
        inside = pc.or_(
            pc.is_in(u19, value_set=value_set).fill_null(False),
            pc.is_in(d21, value_set=value_set).fill_null(False),
        ).to_numpy(zero_copy_only=False)
        ok = staging.column("ok").combine_chunks().to_numpy(zero_copy_only=False)
        bad = np.flatnonzero(ok & ~inside)
        if not len(bad):
            return
        rows = staging.column("source_row").combine_chunks().to_numpy(zero_copy_only=False)[bad]
        take = pa.array(bad)
        pairs = zip(u19.take(take).to_pylist(), d21.take(take).to_pylist(), rows.tolist(), strict=True)
        found: dict[tuple[str | None, str | None], list[int]] = {}
        for a, b, r in pairs:
            found.setdefault((a, b), []).append(int(r))
        with self._lock:  # chunks may arrive out of order: keep the smallest row numbers
            for key, got in found.items():
                self.counts[key] = self.counts.get(key, 0) + len(got)
                merged = sorted([*self.foreign.get(key, []), *got[: self.FIRST_ROWS]])
                self.foreign[key] = merged[: self.FIRST_ROWS]
            merged = sorted([*self.first_rows, *rows[: self.FIRST_ROWS].tolist()])
            self.first_rows = merged[: self.FIRST_ROWS]

    @staticmethod
    def _label(u19: str | None, d21: str | None) -> str:
        from industry_brain.geo import unit

        def name(code: str, vintage: int) -> str:
            try:
                return f"{code} {unit(code, vintage).name_zh}"
            except Exception:  # a code the map does not know is named as is
                return code

        if u19 is None and d21 is None:
            return "unplaced (未定位)"
        if u19 == d21 or u19 is None or d21 is None:
            code, vintage = (d21, 2021) if d21 is not None else (u19, 2019)
            assert code is not None
            return name(code, vintage)
        return f"{name(u19, 2019)} (2019) / {name(d21, 2021)} (2021)"

    def raise_if_foreign(self, file_name: str) -> None:
        if not self.counts:
            return
        total = sum(self.counts.values())
        order = sorted(self.counts, key=lambda k: (-self.counts[k], self.foreign[k][0]))
        parts = []
        for key in order:
            n, first = self.counts[key], self.foreign[key]
            more = ", …" if n > len(first) else ""
            parts.append(
                f"{self._label(*key)}: {n} row{'s' if n > 1 else ''} "
                f"(row{'s' if n > 1 else ''} {', '.join(map(str, first))}{more})"
            )
        raise PermissionDeniedError(
            f"import of {file_name!r} refused: {total} row{'s' if total > 1 else ''} lie outside the units this "
            f"account may import for ({', '.join(self.allowed) or 'none'}) — {'; '.join(parts)}. Nothing was written.",
            file=file_name,
            allowed_units=self.allowed,
            rows=total,
            first_rows=self.first_rows,
            foreign_units=[
                {
                    "map_unit_2019": k[0],
                    "district_2021": k[1],
                    "rows": self.counts[k],
                    "first_rows": self.foreign[k],
                }
                for k in order
            ],
        )


def _finish(st: Store, report: ImportReport, batch_id: int, rows_read: int, created: bool) -> None:
    con = st.con
    if created:
        # codes loaded more than once by this batch: identical repeats collapse, different ones conflict
        groups = st.fetchall(
            "SELECT uscc, list(source_row ORDER BY source_row), count(DISTINCT row(" + ", ".join(_records.COMPARED)
            + ")) FROM enterprise_record"
            " WHERE batch_id = ? AND hash(uscc) IN"
            " (SELECT hash(uscc) FROM enterprise_record WHERE batch_id = ? GROUP BY 1 HAVING count(*) > 1)"
            " GROUP BY uscc ORDER BY min(source_row)",
            [batch_id, batch_id],
        )
    else:
        groups = []
    issues = _records.Issues()
    conflicts: list[str] = []
    dropped: list[int] = []  # source rows not loaded as records: repeats and conflicting rows
    collapsed = 0
    for uscc, rows, distinct in groups:
        if distinct == 1:
            for r in rows[1:]:
                issues.add(int(r), "uscc", "duplicate_identical", uscc, first=int(rows[0]))
                collapsed += 1
                dropped.append(int(r))
        else:
            conflicts.append(uscc)
            dropped.extend(int(r) for r in rows)
    if conflicts:
        con.register("_ib_conflicts", pa.table({"uscc": pa.array(conflicts, pa.string())}))
        raws = st.fetchall(
            "SELECT h.uscc, h.source_row, h.name_norm, to_json(struct_pack(h.uscc, h.name, h.registered_on,"
            " h.entity_type, h.capital_raw, h.address, h.business_scope, h.district_declared, h.field_declared,"
            " h.hightech_year, h.hightech_cert_no, extra := CAST(h.extra AS VARCHAR))) FROM enterprise_record h"
            " JOIN _ib_conflicts c USING (uscc) WHERE h.batch_id = ? ORDER BY h.uscc, h.source_row",
            [batch_id],
        )
        by_code: dict[str, list[tuple[int, str]]] = {}
        norms: dict[str, str] = {}
        for uscc, r, nn, raw in raws:
            by_code.setdefault(uscc, []).append((int(r), raw))
            norms.setdefault(uscc, nn)
        for uscc, members in by_code.items():
            rows = [m[0] for m in members]
            for r, raw in members:
                others = ",".join(str(x) for x in rows if x != r)
                issues.add(r, "uscc", "duplicate_conflict", uscc, raw, rows=others)
            st.execute(
                "INSERT INTO duplicate_review VALUES (?, ?, ?, ?, 'uscc_conflict')",
                [batch_id, norms[uscc], rows, [uscc]],
            )
        con.unregister("_ib_conflicts")
    if len(issues):
        _quarantine(st, batch_id, issues.table())
    if created:
        # probable duplicates: one normalised name under different or missing codes, among every row read (the
        # loaded ones, before repeats are dropped, and the ones held back); candidates are found first by a 64-bit
        # hash of the name (cheaper to group than the text), then grouped exactly; a row number occurs once
        # (loaded rows are in enterprise_record, the others in _ib_keys)
        con.execute(
            "WITH _ib_rows AS (SELECT source_row, true AS ok, uscc, name_norm FROM enterprise_record"
            " WHERE batch_id = ? UNION ALL SELECT source_row, ok, uscc, name_norm FROM _ib_keys)"
            " INSERT INTO duplicate_review SELECT ?, name_norm, list(source_row ORDER BY source_row),"
            " list(DISTINCT uscc ORDER BY uscc) FILTER (WHERE uscc IS NOT NULL),"
            " CASE WHEN bool_or(uscc IS NULL OR NOT ok) THEN 'same_name_missing_code' ELSE 'same_name' END"
            " FROM _ib_rows WHERE name_norm <> '' AND hash(name_norm) IN"
            " (SELECT hash(name_norm) FROM _ib_rows WHERE name_norm <> '' GROUP BY 1 HAVING count(*) > 1)"
            " GROUP BY name_norm HAVING count(DISTINCT coalesce(uscc, '#' || source_row)) > 1",
            [batch_id, batch_id],
        )
    if dropped:
        con.register("_ib_dropped", pa.table({"source_row": pa.array(dropped, pa.int64())}))
        con.execute(
            "DELETE FROM enterprise_record WHERE batch_id = ? AND source_row IN (SELECT source_row FROM _ib_dropped)",
            [batch_id],
        )
        con.unregister("_ib_dropped")
    # warnings computed on loaded records
    unplaced = st.fetchall(
        "SELECT source_row, address FROM enterprise_record WHERE batch_id = ? AND geo_method = 'none' "
        "ORDER BY source_row LIMIT ?",
        [batch_id, MAX_REVIEW_MESSAGES],
    )
    if unplaced:
        w = _records.Issues()
        for r, addr in unplaced:
            w.add(int(r), "address", "geo_unplaced", addr)
        _quarantine(st, batch_id, w.table())
    _versions(st, report, batch_id)
    _summaries(st, report, batch_id, rows_read, collapsed, len(conflicts))
    finished = datetime.now(UTC).replace(tzinfo=None)
    report.finished_at = finished.isoformat()
    st.execute(
        "UPDATE import_batch SET rows_read = ?, rows_loaded = ?, rows_quarantined = ?, rows_warned = ?, added = ?,"
        " changed = ?, removed = ?, unchanged = ?, finished_at = ? WHERE batch_id = ?",
        [
            report.rows_read,
            report.rows_loaded,
            report.rows_quarantined,
            report.rows_warned,
            report.added,
            report.changed,
            report.removed,
            report.unchanged,
            finished,
            batch_id,
        ],
    )
    con.execute("DROP TABLE IF EXISTS _ib_keys")


def _versions(st: Store, report: ImportReport, batch_id: int) -> None:
    """Compare with the source's previous batch and refresh the current register for the codes involved.

    The new batch is the newest of all, so it holds each of its codes in ``enterprise``. A code only its
    source's previous batch held falls back to the newest other list that has it, or leaves the register.
    """
    prev = report.previous_batch_id
    if prev is not None:
        differs = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in _records.COMPARED if c != "uscc")
        row = st.fetchone(
            "SELECT count(*) FILTER (WHERE o.uscc IS NULL), count(*) FILTER (WHERE n.uscc IS NULL),"
            f" count(*) FILTER (WHERE o.uscc IS NOT NULL AND n.uscc IS NOT NULL AND ({differs})),"
            f" count(*) FILTER (WHERE o.uscc IS NOT NULL AND n.uscc IS NOT NULL AND NOT ({differs}))"
            " FROM (SELECT * FROM enterprise_record WHERE batch_id = ?) n"
            " FULL OUTER JOIN (SELECT * FROM enterprise_record WHERE batch_id = ?) o USING (uscc)",
            [batch_id, prev],
        )
        assert row is not None
        report.added, report.removed, report.changed, report.unchanged = (int(x) for x in row)
    else:
        row = st.fetchone("SELECT count(*) FROM enterprise_record WHERE batch_id = ?", [batch_id])
        report.added = int(row[0]) if row else 0
    held = st.fetchone("SELECT count(*) FROM enterprise_current")
    if held and int(held[0]) > 0:
        st.execute(
            "CREATE TEMP TABLE _ib_orphans AS SELECT uscc FROM enterprise_current WHERE batch_id = ?"
            " AND uscc NOT IN (SELECT uscc FROM enterprise_record WHERE batch_id = ?)",
            [prev if prev is not None else -1, batch_id],
        )
        st.execute(
            "DELETE FROM enterprise_current WHERE uscc IN (SELECT uscc FROM enterprise_record WHERE batch_id = ?)"
            " OR uscc IN (SELECT uscc FROM _ib_orphans)",
            [batch_id],
        )
        st.execute(
            "INSERT INTO enterprise_current SELECT uscc, batch_id FROM enterprise_record"
            " WHERE batch_id IN (SELECT max(batch_id) FROM import_batch GROUP BY source) AND batch_id <> ?"
            " AND uscc IN (SELECT uscc FROM _ib_orphans)"
            " QUALIFY row_number() OVER (PARTITION BY uscc ORDER BY batch_id DESC) = 1",
            [batch_id],
        )
        st.execute("DROP TABLE _ib_orphans")
    st.execute(
        "INSERT INTO enterprise_current SELECT uscc, batch_id FROM enterprise_record WHERE batch_id = ?",
        [batch_id],
    )


def _band(conf: float | None) -> str:
    c = conf or 0.0
    for low, label in CONFIDENCE_BANDS:
        if c >= low:
            return label
    return CONFIDENCE_BANDS[-1][1]


def _summaries(
    st: Store, report: ImportReport, batch_id: int, rows_read: int, collapsed: int, conflicts: int
) -> None:
    q = st.fetchone(
        "SELECT count(DISTINCT source_row) FILTER (WHERE severity = 'error') FROM quarantine WHERE batch_id = ?",
        [batch_id],
    )
    quarantined = int(q[0]) if q else 0
    warned = st.fetchone(
        "SELECT count(DISTINCT source_row) FROM quarantine w WHERE batch_id = ? AND severity = 'warning'"
        " AND NOT EXISTS (SELECT 1 FROM quarantine e WHERE e.batch_id = w.batch_id AND e.source_row = w.source_row"
        " AND e.severity = 'error')",
        [batch_id],
    )
    report.rows_read = rows_read
    report.rows_quarantined = quarantined
    report.rows_loaded = rows_read - quarantined
    report.rows_warned = int(warned[0]) if warned else 0
    rec = st.fetchone("SELECT count(*) FROM enterprise_record WHERE batch_id = ?", [batch_id])
    report.records_loaded = int(rec[0]) if rec else 0
    report.duplicates_collapsed = collapsed
    report.duplicate_conflicts = conflicts
    reasons = st.fetchall(
        "SELECT severity, code, count(*) FROM quarantine WHERE batch_id = ? GROUP BY ALL ORDER BY 3 DESC",
        [batch_id],
    )
    report.quarantine_reasons = {c: int(n) for s, c, n in reasons if s == "error"}
    report.warning_reasons = {c: int(n) for s, c, n in reasons if s == "warning"}
    methods = st.fetchall(
        "SELECT geo_method, count(*), avg(geo_confidence) FROM enterprise_record WHERE batch_id = ? GROUP BY ALL"
        " ORDER BY 2 DESC",
        [batch_id],
    )
    bands: dict[str, int] = {}
    for conf, n in st.fetchall(
        "SELECT round(geo_confidence, 2), count(*) FROM enterprise_record WHERE batch_id = ? GROUP BY ALL",
        [batch_id],
    ):
        bands[_band(conf)] = bands.get(_band(conf), 0) + int(n)
    placed = st.fetchone(
        "SELECT count(*) FILTER (WHERE map_unit_2019 IS NOT NULL), count(*) FILTER (WHERE district_2021 IS NOT NULL),"
        " count(*) FILTER (WHERE map_unit_2019 IS NOT NULL AND district_2021 IS NOT NULL), count(*)"
        " FROM enterprise_record WHERE batch_id = ?",
        [batch_id],
    )
    assert placed is not None
    total = int(placed[3]) or 1
    report.geo = {
        "methods": {m: {"rows": int(n), "mean_confidence": round(float(c or 0.0), 3)} for m, n, c in methods},
        "confidence_bands": bands,
        "placed_2019": int(placed[0]),
        "placed_2021": int(placed[1]),
        "placed_both": int(placed[2]),
        "placed_share": round(int(placed[2]) / total, 4),
    }
    report.fields = _field_summary(st, batch_id, total)
    dr = st.fetchall(
        "SELECT reason, count(*) FROM duplicate_review WHERE batch_id = ? GROUP BY ALL", [batch_id]
    )
    report.duplicate_review = {r: int(n) for r, n in dr}


def _field_summary(st: Store, batch_id: int, total: int) -> dict[str, Any]:
    fm = st.fetchall(
        "SELECT field_method, count(*), avg(field_confidence) FROM enterprise_record WHERE batch_id = ? GROUP BY ALL"
        " ORDER BY 2 DESC",
        [batch_id],
    )
    l1 = st.fetchall(
        "SELECT field_l1, count(*) FROM enterprise_record WHERE batch_id = ? AND field_l1 IS NOT NULL GROUP BY ALL"
        " ORDER BY 1",
        [batch_id],
    )
    fut = st.fetchall(
        "SELECT f, count(*) FROM (SELECT unnest(future_industries) AS f FROM enterprise_record WHERE batch_id = ?)"
        " GROUP BY ALL ORDER BY 2 DESC",
        [batch_id],
    )
    return {
        "methods": {m: {"rows": int(n), "mean_confidence": round(float(c or 0.0), 3)} for m, n, c in fm},
        "field_l1": {c: int(n) for c, n in l1},
        "future_industries": {c: int(n) for c, n in fut},
        "inferred_share": round(
            sum(int(n) for m, n, _ in fm if m in ("inferred", "declared")) / max(total, 1), 4
        ),
    }


def classify_batch(batch_id: int | None = None, *, store: Store | None = None) -> list[dict[str, Any]]:
    """Infer the technology field of the records of batches imported with ``classify=False``.

    ``batch_id`` picks one batch; by default every batch still unclassified. Each batch is done in one
    transaction: its records (and the current register's rows from it) get the same field columns and
    ``field_unknown`` warnings an import that classifies gives. Returns, per batch, its id, the rows classified,
    the seconds taken and the refreshed ``fields`` summary of its report. A batch already classified is left
    as it is.
    """
    own = store is None
    st = store if store is not None else open_store()
    try:
        if batch_id is None:
            rows = st.fetchall("SELECT batch_id, report FROM import_batch ORDER BY batch_id")
        else:
            rows = st.fetchall("SELECT batch_id, report FROM import_batch WHERE batch_id = ?", [batch_id])
            if not rows:
                from industry_brain._core.errors import NotFoundError

                raise NotFoundError(f"no import batch {batch_id}", batch_id=batch_id)
        done: list[dict[str, Any]] = []
        for bid, text in rows:
            report = json.loads(text) if text else {}
            if report.get("classified", True):
                continue
            with st.transaction():
                drop_lookup_indexes(st)
                done.append(_classify_one(st, int(bid), report))
        return done
    finally:
        if own:
            st.close()


def _classify_one(st: Store, batch_id: int, report: dict[str, Any]) -> dict[str, Any]:
    t0 = time.perf_counter()
    con = st.con
    records = con.sql(
        "SELECT source_row, uscc, business_scope, field_declared, true AS ok FROM enterprise_record"
        " WHERE batch_id = $batch ORDER BY source_row",
        params={"batch": batch_id},
    ).to_arrow_table()
    fields, unknown = _enrichment.classify(records)
    issues = _records.Issues()
    declared = records.column("field_declared")
    source_rows = records.column("source_row")
    for i in np.flatnonzero(unknown):
        issues.add(int(source_rows[int(i)].as_py()), "field", "field_unknown", declared[int(i)].as_py())
    con.register(
        "_ib_fields",
        pa.Table.from_arrays([records.column("uscc"), *fields.columns], names=["uscc", *fields.column_names]),
    )
    sets = ", ".join(f"{c} = f.{c}" for c in fields.column_names)
    con.execute(
        f"UPDATE enterprise_record SET {sets} FROM _ib_fields f"
        " WHERE enterprise_record.batch_id = ? AND enterprise_record.uscc = f.uscc",
        [batch_id],
    )
    con.unregister("_ib_fields")
    if len(issues):
        _quarantine(st, batch_id, issues.table())
    report["fields"] = _field_summary(st, batch_id, records.num_rows)
    report["classified"] = True
    if issues.codes:
        reasons = dict(report.get("warning_reasons") or {})
        reasons["field_unknown"] = reasons.get("field_unknown", 0) + len(issues)
        report["warning_reasons"] = reasons
    seconds = time.perf_counter() - t0
    report.setdefault("stage_seconds", {})["classify"] = round(seconds, 3)
    st.execute(
        "UPDATE import_batch SET report = ? WHERE batch_id = ?",
        [json.dumps(report, ensure_ascii=False), batch_id],
    )
    return {
        "batch_id": batch_id,
        "rows": records.num_rows,
        "seconds": round(seconds, 3),
        "fields": report["fields"],
    }
