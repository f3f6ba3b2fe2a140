"""Projects of the pipeline (招商项目): entered one by one or from a district's ledger, moved through the stages by
the rules of :mod:`industry_brain.attract._stages`, edited, and read with their whole history.

Every change is an event of ``project_event`` — who, when, from which stage to which, what changed and why — and
nothing is ever deleted: a project that will not happen is moved to 终止 with its reason. A district officer acts
only for its own districts (``accounts.can(account, "view_projects" | "edit_projects", unit=district)``); the
``viewer`` argument is that account, or ``None`` for the local operator of the command line.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from industry_brain._core.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from industry_brain._core.store import Store
from industry_brain.accounts import Account, can
from industry_brain.attract._project_messages import MESSAGES
from industry_brain.attract._stages import StageRules, move_name, stage_rules

#: What an edit may change (the stage changes only by a move).
EDITABLE = ("name", "district", "owner", "target_name", "target_uscc", "investment_wan", "field_code", "chain_code",
            "segment_code", "next_action", "next_action_on", "notes")
_COLS = ("project_id, name, district, owner, target_name, target_uscc, investment_wan, field_code, chain_code, "
         "segment_code, stage, held_stage, stage_since, next_action, next_action_on, notes, synthetic, batch_id, "
         "source_row, created_by, created_at, updated_at")


@dataclass(frozen=True)
class Project:
    """One project of the pipeline, as it stands now."""

    project_id: int
    name: str
    district: str
    owner: str | None
    target_name: str | None
    target_uscc: str | None
    investment_wan: float | None
    field_code: str | None
    chain_code: str | None
    segment_code: str | None
    stage: str
    held_stage: str | None
    stage_since: datetime
    next_action: str | None
    next_action_on: date | None
    notes: str | None
    synthetic: bool
    batch_id: int | None
    source_row: int | None
    created_by: str
    created_at: datetime
    updated_at: datetime

    def overdue(self, rules: StageRules, today: date | None = None) -> bool:
        """The next action's date is before today and the project is at an open stage."""
        return (self.next_action_on is not None and self.next_action_on < (today or date.today())
                and rules.is_open(self.stage))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("stage_since", "created_at", "updated_at", "next_action_on"):
            d[k] = d[k].isoformat() if d[k] is not None else None
        return d


def now() -> datetime:
    """The time events are stamped with (UTC, without zone, as the store keeps it)."""
    return datetime.now(UTC).replace(tzinfo=None)


# --------------------------------------------------------------------------------------------------- values
def _text(value: Any) -> str:
    return unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()


def district_of(text: str) -> str | None:
    """A 2019 map unit code from a code or a name (西湖区, 西湖, 钱塘新区); None when unknown."""
    from industry_brain.geo import map_unit_code

    return map_unit_code(text)


def district_name(code: str, lang: str = "zh") -> str:
    from industry_brain.geo import unit

    try:
        u = unit(code, 2019)
    except LookupError:
        return code
    return u.name_en if lang.startswith("en") else u.name_zh


def districts_expected() -> str:
    from industry_brain.geo import MAP_UNITS_2019

    return "、".join(u.name_zh for u in MAP_UNITS_2019)


def field_of(text: str) -> str | None:
    """A level-2 or level-3 high-tech field code from a code, a name, or ``code name`` as exported; None else."""
    from industry_brain.taxonomy import field, field_from_name

    t = _text(text)
    if not t:
        return None
    for candidate in (t, t.split()[0]):
        for look in (field, field_from_name):
            try:
                f = look(candidate)
            except LookupError:
                continue
            return f.code if f.level in (2, 3) else None
    return None


def field_label(code: str | None, lang: str = "zh") -> str | None:
    from industry_brain.taxonomy import field

    if not code:
        return None
    try:
        return f"{code} {field(code).name(lang)}"
    except LookupError:
        return code


