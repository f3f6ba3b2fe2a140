"""Crash test: SIGKILL a writer at random instants during batched appends, over and over.

Each run starts a writer process on an existing log. The writer appends batches of varied sizes (crossing entry
bundle, tile and tile-level boundaries) and, only after ``Log.append_many`` has returned (the batch is
durable), prints one ``index sha256`` line per entry, flushed, to a file. The test kills it with SIGKILL after a
seeded random delay, then checks:

* the log verifies with :func:`verify_log` (what ``ib ledger verify`` runs) — leftovers of the interrupted batch
  are allowed, problems are not;
* every acknowledged entry is in the log with exactly the acknowledged bytes, and no index was acknowledged
  twice (entry content depends on the run, so a resurrected leftover of a killed batch would be caught);
* the next run reopens the log for writing (deleting the leftovers) and continues from the checkpoint.

One of the logs is written by the real ``ib ledger append --lines --stream --json`` instead (stdin from a file,
one JSON line per durable batch), so the command users run is killed the same way.

Several logs are driven at once (one per worker) so that more than 100 kills fit in about a minute. One log
starts just below 65,536 entries, so that the first level-2 tile is created while writers are being killed.
At the end the real ``ib ledger verify`` checks each log in a subprocess.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

import pytest

from industry_brain.ledger import Log, generate_key, verify_log

ORIGIN = "crash.example/log"
LOGS = 4
RUNS_PER_LOG = 26  # 104 kills in all
WORKERS = 4  # writers mostly wait on fsync and start-up; the verification runs in between

# The writer: opens the log (recovering from the previous kill), then appends until it is killed.
WRITER = r"""
import hashlib, os, sys
from random import Random
from industry_brain.ledger import Log

log_dir, key_file, run, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = Random(seed)
out = open(sys.argv[5], "w", encoding="ascii")
log = Log.open(log_dir, signer_key=open(key_file, encoding="ascii").read().strip())
out.write(f"ready {log.size}\n")
out.flush()
sizes = [1, 1, 2, 3, 17, 60, 255, 256, 257, 511, 700]
while True:
    n = rng.choice(sizes)
    start = log.size
    batch = [
        f"{run}:{start + k}:".encode() + rng.randbytes(rng.randint(0, 48)) for k in range(n)
    ]
    indexes = log.append_many(batch)
    # acknowledged: durable from here on
    out.write("".join(f"{i} {hashlib.sha256(e).hexdigest()}\n" for i, e in zip(indexes, batch)))
    out.flush()
