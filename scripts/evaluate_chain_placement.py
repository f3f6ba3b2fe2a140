"""Evaluate chain placement on real registrations against labels written by reading them.

Labels: ``scripts/data/chain_placement_labels.csv`` (the SHA-256 of the credit code + ``chain:segment;…`` only —
the rows, codes included, stay in ``../shared``). The firms were drawn from ``../shared/data/real/hangzhou_registrations.csv`` in two samples: 328
matching a broad net of words per chain plus random rows, and 147 of the rows the first templates placed plus
near misses; each firm was labelled by reading its name and business scope, without the placer's output. The
register is read, classified (field, future industries) as an import does, and placed on every chain.

Run: ``.venv/bin/python scripts/evaluate_chain_placement.py [--real CSV] [--errors] [--json]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from industry_brain.chains import Placer, Record, chains  # noqa: E402
from industry_brain.chains._evaluation import evaluate_placement, label_key, read_labels  # noqa: E402
from industry_brain.taxonomy import classify_many  # noqa: E402

LABELS = REPO / "scripts" / "data" / "chain_placement_labels.csv"
REAL = REPO.parent / "shared" / "data" / "real" / "hangzhou_registrations.csv"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=REAL)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--errors", action="store_true", help="list every firm placed differently from its label")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    labels = read_labels(args.labels)
    with args.real.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if label_key(r["统一社会信用代码"]) in labels]
    cls = classify_many([r["经营范围"] for r in rows])
    records = [Record(r["统一社会信用代码"].strip(), r["企业名称"], r["经营范围"], c.field, c.future_industries)
               for r, c in zip(rows, cls, strict=True)]
    res = evaluate_placement(Placer(chains()), records, labels)
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=2))
        return 0
    print(f"labelled firms {res['labelled']} (with at least one label: {res['positives']})")
    for split, s in res["splits"].items():
        print(f"\n== {split}: {s['firms']} firms")
        print(f"{'chain':<12}{'chain P':>9}{'chain R':>9}{'(tp/fp/fn)':>14}{'seg P':>8}{'seg R':>8}{'(tp/fp/fn)':>14}")
        for code, m in s["per_chain"].items():
            c, g = m["chain"], m["segment"]

            def f(x: float | None) -> str:
                return "–" if x is None else f"{x:.3f}"

            print(f"{code:<12}{f(c['precision']):>9}{f(c['recall']):>9}{c['tp']:>6}/{c['fp']}/{c['fn']:<5}"
                  f"{f(g['precision']):>8}{f(g['recall']):>8}{g['tp']:>6}/{g['fp']}/{g['fn']}")
    if args.errors:
        print("\n== differences")
        by = {r["统一社会信用代码"].strip(): r for r in rows}
        for e in res["errors"]:
            r = by[e["uscc"]]
            print(f"[{e['split']}] {e['uscc']} {r['企业名称']}\n   labelled {e['labelled']} placed {e['placed']}\n"
                  f"   {r['经营范围'][:160]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