def chain_of(chain_text: str, segment_text: str) -> tuple[str | None, str | None]:
    """(chain code, segment code) from codes or Chinese/English names; :class:`InputError` when unknown."""
    from industry_brain.chains import chains

    c, s = _text(chain_text), _text(segment_text)
    if not c:
        if s:
            raise InputError(MESSAGES.t("form_segment_alone", value=s), field="segment_code", value=s)
        return None, None
    known = chains()
    found = next((x for x in known if c in (x.code, x.name_zh) or c.lower() == x.name_en.lower()), None)
    if found is None:
        raise InputError(MESSAGES.t("form_chain", value=c, expected="、".join(f"{x.code}（{x.name_zh}）" for x in known)),
                         field="chain_code", value=c)
    if not s:
        return found.code, None
    seg = next((x for x in found.segments if s in (x.code, x.name_zh) or s.lower() == x.name_en.lower()), None)
    if seg is None:
        raise InputError(MESSAGES.t("form_segment", chain=found.name_zh, value=s,
                                    expected="、".join(f"{x.code}（{x.name_zh}）" for x in found.segments)),
                         field="segment_code", value=s)
    return found.code, seg.code


def chain_label(chain_code: str | None, segment_code: str | None, lang: str = "zh") -> str | None:
    from industry_brain.chains import chain

    if not chain_code:
        return None
    try:
        c = chain(chain_code)
    except LookupError:
        return chain_code
    if not segment_code:
        return c.name(lang)
    try:
        return f"{c.name(lang)} · {c.segment(segment_code).name(lang)}"
    except LookupError:
        return f"{c.name(lang)} · {segment_code}"


def uscc_of(text: str) -> tuple[str | None, str | None]:
    """(normalised code, None) for a credit code that checks; (None, why) for one that does not; (None, None) empty."""
    from industry_brain.registry import check_uscc

    t = _text(text)
    if not t:
        return None, None
    verdict = check_uscc(t)
    if not verdict.valid:
        return None, "; ".join(verdict.explain()) or "malformed"
    return verdict.code, None


def investment_of(value: Any) -> float | None:
    """An amount in 万元 from a number or a text (``5000``, ``5,000万元``, ``1.2亿``); :class:`InputError` else."""
    from industry_brain.registry import parse_capital

    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = float(value)
    else:
        try:
            got = parse_capital(_text(value))
        except ValueError as exc:
            raise InputError(MESSAGES.t("form_investment", value=value), field="investment_wan", value=value) from exc
        if got is None:
            return None
        if got[1] != "CNY":
            raise InputError(MESSAGES.t("form_investment", value=value), field="investment_wan", value=value)
        amount = got[0]
    if amount != amount or amount < 0:
        raise InputError(MESSAGES.t("form_investment", value=value), field="investment_wan", value=value)
    return round(amount, 4)


def date_of(value: Any) -> date | None:
    from industry_brain.registry import parse_date

    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_date(_text(value))
    except ValueError as exc:
        raise InputError(MESSAGES.t("form_date", value=value), field="next_action_on", value=value) from exc


