"""Evaluate the business-scope classifier.

1. On the labelled set written for this project (``tests/unit/taxonomy/eval_scopes.csv``: business-scope
   sentences in the style of real 经营范围 text with their correct level-1 and, where clear, level-2 field):
   precision, recall and F1 per field, macro averages, "no field" accuracy, level-2 accuracy.
2. On the real register (``../shared/data/real/hangzhou_registrations.csv``, column 经营范围; read, never copied):
   coverage — share of rows given a field, by field and by confidence band — and future-industry tags.

Run: ``.venv/bin/python scripts/eval_classifier.py [--labelled CSV] [--real CSV] [--errors] [--json]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from industry_brain.taxonomy import field, future_industry  # noqa: E402
from industry_brain.taxonomy._evaluation import BANDS, coverage, evaluate, read_labelled  # noqa: E402

LABELLED = REPO / "tests" / "unit" / "taxonomy" / "eval_scopes.csv"
HOLDOUT = REPO / "tests" / "unit" / "taxonomy" / "eval_scopes_holdout.csv"
REAL = REPO.parent / "shared" / "data" / "real" / "hangzhou_registrations.csv"


def _print_evaluation(title: str, path: Path, show_errors: bool) -> dict[str, object]:
    rows = read_labelled(path)
    ev = evaluate(rows)
    print(f"\n== {title}: {path.relative_to(REPO)} ({ev.rows} rows, {ev.none_support} without a field)")
    print(f"{'field':<26}{'support':>8}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}")
    for s in ev.per_field:
        name = f"{s.code} {field(s.code).name_zh}"
        print(f"{name:<22}{s.support:>8}{s.predicted:>6}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}")
    print(f"{'macro':<26}{'':>14}{ev.macro_precision:>7.3f}{ev.macro_recall:>7.3f}{ev.macro_f1:>7.3f}")
    print(f"no field: {ev.none_correct}/{ev.none_support} correct; accuracy (9 classes) {ev.accuracy:.3f}; "
          f"level 2 {ev.level2_correct}/{ev.level2_rows} = {ev.level2_accuracy:.3f}")
    if show_errors:
        for row, res in ev.errors:
            print(f"  row {row.row}: want {row.field_l1 or '-'} got {res.field_l1 or '-'} "
                  f"({res.confidence:.2f} {'、'.join(res.phrases)}) {row.scope}")
    return {
        "rows": ev.rows,
        "macro_precision": round(ev.macro_precision, 4),
        "macro_recall": round(ev.macro_recall, 4),
        "macro_f1": round(ev.macro_f1, 4),
        "accuracy": round(ev.accuracy, 4),
        "none_correct": ev.none_correct,
        "none_support": ev.none_support,
        "level2_accuracy": round(ev.level2_accuracy, 4),
        "per_field": {s.code: {"support": s.support, "precision": round(s.precision, 4),
                               "recall": round(s.recall, 4), "f1": round(s.f1, 4)} for s in ev.per_field},
    }


def _read_scopes(path: Path) -> list[str | None]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if "经营范围" not in (reader.fieldnames or ()):
            raise SystemExit(f"{path}: no column 经营范围")
        return [rec["经营范围"] or None for rec in reader]


def _print_coverage(path: Path) -> dict[str, object]:
    scopes = _read_scopes(path)
    start = time.perf_counter()
    cov = coverage(scopes)
    seconds = time.perf_counter() - start
    print(f"\n== coverage on {path.name}: {cov.rows} rows ({cov.empty} empty scopes), "
          f"classified in {seconds:.2f} s ({cov.rows / seconds:,.0f} rows/s, first call includes loading jieba)")
    print(f"given a field: {cov.classified} = {cov.share:.1%}")
    bands = [b for b, _, _ in BANDS]
    print(f"{'field':<22}{'rows':>7}{'share':>8}" + "".join(f"{b:>8}" for b in bands))
    for code in sorted(cov.by_field):
        n = cov.by_field[code]
        cells = "".join(f"{cov.by_field_band.get((code, b), 0):>8}" for b in bands)
        print(f"{code + ' ' + field(code).name_zh:<18}{n:>7}{n / cov.rows:>8.1%}{cells}")
    print(f"{'all':<22}{cov.classified:>7}{cov.share:>8.1%}" + "".join(f"{cov.by_band.get(b, 0):>8}" for b in bands))
    print("future industries: " + ", ".join(
        f"{future_industry(c).name_zh} {n}" for c, n in sorted(cov.future.items(), key=lambda kv: -kv[1])))
    return {
        "rows": cov.rows,
        "classified": cov.classified,
        "share": round(cov.share, 4),
        "by_field": cov.by_field,
        "by_band": cov.by_band,
        "future": cov.future,
        "seconds": round(seconds, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate the business-scope classifier.")
    parser.add_argument("--labelled", type=Path, default=LABELLED)
    parser.add_argument("--holdout", type=Path, default=HOLDOUT)
    parser.add_argument("--real", type=Path, default=REAL)
    parser.add_argument("--errors", action="store_true", help="list the rows the classifier gets wrong")
    parser.add_argument("--json", action="store_true", help="also write the figures as JSON on the last line")
    args = parser.parse_args(argv)
    report: dict[str, object] = {"labelled": _print_evaluation("labelled set", args.labelled, args.errors)}
    if args.holdout.exists():
        report["holdout"] = _print_evaluation("held-out set", args.holdout, args.errors)
    if args.real.exists():
        report["real"] = _print_coverage(args.real)
    else:
        print(f"\n(real register not found at {args.real}: coverage skipped)")
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
