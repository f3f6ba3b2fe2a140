"""The platform over one store: a matcher kept in step with the directory, matches that say why, the reverse
view."""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from industry_brain._core.store import Store
from industry_brain.services._directory import (
    ImportResult,
    get_need,
    get_provider,
    import_needs,
    import_providers,
    needs,
    providers,
)
from industry_brain.services._matching import Match, Matcher, Reputation
from industry_brain.services._reputation import grades, shown_ratings

_cache: dict[str, tuple[tuple[Any, ...], Matcher]] = {}
_cache_lock = threading.Lock()


def _version(store: Store) -> tuple[Any, ...]:
    row = store.fetchone(
        "SELECT (SELECT count(*) FROM service_provider), (SELECT max(updated_at) FROM service_provider),"
        " (SELECT count(*) FROM service_rating), (SELECT count(*) FROM service_credit_event)")
    return tuple(row or ())


def matcher(store: Store) -> Matcher:
    """The matcher for the store's directory: rebuilt when providers change, reputations refreshed on ratings."""
    key = str(store.path) if store.path is not None else f"memory:{id(store.con)}"
    version = _version(store)
    with _cache_lock:
        got = _cache.get(key)
        if got is not None and got[0] == version:
            return got[1]
        rep = reputations(store)
        if got is not None and got[0][:2] == version[:2]:
            got[1].set_reputations(rep)
            m = got[1]
        else:
            m = Matcher(providers(store), rep)
        _cache[key] = (version, m)
        return m


def reputations(store: Store) -> dict[str, Reputation]:
    shown = shown_ratings(store)
    grade = grades(store)
    return {pid: Reputation(shown[pid].shown if pid in shown else None, shown[pid].ratings if pid in shown else 0,
                            grade.get(pid)) for pid in set(shown) | set(grade)}


@dataclass(frozen=True)
class MatchResult:
    need: dict[str, Any]
    matches: list[dict[str, Any]]
    weights: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"need": self.need, "weights": self.weights, "matches": self.matches}


def match_need(store: Store, need_id: str, k: int = 10, lang: str = "zh") -> MatchResult:
    """The ``k`` best providers for a need, each with its provider record and the reasons of its score."""
    need = get_need(store, need_id)
    m = matcher(store)
    out = []
    for hit in m.match(need, k):
        d = hit.to_dict(lang)
        d["provider"] = m.provider(hit.provider_id).to_dict()   # the matcher holds the current directory
        out.append(d)
    return MatchResult(need.to_dict(), out, m.weights)


def match_text(store: Store, text: str, *, field: str | None = None, district: str | None = None,
               k: int = 10) -> list[Match]:
    """Providers for a request not (yet) saved as a need."""
    from industry_brain.services._records import Need

    return matcher(store).match(Need("draft", text, field, district), k)


def needs_for_provider(store: Store, provider_id: str, k: int = 10, lang: str = "zh") -> list[dict[str, Any]]:
    """The reverse: the open needs that fit a provider best."""
    get_provider(store, provider_id)
    open_needs = needs(store, status="open")
    by_id = {n.need_id: n for n in open_needs}
    out = []
    for hit in matcher(store).needs_for(provider_id, open_needs, k):
        d = hit.to_dict(lang)
        d["need"] = by_id[hit.need_id].to_dict()
        out.append(d)
    return out


def _data_file(name: str) -> Path:
    return Path(str(resources.files("industry_brain.services") / "_data" / name))


def load_demo(store: Store) -> dict[str, ImportResult]:
    """Load the synthetic demo directory (180 providers) and its 90 needs (marked synthetic)."""
    return {
        "providers": import_providers(store, _data_file("demo_providers.csv"), synthetic=True),
        "needs": import_needs(store, _data_file("demo_needs.csv"), synthetic=True),
    }


def labelled_needs() -> dict[str, dict[str, int]]:
    """The demo needs' relevant providers with grades (2 ideal, 1 acceptable), as judged when the set was written."""
    out: dict[str, dict[str, int]] = {}
    with _data_file("demo_needs.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["编号"]] = {pid: int(g) for pid, g in (x.split(":") for x in row["相关机构"].split(";") if x)}
    return out


def evaluate_demo() -> dict[str, Any]:
    """The matcher's figures on the labelled demo needs (see :mod:`._evaluation`), on a throw-away store."""
    from industry_brain._core.store import open_store
    from industry_brain.services._evaluation import evaluate

    store = open_store(":memory:")
    try:
        load_demo(store)
        return evaluate(matcher(store), needs(store), labelled_needs())
    finally:
        _cache.pop(f"memory:{id(store.con)}", None)
        store.con.close()
