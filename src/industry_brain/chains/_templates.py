"""Chain templates (产业链图谱模板): a chain is ordered segments — 上游 / 中游 / 下游 — each with the high-tech fields
and the keywords that place an enterprise on it, and the seed sentence it comes from (or ``editorial``).

Templates are data a bureau edits. The packaged ones (``_data/templates/*.yaml``) are read first; a template of
the same code under ``<IB_HOME>/chains/templates/`` replaces the packaged one. Both YAML and XLSX (Chinese headers,
two sheets: 产业链 and 环节) are read and written; loading checks every template strictly and a bad one is refused
with the file, sheet, row and field named.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain.taxonomy import field as taxonomy_field
from industry_brain.taxonomy import future_industries

STAGES = ("upstream", "midstream", "downstream")
STAGE_NAMES = {"upstream": ("上游", "Upstream"), "midstream": ("中游", "Midstream"), "downstream": ("下游", "Downstream")}
_STAGE_ALIASES = {"上游": "upstream", "中游": "midstream", "下游": "downstream"}


@dataclass(frozen=True)
class Source:
    """Where a chain or segment comes from: a line of the seed and the sentence printed there."""

    line: int
    quote: str


@dataclass(frozen=True)
class Segment:
    code: str
    stage: str
    name_zh: str
    name_en: str
    fields: tuple[str, ...] = ()
    keywords: tuple[tuple[str, float], ...] = ()
    source: Source | None = None          # None: the project's (or the bureau's) editorial choice
    trade: bool = False                   # a distribution segment: its keywords count in trade clauses

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang.startswith("en") else self.name_zh

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.code, "stage": self.stage, "name_zh": self.name_zh, "name_en": self.name_en,
                             "fields": list(self.fields), "keywords": dict(self.keywords),
                             "source": asdict(self.source) if self.source else None, "editorial": self.source is None,
                             "trade": self.trade}
        if lang:
            d["name"] = self.name(lang)
            d["stage_name"] = STAGE_NAMES[self.stage][0 if lang == "zh" else 1]
        return d


@dataclass(frozen=True)
class Chain:
    code: str
    name_zh: str
    name_en: str
    segments: tuple[Segment, ...]
    identity: tuple[tuple[str, float], ...] = ()       # phrases that make a firm part of the chain
    identity_fields: tuple[str, ...] = ()              # field codes that do the same
    future_industry: str | None = None                 # a taxonomy future-industry tag that does the same
    source: Source | None = None
    origin: str = "packaged"                           # packaged | the file it was read from
    ignore: tuple[str, ...] = ()                       # phrases that look like the chain's but are not (发酵设备)

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang.startswith("en") else self.name_zh

    def segment(self, code: str) -> Segment:
        for s in self.segments:
            if s.code == code:
                return s
        raise NotFoundError(f"chain {self.code!r} has no segment {code!r}", chain=self.code, segment=code)

    def neighbours(self, code: str) -> tuple[list[Segment], list[Segment]]:
        """(suppliers, customers) of a segment: the segments of the stage before and after its own."""
        s = self.segment(code)
        i = STAGES.index(s.stage)
        before = [x for x in self.segments if i > 0 and x.stage == STAGES[i - 1]]
        after = [x for x in self.segments if i < 2 and x.stage == STAGES[i + 1]]
        return before, after

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"code": self.code, "name_zh": self.name_zh, "name_en": self.name_en,
                **({"name": self.name(lang)} if lang else {}),
                "future_industry": self.future_industry, "identity": dict(self.identity),
                "identity_fields": list(self.identity_fields), "ignore": list(self.ignore),
                "source": asdict(self.source) if self.source else None, "origin": self.origin,
                "segments": [s.to_dict(lang) for s in self.segments]}

    def to_yaml_data(self) -> dict[str, Any]:
        """The template as its YAML file holds it."""
        d: dict[str, Any] = {"code": self.code, "name_zh": self.name_zh, "name_en": self.name_en}
        if self.future_industry:
            d["future_industry"] = self.future_industry
        if self.source:
            d["source"] = asdict(self.source)
        d["identity"] = dict(self.identity)
        if self.identity_fields:
            d["identity_fields"] = list(self.identity_fields)
        if self.ignore:
            d["ignore"] = list(self.ignore)
        segs = []
        for s in self.segments:
            e: dict[str, Any] = {"code": s.code, "stage": s.stage, "name_zh": s.name_zh, "name_en": s.name_en}
            if s.source:
                e["source"] = asdict(s.source)
            else:
                e["editorial"] = True
            if s.trade:
                e["trade"] = True
            e["fields"] = list(s.fields)
            e["keywords"] = dict(s.keywords)
            segs.append(e)
        d["segments"] = segs
        return d


# ---------------------------------------------------------------------------------------------------- parsing
def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _weights(where: str, value: Any, problems: list[str]) -> tuple[tuple[str, float], ...]:
    if value in (None, ""):
        return ()
    if not isinstance(value, dict):
        problems.append(f"{where}: expected phrase: weight pairs, got {value!r}")
        return ()
    out: dict[str, float] = {}
    for raw, w in value.items():
        phrase = _norm(str(raw))
        if len(phrase) < 2:
            problems.append(f"{where}: phrase {raw!r} needs at least two characters")
        elif isinstance(w, bool) or not isinstance(w, int | float) or not 0 < float(w) <= 5:
            problems.append(f"{where}: weight of {raw!r} is {w!r}, expected a number in (0, 5]")
        elif phrase in out:
            problems.append(f"{where}: phrase {raw!r} appears twice")
        else:
            out[phrase] = float(w)
    return tuple(out.items())


def _fields(where: str, value: Any, problems: list[str]) -> tuple[str, ...]:
    codes = [str(v).strip() for v in (value or [])]
    for c in codes:
        try:
            taxonomy_field(c)
        except (LookupError, NotFoundError):
            problems.append(f"{where}: {c!r} is not a code of the 2016 high-tech field list")
    return tuple(codes)


def _source(where: str, value: Any, problems: list[str]) -> Source | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("line"), int) or not str(value.get("quote", "")).strip():
        problems.append(f"{where}: source needs a line number and the quoted sentence, got {value!r}")
        return None
    return Source(int(value["line"]), str(value["quote"]).strip())


def parse_template(data: Any, origin: str = "packaged") -> Chain:
    """Check and build one chain from its YAML mapping; every problem is listed in one :class:`InputError`."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise InputError(f"{origin}: expected a mapping with code, name_zh, segments …, got {type(data).__name__}",
                         file=origin)
    code = str(data.get("code") or "").strip()
    if not code or not code.replace("_", "").isalnum() or not code.isascii():
        problems.append(f"code {code!r}: expected an ASCII identifier such as vr or life_health")
    for key in ("name_zh", "name_en"):
        if not str(data.get(key) or "").strip():
            problems.append(f"{key} is empty")
    future = data.get("future_industry")
    known = {i.code for i in future_industries()}
    if future is not None and future not in known:
        problems.append(f"future_industry {future!r}: expected one of {', '.join(sorted(known))}")
    segments: list[Segment] = []
    seen: set[str] = set()
    raw_segments = data.get("segments")
    if not isinstance(raw_segments, list) or not raw_segments:
        problems.append("segments: expected a list of at least one segment")
        raw_segments = []
    for i, s in enumerate(raw_segments, start=1):
        where = f"segment {i}"
        if not isinstance(s, dict):
            problems.append(f"{where}: expected a mapping, got {s!r}")
            continue
        scode = str(s.get("code") or "").strip()
        where = f"segment {i} ({scode or '?'})"
        if not scode or not scode.replace("_", "").isalnum() or not scode.isascii():
            problems.append(f"{where}: code {scode!r} is not an ASCII identifier")
        if scode in seen:
            problems.append(f"{where}: code {scode!r} appears twice")
        seen.add(scode)
        stage = _STAGE_ALIASES.get(str(s.get("stage") or "").strip(), str(s.get("stage") or "").strip())
        if stage not in STAGES:
            problems.append(f"{where}: stage {s.get('stage')!r}: expected upstream/midstream/downstream (上游/中游/下游)")
        for key in ("name_zh", "name_en"):
            if not str(s.get(key) or "").strip():
                problems.append(f"{where}: {key} is empty")
        src = _source(where, s.get("source"), problems)
        if src is None and not s.get("editorial"):
            problems.append(f"{where}: give the seed sentence (source: line, quote) or mark it editorial: true")
        keywords = _weights(f"{where} keywords", s.get("keywords"), problems)
        if not keywords:
            problems.append(f"{where}: keywords: at least one phrase is needed to place firms on it")
        segments.append(Segment(scode, stage, str(s.get("name_zh") or "").strip(), str(s.get("name_en") or "").strip(),
                                _fields(f"{where} fields", s.get("fields"), problems), keywords, src,
                                bool(s.get("trade"))))
    identity = _weights("identity", data.get("identity"), problems)
    if not identity and future is None and not data.get("identity_fields"):
        problems.append("identity: give the phrases (or identity_fields / future_industry) that make a firm part of the chain")
    ignore = data.get("ignore") or []
    if not isinstance(ignore, list) or any(len(_norm(str(x))) < 2 for x in ignore):
        problems.append(f"ignore: expected a list of phrases of at least two characters, got {ignore!r}")
        ignore = []
    chain = Chain(code, str(data.get("name_zh") or "").strip(), str(data.get("name_en") or "").strip(), tuple(segments),
                  identity, _fields("identity_fields", data.get("identity_fields"), problems), future,
                  _source("chain", data.get("source"), problems), origin, tuple(_norm(str(x)) for x in ignore))
    if problems:
        raise InputError(f"chain template {origin}: {len(problems)} problem(s): " + "; ".join(problems), file=origin,
                         problems=problems)
    return chain


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read chain template {path.name}: {exc}", file=path.name) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"chain template {path.name} is not valid YAML: {exc}", file=path.name) from exc