def clean(values: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """The editable fields of a form or API body, checked; :class:`InputError` names the first bad one.
    ``partial``: only the keys present (an edit); otherwise name and district are required."""
    out: dict[str, Any] = {}
    present = [k for k in EDITABLE if k in values] if partial else list(EDITABLE)
    if "stage" in values and partial:
        raise InputError(MESSAGES.t("form_stage_field"), field="stage")
    for key in present:
        raw = values.get(key)
        if key == "name":
            if not _text(raw):
                raise InputError(MESSAGES.t("form_name"), field="name")
            out[key] = _text(raw)
        elif key == "district":
            code = district_of(_text(raw))
            if code is None:
                raise InputError(MESSAGES.t("form_district", value=_text(raw)), field="district", value=_text(raw))
            out[key] = code
        elif key == "target_uscc":
            code, why = uscc_of(_text(raw))
            if why is not None:
                raise InputError(MESSAGES.t("form_uscc", value=_text(raw), why=why), field="target_uscc",
                                 value=_text(raw))
            out[key] = code
        elif key == "investment_wan":
            out[key] = investment_of(raw)
        elif key == "field_code":
            t = _text(raw)
            code = field_of(t) if t else None
            if t and code is None:
                raise InputError(MESSAGES.t("form_field", value=t), field="field_code", value=t)
            out[key] = code
        elif key == "next_action_on":
            out[key] = date_of(raw)
        elif key in ("chain_code", "segment_code"):
            continue
        else:
            out[key] = _text(raw) or None
    if not partial or "chain_code" in values or "segment_code" in values:
        out["chain_code"], out["segment_code"] = chain_of(_text(values.get("chain_code")),
                                                          _text(values.get("segment_code")))
    return out


# ------------------------------------------------------------------------------------------------- permission
def check_may(viewer: Account | None, action: str, district: str) -> None:
    """Raise :class:`PermissionDeniedError` unless ``viewer`` (None: the local operator) may ``action`` there."""
    if viewer is None or can(viewer, action, unit=district):
        return
    code = "may_not_view" if action == "view_projects" else "may_not_edit"
    from industry_brain._core.i18n import current_lang

    shown = district_name(district, "en" if current_lang() == "en" else "zh") if district != "*" else "*"
    raise PermissionDeniedError(MESSAGES.t(code, role=viewer.role, district=shown), district=district,
                                action=action)


# ------------------------------------------------------------------------------------------------------ reads
def _project(row: tuple[Any, ...]) -> Project:
    values = list(row)
    values[6] = float(values[6]) if values[6] is not None else None
    values[16] = bool(values[16])
    return Project(*values)


def get_project(store: Store, project_id: int, *, viewer: Account | None = None) -> Project:
    """One project; :class:`NotFoundError` when there is none, :class:`PermissionDeniedError` when ``viewer`` may
    not see its district."""
    row = store.fetchone(f"SELECT {_COLS} FROM project WHERE project_id = ?", [int(project_id)])
    if row is None:
        raise NotFoundError(MESSAGES.t("no_project", value=project_id), project_id=project_id)
    p = _project(row)
    check_may(viewer, "view_projects", p.district)
    return p


def list_projects(store: Store, *, stage: str | None = None, district: str | None = None,
                  overdue: bool | None = None, viewer: Account | None = None, today: date | None = None,
                  rules: StageRules | None = None) -> list[Project]:
    """The projects ``viewer`` may see (a district officer: its own districts' only), optionally of one stage
    (code or name), one district (code or name) or only those whose next action is overdue; newest first."""
    rules = rules or stage_rules()
    where, params = ["true"], []
    if stage:
        where.append("stage = ?")
        params.append(rules.resolve(stage).code)
    if district:
        code = district_of(district)
        if code is None:
            raise InputError(MESSAGES.t("form_district", value=district), field="district", value=district)
        where.append("district = ?")
        params.append(code)
    rows = store.fetchall(f"SELECT {_COLS} FROM project WHERE {' AND '.join(where)} ORDER BY updated_at DESC, "
                          "project_id DESC", params)
    found = [_project(r) for r in rows]
    found = [p for p in found if viewer is None or can(viewer, "view_projects", unit=p.district)]
    if overdue:
        found = [p for p in found if p.overdue(rules, today)]
    return found


def history(store: Store, project_id: int, lang: str = "zh") -> list[dict[str, Any]]:
    """Every event of a project, oldest first, with the stage names in ``lang``."""
    rules = stage_rules()
    rows = store.records(
        "SELECT event_id, happened_at, actor, kind, move, from_stage, to_stage, reason, changes, batch_id"
        " FROM project_event"
        " WHERE project_id = ? ORDER BY happened_at, event_id", [int(project_id)])

    def name(code: str | None) -> str | None:
        if code is None:
            return None
        s = rules.find(code)
        return s.name(lang) if s else code

    for r in rows:
        r["at"] = r.pop("happened_at").isoformat(timespec="seconds")
        r["changes"] = json.loads(r["changes"]) if r["changes"] else None
        r["from_name"], r["to_name"] = name(r["from_stage"]), name(r["to_stage"])
        r["move_name"] = move_name(r["move"], lang) if r["move"] else None
    return rows


def in_register(store: Store, codes: list[str]) -> dict[str, str]:
    """Which of ``codes`` are in the current register: ``{uscc: name}``."""
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    rows = store.fetchall("SELECT uscc, name FROM enterprise WHERE uscc IN (SELECT unnest(?))", [wanted])
    return {str(r[0]): str(r[1]) for r in rows}


def describe_project(p: Project, rules: StageRules, lang: str = "zh", *, registered: Mapping[str, str] | None = None,
             today: date | None = None) -> dict[str, Any]:
    """A project as the pages and the API show it: its record, names in ``lang``, whether its next action is
    overdue (and the rule), and whether its target is in the register."""
    st = rules.find(p.stage)
    held = rules.find(p.held_stage) if p.held_stage else None
    day = today or date.today()
    late = p.overdue(rules, day)
    en = lang.startswith("en")
    why = None
    if late and p.next_action_on is not None:
        days = (day - p.next_action_on).days
        why = (f"next action due {p.next_action_on.isoformat()}, {days} days before today ({day.isoformat()})" if en
               else f"下一步工作计划于 {p.next_action_on.isoformat()} 完成，已超过 {days} 天（今天 {day.isoformat()}）")
    return {
        **p.to_dict(),
        "stage_name": st.name(lang) if st else p.stage,
        "held_stage_name": held.name(lang) if held else None,
        "outcome": bool(st and st.outcome),
        "district_name": district_name(p.district, lang),
        "field_name": field_label(p.field_code, lang),
        "chain_name": chain_label(p.chain_code, p.segment_code, lang),
        "overdue": late,
        "overdue_why": why,
        "target_in_register": bool(p.target_uscc and registered and p.target_uscc in registered),
    }


def project_detail(store: Store, project_id: int, *, viewer: Account | None = None, lang: str = "zh",
                   today: date | None = None) -> dict[str, Any]:
    """A project with its history and the moves allowed from its stage (with the rules they follow)."""
    rules = stage_rules()
    p = get_project(store, project_id, viewer=viewer)
    registered = in_register(store, [p.target_uscc] if p.target_uscc else [])
    return {
        "project": describe_project(p, rules, lang, registered=registered, today=today),
        "history": history(store, project_id, lang),
        "allowed_moves": [m.to_dict(lang) for m in rules.allowed(p.stage, p.held_stage)],
        "rules": rules.rules(lang),
        "may_edit": viewer is None or can(viewer, "edit_projects", unit=p.district),
    }


# ----------------------------------------------------------------------------------------------------- writes
def _next_id(store: Store, table: str, column: str) -> int:
    row = store.fetchone(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}")
    return int(row[0]) if row else 1


def record_event(store: Store, project_id: int, at: datetime, actor: str, kind: str, *, move: str | None = None,
                 frm: str | None = None, to: str | None = None, reason: str | None = None,
                 changes: dict[str, Any] | None = None, batch_id: int | None = None) -> int:
    """Append one event to a project's history (inside the caller's transaction)."""
    eid = _next_id(store, "project_event", "event_id")
    store.execute(
        "INSERT INTO project_event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [eid, project_id, at, actor, kind, move, frm, to, (reason or "").strip() or None,
         json.dumps(changes, ensure_ascii=False, default=str) if changes else None, batch_id])
    return eid


