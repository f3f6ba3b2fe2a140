"""The seven future industries of Hangzhou (杭政〔2017〕66号, as the 2019 magazine lists them) and their links
to the 2016 high-tech fields.

Codes: ``ai`` 人工智能, ``vr`` 虚拟现实, ``blockchain`` 区块链, ``quantum`` 量子技术, ``additive`` 增材制造,
``aerospace`` 商用航空航天, ``biotech`` 生物技术和生命科学. The mapping is data
(``_data/future_industries.json``): each link names a level-2 or level-3 field, says why, and whether the field
*implies* membership (``80406`` 增材制造技术 → ``additive``) or is only related (``10701`` 密码技术 supplies both
blockchain and quantum communication; membership then needs the industry's own words in the business scope).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from industry_brain._core.errors import NotFoundError
from industry_brain.taxonomy._fields import field


@dataclass(frozen=True, slots=True)
class FieldLink:
    """A link from a future industry to a level-2/3 high-tech field."""

    field: str
    implies: bool
    why: str


@dataclass(frozen=True, slots=True)
class FutureIndustry:
    """One of the seven future industries. ``fields`` are the linked high-tech field codes (levels 2–3)."""

    code: str
    name_zh: str
    name_en: str
    fields: tuple[str, ...]
    links: tuple[FieldLink, ...] = ()

    def name(self, lang: str = "zh-CN") -> str:
        return self.name_en if lang.lower().startswith("en") else self.name_zh

    def implied_by(self, code: str | None) -> bool:
        """True when an enterprise classified in field ``code`` belongs to this industry by its field alone."""
        if not code:
            return False
        return any(link.implies and code.startswith(link.field) for link in self.links)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "fields": list(self.fields),
            "links": [{"field": k.field, "implies": k.implies, "why": k.why} for k in self.links],
        }


@cache
def _industries() -> tuple[FutureIndustry, ...]:
    raw = json.loads(resources.files(__package__).joinpath("_data/future_industries.json").read_text("utf-8"))
    out = []
    for entry in sorted(raw["industries"], key=lambda e: e["order"]):
        links = tuple(FieldLink(str(k["field"]), bool(k["implies"]), str(k["why"])) for k in entry["links"])
        for link in links:
            field(link.field)  # a link to a code that is not in the 2016 list is a data error
        out.append(
            FutureIndustry(
                entry["code"], entry["name_zh"], entry["name_en"], tuple(k.field for k in links), links
            )
        )
    return tuple(out)


def future_industries() -> tuple[FutureIndustry, ...]:
    """The seven future industries in the magazine's order."""
    return _industries()


def future_industry(code: str) -> FutureIndustry:
    """One future industry by code (``"ai"``) or Chinese name (``"人工智能"``)."""
    key = code.strip().lower() if isinstance(code, str) else code
    for industry in _industries():
        if key in (industry.code, industry.name_zh, industry.name_en.lower()):
            return industry
    raise NotFoundError(
        f"unknown future industry {code!r}: expected one of {', '.join(i.code for i in _industries())}",
        value=code,
    )
