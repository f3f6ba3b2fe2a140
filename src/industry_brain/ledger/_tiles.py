"""The tlog-tiles layout on a filesystem (c2sp.org/tlog-tiles), read and written durably.

A log directory holds::

    checkpoint                        the latest signed checkpoint (replaced atomically, written last)
    tile/<L>/<N>                      a full tile: 256 hashes of level 8*L, 32 bytes each
    tile/<L>/<N>.p/<W>                a partial tile: its first W (1..255) hashes
    tile/entries/<N>                  a full entry bundle: entries 256*N .. 256*N+255
    tile/entries/<N>.p/<W>            a partial entry bundle: the first W of them
    cosignatures/<name>+<key ID>      the checkpoint as last cosigned by that witness (see ``ib ledger witness``)

``<N>`` is written in groups of three digits, every group but the last prefixed by ``x``:
``1234067`` -> ``x001/x234/067``. An entry bundle is each entry as ``uint16`` big-endian length || bytes,
so an entry holds at most 65,535 bytes. Level-``L`` hash number ``i`` is the root of leaves
``i*256**L .. (i+1)*256**L - 1``.

Every file is written under a temporary name, fsynced, renamed into place, and its directory fsynced; the
checkpoint is replaced last, so a reader (or a restart) only ever sees files a checkpoint vouches for.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from industry_brain._core.errors import InputError, IntegrityError, NotFoundError, ParseError

from ._merkle import HASH_SIZE, pairs_up, subtree_root

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_ENTRY_SIZE = 0xFFFF
ENTRIES = "entries"
_GROUP_FILES = 64  # files written and fsynced together by TileStore.write_files
_GROUP = re.compile(r"^(x)?(\d{3})$")


def encode_index(n: int) -> str:
    """``1234067`` -> ``x001/x234/067`` (tlog-tiles path element)."""
    if n < 0:
        raise InputError(f"tile index {n!r} must be >= 0", field="index")
    groups = [f"{n % 1000:03d}"]
    n //= 1000
    while n:
        groups.append(f"x{n % 1000:03d}")
        n //= 1000
    return "/".join(reversed(groups))


def tile_relpath(level: int | str, index: int, width: int = TILE_WIDTH) -> str:
    """Relative path of a tile (``level`` an int) or an entry bundle (``level == "entries"``)."""
    if not 1 <= width <= TILE_WIDTH:
        raise InputError(f"tile width {width!r} must be 1..{TILE_WIDTH}", field="width")
    base = f"tile/{level}/{encode_index(index)}"
    return base if width == TILE_WIDTH else f"{base}.p/{width}"


def tile_width(level: int, index: int, size: int) -> int:
    """How many hashes tile ``(level, index)`` holds in a tree of ``size`` leaves (0 if none)."""
    count = size >> (TILE_HEIGHT * level)
    return max(0, min(TILE_WIDTH, count - index * TILE_WIDTH))


def tile_count(level: int, size: int) -> int:
    """Number of tiles (full or partial) at ``level`` in a tree of ``size`` leaves."""
    count = size >> (TILE_HEIGHT * level)
    return (count + TILE_WIDTH - 1) // TILE_WIDTH


def levels_for(size: int) -> int:
    """Number of tile levels holding at least one hash."""
    level = 0
    while size >> (TILE_HEIGHT * level):
        level += 1
    return level


def encode_tile(hashes: Sequence[bytes]) -> bytes:
    return b"".join(hashes)


def decode_tile(data: bytes, width: int, where: str = "tile") -> list[bytes]:
    """Split tile bytes into ``width`` hashes; raises :class:`ParseError` on a wrong length."""
    if not isinstance(data, bytes | bytearray) or len(data) != width * HASH_SIZE:
        n = len(data) if isinstance(data, bytes | bytearray) else type(data).__name__
        raise ParseError(
            f"{where} holds {n!r} bytes, expected {width * HASH_SIZE} ({width} hashes)", file=where
        )
    return [bytes(data[i : i + HASH_SIZE]) for i in range(0, len(data), HASH_SIZE)]


def encode_bundle(entries: Sequence[bytes]) -> bytes:
    out = bytearray()
    for e in entries:
        if len(e) > MAX_ENTRY_SIZE:
            raise InputError(f"entry of {len(e)} bytes is larger than {MAX_ENTRY_SIZE}", field="entry")
        out += len(e).to_bytes(2, "big")
        out += e
    return bytes(out)


def decode_bundle(data: bytes, width: int | None = None, where: str = "entry bundle") -> list[bytes]:
    """Parse an entry bundle; with ``width``, it must hold exactly that many entries. Raises :class:`ParseError`."""
    if not isinstance(data, bytes | bytearray):
        raise ParseError(f"{where} must be bytes, got {type(data).__name__}", file=where)
    out: list[bytes] = []
    pos, n = 0, len(data)
    while pos < n:
        if pos + 2 > n:
            raise ParseError(f"{where}: truncated length at byte {pos} (entry {len(out)})", file=where)
        length = int.from_bytes(data[pos : pos + 2], "big")
        if pos + 2 + length > n:
            raise ParseError(
                f"{where}: entry {len(out)} claims {length} bytes, only {n - pos - 2} left", file=where
            )
        out.append(bytes(data[pos + 2 : pos + 2 + length]))
        pos += 2 + length
        if len(out) > TILE_WIDTH:
            raise ParseError(f"{where} holds more than {TILE_WIDTH} entries", file=where)
    if width is not None and len(out) != width:
        raise ParseError(f"{where} holds {len(out)} entries, expected {width}", file=where)
    return out


def tile_levels(hashes: Sequence[bytes]) -> list[list[bytes]]:
    """All levels of the (possibly partial) tile's internal tree: ``[hashes, pairs, ...]`` up to 8 levels."""
    levels = [list(hashes)]
    for _ in range(TILE_HEIGHT):
        if len(levels[-1]) < 2:
            break
        levels.append(pairs_up(levels[-1]))
    return levels