def _clash(store: Store, district: str, name: str, other_than: int | None = None) -> None:
    row = store.fetchone("SELECT project_id FROM project WHERE district = ? AND name = ? AND project_id <> ?",
                         [district, name, other_than if other_than is not None else -1])
    if row is not None:
        raise ConflictError(MESSAGES.t("project_exists", district=district_name(district), value=name, pid=row[0]),
                            project_id=int(row[0]))


def insert_project(store: Store, values: Mapping[str, Any], stage: str, *, actor: str, at: datetime,
                   synthetic: bool = False, batch_id: int | None = None, source_row: int | None = None) -> int:
    """Insert a checked project and its ``created`` event (inside the caller's transaction); returns its id."""
    pid = _next_id(store, "project", "project_id")
    v = {k: values.get(k) for k in EDITABLE}
    store.execute(
        f"INSERT INTO project ({_COLS}) VALUES ({', '.join('?' * 22)})",
        [pid, v["name"], v["district"], v["owner"], v["target_name"], v["target_uscc"], v["investment_wan"],
         v["field_code"], v["chain_code"], v["segment_code"], stage, None, at, v["next_action"], v["next_action_on"],
         v["notes"], synthetic, batch_id, source_row, actor, at, at])
    record_event(store, pid, at, actor, "created", to=stage, batch_id=batch_id)
    return pid


