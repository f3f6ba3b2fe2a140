"""Reading survey responses: 问卷星 (Wenjuanxing) exports and tidy CSV, checked against a survey definition.

问卷星 exports one row per respondent. The first columns are metadata — 序号 (respondent number), 提交答卷时间
(submitted at), 所用时间 (time taken, e.g. ``125秒``), 来源 (channel), 来源详情 (channel detail), 来自IP (the IP
address and place: **dropped on import, never stored**) — then one column per question, headed ``N、title``.
Two export modes exist and are detected from the cells (or forced with ``mode=``):

* 按选项序号 (``number``): choices as option numbers ``2``; multiple choice ``1┋3``; skipped ``-3``, empty ``-2``;
* 按选项文本 (``text``): choices as labels ``民营企业``; multiple choice ``网络招聘┋校园招聘``.

In both, ``(跳过)`` means the question was not shown (skip logic) and ``(空)`` that it was shown and left blank.
Multiple choice may instead come as one 0/1 column per option, headed ``N(option label)``; a matrix comes as one
column per row, headed ``N(row label)``. An "other" option's text follows the label as ``其他〖text〗``.

A tidy CSV has one line per answer: ``respondent_id,question,item,value`` (``item`` = matrix row key or label;
``value`` = option key, number or label; one line per chosen option or ``┋``-joined).

Problems are collected, never raised one by one: a respondent whose number is missing or repeated, whose row is
malformed or whose sector is unknown is quarantined whole; a bad answer is quarantined alone (the rest of the
respondent loads); warnings (e.g. a malformed credit code) load and are reported.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from industry_brain._core.errors import InputError
from industry_brain._core.tables import read_rows
from industry_brain.talent._messages import MESSAGES
from industry_brain.talent._survey import Option, Question, Survey, normalise_label

SEPARATOR = "┋"
SKIPPED = {"(跳过)", "跳过", "-3"}
EMPTY = {"", "(空)", "空", "-2"}
META = {
    "序号": "respondent_id",
    "提交答卷时间": "submitted_at",
    "所用时间": "duration",
    "来源": "channel",
    "来源详情": "channel_detail",
    "来自IP": "ip",
    "来自ip": "ip",
    "IP": "ip",
    "总分": "ignore",
}
TEXT_LIMIT = 2000
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_OTHER_TEXT = re.compile(r"^(.*?)〖(.*)〗$", re.S)
_HEADER = re.compile(r"^\s*[Qq]?(\d+)\s*[、.:]?\s*(.*)$", re.S)


@dataclass
class Problem:
    source_row: int
    respondent_id: str | None
    question_id: str | None
    code: str
    severity: str  # error | warning
    scope: str  # respondent | answer
    value: str | None
    message: dict[str, str]
    raw: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_row": self.source_row,
            "respondent_id": self.respondent_id,
            "question_id": self.question_id,
            "code": self.code,
            "severity": self.severity,
            "scope": self.scope,
            "value": self.value,
            "message_zh": self.message["zh"],
            "message_en": self.message["en"],
        }


@dataclass
class Answer:
    question_id: str
    item: str
    status: str  # answered | skipped | empty
    option_key: str | None = None
    option_code: int | None = None
    value_num: float | None = None
    value_text: str | None = None


@dataclass
class Respondent:
    source_row: int
    respondent_id: str
    submitted_at: datetime | None = None
    duration_s: int | None = None
    channel: str | None = None
    channel_detail: str | None = None
    sector: str | None = None
    firm_name: str | None = None
    uscc: str | None = None
    answers: list[Answer] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedResponses:
    file_name: str
    file_format: str
    layout: str
    answer_mode: str
    multiple_layout: str
    encoding: str | None
    sheet: str | None
    rows_read: int
    respondents: list[Respondent]
    problems: list[Problem]


# ----------------------------------------------------------------------------------------------- reading cells


def _read_table(path: Path) -> tuple[list[list[str]], str, str | None, str | None]:
    """The file as rows of cell strings: (rows, format, encoding, sheet)."""
    got = read_rows(path)
    return got.rows, got.format, got.encoding, got.sheet


def _trailing_group(header: str) -> tuple[str, str | None]:
    """``'14(A(x))'`` → ``('14', 'A(x)')``: split off a balanced trailing parenthesised group."""
    if not header.endswith(")"):
        return header, None
    depth = 0
    for i in range(len(header) - 1, -1, -1):
        ch = header[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                return header[:i].strip(), header[i + 1 : -1].strip()
    return header, None


def valid_uscc(code: str) -> bool:
    """GB 32100-2015 unified social credit code: 18 characters and a matching check character."""
    if len(code) != 18 or any(ch not in _USCC_CHARS for ch in code):
        return False
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(code[:17], weights, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


def _parse_time(text: str) -> datetime | None:
    for fmt in (
        "%Y/%m/%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _parse_duration(text: str) -> int | None:
    m = re.fullmatch(r"(?:(\d+)\s*小时)?\s*(?:(\d+)\s*分(?:钟)?)?\s*(?:(\d+)\s*秒)?", text)
    if text and m and any(m.groups()):
        h, mi, s = (int(g) if g else 0 for g in m.groups())
        return h * 3600 + mi * 60 + s
    if text.isdigit():
        return int(text)
    return None


# ---------------------------------------------------------------------------------------- interpreting answers


@dataclass
class _Column:
    index: int
    header: str
    kind: str  # meta | question | option01 | matrix_row
    meta: str | None = None
    question: Question | None = None
    option: Option | None = None
    row: Option | None = None


def _split_other(text: str) -> tuple[str, str | None]:
    m = _OTHER_TEXT.match(text)
    return (m.group(1).strip(), m.group(2).strip()) if m else (text, None)


def _match_option(q: Question, token: str, mode: str) -> Option | None:
    """An option from a code (number mode), a label (text mode) or a key/code/label (tidy)."""
    token = token.strip()
    if mode in ("number", "mixed") and re.fullmatch(r"\d+", token):
        return q.option_by_code(int(token))
    if mode == "mixed":
        for o in q.options:
            if o.key == token:
                return o
    return q.option_by_label(token)


class _Ctx:
    """Collects a respondent's answers and problems while its cells are interpreted."""

    def __init__(self, source_row: int, rid: str, problems: list[Problem]) -> None:
        self.source_row = source_row
        self.rid = rid
        self.problems = problems
        self.answers: list[Answer] = []

    def problem(
        self, q: Question | None, code: str, value: str | None, severity: str = "error", **kw: Any
    ) -> None:
        self.problems.append(
            Problem(
                self.source_row,
                self.rid,
                q.id if q else None,
                code,
                severity,
                "answer",
                value,
                MESSAGES.both(code, value=value, **kw),
            )
        )


