"""A district's project ledger (招商项目台账) in Excel or CSV: import with Chinese headers, export with the same.

The header row is found among the first rows (title rows above it, such as 「2019年西湖区招商项目台账」, are
skipped); columns are recognised by their usual names and synonyms (:data:`HEADERS`). A row is keyed by its
district and project name: a new one creates a project at the stage the ledger gives, a known one is updated (the
changed fields as one edit, a changed stage as a move that must follow the stage rules). A row with an error is
quarantined with its row, field, stable code and value; a row with a warning loads without the bad value; the
rest load in one transaction, and re-importing the same file changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from industry_brain._core.cells import guard, openpyxl_row
from industry_brain._core.errors import ConflictError, InputError, writing
from industry_brain._core.store import Store
from industry_brain._core.tables import read_rows
from industry_brain.accounts import Account, can
from industry_brain.attract._project_messages import MESSAGES, SEVERITY
from industry_brain.attract._projects import (
    EDITABLE,
    Project,
    _next_id,
    apply_edit,
    apply_move,
    chain_of,
    check_may,
    date_of,
    district_name,
    district_of,
    districts_expected,
    field_of,
    get_project,
    insert_project,
    investment_of,
    list_projects,
    now,
    uscc_of,
)
from industry_brain.attract._stages import StageRules, stage_rules

#: column → the headers a ledger uses for it (the first is the one exports write).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("项目名称", "项目", "招商项目", "项目名", "name"),
    "district": ("所属区县", "区县", "所在区县", "所属区域", "区域", "district"),
    "target_name": ("目标企业", "企业名称", "投资方", "投资主体", "签约企业", "target_name"),
    "target_uscc": ("统一社会信用代码", "信用代码", "企业信用代码", "target_uscc", "uscc"),
    "investment_wan": ("计划投资额（万元）", "计划投资额(万元)", "计划投资额", "投资额（万元）", "投资额(万元)", "投资额",
                       "总投资（万元）", "总投资(万元)", "总投资", "investment_wan"),
    "field_code": ("所属领域", "技术领域", "领域", "产业领域", "field_code"),
    "chain_code": ("产业链", "所属产业链", "chain_code"),
    "segment_code": ("产业链环节", "环节", "segment_code"),
    "stage": ("当前阶段", "阶段", "项目阶段", "进展阶段", "项目进展", "stage"),
    "owner": ("负责人", "责任人", "跟踪人", "owner"),
    "next_action": ("下一步工作", "下一步", "下步工作", "下一步计划", "next_action"),
    "next_action_on": ("计划完成时间", "完成时间", "计划时间", "截止时间", "next_action_on"),
    "notes": ("备注", "说明", "notes"),
}
_EXPORT = ("name", "district", "target_name", "target_uscc", "investment_wan", "field_code", "chain_code",
           "segment_code", "stage", "owner", "next_action", "next_action_on", "notes")
_SCAN = 15  # rows looked at for the header


@dataclass
class LedgerImport:
    """What an import did: rows read, projects created, changed, left as they were, quarantined; the problems."""

    batch_id: int | None
    file_name: str
    rows_read: int
    created: int
    changed: int
    unchanged: int
    quarantined: int
    warnings: int
    noop: bool = False
    header_row: int | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").strip().lower()


_LOOKUP = {_norm(name): key for key, names in HEADERS.items() for name in names}


def _find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    best: tuple[int, dict[str, int]] | None = None
    for i, row in enumerate(rows[:_SCAN]):
        cols: dict[str, int] = {}
        for j, cell in enumerate(row):
            key = _LOOKUP.get(_norm(cell))
            if key is not None and key not in cols:
                cols[key] = j
        if "name" in cols and len(cols) >= 2 and (best is None or len(cols) > len(best[1])):
            best = (i, cols)
    return best


class _Problems:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, row: int, fld: str, code: str, value: object, raw: dict[str, str], **extra: Any) -> None:
        msg = MESSAGES.both(code, value=value, **extra)
        self.items.append({"source_row": row, "field": fld, "code": code, "severity": SEVERITY.get(code, "error"),
                           "value": None if value is None else str(value), "message_zh": f"第{row}行：{msg['zh']}",
                           "message_en": f"row {row}: {msg['en']}", "raw": raw})

    def errors_on(self, row: int) -> bool:
        return any(p["source_row"] == row and p["severity"] == "error" for p in self.items)


def _parse_row(row: int, cell: dict[str, str], cols: dict[str, int], rules: StageRules, viewer: Account | None,
               problems: _Problems) -> tuple[dict[str, Any], str | None] | None:
    """The row's checked values and stage (None: not given); None when it has an error."""
    name = cell.get("name", "")
    if not name:
        problems.add(row, "name", "name_missing", name, cell)
    district = None
    if not cell.get("district"):
        problems.add(row, "district", "district_missing", "", cell)
    else:
        district = district_of(cell["district"])
        if district is None:
            problems.add(row, "district", "district_unknown", cell["district"], cell, expected=districts_expected())
        elif viewer is not None and not can(viewer, "edit_projects", unit=district):
            problems.add(row, "district", "district_not_allowed", cell["district"], cell,
                         expected="、".join(district_name(d) for d in viewer.districts) or "–")
    stage = None
    if cell.get("stage"):
        found = rules.find(cell["stage"])
        if found is None:
            problems.add(row, "stage", "stage_invalid", cell["stage"], cell, expected=rules.expected())
        else:
            stage = found.code
    if problems.errors_on(row):
        return None
    values: dict[str, Any] = {"name": name, "district": district}
    for key in ("target_name", "owner", "next_action", "notes"):
        if key in cols:
            values[key] = cell.get(key) or None
    if "target_uscc" in cols:
        code, why = uscc_of(cell.get("target_uscc", ""))
        if why is not None:
            problems.add(row, "target_uscc", "uscc_invalid", cell["target_uscc"], cell)
        values["target_uscc"] = code
    if "investment_wan" in cols:
        try:
            values["investment_wan"] = investment_of(cell.get("investment_wan", ""))
        except InputError:
            problems.add(row, "investment_wan", "investment_invalid", cell["investment_wan"], cell)
            values["investment_wan"] = None
    if "field_code" in cols:
        t = cell.get("field_code", "")
        values["field_code"] = field_of(t) if t else None
        if t and values["field_code"] is None:
            problems.add(row, "field_code", "field_unknown", t, cell)
    if "chain_code" in cols:
        try:
            values["chain_code"], values["segment_code"] = chain_of(cell.get("chain_code", ""),
                                                                    cell.get("segment_code", ""))
        except InputError:
            problems.add(row, "segment_code", "chain_unknown",
                         " · ".join(x for x in (cell.get("chain_code"), cell.get("segment_code")) if x), cell)
            values["chain_code"], values["segment_code"] = None, None
    if "next_action_on" in cols:
        try:
            values["next_action_on"] = date_of(cell.get("next_action_on", ""))
        except InputError:
            problems.add(row, "next_action_on", "date_invalid", cell["next_action_on"], cell)
            values["next_action_on"] = None
    return values, stage