def add_project(store: Store, values: Mapping[str, Any], *, actor: str, viewer: Account | None = None,
                stage: str | None = None, at: datetime | None = None, synthetic: bool = False) -> Project:
    """Create a project (at the first stage unless ``stage`` names another, e.g. one already in 洽谈)."""
    rules = stage_rules()
    v = clean(values)
    check_may(viewer, "edit_projects", v["district"])
    st = rules.resolve(stage) if stage else rules.stages[0]
    if st.outcome:
        raise InputError(MESSAGES.t("stage_unknown", value=stage, expected="、".join(s.zh for s in rules.stages)),
                         field="stage", value=stage)
    with store.transaction():
        _clash(store, v["district"], v["name"])
        pid = insert_project(store, v, st.code, actor=actor, at=at or now(), synthetic=synthetic)
    return get_project(store, pid)


def apply_edit(store: Store, old: Project, new: Mapping[str, Any], *, actor: str, at: datetime,
               reason: str | None = None, batch_id: int | None = None) -> dict[str, list[Any]]:
    """Write the fields of ``new`` that differ from ``old`` and record them as one ``edited`` event (inside the
    caller's transaction); returns the changes (empty: nothing written)."""
    changes = {k: [getattr(old, k), new[k]] for k in EDITABLE if k in new and new[k] != getattr(old, k)}
    if not changes:
        return {}
    sets = ", ".join(f"{k} = ?" for k in changes)
    store.execute(f"UPDATE project SET {sets}, updated_at = ? WHERE project_id = ?",
                  [*(c[1] for c in changes.values()), at, old.project_id])
    record_event(store, old.project_id, at, actor, "edited", reason=reason, changes=changes, batch_id=batch_id)
    return changes


def edit_project(store: Store, project_id: int, values: Mapping[str, Any], *, actor: str,
                 viewer: Account | None = None, reason: str | None = None) -> Project:
    """Change the given fields of a project (checked like a new one); the stage changes only by a move."""
    old = get_project(store, project_id, viewer=viewer)
    check_may(viewer, "edit_projects", old.district)
    v = clean(values, partial=True)
    if "district" in v:
        check_may(viewer, "edit_projects", v["district"])
    with store.transaction():
        _clash(store, v.get("district", old.district), v.get("name", old.name), other_than=old.project_id)
        apply_edit(store, old, v, actor=actor, at=now(), reason=reason)
    return get_project(store, project_id)


def apply_move(store: Store, p: Project, to: str, reason: str | None, *, actor: str, at: datetime,
               rules: StageRules, batch_id: int | None = None) -> str:
    """Check and write a move (inside the caller's transaction); returns the move's kind."""
    target = rules.resolve(to)
    move = rules.check(p.stage, target.code, reason, p.held_stage)
    held = p.stage if target.outcome else None
    store.execute("UPDATE project SET stage = ?, held_stage = ?, stage_since = ?, updated_at = ? WHERE project_id = ?",
                  [target.code, held, at, at, p.project_id])
    record_event(store, p.project_id, at, actor, "moved", move=move.kind, frm=p.stage, to=target.code, reason=reason,
                 batch_id=batch_id)
    return move.kind


def move_project(store: Store, project_id: int, to: str, *, actor: str, reason: str | None = None,
                 viewer: Account | None = None, at: datetime | None = None) -> Project:
    """Move a project to stage ``to`` (code or name) when the rules allow it; a refused move raises
    :class:`ConflictError` naming both stages and what is allowed."""
    rules = stage_rules()
    p = get_project(store, project_id, viewer=viewer)
    check_may(viewer, "edit_projects", p.district)
    when = at or now()
    if when < p.stage_since:
        raise InputError(f"move time {when.isoformat()!r} is before the project entered its stage "
                         f"({p.stage_since.isoformat()})", field="at")
    with store.transaction():
        apply_move(store, p, to, reason, actor=actor, at=when, rules=rules)
    return get_project(store, project_id)
