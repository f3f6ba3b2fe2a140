"""The national key supported high-tech fields (国家重点支持的高新技术领域, 2016): 8 / 52 / 254 entries.

Loaded once from ``_data/hightech_fields.json`` (built by ``scripts/build_taxonomy_data.py``). Codes are the
list's own: 2 digits at level 1 (``"10"`` 电子信息 … ``"80"`` 先进制造与自动化), 3 at level 2 (``"101"`` 软件),
5 at level 3 (``"10101"`` 基础软件). Level-1 slugs are the ASCII keys used across the product
(``electronic_info`` … ``adv_manufacturing``).

:func:`field_from_name` reads the names real lists and the magazine actually print: suffix variants
(电子信息技术, 电子信息领域, 高技术服务业), the older State Council list (新能源及节能技术, 高新技术改造传统产业 →
先进制造与自动化), enumerators (``"八、先进制造与自动化"``), codes, slugs, English names and paths such as
``"电子信息/软件/基础软件"``.
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from industry_brain._core.errors import InputError, NotFoundError

LEVELS = (1, 2, 3)


@dataclass(frozen=True, slots=True)
class Field:
    """One entry of the 2016 list. ``parent`` is the code one level up (``None`` at level 1)."""

    code: str
    level: int
    name_zh: str
    name_en: str
    slug: str
    parent: str | None

    @property
    def l1(self) -> str:
        """The level-1 code this entry belongs to (``"10101"`` → ``"10"``)."""
        return self.code[:2]

    def name(self, lang: str = "zh-CN") -> str:
        return self.name_en if lang.lower().startswith("en") else self.name_zh

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "level": self.level,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "slug": self.slug,
            "parent": self.parent,
        }


@dataclass(frozen=True, slots=True)
class _Table:
    fields: tuple[Field, ...]
    by_code: dict[str, Field]
    by_slug: dict[str, Field]
    by_key: dict[str, Field]  # normalised names, aliases, English names → field


_ENUMERATOR = re.compile(
    r"^(?:第?[一二三四五六七八九十]+[、.．,，:：)）]|[（(](?:[一二三四五六七八九十]+|\d{1,2})[)）]|\d[、.．)）](?!\d))\s*"
)
_CODE_PREFIX = re.compile(r"^(\d{2}|\d{3}|\d{5})(?![\d])\s*[-_.、:：]?\s*(.*)$")
_PATH_SEPARATOR = re.compile(r"\s*(?:/|\\|>|＞|\||—+|－+|-{2,}|→)\s*")
_SUFFIXES = ("技术领域", "领域", "产业", "行业", "技术", "类", "业")
_DROP = re.compile(r"[\s\"'“”‘’《》【】\[\]]")


def _normalise(name: str) -> str:
    """The key a name is compared by: NFKC, no spaces/quotes, 及/和 → 与, common suffixes removed."""
    text = _DROP.sub("", unicodedata.normalize("NFKC", name)).lower()
    text = _ENUMERATOR.sub("", text)
    text = text.replace("及", "与").replace("和", "与")
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if len(text) > len(suffix) + 1 and text.endswith(suffix):
                text = text[: -len(suffix)]
                changed = True
    return text


@cache
def _table() -> _Table:
    raw = json.loads(resources.files(__package__).joinpath("_data/hightech_fields.json").read_text("utf-8"))
    entries = tuple(
        Field(e["code"], e["level"], e["name_zh"], e["name_en"], e["slug"], e["parent"])
        for e in raw["fields"]
    )
    by_code = {f.code: f for f in entries}
    by_slug = {f.slug: f for f in entries}
    by_key: dict[str, Field] = {}
    # Deeper levels first so that a level-1/2 name wins any clash with a longer-coded entry.
    for f, extra in sorted(
        ((by_code[e["code"]], e.get("aliases", [])) for e in raw["fields"]), key=lambda pair: -pair[0].level
    ):
        for name in (f.name_zh, f.name_en, *extra):
            if name:
                by_key[_normalise(name)] = f
    return _Table(entries, by_code, by_slug, by_key)


def fields(level: int | None = None) -> tuple[Field, ...]:
    """All entries in list order, or those of one level (1, 2 or 3)."""
    if level is None:
        return _table().fields
    if level not in LEVELS:
        raise InputError(
            f"level {level!r} is not a level of the 2016 list: expected 1, 2 or 3", field="level"
        )
    return tuple(f for f in _table().fields if f.level == level)


def field(code_or_slug: str) -> Field:
    """The entry with this code (``"10"``, ``"101"``, ``"10101"``) or slug (``"electronic_info"``)."""
    if not isinstance(code_or_slug, str):
        raise NotFoundError(
            f"field code {code_or_slug!r} is not a string: expected a code like '10' or a slug"
        )
    key = unicodedata.normalize("NFKC", code_or_slug).strip()
    table = _table()
    found = table.by_code.get(key) or table.by_slug.get(key.lower())
    if found is None:
        raise NotFoundError(
            f"no high-tech field with code or slug {code_or_slug!r}: expected a code of 2, 3 or 5 digits "
            f"(10–80, 101, 10101 …) or a slug ({', '.join(f.slug for f in fields(1))})",
            value=code_or_slug,
        )
    return found


def children(code: str) -> tuple[Field, ...]:
    """The entries one level below ``code``."""
    parent = field(code).code
    return tuple(f for f in _table().fields if f.parent == parent)


def _lookup(text: str) -> Field | None:
    table = _table()
    stripped = _ENUMERATOR.sub("", unicodedata.normalize("NFKC", text).strip()).strip()
    match = _CODE_PREFIX.match(stripped)
    if match and match.group(1) in table.by_code:
        return table.by_code[match.group(1)]
    if stripped.lower() in table.by_slug:
        return table.by_slug[stripped.lower()]
    return table.by_key.get(_normalise(stripped))


def field_from_name(text: str) -> Field:
    """The entry a printed name, code or path denotes, at whatever level it names.

    Raises :class:`NotFoundError` naming the value and the nearest known names when nothing matches.
    """
    if not isinstance(text, str) or not text.strip():
        raise NotFoundError(
            f"empty high-tech field name {text!r}: expected a name such as '电子信息' or a code"
        )
    found = _lookup(text)
    if found is not None:
        return found
    parts = [p for p in _PATH_SEPARATOR.split(unicodedata.normalize("NFKC", text).strip()) if p]
    if len(parts) > 1:
        resolved = [_lookup(p) for p in parts]
        if all(r is not None for r in resolved):
            chain = [r for r in resolved if r is not None]
            for upper, lower in itertools.pairwise(chain):
                if not lower.code.startswith(upper.code) or lower.level <= upper.level:
                    raise NotFoundError(
                        f"field path {text!r} is inconsistent: {lower.name_zh} ({lower.code}) is not under "
                        f"{upper.name_zh} ({upper.code})",
                        value=text,
                    )
            return chain[-1]
    keys = list(_table().by_key)
    near = difflib.get_close_matches(_normalise(text), keys, n=3, cutoff=0.5)
    hint = "; nearest: " + ", ".join(_table().by_key[k].name_zh for k in near) if near else ""
    raise NotFoundError(
        f"unknown high-tech field {text!r}: expected one of the 2016 list's names "
        f"({'、'.join(f.name_zh for f in fields(1))} or a level-2/3 name) or a code{hint}",
        value=text,
    )