def _status(token: str) -> str | None:
    if token in SKIPPED:
        return "skipped"
    if token in EMPTY:
        return "empty"
    return None


def _interpret(ctx: _Ctx, q: Question, item: str, cell: str, mode: str) -> None:
    """One answer cell (for a matrix: one row's cell) → answers or a problem."""
    status = _status(cell)
    if status:
        ctx.answers.append(Answer(q.id, item, status))
        return
    kind = q.answer_type
    if kind in ("single", "scale"):
        label, other = _split_other(cell)
        opt = _match_option(q, label, mode)
        if opt is None:
            _option_problem(ctx, q, label, mode)
            return
        ctx.answers.append(
            Answer(
                q.id, item, "answered", opt.key, opt.code, float(opt.code) if kind == "scale" else None, other
            )
        )
    elif kind == "multiple":
        chosen: list[tuple[Option, str | None]] = []
        for part in (p for p in cell.split(SEPARATOR) if p.strip()):
            label, other = _split_other(part.strip())
            opt = _match_option(q, label, mode)
            if opt is None:
                _option_problem(ctx, q, label, mode)
                return
            if all(o.key != opt.key for o, _ in chosen):
                chosen.append((opt, other))
        if not chosen:
            ctx.answers.append(Answer(q.id, item, "empty"))
            return
        ctx.answers.extend(Answer(q.id, item, "answered", o.key, o.code, None, t) for o, t in chosen)
    elif kind == "numeric":
        text = cell.replace(",", "").removesuffix("人").strip()
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if math.isnan(value) or math.isinf(value):
            ctx.problem(q, "number_malformed", cell)
            return
        low = q.min if q.min is not None else -math.inf
        high = q.max if q.max is not None else math.inf
        if not low <= value <= high:
            ctx.problem(q, "number_out_of_range", cell, low=_fmt(low), high=_fmt(high))
            return
        ctx.answers.append(Answer(q.id, item, "answered", value_num=value))
    else:
        if len(cell) > TEXT_LIMIT:
            ctx.problem(q, "text_too_long", cell[:40] + "…", length=len(cell), limit=TEXT_LIMIT)
            return
        ctx.answers.append(Answer(q.id, item, "answered", value_text=cell))


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return str(int(x)) if float(x).is_integer() else str(x)


