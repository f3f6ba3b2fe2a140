"""Dashboard API under load: 100 concurrent clients on loopback against the map, district and portrait endpoints.

    .venv/bin/python benchmarks/bench_api.py                    # demo register, then a 1,000,000-enterprise one
    .venv/bin/python benchmarks/bench_api.py --quick            # demo register only, 10 s per run
    .venv/bin/python benchmarks/bench_api.py --large 200000 --seconds 15

For each register the script starts the real server (``ib serve``, one uvicorn process) and runs two loads of
``--clients`` keep-alive connections for ``--seconds`` each, every client sending its next request as soon as the
previous answer arrives (a closed loop — the hardest case for latency, since the server always has ``--clients``
requests in flight):

- ``ours``: a mix of ``/api/v1/map`` (both vintages, all fields and single-field layers), ``/api/v1/units/{code}``
  and ``/api/v1/enterprises/{uscc}`` (the portrait), with real codes read from the register;
- ``cold portraits``: up to 20,000 distinct enterprises, each asked for once, so that every answer is read from
  the register (no cached view);
- ``floor``: the same server's cheapest endpoint (``/api/v1/me``, no store access) — the cost of the HTTP stack
  itself on this machine, as the baseline the ratio is taken against.

It prints requests/s, p50 and p99 latency per endpoint and overall, and the p99 ratio ours / floor. The target is
p99 < 50 ms. The load generator is a small asyncio HTTP/1.1 client (no per-request object overhead), so that on a
2-core machine most of the CPU goes to the server being measured; the client's share is reported.
The large register is generated (synthetic rows shaped like ``benchmarks/bench_import.py``'s) and imported through
``ib registry import`` — generation and import are not timed here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IB = str(Path(sys.executable).with_name("ib"))


# ------------------------------------------------------------------------------------------------ the server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ib(home: Path, *args: str) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "IB_HOME": str(home)}
    proc = subprocess.run([IB, *args, "--json"], capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"ib {' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(proc.stdout) if proc.stdout.strip() else {}


class Server:
    def __init__(self, home: Path) -> None:
        self.port = _free_port()
        env = {**os.environ, "IB_HOME": str(home), "IB_LOG_LEVEL": "warning"}
        self.proc = subprocess.Popen(
            [IB, "serve", "--demo", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("the server did not start")

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.proc.pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


# ------------------------------------------------------------------------------------------- the load client
async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def _client(port: int, paths: list[tuple[str, str]], stop_at: float, seed: int,
                  out: dict[str, list[float]], errors: list[str], queue: Iterator[tuple[str, str]] | None) -> None:
    rnd = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at:
            if queue is None:
                kind, path = paths[rnd.randrange(len(paths))]
            else:  # each path once, in order, shared by all clients
                item = next(queue, None)
                if item is None:
                    break
                kind, path = item
            t0 = time.perf_counter()
            try:
                status = await _request(reader, writer, path)
            except (asyncio.IncompleteReadError, ConnectionError):  # the server closed the connection: reconnect
                errors.append(f"connection closed on {path}")
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            elapsed = time.perf_counter() - t0
            if status != 200:
                errors.append(f"{status} {path}")
            out.setdefault(kind, []).append(elapsed)
    finally:
        writer.close()


def load(port: int, paths: list[tuple[str, str]], clients: int, seconds: float, *, once: bool = False,
         ) -> tuple[dict[str, list[float]], list[str], float, float]:
    """Run the load; ``once``: every path exactly once (cold data), instead of random picks for ``seconds``."""
    out: dict[str, list[float]] = {}
    errors: list[str] = []
    queue = iter(paths) if once else None

    async def run() -> None:
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(*(_client(port, paths, stop_at, i, out, errors, queue) for i in range(clients)))

    cpu0 = time.process_time()
    t0 = time.perf_counter()
    asyncio.run(run())
    return out, errors, time.perf_counter() - t0, time.process_time() - cpu0


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(title: str, out: dict[str, list[float]], errors: list[str], wall: float, client_cpu: float,
           server_cpu: float) -> dict[str, float]:
    every = [v for vs in out.values() for v in vs]
    print(f"  {title}: {len(every):,} requests in {wall:.1f} s = {len(every) / wall:,.0f} req/s; "
          f"p50 {_pct(every, 0.50):.1f} ms, p99 {_pct(every, 0.99):.1f} ms; errors {len(errors)}"
          f"{' e.g. ' + errors[0] if errors else ''}; CPU server {server_cpu / wall:.0%}, load client {client_cpu / wall:.0%}")
    for kind, values in sorted(out.items()):
        print(f"      {kind:<10} n={len(values):>7,}  p50 {_pct(values, 0.5):6.1f} ms  p99 {_pct(values, 0.99):6.1f} ms  "
              f"mean {statistics.fmean(values) * 1000:6.1f} ms")
    return {"rps": len(every) / wall, "p50": _pct(every, 0.5), "p99": _pct(every, 0.99)}


# -------------------------------------------------------------------------------------------- the registers
def _paths(home: Path, port: int) -> list[tuple[str, str]]:
    import httpx

    base = f"http://127.0.0.1:{port}"
    units = [u["unit"] for u in httpx.get(base + "/api/v1/units", params={"vintage": 2019}, timeout=60).json()["units"]]
    fields = [f["field"] for f in httpx.get(base + "/api/v1/fields", timeout=60).json()["fields"]]
    items = httpx.get(base + "/api/v1/enterprises", params={"per_page": 100}, timeout=60).json()["items"]
    usccs = [e["uscc"] for e in items]
    paths: list[tuple[str, str]] = []
    for vintage in (2019, 2021):
        paths += [("map", f"/api/v1/map?vintage={vintage}&layer=all")]
        paths += [("map", f"/api/v1/map?vintage={vintage}&layer=field:{f}") for f in fields[:4]]
    paths += [("district", f"/api/v1/units/{u}?vintage=2019") for u in units]
    paths += [("portrait", f"/api/v1/enterprises/{c}") for c in usccs[:40]]
    # warm every distinct path once: the measures are computed on first use and cached per register version
    for _kind, path in paths:
        httpx.get(base + path, timeout=300).raise_for_status()
    return paths


def _cold_portraits(port: int, n: int) -> list[tuple[str, str]]:
    """``n`` distinct enterprises never asked for before: each portrait is read from the register."""
    import httpx

    base = f"http://127.0.0.1:{port}"
    paths: list[tuple[str, str]] = []
    page = 2  # the first page's enterprises are in the warmed mix
    while len(paths) < n:
        body = httpx.get(base + "/api/v1/enterprises", params={"per_page": 200, "page": page}, timeout=120).json()
        if not body["items"]:
            break
        paths += [("cold-portrait", f"/api/v1/enterprises/{e['uscc']}") for e in body["items"]]
        page += 1
    return paths[:n]


def _large_home(folder: Path, rows: int) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_import

    home = folder / f"large-{rows}"
    home.mkdir()
    csv_path = bench_import.generate(folder / f"register-{rows}.csv", rows)
    t0 = time.perf_counter()
    _ib(home, "registry", "import", str(csv_path), "--source", "bench")
    print(f"  (generated and imported {rows:,} enterprises in {time.perf_counter() - t0:.0f} s; not timed below)")
    return home


def bench(label: str, home: Path, clients: int, seconds: float) -> None:
    print(f"\n== {label}: {clients} concurrent clients, {seconds:.0f} s per run")
    server = Server(home)
    try:
        paths = _paths(home, server.port)
        results = {}
        for name, mix in (("floor", [("me", "/api/v1/me")]), ("ours", paths)):
            cpu0 = server.cpu_seconds()
            out, errors, wall, client_cpu = load(server.port, mix, clients, seconds)
            results[name] = report(name, out, errors, wall, client_cpu, server.cpu_seconds() - cpu0)
        cold = _cold_portraits(server.port, 20_000)
        cpu0 = server.cpu_seconds()
        out, errors, wall, client_cpu = load(server.port, cold, clients, seconds, once=True)
        report(f"cold portraits ({len(cold):,} distinct enterprises, each once)", out, errors, wall, client_cpu,
               server.cpu_seconds() - cpu0)
        ours, floor = results["ours"], results["floor"]
        verdict = "meets" if ours["p99"] < 50 else "misses"
        print(f"  => p99 {ours['p99']:.1f} ms ({verdict} the 50 ms target); p99 ours/floor {ours['p99'] / floor['p99']:.2f}×, "
              f"throughput ours/floor {ours['rps'] / floor['rps']:.2f}×")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--large", type=int, default=1_000_000, help="enterprises in the large register (0: skip)")
    parser.add_argument("--quick", action="store_true", help="demo register only, 10 s per run")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.large = 10.0, 0
    print(f"bench_api: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="ib-bench-api-") as tmp:
        folder = Path(tmp)
        demo = folder / "demo"
        demo.mkdir()
        t0 = time.perf_counter()
        _ib(demo, "demo", "build")
        print(f"  (built the demo register in {time.perf_counter() - t0:.0f} s)")
        bench("demo register (3,785 enterprises)", demo, args.clients, args.seconds)
        if args.large:
            bench(f"{args.large:,}-enterprise register", _large_home(folder, args.large), args.clients, args.seconds)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak RSS of the largest child process (server or import): {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