"""


@dataclass
class Track:
    """One log under test and everything acknowledged on it so far."""

    directory: Path
    key_file: Path
    vkey: str
    rng: Random
    acked: dict[int, str] = field(default_factory=dict)
    runs: int = 0
    kills_during_startup: int = 0
    leftovers_seen: int = 0
    sizes: list[int] = field(default_factory=list)
    cli: bool = False  # driven by the real ``ib ledger append --stream`` instead of a Log API script


def _start_api_writer(track: Track, run_id: str, ack_file: Path) -> subprocess.Popen[bytes]:
    args = [str(track.directory), str(track.key_file), run_id, str(track.rng.randrange(2**32)), str(ack_file)]
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _start_cli_writer(
    track: Track, run_id: str, ack_file: Path
) -> tuple[subprocess.Popen[bytes], list[bytes]]:
    """The real ``ib ledger append --lines --stream --json``: stdin from a file, one JSON line per durable batch."""
    lines = [f"{run_id}:{k}:{track.rng.randbytes(12).hex()}".encode() for k in range(60_000)]
    feed = ack_file.with_suffix(".in")
    feed.write_bytes(b"\n".join(lines) + b"\n")
    batch = track.rng.choice([1, 3, 64, 256, 700])
    with feed.open("rb") as stdin, ack_file.open("wb") as stdout:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "industry_brain",
                "ledger",
                "append",
                "--log",
                str(track.directory),
                "--key",
                str(track.key_file),
                "--lines",
                "--stream",
                "--batch",
                str(batch),
                "--json",
            ],
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
        )
    return proc, lines


def _run_once(track: Track, run_id: str) -> None:
    ack_file = track.directory.parent / f"{track.directory.name}.{run_id}.acks"
    lines: list[bytes] = []
    if track.cli:
        proc, lines = _start_cli_writer(track, run_id, ack_file)
        started = b"{"  # the CLI prints nothing before its first acknowledged batch
    else:
        proc = _start_api_writer(track, run_id, ack_file)
        started = b"ready"
    assert proc.stderr is not None
    early = track.rng.random() < 0.1  # sometimes kill while the writer starts and recovers the log
    if early:
        time.sleep(track.rng.uniform(0.0, 1.0 if track.cli else 0.6))
        track.kills_during_startup += 1
    else:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if ack_file.exists() and ack_file.read_bytes().startswith(started):
                break
            time.sleep(0.005)
        time.sleep(track.rng.uniform(0.0, 0.35))
    if proc.poll() is not None:  # the writer must never stop by itself
        raise AssertionError(f"writer exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    track.runs += 1

    text = ack_file.read_text(encoding="ascii") if ack_file.exists() else ""
    # the last element is what follows the last newline: a line the kill cut short, or ""
    acks = text.split("\n")[:-1]
    if track.cli:
        fed = 0
        for ack in acks:
            batch = json.loads(ack)
            assert batch["count"] == batch["last"] - batch["first"] + 1
            for j in range(batch["count"]):
                index = batch["first"] + j
                assert index not in track.acked, f"run {run_id}: index {index} acknowledged twice"
                track.acked[index] = hashlib.sha256(lines[fed + j]).hexdigest()
            fed += batch["count"]
    else:
        for line in acks[1:]:
            index_s, digest = line.split()
            index = int(index_s)
            assert index not in track.acked, f"run {run_id}: index {index} acknowledged twice"
            track.acked[index] = digest

    report = verify_log(track.directory, track.vkey)
    assert report.ok, (run_id, [p.to_dict() for p in report.problems])
    track.leftovers_seen += bool(report.leftovers)
    assert report.size is not None
    track.sizes.append(report.size)
    if track.acked:
        assert report.size > max(track.acked), (run_id, report.size, max(track.acked))
    ro = Log.open(track.directory, verifier_key=track.vkey)
    for index, digest in track.acked.items():
        assert hashlib.sha256(ro.entry(index)).hexdigest() == digest, (run_id, index)


def _drive(track: Track, tag: str) -> Track:
    for r in range(RUNS_PER_LOG):
        _run_once(track, f"{tag}r{r}")
    return track


@pytest.mark.slow
def test_sigkill_at_random_points_never_loses_an_acknowledged_entry(tmp_path: Path, run_ib) -> None:  # type: ignore[no-untyped-def]
    skey, vkey = generate_key(ORIGIN)
    master = Random(20_241_124)
    tracks: list[Track] = []
    for n in range(LOGS):
        d = tmp_path / f"log{n}"
        key_file = tmp_path / f"log{n}.key"
        key_file.write_text(skey, encoding="ascii")
        with Log.create(d, origin=ORIGIN, signer_key=skey) as log:
            if n == 0:  # just below the first level-2 tile (256 * 256 leaves)
                log.append_many([b"prefill %d" % i for i in range(65_536 - 300)])
        tracks.append(Track(d, key_file, vkey, Random(master.randrange(2**32)), cli=n == LOGS - 1))
    prefilled = {i: hashlib.sha256(b"prefill %d" % i).hexdigest() for i in range(65_536 - 300)}

    with ThreadPoolExecutor(WORKERS) as pool:
        done = list(pool.map(_drive, tracks, [f"L{n}" for n in range(LOGS)]))

    assert sum(t.runs for t in done) >= 100
    # the kills really landed at different points: logs grew, some kills left an uncommitted batch behind
    assert all(t.sizes[-1] > t.sizes[0] for t in done)
    assert all(t.leftovers_seen > 0 and t.acked for t in done)
    assert done[-1].cli
    assert done[0].sizes[-1] > 65_536  # the level-2 tile appeared under fire

    ro = Log.open(done[0].directory, verifier_key=vkey)
    for i in (0, 12_345, 65_535 - 300):
        assert hashlib.sha256(ro.entry(i)).hexdigest() == prefilled[i]
    for track in done:
        result = run_ib("ledger", "verify", "--log", track.directory, "--vkey", vkey, "--json")
        assert result.returncode == 0, result.stderr
        out = json.loads(result.stdout)
        assert out["ok"] and out["size"] == track.sizes[-1]
        # a clean writer after the last kill removes the leftovers and continues from the checkpoint
        with Log.open(track.directory, signer_key=skey) as log:
            assert log.append(b"after the storm") == track.sizes[-1]
        report = verify_log(track.directory, vkey)
        assert report.ok and report.leftovers == []
