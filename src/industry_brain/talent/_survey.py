"""Survey definitions: questions, types, options and codings, read from YAML.

A definition is a mapping with ``id``, ``year``, ``zh``/``en`` titles and a list of ``questions``. Each question
has an ``id`` (ASCII), a ``number`` (its position in the questionnaire, which is how 问卷星 names its column:
``15、未来一年内……``), a ``type`` and zh/en wording:

=========  ============================================================  ==========================
type       answer                                                        stored as
=========  ============================================================  ==========================
single     one option                                                    option code
multiple   several options (问卷星: ``A┋B`` or one 0/1 column each)       one row per chosen option
scale      one point of an ordered scale (the codes are the scores)      option code
numeric    a number, optionally bounded (``min``, ``max``, ``not_above``)  value_num
text       free text                                                     value_text
matrix     one answer per row (``rows``); ``cell`` is single, multiple   row key + as the cell type
           or numeric
=========  ============================================================  ==========================

Options carry ``code`` (1-based, the number 问卷星 exports in 按序号 mode), ``key`` (ASCII), ``zh``, ``en`` and
optionally ``printed_zh`` (a misprinted label accepted as an alias on import). A question may carry ``role``
(``firm_name``, ``uscc``, ``sector``, ``size``, ``ownership``, ``outlook``, ``subfields``), ``when`` (asked only of
one sector: answers from other sectors must be ``(跳过)``), ``required`` (default true) and ``block`` (a repeated
group such as the scarce-post block: ``{name: post, instance: 1, field: level}``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from industry_brain._core.errors import InputError, NotFoundError

QUESTION_TYPES = ("single", "multiple", "scale", "numeric", "text", "matrix")
CELL_TYPES = ("single", "multiple", "numeric")
ROLES = ("firm_name", "uscc", "sector", "size", "ownership", "outlook", "subfields")


def normalise_label(text: str) -> str:
    """NFKC, no spaces: the form labels are compared in (全角/半角 and stray spaces do not matter)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Option:
    code: int
    key: str
    zh: str
    en: str
    printed_zh: str | None = None

    def label(self, lang: str = "zh-CN") -> str:
        return self.en if lang == "en" else self.zh

    def to_dict(self) -> dict[str, Any]:
        out = {"code": self.code, "key": self.key, "zh": self.zh, "en": self.en}
        if self.printed_zh:
            out["printed_zh"] = self.printed_zh
        return out


