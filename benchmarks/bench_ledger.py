"""Ledger performance: batched durable appends, inclusion proofs at 1 M and 10 M entries, whole-log verification.

    .venv/bin/python benchmarks/bench_ledger.py            # default (about 2-3 minutes on 2 cores)
    .venv/bin/python benchmarks/bench_ledger.py --quick    # 100 k-entry log, no 10 M tree (seconds)
    .venv/bin/python benchmarks/bench_ledger.py --full     # longer append runs, more proof samples

What runs, each contender in the same process on the same machine and disk:

1. Appends. ``Log.append_many`` on a fresh log: each batch writes its entry bundle and tiles (temporary file,
   fsync, rename, directory fsync), signs a checkpoint (Ed25519) and renames it into place; the call returns
   only then. Entries are ~250-byte canonical-JSON records like the patent entries. Swept over batch sizes; the
   baseline is batch size 1 (one fsynced, signed checkpoint per entry). A second column adds the submitter's
   own Ed25519 signature over each entry inside the timed loop (what ``ib patents submit`` does per entry).
   Anchors (published by Tessera's POSIX driver, other hardware): 2,900/s on hard disks, ~10,000/s on NVMe.
2. Inclusion proofs at 1 M entries (a real log, appended through ``Log.append_many`` in large batches) and at
   10 M entries (hash tiles built directly from synthetic leaf hashes through the tiles layer, with a signed
   checkpoint, but no entry bundles; proofs read tiles exactly as for an appended log). "cold": a freshly
   opened ``Log`` per proof (empty tile cache; files in the OS page cache); "warm": one open ``Log``.
   Baseline: the RFC 9162 definition of PATH evaluated literally over the leaf hashes held in memory (every
   proof recomputes the subtrees it needs). Every baseline proof is checked equal to the tiled one.
3. Verifying the 1 M-entry log with ``verify_log`` (what ``ib ledger verify`` runs: every entry rehashed,
   every tile compared, the root checked against the signed checkpoint). Baseline: reading every entry and
   computing the root in memory (no tile comparison, no localisation of problems).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ORIGIN = "bench.example.cn/ledger"
TARGET_APPENDS = 5_000
TARGET_PROOF_MS = 1.0


def _fmt(x: float) -> str:
    return f"{x:,.0f}"


def _stats_ms(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    q = lambda p: s[min(len(s) - 1, int(p * len(s)))]  # noqa: E731
    return {"median": q(0.5) * 1e3, "p95": q(0.95) * 1e3, "p99": q(0.99) * 1e3, "max": s[-1] * 1e3}


def _fsync_latency(folder: Path, n: int = 50) -> float:
    """Median time to write 4 KB to a new file, fsync it, rename it and fsync the folder (one durable file)."""
    times = []
    for i in range(n):
        t = time.perf_counter()
        tmp, dst = folder / f"probe{i}.tmp", folder / f"probe{i}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, b"\0" * 4096)
        os.fsync(fd)
        os.close(fd)
        os.replace(tmp, dst)
        dfd = os.open(folder, os.O_RDONLY)
        os.fsync(dfd)
        os.close(dfd)
        times.append(time.perf_counter() - t)
        dst.unlink()
    return statistics.median(times) * 1e3


# ---- 1. appends ------------------------------------------------------------------------------------------
def _entry_body(i: int, rng: random.Random) -> bytes:
    record = {
        "type": "evidence",
        "nonce": rng.randbytes(12).hex(),
        "patent": f"ZL2019{rng.randrange(10**7):07d}.{rng.randrange(10)}",
        "sha256": rng.randbytes(32).hex(),
        "submitter": "91330100MA2XXXXXX1",
        "seq": i,
        "time": "2026-11-24T08:00:00Z",
    }
    return json.dumps(record, separators=(",", ":"), sort_keys=True).encode()


def bench_appends(root: Path, skey: str, quick: bool, full: bool) -> dict[int, tuple[float, float]]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from industry_brain.ledger import Log

    submitter = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    rng = random.Random(1)
    bodies = [_entry_body(i, rng) for i in range(200_000)]
    plan = {1: 150, 16: 2_000, 64: 6_000, 256: 20_000, 1024: 40_000, 4096: 80_000}
    scale = 0.25 if quick else (3 if full else 1)
    results: dict[int, tuple[float, float]] = {}
    print(f"{'batch':>6} {'entries':>8} {'appends/s':>11} {'+ entry sig/s':>14} {'vs batch 1':>11}")
    for batch, count in plan.items():
        count = max(batch, int(count * scale) // batch * batch)
        rates = []
        for signed in (False, True):
            d = root / f"append-{batch}-{int(signed)}"
            log = Log.create(d, origin=ORIGIN, signer_key=skey)
            t = time.perf_counter()
            for start in range(0, count, batch):
                chunk = bodies[start : start + batch]
                if signed:
                    chunk = [b + b"\n" + base64.b64encode(submitter.sign(b)) for b in chunk]
                log.append_many(chunk)
            rates.append(count / (time.perf_counter() - t))
            assert log.size == count
            log.close()
            shutil.rmtree(d)
        results[batch] = (rates[0], rates[1])
        ratio = rates[0] / results[1][0]
        print(f"{batch:>6} {count:>8} {_fmt(rates[0]):>11} {_fmt(rates[1]):>14} {ratio:>10.0f}x")
    return results


# ---- 2. trees ------------------------------------------------------------------------------------------
def build_appended_log(root: Path, n: int, skey: str) -> tuple[Path, float]:
    from industry_brain.ledger import Log

    d = root / f"log-{n}"
    rng = random.Random(2)
    log = Log.create(d, origin=ORIGIN, signer_key=skey)
    t = time.perf_counter()
    for start in range(0, n, 65_536):
        log.append_many(
            [
                b'{"seq":%d,"sha256":"%s","type":"evidence"}' % (i, rng.randbytes(32).hex().encode())
                for i in range(start, min(n, start + 65_536))
            ]
        )
    elapsed = time.perf_counter() - t
    log.close()
    return d, elapsed


def _synthetic_leaves(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    chunk = 1 << 20
    return b"".join(rng.randbytes(32 * min(chunk, n - i)) for i in range(0, n, chunk))


def build_tile_tree(root: Path, n: int, skey: str, leaves: bytes) -> tuple[Path, float]:
    """Hash tiles of an ``n``-leaf tree straight from leaf hashes, plus a signed checkpoint (no bundles)."""
    from industry_brain.ledger._checkpoint import make_checkpoint, sign_checkpoint
    from industry_brain.ledger._merkle import tree_root
    from industry_brain.ledger._note import as_signer
    from industry_brain.ledger._tiles import TILE_WIDTH, TileNodes, TileStore, tile_relpath

    d = root / f"tiles-{n}"
    store = TileStore(d)
    t = time.perf_counter()
    level, hashes = 0, [leaves[i : i + 32] for i in range(0, len(leaves), 32)]
    made: set[Path] = set()
    while hashes:
        carry = []
        for j in range(0, len(hashes), TILE_WIDTH):
            chunk = hashes[j : j + TILE_WIDTH]
            path = d / tile_relpath(level, j // TILE_WIDTH, len(chunk))
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_bytes(b"".join(chunk))  # bench set-up: the appended log above is the durable path
            if len(chunk) == TILE_WIDTH:
                carry.append(_subtree_root(chunk))
        hashes, level = carry, level + 1
    root_hash = tree_root(TileNodes(store, n), n)
    cp = sign_checkpoint(make_checkpoint(ORIGIN, n, root_hash), as_signer(skey))
    store.write_checkpoint(cp.signed_text().encode())
    return d, time.perf_counter() - t


def _subtree_root(hashes: list[bytes]) -> bytes:
    from industry_brain.ledger._merkle import subtree_root

    return subtree_root(hashes)


def naive_path(leaves: list[bytes], index: int) -> list[bytes]:
    """RFC 9162 §2.1.3.1 PATH(m, D[n]) read literally: recursive, recomputing each sibling subtree's MTH."""
    from industry_brain.ledger._merkle import node_hash

    sys.setrecursionlimit(10_000)

    def mth(lo: int, hi: int) -> bytes:
        if hi - lo == 1:
            return leaves[lo]
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        return node_hash(mth(lo, lo + k), mth(lo + k, hi))

    def path(m: int, lo: int, hi: int) -> list[bytes]:
        if hi - lo == 1:
            return []
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        if m < k:
            return [*path(m, lo, lo + k), mth(lo + k, hi)]
        return [*path(m - k, lo + k, hi), mth(lo, lo + k)]

    return path(index, 0, len(leaves))


