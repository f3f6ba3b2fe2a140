"""Placing enterprises on chains (企业上链): zero or more (chain, segment) placements per register record, each with
the phrases that decided it and a confidence.

The business scope is read by the field classifier's own machinery — cleaning, clauses, trade/service/making verbs,
jieba with the rule phrases as words, longest-match lookup — given a lexicon of the chains' phrases instead of the
field rules (:meth:`industry_brain.taxonomy.ScopeClassifier.evidence`). The enterprise name is read the same way.

**Rule** (for each chain; parameters in :data:`PARAMS`):

* *segment score* = Σ keyword weight × clause factor over the segment's phrases found in the scope (a trade
  clause counts only for a distribution segment, and fully there), + ``name_factor`` × the weights of phrases in
  the name, + ``field_support`` when the record's high-tech field is one the segment lists;
* *chain identity* = Σ identity phrase weight × clause factor (scope and name), + 1 when the record carries the
  chain's future-industry tag or a field the chain names as its own;
* a record is placed on a segment when its score reaches ``min_segment`` (``min_scope`` of it from the scope) and
  either the identity *from phrases other than the segment's own* reaches ``min_identity`` or the segment's scope
  score alone reaches ``standalone`` (phrases so specific — 3D打印机, 原料药 — that they name the chain);
* a distribution segment (``trade: true``) counts its goods only where they are listed for sale, and places a
  record only when those goods are a main line of what it sells: at least ``trade_min_goods`` of them, or at least
  ``trade_min_share`` of all the items its scope lists (a pharmacy lists its drugs; a general trader lists
  医疗器械 among twenty goods), or when the name carries a phrase of the chain (「…医疗器械有限公司」「…大药房」);
* exclusions in parentheses (「（除药品）」「（不含隐形眼镜）」) are removed before reading;
* confidence = (1 − e^(−score / 2)) × the segment's share of the chain's segment scores of that record.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from industry_brain.chains._templates import Chain
from industry_brain.taxonomy import ScopeClassifier

PARAMS = {"min_segment": 1.0, "min_scope": 1.0, "min_identity": 1.0, "standalone": 2.0, "field_support": 0.6,
          "name_identity": 0.8, "name_segment": 0.3, "identity_tag": 1.0, "trade_min_goods": 3,
          "trade_min_share": 0.25, "dilute_items": 8, "dilute": 0.5}
_EXCLUSION = re.compile(r"[（(][^（）()]*?(?:除|不含|不包含|不包括|不得|不涉及)[^（）()]*[）)]")
_CLAUSES = re.compile(r"[；;。]+")
_CLAUSE_ITEMS = re.compile(r"[、，,：:]+")
# Verbs of making: a clause with one of them lists what the firm makes, however long the list.
MAKING_VERBS = ("研发", "研制", "生产", "制造", "加工")
_FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_ITEMS = re.compile(r"[、，,；;：:。]+")
# Clause heads that list goods for sale without a trade verb (pharmacies: 「处方药与非处方药：中成药、…」).
TRADE_HEADS = ("处方药与非处方药", "非处方药", "处方药", "零售药店", "药品经营")
# Development and consulting over a list of objects (「技术开发、技术咨询：A、B、C」) is service work here, not
# making: registrations list objects there they do not work on. 研发, 研制, 生产, 制造 stay making verbs.
SERVICE_VERBS = ("开发", "技术服务", "技术咨询", "技术转让", "成果转让", "技术推广")


@dataclass(frozen=True, slots=True)
class Placement:
    uscc: str
    chain: str
    segment: str
    score: float
    confidence: float
    phrases: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"uscc": self.uscc, "chain": self.chain, "segment": self.segment, "score": round(self.score, 3),
                "confidence": self.confidence, "phrases": list(self.phrases)}


@dataclass(frozen=True, slots=True)
class _ScopePart:
    identity: dict[int, float]
    by_phrase: dict[int, dict[str, float]]
    seg: dict[tuple[int, int], float]
    why: dict[tuple[int, int], list[tuple[float, str]]]
    goods: dict[tuple[int, int], int]
    items: int


_EMPTY = _ScopePart({}, {}, {}, {}, {}, 1)


@dataclass(frozen=True, slots=True)
class Record:
    """What placement reads of a register record."""

    uscc: str
    name: str | None
    scope: str | None
    field: str | None = None                 # the deepest high-tech field code of the record
    future: tuple[str, ...] = ()             # future-industry tags of the record


class Placer:
    """The chains' phrases compiled into one classifier lexicon; thread-safe like the classifier it drives."""

    def __init__(self, chains: Sequence[Chain]) -> None:
        from industry_brain.taxonomy import reading_rules

        self.chains = tuple(chains)
        self._targets: dict[str, list[tuple[int, int, float]]] = {}   # phrase → (chain idx, segment idx or −1, w)
        for ci, c in enumerate(self.chains):
            for phrase, w in c.identity:
                self._targets.setdefault(phrase, []).append((ci, -1, w))
            for si, s in enumerate(c.segments):
                for phrase, w in s.keywords:
                    self._targets.setdefault(phrase, []).append((ci, si, w))
            for phrase in c.ignore:   # read as a phrase (so the longest match takes it), then counted nowhere
                self._targets.setdefault(phrase, [])
        rules = reading_rules({p: max((w for *_, w in t), default=1.0) for p, t in self._targets.items()},
                              trade_heads=TRADE_HEADS,
                              service_verbs=SERVICE_VERBS)
        self._reader = ScopeClassifier(rules)
        self._trade_words = tuple(rules.trade_verbs)
        self._trade_factor = float(rules.params["trade_factor"])
        self._trade_phrases = frozenset(p for p in self._targets if any(v in p for v in self._trade_words))
        # names have no clauses or verbs: their phrases are found by one regular expression, longest first
        self._name_rx = re.compile("|".join(re.escape(p) for p in sorted(self._targets, key=lambda x: (-len(x), x))))
        self._scopes: dict[str, dict[str, tuple[float, bool]]] = {}
        import ahocorasick

        self._automaton = ahocorasick.Automaton()   # every phrase, to skip texts that contain none (most do)
        for phrase in self._targets:
            self._automaton.add_word(phrase, phrase)
        self._automaton.make_automaton()
        self._seg_fields = [[tuple(s.fields) for s in c.segments] for c in self.chains]
        self._keywords = [[frozenset(p for p, _ in s.keywords) for s in c.segments] for c in self.chains]
        self._trade_segment = [[s.trade for s in c.segments] for c in self.chains]
        self._parts: dict[str, _ScopePart] = {}
        self._names: dict[str, frozenset[str]] = {}
        self._fields_of: dict[str, tuple[frozenset[tuple[int, int]], frozenset[int]]] = {}
        self._future_chain: dict[str, tuple[int, ...]] = {}
        for ci, c in enumerate(self.chains):
            if c.future_industry:
                self._future_chain[c.future_industry] = (*self._future_chain.get(c.future_industry, ()), ci)
        self._lock = threading.Lock()
        self._cache: dict[tuple[Any, ...], tuple[tuple[int, int, float, float, tuple[str, ...]], ...]] = {}

    def _mentions(self, scope: str) -> bool:
        """Whether any chain phrase occurs in the scope at all (NFKC, lower case): a necessary condition for the
        reader to find one, and false for most registrations, which are then not read."""
        return next(self._automaton.iter(self._fold(scope)), None) is not None

    @staticmethod
    def _fold(text: str) -> str:
        low = text.lower()
        if _FULL_WIDTH.search(low):   # full-width letters and digits (phrases are NFKC: vr, 3d打印)
            import unicodedata

            low = unicodedata.normalize("NFKC", low).lower()
        return low

    def _scope(self, scope: str | None) -> dict[str, tuple[float, bool]]:
        if not scope:
            return {}
        got = self._scopes.get(scope)
        if got is None:
            got = self._reader.evidence(_EXCLUSION.sub("", scope))
            if len(self._scopes) > 500_000:
                self._scopes.clear()
            self._scopes[scope] = got
        return got

    def _name(self, name: str | None) -> frozenset[str]:
        """The chain phrases in an enterprise name (most names have none: two-character pre-check first)."""
        if not name:
            return frozenset()
        got = self._names.get(name)
        if got is None:
            text = self._fold(name)
            got = frozenset() if next(self._automaton.iter(text), None) is None else \
                frozenset(self._name_rx.findall(text))
            if len(self._names) > 500_000:
                self._names.clear()
            self._names[name] = got
        return got

    def place(self, record: Record) -> list[Placement]:
        named = self._name(record.name)
        if not named and not self._scope_part(record.scope).seg:
            return []
        key = (record.scope, named, record.field, record.future)
        got = self._cache.get(key)
        if got is None:
            got = self._place(record, named)
            if len(self._cache) > 500_000:
                self._cache.clear()
            self._cache[key] = got
        return [Placement(record.uscc, self.chains[ci].code, self.chains[ci].segments[si].code, score, conf, phrases)
                for ci, si, score, conf, phrases in got]

    def _scope_part(self, scope: str | None) -> _ScopePart:
        """What the scope alone contributes (cached per scope text: registers repeat their scopes)."""
        key = scope or ""
        got = self._parts.get(key)
        if got is not None:
            return got
        if not key or not self._mentions(key):
            if len(self._parts) > 500_000:
                self._parts.clear()
            self._parts[key] = _EMPTY     # most scopes name no chain phrase: remembered too, not scanned again
            return _EMPTY
        identity: dict[int, float] = {}
        by_phrase: dict[int, dict[str, float]] = {}
        seg: dict[tuple[int, int], float] = {}
        why: dict[tuple[int, int], list[tuple[float, str]]] = {}
        goods: dict[tuple[int, int], int] = {}
        found = self._scope(scope)
        diluted = self._diluted(key, found)
        for phrase, (factor, traded) in found.items():
            sold = 1.0 if traded or phrase in self._trade_phrases else 0.0
            for ci, si, w in self._targets.get(phrase, ()):
                if si < 0:
                    identity[ci] = identity.get(ci, 0.0) + w * factor
                    by_phrase.setdefault(ci, {})[phrase] = w * factor
                    continue
                trade = self._trade_segment[ci][si]
                if trade and sold and w >= 1.0:   # weak goods (class I devices) do not show a line of business
                    goods[(ci, si)] = goods.get((ci, si), 0) + 1
                value = w * sold if trade else w * factor * diluted.get((ci, phrase), 1.0)
                if value > 0:
                    seg[(ci, si)] = seg.get((ci, si), 0.0) + value
                    why.setdefault((ci, si), []).append((value, phrase))
        items = len([x for x in _ITEMS.split(scope or "") if x.strip()]) or 1
        got = _ScopePart(identity, by_phrase, seg, why, goods, items)
        if len(self._parts) > 500_000:
            self._parts.clear()
        self._parts[key] = got
        return got

    def _diluted(self, scope: str, found: dict[str, tuple[float, bool]]) -> dict[tuple[int, str], float]:
        """(chain, phrase) → factor for a chain's lone phrase in a long list of development or consulting objects
        (「计算机软硬件、网络技术、…、生物医药技术、化工材料…的技术开发、技术服务」: ``dilute_items`` items or more, a
        service verb and no making verb): the firm names a dozen trades it consults on, not a line of business."""
        if not found:
            return {}
        out: dict[tuple[int, str], float] = {}
        for clause in _CLAUSES.split(self._fold(_EXCLUSION.sub("", scope))):
            if len([x for x in _CLAUSE_ITEMS.split(clause) if x.strip()]) < PARAMS["dilute_items"]:
                continue
            if not any(v in clause for v in SERVICE_VERBS) or any(v in clause for v in MAKING_VERBS):
                continue
            by_chain: dict[int, set[str]] = {}
            for phrase in found:
                if phrase in clause:
                    for ci, _, _ in self._targets.get(phrase, ()):
                        by_chain.setdefault(ci, set()).add(phrase)
            for ci, phrases in by_chain.items():
                if len(phrases) == 1:
                    out[(ci, next(iter(phrases)))] = float(PARAMS["dilute"])
        return out

    def _field_part(self, fld: str) -> tuple[frozenset[tuple[int, int]], frozenset[int]]:
        """(segments that list the field, chains that name it as their own), cached per field code."""
        got = self._fields_of.get(fld)
        if got is None:
            segs = frozenset((ci, si) for ci in range(len(self.chains)) for si, fields in enumerate(self._seg_fields[ci])
                             if any(fld.startswith(f) for f in fields))
            own = frozenset(ci for ci, c in enumerate(self.chains) if any(fld.startswith(f) for f in c.identity_fields))
            got = (segs, own)
            self._fields_of[fld] = got
        return got

    def _place(self, record: Record, named: frozenset[str]) -> tuple[tuple[int, int, float, float, tuple[str, ...]], ...]:
        part = self._scope_part(record.scope)
        if not part.seg and not named:   # most records: no segment phrase in the scope or the name
            return ()
        identity = dict(part.identity)
        seg = dict(part.seg)
        extra: dict[tuple[int, int], list[tuple[float, str]]] = {}
        for phrase in sorted(named):
            for ci, si, w in self._targets.get(phrase, ()):
                if si < 0:
                    identity[ci] = identity.get(ci, 0.0) + w * PARAMS["name_identity"]
                elif not self._trade_segment[ci][si]:
                    seg[(ci, si)] = seg.get((ci, si), 0.0) + w * PARAMS["name_segment"]
                    extra.setdefault((ci, si), []).append((w * PARAMS["name_segment"], f"名称:{phrase}"))
        fld = record.field or ""
        if fld:
            supported, own_chains = self._field_part(fld)
            for key in supported:
                if key in seg:
                    seg[key] += PARAMS["field_support"]
                    extra.setdefault(key, []).append((PARAMS["field_support"], f"领域{fld}"))
            for ci in own_chains:
                identity[ci] = identity.get(ci, 0.0) + PARAMS["identity_tag"]
        for tag in record.future:
            for c in self._future_chain.get(tag, ()):
                identity[c] = identity.get(c, 0.0) + PARAMS["identity_tag"]
        by_chain: dict[int, float] = {}
        for (ci, _), v in seg.items():
            by_chain[ci] = by_chain.get(ci, 0.0) + v
        out = []
        for (ci, si), score in sorted(seg.items()):
            scoped = part.seg.get((ci, si), 0.0)
            if score < PARAMS["min_segment"] or scoped < PARAMS["min_scope"]:
                continue
            if self._trade_segment[ci][si]:
                n = part.goods.get((ci, si), 0)
                named_trade = n > 0 and any(t[0] == ci for p in named for t in self._targets.get(p, ()))
                if n < PARAMS["trade_min_goods"] and n / part.items < PARAMS["trade_min_share"] and not named_trade:
                    continue
            else:
                own = self._keywords[ci][si]
                ident = identity.get(ci, 0.0) - sum(v for p, v in part.by_phrase.get(ci, {}).items() if p in own)
                if ident < PARAMS["min_identity"] - 1e-9 and scoped < PARAMS["standalone"]:
                    continue
            share = score / by_chain[ci]
            conf = round(share * (1.0 - math.exp(-score / 2.0)), 3)
            reasons = [*part.why.get((ci, si), ()), *extra.get((ci, si), ())]
            phrases = tuple(p for _, p in sorted(reasons, key=lambda t: (-t[0], t[1])))
            out.append((ci, si, round(score, 3), conf, phrases))
        return tuple(out)

    def place_many(self, records: Iterable[Record]) -> list[Placement]:
        """:meth:`place` for many records; the records whose scope and name hold no chain phrase (most of a
        register) cost two dictionary lookups once their texts have been read."""
        out: list[Placement] = []
        parts, names, empty = self._parts, self._names, frozenset[str]()
        for r in records:
            part = parts.get(r.scope or "")
            if part is None:
                part = self._scope_part(r.scope)
            named = names.get(r.name) if r.name else empty
            if named is None:
                named = self._name(r.name)
            if part.seg or named:
                out.extend(self.place(r))
        return out

    def text_segments(self, text: str | None) -> list[tuple[str, str, float]]:
        """The segments a free text (a firm's request, a provider's description) speaks of: (chain, segment,
        score) with a scope score of at least ``min_segment``, strongest first. No identity or trade test — the
        text is known to be about a service, not a registration."""
        part = self._scope_part(text)
        got = [(self.chains[ci].code, self.chains[ci].segments[si].code, v) for (ci, si), v in part.seg.items()
               if v >= PARAMS["min_segment"]]
        return sorted(got, key=lambda t: (-t[2], t[0], t[1]))

    def explain(self, record: Record) -> dict[str, Any]:
        """Every chain's identity and segment scores for one record, placed or not (the rule's inputs)."""
        found = self._scope(record.scope)
        return {"phrases": {p: {"factor": round(f, 3), "trade_clause": t} for p, (f, t) in found.items()},
                "name_phrases": sorted(self._name(record.name)),
                "placements": [p.to_dict() for p in self.place(record)], "params": dict(PARAMS)}
