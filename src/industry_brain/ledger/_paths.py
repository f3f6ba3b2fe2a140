"""Serving a log read-only over HTTP: request paths of c2sp.org/tlog-tiles mapped to files, strictly.

A client (a Go ``tlog`` verifier, a witness, a monitor) asks for paths relative to the log's URL prefix::

    checkpoint
    tile/<L>/<N>            tile/<L>/<N>.p/<W>
    tile/entries/<N>        tile/entries/<N>.p/<W>

``<L>`` is 0..63 and ``<W>`` 1..255, decimal without leading zeros; ``<N>`` is the tile index in groups of three
digits, all but the last prefixed with ``x`` (``x001/x234/067``), in its one canonical spelling. Nothing else
is answered: no ``..``, no empty or dot segments, no ``.tmp`` or lock files, no cosignature folder. A tile
beyond the current checkpoint (a leftover of an interrupted batch) is not served either, since no checkpoint
vouches for it.

Tiles and bundles never change once the checkpoint covers them (the writer only ever adds new paths), so an
HTTP server may send them with ``Cache-Control: public, max-age=31536000, immutable`` and
``Content-Type: application/octet-stream``; the checkpoint changes with every batch (``no-cache``,
``text/plain; charset=utf-8``).
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from industry_brain._core.errors import IndustryBrainError, InputError, NotFoundError

from ._checkpoint import read_checkpoint_unverified
from ._tiles import ENTRIES, TILE_HEIGHT, TILE_WIDTH, encode_index

_MAX_LEVEL = 63
_DECIMAL = r"(?:0|[1-9][0-9]*)"
_INDEX = r"(?:x[0-9]{3}/)*[0-9]{3}"
_TILE = re.compile(
    rf"tile/(?P<level>{_DECIMAL}|entries)/(?P<index>{_INDEX})(?:\.p/(?P<width>[1-9][0-9]*))?",
    re.ASCII,
)


def _refuse(request_path: object, why: str) -> InputError:
    return InputError(
        f"{why}: {request_path!r}; expected checkpoint, tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]",
        field="path",
    )


def tile_path(log_dir: Path | str, request_path: str) -> Path:
    """The file answering a tlog-tiles request path of the log in ``log_dir``.

    Raises :class:`InputError` when ``request_path`` is not a path of the tlog-tiles grammar (traversal
    attempts included) and :class:`NotFoundError` when it is well formed but the log holds no such
    committed file.
    """
    if not isinstance(request_path, str):
        raise _refuse(request_path, "tile path must be text")
    if len(request_path) > 200 or not request_path.isascii():
        raise _refuse(request_path, "not a tlog-tiles path")
    root = Path(log_dir)
    if request_path == "checkpoint":
        return _existing_file(root, root / "checkpoint", request_path)
    m = _TILE.fullmatch(request_path)
    if m is None:
        raise _refuse(request_path, "not a tlog-tiles path")
    level_s, index_s, width_s = m.group("level"), m.group("index"), m.group("width")
    level = ENTRIES if level_s == ENTRIES else int(level_s)
    if level != ENTRIES and int(level) > _MAX_LEVEL:
        raise _refuse(request_path, f"tile level must be 0..{_MAX_LEVEL}")
    index = int(index_s.replace("x", "").replace("/", ""))
    if encode_index(index) != index_s:
        raise _refuse(request_path, f"tile index must be spelled {encode_index(index)!r}")
    width = TILE_WIDTH
    if width_s is not None:
        width = int(width_s)
        if width >= TILE_WIDTH:
            raise _refuse(request_path, f"partial tile width must be 1..{TILE_WIDTH - 1}")

    try:
        size = read_checkpoint_unverified((root / "checkpoint").read_bytes()).size
    except (OSError, IndustryBrainError) as exc:
        raise NotFoundError(f"no readable log checkpoint in {str(root)!r}", file="checkpoint") from exc
    count = size >> (TILE_HEIGHT * (0 if level == ENTRIES else int(level)))
    if index * TILE_WIDTH + width > count:
        raise NotFoundError(
            f"{request_path!r} is beyond the log's checkpoint (size {size})", field="path", file=request_path
        )
    return _existing_file(root, root / request_path, request_path)


def _existing_file(root: Path, path: Path, request_path: str) -> Path:
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        raise NotFoundError(f"the log has no file {request_path!r}", field="path", file=request_path) from exc
    if not stat.S_ISREG(mode):  # a symlink or a folder is never part of a log we wrote
        raise NotFoundError(f"the log has no file {request_path!r}", field="path", file=request_path)
    try:
        path.resolve().relative_to(root.resolve())
    except (OSError, ValueError) as exc:
        raise NotFoundError(f"the log has no file {request_path!r}", field="path", file=request_path) from exc
    return path
