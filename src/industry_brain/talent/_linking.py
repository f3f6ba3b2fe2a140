"""Linking respondent firms to the enterprise register (table ``enterprise``, see ``0001_registry.sql``).

Order of evidence: the credit code the firm gave (统一社会信用代码, well-formed and present in the register), else
its exact name, else its normalised name (legal-form affixes and brackets removed — the register's own
``normalise_name`` when the registry context exports one, else the rule below). A name that matches more than
one credit code is left unlinked (ambiguous) rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from industry_brain._core.store import Store

_AFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "股份公司", "公司")
_PLACE = ("浙江省", "杭州市", "浙江", "杭州")


def _fallback_normalise(name: str) -> str:
    text = "".join(unicodedata.normalize("NFKC", name).split())
    text = re.sub(r"\([^)]*\)", "", text)
    for affix in _AFFIXES:
        if text.endswith(affix):
            text = text[: -len(affix)]
            break
    for place in _PLACE:
        if text.startswith(place) and len(text) > len(place) + 1:
            text = text[len(place) :]
            break
    return text


def name_normaliser() -> Callable[[str], str]:
    """The register's public name normaliser when it has one, else this context's fallback."""
    try:
        import industry_brain.registry as registry
    except ImportError:  # pragma: no cover - the registry ships with the package
        return _fallback_normalise
    fn = getattr(registry, "normalise_name", None)
    return fn if callable(fn) else _fallback_normalise


@dataclass(frozen=True)
class Link:
    enterprise_uscc: str | None
    method: str  # uscc | name | name_norm | none
    note: str | None = None


def link_firms(store: Store, firms: Sequence[tuple[str | None, str | None]]) -> list[Link]:
    """For each (credit code, name) the register entry it links to, and how."""
    codes = sorted({c for c, _ in firms if c})
    names = sorted({n.strip() for _, n in firms if n and n.strip()})
    if not codes and not names:
        return [Link(None, "none") for _ in firms]
    norm = name_normaliser()
    known: set[str] = set()
    if codes:
        known = {
            r[0]
            for r in store.fetchall("SELECT uscc FROM enterprise WHERE uscc IN (SELECT unnest(?))", [codes])
        }
    by_name: dict[str, set[str]] = {}
    by_norm: dict[str, set[str]] = {}
    if names:
        norms = sorted({norm(n) for n in names} - {""})
        rows = store.fetchall(
            "SELECT uscc, name, name_norm FROM enterprise WHERE name IN (SELECT unnest(?)) "
            "OR name_norm IN (SELECT unnest(?))",
            [names, norms],
        )
        for uscc, name, name_n in rows:
            by_name.setdefault(name, set()).add(uscc)
            by_norm.setdefault(name_n, set()).add(uscc)
    out: list[Link] = []
    for code, name in firms:
        if code and code in known:
            out.append(Link(code, "uscc"))
            continue
        key = name.strip() if name else ""
        exact = by_name.get(key, set())
        if len(exact) == 1:
            out.append(Link(next(iter(exact)), "name"))
            continue
        fuzzy = by_norm.get(norm(key), set()) if key else set()
        if len(fuzzy) == 1 and not exact:
            out.append(Link(next(iter(fuzzy)), "name_norm"))
            continue
        ambiguous = len(exact) > 1 or len(fuzzy) > 1
        out.append(
            Link(None, "none", "ambiguous" if ambiguous else ("code_not_in_register" if code else None))
        )
    return out
