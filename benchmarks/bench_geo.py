"""Address resolution throughput: ``resolve_many`` against the naive per-row ``resolve_address`` loop.

    .venv/bin/python benchmarks/bench_geo.py              # 200,000 generated addresses
    .venv/bin/python benchmarks/bench_geo.py --size 1000000

The addresses are generated (never read from the real register): the mix of forms seen in real registers — with
and without 浙江省/杭州市, old and new district names, township-only addresses, development zones, roads without
any district — with random house numbers and rooms, so that nearly every address is distinct. Each of the three
contenders runs in the same process on the same list, each with a cold cache:

- ``uncached``: the reader applied to every row with no cache at all (what a straightforward implementation does);
- ``per-row``: ``resolve_address`` in a Python loop (shares the prefix cache, builds one Placement per row);
- ``resolve_many``: vectorised normalisation in Arrow, one read per distinct prefix, columns out.
"""

from __future__ import annotations

import argparse
import random
import resource
import time

DISTRICTS = ["上城区", "下城区", "江干区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区", "富阳区", "临安区",
             "桐庐县", "淳安县", "建德市", "富阳市", "临安市", "钱塘新区"]
STREETS = ["转塘街道", "千岛湖镇", "党湾镇", "锦城街道", "下沙街道", "临平街道", "九堡街道", "良渚街道", "瓜沥镇",
           "三墩镇", "新塘街道", "北干街道", "银湖街道", "青山湖街道", "东新街道", "南苑街道", "浦沿街道"]
ZONES = ["杭州经济技术开发区", "高新区（滨江）", "大江东产业集聚区", "杭州高新技术产业开发区", "萧山经济技术开发区"]
ROADS = ["文三路", "西湖大道", "余杭塘路", "江南大道", "莫干山路", "延安路", "秋涛路", "建国北路", "文一西路",
         "市心北路", "天城东路", "金城路", "古墩路", "教工路", "九环路", "6号大街", "江晖路", "科技大道"]
PREFIXES = ["", "杭州市", "浙江省杭州市", "杭州", "浙江杭州"]
CODES = ["330102", "330103", "330104", "330105", "330106", "330108", "330109", "330110", "330100", "330183",
         "330185", "330122", "330127", "330182", "330101"]


def generate(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    rnd = random.Random(seed)
    texts: list[str] = []
    for _ in range(n):
        road = rnd.choice(ROADS)
        tail = f"{rnd.randint(1, 2000)}号{rnd.randint(1, 30)}幢{rnd.randint(101, 2999)}室"
        form = rnd.random()
        if form < 0.60:
            text = rnd.choice(PREFIXES) + rnd.choice(DISTRICTS) + road + tail
        elif form < 0.80:
            text = rnd.choice(PREFIXES) + rnd.choice(DISTRICTS) + rnd.choice(STREETS) + road + tail
        elif form < 0.88:
            text = rnd.choice(PREFIXES[:3]) + rnd.choice(STREETS) + road + tail
        elif form < 0.95:
            text = rnd.choice(["", "浙江省"]) + rnd.choice(ZONES) + road + tail
        else:
            text = rnd.choice(PREFIXES[:2]) + road + tail
        texts.append(text)
    codes = [rnd.choice(CODES) for _ in range(n)]
    return texts, codes


def _clear() -> None:
    from industry_brain.geo import _resolver

    _resolver.clear_caches()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--uncached-size", type=int, default=20_000, help="rows for the slow uncached baseline")
    args = parser.parse_args()

    from industry_brain.geo import resolve_address, resolve_many
    from industry_brain.geo._resolver import _read, normalize

    texts, codes = generate(args.size)
    resolve_address("杭州市西湖区文三路1号")  # load tables, compile the regexes, warm Arrow up: outside the timings
    resolve_many(["杭州市西湖区文三路1号"], ["330106"])
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    m = min(args.uncached_size, args.size)
    t = time.perf_counter()
    for text in texts[:m]:
        _read(normalize(text))
    uncached = m / (time.perf_counter() - t)

    _clear()
    t = time.perf_counter()
    rows = [resolve_address(a, c) for a, c in zip(texts, codes, strict=True)]
    per_row_s = time.perf_counter() - t

    _clear()
    t = time.perf_counter()
    table = resolve_many(texts, codes)
    many_s = time.perf_counter() - t
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    _clear()
    t = time.perf_counter()
    resolve_many(texts, codes)
    many_s2 = time.perf_counter() - t

    assert table.num_rows == len(rows)
    assert table.column("map_unit_2019").to_pylist()[:1000] == [r.map_unit_2019 for r in rows[:1000]]
    placed = sum(1 for u in table.column("map_unit_2019").to_pylist() if u)
    n = args.size
    print(f"addresses: {n:,} generated ({placed / n:.1%} placed on a 2019 unit)")
    print(f"uncached reader      : {uncached:>12,.0f} rows/s  (on {m:,} rows)")
    print(f"per-row resolve_addr : {n / per_row_s:>12,.0f} rows/s  {per_row_s:7.2f} s")
    print(f"resolve_many         : {n / many_s:>12,.0f} rows/s  {many_s:7.2f} s  (second run {many_s2:.2f} s)")
    print(f"ratio resolve_many / per-row  : {per_row_s / many_s:6.1f}x")
    print(f"ratio resolve_many / uncached : {(n / many_s) / uncached:6.1f}x")
    print(f"peak RSS: {rss1 / 1024:,.0f} MiB (before timings {rss0 / 1024:,.0f} MiB)")


if __name__ == "__main__":
    main()
