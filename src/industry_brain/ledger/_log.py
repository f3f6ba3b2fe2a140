"""The :class:`Log`: an append-only, signed, tiled Merkle log in one directory.

Write order of one batch (``append_many``), designed so that a crash at any instant leaves a log that
verifies and loses no acknowledged entry:

1. compute the new leaf hashes, the full tiles and bundles the batch completes, and the new right-edge partial
   tile and bundle of every level that changed — all at paths the current checkpoint does not vouch for, so
   nothing a reader relies on is ever overwritten;
2. write each file under ``<name>.tmp`` and fsync them (concurrently: one journal commit of the file system
   serves the group), rename each into place; fsync every touched directory (concurrently too);
3. sign the new checkpoint, write ``checkpoint.tmp``, fsync, rename over ``checkpoint``, fsync the directory;
4. only then return the indexes (the batch is acknowledged).

A crash before step 3's rename leaves the old checkpoint, which vouches only for files that were complete
before the batch began; the batch's files are leftovers that ``verify_log`` reports as uncommitted and that
the next writer deletes when it opens the log. A crash after the rename leaves the new checkpoint and every
file it needs, already durable. One writer at a time holds an exclusive ``flock`` on ``.lock``.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from industry_brain._core.errors import ConflictError, InputError, IntegrityError, NotFoundError

from ._checkpoint import (
    Checkpoint,
    make_checkpoint,
    open_checkpoint,
    read_checkpoint_unverified,
    sign_checkpoint,
)
from ._merkle import (
    EMPTY_ROOT,
    consistency_proof,
    fold_right,
    inclusion_proof,
    leaf_hash,
    subtree_root,
    tree_root,
)
from ._note import Signer, as_signer, as_verifier, b64encode
from ._tiles import (
    ENTRIES,
    MAX_ENTRY_SIZE,
    TILE_HEIGHT,
    TILE_WIDTH,
    TileNodes,
    TileStore,
    edge_pieces,
    encode_bundle,
    encode_tile,
    levels_for,
    tile_relpath,
    tile_width,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InclusionProof:
    """Leaf ``index`` is in the tree of ``tree_size`` whose root is ``root`` (RFC 9162 audit path)."""

    index: int
    tree_size: int
    leaf_hash: bytes
    hashes: tuple[bytes, ...]
    root: bytes

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "tree_size": self.tree_size,
            "leaf_hash": b64encode(self.leaf_hash),
            "proof": [b64encode(h) for h in self.hashes],
            "root": b64encode(self.root),
        }


@dataclass(frozen=True)
class ConsistencyProof:
    """The tree of ``new_size`` extends the tree of ``old_size`` (RFC 9162 consistency proof)."""

    old_size: int
    new_size: int
    old_root: bytes
    new_root: bytes
    hashes: tuple[bytes, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "old_size": self.old_size,
            "new_size": self.new_size,
            "old_root": b64encode(self.old_root),
            "new_root": b64encode(self.new_root),
            "proof": [b64encode(h) for h in self.hashes],
        }


class Log:
    """A tlog-tiles log directory. Create with :meth:`create`, open with :meth:`open`.

    Without a signer key the log is read-only (entries, proofs, checkpoint). With one, :meth:`append` and
    :meth:`append_many` integrate entries and sign a new checkpoint per batch; they return only once the batch
    is durable.
    """

    def __init__(self, directory: Path, checkpoint: Checkpoint, signer: Signer | None) -> None:
        self.directory = directory
        self._store = TileStore(directory)
        self._checkpoint = checkpoint
        self._signer = signer
        self._lock_fd: int | None = None
        self._nodes = TileNodes(self._store, checkpoint.size)
        self._bundle_cache: OrderedDict[int, list[bytes]] = OrderedDict()
        self._edges: list[list[bytes]] = []
        self._edge_entries: list[bytes] = []
        if signer is not None:
            self._lock()
            self._recover()
            self._load_edges()

    # ---- opening -------------------------------------------------------------------------------------------
    @classmethod
    def create(cls, directory: Path | str, *, origin: str, signer_key: str | Signer) -> Log:
        """Create an empty log (size 0) in ``directory`` (created if absent; must not hold a log already).

        The checkpoint origin must equal the signer key's name, so that the verifier key alone identifies the
        log (as Go's checksum database and Tessera logs do).
        """
        signer = as_signer(signer_key)
        if signer.name != origin:
            raise InputError(
                f"origin {origin!r} must equal the signer key name {signer.name!r}", field="origin"
            )
        directory = Path(directory)
        if (directory / "checkpoint").exists():
            raise ConflictError(f"a log already exists in {str(directory)!r}", file=str(directory))
        cp = sign_checkpoint(make_checkpoint(origin, 0, EMPTY_ROOT), signer)
        store = TileStore(directory)
        store.make_dirs(directory)  # new folders are fsynced into their parents with the checkpoint
        store.write_checkpoint(cp.signed_text().encode("utf-8"))
        return cls(directory, cp, signer)

    @classmethod
    def open(
        cls, directory: Path | str, *, signer_key: str | Signer | None = None, verifier_key: str | None = None
    ) -> Log:
        """Open an existing log. With ``signer_key`` it can append; otherwise it is read-only.

        The checkpoint is verified with the signer's public key, or with ``verifier_key`` when given; a
        read-only open without either trusts the checkpoint file as it is (use :func:`verify_log` to check).
        """
        directory = Path(directory)
        store = TileStore(directory)
        data = store.read_checkpoint_bytes()
        signer = as_signer(signer_key) if signer_key is not None else None
        if signer is not None:
            cp = open_checkpoint(data, signer.verifier)
        elif verifier_key is not None:
            cp = open_checkpoint(data, as_verifier(verifier_key))
        else:
            cp = read_checkpoint_unverified(data)
        return cls(directory, cp, signer)

    def _lock(self) -> None:
        fd = os.open(self.directory / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            os.close(fd)
            raise ConflictError(
                f"another writer holds the log {str(self.directory)!r}", file=str(self.directory)
            ) from exc
        self._lock_fd = fd

    def close(self) -> None:
        """Release the writer lock (the log stays valid whether or not this is called)."""
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> Log:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _recover(self) -> None:
        """Delete files a crashed batch left beyond the checkpoint, and temporary files."""
        size = self._checkpoint.size
        tile_dir = self.directory / "tile"
        levels: list[int | str] = [ENTRIES]
        if tile_dir.is_dir():
            levels += sorted(int(p.name) for p in tile_dir.iterdir() if p.name.isdigit())
        removed = 0
        for level in levels:
            count = size >> (TILE_HEIGHT * (0 if level == ENTRIES else int(level)))
            for f in list(self._store.scan(level)):
                if f.width < 0 or f.index * TILE_WIDTH + f.width > count:
                    f.path.unlink(missing_ok=True)
                    self._store._dirs_to_sync.add(f.path.parent)
                    removed += 1
        tmp = self.directory / "checkpoint.tmp"
        if tmp.exists():
            tmp.unlink()
            removed += 1
        if removed:
            log.info("removed %d uncommitted file(s) left by an interrupted batch", removed)
            self._store._dirs_to_sync.add(self.directory)
        self._store.sync_dirs()

    def _load_edges(self) -> None:
        size = self._checkpoint.size
        self._edges = []
        for level in range(levels_for(size)):
            count = size >> (TILE_HEIGHT * level)
            width = count % TILE_WIDTH
            self._edges.append(self._store.read_tile(level, count // TILE_WIDTH, width) if width else [])
        width = size % TILE_WIDTH
        self._edge_entries = self._store.read_bundle(size // TILE_WIDTH, width) if width else []

    # ---- reading -------------------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return self._checkpoint.size

    @property
    def origin(self) -> str:
        return self._checkpoint.origin

    @property
    def root(self) -> bytes:
        return self._checkpoint.root

    @property
    def writable(self) -> bool:
        return self._signer is not None

    def checkpoint(self) -> Checkpoint:
        """The latest signed checkpoint (``.signed_text()`` is the note as stored)."""
        return self._checkpoint

    def _bundle(self, index: int) -> list[bytes]:
        width = tile_width(0, index, self.size)
        if self._signer is not None and width < TILE_WIDTH and index == self.size // TILE_WIDTH:
            return self._edge_entries
        hit = self._bundle_cache.get(index)
        if hit is not None and len(hit) == width:
            return hit
        bundle = self._store.read_bundle(index, width)
        self._bundle_cache[index] = bundle
        if len(self._bundle_cache) > 64:
            self._bundle_cache.popitem(last=False)
        return bundle

    def entry(self, index: int) -> bytes:
        """Entry number ``index`` (0-based)."""
        if not isinstance(index, int) or not 0 <= index < self.size:
            raise NotFoundError(f"no entry {index!r} in a log of size {self.size}", field="index")
        return self._bundle(index // TILE_WIDTH)[index % TILE_WIDTH]

    def entries(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Entries ``start .. end-1`` in order (``end`` defaults to the size)."""
        end = self.size if end is None else end
        if not 0 <= start <= end <= self.size:
            raise InputError(f"range {start!r}..{end!r} is outside a log of size {self.size}", field="range")
        i = start
        while i < end:
            bundle = self._bundle(i // TILE_WIDTH)
            offset = i % TILE_WIDTH
            take = min(len(bundle) - offset, end - i)
            yield from bundle[offset : offset + take]
            i += take

    def root_at(self, tree_size: int) -> bytes:
        """Root hash of the first ``tree_size`` entries."""
        if not 0 <= tree_size <= self.size:
            raise InputError(f"tree size {tree_size!r} is outside 0..{self.size}", field="tree_size")
        return tree_root(self._nodes, tree_size)

    def prove_inclusion(self, index: int, tree_size: int | None = None) -> InclusionProof:
        """Inclusion proof of entry ``index`` in the tree of ``tree_size`` (default: the current size)."""
        tree_size = self.size if tree_size is None else tree_size
        if not 0 < tree_size <= self.size:
            raise InputError(f"tree size {tree_size!r} is outside 1..{self.size}", field="tree_size")
        if not 0 <= index < tree_size:
            raise NotFoundError(f"no entry {index!r} in a tree of size {tree_size}", field="index")
        hashes = inclusion_proof(self._nodes, index, tree_size)
        root = self.root if tree_size == self.size else tree_root(self._nodes, tree_size)
        return InclusionProof(index, tree_size, self._nodes.node(0, index), tuple(hashes), root)

    def prove_consistency(self, old_size: int, new_size: int | None = None) -> ConsistencyProof:
        """Consistency proof from the tree of ``old_size`` to ``new_size`` (default: the current size)."""
        new_size = self.size if new_size is None else new_size
        if not 0 < old_size <= new_size <= self.size:
            raise InputError(
                f"need 0 < old size <= new size <= {self.size}, got {old_size!r}, {new_size!r}", field="size"
            )
        hashes = consistency_proof(self._nodes, old_size, new_size)
        return ConsistencyProof(
            old_size,
            new_size,
            tree_root(self._nodes, old_size),
            tree_root(self._nodes, new_size),
            tuple(hashes),
        )

    # ---- writing -------------------------------------------------------------------------------------------
    def append(self, data: bytes) -> int:
        """Append one entry; returns its index once durable. Prefer :meth:`append_many` for throughput."""
        return self.append_many([data])[0]

    def append_many(self, entries: Sequence[bytes]) -> list[int]:
        """Integrate ``entries`` as one batch and sign one checkpoint; returns their indexes once durable."""
        if self._signer is None:
            raise ConflictError("log was opened read-only (no signer key)", file=str(self.directory))
        batch = [bytes(e) for e in entries] if not isinstance(entries, bytes | str) else None
        if batch is None:
            raise InputError(
                "append_many takes a sequence of bytes entries, not one bytes value", field="entries"
            )
        for i, e in enumerate(batch):
            if len(e) > MAX_ENTRY_SIZE:
                raise InputError(
                    f"entry {i} has {len(e)} bytes, at most {MAX_ENTRY_SIZE} fit a tile bundle", field="entry"
                )
        if not batch:
            return []
        old = self.size
        new = old + len(batch)
        files: list[tuple[str, bytes]] = []

        # entry bundles
        base = old // TILE_WIDTH
        pending = self._edge_entries + batch
        full = len(pending) // TILE_WIDTH
        for j in range(full):
            files.append(
                (
                    tile_relpath(ENTRIES, base + j),
                    encode_bundle(pending[j * TILE_WIDTH : (j + 1) * TILE_WIDTH]),
                )
            )
        new_edge_entries = pending[full * TILE_WIDTH :]
        if new_edge_entries:
            files.append(
                (tile_relpath(ENTRIES, base + full, len(new_edge_entries)), encode_bundle(new_edge_entries))
            )

        # hash tiles, level by level, carrying completed tile roots upwards
        new_edges = [list(e) for e in self._edges]
        carry = [leaf_hash(e) for e in batch]
        level = 0
        while carry:
            if level == len(new_edges):
                new_edges.append([])
            count_before = old >> (TILE_HEIGHT * level)
            base = count_before // TILE_WIDTH
            pending = new_edges[level] + carry
            full = len(pending) // TILE_WIDTH
            carry = []
            for j in range(full):
                chunk = pending[j * TILE_WIDTH : (j + 1) * TILE_WIDTH]
                files.append((tile_relpath(level, base + j), encode_tile(chunk)))
                carry.append(subtree_root(chunk))
            new_edges[level] = pending[full * TILE_WIDTH :]
            if new_edges[level]:
                files.append(
                    (tile_relpath(level, base + full, len(new_edges[level])), encode_tile(new_edges[level]))
                )
            level += 1

        pieces: list[bytes] = []
        for edge in reversed(new_edges):
            pieces.extend(edge_pieces(edge))
        root = fold_right(pieces)
        cp = sign_checkpoint(
            make_checkpoint(self.origin, new, root, self._checkpoint.extensions), self._signer
        )

        self._store.write_files(files)
        self._store.sync_dirs()
        self._store.write_checkpoint(cp.signed_text().encode("utf-8"))

        self._checkpoint = cp
        self._edges = new_edges
        self._edge_entries = new_edge_entries
        self._nodes = TileNodes(self._store, new)
        return list(range(old, new))

    # ---- witnesses ---------------------------------------------------------------------------------------
    def cosigned_checkpoints(self) -> list[Checkpoint]:
        """Checkpoints stored by witnesses in ``cosignatures/`` (unverified; see ``verify_cosignatures``)."""
        folder = self.directory / "cosignatures"
        out: list[Checkpoint] = []
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.name.endswith(".tmp") or not path.is_file():
                    continue
                try:
                    out.append(read_checkpoint_unverified(path.read_bytes()))
                except (InputError, IntegrityError) as exc:
                    log.warning("ignoring unreadable cosigned checkpoint %s: %s", path.name, exc)
        return out
