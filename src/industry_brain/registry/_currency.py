"""Currencies of registered capital: how registers spell them and the rate that converts each to 元 (CNY).

The table (``_data/currencies.json``) is built by ``scripts/build_currency_rates.py`` from the ECB's euro reference
rates of one basis date, the irrevocable conversion rates of the currencies the euro replaced, and the pataca's peg;
every rate carries its basis, which the portrait and the API show beside the converted amount.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Currency:
    """One currency: ISO code, names, the 元 one unit is worth (None: not converted) and why."""

    code: str
    name_zh: str
    name_en: str
    cny_per_unit: float | None
    basis_en: str
    basis_zh: str

    def basis(self, lang: str = "zh") -> str:
        return self.basis_zh if lang == "zh" else self.basis_en

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name_zh if lang == "zh" else self.name_en,
            "cny_per_unit": self.cny_per_unit,
            "basis": self.basis(lang),
        }


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    text = (resources.files("industry_brain.registry") / "_data" / "currencies.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def currencies() -> dict[str, Currency]:
    """Every currency of the table by ISO code."""
    return {
        code: Currency(code, e["zh"], e["en"], e["cny_per_unit"], e["basis"], e["basis_zh"])
        for code, e in _table()["currencies"].items()
    }


@lru_cache(maxsize=1)
def spellings() -> list[tuple[str, str]]:
    """(spelling, ISO code), longest spelling first, so that 澳门元 is read before 澳元 and 瑞士法郎 before 法郎."""
    pairs = [(s.lower(), code) for code, e in _table()["currencies"].items() for s in e["spellings"]]
    return sorted(set(pairs), key=lambda kv: (-len(kv[0]), kv[0]))


def currency(code: str | None) -> Currency | None:
    """The currency of ISO ``code``; None when the table does not know it."""
    return currencies().get(code or "")


def rates_basis_date() -> str:
    """The basis date of the table's market rates (ISO date)."""
    return str(_table()["basis_date"])


def cny_rates() -> dict[str, float]:
    """ISO code → 元 per unit, for the currencies that are converted."""
    return {c.code: c.cny_per_unit for c in currencies().values() if c.cny_per_unit is not None}