def _existing(store: Store, district: str, name: str) -> Project | None:
    row = store.fetchone("SELECT project_id FROM project WHERE district = ? AND name = ?", [district, name])
    return get_project(store, int(row[0])) if row else None


def import_ledger(store: Store, path: str | Path, *, actor: str, viewer: Account | None = None) -> LedgerImport:
    """Load a project ledger (XLSX/CSV, Chinese headers) in one transaction; see the module's docstring."""
    p = Path(path)
    if viewer is not None and not can(viewer, "edit_projects"):
        check_may(viewer, "edit_projects", "*")
    got = read_rows(p)
    found = _find_header(got.rows)
    if found is None:
        names = "、".join(HEADERS[k][0] for k in ("name", "district"))
        raise InputError(f"{p.name}: no header row with {names} among the first {_SCAN} rows", file=p.name)
    header_at, cols = found
    if "district" not in cols:
        raise InputError(f"{p.name}: required column missing: {HEADERS['district'][0]} (header on row "
                         f"{header_at + 1}: {got.rows[header_at]!r})", file=p.name, missing=["district"])
    digest = hashlib.sha256(p.read_bytes()).hexdigest()
    rows = [(i + 1, {k: (r[j] if j < len(r) else "") for k, j in cols.items()})
            for i, r in enumerate(got.rows) if i > header_at and any(c for c in r)]
    seen = store.fetchone("SELECT batch_id FROM project_batch WHERE sha256 = ?", [digest])
    if seen is not None:
        return LedgerImport(int(seen[0]), p.name, len(rows), 0, 0, 0, 0, 0, noop=True, header_row=header_at + 1)
    rules = stage_rules()
    problems = _Problems()
    parsed: list[tuple[int, dict[str, Any], str | None]] = []
    first: dict[tuple[str, str], int] = {}
    for row, cell in rows:
        got_row = _parse_row(row, cell, cols, rules, viewer, problems)
        if got_row is None:
            continue
        values, stage = got_row
        key = (values["district"], values["name"])
        if key in first:
            problems.add(row, "name", "name_duplicate", values["name"], cell, first=first[key])
            continue
        first[key] = row
        parsed.append((row, values, stage))
    at = now()
    created = changed = unchanged = 0
    raw = dict(rows)
    with store.transaction():
        bid = _next_id(store, "project_batch", "batch_id")
        for row, values, stage in parsed:
            old = _existing(store, values["district"], values["name"])
            if old is None:
                st = stage or rules.stages[0].code
                if rules.get(st).outcome:
                    problems.add(row, "stage", "stage_refused", raw[row].get("stage"), raw[row],
                                 reason=MESSAGES.t("allowed_outcome", to=rules.get(st).zh))
                    continue
                full = {k: values.get(k) for k in EDITABLE}
                insert_project(store, full, st, actor=actor, at=at, batch_id=bid, source_row=row)
                created += 1
                continue
            if stage is not None and stage != old.stage:
                try:
                    rules.check(old.stage, stage, f"台账导入 {p.name} 第{row}行", old.held_stage)
                except (ConflictError, InputError) as exc:
                    problems.add(row, "stage", "stage_refused", raw[row].get("stage"), raw[row], reason=exc.message)
                    continue
            edits = apply_edit(store, old, values, actor=actor, at=at, reason=f"台账导入 {p.name} 第{row}行",
                               batch_id=bid)
            moved = stage is not None and stage != old.stage
            if moved:
                assert stage is not None
                apply_move(store, old, stage, f"台账导入 {p.name} 第{row}行", actor=actor, at=at, rules=rules,
                           batch_id=bid)
            if edits or moved:
                changed += 1
            else:
                unchanged += 1
        errors = len({x["source_row"] for x in problems.items if x["severity"] == "error"})
        store.execute("INSERT INTO project_batch VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [bid, p.name, digest, len(rows), created + changed, unchanged, errors, actor, at])
        for x in problems.items:
            store.execute("INSERT INTO project_problem VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          [bid, x["source_row"], x["field"], x["code"], x["severity"], x["value"], x["message_zh"],
                           x["message_en"], json.dumps(x["raw"], ensure_ascii=False)])
    warnings = sum(1 for x in problems.items if x["severity"] == "warning")
    return LedgerImport(bid, p.name, len(rows), created, changed, unchanged, errors, warnings,
                        header_row=header_at + 1, problems=problems.items)


