"""Whole-log verification: every entry, every tile hash, the root against the signed checkpoint.

:func:`verify_log` recomputes the tree from the entry bundles alone, compares every stored tile (the ones the
checkpoint vouches for, and every older partial tile still on disk) with the recomputed hashes, and compares
the recomputed root with the signed checkpoint. When the entries and a tile disagree it also computes the root
from the stored tiles, to tell *which* side was altered: if the tiles still lead to the signed root, the entry
bundle was changed; if the entries do, the tile was. Every problem names the file, the tile level and index,
and the entry or hash position.

Files beyond the checkpoint (an interrupted batch, ``*.tmp``) are not problems: the checkpoint does not vouch
for them. They are listed as ``leftovers``; the next writer deletes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from industry_brain._core.errors import IndustryBrainError, IntegrityError

from ._checkpoint import Checkpoint, open_checkpoint, read_checkpoint_unverified, verify_cosignatures
from ._merkle import EMPTY_ROOT, HASH_SIZE, fold_right, leaf_hash, subtree_root, tree_root
from ._note import Verifier, as_verifier, b64encode
from ._tiles import (
    ENTRIES,
    TILE_HEIGHT,
    TILE_WIDTH,
    TileFile,
    TileNodes,
    TileStore,
    decode_bundle,
    decode_tile,
    edge_pieces,
    tile_count,
    tile_relpath,
    tile_width,
)


@dataclass(frozen=True)
class Problem:
    """One verification failure and where it is."""

    code: str
    file: str
    message: str
    level: int | None = None
    tile: int | None = None
    position: int | None = None
    entry: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class VerifyReport:
    """What :func:`verify_log` found. ``ok`` is true when there is no problem."""

    directory: str
    origin: str | None = None
    size: int | None = None
    root: str | None = None
    problems: list[Problem] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    files_checked: int = 0
    cosignatures: list[dict[str, object]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "directory": self.directory,
            "origin": self.origin,
            "size": self.size,
            "root": self.root,
            "files_checked": self.files_checked,
            "problems": [p.to_dict() for p in self.problems],
            "leftovers": self.leftovers,
            "cosignatures": self.cosignatures,
        }

    def raise_first(self) -> None:
        """Raise :class:`IntegrityError` for the first problem, if any."""
        if self.problems:
            p = self.problems[0]
            raise IntegrityError(f"{p.file}: {p.message}", **p.to_dict())


def _first_difference(a: list[bytes], b: list[bytes]) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


class _Checker:
    def __init__(self, directory: Path, cp: Checkpoint, report: VerifyReport) -> None:
        self.store = TileStore(directory)
        self.cp = cp
        self.size = cp.size
        self.report = report
        self.others: dict[tuple[int | str, int], list[TileFile]] = {}
        # stored tiles that differ from the hashes recomputed from the entries: (level, tile, width, position)
        self.mismatches: list[tuple[int, int, int, int]] = []
        # problems of older partial tiles/bundles, reported unless explained by a problem of the current file
        self.partial_problems: list[tuple[int, int, Problem]] = []

    def partial_problem(self, level: int | str, index: int, problem: Problem) -> None:
        self.partial_problems.append((0 if level == ENTRIES else int(level), index, problem))

    def problem(self, code: str, file: str, message: str, **where: int) -> None:
        self.report.problems.append(Problem(code, file, message, **where))

    def collect_other_files(self) -> None:
        """Sort every tile file on disk into: canonical (checked in order), older partials, leftovers."""
        tile_dir = self.store.root / "tile"
        levels: list[int | str] = [ENTRIES]
        if tile_dir.is_dir():
            levels += sorted(int(p.name) for p in tile_dir.iterdir() if p.name.isdigit())
        for level in levels:
            lv = 0 if level == ENTRIES else int(level)
            count = self.size >> (TILE_HEIGHT * lv)
            for f in self.store.scan(level):
                rel = self.store._rel(f.path)
                if f.width < 0 or f.index * TILE_WIDTH + f.width > count:
                    self.report.leftovers.append(rel)
                elif f.width != tile_width(lv, f.index, self.size):
                    self.others.setdefault((level, f.index), []).append(f)
        if (self.store.root / "checkpoint.tmp").exists():
            self.report.leftovers.append("checkpoint.tmp")
        self.report.leftovers.sort()

    def read(self, level: int | str, index: int, width: int) -> bytes | None:
        rel = tile_relpath(level, index, width)
        try:
            data = (self.store.root / rel).read_bytes()
        except FileNotFoundError:
            self.problem("missing_file", rel, "file is missing", **self._where(level, index))
            return None
        except OSError as exc:
            self.problem("unreadable_file", rel, f"cannot read: {exc.strerror}", **self._where(level, index))
            return None
        self.report.files_checked += 1
        return data

    @staticmethod
    def _where(level: int | str, index: int) -> dict[str, int]:
        return {"tile": index} if level == ENTRIES else {"level": int(level), "tile": index}

    def check_tile(self, level: int, index: int, width: int, computed: list[bytes]) -> list[bytes] | None:
        """Compare the stored tile with ``computed``; returns the stored hashes (None if unusable)."""
        rel = tile_relpath(level, index, width)
        data = self.read(level, index, width)
        if data is None:
            return None
        if len(data) != width * HASH_SIZE:
            self.problem(
                "bad_tile_length",
                rel,
                f"holds {len(data)} bytes, expected {width * HASH_SIZE}",
                level=level,
                tile=index,
            )
            return None
        if data != b"".join(computed):
            stored = decode_tile(data, width, rel)
            self.mismatches.append((level, index, width, _first_difference(stored, computed)))
            return stored
        return computed

    def check_older_partials(self, level: int | str, index: int, full: list[bytes], encode: bool) -> None:
        for f in self.others.get((level, index), []):
            rel = self.store._rel(f.path)
            try:
                data = f.path.read_bytes()
            except OSError:
                continue
            self.report.files_checked += 1
            try:
                got = decode_bundle(data, f.width, rel) if encode else decode_tile(data, f.width, rel)
            except IndustryBrainError as exc:
                self.partial_problem(
                    level,
                    index,
                    Problem(
                        "bad_partial", rel, exc.message.removeprefix(rel + ": "), **self._where(level, index)
                    ),
                )
                continue
            want = full[: f.width]
            if got != want:
                pos = _first_difference(got, want)
                if encode:
                    problem = Problem(
                        "partial_mismatch",
                        rel,
                        f"older partial bundle: entry "
                        f"{index * TILE_WIDTH + pos} differs from the committed entry",
                        tile=index,
                        entry=index * TILE_WIDTH + pos,
                    )
                else:
                    problem = Problem(
                        "partial_mismatch",
                        rel,
                        f"older partial tile: hash {pos} differs",
                        level=int(level),
                        tile=index,
                        position=pos,
                    )
                self.partial_problem(level, index, problem)

    def run(self) -> bytes:
        """Check everything; returns the root recomputed from the entries."""
        self.collect_other_files()
        upper: list[bytes] = []  # hashes of level 1 (tile roots of level 0), recomputed from entries
        pieces_by_level: list[list[bytes]] = []
        edge0: list[bytes] = []
        for n in range(tile_count(0, self.size)):
            width = tile_width(0, n, self.size)
            rel = tile_relpath(ENTRIES, n, width)
            raw = self.read(ENTRIES, n, width)
            leaves: list[bytes] | None = None
            if raw is not None:
                try:
                    entries = decode_bundle(raw, width, rel)
                except IndustryBrainError as exc:
                    self.problem("bad_bundle", rel, exc.message.removeprefix(rel + ": "), tile=n)
                else:
                    self.check_older_partials(ENTRIES, n, entries, True)
                    leaves = [leaf_hash(e) for e in entries]
            stored = self.check_tile(0, n, width, leaves) if leaves is not None else None
            if leaves is None:
                trel = tile_relpath(0, n, width)
                data = self.read(0, n, width)
                if data is not None:
                    try:
                        stored = decode_tile(data, width, trel)
                    except IndustryBrainError as exc:
                        self.problem(
                            "bad_tile_length", trel, exc.message.removeprefix(trel + " "), level=0, tile=n
                        )
                leaves = stored
            if leaves is None:
                return b""  # neither entries nor tile: no root can be recomputed
            self.check_older_partials(0, n, leaves, False)
            if width == TILE_WIDTH:
                upper.append(subtree_root(leaves))
            else:
                edge0 = leaves
        pieces_by_level.append(edge_pieces(edge0))
        level = 1
        current = upper
        while current:
            nxt: list[bytes] = []
            edge: list[bytes] = []
            for n in range((len(current) + TILE_WIDTH - 1) // TILE_WIDTH):
                chunk = current[n * TILE_WIDTH : (n + 1) * TILE_WIDTH]
                self.check_tile(level, n, len(chunk), chunk)
                self.check_older_partials(level, n, chunk, False)
                if len(chunk) == TILE_WIDTH:
                    nxt.append(subtree_root(chunk))
                else:
                    edge = chunk
            pieces_by_level.append(edge_pieces(edge))
            current = nxt
            level += 1
        pieces = [p for level_pieces in reversed(pieces_by_level) for p in level_pieces]
        return fold_right(pieces) if self.size else EMPTY_ROOT

    def diagnose(self, entries_root: bytes) -> None:
        """Turn entry/tile disagreements into problems that say which file was altered."""
        cp_root = self.cp.root
        tiles_root: bytes | None
        try:
            tiles_root = tree_root(TileNodes(self.store, self.size), self.size)
        except IndustryBrainError:
            tiles_root = None
        entries_altered = entries_root != cp_root and tiles_root == cp_root
        for level, tile, width, pos in self.mismatches:
            tile_rel = tile_relpath(level, tile, width)
            if level > 0:
                if not entries_altered:  # otherwise a consequence of the altered entry below it
                    self.problem(
                        "tile_mismatch",
                        tile_rel,
                        f"hash {pos} differs from the one recomputed from the entries",
                        level=level,
                        tile=tile,
                        position=pos,
                    )
                continue
            entry = tile * TILE_WIDTH + pos
            bundle_rel = tile_relpath(ENTRIES, tile, width)
            if entries_root == cp_root:
                self.problem(
                    "tile_mismatch",
                    tile_rel,
                    f"hash {pos} (entry {entry}) differs from the hash of the entry in {bundle_rel}",
                    level=0,
                    tile=tile,
                    position=pos,
                    entry=entry,
                )
            elif entries_altered:
                self.problem(
                    "entry_mismatch",
                    bundle_rel,
                    f"entry {entry} does not hash to the value in "
                    f"{tile_rel} that the signed checkpoint covers",
                    tile=tile,
                    position=pos,
                    entry=entry,
                )
            else:
                self.problem(
                    "entry_mismatch",
                    bundle_rel,
                    f"entry {entry} disagrees with {tile_rel} and neither leads to the signed root",
                    tile=tile,
                    position=pos,
                    entry=entry,
                )
        if entries_root and entries_root != cp_root and not self.mismatches:
            self.problem(
                "root_mismatch",
                "checkpoint",
                f"signed root {b64encode(cp_root)} differs from the root "
                f"{b64encode(entries_root)} recomputed from the entries and tiles (a bundle and its tile "
                "changed together, or the checkpoint covers other data)",
            )
        self.report.problems.sort(key=lambda p: p.code not in ("entry_mismatch", "bad_bundle"))
        flagged = {(p.level or 0, p.tile) for p in self.report.problems if p.tile is not None}
        for level, index, problem in self.partial_problems:
            if (level, index) in flagged or (level > 0 and entries_altered):
                continue  # a consequence of the altered current file, already reported
            self.report.problems.append(problem)


def verify_log(
    directory: Path | str, verifier_key: str | Verifier, witness_keys: Iterable[str | Verifier] = ()
) -> VerifyReport:
    """Check a whole log directory; never raises for a bad log (the report says what and where).

    ``witness_keys``: also check the cosigned checkpoints in ``cosignatures/`` (log signature, the root at their
    size, and the cosignatures of those witnesses).
    """
    directory = Path(directory)
    report = VerifyReport(str(directory))
    verifier = as_verifier(verifier_key)
    witnesses = [as_verifier(w) for w in witness_keys]
    try:
        data = (directory / "checkpoint").read_bytes()
    except OSError as exc:
        report.problems.append(
            Problem("missing_file", "checkpoint", f"cannot read the checkpoint: {exc.strerror}")
        )
        return report
    try:
        cp = open_checkpoint(data, verifier)
    except IndustryBrainError as exc:
        report.problems.append(Problem("bad_checkpoint", "checkpoint", exc.message))
        return report
    report.origin, report.size, report.root = cp.origin, cp.size, b64encode(cp.root)
    report.files_checked += 1
    checker = _Checker(directory, cp, report)
    entries_root = checker.run()
    checker.diagnose(entries_root)
    if report.ok:
        _check_cosigned(directory, verifier, witnesses, cp, checker.store, report)
    return report


def _check_cosigned(
    directory: Path,
    verifier: Verifier,
    witnesses: list[Verifier],
    cp: Checkpoint,
    store: TileStore,
    report: VerifyReport,
) -> None:
    folder = directory / "cosignatures"
    if not folder.is_dir():
        return
    nodes = TileNodes(store, cp.size)
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.endswith(".tmp"):
            continue
        rel = f"cosignatures/{path.name}"
        try:
            cosigned = open_checkpoint(path.read_bytes(), verifier)
            if cosigned.size > cp.size:
                raise IntegrityError(f"cosigned size {cosigned.size} is beyond the log's size {cp.size}")
            if cosigned.size and tree_root(nodes, cosigned.size) != cosigned.root:
                raise IntegrityError(
                    f"cosigned root at size {cosigned.size} is not this log's root at that size"
                )
            for c in verify_cosignatures(cosigned, witnesses):
                report.cosignatures.append({"file": rel, "size": cosigned.size, **c.to_dict()})
        except IndustryBrainError as exc:
            report.problems.append(Problem("bad_cosigned_checkpoint", rel, exc.message))
        except OSError as exc:
            report.problems.append(Problem("unreadable_file", rel, str(exc.strerror)))


def read_checkpoint_file(directory: Path | str) -> Checkpoint:
    """The log's checkpoint, parsed but not verified."""
    return read_checkpoint_unverified(TileStore(Path(directory)).read_checkpoint_bytes())
