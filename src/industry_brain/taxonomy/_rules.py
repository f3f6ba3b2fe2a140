"""The classifier's rules: ``_data/scope_rules.yaml`` read, checked and compiled into one lexicon.

The file is data a domain expert can edit (see its header for the scoring it drives). Loading checks it
strictly — a phrase that appears twice, a target that is not a 2016 code, a weight outside (0, 5], a phrase of
one character, an unknown future industry — and raises :class:`InputError` naming the entry, so a bad edit
fails at once rather than silently classifying differently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain.taxonomy._fields import field
from industry_brain.taxonomy._future import future_industries

NONE = "none"  # the target of phrases that mark an ordinary, non-high-tech trade

_PARAMS = {
    "min_score": 1.0,
    "trade_factor": 0.15,
    "trade_clause_none": 0.6,
    "trade_clause_cap": 0.5,
    "service_factor": 0.4,
    "confidence_scale": 2.0,
    "future_min": 1.0,
}


@dataclass(frozen=True, slots=True)
class Entry:
    """What one phrase means: a field target (a code or ``"none"``) with its weight, and future industries."""

    phrase: str
    target: str | None
    weight: float
    future: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Rules:
    lexicon: dict[str, Entry]
    boilerplate: tuple[re.Pattern[str], ...]
    trade_verbs: tuple[str, ...]
    make_verbs: tuple[str, ...]
    service_verbs: tuple[str, ...]
    params: dict[str, float]
    max_tokens: int = 4

    @property
    def dictionary_words(self) -> tuple[str, ...]:
        """Every phrase and verb, for jieba's user dictionary."""
        return tuple(sorted({*self.lexicon, *self.trade_verbs, *self.make_verbs, *self.service_verbs}))


def normalise_phrase(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _weight(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < float(value) <= 5:
        raise InputError(f"rule {where}: weight {value!r} is not a number in (0, 5]", field=where)
    return float(value)


def parse_rules(data: Any, source: str = "scope_rules.yaml") -> Rules:
    """Check and compile rules given as the parsed YAML mapping."""
    if not isinstance(data, dict):
        raise InputError(
            f"{source}: expected a mapping at the top level, got {type(data).__name__}", file=source
        )
    problems: list[str] = []
    targets: dict[str, tuple[str, float]] = {}

    def add(section: str, target: str, phrases: Any) -> None:
        if not isinstance(phrases, dict):
            problems.append(f"{section} {target!r}: expected a mapping phrase → weight, got {phrases!r}")
            return
        for raw, value in phrases.items():
            phrase = normalise_phrase(str(raw))
            where = f"{section} {target!r} phrase {raw!r}"
            if len(phrase) < 2:
                problems.append(f"{where}: a phrase needs at least two characters")
                continue
            if phrase in targets:
                problems.append(f"{where}: already given to {targets[phrase][0]!r}")
                continue
            try:
                targets[phrase] = (target, _weight(where, value))
            except InputError as exc:
                problems.append(exc.message)

    for code, phrases in (data.get("fields") or {}).items():
        try:
            field(str(code))
        except NotFoundError:
            problems.append(f"fields: target {code!r} is not a code of the 2016 list")
            continue
        add("fields", str(code), phrases)
    add("generic", "50101", data.get("generic") or {})
    add("none", NONE, data.get("none") or {})

    future: dict[str, list[tuple[str, float]]] = {}
    known = {i.code for i in future_industries()}
    for code, phrases in (data.get("future") or {}).items():
        if code not in known:
            problems.append(f"future: {code!r} is not a future industry ({', '.join(sorted(known))})")
            continue
        if not isinstance(phrases, dict):
            problems.append(f"future {code!r}: expected a mapping phrase → weight")
            continue
        for raw, value in phrases.items():
            phrase = normalise_phrase(str(raw))
            try:
                future.setdefault(phrase, []).append(
                    (code, _weight(f"future {code!r} phrase {raw!r}", value))
                )
            except InputError as exc:
                problems.append(exc.message)

    boilerplate = []
    for pattern in data.get("boilerplate") or []:
        try:
            boilerplate.append(re.compile(str(pattern)))
        except re.error as exc:
            problems.append(f"boilerplate pattern {pattern!r} does not compile: {exc}")
    params = dict(_PARAMS)
    for key, value in (data.get("params") or {}).items():
        if key not in _PARAMS:
            problems.append(f"params: unknown parameter {key!r} (known: {', '.join(_PARAMS)})")
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.append(f"params: {key} = {value!r} is not a non-negative number")
        else:
            params[key] = float(value)
    if problems:
        raise InputError(f"{source}: {len(problems)} problem(s): " + "; ".join(problems), file=source)

    lexicon: dict[str, Entry] = {}
    for phrase in {*targets, *future}:
        target, weight = targets.get(phrase, (None, 0.0))
        lexicon[phrase] = Entry(phrase, target, weight, tuple(future.get(phrase, ())))
    verbs = tuple(normalise_phrase(v) for v in data.get("trade_verbs") or [])
    makers = tuple(normalise_phrase(v) for v in data.get("make_verbs") or [])
    services = tuple(normalise_phrase(v) for v in data.get("service_verbs") or [])
    return Rules(lexicon, tuple(boilerplate), verbs, makers, services, params)


def load_rules(path: str | Path | None = None) -> Rules:
    """Rules from a YAML file (the packaged ``scope_rules.yaml`` when ``path`` is None)."""
    if path is None:
        text = resources.files(__package__).joinpath("_data/scope_rules.yaml").read_text("utf-8")
        source = "scope_rules.yaml"
    else:
        source = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read rules file {source!r}: {exc}", file=source) from exc
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise InputError(f"rules file {source!r} is not valid YAML: {exc}", file=source) from exc
    return parse_rules(data, source)


@cache
def default_rules() -> Rules:
    return load_rules()


def reading_rules(phrases: dict[str, float], base: Rules | None = None, trade_heads: tuple[str, ...] = (),
                  service_verbs: tuple[str, ...] = ()) -> Rules:
    """Rules that read business scopes exactly as the field rules do — same boilerplate, verbs and parameters —
    but look for ``phrases`` (phrase → weight) instead of the field phrases; ``trade_heads`` are further words
    that make a clause a trade clause (处方药与非处方药：…); ``service_verbs`` are verbs moved from the making
    verbs to the service verbs (a chain may count 「技术开发、技术咨询：…」 lists as services, not as making). For
    other classifications of scopes (the industry chains) that share the reading step
    (:meth:`ScopeClassifier.evidence`)."""
    b = base or default_rules()
    lexicon = {}
    for raw, weight in phrases.items():
        p = normalise_phrase(raw)
        if len(p) < 2:
            raise InputError(f"phrase {raw!r}: a phrase needs at least two characters", field="phrase", value=raw)
        lexicon[p] = Entry(p, None, _weight(f"phrase {raw!r}", weight), ())
    trade = (*b.trade_verbs, *(normalise_phrase(t) for t in trade_heads if normalise_phrase(t) not in b.trade_verbs))
    moved = {normalise_phrase(v) for v in service_verbs}
    make = tuple(v for v in b.make_verbs if v not in moved)
    service = (*b.service_verbs, *sorted(moved - set(b.service_verbs)))
    return Rules(lexicon, b.boilerplate, trade, make, service, dict(b.params), b.max_tokens)