def ledger_problems(store: Store, batch_id: int) -> list[dict[str, Any]]:
    """The quarantined rows and warnings of one ledger import."""
    return store.records(
        "SELECT source_row, field, code, severity, value, message_zh, message_en FROM project_problem"
        " WHERE batch_id = ? ORDER BY source_row, field", [batch_id])


def ledger_rows(store: Store, *, viewer: Account | None = None, district: str | None = None,
                stage: str | None = None) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of an export (the import's own headers; stage, district, field and chain by name)."""
    from industry_brain.attract._projects import field_label

    rules = stage_rules()
    header = [HEADERS[k][0] for k in _EXPORT]
    out: list[list[Any]] = []
    for p in sorted(list_projects(store, viewer=viewer, district=district, stage=stage, rules=rules),
                    key=lambda x: x.project_id):
        chain_name = seg_name = None
        if p.chain_code:
            from industry_brain.chains import chain

            try:
                c = chain(p.chain_code)
                chain_name = c.name_zh
                seg_name = c.segment(p.segment_code).name_zh if p.segment_code else None
            except LookupError:
                chain_name, seg_name = p.chain_code, p.segment_code
        st = rules.find(p.stage)
        out.append([p.name, district_name(p.district), p.target_name, p.target_uscc, p.investment_wan,
                    field_label(p.field_code), chain_name, seg_name, st.zh if st else p.stage, p.owner, p.next_action,
                    p.next_action_on.isoformat() if p.next_action_on else None, p.notes])
    return header, out


def export_ledger(store: Store, path: str | Path, *, viewer: Account | None = None, district: str | None = None,
                  stage: str | None = None) -> int:
    """Write the projects ``viewer`` may see to ``path`` (.xlsx or .csv); returns the number of rows written."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError(f"{p.name}: file type {suffix!r}, expected .xlsx or .csv", file=p.name)
    header, rows = ledger_rows(store, viewer=viewer, district=district, stage=stage)
    data = ledger_bytes(header, rows, suffix[1:])
    with writing(p):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return len(rows)


def ledger_bytes(header: list[str], rows: list[list[Any]], fmt: str) -> bytes:
    """An export as file bytes: ``xlsx`` (one sheet 招商项目台账) or ``csv`` (UTF-8 with BOM, for Excel)."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else guard(v) for v in r])
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise InputError(f"export format {fmt!r}: expected xlsx or csv", field="format", value=fmt)
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("招商项目台账")
    ws.append(header)
    for r in rows:
        ws.append(openpyxl_row(ws, r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
