"""Write the synthetic 2018 Hangzhou response set as a 问卷星 text-mode CSV export into the package.

The generator (``industry_brain.talent._synthetic``) reproduces every marginal the article prints (587 AI + 110
bio firms, 81/16/3 %, the firm-profile shares, Table 1's means, figures 1-9, the catalogue's requirement splits);
its assumptions for what the article does not print are listed in that module. Every row is synthetic.

Run: ``.venv/bin/python scripts/build_talent_synthetic.py`` after ``scripts/build_talent_survey.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from industry_brain.talent._survey import load_survey
from industry_brain.talent._synthetic import generate, wjx_table

OUT = Path(__file__).resolve().parents[1] / "src" / "industry_brain" / "talent" / "_data" / "hangzhou-2018-synthetic.csv"


def main() -> int:
    survey = load_survey("hangzhou-2018")
    rows = wjx_table(survey, generate(survey, seed=2018), mode="text", multiple="joined")
    with OUT.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    print(f"wrote {OUT} ({len(rows) - 1} respondents, {len(rows[0])} columns)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