def _option_problem(ctx: _Ctx, q: Question, token: str, mode: str) -> None:
    if mode == "number" and re.fullmatch(r"-?\d+", token):
        ctx.problem(q, "option_out_of_range", token, max=len(q.options))
    else:
        ctx.problem(q, "option_unknown", token, expected="、".join(o.zh for o in q.options))


def _finish(survey: Survey, ctx: _Ctx, respondent: Respondent) -> bool:
    """Cross-answer checks; fill the respondent's key fields. False when the respondent must be quarantined."""
    by_q: dict[str, list[Answer]] = {}
    for a in ctx.answers:
        by_q.setdefault(a.question_id, []).append(a)
    sector_q = survey.role("sector")
    assert sector_q is not None  # the definition guarantees one
    sector = [a for a in by_q.get(sector_q.id, []) if a.status == "answered"]
    if not sector:
        quarantined = [p for p in ctx.problems if p.question_id == sector_q.id and p.respondent_id == ctx.rid]
        value = quarantined[-1].value if quarantined else None
        ctx.problems.append(
            Problem(
                ctx.source_row,
                ctx.rid,
                sector_q.id,
                "sector_missing",
                "error",
                "respondent",
                value,
                MESSAGES.both(
                    "sector_missing", value=value, expected="、".join(o.zh for o in sector_q.options)
                ),
                respondent.raw,
            )
        )
        return False
    respondent.sector = sector[0].option_key
    if not any(a.status == "answered" for a in ctx.answers if a.question_id != sector_q.id):
        ctx.problems.append(
            Problem(
                ctx.source_row,
                ctx.rid,
                None,
                "row_empty",
                "error",
                "respondent",
                None,
                MESSAGES.both("row_empty"),
                respondent.raw,
            )
        )
        return False
    kept: list[Answer] = []
    sector_label = {o.key: o.zh for o in sector_q.options}
    for q in survey.questions:
        answers = by_q.get(q.id, [])
        answered = [a for a in answers if a.status == "answered"]
        if q.when and respondent.sector != q.when.get("sector") and answered:
            value = answered[0].option_key or answered[0].value_text or _fmt(answered[0].value_num or 0)
            ctx.problem(
                q, "answer_not_applicable", value, sector=sector_label.get(q.when["sector"], q.when["sector"])
            )
            continue
        asked = not q.when or respondent.sector == q.when.get("sector")
        if q.required and asked and answers and not answered and all(a.status == "empty" for a in answers):
            ctx.problem(q, "required_missing", None, severity="warning")
        kept.extend(answers)
    values = {a.question_id: a.value_num for a in kept if a.value_num is not None and a.item == ""}
    final: list[Answer] = []
    drop: set[str] = set()
    for q in survey.questions:
        if q.not_above and q.id in values and q.not_above in values and values[q.id] > values[q.not_above]:
            ctx.problem(
                q, "number_exceeds", _fmt(values[q.id]), other=q.not_above, bound=_fmt(values[q.not_above])
            )
            drop.add(q.id)
        if q.sum_equals and q.sum_equals in values and q.sum_equals not in drop:
            cells = [a.value_num for a in kept if a.question_id == q.id and a.value_num is not None]
            if cells and len(cells) == len(q.rows) and abs(sum(cells) - values[q.sum_equals]) > 1e-9:
                ctx.problem(
                    q,
                    "matrix_sum_mismatch",
                    None,
                    severity="warning",
                    question=q.zh,
                    total=_fmt(sum(cells)),
                    expected=_fmt(values[q.sum_equals]),
                )
    final = [a for a in kept if a.question_id not in drop]
    for q in survey.questions:
        if q.role in ("firm_name", "uscc"):
            text = next((a.value_text for a in final if a.question_id == q.id and a.value_text), None)
            if q.role == "firm_name":
                respondent.firm_name = text
            elif text:
                code = text.upper().replace(" ", "")
                if valid_uscc(code):
                    respondent.uscc = code
                else:
                    ctx.problem(q, "uscc_malformed", text, severity="warning")
    respondent.answers = final
    return True


