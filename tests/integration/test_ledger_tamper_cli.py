"""Tampering seen through the real ``ib ledger verify``: exit code 3, and the altered file named on stderr and in
``--json``. The log is written by the real CLI too (keygen, init, batched append) and reaches level-2 tiles."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

ORIGIN = "tamper-cli.example/log"
SIZE = 65_536 + 300


@pytest.fixture(scope="module")
def cli_log(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    import subprocess
    import sys

    base = tmp_path_factory.mktemp("cli-tamper")
    env = {**os.environ, "IB_HOME": str(base / "home")}

    def ib(*args: object, stdin: str | None = None) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "industry_brain", *map(str, args)],
            capture_output=True,
            text=True,
            input=stdin,
            env=env,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    keys = base / "keys"
    ib("ledger", "keygen", ORIGIN, "--out", keys)
    log = base / "log"
    ib("ledger", "init", "--log", log, "--key", f"{keys}.key")
    rng = random.Random(4)
    # several batches (older partial tiles stay on disk), then one that crosses into level 2
    first = [f"entry {i} {rng.randrange(10**9)}\n" for i in range(1000)]
    for chunk in ("".join(first[:70]), "".join(first[70:600]), "".join(first[600:])):
        ib("ledger", "append", "--log", log, "--key", f"{keys}.key", "--lines", "--batch", "300", stdin=chunk)
    rest = "".join(f"entry {i} {rng.randrange(10**9)}\n" for i in range(1000, SIZE))
    ib("ledger", "append", "--log", log, "--key", f"{keys}.key", "--lines", "--batch", "20000", stdin=rest)
    return log, Path(f"{keys}.pub")


VICTIMS = [
    ("checkpoint", "bad_checkpoint"),
    ("tile/entries/000", "entry_mismatch"),  # a full entry bundle
    ("tile/entries/257.p/44", "entry_mismatch"),  # the current partial bundle
    ("tile/entries/000.p/70", "partial_mismatch"),  # an older partial bundle kept on disk
    ("tile/0/003", "tile_mismatch"),  # a full level-0 tile
    ("tile/0/257.p/44", "tile_mismatch"),
    ("tile/1/000", "tile_mismatch"),  # a full level-1 tile
    ("tile/1/001.p/1", "tile_mismatch"),
    ("tile/2/000.p/1", "tile_mismatch"),  # the level-2 tile above 65,536 leaves
    ("tile/0/000.p/70", "partial_mismatch"),  # an older partial tile
]


def _tampered_copy(src: Path, dst: Path, rel: str, rng: random.Random) -> None:
    shutil.copytree(src, dst, copy_function=os.link, ignore=shutil.ignore_patterns(".lock"))
    victim = dst / rel
    data = bytearray(victim.read_bytes())
    victim.unlink()  # break the hard link before writing: the original log stays intact
    pos = rng.randrange(len(data))
    data[pos] ^= rng.randrange(1, 256)
    victim.write_bytes(bytes(data))


@pytest.mark.slow
def test_untampered_log_verifies(cli_log: tuple[Path, Path], run_ib) -> None:  # type: ignore[no-untyped-def]
    log, pub = cli_log
    result = run_ib("ledger", "verify", "--log", log, "--vkey", pub, "--json")
    assert result.returncode == 0, result.stderr
    out = result.json()
    assert out["ok"] and out["size"] == SIZE and out["problems"] == []
    names = {str(p.relative_to(log)) for p in log.rglob("*") if p.is_file()}
    assert {rel for rel, _ in VICTIMS} <= names


@pytest.mark.slow
@pytest.mark.parametrize(("rel", "code"), VICTIMS)
def test_flipped_byte_fails_and_names_the_file(
    cli_log: tuple[Path, Path],
    run_ib,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    rel: str,
    code: str,
) -> None:
    log, pub = cli_log
    d = tmp_path / "copy"
    _tampered_copy(log, d, rel, random.Random(rel))
    result = run_ib("--lang", "en", "ledger", "verify", "--log", d, "--vkey", pub, "--json")
    assert result.returncode == 3, (result.stdout[-500:], result.stderr)
    first = result.json()["problems"][0]
    assert (first["file"], first["code"]) == (rel, code)
    # the human line on stderr says where
    assert result.stderr.startswith("log does not verify") and f": {rel}: " in result.stderr.splitlines()[0]


@pytest.mark.slow
def test_human_output_in_chinese_names_the_file(cli_log: tuple[Path, Path], run_ib, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log, pub = cli_log
    d = tmp_path / "copy"
    _tampered_copy(log, d, "tile/entries/100", random.Random(1))
    result = run_ib("ledger", "verify", "--log", d, "--vkey", pub)
    assert result.returncode == 3
    assert result.stderr.startswith("日志校验失败") and "tile/entries/100" in result.stderr
    assert "Traceback" not in result.stderr
