"""Placing generated records on every chain and computing every gap: our placer against a plain pandas/regex
baseline in the same run.

    .venv/bin/python benchmarks/bench_chains.py              # 1,000,000 records
    .venv/bin/python benchmarks/bench_chains.py --quick      # 100,000 records

Records are generated with a fixed seed: a name (字号 + an industry word) and a business scope of 2–4 clauses
drawn from a pool written like registrations (ordinary trades, and the chains' own product words inside making,
service and trade clauses), a high-tech field and a 2019 map unit. The shares follow the real register
(``../shared/data/real``, 30,426 rows): 7.6 % of its scopes contain a segment phrase of some chain and 2.7 % of its
names a chain phrase, so 8 % of the generated scopes and 3 % of the names carry chain words. Scopes are drawn from
a pool of 200,000 distinct ones (the 30,426 real scopes are nearly all distinct; a register of a million repeats
the common ones). Ours: ``chains.Placer.place_many`` (the classifier's reading step and
the documented rule), then every chain's gaps for the city and all 14 districts from the placements (DuckDB).
The baseline: for each segment, ``Series.str.contains`` with one alternation of its keywords over the scope and
name columns, a firm placed where any keyword occurs, and the same counts by pandas ``groupby`` — no clauses,
no trade reading, no identity rule. Target: ≥ 200,000 records placed per second; gaps for all districts < 1 s.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from industry_brain.chains import Placer, Record, chains  # noqa: E402

UNITS = ["330102", "330103", "330104", "330105", "330106", "330108", "330109", "330110", "330111", "330112",
         "330122", "330127", "330182", "QTXQ"]
ORDINARY = ["餐饮服务", "日用百货、服装鞋帽的销售", "建筑工程施工", "物业管理", "货物进出口", "企业管理咨询",
            "五金交电、建筑材料的批发、零售", "会务服务、展览展示服务", "房屋租赁", "道路货物运输", "广告设计、制作、代理、发布",
            "计算机软硬件的技术开发、技术服务", "机械设备的生产、加工", "预包装食品销售", "家政服务"]
VERBS = ["的研发、生产", "的技术开发、技术咨询", "的生产、销售", "的设计、制造"]


def generate(n: int, seed: int = 2019) -> list[Record]:
    rng = random.Random(seed)
    words = [p for c in chains() for s in c.segments for p, _ in s.keywords] + [p for c in chains() for p, _ in c.identity]
    pool = []
    for _ in range(200_000):
        parts = [rng.choice(ORDINARY) + rng.choice(["", "；" + rng.choice(ORDINARY)]) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.08:
            for _ in range(rng.randint(1, 2)):
                if rng.random() < 0.75:
                    parts.append("、".join(rng.sample(words, rng.randint(1, 3))) + rng.choice(VERBS))
                else:
                    parts.append("批发、零售：" + "、".join(rng.sample(words, 2) + rng.sample(ORDINARY[:3], 1)))
            rng.shuffle(parts)
        pool.append("；".join(parts) + "（依法须经批准的项目，经相关部门批准后方可开展经营活动）")
    chars = "华信达新恒盛通泰元瑞联创博森宏睿"
    out = []
    for i in range(n):
        word = rng.choice(["医药", "生物科技", "航空", "医疗器械"]) if rng.random() < 0.03 else rng.choice(
            ["科技", "贸易", "电子", "建设", "服饰", "餐饮管理", "信息技术"])
        name = f"杭州{rng.choice(chars)}{rng.choice(chars)}{word}有限公司"
        out.append(Record(f"G{i:09d}", name, rng.choice(pool), rng.choice([None, "20", "205", "10", "806"]), ()))
    return out


def baseline(records: list[Record]) -> tuple[int, float, float]:
    import pandas as pd

    df = pd.DataFrame({"uscc": [r.uscc for r in records], "text": [f"{r.name} {r.scope}" for r in records],
                       "unit": [UNITS[i % len(UNITS)] for i in range(len(records))]})
    t0 = time.perf_counter()
    frames = []
    for c in chains():
        for s in c.segments:
            rx = "|".join(re.escape(p) for p, _ in s.keywords)
            hit = df["text"].str.contains(rx, regex=True)
            frames.append(pd.DataFrame({"uscc": df["uscc"][hit], "unit": df["unit"][hit], "chain": c.code,
                                        "segment": s.code}))
    placed = pd.concat(frames, ignore_index=True)
    t1 = time.perf_counter()
    counts = placed.groupby(["chain", "unit", "segment"]).size()
    city = placed.groupby(["chain", "segment"]).size()
    del counts, city
    return len(placed), t1 - t0, time.perf_counter() - t1


def ours(records: list[Record]) -> tuple[int, float, float]:
    import pyarrow as pa

    from industry_brain._core.store import open_store
    from industry_brain.chains import gaps

    placer = Placer(chains())
    # load jieba and the lexicon before timing (a record that names a chain phrase, so that the reader runs)
    placer.place(Record("WARM", "杭州预热科技有限公司", "虚拟现实设备的研发、生产", None, ()))
    t0 = time.perf_counter()
    placed = placer.place_many(records)
    t1 = time.perf_counter()
    store = open_store(":memory:")
    unit_of = {r.uscc: UNITS[i % len(UNITS)] for i, r in enumerate(records)}
    store.con.register("p", pa.table({"uscc": [p.uscc for p in placed], "chain": [p.chain for p in placed],
                                      "segment": [p.segment for p in placed]}))
    store.execute("INSERT INTO chain_placement SELECT uscc, chain, segment, 1, 1, [], 1 FROM p")
    store.con.register("u", pa.table({"uscc": list(unit_of), "unit": list(unit_of.values())}))
    # gaps count placements by map unit; the generated records' units stand in for the register's
    store.execute("CREATE TEMP TABLE bench_units AS SELECT * FROM u")
    import numpy as np

    from industry_brain.chains._gaps import Counts

    t2 = time.perf_counter()
    for c in chains():
        rows = store.fetchall("SELECT b.unit, p.segment, count(*) FROM chain_placement p JOIN bench_units b USING (uscc)"
                              " WHERE p.chain = ? GROUP BY ALL", [c.code])
        segs = tuple(s.code for s in c.segments)
        m = np.zeros((len(UNITS), len(segs)), dtype=np.int64)
        for unit, seg, count in rows:
            m[UNITS.index(unit), segs.index(seg)] = count
        k = Counts(tuple(UNITS), segs, m)
        gaps(store, c, None, counts=k)
        for unit in UNITS:
            gaps(store, c, unit, counts=k)
    return len(placed), t1 - t0, time.perf_counter() - t2


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--records", type=int, default=None)
    args = ap.parse_args()
    n = args.records or (100_000 if args.quick else 1_000_000)
    t = time.perf_counter()
    records = generate(n)
    print(f"records {n:,} generated in {time.perf_counter() - t:.1f} s (200,000 distinct scopes), chains {len(chains())}, "
          f"segments {sum(len(c.segments) for c in chains())}")
    bp, bt, bg = baseline(records)
    print(f"baseline  : {bp:,} placements in {bt:.2f} s = {n / bt:,.0f} records/s; gaps (groupby) {bg * 1000:.0f} ms")
    op, ot, og = ours(records)
    print(f"ours      : {op:,} placements in {ot:.2f} s = {n / ot:,.0f} records/s (target ≥ 200,000); "
          f"gaps for the city and 14 districts × {len(chains())} chains {og * 1000:.0f} ms (target < 1 s)")
    print(f"ratio     : {bt / ot:.2f}× the baseline's speed, with {op / max(bp, 1):.2f}× its placements "
          f"(the baseline has no clause, trade or identity reading)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