# ------------------------------------------------------------------------------------------------ 问卷星 layout


def _map_columns(survey: Survey, header: list[str], file_name: str) -> list[_Column]:
    columns: list[_Column] = []
    unknown: list[str] = []
    seen: dict[tuple[str, str, str], str] = {}
    for i, raw in enumerate(header):
        name = normalise_label(raw)
        if name in META:
            columns.append(_Column(i, raw, "meta", meta=META[name]))
            continue
        if not name:
            unknown.append(f"#{i + 1}(空表头)")
            continue
        m = _HEADER.match(unicodedata.normalize("NFKC", raw))
        q = survey.by_number(int(m.group(1))) if m else None
        if q is None:
            unknown.append(raw)
            continue
        _, group = _trailing_group(unicodedata.normalize("NFKC", raw).strip())
        col = _Column(i, raw, "question", question=q)
        if q.type == "matrix":
            row = q.row_by_label(group) if group else None
            if row is None:
                unknown.append(raw)
                continue
            col.kind, col.row = "matrix_row", row
        elif q.type == "multiple" and group and q.option_by_label(group):
            col.kind, col.option = "option01", q.option_by_label(group)
        key = (q.id, col.row.key if col.row else "", col.option.key if col.option else "")
        if key in seen:
            raise InputError(MESSAGES.t("column_duplicate", column=raw), file=file_name, field=raw)
        seen[key] = raw
        columns.append(col)
    if unknown:
        raise InputError(
            MESSAGES.t("column_unknown", survey=survey.id, columns="、".join(unknown)),
            file=file_name,
            field=unknown[0],
        )
    if not any(c.kind != "meta" for c in columns):
        raise InputError(MESSAGES.t("no_questions", survey=survey.id), file=file_name)
    return columns


def _detect_mode(columns: list[_Column], rows: list[list[str]]) -> str:
    numeric = total = 0
    for col in columns:
        if (
            col.question is None
            or col.kind == "option01"
            or col.question.answer_type not in ("single", "multiple", "scale")
        ):
            continue
        for row in rows:
            cell = row[col.index] if col.index < len(row) else ""
            if _status(cell):
                continue
            for part in cell.split(SEPARATOR):
                total += 1
                numeric += bool(re.fullmatch(r"\d+", _split_other(part.strip())[0]))
    return "number" if total and numeric >= 0.9 * total else "text"


