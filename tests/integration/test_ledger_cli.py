"""The real ``ib ledger`` in a subprocess: keygen, init, append (files, lines, stream), verify, prove,
verify-proof, witness — and the exit codes and one-line errors of bad input."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from industry_brain.ledger import Log

ORIGIN = "cli.example.cn/ledger"


def _ok(result):  # type: ignore[no-untyped-def]
    assert result.returncode == 0, (result.stdout[-800:], result.stderr[-800:])
    return result


def _fails(result, code: int) -> str:  # type: ignore[no-untyped-def]
    assert result.returncode == code, (result.returncode, result.stdout[-500:], result.stderr[-500:])
    assert "Traceback" not in result.stderr
    return str(result.stderr)


@pytest.fixture
def keys(run_ib, tmp_path: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    out = _ok(run_ib("ledger", "keygen", ORIGIN, "--out", tmp_path / "office", "--json")).json()
    key, pub = Path(out["signer_key_file"]), Path(out["verifier_key_file"])
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text().startswith(f"PRIVATE+KEY+{ORIGIN}+")
    assert pub.read_text().strip() == out["verifier_key"] and pub.read_text().startswith(f"{ORIGIN}+")
    return key, pub


@pytest.mark.slow
def test_log_lifecycle(run_ib, tmp_path: Path, keys: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    key, pub = keys
    log = tmp_path / "log"
    created = _ok(run_ib("ledger", "init", "--log", log, "--key", key, "--json")).json()
    assert (created["origin"], created["size"]) == (ORIGIN, 0)
    assert "log" in _fails(run_ib("--lang", "en", "ledger", "init", "--log", log, "--key", key), 2)

    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"\x00binary\xff")
    b.write_bytes("发明人甲的披露摘要".encode())
    out = _ok(run_ib("ledger", "append", "--log", log, "--key", key, a, b, "--json")).json()
    assert out["indexes"] == [0, 1] and out["size"] == 2
    assert out["checkpoint"].startswith(f"{ORIGIN}\n2\n")
    lines = "".join(f"entry {i}\n" for i in range(600)) + "\n\n"
    out = _ok(
        run_ib(
            "ledger", "append", "--log", log, "--key", key, "--lines", "--batch", "256", "--json", input=lines
        )
    ).json()
    assert out["indexes"] == list(range(2, 602)) and out["size"] == 602
    human = _ok(
        run_ib("--lang", "en", "ledger", "append", "--log", log, "--key", key, "--lines", input="one more\n")
    )
    assert "appended 1 entries (602-602); log size 603" in human.stdout

    report = _ok(run_ib("ledger", "verify", "--log", log, "--vkey", pub, "--json")).json()
    assert report["ok"] and report["size"] == 603 and report["problems"] == []
    assert "日志完整" in _ok(run_ib("ledger", "verify", "--log", log, "--vkey", pub)).stdout

    bundle = tmp_path / "entry1.json"
    _ok(run_ib("ledger", "prove", "--log", log, "--index", 1, "--out", bundle))
    checked = _ok(run_ib("ledger", "verify-proof", bundle, "--vkey", pub, "--json")).json()
    assert checked["index"] == 1 and checked["tree_size"] == 603
    assert json.loads(bundle.read_text())["tree_size"] == 603
    # the bundle carries the entry: changing it breaks the proof (exit 3, one line)
    data = json.loads(bundle.read_text())
    data["entry"] = data["entry"][:-4] + ("AAAA" if not data["entry"].endswith("AAAA") else "BBBB")
    bundle.write_text(json.dumps(data))
    _fails(run_ib("ledger", "verify-proof", bundle, "--vkey", pub), 3)

    # a witness (e.g. a notary office) cosigns after checking consistency; verify then checks its cosignature
    wout = _ok(
        run_ib("ledger", "keygen", "notary.example.cn", "--witness", "--out", tmp_path / "notary", "--json")
    )
    wpub = wout.json()["verifier_key_file"]
    state = tmp_path / "notary-state"
    w = _ok(
        run_ib(
            "ledger",
            "witness",
            "--log",
            log,
            "--key",
            tmp_path / "notary.key",
            "--state",
            state,
            "--vkey",
            pub,
            "--json",
        )
    ).json()
    assert w["new_size"] == 603
    report = _ok(
        run_ib("ledger", "verify", "--log", log, "--vkey", pub, "--witness-vkey", wpub, "--json")
    ).json()
    assert report["ok"] and len(report["cosignatures"]) == 1
    _ok(run_ib("ledger", "prove", "--log", log, "--index", 600, "--out", bundle))
    _ok(run_ib("ledger", "verify-proof", bundle, "--vkey", pub, "--witness-vkey", wpub))

    # wrong keys: a different log key cannot verify or write
    other = _ok(run_ib("ledger", "keygen", ORIGIN, "--json")).json()
    _fails(run_ib("ledger", "verify", "--log", log, "--vkey", other["verifier_key"]), 3)
    _fails(run_ib("ledger", "append", "--log", log, "--key", other["signer_key"], a), 3)


def test_bad_input_is_one_line_and_exit_2(run_ib, tmp_path: Path, keys: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    key, _ = keys
    log = tmp_path / "log"
    _ok(run_ib("ledger", "init", "--log", log, "--key", key))
    for args in (
        ("--batch", "0", "--lines"),
        ("--stream",),  # --stream needs --lines
        ("--lines", "--stream", "--max-wait", "-1"),
        (tmp_path / "missing.bin",),
    ):
        err = _fails(run_ib("ledger", "append", "--log", log, "--key", key, *args, input=""), 2)
        assert len(err.strip().splitlines()) == 1, err
    _fails(
        run_ib("ledger", "append", "--log", log, "--key", tmp_path / "no-such-key", "--lines", input="x\n"), 2
    )
    _fails(run_ib("ledger", "init", "--log", log, "--key", key), 2)  # a log is already there


@pytest.mark.slow
def test_stream_reports_each_batch_when_durable(
    ib_home: Path, tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    import os

    key, pub = keys
    log = tmp_path / "log"
    env = {**os.environ, "IB_HOME": str(ib_home)}
    subprocess.run(
        [sys.executable, "-m", "industry_brain", "ledger", "init", "--log", str(log), "--key", str(key)],
        check=True,
        env=env,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "industry_brain",
            "ledger",
            "append",
            "--log",
            str(log),
            "--key",
            str(key),
            "--lines",
            "--stream",
            "--batch",
            "100",
            "--max-wait",
            "0.1",
            "--json",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stdin is not None and proc.stdout is not None
        # a full batch is acknowledged at once; a lone line after at most --max-wait, while stdin stays open
        proc.stdin.write(b"".join(b"first %d\n" % i for i in range(250)))
        proc.stdin.flush()
        acks = [json.loads(proc.stdout.readline()) for _ in range(2)]
        assert acks == [
            {"first": 0, "last": 99, "count": 100, "size": 100},
            {"first": 100, "last": 199, "count": 100, "size": 200},
        ]
        third = json.loads(proc.stdout.readline())  # the remaining 50, flushed by the wait limit
        assert third == {"first": 200, "last": 249, "count": 50, "size": 250}
        time.sleep(0.3)
        proc.stdin.write(b"lonely\n")
        proc.stdin.flush()
        assert json.loads(proc.stdout.readline()) == {"first": 250, "last": 250, "count": 1, "size": 251}
        # the log already holds what was acknowledged, before stdin is closed
        ro = Log.open(log, verifier_key=pub.read_text().strip())
        assert ro.size == 251 and ro.entry(250) == b"lonely" and ro.entry(17) == b"first 17"
        proc.stdin.write(b"last line without newline")
        proc.stdin.close()
        assert json.loads(proc.stdout.readline()) == {"first": 251, "last": 251, "count": 1, "size": 252}
        assert proc.wait(timeout=60) == 0
        assert proc.stderr is not None and proc.stderr.read() == b""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None and not pipe.closed:
                pipe.close()
    assert Log.open(log, verifier_key=pub.read_text().strip()).entry(251) == b"last line without newline"
