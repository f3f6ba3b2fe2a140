"""Durability of appends, beyond what a SIGKILL can show (see tests/integration/test_ledger_crash.py).

A killed process loses nothing the kernel already has; a power cut loses every write, rename and mkdir that was
not fsynced. ``_Disk`` follows the file-system calls of the log and keeps, per path, whether its content and its
directory entry (and each parent's) would survive a power cut. At the instant the new checkpoint is renamed
into place, every file it vouches for must already be durable; when ``append_many`` returns, the checkpoint
itself must be.

Then a crash is injected before and after every rename and fsync of a batch: the log left behind verifies, is
at the old or the new size, and the next writer cleans up and continues.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from pathlib import Path

import pytest

from industry_brain.ledger import Log, generate_key, verify_log
from industry_brain.ledger._tiles import ENTRIES, TILE_HEIGHT, tile_count, tile_relpath, tile_width

ORIGIN = "durable.example/log"


def required_files(size: int) -> list[str]:
    """Every file a checkpoint of ``size`` vouches for."""
    out = ["checkpoint"]
    level = 0
    while size >> (TILE_HEIGHT * level):
        for n in range(tile_count(level, size)):
            w = tile_width(level, n, size)
            out.append(tile_relpath(level, n, w))
            if level == 0:
                out.append(tile_relpath(ENTRIES, n, w))
        level += 1
    return out


class _Disk:
    """What a power cut would keep: durable contents and durable directory entries."""

    def __init__(self, base: Path) -> None:
        self.base = base  # pre-existing and durable
        self.fds: dict[int, Path] = {}
        self.durable_content: set[Path] = set()
        self.durable_entry: set[Path] = set()
        self.pending_entry: dict[Path, set[Path]] = {}  # directory -> names added but not yet fsynced
        self.checks: list[int] = []
        self.errors: list[str] = []
        self.log_dir: Path | None = None

    def survives(self, path: Path) -> bool:
        p = path
        while p != self.base:
            if p not in self.durable_entry:
                return False
            p = p.parent
        return True

    def install(self, mp: pytest.MonkeyPatch) -> None:
        real_open, real_fsync, real_replace, real_mkdir, real_close = (
            os.open,
            os.fsync,
            os.replace,
            os.mkdir,
            os.close,
        )

        def fake_open(path, flags, mode=0o777, *a, **k):  # type: ignore[no-untyped-def]
            p = Path(path).absolute()
            existed = p.exists()
            fd = real_open(path, flags, mode, *a, **k)
            self.fds[fd] = p
            if flags & os.O_TRUNC or not existed:  # new or emptied: nothing of it is durable yet
                self.durable_content.discard(p)
            return fd

        def fake_close(fd):  # type: ignore[no-untyped-def]
            self.fds.pop(fd, None)
            return real_close(fd)

        def fake_fsync(fd):  # type: ignore[no-untyped-def]
            real_fsync(fd)
            p = self.fds.get(fd)
            if p is None:
                return
            if p.is_dir():
                self.durable_entry |= self.pending_entry.pop(p, set())
            else:
                self.durable_content.add(p)

        def fake_mkdir(path, mode=0o777, *a, **k):  # type: ignore[no-untyped-def]
            real_mkdir(path, mode, *a, **k)
            p = Path(path).absolute()
            self.pending_entry.setdefault(p.parent, set()).add(p)
            self.durable_content.add(p)

        def fake_replace(src, dst, *a, **k):  # type: ignore[no-untyped-def]
            s, d = Path(src).absolute(), Path(dst).absolute()
            if d.name == "checkpoint" and self.log_dir is not None:
                self.check_before_commit(s)
            real_replace(src, dst, *a, **k)
            if s in self.durable_content:
                self.durable_content.add(d)
            else:
                self.durable_content.discard(d)
            self.durable_content.discard(s)
            self.durable_entry.discard(
                d
            )  # the new entry replaces the old one only once the directory is synced
            self.pending_entry.setdefault(d.parent, set()).add(d)

        mp.setattr(os, "open", fake_open)
        mp.setattr(os, "close", fake_close)
        mp.setattr(os, "fsync", fake_fsync)
        mp.setattr(os, "mkdir", fake_mkdir)
        mp.setattr(os, "replace", fake_replace)

    def check_before_commit(self, tmp: Path) -> None:
        assert self.log_dir is not None
        from industry_brain.ledger._checkpoint import read_checkpoint_unverified

        size = read_checkpoint_unverified(tmp.read_bytes()).size
        self.checks.append(size)
        if tmp not in self.durable_content:
            self.errors.append(f"size {size}: checkpoint content renamed before fsync")
        for rel in required_files(size)[1:]:
            p = self.log_dir / rel
            if p not in self.durable_content:
                self.errors.append(f"size {size}: {rel} content not fsynced before the checkpoint")
            if not self.survives(p):
                self.errors.append(
                    f"size {size}: {rel} (or a directory above it) not durable in its directory"
                )

    def check_committed(self) -> None:
        assert self.log_dir is not None
        cp = self.log_dir / "checkpoint"
        if not (self.survives(cp) and cp in self.durable_content):
            self.errors.append("append returned before the checkpoint rename was durable")


@pytest.mark.parametrize("fresh_parent", [False, True])
def test_every_vouched_file_is_durable_before_the_checkpoint_moves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_parent: bool
) -> None:
    skey, vkey = generate_key(ORIGIN)
    disk = _Disk(tmp_path)
    disk.install(monkeypatch)
    # the log directory (and, with fresh_parent, the folders above it) are created by Log.create
    d = tmp_path / "a" / "b" / "log" if fresh_parent else tmp_path / "log"
    disk.log_dir = d.absolute()
    log = Log.create(d, origin=ORIGIN, signer_key=skey)
    disk.check_committed()
    for n in (1, 2, 253, 300, 256, 65_000, 700, 1):  # partial/full bundles and tiles, levels 0..2
        log.append_many([b"%d" % i for i in range(n)])
        disk.check_committed()
    log.close()
    with Log.open(d, signer_key=skey) as again:
        again.append(b"after reopening")
        disk.check_committed()
    monkeypatch.undo()
    assert disk.errors == []
    assert disk.checks[-1] == verify_log(d, vkey).size == 1 + 2 + 253 + 300 + 256 + 65_000 + 700 + 1 + 1


class _Crash(BaseException):
    """Stands for the process dying at this instant."""


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, dict[int, Path]]:
    """Logs of 7 and of 65,531 entries: a 300-entry batch then crosses into level 1, resp. level 2."""
    skey, vkey = generate_key(ORIGIN)
    out: dict[int, Path] = {}
    for size in (7, 65_531):
        d = tmp_path_factory.mktemp("base") / "log"
        with Log.create(d, origin=ORIGIN, signer_key=skey) as log:
            log.append_many([b"old %d" % i for i in range(size)])
        out[size] = d
    return skey, vkey, out


def _count_calls(monkeypatch: pytest.MonkeyPatch, call: str, base: Path, skey: str, tmp: Path) -> int:
    real = getattr(os, call)
    calls: list[object] = []

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        calls.append(a)  # list.append is atomic: safe from the fsync threads
        return real(*a, **k)

    shutil.copytree(base, tmp, copy_function=os.link, ignore=NO_LOCK)
    with Log.open(tmp, signer_key=skey) as log:
        monkeypatch.setattr(os, call, counting)
        log.append_many(BATCH)
        monkeypatch.setattr(os, call, real)
    shutil.rmtree(tmp)
    return len(calls)


BATCH = [b"new %d" % i for i in range(300)]
NO_LOCK = shutil.ignore_patterns(".lock")  # a hard-linked lock file would share its flock


@pytest.mark.slow
@pytest.mark.parametrize("call", ["replace", "fsync"])
@pytest.mark.parametrize("old_size", [7, 65_531])
def test_a_crash_at_any_file_operation_leaves_a_log_that_verifies(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    bases: tuple[str, str, dict[int, Path]],
    call: str,
    old_size: int,
) -> None:
    skey, vkey, logs = bases
    real = getattr(os, call)
    ops = _count_calls(monkeypatch, call, logs[old_size], skey, tmp_path / "probe")
    assert ops >= 4
    for k in range(ops):
        for after in (False, True):  # the process dies just before, or just after, call number k
            d = tmp_path / f"c{k}-{int(after)}"
            # files are never changed in place (written aside, then renamed): hard links make a cheap copy
            shutil.copytree(logs[old_size], d, copy_function=os.link, ignore=NO_LOCK)
            tickets = itertools.count()
            lock = threading.Lock()  # fsyncs of a group run in several threads

            def crashing(*a, _k=k, _after=after, _t=tickets, _lock=lock, **kw):  # type: ignore[no-untyped-def]
                with _lock:
                    ticket = next(_t)
                if ticket == _k and not _after:
                    raise _Crash
                result = real(*a, **kw)
                if ticket == _k and _after:
                    raise _Crash
                return result

            log = Log.open(d, signer_key=skey)
            monkeypatch.setattr(os, call, crashing)
            with pytest.raises(_Crash):
                log.append_many(BATCH)
            monkeypatch.setattr(os, call, real)
            log.close()

            report = verify_log(d, vkey)
            assert report.ok, (k, after, [p.to_dict() for p in report.problems])
            committed = report.size == old_size + len(BATCH)
            assert committed or report.size == old_size, (k, after, report.size)
            # the batch is committed exactly when the checkpoint's rename (the last rename, followed only by
            # the fsync of its directory) has happened
            assert committed == (k == ops - 1 and (after or call == "fsync")), (k, after, report.size)
            with Log.open(d, signer_key=skey) as log:
                assert log.append(b"next") == report.size
                assert log.entry(old_size - 1) == b"old %d" % (old_size - 1)
                if committed:
                    assert list(log.entries(old_size, old_size + len(BATCH))) == BATCH
            final = verify_log(d, vkey)
            assert final.ok and final.leftovers == [] and final.size == report.size + 1
            shutil.rmtree(d)