# ------------------------------------------------------------------------------------------------- the catalogue
@cache
def packaged_chains() -> tuple[Chain, ...]:
    folder = resources.files(__package__).joinpath("_data/templates")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = yaml.load(entry.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            out.append(parse_template(data, "packaged"))
    order = {i.code: n for n, i in enumerate(future_industries())}
    return tuple(sorted(out, key=lambda c: (order.get(c.code, len(order)), c.code)))


def user_folder() -> Path:
    from industry_brain._core.settings import get_settings

    return get_settings().home / "chains" / "templates"


def chains(folder: Path | None = None) -> tuple[Chain, ...]:
    """Every chain: the packaged templates, each replaced by the bureau's own of the same code, then the bureau's
    new ones."""
    base = {c.code: c for c in packaged_chains()}
    extra: dict[str, Chain] = {}
    where = folder or user_folder()
    if where.is_dir():
        for path in sorted(where.glob("*.yaml")):
            c = parse_template(_read_yaml(path), str(path.name))
            (base if c.code in base else extra)[c.code] = c
    return (*base.values(), *extra.values())


def chain(code: str, folder: Path | None = None) -> Chain:
    for c in chains(folder):
        if c.code == code:
            return c
    known = ", ".join(c.code for c in chains(folder))
    raise NotFoundError(f"no chain {code!r}: expected one of {known}", chain=code)


def templates_digest(all_chains: tuple[Chain, ...]) -> str:
    """A digest of the templates in use (placements are recomputed when it changes)."""
    text = json.dumps([c.to_yaml_data() for c in all_chains], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# ------------------------------------------------------------------------------------------- import and export
CHAIN_SHEET, SEGMENT_SHEET = "产业链", "环节"
CHAIN_HEADERS = ("产业链代码", "中文名称", "英文名称", "未来产业", "身份关键词", "身份领域", "排除词", "出处行", "出处原文")
SEGMENT_HEADERS = ("产业链代码", "环节代码", "阶段", "中文名称", "英文名称", "技术领域", "关键词", "出处行", "出处原文",
                   "流通环节")


def _kw_text(pairs: tuple[tuple[str, float], ...]) -> str:
    return "；".join(f"{p}:{w:g}" for p, w in pairs)


def _kw_parse(text: str, where: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in (p.strip() for p in str(text or "").replace(";", "；").split("；")):
        if not part:
            continue
        phrase, _, weight = part.replace("：", ":").rpartition(":")
        if not phrase:
            phrase, weight = weight, "1"
        try:
            out[phrase.strip()] = float(weight)
        except ValueError as exc:
            raise InputError(f"{where}: {part!r}: expected phrase:weight, e.g. 近眼显示:2", field="关键词",
                             value=part) from exc
    return out


def export_templates(path: str | Path, selected: tuple[Chain, ...]) -> Path:
    """Write templates as YAML (one document per chain) or XLSX (sheets 产业链 and 环节, Chinese headers)."""
    from industry_brain._core.cells import openpyxl_row
    from industry_brain._core.errors import writing

    p = Path(path)
    if p.suffix.lower() in (".yaml", ".yml"):
        with writing(p):
            p.write_text(yaml.safe_dump_all([c.to_yaml_data() for c in selected], allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
        return p
    if p.suffix.lower() != ".xlsx":
        raise InputError(f"{p.name}: expected a .yaml or .xlsx file to export chain templates", file=p.name)
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(CHAIN_SHEET)
    ws.append(list(CHAIN_HEADERS))
    for c in selected:
        ws.append(openpyxl_row(ws, (c.code, c.name_zh, c.name_en, c.future_industry or "", _kw_text(c.identity),
                                    "；".join(c.identity_fields), "；".join(c.ignore),
                                    c.source.line if c.source else None, c.source.quote if c.source else "")))
    seg = wb.create_sheet(SEGMENT_SHEET)
    seg.append(list(SEGMENT_HEADERS))
    for c in selected:
        for s in c.segments:
            seg.append(openpyxl_row(seg, (c.code, s.code, STAGE_NAMES[s.stage][0], s.name_zh, s.name_en,
                                          "；".join(s.fields), _kw_text(s.keywords),
                                          s.source.line if s.source else None,
                                          s.source.quote if s.source else "编辑选择", "是" if s.trade else "")))
    with writing(p):
        wb.save(p)
    return p


def read_templates(path: str | Path) -> tuple[Chain, ...]:
    """Read (and check) templates from a YAML or XLSX file; nothing is saved."""
    p = Path(path)
    if p.suffix.lower() in (".yaml", ".yml"):
        try:
            docs = list(yaml.load_all(p.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise InputError(f"{p.name}: cannot read chain templates: {exc}", file=p.name) from exc
        return tuple(parse_template(d, p.name) for d in docs if d is not None)
    if p.suffix.lower() != ".xlsx":
        raise InputError(f"{p.name}: expected a .yaml or .xlsx file of chain templates", file=p.name)
    return _read_xlsx(p)


def _read_xlsx(p: Path) -> tuple[Chain, ...]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise InputError(f"{p.name}: not a readable XLSX workbook ({exc})", file=p.name) from exc
    for sheet in (CHAIN_SHEET, SEGMENT_SHEET):
        if sheet not in wb.sheetnames:
            raise InputError(f"{p.name}: sheet {sheet!r} is missing (sheets: {', '.join(wb.sheetnames)})", file=p.name,
                             sheet=sheet)

    def rows(sheet: str, headers: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
        got = list(wb[sheet].iter_rows(values_only=True))
        if not got:
            raise InputError(f"{p.name} sheet {sheet}: empty, expected the header row {', '.join(headers)}",
                             file=p.name, sheet=sheet)
        head = [str(h or "").strip() for h in got[0]]
        missing = [h for h in headers if h not in head]
        if missing:
            raise InputError(f"{p.name} sheet {sheet}: columns missing: {', '.join(missing)}", file=p.name, sheet=sheet,
                             missing=missing)
        return [(n, {h: r[head.index(h)] if head.index(h) < len(r) else None for h in headers})
                for n, r in enumerate(got[1:], start=2) if any(v not in (None, "") for v in r)]

    def split(v: Any) -> list[str]:
        return [x.strip() for x in str(v or "").replace(";", "；").split("；") if x.strip()]

    def source(line: Any, quote: Any, where: str) -> dict[str, Any] | None:
        if line in (None, ""):
            return None
        try:
            return {"line": int(line), "quote": str(quote or "")}
        except (TypeError, ValueError) as exc:
            raise InputError(f"{where} 出处行: {line!r} is not a line number", field="出处行", value=line) from exc

    data: dict[str, dict[str, Any]] = {}
    for n, r in rows(CHAIN_SHEET, CHAIN_HEADERS):
        where = f"{p.name} sheet {CHAIN_SHEET} row {n}"
        code = str(r["产业链代码"] or "").strip()
        data[code] = {"code": code, "name_zh": r["中文名称"], "name_en": r["英文名称"],
                      "future_industry": str(r["未来产业"]).strip() if r["未来产业"] else None,
                      "identity": _kw_parse(r["身份关键词"], where), "identity_fields": split(r["身份领域"]),
                      "ignore": split(r["排除词"]),
                      "source": source(r["出处行"], r["出处原文"], where), "segments": [], "_row": n}
    for n, r in rows(SEGMENT_SHEET, SEGMENT_HEADERS):
        where = f"{p.name} sheet {SEGMENT_SHEET} row {n}"
        code = str(r["产业链代码"] or "").strip()
        if code not in data:
            raise InputError(f"{where} 产业链代码: {code!r} is not a chain of sheet {CHAIN_SHEET}", file=p.name,
                             sheet=SEGMENT_SHEET, row=n, field="产业链代码", value=code)
        src = source(r["出处行"], r["出处原文"], where)
        data[code]["segments"].append({
            "code": str(r["环节代码"] or "").strip(), "stage": str(r["阶段"] or "").strip(), "name_zh": r["中文名称"],
            "name_en": r["英文名称"], "fields": split(r["技术领域"]), "keywords": _kw_parse(r["关键词"], where),
            "source": src, "editorial": src is None, "trade": str(r["流通环节"] or "").strip() in ("是", "yes", "true", "1"),
            "_row": n})
    out = []
    for code, d in data.items():
        try:
            out.append(parse_template({k: v for k, v in d.items() if k != "_row"}, f"{p.name} ({code})"))
        except InputError as exc:
            raise InputError(f"{p.name} sheet {CHAIN_SHEET} row {d['_row']} (segments on sheet {SEGMENT_SHEET} rows "
                             f"{', '.join(str(s['_row']) for s in d['segments']) or '–'}): {exc.message}",
                             file=p.name, sheet=CHAIN_SHEET, row=d["_row"]) from exc
    return tuple(out)


def save_templates(selected: tuple[Chain, ...], folder: Path | None = None) -> list[Path]:
    """Store a bureau's templates (they replace packaged ones of the same code)."""
    where = folder or user_folder()
    where.mkdir(parents=True, exist_ok=True)
    paths = []
    for c in selected:
        path = where / f"{c.code}.yaml"
        path.write_text(yaml.safe_dump(c.to_yaml_data(), allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


