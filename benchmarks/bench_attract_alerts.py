"""Alerts between two versions of a million-record list: ours (DuckDB SQL over the two batches) against a pandas
baseline in the same run, and a check that both find the same alerts.

    .venv/bin/python benchmarks/bench_attract_alerts.py            # 1,000,000 records per version
    .venv/bin/python benchmarks/bench_attract_alerts.py --quick    # 100,000

The two versions are written straight into ``enterprise_record`` of a fresh DuckDB file (the import itself is
measured by ``bench_import.py``), with a fixed pattern of changes: 1 % of the firms are gone from the later
version, about 1 % each move to another unit, are deregistered (登记状态 注销), cut their capital to 40 %, change
name, or add an item to their business scope; new records make up 1 % of the later version, half of them branches
(分公司) named after a watched firm, registered in Shanghai or in Hangzhou. About 2,000 firms are watched by three
units, as anchors (every second one, in its own unit) or targets (in one of three districts); certificates of 2018 lapse within the window.

Ours: :func:`industry_brain.attract.find_alerts` (the comparison restricted to the watched codes, the branch search
over every new record) and :func:`industry_brain.attract.compute_alerts` (the same, stored). The baseline: the two
versions as pandas DataFrames in memory (their loading is reported apart and not counted), ``merge`` on the code,
the same rules as column expressions, ``json.loads`` of the status of the watched rows, and the branches by
``str.contains`` then a merge on the first characters of the name and ``startswith`` per candidate pair.
Target: ours < 5 s for two versions of 1,000,000. Times are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from industry_brain._core.store import Store, open_store  # noqa: E402
from industry_brain.attract import compute_alerts, find_alerts  # noqa: E402
from industry_brain.attract._alert_kinds import CERT_YEARS, DEREGISTERED, MOVED, STATUS_HEADERS  # noqa: E402
from industry_brain.attract._alerts import HANGZHOU  # noqa: E402

UNITS = ["330102", "330105", "330106", "330108", "330109", "330110", "330111", "330112", "330122", "330127",
         "330182", "330183", "330185"]
DISTRICTS = ["330106", "330108", "330110"]
AS_OF, MONTHS = date(2021, 9, 1), 6
WATCH_EVERY = 487
SCOPES = ["计算机软件开发；技术服务", "生物技术开发；技术咨询", "电子产品研发、生产", "新材料技术开发；技术转让",
          "医疗器械研发；第二类医疗器械经营", "网络技术开发、技术服务；数据处理"]
DIGITS = "零一二三四五六七八九"


def build(store: Store, n: int) -> tuple[int, int]:
    """Write the two versions and the watch lists; returns (earlier batch, later batch)."""
    units = "[" + ", ".join(f"'{u}'" for u in UNITS) + "]"
    scopes = "[" + ", ".join(f"'{s}'" for s in SCOPES) + "]"
    for b in (1, 2):
        store.execute("INSERT INTO import_batch (batch_id, source, file_name, sha256, file_format, rows_read,"
                      " rows_loaded, rows_quarantined, synthetic, started_at, finished_at) VALUES"
                      " (?, 'bench', ?, ?, 'csv', ?, ?, 0, true, now(), now())", [b, f"v{b}.csv", f"sha{b}", n, n])
    base = f"""SELECT i, '91330106BM' || lpad(i::VARCHAR, 8, '0') AS uscc,
        translate(lpad(i::VARCHAR, 7, '0'), '0123456789', '{DIGITS}') AS word,
        {units}[1 + i % {len(UNITS)}] AS unit, 100.0 + i % 5000 AS capital,
        {scopes}[1 + i % {len(SCOPES)}] AS scope, 2017 + i % 4 AS year FROM range({n}) t(i)"""
    cols = ("batch_id, source_row, uscc, name, name_norm, capital_wan_cny, business_scope, division_code,"
            " map_unit_2019, hightech, hightech_cert_no, hightech_year, synthetic, extra")
    store.execute(f"""INSERT INTO enterprise_record ({cols})
        SELECT 1, i + 2, uscc, '杭州' || word || '科技有限公司', word || '科技', capital, scope, unit, unit, true,
               'GR' || year || '33' || lpad((i % 100000)::VARCHAR, 5, '0'), year, true, '{{"登记状态":"存续"}}'
        FROM ({base})""")
    nxt = f"{units}[1 + (i + 1) % {len(UNITS)}]"
    store.execute(f"""INSERT INTO enterprise_record ({cols})
        SELECT 2, i + 2, uscc,
               '杭州' || word || CASE WHEN i % 79 = 1 OR (i % {WATCH_EVERY} = 0 AND (i // {WATCH_EVERY}) % 13 = 4) THEN '智能科技有限公司' ELSE '科技有限公司' END,
               word || CASE WHEN i % 79 = 1 OR (i % {WATCH_EVERY} = 0 AND (i // {WATCH_EVERY}) % 13 = 4) THEN '智能科技' ELSE '科技' END,
               CASE WHEN i % 83 = 2 OR (i % {WATCH_EVERY} = 0 AND (i // {WATCH_EVERY}) % 13 = 3) THEN capital * 0.4 ELSE capital END,
               CASE WHEN i % 71 = 4 OR (i % {WATCH_EVERY} = 0 AND (i // {WATCH_EVERY}) % 13 = 5) THEN scope || '；人工智能软件开发' ELSE scope END,
               CASE WHEN i % 97 = 3 OR (i % {WATCH_EVERY} = 0 AND (i // {WATCH_EVERY}) % 13 = 1) THEN {nxt} ELSE unit END, CASE WHEN i % 97 = 3 OR (i % {WATCH_EVERY} = 0 AND (i // {WATCH_EVERY}) % 13 = 1) THEN {nxt} ELSE unit END, true,
               'GR' || year || '33' || lpad((i % 100000)::VARCHAR, 5, '0'), year, true,
               CASE WHEN i % 89 = 5 OR (i % {WATCH_EVERY} = 0 AND (i // {WATCH_EVERY}) % 13 = 2) THEN '{{"登记状态":"注销"}}' ELSE '{{"登记状态":"存续"}}' END
        FROM ({base}) WHERE NOT (i % 100 = 7 OR (i % {WATCH_EVERY} = 0 AND (i // {WATCH_EVERY}) % 13 = 6))""")
    watched = (n + WATCH_EVERY - 1) // WATCH_EVERY
    store.execute(f"""INSERT INTO enterprise_record ({cols})
        SELECT 2, {n} + 2 + j, '91330106BN' || lpad(j::VARCHAR, 8, '0'),
               CASE WHEN j % 2 = 0 THEN '杭州' || translate(lpad(((j // 2) % {watched} * {WATCH_EVERY})::VARCHAR, 7,
                    '0'), '0123456789', '{DIGITS}') || '科技有限公司' || CASE WHEN j % 4 = 0 THEN '上海分公司'
                    ELSE '滨江分公司' END
                    ELSE '杭州新' || translate(lpad(j::VARCHAR, 7, '0'), '0123456789', '{DIGITS}') || '有限公司' END,
               'x', 100, '软件开发', CASE WHEN j % 4 = 0 THEN '310115' ELSE '330108' END,
               CASE WHEN j % 4 = 0 THEN NULL ELSE '330108' END, false, NULL, NULL, true, NULL
        FROM range({n // 100}) t(j)""")
    store.execute(f"""INSERT INTO attract_watch (district, uscc, kind, origin, added_at)
        SELECT d, uscc, CASE WHEN map_unit_2019 = d THEN 'anchor' ELSE 'target' END, 'bench', now()
        FROM (SELECT uscc, map_unit_2019, CASE WHEN (source_row // {WATCH_EVERY}) % 2 = 1 THEN map_unit_2019
                     ELSE {DISTRICTS}[1 + (source_row // {WATCH_EVERY}) % 3] END AS d
              FROM enterprise_record WHERE batch_id = 1 AND (source_row - 2) % {WATCH_EVERY} = 0)""")
    return 1, 2


def load_frames(store: Store) -> dict[str, Any]:
    cols = ("uscc, source_row, name, name_norm, capital_wan_cny, business_scope, map_unit_2019, division_code,"
            " hightech_year, hightech_cert_no, CAST(extra AS VARCHAR) AS extra")
    return {"o": store.con.sql(f"SELECT {cols} FROM enterprise_record WHERE batch_id = 1").df(),
            "n": store.con.sql(f"SELECT {cols} FROM enterprise_record WHERE batch_id = 2").df(),
            "w": store.con.sql("SELECT district, uscc, kind FROM attract_watch").df()}


def _status(extra: Any) -> str | None:
    if not isinstance(extra, str):
        return None
    data = json.loads(extra)
    for h in STATUS_HEADERS:
        if h in data:
            return str(data[h])
    return None


def baseline(frames: dict[str, Any]) -> set[str]:
    """The same rules in pandas; returns the alerts' keys."""
    import pandas as pd

    o, n, w = frames["o"], frames["n"], frames["w"]
    j = w.merge(o.add_suffix("_o"), left_on="uscc", right_on="uscc_o", how="left")
    j = j.merge(n.add_suffix("_n"), left_on="uscc", right_on="uscc_n", how="left")
    j = j[j["uscc_o"].notna() | j["uscc_n"].notna()].copy()
    had, has = j["uscc_o"].notna(), j["uscc_n"].notna()
    so, sn = j["extra_o"].map(_status), j["extra_n"].map(_status)
    dereg = "|".join(DEREGISTERED)
    keys: set[str] = set()

    def add(kind: str, mask: pd.Series, what: Any) -> None:
        for d, u, x in zip(j["district"][mask], j["uscc"][mask], what[mask] if hasattr(what, "__getitem__") and
                           not isinstance(what, str) else [what] * int(mask.sum()), strict=True):
            keys.add(f"{kind}|{d}|{u}|{x}")

    pair = "b2"
    unit_n, div_n = j["map_unit_2019_n"], j["division_code_n"]
    elsewhere = (unit_n.notna() & (unit_n != j["district"])) | (
        unit_n.isna() & div_n.notna() & ~div_n.fillna("").str.startswith(HANGZHOU))
    moved_unit = had & has & (j["map_unit_2019_o"] == j["district"]) & elsewhere
    moved_status = has & sn.fillna("").str.contains(MOVED) & ~so.fillna("").str.contains(MOVED)
    add("moved_out", moved_unit | moved_status, pair)
    add("deregistered", has & sn.fillna("").str.contains(dereg) & ~so.fillna("").str.contains(dereg), pair)
    add("removed_from_list", had & ~has, pair)
    add("capital_reduced", had & has & (j["capital_wan_cny_n"] < j["capital_wan_cny_o"]), pair)
    add("renamed", had & has & (j["name_o"] != j["name_n"]), pair)
    add("scope_changed", had & has & (j["business_scope_o"].fillna("") != j["business_scope_n"].fillna("")), pair)
    year = j["hightech_year_n"]
    lapse = pd.to_datetime((year + CERT_YEARS).astype("Int64").astype(str) + "-12-31", errors="coerce")
    end = pd.Timestamp(AS_OF) + pd.DateOffset(months=MONTHS)
    cert = has & (lapse >= pd.Timestamp(AS_OF)) & (lapse <= end)
    add("cert_expiring", cert, "cert:" + j["hightech_cert_no_n"].fillna(year.astype(str)))
    # branches: new records with a branch word, joined to the watched firms on the first characters of the name
    latest = pd.concat([o.assign(b=1), n.assign(b=2)]).sort_values("b").drop_duplicates("uscc", keep="last")
    firms = w.merge(latest, on="uscc")
    firms = firms[firms["division_code"].notna()]
    prefixes = pd.concat([firms.assign(prefix=firms["name"]), firms.assign(prefix=firms["name_norm"])])
    prefixes = prefixes[prefixes["prefix"].notna() & (prefixes["prefix"].str.len() >= 2)].drop_duplicates(
        ["district", "uscc", "prefix"])
    cand = n[n["name"].str.contains("分公司|分支机构|办事处") & n["division_code"].notna() & ~n["uscc"].isin(o["uscc"])]
    cand = cand.assign(k4=cand["name"].str[:4], k2=cand["name"].str[:2])
    long = prefixes[prefixes["prefix"].str.len() >= 4].assign(k4=lambda f: f["prefix"].str[:4])
    short = prefixes[prefixes["prefix"].str.len() < 4].assign(k2=lambda f: f["prefix"].str[:2])
    m = pd.concat([cand.merge(long, on="k4", suffixes=("_b", "")), cand.merge(short, on="k2", suffixes=("_b", ""))])
    for d, u, bu, bn, bd, p, fd in zip(m["district"], m["uscc"], m["uscc_b"], m["name_b"], m["division_code_b"],
                                       m["prefix"], m["division_code"], strict=True):
        if bn.startswith(p) and bu != u and bd[:4] != fd[:4]:
            keys.add(f"branch_elsewhere|{d}|{u}|{bu}")
    return keys


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100,000 records per version")
    ap.add_argument("-n", type=int, default=None, help="records per version")
    args = ap.parse_args()
    n = args.n or (100_000 if args.quick else 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.duckdb")
        t = time.perf_counter()
        before, after = build(store, n)
        watched = store.fetchone("SELECT count(*) FROM attract_watch")
        later = store.fetchone("SELECT count(*) FROM enterprise_record WHERE batch_id = 2")
        print(f"two versions of {n:,} and {later[0] if later else 0:,} records, {watched[0] if watched else 0:,}"
              f" watched firms, written in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        ours = find_alerts(store, after, before, "bench", as_of=AS_OF, months=MONTHS)
        t_ours = time.perf_counter() - t
        t = time.perf_counter()
        run = compute_alerts(store, after, as_of=AS_OF, months=MONTHS)
        t_stored = time.perf_counter() - t
        t = time.perf_counter()
        frames = load_frames(store)
        t_load = time.perf_counter() - t
        t = time.perf_counter()
        theirs = baseline(frames)
        t_base = time.perf_counter() - t
        store.close()
    mine = {a.key for a in ours}
    by_kind: dict[str, int] = {}
    for a in ours:
        by_kind[a.kind] = by_kind.get(a.kind, 0) + 1
    print(f"alerts: {len(mine):,} " + ", ".join(f"{k} {v:,}" for k, v in sorted(by_kind.items())))
    print(f"ours (find_alerts, DuckDB):        {t_ours:8.2f} s   target < 5 s: {'met' if t_ours < 5 else 'MISSED'}")
    print(f"ours (compute_alerts, stored):     {t_stored:8.2f} s   ({run.alerts_added:,} stored)")
    print(f"baseline (pandas, frames in RAM):  {t_base:8.2f} s   (+ {t_load:.2f} s loading the frames, not counted)")
    print(f"ratio baseline / ours:             {t_base / t_ours:8.2f} ×")
    same = mine == theirs
    print(f"same alerts: {'yes' if same else 'NO'}")
    if not same:
        print(f"  only ours: {sorted(mine - theirs)[:5]} …  only baseline: {sorted(theirs - mine)[:5]} …")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
