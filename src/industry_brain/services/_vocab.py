"""The platform's vocabulary (``_data/kinds.yaml``): provider kinds and their cues, rating criteria, the rating
prior and the credit rule."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Kind:
    """A provider kind: code, names, and the words of a request that point to it."""

    code: str
    zh: str
    en: str
    cues: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    def name(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The parsed ``kinds.yaml``."""
    text = (resources.files("industry_brain.services") / "_data" / "kinds.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@lru_cache(maxsize=1)
def kinds() -> dict[str, Kind]:
    """Every provider kind by code, in the order of the file."""
    return {
        code: Kind(code, k["zh"], k["en"], tuple(str(c) for c in k.get("cues", ())),
                   tuple(str(a) for a in k.get("aliases", ())))
        for code, k in vocabulary()["kinds"].items()
    }


def kind_code(text: str) -> str | None:
    """The kind a list means by ``text``: its code, Chinese or English name, or one of its aliases (None if none)."""
    t = unicodedata.normalize("NFKC", text).strip()
    low = t.lower()
    for k in kinds().values():
        if low in (k.code, k.en.lower(), k.zh.lower()) or t in k.aliases or low in (a.lower() for a in k.aliases):
            return k.code
    return None


def criteria() -> dict[str, dict[str, str]]:
    """Rating criteria: code → {zh, en}."""
    crit: dict[str, dict[str, str]] = vocabulary()["criteria"]
    return crit
