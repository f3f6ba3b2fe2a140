"""Backtest the attraction targets on the real Hangzhou register (1980 – April 2019).

The register (``../shared/data/real/hangzhou_registrations.csv``, 30,426 rows) is imported into a throw-away
instance exactly as a bureau would (``ib registry import``: fields inferred from business scopes, places from
addresses), then ``attract.backtest`` runs for several cut-offs, horizons, unit kinds and presence rules. Each line
prints the panel's size, the candidates and positives, and ROC-AUC and precision@k of relatedness density, the
preset score, and the two baselines (the field's city-wide growth; random, mean of 20 draws).

Run: ``.venv/bin/python scripts/backtest_attraction.py [--real CSV] [--json]``. The register's years 2007, 2014,
2016 and 2017 hold no registration (the public sample has none), so horizons are read in calendar years.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from industry_brain._core.store import open_store  # noqa: E402
from industry_brain.attract import backtest  # noqa: E402
from industry_brain.registry import import_file  # noqa: E402

REAL = REPO.parent / "shared" / "data" / "real" / "hangzhou_registrations.csv"
RUNS = [(as_of, horizon, units, rule) for as_of, horizon in ((2009, 3), (2012, 3), (2015, 3), (2010, 5))
        for units in ("district", "street") for rule in ("rca", "entry")]


def _f(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=REAL)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not args.real.exists():
        print(f"the real register is not at {args.real} (it lives in ../shared)", file=sys.stderr)
        return 2
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "ib.duckdb")
        report = import_file(args.real, store=store, source="hangzhou_registrations")
        if not args.json:
            print(f"imported {report.rows_loaded:,} of {report.rows_read:,} rows")
        for as_of, horizon, units, rule in RUNS:
            res = backtest(store, as_of, horizon, units=units, presence_rule=rule).to_dict()  # type: ignore[arg-type]
            out.append(res)
            if args.json:
                continue
            m = res["metrics"]
            p = res["panel"]
            print(f"as of {as_of} +{horizon}y · {units:8s} · {rule:5s} · {p['units']:3d} units × {p['fields']} fields · "
                  f"{res['candidates']:5d} candidates, {res['positives']:4d} positives (base {res['base_rate']:.3f}) · "
                  f"PCI {'kept' if p['complexity']['ok'] else 'refused'} · AUC density {m['density']['auc']:.3f}, "
                  f"preset {m['preset']['auc']:.3f}, growth {m['field_growth']['auc']:.3f}, random "
                  f"{m['random']['auc']:.3f}±{m['random']['auc_sd']:.3f} · within-unit AUC density "
                  f"{_f(m['density']['auc_within'])}, preset {_f(m['preset']['auc_within'])}, growth "
                  f"{_f(m['field_growth']['auc_within'])}, random {_f(m['random']['auc_within'])} "
                  f"({m['density']['units_scored']} units) · P@20 density "
                  f"{m['density']['precision_at'].get('20', float('nan')):.2f}, growth "
                  f"{m['field_growth']['precision_at'].get('20', float('nan')):.2f}, random "
                  f"{m['random']['precision_at'].get('20', float('nan')):.2f}")
        store.close()
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
