"""Business scope (经营范围) → high-tech field (levels 1–3), future industries, confidence, deciding phrases.

The rules are data (``_data/scope_rules.yaml``, compiled by :mod:`._rules`); this module only applies them:

1. **Clean.** NFKC, lower case, the registration boilerplate removed (「依法须经批准的项目，经相关部门批准后方可开展
   经营活动」, 「其他无需报经审批的一切合法项目」, 「货物及技术进出口」, parentheticals about permits …).
2. **Cut into clauses** at 「；;。」 and before a new 「verbs：」 head (「…，批发、零售：…」). A clause whose verbs are
   all trade verbs (销售/批发/零售 …) is a *trade clause*: its phrases count at ``trade_factor`` (selling 电子产品
   is not making them) and it adds ``trade_clause_none`` to the "no field" score.
3. **Segment** each clause that can contain a phrase (a bigram pre-check) with jieba, every rule phrase loaded as
   a user-dictionary word so that it comes out as one token; tokens and runs of up to four tokens are matched
   against the lexicon, longest first. jieba is initialised once, lazily, quietly, from its bundled dictionary.
4. **Score.** Each distinct phrase adds its weight (× the clause factor) to its target code and every code above
   it; 「none」 phrases (餐饮, 房地产开发 …) add to a competing "no field" score.
5. **Decide** top-down: the best level-1 field if it reaches ``min_score`` and beats "no field"; then the best
   level 2 under it and the best level 3 under that, when some phrase names them. Aggregating upwards makes
   several medium phrases of one field (软件 + 网络技术 + 电子产品) outweigh one strong phrase of another.
   ``confidence = share × (1 − exp(−score / confidence_scale))`` where ``share`` is the winner's part of all
   evidence (fields and "no field"), so both weak and contested scopes score low. It is 0 when no field is given.
6. **Future industries** are tagged from their own phrases (人工智能, 区块链, 3D打印 …, at ``future_min``) and from
   fields that imply them (``80406`` 增材制造技术 → ``additive``; see ``future_industries.json``).

Clause results are cached (scopes repeat their clauses: 「技术开发、技术咨询、技术服务」), and
:func:`classify_many` also de-duplicates whole texts, which is what makes bulk classification fast.
"""

from __future__ import annotations

import logging
import math
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from industry_brain._core.errors import InputError
from industry_brain.taxonomy._future import future_industries
from industry_brain.taxonomy._rules import NONE, Rules, default_rules

_CLAUSE_SPLIT = re.compile(r"[；;。\n\r]+|[，,](?=[\u4e00-\u9fff、]{1,14}[：:])")
# Phrases never contain punctuation, and jieba never joins across it: items between these marks are
# segmented (and cached) on their own, which is exact and makes repeated items ("电子产品") free.
_ITEM_SPLIT = re.compile(r"[、，,：:（）()【】\[\]/\\·\s]+")
_VERB_EXCEPTIONS = ("供应链", "经营管理", "租赁服务平台")
_CACHE_LIMIT = 200_000
_USER_WORD_FREQ = 200_000

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Classification:
    """The field a business scope points to. Codes are the 2016 list's (``"10"``, ``"101"``, ``"10101"``);
    ``None`` where no phrase decides. ``confidence`` is in [0, 1] and 0 when ``field_l1`` is None."""

    field_l1: str | None
    field_l2: str | None
    field_l3: str | None
    future_industries: tuple[str, ...]
    confidence: float
    phrases: tuple[str, ...]

    @property
    def field(self) -> str | None:
        """The deepest code decided."""
        return self.field_l3 or self.field_l2 or self.field_l1

    def to_dict(self) -> dict[str, Any]:
        return {
            "field_l1": self.field_l1,
            "field_l2": self.field_l2,
            "field_l3": self.field_l3,
            "future_industries": list(self.future_industries),
            "confidence": self.confidence,
            "phrases": list(self.phrases),
        }


EMPTY = Classification(None, None, None, (), 0.0, ())


@dataclass(frozen=True, slots=True)
class _Clause:
    mode: str  # "make" | "trade" | "service" | "bare" (no verb at all)
    headed: bool  # the clause opens a list: "批发、零售：…"
    phrases: tuple[str, ...]


