"""Matching needs against providers: the vectorised matcher against a plain Python loop, and one match over HTTP.

    .venv/bin/python benchmarks/bench_services.py                 # 10,000 needs × 50,000 providers, 200 HTTP calls
    .venv/bin/python benchmarks/bench_services.py --quick         # 1,000 needs × 5,000 providers

Providers and needs are generated from the platform's own vocabulary (kinds, cue words, high-tech fields,
districts) with a fixed seed. Our code: ``services.Matcher`` (TF-IDF sparse products and NumPy over blocks of
needs). The baseline: the same score computed pair by pair in a plain loop over dictionaries (token weights as
dicts, components as Python arithmetic), timed on a sample of needs and reported per need. The HTTP figure starts
``ib serve`` on a store holding the generated directory and asks ``/api/v1/services/needs/{id}/matches`` one
request at a time (the server's answer includes every result's reasons). Targets: ≥ 1,000 needs matched per
second; p99 < 50 ms for one match over HTTP.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from industry_brain.services import COMPONENTS, Matcher, Need, Provider, kinds  # noqa: E402
from industry_brain.services._matching import _chars, district_distances, field_fit, tokens  # noqa: E402

DISTRICTS = ["330102", "330103", "330104", "330105", "330106", "330108", "330109", "330110", "330111", "330112",
             "330122", "330127", "330182", "QTXQ"]
FIELDS = ["101", "102", "103", "104", "106", "107", "201", "203", "204", "205", "401", "403", "501", "502", "505",
          "601", "603", "701", "801", "804", "806"]
OBJECTS = ["芯片", "医疗器械", "注射剂", "锂电池", "光伏组件", "工业机器人", "传感器", "软件", "新材料", "充电桩", "无人机",
           "生物药", "环保设备", "智能家居", "半导体", "疫苗", "碳纤维", "服务器", "5G模组", "诊断试剂"]
ACTIONS = ["检测", "认证", "中试", "申请专利", "融资", "贷款", "招聘", "孵化", "成果转化", "法律咨询", "税务筹划", "临床前研究",
           "共享仪器", "表征分析", "标准制定", "技术许可", "股权投资", "工艺开发", "注册申报", "人才引进"]


def generate(n_providers: int, n_needs: int, seed: int = 2019) -> tuple[list[Provider], list[Need]]:
    rng = random.Random(seed)
    kind_list = list(kinds().values())
    providers = []
    for i in range(n_providers):
        k = rng.choice(kind_list)
        words = rng.sample(k.cues, min(4, len(k.cues))) + rng.sample(OBJECTS, 3) + rng.sample(ACTIONS, 2)
        desc = "提供" + "、".join(words) + "等服务，" + rng.choice(["经验丰富", "资质齐全", "响应迅速", "价格透明"])
        providers.append(Provider(f"G{i:06d}", f"杭州{rng.choice(OBJECTS)}{k.zh}{i}", k.code, desc,
                                  tuple(rng.sample(FIELDS, rng.randint(1, 3))) if rng.random() < 0.7 else ("*",),
                                  rng.choice(DISTRICTS), rng.randint(1, 300)))
    needs = []
    for i in range(n_needs):
        k = rng.choice(kind_list)
        text = f"我们做{rng.choice(OBJECTS)}，需要{rng.choice(k.cues)}和{rng.choice(ACTIONS)}，{rng.choice(['比较急', '预算有限', '希望本地机构', ''])}"
        needs.append(Need(f"Q{i:06d}", text, rng.choice(FIELDS) if rng.random() < 0.6 else None, rng.choice(DISTRICTS)))
    return providers, needs


def plain_loop(providers: list[Provider], needs: list[Need], k: int = 10) -> list[list[str]]:
    """The same score, pair by pair, without vectorisation: token weights as dicts, components in Python."""
    docs_w = [tokens(f"{p.name} {kinds()[p.kind].zh} {p.description}") for p in providers]
    docs_c = [_chars(f"{p.name} {kinds()[p.kind].zh} {p.description}") for p in providers]

    def idf(docs: list[list[str]]) -> dict[str, float]:
        df: dict[str, int] = {}
        for d in docs:
            for t in set(d):
                df[t] = df.get(t, 0) + 1
        n = len(docs)
        return {t: math.log((1 + n) / (1 + c)) + 1 for t, c in df.items()}

    def vec(doc: list[str], weights: dict[str, float]) -> dict[str, float]:
        tf: dict[str, int] = {}
        for t in doc:
            if t in weights:
                tf[t] = tf.get(t, 0) + 1
        v = {t: (1 + math.log(c)) * weights[t] for t, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    iw, ic = idf(docs_w), idf(docs_c)
    pv = [(vec(a, iw), vec(b, ic)) for a, b in zip(docs_w, docs_c, strict=True)]
    codes, km = district_distances()
    pos = {c: i for i, c in enumerate(codes)}
    kind_cues = {kk.code: kk.cues for kk in kinds().values()}
    from industry_brain.services._matching import _placer, settings

    w = {k: float(v) for k, v in settings()["weights"].items()}
    placer = _placer()
    psegs = [{(c, s) for c, s, _ in placer.text_segments(f"{p.name} {kinds()[p.kind].zh} {p.description}")}
             for p in providers]
    out = []
    for need in needs:
        qw, qc = vec(tokens(need.text), iw), vec(_chars(need.text), ic)
        hits = {c: sum(1 for cue in cues if cue.lower() in need.text.lower()) for c, cues in kind_cues.items()}
        found = placer.text_segments(need.text)
        nseg = (found[0][0], found[0][1]) if found else None
        top_hits = max(hits.values()) or 1
        scored = []
        for p, (a, b), segs in zip(providers, pv, psegs, strict=True):
            text = 0.5 * sum(x * a.get(t, 0.0) for t, x in qw.items()) + 0.5 * sum(x * b.get(t, 0.0) for t, x in qc.items())
            dist = 1.0 if need.district == p.district else math.exp(-km[pos[need.district or ""], pos[p.district or ""]] / 25)
            cap = min(1.0, math.log1p(p.capacity or 0) / math.log1p(50))
            chain = 0.0 if nseg is None else 0.5 * (nseg in segs) + 0.5 * any(x[0] == nseg[0] for x in segs)
            s = (w["text"] * text + w["kind"] * hits[p.kind] / top_hits + w["field"] * field_fit(need.field, p.fields)
                 + w["chain"] * chain
                 + w["district"] * dist + w["capacity"] * cap + w["reputation"] * 0.45)
            scored.append((s, p.provider_id))
        scored.sort(key=lambda t: (-t[0], t[1]))
        out.append([pid for _, pid in scored[:k]])
    return out


def http_figures(providers: list[Provider], needs: list[Need], calls: int) -> dict[str, float]:
    import httpx

    from industry_brain._core.store import open_store
    from industry_brain.services import import_needs, import_providers

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        pfile, nfile = Path(tmp) / "providers.csv", Path(tmp) / "needs.csv"
        with pfile.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["编号", "机构名称", "机构类型", "服务领域", "所在区县", "服务内容", "月服务能力"])
            for p in providers:
                w.writerow([p.provider_id, p.name, p.kind, ";".join(p.fields), p.district, p.description, p.capacity])
        with nfile.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["编号", "需求描述", "领域", "所在区县"])
            for n in needs[:calls]:
                w.writerow([n.need_id, n.text, n.field or "", n.district])
        t0 = time.perf_counter()
        store = open_store(home / "industry_brain.duckdb")
        import_providers(store, pfile)
        import_needs(store, nfile)
        store.con.close()
        load_s = time.perf_counter() - t0
        port = 18000 + os.getpid() % 1000
        env = {**os.environ, "IB_HOME": str(home)}
        proc = subprocess.Popen([sys.executable, "-m", "industry_brain", "serve", "--demo", "--port", str(port)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(600):
                try:
                    if httpx.get(url + "/api/v1/me", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            with httpx.Client(base_url=url, timeout=60) as client:
                t1 = time.perf_counter()
                first = client.get(f"/api/v1/services/needs/{needs[0].need_id}/matches")
                cold_ms = (time.perf_counter() - t1) * 1000
                assert first.status_code == 200, first.text
                times = []
                for n in needs[1:calls]:
                    t = time.perf_counter()
                    r = client.get(f"/api/v1/services/needs/{n.need_id}/matches")
                    times.append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    times.sort()
    return {"load_s": load_s, "cold_ms": cold_ms, "p50_ms": statistics.median(times),
            "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))], "calls": len(times)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--sample", type=int, default=20, help="needs timed with the plain loop")
    ap.add_argument("--calls", type=int, default=200, help="HTTP requests")
    args = ap.parse_args()
    n_p, n_n = (5_000, 1_000) if args.quick else (50_000, 10_000)
    providers, needs = generate(n_p, n_n)
    tokens("预热")  # jieba's dictionary loads once per process: not part of either timing
    t0 = time.perf_counter()
    matcher = Matcher(providers)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = matcher.match_many(needs, 10)
    ours_s = time.perf_counter() - t0
    sample = needs[: args.sample]
    t0 = time.perf_counter()
    base = plain_loop(providers, sample)
    base_s = time.perf_counter() - t0
    agree = sum(len(set(a) & {pid for pid, _ in b}) for a, b in zip(base, ours[: len(sample)], strict=True)) / (10 * len(sample))
    ours_rate, base_rate = n_n / ours_s, len(sample) / base_s
    print(f"providers {n_p:,}, needs {n_n:,}, components {', '.join(COMPONENTS)}")
    print(f"ours      : index built in {build_s:.2f} s; {n_n:,} needs matched in {ours_s:.2f} s = {ours_rate:,.0f} needs/s "
          f"(target ≥ 1,000)")
    print(f"plain loop: {len(sample)} needs in {base_s:.2f} s = {base_rate:,.2f} needs/s")
    print(f"ratio     : {ours_rate / base_rate:,.0f}× ; top-10 agreement with the loop {agree:.0%}")
    web = http_figures(providers, needs, args.calls)
    print(f"http      : directory imported in {web['load_s']:.1f} s; first match {web['cold_ms']:.0f} ms (builds the index); "
          f"{web['calls']} matches p50 {web['p50_ms']:.1f} ms, p99 {web['p99_ms']:.1f} ms (target p99 < 50 ms)")


if __name__ == "__main__":
    main()