def read_wjx(
    survey: Survey,
    path: Path,
    rows: list[list[str]],
    fmt: str,
    encoding: str | None,
    sheet: str | None,
    mode: str | None = None,
) -> ParsedResponses:
    header_idx = next((i for i, r in enumerate(rows) if any(c for c in r)), None)
    if header_idx is None:
        raise InputError(f"{path.name}: the file is empty", file=path.name)
    header = rows[header_idx]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    header = header[:width]
    columns = _map_columns(survey, header, path.name)
    body = [(header_idx + 2 + i, r) for i, r in enumerate(rows[header_idx + 1 :]) if any(c for c in r)]
    if mode is None:
        mode = _detect_mode(columns, [r for _, r in body])
    elif mode not in ("number", "text"):
        raise InputError(f"answer mode {mode!r}, expected number or text", field="mode")
    layouts = {
        "option01" if c.kind == "option01" else "joined"
        for c in columns
        if c.question is not None and c.question.answer_type == "multiple" and c.kind != "matrix_row"
    }
    multiple_layout = "both" if len(layouts) == 2 else (layouts.pop() if layouts else "none")
    multiple_layout = {"option01": "columns"}.get(multiple_layout, multiple_layout)
    problems: list[Problem] = []
    respondents: list[Respondent] = []
    first_row: dict[str, int] = {}
    id_col = next((c for c in columns if c.meta == "respondent_id"), None)
    for source_row, row in body:
        cells = row[:width] + [""] * (width - len(row)) if len(row) <= width else row
        raw = {c.header: cells[c.index] for c in columns if c.meta != "ip"}
        if len(row) > width and any(row[width:]):
            problems.append(
                Problem(
                    source_row,
                    None,
                    None,
                    "row_malformed",
                    "error",
                    "respondent",
                    None,
                    MESSAGES.both("row_malformed", got=len(row), expected=width),
                    raw,
                )
            )
            continue
        rid = cells[id_col.index] if id_col else str(source_row - header_idx - 1)
        if not re.fullmatch(r"[1-9]\d*", rid):
            problems.append(
                Problem(
                    source_row,
                    rid or None,
                    None,
                    "respondent_id_missing",
                    "error",
                    "respondent",
                    rid,
                    MESSAGES.both("respondent_id_missing", value=rid),
                    raw,
                )
            )
            continue
        if rid in first_row:
            problems.append(
                Problem(
                    source_row,
                    rid,
                    None,
                    "respondent_duplicate",
                    "error",
                    "respondent",
                    rid,
                    MESSAGES.both("respondent_duplicate", value=rid, first=first_row[rid]),
                    raw,
                )
            )
            continue
        first_row[rid] = source_row
        respondent = Respondent(source_row, rid, raw=raw)
        ctx = _Ctx(source_row, rid, problems)
        mark = len(problems)
        option01: dict[str, list[tuple[Option, str]]] = {}
        for col in columns:
            cell = cells[col.index]
            if col.kind == "meta":
                if col.meta == "submitted_at":
                    respondent.submitted_at = _parse_time(cell)
                elif col.meta == "duration":
                    respondent.duration_s = _parse_duration(cell)
                elif col.meta == "channel":
                    respondent.channel = cell or None
                elif col.meta == "channel_detail":
                    respondent.channel_detail = cell or None
                continue
            assert col.question is not None
            if col.kind == "option01":
                assert col.option is not None
                option01.setdefault(col.question.id, []).append((col.option, cell))
            else:
                _interpret(ctx, col.question, col.row.key if col.row else "", cell, mode)
        for qid, pairs in option01.items():
            _interpret_option01(ctx, survey.question(qid), pairs)
        for p in problems[mark:]:
            p.raw = raw
        if _finish(survey, ctx, respondent):
            respondents.append(respondent)
    return ParsedResponses(
        path.name, fmt, "wjx", mode, multiple_layout, encoding, sheet, len(body), respondents, problems
    )


def _interpret_option01(ctx: _Ctx, q: Question, pairs: list[tuple[Option, str]]) -> None:
    statuses = {_status(cell) for _, cell in pairs if cell not in ("0", "1")}
    if "skipped" in statuses:
        ctx.answers.append(Answer(q.id, "", "skipped"))
        return
    bad = [cell for _, cell in pairs if cell not in ("0", "1") and _status(cell) is None]
    if bad:
        label, _ = _split_other(bad[0])
        # a 0/1 column of an "other" option may carry its text instead of 1
        if not all(_split_other(c)[1] is not None for c in bad):
            ctx.problem(q, "binary_invalid", bad[0])
            return
        del label
    chosen = [
        (o, _split_other(cell)[1]) for o, cell in pairs if cell == "1" or _split_other(cell)[1] is not None
    ]
    if not chosen:
        ctx.answers.append(Answer(q.id, "", "empty"))
        return
    ctx.answers.extend(Answer(q.id, "", "answered", o.key, o.code, None, t) for o, t in chosen)


# ------------------------------------------------------------------------------------------------- tidy layout


