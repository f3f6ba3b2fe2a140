"""Tampering: flip a byte of any tile, entry bundle or checkpoint -> verify_log fails and names that file."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industry_brain.ledger import Log, generate_key, verify_log

ORIGIN = "tamper.example/log"


def _log_files(d: Path) -> list[str]:
    return sorted(str(p.relative_to(d)) for p in d.rglob("*") if p.is_file() and p.name != ".lock")


@pytest.fixture(scope="module")
def small_log(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    skey, vkey = generate_key(ORIGIN)
    d = tmp_path_factory.mktemp("tamper") / "log"
    rng = random.Random(11)
    with Log.create(d, origin=ORIGIN, signer_key=skey) as log:
        for n in (1, 2, 60, 200, 256, 3, 90):  # full and partial tiles at levels 0 and 1, older partials
            log.append_many([rng.randbytes(rng.randint(1, 40)) for _ in range(n)])
    return d, vkey


def test_every_file_of_the_small_log_is_covered(small_log: tuple[Path, str]) -> None:
    d, _ = small_log
    files = _log_files(d)
    assert "checkpoint" in files and "tile/1/000.p/2" in files and "tile/0/001" in files
    assert any(f.startswith("tile/entries/000.p/") for f in files)
    assert len(files) >= 20


def test_flip_any_byte_of_any_file(small_log: tuple[Path, str], tmp_path: Path) -> None:
    src, vkey = small_log
    rng = random.Random(3)
    files = _log_files(src)
    d = tmp_path / "copy"
    shutil.copytree(src, d)
    for rel in files:
        original = (d / rel).read_bytes()
        for _ in range(3):
            data = bytearray(original)
            pos = rng.randrange(len(data))
            data[pos] ^= 1 << rng.randrange(8)
            (d / rel).write_bytes(bytes(data))
            report = verify_log(d, vkey)
            (d / rel).write_bytes(original)
            assert not report.ok, (rel, pos)
            first = report.problems[0]
            assert first.file == rel, (rel, pos, first)
            if rel.startswith("tile/entries/"):
                assert first.code in ("entry_mismatch", "bad_bundle", "partial_mismatch", "bad_partial")
                assert first.tile is not None
            elif rel.startswith("tile/"):
                assert first.code in ("tile_mismatch", "bad_tile_length", "partial_mismatch", "bad_partial")
                assert first.level is not None
            else:
                assert first.code == "bad_checkpoint"


def test_entry_problem_names_the_entry(small_log: tuple[Path, str], tmp_path: Path) -> None:
    src, vkey = small_log
    d = tmp_path / "copy"
    shutil.copytree(src, d)
    bundle = d / "tile/entries/000"
    data = bytearray(bundle.read_bytes())
    data[-1] ^= 0x40  # last byte of entry 255
    bundle.write_bytes(bytes(data))
    first = verify_log(d, vkey).problems[0]
    assert (first.code, first.file, first.entry) == ("entry_mismatch", "tile/entries/000", 255)


def test_tile_problem_names_the_hash(small_log: tuple[Path, str], tmp_path: Path) -> None:
    src, vkey = small_log
    d = tmp_path / "copy"
    shutil.copytree(src, d)
    tile = d / "tile/0/002.p/100"
    data = bytearray(tile.read_bytes())
    data[32 * 7 + 5] ^= 1
    tile.write_bytes(bytes(data))
    first = verify_log(d, vkey).problems[0]
    assert (first.code, first.file, first.level, first.tile, first.position, first.entry) == (
        "tile_mismatch",
        "tile/0/002.p/100",
        0,
        2,
        7,
        519,
    )


@pytest.mark.parametrize("victim", ["tile/0/000", "tile/entries/002.p/100", "checkpoint", "tile/1/000.p/2"])
def test_missing_or_truncated_files(small_log: tuple[Path, str], tmp_path: Path, victim: str) -> None:
    src, vkey = small_log
    for how in ("delete", "truncate", "extend"):
        d = tmp_path / how
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(src, d)
        path = d / victim
        if how == "delete":
            path.unlink()
        elif how == "truncate":
            path.write_bytes(path.read_bytes()[:-1])
        else:
            path.write_bytes(path.read_bytes() + b"\0")
        report = verify_log(d, vkey)
        assert not report.ok and report.problems[0].file == victim, (how, report.problems)


def test_swapped_entries_between_bundles_are_caught(small_log: tuple[Path, str], tmp_path: Path) -> None:
    src, vkey = small_log
    d = tmp_path / "copy"
    shutil.copytree(src, d)
    # rewrite a whole bundle consistently with a rebuilt tile: only the signed root can tell
    from industry_brain.ledger._merkle import leaf_hash
    from industry_brain.ledger._tiles import decode_bundle, encode_bundle

    entries = decode_bundle((d / "tile/entries/002.p/100").read_bytes())
    entries[0] = b"forged"
    (d / "tile/entries/002.p/100").write_bytes(encode_bundle(entries))
    (d / "tile/0/002.p/100").write_bytes(b"".join(leaf_hash(e) for e in entries))
    report = verify_log(d, vkey)
    assert not report.ok
    assert report.problems[0].code == "root_mismatch" and report.problems[0].file == "checkpoint"
    # the older partial copies of that bundle still hold the committed entry: they point at it
    assert {(p.file, p.entry) for p in report.problems[1:]} >= {("tile/entries/002.p/7", 512)}


def test_wrong_verifier_key(small_log: tuple[Path, str]) -> None:
    d, _ = small_log
    report = verify_log(d, generate_key(ORIGIN)[1])
    assert not report.ok and report.problems[0].code == "bad_checkpoint"


# ---- systematic coverage: every checkpoint byte, every stored hash, every stored entry, any byte ----------
def _flip(path: Path, pos: int, mask: int) -> bytes:
    original = path.read_bytes()
    data = bytearray(original)
    data[pos] ^= mask
    path.write_bytes(bytes(data))
    return original


def test_every_byte_of_the_checkpoint(small_log: tuple[Path, str], tmp_path: Path) -> None:
    src, vkey = small_log
    d = tmp_path / "copy"
    shutil.copytree(src, d)
    rng = random.Random(7)
    cp = d / "checkpoint"
    for pos in range(len(cp.read_bytes())):
        for mask in (1 << rng.randrange(8), rng.randrange(1, 256)):
            original = _flip(cp, pos, mask)
            report = verify_log(d, vkey)
            cp.write_bytes(original)
            assert not report.ok, (pos, mask)
            assert (report.problems[0].code, report.problems[0].file) == ("bad_checkpoint", "checkpoint")
    assert verify_log(d, vkey).ok


@pytest.mark.slow
def test_every_hash_of_every_tile_is_located(small_log: tuple[Path, str], tmp_path: Path) -> None:
    src, vkey = small_log
    d = tmp_path / "copy"
    shutil.copytree(src, d)
    rng = random.Random(8)
    tiles = [f for f in _log_files(d) if f.startswith("tile/") and not f.startswith("tile/entries/")]
    assert {f.split("/")[1] for f in tiles} == {"0", "1"}
    checked = 0
    for rel in tiles:
        level = int(rel.split("/")[1])
        for j in range(len((d / rel).read_bytes()) // 32):
            original = _flip(d / rel, 32 * j + rng.randrange(32), 1 << rng.randrange(8))
            report = verify_log(d, vkey)
            (d / rel).write_bytes(original)
            first = report.problems[0] if report.problems else None
            assert first is not None, (rel, j)
            assert (first.file, first.level, first.position) == (rel, level, j), (rel, j, first)
            assert first.code in ("tile_mismatch", "partial_mismatch")
            checked += 1
    assert checked > 600  # every hash of every tile file, older partial tiles included


@pytest.mark.slow
def test_every_entry_of_every_bundle_is_located(small_log: tuple[Path, str], tmp_path: Path) -> None:
    src, vkey = small_log
    d = tmp_path / "copy"
    shutil.copytree(src, d)
    rng = random.Random(9)
    bundles = [f for f in _log_files(d) if f.startswith("tile/entries/")]
    checked = 0
    for rel in bundles:
        tile = int(rel.split("/")[2].split(".")[0])
        data = (d / rel).read_bytes()
        pos = 0
        k = 0
        while pos < len(data):
            length = int.from_bytes(data[pos : pos + 2], "big")
            # the entry's bytes, or (one time in five) its length prefix
            at = pos + rng.randrange(2) if rng.random() < 0.2 else pos + 2 + rng.randrange(length)
            original = _flip(d / rel, at, 1 << rng.randrange(8))
            report = verify_log(d, vkey)
            (d / rel).write_bytes(original)
            first = report.problems[0] if report.problems else None
            assert first is not None and first.file == rel and first.tile == tile, (rel, k, first)
            if first.code in ("entry_mismatch", "partial_mismatch"):
                assert first.entry == tile * 256 + k, (rel, k, first)
            else:
                assert first.code in ("bad_bundle", "bad_partial") and at < pos + 2, (rel, k, first)
            pos += 2 + length
            k += 1
            checked += 1
    assert checked > 650  # every entry of every bundle file, older partial copies included


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_byte_of_any_file(small_log: tuple[Path, str], data: st.DataObject) -> None:
    src, vkey = small_log
    rel = data.draw(st.sampled_from(_log_files(src)), label="file")
    path = src / rel
    size = len(path.read_bytes())
    pos = data.draw(st.integers(0, size - 1), label="byte")
    mask = data.draw(st.integers(1, 255), label="xor")
    original = _flip(path, pos, mask)
    try:
        report = verify_log(src, vkey)
    finally:
        path.write_bytes(original)
    assert not report.ok and report.problems[0].file == rel, (rel, pos, mask, report.problems[:1])