def bench_proofs(
    label: str, d: Path, vkey: str, leaves: list[bytes], samples: int, baseline_samples: int
) -> dict[str, object]:
    from industry_brain.ledger import Log, verify_inclusion

    rng = random.Random(3)
    ro = Log.open(d, verifier_key=vkey)
    n = ro.size
    warm, verify_t = [], []
    for _ in range(samples):
        i = rng.randrange(n)
        t = time.perf_counter()
        p = ro.prove_inclusion(i)
        warm.append(time.perf_counter() - t)
        t = time.perf_counter()
        verify_inclusion(i, n, p.leaf_hash, p.hashes, ro.root)
        verify_t.append(time.perf_counter() - t)
    cold = []
    for _ in range(max(50, samples // 10)):
        fresh = Log.open(d, verifier_key=vkey)
        i = rng.randrange(n)
        t = time.perf_counter()
        fresh.prove_inclusion(i)
        cold.append(time.perf_counter() - t)
    base = []
    for _ in range(baseline_samples):
        i = rng.randrange(n)
        t = time.perf_counter()
        naive = naive_path(leaves, i)
        base.append(time.perf_counter() - t)
        assert tuple(naive) == ro.prove_inclusion(i).hashes, "baseline and tiled proofs differ"
    w, c, v = _stats_ms(warm), _stats_ms(cold), _stats_ms(verify_t)
    b = statistics.median(base) * 1e3
    print(
        f"{label}: proof cold median {c['median']:.3f} ms (p99 {c['p99']:.3f}), warm median {w['median']:.3f} ms "
        f"(p99 {w['p99']:.3f}); verifying a proof {v['median']:.3f} ms; "
        f"baseline (in-memory recomputation) {b:,.0f} ms per proof -> {b / c['median']:,.0f}x (cold)"
    )
    return {"cold": c, "warm": w, "verify": v, "baseline_ms": b}


def bench_verify(d: Path, vkey: str) -> tuple[float, float]:
    from industry_brain.ledger import Log, verify_log
    from industry_brain.ledger._merkle import MemoryTree, leaf_hash

    t = time.perf_counter()
    report = verify_log(d, vkey)
    ours = time.perf_counter() - t
    assert report.ok, report.problems[:3]
    t = time.perf_counter()
    ro = Log.open(d, verifier_key=vkey)
    root = MemoryTree(leaf_hash(e) for e in ro.entries()).root()
    base = time.perf_counter() - t
    assert root == ro.root
    return ours, base


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="100 k-entry log, no 10 M tree, short append runs")
    ap.add_argument("--full", action="store_true", help="longer append runs and more proof samples")
    ap.add_argument("--dir", type=Path, help="work directory on the disk to measure (default: a temp dir)")
    args = ap.parse_args()

    from industry_brain.ledger import generate_key
    from industry_brain.ledger._merkle import leaf_hash

    small = 100_000 if args.quick else 1_000_000
    big = None if args.quick else 10_000_000
    samples = 20_000 if args.full else 5_000
    work = Path(tempfile.mkdtemp(prefix="bench-ledger-", dir=args.dir))
    skey, vkey = generate_key(ORIGIN)
    started = time.perf_counter()
    print(f"ledger benchmark in {work} ({'quick' if args.quick else 'full' if args.full else 'default'} run)")
    try:
        print(
            f"this disk: one durable 4 KB file (write, fsync, rename, fsync dir) {_fsync_latency(work):.2f} ms"
        )

        print("\n== 1. signed, durable appends (fresh log per row)")
        appends = bench_appends(work, skey, args.quick, args.full)
        print(
            "anchors: Tessera POSIX driver 2,900/s on hard disks, ~10,000/s on NVMe (published, other hardware); "
            f"target >= {TARGET_APPENDS:,}/s"
        )
        for batch in (256, 1024):
            if batch in appends:
                rate = appends[batch][0]
                verdict = "meets" if rate >= TARGET_APPENDS else "MISSES"
                print(
                    f"  batch {batch}: {_fmt(rate)}/s {verdict} the target; {rate / 2_900:.1f}x the HDD anchor"
                )

        print(f"\n== 2. inclusion proofs (target < {TARGET_PROOF_MS} ms)")
        d1, built = build_appended_log(work, small, skey)
        print(
            f"{small:,}-entry log appended in {built:.1f} s ({_fmt(small / built)} entries/s, batches of 65,536)"
        )
        from industry_brain.ledger import Log

        leaves1 = [leaf_hash(e) for e in Log.open(d1, verifier_key=vkey).entries()]
        p1 = bench_proofs(f"{small:,} entries (appended log)", d1, vkey, leaves1, samples, 3)
        del leaves1
        p10 = None
        if big:
            blob = _synthetic_leaves(big, 4)
            d10, built10 = build_tile_tree(work, big, skey, blob)
            print(f"{big:,}-leaf tree: tiles built directly from synthetic leaf hashes in {built10:.1f} s")
            leaves10 = [blob[i : i + 32] for i in range(0, len(blob), 32)]
            del blob
            p10 = bench_proofs(f"{big:,} entries (tiles only)", d10, vkey, leaves10, samples, 1)
            del leaves10
            shutil.rmtree(d10)
        else:
            print("10,000,000 entries: not run (--quick)")

        print(f"\n== 3. verifying the whole {small:,}-entry log")
        ours, base = bench_verify(d1, vkey)
        print(
            f"verify_log: {ours:.2f} s ({_fmt(small / ours)} entries/s); baseline root recomputation in memory "
            f"{base:.2f} s -> verify_log takes {ours / base:.2f}x the baseline (it also compares every tile)"
        )

        print("\n== summary")
        best = max(appends.items(), key=lambda kv: kv[1][0])
        print(
            f"appends: {_fmt(appends[256][0])}/s at batch 256, {_fmt(best[1][0])}/s at batch {best[0]}; "
            f"batch 1 (fsync per entry) {_fmt(appends[1][0])}/s"
        )
        for label, p in ((f"{small:,}", p1), ("10,000,000", p10)):
            if p is not None:
                cold = p["cold"]["median"]  # type: ignore[index]
                verdict = "meets" if cold < TARGET_PROOF_MS else "MISSES"
                print(f"proof at {label}: {cold:.3f} ms cold median ({verdict} < {TARGET_PROOF_MS} ms)")
        print(f"verify {small:,}-entry log: {ours:.2f} s")
        print(f"total run time {time.perf_counter() - started:.0f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