def read_tidy(survey: Survey, path: Path, rows: list[list[str]], encoding: str | None) -> ParsedResponses:
    header = [normalise_label(h).lower() for h in rows[0]]
    need = ("respondent_id", "question", "value")
    missing = [h for h in need if h not in header]
    if missing:
        raise InputError(
            f"{path.name}: tidy CSV lacks column(s) {', '.join(missing)}; expected "
            "respondent_id,question,item,value",
            file=path.name,
            field=missing[0],
        )
    ix = {h: header.index(h) for h in header}
    problems: list[Problem] = []
    groups: dict[str, list[tuple[int, list[str]]]] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    n,
                    None,
                    None,
                    "row_malformed",
                    "error",
                    "respondent",
                    None,
                    MESSAGES.both("row_malformed", got=len(row), expected=len(header)),
                    dict(zip(rows[0], row, strict=False)),
                )
            )
            continue
        rid = row[ix["respondent_id"]]
        if not rid:
            problems.append(
                Problem(
                    n,
                    None,
                    None,
                    "respondent_id_missing",
                    "error",
                    "respondent",
                    rid,
                    MESSAGES.both("respondent_id_missing", value=rid),
                    dict(zip(rows[0], row, strict=True)),
                )
            )
            continue
        groups.setdefault(rid, []).append((n, row))
    respondents: list[Respondent] = []
    ids = {q.id: q for q in survey.questions}
    for rid, lines in groups.items():
        first = lines[0][0]
        raw = {"lines": [dict(zip(rows[0], r, strict=True)) for _, r in lines[:200]]}
        respondent = Respondent(first, rid, raw=raw)
        ctx = _Ctx(first, rid, problems)
        mark = len(problems)
        cells: dict[tuple[str, str], list[str]] = {}
        for n, row in lines:
            qid = row[ix["question"]]
            q = ids.get(qid)
            if q is None:
                problems.append(
                    Problem(
                        n,
                        rid,
                        qid,
                        "question_unknown",
                        "error",
                        "answer",
                        qid,
                        MESSAGES.both("question_unknown", value=qid, survey=survey.id),
                    )
                )
                continue
            item_text = row[ix["item"]] if "item" in ix else ""
            item = ""
            if q.type == "matrix":
                r = next((r for r in q.rows if r.key == item_text), None) or q.row_by_label(item_text)
                if r is None:
                    problems.append(
                        Problem(
                            n,
                            rid,
                            qid,
                            "option_unknown",
                            "error",
                            "answer",
                            item_text,
                            MESSAGES.both(
                                "option_unknown", value=item_text, expected="、".join(r.zh for r in q.rows)
                            ),
                        )
                    )
                    continue
                item = r.key
            if "submitted_at" in ix and respondent.submitted_at is None:
                respondent.submitted_at = _parse_time(row[ix["submitted_at"]])
            if "channel" in ix and respondent.channel is None:
                respondent.channel = row[ix["channel"]] or None
            cells.setdefault((qid, item), []).append(row[ix["value"]])
        for (qid, item), values in cells.items():
            q = ids[qid]
            value = SEPARATOR.join(values) if q.answer_type == "multiple" else values[-1]
            if q.answer_type == "multiple" and any(_status(v) for v in values):
                value = values[0]
            _interpret(ctx, q, item, value, "mixed")
        for p in problems[mark:]:
            p.raw = p.raw or raw
        if _finish(survey, ctx, respondent):
            respondents.append(respondent)
    return ParsedResponses(
        path.name,
        "csv",
        "tidy",
        "mixed",
        "joined",
        encoding,
        None,
        sum(len(v) for v in groups.values()),
        respondents,
        problems,
    )


def read_responses(survey: Survey, path: Path | str, mode: str | None = None) -> ParsedResponses:
    """Read a 问卷星 export (xlsx/csv, either mode) or a tidy CSV; never raises anything but our errors."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file: {str(path)!r}", file=str(path))
    rows, fmt, encoding, sheet = _read_table(path)
    first = next((r for r in rows if any(r)), None)
    if first is None:
        raise InputError(f"{path.name}: the file is empty", file=path.name)
    if fmt == "csv" and {"respondent_id", "question", "value"} <= {normalise_label(h).lower() for h in first}:
        return read_tidy(survey, path, rows, encoding)
    return read_wjx(survey, path, rows, fmt, encoding, sheet, mode)


def tidy_rows(parsed: Iterable[Respondent]) -> list[dict[str, Any]]:
    """Answers in the tidy layout (the inverse of :func:`read_tidy`), for export and round-trip tests."""
    out = []
    for r in parsed:
        for a in r.answers:
            if a.status == "skipped":
                value = "(跳过)"
            elif a.status == "empty":
                value = "(空)"
            elif a.option_key is not None:
                # an "other" option keeps its text, as 问卷星 writes it: ``other〖text〗``
                value = a.option_key + (f"〖{a.value_text}〗" if a.value_text else "")
            elif a.value_num is not None:
                value = _fmt(a.value_num)
            else:
                value = a.value_text or ""
            out.append(
                {"respondent_id": r.respondent_id, "question": a.question_id, "item": a.item, "value": value}
            )
    return out