def edge_pieces(edge: Sequence[bytes]) -> list[bytes]:
    """Complete subtree roots of a partial tile's hashes, left to right (largest first)."""
    out: list[bytes] = []
    offset = 0
    for bit in range(TILE_HEIGHT - 1, -1, -1):
        if len(edge) >> bit & 1:
            out.append(subtree_root(edge[offset : offset + (1 << bit)]))
            offset += 1 << bit
    return out


def _fsync_all(fds: Sequence[int]) -> None:
    """fsync every descriptor; concurrently when there are several (fsync releases the GIL)."""
    if len(fds) <= 1:
        for fd in fds:
            os.fsync(fd)
        return
    with ThreadPoolExecutor(max_workers=min(len(fds), 16), thread_name_prefix="fsync") as pool:
        for _ in pool.map(os.fsync, fds):
            pass


@dataclass(frozen=True)
class TileFile:
    """A tile or bundle file found on disk: level (int, or ``"entries"``), index, width, path."""

    level: int | str
    index: int
    width: int
    path: Path


class TileStore:
    """Reads and writes the files of one log directory."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._dirs_to_sync: set[Path] = set()

    # ---- reading -------------------------------------------------------------------------------------------
    def path(self, level: int | str, index: int, width: int = TILE_WIDTH) -> Path:
        return self.root / tile_relpath(level, index, width)

    def _read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise NotFoundError(f"missing file {self._rel(path)}", file=self._rel(path)) from exc
        except OSError as exc:
            raise IntegrityError(
                f"cannot read {self._rel(path)}: {exc.strerror}", file=self._rel(path)
            ) from exc

    def _rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def read_tile(self, level: int, index: int, width: int) -> list[bytes]:
        path = self.path(level, index, width)
        return decode_tile(self._read(path), width, self._rel(path))

    def read_bundle(self, index: int, width: int) -> list[bytes]:
        path = self.path(ENTRIES, index, width)
        return decode_bundle(self._read(path), width, self._rel(path))

    def read_checkpoint_bytes(self) -> bytes:
        return self._read(self.root / "checkpoint")

    def scan(self, level: int | str) -> Iterator[TileFile]:
        """Every tile file of ``level`` on disk (full and partial, and ``*.tmp`` leftovers as width -1)."""
        top = self.root / "tile" / str(level)
        if not top.is_dir():
            return
        yield from self._scan_dir(level, top, 0, False)

    def _scan_dir(self, level: int | str, folder: Path, prefix: int, nested: bool) -> Iterator[TileFile]:
        try:
            items = list(os.scandir(folder))
        except OSError:
            return
        for item in items:
            name = item.name
            if name.endswith(".tmp"):
                yield TileFile(level, -1, -1, Path(item.path))
                continue
            base, dot_p, _ = name.partition(".p")
            m = _GROUP.match(base)
            if m is None:
                continue
            value = prefix * 1000 + int(m.group(2))
            if m.group(1):  # an x-prefixed directory: more groups follow
                if item.is_dir():
                    yield from self._scan_dir(level, Path(item.path), value, True)
                continue
            if dot_p:
                if name != base + ".p" or not item.is_dir():
                    continue
                for sub in os.scandir(item.path):
                    if sub.name.endswith(".tmp"):
                        yield TileFile(level, -1, -1, Path(sub.path))
                    elif (
                        sub.name.isdigit()
                        and 1 <= int(sub.name) < TILE_WIDTH
                        and str(int(sub.name)) == sub.name
                    ):
                        yield TileFile(level, value, int(sub.name), Path(sub.path))
            elif item.is_file():
                yield TileFile(level, value, TILE_WIDTH, Path(item.path))

    # ---- writing -------------------------------------------------------------------------------------------
    def make_dirs(self, folder: Path) -> None:
        """Create ``folder`` and missing parents; each new entry is fsynced by the next :meth:`sync_dirs`."""
        missing: list[Path] = []
        d = folder
        while not d.exists():
            missing.append(d)
            d = d.parent
        for m in reversed(missing):
            m.mkdir(exist_ok=True)
            self._dirs_to_sync.add(m.parent)
            self._dirs_to_sync.add(m)

    def write_file(self, relpath: str, data: bytes) -> None:
        """Write ``data`` under a temporary name, fsync it, rename it into place (directory fsync deferred)."""
        self.write_files([(relpath, data)])

    def write_files(self, files: Sequence[tuple[str, bytes]]) -> None:
        """Write several files durably: each under a temporary name, all fsynced, then each renamed into place.

        The fsyncs of a group run concurrently, so that one journal commit of the file system can serve them
        all; groups are bounded to keep few descriptors open. Directory fsyncs are deferred to :meth:`sync_dirs`.
        """
        for start in range(0, len(files), _GROUP_FILES):
            staged: list[tuple[int, Path, Path]] = []
            try:
                for relpath, data in files[start : start + _GROUP_FILES]:
                    path = self.root / relpath
                    self.make_dirs(path.parent)
                    tmp = path.with_name(path.name + ".tmp")
                    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                    staged.append((fd, tmp, path))
                    view = memoryview(data)
                    while view:
                        written = os.write(fd, view)
                        view = view[written:]
                _fsync_all([fd for fd, _, _ in staged])
            finally:
                for fd, _, _ in staged:
                    os.close(fd)
            for _, tmp, path in staged:
                os.replace(tmp, path)
                self._dirs_to_sync.add(path.parent)

    def sync_dirs(self) -> None:
        """fsync every directory that gained or changed an entry since the last call."""
        fds: list[int] = []
        try:
            for d in sorted(self._dirs_to_sync, key=lambda p: len(p.parts), reverse=True):
                fds.append(os.open(d, os.O_RDONLY))
            _fsync_all(fds)
        finally:
            for fd in fds:
                os.close(fd)
        self._dirs_to_sync.clear()

    def write_checkpoint(self, data: bytes) -> None:
        """Replace ``checkpoint`` atomically and durably: everything it vouches for must be synced before."""
        self.write_file("checkpoint", data)
        self.sync_dirs()


class TileNodes:
    """A :class:`~._merkle.NodeSource` answering complete-subtree hashes from the tiles of a tree of ``size``.

    Node ``(k, i)`` lives in tile level ``k // 8``; ``k % 8`` levels are hashed up inside the tile. Decoded
    tiles and their internal levels are kept in a small LRU cache.
    """

    def __init__(self, store: TileStore, size: int, cache_tiles: int = 1024) -> None:
        self.store = store
        self.size = size
        self._cache: OrderedDict[tuple[int, int], list[list[bytes]]] = OrderedDict()
        self._cache_tiles = cache_tiles

    def _levels(self, level: int, index: int) -> list[list[bytes]]:
        key = (level, index)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        width = tile_width(level, index, self.size)
        if width == 0:
            raise NotFoundError(f"no tile ({level}, {index}) in a tree of size {self.size}", field="index")
        levels = tile_levels(self.store.read_tile(level, index, width))
        self._cache[key] = levels
        if len(self._cache) > self._cache_tiles:
            self._cache.popitem(last=False)
        return levels

    def node(self, level: int, index: int) -> bytes:
        tile_level, h = divmod(level, TILE_HEIGHT)
        first = index << h
        levels = self._levels(tile_level, first >> TILE_HEIGHT)
        return levels[h][(first & (TILE_WIDTH - 1)) >> h]
