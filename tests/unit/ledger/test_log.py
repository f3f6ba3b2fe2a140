"""The Log: batched durable appends, reading back, proofs at any size, reopening, locking, recovery."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from industry_brain._core.errors import ConflictError, InputError, NotFoundError
from industry_brain.ledger import (
    Log,
    generate_key,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
    verify_log,
)
from industry_brain.ledger._merkle import EMPTY_ROOT, MemoryTree

ORIGIN = "test.example/log"


@pytest.fixture
def keys() -> tuple[str, str]:
    return generate_key(ORIGIN)


def test_empty_log(tmp_path: Path, keys: tuple[str, str]) -> None:
    log = Log.create(tmp_path / "l", origin=ORIGIN, signer_key=keys[0])
    assert (log.size, log.root, list(log.entries())) == (0, EMPTY_ROOT, [])
    assert log.append_many([]) == []
    assert verify_log(tmp_path / "l", keys[1]).ok
    with pytest.raises(NotFoundError):
        log.entry(0)
    with pytest.raises(InputError):
        log.prove_inclusion(0)


def test_random_batches_match_an_in_memory_tree(tmp_path: Path, keys: tuple[str, str]) -> None:
    rng = random.Random(5)
    log = Log.create(tmp_path / "l", origin=ORIGIN, signer_key=keys[0])
    written: list[bytes] = []
    sizes = [0]
    while len(written) < 70_000:  # crosses into a level-2 tile (65,536 leaves)
        batch = [
            rng.randbytes(rng.randint(0, 24)) for _ in range(rng.choice([1, 3, 255, 256, 257, 700, 9000]))
        ]
        assert log.append_many(batch) == list(range(len(written), len(written) + len(batch)))
        written += batch
        sizes.append(len(written))
    tree = MemoryTree(leaf_hash(e) for e in written)
    assert log.root == tree.root()
    assert list(log.entries()) == written
    assert list(log.entries(300, 900)) == written[300:900]
    assert log.entry(65_600) == written[65_600]
    for _ in range(150):
        n = rng.choice([rng.randint(1, log.size), rng.choice(sizes[1:])])
        i = rng.randrange(n)
        p = log.prove_inclusion(i, n)
        assert p.root == tree.root(n) == log.root_at(n)
        verify_inclusion(i, n, leaf_hash(written[i]), p.hashes, tree.root(n))
        m = rng.randint(1, n)
        c = log.prove_consistency(m, n)
        verify_consistency(m, n, tree.root(m), tree.root(n), c.hashes)
    log.close()
    report = verify_log(tmp_path / "l", keys[1])
    assert report.ok and report.size == len(written) and report.leftovers == []


def test_reopen_continues_and_reads_match(tmp_path: Path, keys: tuple[str, str]) -> None:
    with Log.create(tmp_path / "l", origin=ORIGIN, signer_key=keys[0]) as log:
        log.append_many([b"a"] * 300)
    with Log.open(tmp_path / "l", signer_key=keys[0]) as log:
        assert log.size == 300
        assert log.append(b"b") == 300
        log.append_many([b"c"] * 212)
    ro = Log.open(tmp_path / "l", verifier_key=keys[1])
    assert ro.size == 513 and not ro.writable
    assert ro.root == MemoryTree.from_entries([b"a"] * 300 + [b"b"] + [b"c"] * 212).root()
    with pytest.raises(ConflictError, match="read-only"):
        ro.append(b"x")


def test_one_writer_at_a_time(tmp_path: Path, keys: tuple[str, str]) -> None:
    log = Log.create(tmp_path / "l", origin=ORIGIN, signer_key=keys[0])
    with pytest.raises(ConflictError, match="another writer"):
        Log.open(tmp_path / "l", signer_key=keys[0])
    log.close()
    Log.open(tmp_path / "l", signer_key=keys[0]).close()


def test_create_refuses_existing_log_and_foreign_origin(tmp_path: Path, keys: tuple[str, str]) -> None:
    Log.create(tmp_path / "l", origin=ORIGIN, signer_key=keys[0]).close()
    with pytest.raises(ConflictError):
        Log.create(tmp_path / "l", origin=ORIGIN, signer_key=keys[0])
    with pytest.raises(InputError, match="must equal the signer key name"):
        Log.create(tmp_path / "m", origin="other.example", signer_key=keys[0])


def test_wrong_key_cannot_open_for_writing(tmp_path: Path, keys: tuple[str, str]) -> None:
    from industry_brain._core.errors import IntegrityError

    Log.create(tmp_path / "l", origin=ORIGIN, signer_key=keys[0]).close()
    other, _ = generate_key(ORIGIN)
    with pytest.raises(IntegrityError):
        Log.open(tmp_path / "l", signer_key=other)


def test_entry_size_limit_and_bad_arguments(tmp_path: Path, keys: tuple[str, str]) -> None:
    log = Log.create(tmp_path / "l", origin=ORIGIN, signer_key=keys[0])
    assert log.append(b"x" * 65_535) == 0
    with pytest.raises(InputError, match="65535"):
        log.append_many([b"ok", b"x" * 65_536])
    assert log.size == 1  # the refused batch left nothing behind
    with pytest.raises(InputError):
        log.append_many(b"not a list")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        log.prove_consistency(0, 1)
    with pytest.raises(InputError):
        list(log.entries(0, 5))


def test_leftovers_of_an_interrupted_batch_are_ignored_then_removed(
    tmp_path: Path, keys: tuple[str, str]
) -> None:
    d = tmp_path / "l"
    with Log.create(d, origin=ORIGIN, signer_key=keys[0]) as log:
        log.append_many([b"e%d" % i for i in range(300)])
    # what a batch killed before its checkpoint rename leaves: files beyond the checkpoint, and temp files
    (d / "tile/0/001.p/100").parent.mkdir(parents=True, exist_ok=True)
    (d / "tile/0/001.p/100").write_bytes(b"\x01" * 3200)
    (d / "tile/entries/001.p/7.tmp").write_bytes(b"garbage")
    (d / "tile/0/001").write_bytes(b"\x02" * 8192)
    (d / "checkpoint.tmp").write_bytes(b"half a checkpoint")
    report = verify_log(d, keys[1])
    assert report.ok
    assert report.leftovers == [
        "checkpoint.tmp",
        "tile/0/001",
        "tile/0/001.p/100",
        "tile/entries/001.p/7.tmp",
    ]
    with Log.open(d, signer_key=keys[0]) as log:
        log.append_many([b"f"] * 100)
    report = verify_log(d, keys[1])
    assert report.ok and report.leftovers == [] and report.size == 400
    assert (d / "tile/0/001.p/144").exists() and not (d / "tile/0/001.p/100").exists()
