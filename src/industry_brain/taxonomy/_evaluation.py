"""Measuring the business-scope classifier: precision, recall and F1 per field on a labelled set, and coverage
(share of rows given a field, by field and confidence band) on an unlabelled register.

A labelled row has a scope and its correct level-1 code, or no code when the scope names no high-tech field
(trading, retail, catering …), and optionally the correct level-2 code. "No field" is a class of its own for
accuracy but not one of the eight fields averaged in the macro figures: predicting a field for a "no field"
row is a false positive of that field, predicting none for a field row is a false negative of it.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain.taxonomy._classifier import Classification, ScopeClassifier, default_classifier
from industry_brain.taxonomy._fields import field as lookup_field
from industry_brain.taxonomy._fields import fields

BANDS: tuple[tuple[str, float, float], ...] = (
    ("high", 0.7, 1.01),
    ("medium", 0.4, 0.7),
    ("low", 0.0, 0.4),
)


@dataclass(frozen=True, slots=True)
class LabelledScope:
    row: int
    scope: str
    field_l1: str | None
    field_l2: str | None


@dataclass(frozen=True, slots=True)
class FieldScore:
    code: str
    support: int
    predicted: int
    true_positive: int

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Evaluation:
    rows: int
    per_field: tuple[FieldScore, ...]
    none_support: int
    none_correct: int
    accuracy: float
    level2_rows: int
    level2_correct: int
    errors: tuple[tuple[LabelledScope, Classification], ...] = field(default=())

    @property
    def macro_precision(self) -> float:
        return sum(s.precision for s in self.per_field) / len(self.per_field)

    @property
    def macro_recall(self) -> float:
        return sum(s.recall for s in self.per_field) / len(self.per_field)

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.per_field) / len(self.per_field)

    @property
    def level2_accuracy(self) -> float:
        return self.level2_correct / self.level2_rows if self.level2_rows else 0.0


def read_labelled(path: str | Path) -> list[LabelledScope]:
    """Read ``id,scope,field_l1,field_l2`` (UTF-8). Codes must exist; a level 2 must lie under its level 1."""
    source = str(path)
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"scope", "field_l1"} - set(reader.fieldnames or ())
            if missing:
                raise InputError(
                    f"labelled set {source!r} lacks column(s) {sorted(missing)}: expected id,scope,field_l1,field_l2",
                    file=source,
                )
            out: list[LabelledScope] = []
            for n, rec in enumerate(reader, start=2):
                l1 = (rec.get("field_l1") or "").strip() or None
                l2 = (rec.get("field_l2") or "").strip() or None
                for name, code, level in (("field_l1", l1, 1), ("field_l2", l2, 2)):
                    if code is None:
                        continue
                    try:
                        ok = lookup_field(code).level == level
                    except NotFoundError:
                        ok = False
                    if not ok:
                        raise InputError(
                            f"{source} row {n}: {name} {code!r} is not a level-{level} code of the 2016 list",
                            file=source,
                            row=n,
                            field=name,
                        )
                if l2 is not None and (l1 is None or not l2.startswith(l1)):
                    raise InputError(
                        f"{source} row {n}: field_l2 {l2!r} is not under field_l1 {l1!r}",
                        file=source,
                        row=n,
                        field="field_l2",
                    )
                out.append(LabelledScope(n, rec["scope"], l1, l2))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read labelled set {source!r}: {exc}", file=source) from exc
    return out


def evaluate(rows: Sequence[LabelledScope], classifier: ScopeClassifier | None = None) -> Evaluation:
    """Score the classifier on labelled rows."""
    clf = classifier or default_classifier()
    results = clf.classify_many(r.scope for r in rows)
    codes = [f.code for f in fields(1)]
    support: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    none_support = none_correct = correct = l2_rows = l2_correct = 0
    errors = []
    for row, res in zip(rows, results, strict=True):
        truth, guess = row.field_l1, res.field_l1
        if truth is None:
            none_support += 1
        else:
            support[truth] += 1
        if guess is not None:
            predicted[guess] += 1
        if truth == guess:
            correct += 1
            if truth is None:
                none_correct += 1
            else:
                hits[truth] += 1
        else:
            errors.append((row, res))
        if row.field_l2 is not None:
            l2_rows += 1
            l2_correct += res.field_l2 == row.field_l2
    per_field = tuple(FieldScore(c, support[c], predicted[c], hits[c]) for c in codes)
    return Evaluation(
        rows=len(rows),
        per_field=per_field,
        none_support=none_support,
        none_correct=none_correct,
        accuracy=correct / len(rows) if rows else 0.0,
        level2_rows=l2_rows,
        level2_correct=l2_correct,
        errors=tuple(errors),
    )


@dataclass(frozen=True, slots=True)
class Coverage:
    rows: int
    empty: int
    by_field: dict[str, int]
    by_band: dict[str, int]
    by_field_band: dict[tuple[str, str], int]
    future: dict[str, int]

    @property
    def classified(self) -> int:
        return sum(self.by_field.values())

    @property
    def share(self) -> float:
        return self.classified / self.rows if self.rows else 0.0


def band(confidence: float) -> str:
    for name, low, high in BANDS:
        if low <= confidence < high:
            return name
    return "low"


def coverage(texts: Iterable[str | None], classifier: ScopeClassifier | None = None) -> Coverage:
    """How many texts get a field, by field and by confidence band (``high`` ≥ 0.7, ``medium`` ≥ 0.4)."""
    clf = classifier or default_classifier()
    items = list(texts)
    results = clf.classify_many(items)
    by_field: Counter[str] = Counter()
    by_band: Counter[str] = Counter()
    by_field_band: Counter[tuple[str, str]] = Counter()
    future: Counter[str] = Counter()
    empty = sum(1 for t in items if not isinstance(t, str) or not t.strip())
    for res in results:
        future.update(res.future_industries)
        if res.field_l1 is None:
            continue
        b = band(res.confidence)
        by_field[res.field_l1] += 1
        by_band[b] += 1
        by_field_band[(res.field_l1, b)] += 1
    return Coverage(len(items), empty, dict(by_field), dict(by_band), dict(by_field_band), dict(future))