class ScopeClassifier:
    """Applies one set of rules. Thread-safe; jieba is loaded on the first text that needs it."""

    def __init__(self, rules: Rules | None = None) -> None:
        self.rules = rules or default_rules()
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self._clauses: dict[str, _Clause] = {}
        self._items: dict[str, tuple[str, ...]] = {}
        lexicon = self.rules.lexicon
        self._bigrams = frozenset(p[:2] for p in lexicon)
        self._max_tokens = self.rules.max_tokens
        self._order = {i.code: n for n, i in enumerate(future_industries())}
        self._implying = [(i.code, i) for i in future_industries()]
        self._implied_by: dict[str | None, frozenset[str]] = {}
        p = self.rules.params
        self._min_score = p["min_score"]
        self._trade_factor = p["trade_factor"]
        self._trade_none = p["trade_clause_none"]
        self._trade_cap = p["trade_clause_cap"]
        self._service_factor = p["service_factor"]
        self._scale = p["confidence_scale"]
        self._future_min = p["future_min"]

    # ------------------------------------------------------------------ segmentation
    def _cut(self, text: str) -> list[str]:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    self._tokenizer = self._load_tokenizer()
        return list(self._tokenizer.cut(text, HMM=False))

    def _load_tokenizer(self) -> Any:
        import jieba

        logging.getLogger("jieba").setLevel(logging.WARNING)  # no "Building prefix dict…" chatter on stderr
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word in self.rules.dictionary_words:
            tokenizer.add_word(word, freq=_USER_WORD_FREQ)
        log.debug("jieba ready with %d rule phrases", len(self.rules.lexicon))
        return tokenizer

    def segment(self, text: str) -> list[str]:
        """The tokens jieba gives for a cleaned text (rule phrases come out whole)."""
        return self._cut(text)

    # ------------------------------------------------------------------ clauses
    def clean(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text).lower()
        for pattern in self.rules.boilerplate:
            text = pattern.sub("", text)
        return text

    def _clause(self, clause: str) -> _Clause:
        cached = self._clauses.get(clause)
        if cached is not None:
            return cached
        probe = clause
        for word in _VERB_EXCEPTIONS:
            probe = probe.replace(word, "")
        rules = self.rules
        if any(v in probe for v in rules.make_verbs):
            mode = "make"
        elif any(v in probe for v in rules.trade_verbs):
            mode = "trade"
        elif any(v in probe for v in rules.service_verbs):
            mode = "service"
        else:
            mode = "bare"
        phrases: list[str] = []
        for item in _ITEM_SPLIT.split(clause):
            if item:
                phrases.extend(self._item(item))
        result = _Clause(mode, "：" in clause or ":" in clause, tuple(phrases))
        if len(self._clauses) >= _CACHE_LIMIT:
            self._clauses.clear()
        self._clauses[clause] = result
        return result

    def _item(self, item: str) -> tuple[str, ...]:
        """Phrases in one item of a list (the text between two punctuation marks); cached."""
        cached = self._items.get(item)
        if cached is not None:
            return cached
        lexicon = self.rules.lexicon
        found: list[str] = []
        if item in lexicon:
            found.append(item)
        elif any(item[i : i + 2] in self._bigrams for i in range(len(item) - 1)):
            tokens = [t for t in self._cut(item) if not t.isspace()]
            i, n = 0, len(tokens)
            while i < n:
                for k in range(min(self._max_tokens, n - i), 0, -1):
                    candidate = "".join(tokens[i : i + k]) if k > 1 else tokens[i]
                    if candidate in lexicon:
                        found.append(candidate)
                        i += k
                        break
                else:
                    head = _head_phrase(tokens[i], lexicon)
                    if head is not None:
                        found.append(head)
                    i += 1
        result = tuple(found)
        if len(self._items) >= _CACHE_LIMIT:
            self._items.clear()
        self._items[item] = result
        return result

    # ------------------------------------------------------------------ scoring
    def classify(self, text: str | None) -> Classification:
        if text is None or (isinstance(text, float) and math.isnan(text)):
            return EMPTY
        if not isinstance(text, str):
            raise InputError(
                f"business scope {text!r} is a {type(text).__name__}: expected text (经营范围)",
                field="business_scope",
            )
        cleaned = self.clean(text)
        if not cleaned.strip():
            return EMPTY
        lexicon = self.rules.lexicon
        contribution, none_score, _ = self._evidence(cleaned)
        scores: dict[str, float] = {}
        future: dict[str, float] = {}
        used: dict[str, float] = {}
        for phrase, factor in contribution.items():
            entry = lexicon[phrase]
            for code, weight in entry.future:
                future[code] = future.get(code, 0.0) + weight * factor
            if entry.target is None:
                continue
            value = entry.weight * factor
            used[phrase] = value
            if entry.target == NONE:
                none_score += value
                continue
            target = entry.target
            for prefix in {target[:2], target[:3], target}:
                scores[prefix] = scores.get(prefix, 0.0) + value
        return self._decide(scores, none_score, future, used, contribution)

    def evidence(self, text: str | None) -> dict[str, tuple[float, bool]]:
        """The rule phrases found in a business scope, each with its clause factor — 1 in a making or verbless
        clause, ``service_factor`` in a service clause, a share of the trade budget in a trade clause (the
        strongest occurrence counts) — and whether it was found in a trade clause. This is the step every scoring
        of scopes shares: the field decision here, and the industry-chain placement of the ``chains`` context
        with its own rules."""
        if not isinstance(text, str):
            return {}
        cleaned = self.clean(text)
        if not cleaned.strip():
            return {}
        contribution, _, traded = self._evidence(cleaned)
        found = {p: (f, p in traded) for p, f in contribution.items()}
        for p in traded:   # listed for sale after the clause's trade budget ran out: factor 0, but seen
            found.setdefault(p, (0.0, True))
        return found

    def _evidence(self, cleaned: str) -> tuple[dict[str, float], float, set[str]]:
        lexicon = self.rules.lexicon
        contribution: dict[str, float] = {}
        traded: set[str] = set()
        none_score = 0.0
        in_trade_run = False  # a "批发、零售：A；B；C" list continues into the verbless clauses after it
        budget = 0.0
        for raw in _CLAUSE_SPLIT.split(cleaned):
            clause = raw.strip(" ，,、:：")
            if not clause:
                continue
            result = self._clause(clause)
            mode = result.mode
            if mode == "trade":
                if not in_trade_run or result.headed:
                    none_score += self._trade_none
                    budget = self._trade_cap
                in_trade_run = True
            elif mode == "bare" and in_trade_run:
                mode = "trade"
            else:
                in_trade_run = False
            for phrase in result.phrases:
                if mode == "trade":
                    traded.add(phrase)
                    weight = lexicon[phrase].weight or 1.0
                    value = min(weight * self._trade_factor, budget)
                    budget -= value
                    factor = value / weight
                elif mode == "service":
                    factor = self._service_factor
                else:
                    factor = 1.0
                if factor > contribution.get(phrase, 0.0):
                    contribution[phrase] = factor
        return contribution, none_score, traded

    def _decide(
        self,
        scores: dict[str, float],
        none_score: float,
        future: dict[str, float],
        used: dict[str, float],
        contribution: dict[str, float],
    ) -> Classification:
        lexicon = self.rules.lexicon
        level1 = {c: s for c, s in scores.items() if len(c) == 2}
        l1 = l2 = l3 = None
        confidence = 0.0
        deciding: list[str] = []
        if level1:
            best = min(level1, key=lambda c: (-level1[c], c))
            top = level1[best]
            if top >= self._min_score and top > none_score:
                l1 = best
                total = sum(level1.values()) + none_score
                confidence = round((top / total) * (1.0 - math.exp(-top / self._scale)), 3)
                l2 = _best_child(scores, best, 3)
                l3 = _best_child(scores, l2, 5) if l2 else None
                deciding = sorted(
                    (
                        p
                        for p in used
                        if (t := lexicon[p].target) is not None and t != NONE and t.startswith(best)
                    ),
                    key=lambda p: (-used[p], p),
                )
        tags = {code for code, s in future.items() if s >= self._future_min}
        tags.update(self._implied(l3 or l2))
        ordered = tuple(sorted(tags, key=self._order.__getitem__))
        extra = sorted(
            (
                p
                for p, factor in contribution.items()
                if p not in deciding and any(c in tags and w * factor > 0 for c, w in lexicon[p].future)
            ),
            key=lambda p: (-max(w for _, w in lexicon[p].future) * contribution[p], p),
        )
        return Classification(l1, l2, l3, ordered, confidence, tuple(deciding + extra))

    def _implied(self, deepest: str | None) -> frozenset[str]:
        """The future industries a field implies by itself (cached per field code)."""
        found = self._implied_by.get(deepest)
        if found is None:
            found = frozenset(code for code, industry in self._implying if industry.implied_by(deepest))
            self._implied_by[deepest] = found
        return found

    def classify_many(self, texts: Iterable[str | None]) -> list[Classification]:
        seen: dict[Any, Classification] = {}
        out: list[Classification] = []
        for text in texts:
            key = text if isinstance(text, str) or text is None else id(text)
            result = seen.get(key)
            if result is None:
                result = self.classify(text)
                seen[key] = result
            out.append(result)
        return out


def _head_phrase(token: str, lexicon: dict[str, Any]) -> str | None:
    """The longest phrase a compound token ends with: Chinese compounds are head-final, so 三维动画 is a kind of
    动画 and 影视动画 too, while 软件园 (a park) is not a kind of 软件."""
    for start in range(1, len(token) - 1):
        if token[start:] in lexicon:
            return token[start:]
    return None


def _best_child(scores: dict[str, float], parent: str, length: int) -> str | None:
    candidates = [(s, c) for c, s in scores.items() if len(c) == length and c.startswith(parent)]
    if not candidates:
        return None
    return min(candidates, key=lambda sc: (-sc[0], sc[1]))[1]


_default: ScopeClassifier | None = None
_default_lock = threading.Lock()


def default_classifier() -> ScopeClassifier:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = ScopeClassifier()
    return _default


def classify_scope(text: str | None) -> Classification:
    """Classify one business scope (经营范围). ``None``/empty text gives an all-``None`` result."""
    return default_classifier().classify(text)


def classify_many(texts: Iterable[str | None]) -> list[Classification]:
    """Classify many scopes, computing each distinct text (and each distinct clause) once."""
    return default_classifier().classify_many(texts)