@dataclass(frozen=True)
class Question:
    id: str
    number: int
    type: str
    zh: str
    en: str
    options: tuple[Option, ...] = ()
    rows: tuple[Option, ...] = ()
    cell: str | None = None
    role: str | None = None
    when: dict[str, str] | None = None
    required: bool = True
    block: dict[str, Any] | None = None
    min: float | None = None
    max: float | None = None
    not_above: str | None = None
    sum_equals: str | None = None
    coding_zh: str | None = None
    _by_label: dict[str, Option] = field(default_factory=dict, compare=False, repr=False)
    _rows_by_label: dict[str, Option] = field(default_factory=dict, compare=False, repr=False)

    @property
    def answer_type(self) -> str:
        """The type of one answer cell: the matrix's ``cell`` for matrices, else the question type."""
        return self.cell if self.type == "matrix" and self.cell else self.type

    def option(self, key: str) -> Option:
        for opt in self.options:
            if opt.key == key:
                return opt
        raise NotFoundError(f"question {self.id!r} has no option {key!r}", question=self.id, option=key)

    def option_by_code(self, code: int) -> Option | None:
        for opt in self.options:
            if opt.code == code:
                return opt
        return None

    def option_by_label(self, label: str) -> Option | None:
        return self._by_label.get(normalise_label(label))

    def row(self, key: str) -> Option:
        for r in self.rows:
            if r.key == key:
                return r
        raise NotFoundError(f"question {self.id!r} has no row {key!r}", question=self.id, row=key)

    def row_by_label(self, label: str) -> Option | None:
        return self._rows_by_label.get(normalise_label(label))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "number": self.number,
            "type": self.type,
            "zh": self.zh,
            "en": self.en,
        }
        if self.options:
            out["options"] = [o.to_dict() for o in self.options]
        if self.rows:
            out["rows"] = [r.to_dict() for r in self.rows]
        for name in ("cell", "role", "when", "block", "min", "max", "not_above", "sum_equals", "coding_zh"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if not self.required:
            out["required"] = False
        return out


@dataclass(frozen=True)
class Survey:
    id: str
    year: int
    zh: str
    en: str
    questions: tuple[Question, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise NotFoundError(f"survey {self.id!r} has no question {qid!r}", survey=self.id, question=qid)

    def by_number(self, number: int) -> Question | None:
        for q in self.questions:
            if q.number == number:
                return q
        return None

    def by_role(self, role: str) -> list[Question]:
        return [q for q in self.questions if q.role == role]

    def role(self, role: str) -> Question | None:
        found = self.by_role(role)
        return found[0] if found else None

    def block_fields(self, name: str) -> dict[str, list[Question]]:
        """For a repeated block: field → its questions, one per instance (in instance order)."""
        out: dict[str, list[Question]] = {}
        for q in self.questions:
            if q.block and q.block.get("name") == name:
                out.setdefault(str(q.block["field"]), []).append(q)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "year": self.year,
            "zh": self.zh,
            "en": self.en,
            **self.meta,
            "questions": [q.to_dict() for q in self.questions],
        }


def _options(raw: Any, where: str) -> tuple[Option, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise InputError(f"{where}: options must be a list, got {type(raw).__name__}", field=where)
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InputError(f"{where}[{i}]: an option must be a mapping, got {item!r}", field=where)
        try:
            out.append(
                Option(
                    int(item["code"]),
                    str(item["key"]),
                    str(item["zh"]),
                    str(item.get("en") or item["zh"]),
                    str(item["printed_zh"]) if item.get("printed_zh") else None,
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(
                f"{where}[{i}]: option {item!r} needs code (integer), key and zh", field=where
            ) from exc
    codes = [o.code for o in out]
    keys = [o.key for o in out]
    if len(set(codes)) != len(codes) or len(set(keys)) != len(keys):
        raise InputError(f"{where}: option codes and keys must be unique, got codes {codes!r}", field=where)
    return tuple(out)


def _label_index(options: tuple[Option, ...]) -> dict[str, Option]:
    index: dict[str, Option] = {}
    for o in options:
        for label in (o.zh, o.en, o.printed_zh):
            if label:
                index.setdefault(normalise_label(label), o)
    return index


def survey_from_dict(data: Any, source: str = "<survey>") -> Survey:
    """Build and check a :class:`Survey` from a parsed YAML mapping; problems raise :class:`InputError`."""
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise InputError(f"{source}: a survey definition is a mapping with a list of questions", file=source)
    questions: list[Question] = []
    for i, raw in enumerate(data["questions"]):
        where = f"{source}: questions[{i}]"
        if not isinstance(raw, dict):
            raise InputError(f"{where}: expected a mapping, got {raw!r}", file=source)
        qtype = raw.get("type")
        if qtype not in QUESTION_TYPES:
            raise InputError(
                f"{where}: type {qtype!r}, expected one of {', '.join(QUESTION_TYPES)}", file=source
            )
        cell = raw.get("cell")
        if qtype == "matrix" and cell not in CELL_TYPES:
            raise InputError(
                f"{where}: matrix cell {cell!r}, expected one of {', '.join(CELL_TYPES)}", file=source
            )
        role = raw.get("role")
        if role is not None and role not in ROLES:
            raise InputError(f"{where}: role {role!r}, expected one of {', '.join(ROLES)}", file=source)
        options = _options(raw.get("options"), f"{where}.options")
        rows = _options(raw.get("rows"), f"{where}.rows")
        answer_type = cell if qtype == "matrix" else qtype
        if answer_type in ("single", "multiple", "scale") and not options:
            raise InputError(f"{where}: a {answer_type} question needs options", file=source)
        if qtype == "matrix" and not rows:
            raise InputError(f"{where}: a matrix question needs rows", file=source)
        try:
            q = Question(
                id=str(raw["id"]),
                number=int(raw.get("number", i + 1)),
                type=qtype,
                zh=str(raw["zh"]),
                en=str(raw.get("en") or raw["zh"]),
                options=options,
                rows=rows,
                cell=cell,
                role=role,
                when=dict(raw["when"]) if raw.get("when") else None,
                required=bool(raw.get("required", True)),
                block=dict(raw["block"]) if raw.get("block") else None,
                min=float(raw["min"]) if raw.get("min") is not None else None,
                max=float(raw["max"]) if raw.get("max") is not None else None,
                not_above=raw.get("not_above"),
                sum_equals=raw.get("sum_equals"),
                coding_zh=raw.get("coding_zh"),
                _by_label=_label_index(options),
                _rows_by_label=_label_index(rows),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{where}: needs id, zh and an integer number ({exc})", file=source) from exc
        questions.append(q)
    ids = [q.id for q in questions]
    numbers = [q.number for q in questions]
    if len(set(ids)) != len(ids) or len(set(numbers)) != len(numbers):
        raise InputError(f"{source}: question ids and numbers must be unique", file=source)
    sectors = [q for q in questions if q.role == "sector"]
    if len(sectors) != 1 or sectors[0].type != "single":
        raise InputError(f"{source}: exactly one single-choice question must have role 'sector'", file=source)
    for q in questions:
        for bound in (q.not_above, q.sum_equals):
            if bound and bound not in ids:
                raise InputError(
                    f"{source}: question {q.id!r} refers to unknown question {bound!r}", file=source
                )
        for key in (q.when or {}).values():
            if key not in {o.key for o in sectors[0].options}:
                raise InputError(
                    f"{source}: question {q.id!r} asks sector {key!r}, not an option of the sector question",
                    file=source,
                )
    meta = {k: v for k, v in data.items() if k not in ("id", "year", "zh", "en", "questions")}
    try:
        return Survey(
            id=str(data["id"]),
            year=int(data.get("year", 0)),
            zh=str(data.get("zh", data["id"])),
            en=str(data.get("en", data["id"])),
            questions=tuple(questions),
            meta=meta,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{source}: a survey needs an id and an integer year", file=source) from exc


def available_surveys() -> list[str]:
    """Ids of the survey definitions shipped with the package."""
    folder = resources.files("industry_brain.talent") / "_data"
    return sorted(
        e.name[:-5]
        for e in folder.iterdir()
        if e.name.endswith(".yaml") and not e.name.endswith("-published.yaml")
    )


@lru_cache(maxsize=8)
def _load_shipped(survey_id: str) -> Survey:
    import yaml

    text = (resources.files("industry_brain.talent") / "_data" / f"{survey_id}.yaml").read_text(
        encoding="utf-8"
    )
    return survey_from_dict(yaml.safe_load(text), f"{survey_id}.yaml")


def load_survey(name: str | Path) -> Survey:
    """A shipped definition by id (``hangzhou-2018``) or a YAML file by path."""
    import yaml

    if str(name) in available_surveys():
        return _load_shipped(str(name))
    path = Path(name)
    if path.suffix.lower() not in (".yaml", ".yml") or not path.exists():
        raise NotFoundError(
            f"no survey {str(name)!r}: expected one of {', '.join(available_surveys())} or a .yaml file",
            survey=str(name),
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"{path.name}: not valid UTF-8 YAML ({exc})", file=str(path)) from exc
    return survey_from_dict(data, path.name)


def published_figures(survey_id: str) -> dict[str, Any]:
    """The figures a document printed about this survey (empty when none ship with the package)."""
    import yaml

    entry = resources.files("industry_brain.talent") / "_data" / f"{survey_id}-published.yaml"
    if not entry.is_file():
        return {"survey": survey_id, "figures": []}
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {"survey": survey_id, "figures": []}
