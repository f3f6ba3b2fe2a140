"""Loading a response file into the store: one atomic batch; the same file again is a no-op.

``import_responses`` reads and checks the file (:mod:`._responses`), links the firms to the register
(:mod:`._linking`) and writes, in one transaction, the batch, the respondents, their answers and every problem
(``talent_quarantine``: errors were not loaded, warnings were). The IP column of a 问卷星 export is not stored,
not even in the quarantine's copy of the row.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain._core.store import Store
from industry_brain.talent._linking import link_firms
from industry_brain.talent._responses import read_responses
from industry_brain.talent._survey import Survey, load_survey

log = logging.getLogger(__name__)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _batch_summary(store: Store, batch_id: int) -> dict[str, Any]:
    rows = store.records("SELECT * FROM talent_batch WHERE batch_id = ?", [batch_id])
    if not rows:
        raise NotFoundError(f"no talent import batch {batch_id!r}", batch_id=batch_id)
    return rows[0]


def import_responses(
    store: Store,
    path: Path | str,
    survey: str | Survey = "hangzhou-2018",
    *,
    mode: str | None = None,
    synthetic: bool = False,
) -> dict[str, Any]:
    """Import one response file; returns the batch summary (``already_imported`` when the file was seen)."""
    sv = survey if isinstance(survey, Survey) else load_survey(survey)
    path = Path(path)
    started = datetime.now()
    if not path.is_file():
        raise InputError(f"no such file: {str(path)!r}", file=str(path))
    digest = _sha256(path)
    seen = store.fetchone(
        "SELECT batch_id FROM talent_batch WHERE survey = ? AND sha256 = ?", [sv.id, digest]
    )
    if seen:
        return {
            **_batch_summary(store, int(seen[0])),
            "already_imported": True,
            "problems": [],
            "unmatched": [],
        }
    parsed = read_responses(sv, path, mode=mode)
    links = link_firms(store, [(r.uscc, r.firm_name) for r in parsed.respondents])
    errors = [p for p in parsed.problems if p.severity == "error"]
    warnings = [p for p in parsed.problems if p.severity == "warning"]
    quarantined_resp = sum(1 for p in errors if p.scope == "respondent")
    answers_quarantined = sum(1 for p in errors if p.scope == "answer")
    answer_rows = [
        (
            r.respondent_id,
            a.question_id,
            a.item,
            a.status,
            a.option_key,
            a.option_code,
            a.value_num,
            a.value_text,
        )
        for r in parsed.respondents
        for a in r.answers
    ]
    counts = {m: sum(1 for link in links if link.method == m) for m in ("uscc", "name", "name_norm", "none")}
    import pyarrow as pa

    with store.transaction():
        row = store.fetchone("SELECT coalesce(max(batch_id), 0) + 1 FROM talent_batch")
        batch_id = int(row[0]) if row else 1
        store.execute(
            "INSERT INTO talent_batch (batch_id, survey, file_name, sha256, file_format, layout, answer_mode, "
            "multiple_layout, encoding, sheet, rows_read, respondents_loaded, respondents_quarantined, answers_loaded, "
            "answers_quarantined, warnings, linked_uscc, linked_name, unlinked, synthetic, started_at, finished_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                batch_id,
                sv.id,
                parsed.file_name,
                digest,
                parsed.file_format,
                parsed.layout,
                parsed.answer_mode,
                parsed.multiple_layout,
                parsed.encoding,
                parsed.sheet,
                parsed.rows_read,
                len(parsed.respondents),
                quarantined_resp,
                len(answer_rows),
                answers_quarantined,
                len(warnings),
                counts["uscc"],
                counts["name"] + counts["name_norm"],
                counts["none"],
                synthetic,
                started,
                datetime.now(),
            ],
        )
        resp = pa.table(
            {
                "batch_id": pa.array([batch_id] * len(parsed.respondents), pa.int32()),
                "respondent_id": [r.respondent_id for r in parsed.respondents],
                "source_row": pa.array([r.source_row for r in parsed.respondents], pa.int32()),
                "submitted_at": pa.array([r.submitted_at for r in parsed.respondents], pa.timestamp("us")),
                "duration_s": pa.array([r.duration_s for r in parsed.respondents], pa.int32()),
                "channel": pa.array([r.channel for r in parsed.respondents], pa.string()),
                "channel_detail": pa.array([r.channel_detail for r in parsed.respondents], pa.string()),
                "sector": pa.array([r.sector for r in parsed.respondents], pa.string()),
                "firm_name": pa.array([r.firm_name for r in parsed.respondents], pa.string()),
                "uscc": pa.array([r.uscc for r in parsed.respondents], pa.string()),
                "enterprise_uscc": pa.array([link.enterprise_uscc for link in links], pa.string()),
                "link_method": pa.array([link.method for link in links], pa.string()),
            }
        )
        store.con.register("talent_resp_in", resp)
        store.execute("INSERT INTO talent_respondent SELECT * FROM talent_resp_in")
        store.con.unregister("talent_resp_in")
        cols: list[Sequence[Any]] = list(zip(*answer_rows, strict=True)) if answer_rows else [[] for _ in range(8)]
        ans = pa.table(
            {
                "batch_id": pa.array([batch_id] * len(answer_rows), pa.int32()),
                "respondent_id": pa.array(cols[0], pa.string()),
                "question_id": pa.array(cols[1], pa.string()),
                "item": pa.array(cols[2], pa.string()),
                "status": pa.array(cols[3], pa.string()),
                "option_key": pa.array(cols[4], pa.string()),
                "option_code": pa.array(cols[5], pa.int32()),
                "value_num": pa.array(cols[6], pa.float64()),
                "value_text": pa.array(cols[7], pa.string()),
            }
        )
        store.con.register("talent_ans_in", ans)
        store.execute("INSERT INTO talent_answer SELECT * FROM talent_ans_in")
        store.con.unregister("talent_ans_in")
        if parsed.problems:
            q = pa.table(
                {
                    "batch_id": pa.array([batch_id] * len(parsed.problems), pa.int32()),
                    "source_row": pa.array([p.source_row for p in parsed.problems], pa.int32()),
                    "respondent_id": pa.array([p.respondent_id for p in parsed.problems], pa.string()),
                    "question_id": pa.array([p.question_id for p in parsed.problems], pa.string()),
                    "code": [p.code for p in parsed.problems],
                    "severity": [p.severity for p in parsed.problems],
                    "scope": [p.scope for p in parsed.problems],
                    "value": pa.array([p.value for p in parsed.problems], pa.string()),
                    "message_zh": [p.message["zh"] for p in parsed.problems],
                    "message_en": [p.message["en"] for p in parsed.problems],
                    "raw": pa.array(
                        [
                            json.dumps(p.raw, ensure_ascii=False, default=str) if p.raw is not None else None
                            for p in parsed.problems
                        ],
                        pa.string(),
                    ),
                }
            )
            store.con.register("talent_q_in", q)
            store.execute("INSERT INTO talent_quarantine SELECT * FROM talent_q_in")
            store.con.unregister("talent_q_in")
    log.info(
        "talent batch %s: %s respondents, %s problems",
        batch_id,
        len(parsed.respondents),
        len(parsed.problems),
    )
    unmatched = [
        {"respondent_id": r.respondent_id, "firm_name": r.firm_name, "uscc": r.uscc, "reason": link.note}
        for r, link in zip(parsed.respondents, links, strict=True)
        if link.method == "none"
    ]
    return {
        **_batch_summary(store, batch_id),
        "already_imported": False,
        "problems": [p.to_dict() for p in parsed.problems],
        "unmatched": unmatched,
    }


def current_batch(store: Store, survey: str, batch_id: int | None = None) -> int:
    """The batch a report reads: the one asked for, else the survey's newest import."""
    if batch_id is not None:
        row = store.fetchone(
            "SELECT batch_id FROM talent_batch WHERE batch_id = ? AND survey = ?", [batch_id, survey]
        )
    else:
        row = store.fetchone("SELECT max(batch_id) FROM talent_batch WHERE survey = ?", [survey])
    if not row or row[0] is None:
        what = f"no import batch {batch_id}" if batch_id is not None else "nothing imported yet"
        raise NotFoundError(
            f"survey {survey!r} has {what}: run `ib talent import FILE --survey {survey}` first",
            survey=survey,
            batch_id=batch_id,
        )
    return int(row[0])


def list_batches(store: Store, survey: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM talent_batch" + (" WHERE survey = ?" if survey else "") + " ORDER BY batch_id"
    return store.records(sql, [survey] if survey else None)


def quarantine(store: Store, batch_id: int) -> list[dict[str, Any]]:
    """Every problem of a batch, by row (NotFoundError for a batch that does not exist)."""
    _batch_summary(store, batch_id)
    return store.records(
        "SELECT source_row, respondent_id, question_id, code, severity, scope, value, message_zh, message_en "
        "FROM talent_quarantine WHERE batch_id = ? ORDER BY source_row, question_id NULLS FIRST",
        [batch_id],
    )
