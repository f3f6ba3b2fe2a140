"""Column headers: Chinese synonyms kept as data (``_data/headers.json``), the header row found among title and
note rows, and a mapping file (YAML or JSON: source header → field) for anything else."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from industry_brain._core.errors import InputError

#: Canonical fields a list can carry, in the order reports show them.
FIELDS: tuple[str, ...] = (
    "name",
    "uscc",
    "district",
    "field",
    "hightech_year",
    "hightech_cert_no",
    "address",
    "business_scope",
    "capital",
    "registered_on",
    "entity_type",
    "listed",
    "startup",
    "province",
    "city",
)
#: A header row must name at least these, or the file is not an enterprise list.
REQUIRED: tuple[str, ...] = ("name", "uscc")
HEADER_SCAN_ROWS = 30

_BRACKETS = re.compile(r"[(\[【〔][^)\]】〕]*[)\]】〕]")


@lru_cache(maxsize=1)
def header_data() -> dict[str, Any]:
    text = (resources.files("industry_brain.registry") / "_data" / "headers.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def normalise_header(text: object) -> str:
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return "".join(ch for ch in s if not ch.isspace() and ch not in "*＊:：").lower()


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for fld, names in header_data()["fields"].items():
        for name in names:
            table.setdefault(normalise_header(name), fld)
    return table


def field_for_header(header: object) -> str | None:
    """The canonical field a header names, or None."""
    key = normalise_header(header)
    if not key:
        return None
    table = _synonyms()
    if key in table:
        return table[key]
    stripped = _BRACKETS.sub("", key)
    return table.get(stripped) if stripped else None


@dataclass(frozen=True)
class ColumnMap:
    """Which source column feeds which field; unmapped columns are kept verbatim in ``extra``."""

    headers: tuple[str, ...]
    fields: dict[int, str]  # column index -> canonical field

    def to_dict(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for i, h in enumerate(self.headers):
            out[h or f"column_{i + 1}"] = self.fields.get(i)
        return out

    def index_of(self, fld: str) -> int | None:
        for i, f in self.fields.items():
            if f == fld:
                return i
        return None

    @property
    def extra(self) -> list[int]:
        return [i for i in range(len(self.headers)) if i not in self.fields]


def map_columns(headers: list[str], mapping: dict[str, str | None] | None = None) -> ColumnMap:
    """Map headers to fields: the mapping file first, then the synonyms; the first column wins a field."""
    fields: dict[int, str] = {}
    taken: set[str] = set()
    explicit = {normalise_header(k): v for k, v in (mapping or {}).items()}
    for i, h in enumerate(headers):
        key = normalise_header(h)
        fld = explicit[key] if key in explicit else field_for_header(h)
        if fld is not None and fld not in taken:
            fields[i] = fld
            taken.add(fld)
    clean = tuple(unicodedata.normalize("NFKC", "" if h is None else str(h)).strip() for h in headers)
    return ColumnMap(clean, fields)


def header_score(cells: list[object], mapping: dict[str, str | None] | None = None) -> int:
    cm = map_columns([("" if c is None else str(c)) for c in cells], mapping)
    return len(cm.fields)


def find_header(rows: list[list[object]], mapping: dict[str, str | None] | None = None) -> int | None:
    """Index of the header row among the first rows: the one naming the most fields, with name and code."""
    best, best_score = None, 1
    for i, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        cm = map_columns([("" if c is None else str(c)) for c in cells], mapping)
        have = set(cm.fields.values())
        if not set(REQUIRED) <= have:
            continue
        if len(have) > best_score:
            best, best_score = i, len(have)
    return best


def describe_missing(rows: list[list[object]], mapping: dict[str, str | None] | None = None) -> str:
    """The closest header candidate and what it lacks, for the 'no recognisable header' error."""
    best: tuple[int, list[str], set[str]] | None = None
    for cells in rows[:HEADER_SCAN_ROWS]:
        texts = [("" if c is None else str(c)) for c in cells]
        have = set(map_columns(texts, mapping).fields.values())
        if best is None or len(have) > len(best[2]):
            best = (len(have), texts, have)
    if best is None:
        return "no rows"
    shown = [t for t in best[1] if t][:12]
    missing = [f for f in REQUIRED if f not in best[2]]
    return f"closest row has headers {shown!r}; missing {missing!r}"


def load_mapping(path: str | Path | None) -> dict[str, str | None] | None:
    """Read a mapping file: a YAML or JSON object ``{source header: field}`` (field null = keep as extra)."""
    if path is None:
        return None
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"mapping file {str(p)!r} not found", file=str(p)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"mapping file {str(p)!r} is unreadable: {exc}", file=str(p)) from exc
    data: Any
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"mapping file {str(p)!r} is not valid JSON: {exc}", file=str(p)) from exc
    else:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InputError(f"mapping file {str(p)!r} is not valid YAML: {exc}", file=str(p)) from exc
    if isinstance(data, dict) and isinstance(data.get("columns"), dict):
        data = data["columns"]
    if not isinstance(data, dict) or not data:
        raise InputError(
            f"mapping file {str(p)!r} must be an object of source header -> field, got {type(data).__name__}",
            file=str(p),
        )
    out: dict[str, str | None] = {}
    for k, v in data.items():
        if v is not None and v not in FIELDS:
            raise InputError(
                f"mapping file {str(p)!r}: header {str(k)!r} maps to {v!r}, expected one of {list(FIELDS)!r} or null",
                file=str(p),
                field=str(k),
                value=v,
            )
        out[str(k)] = v
    return out
