"""tile_path: tlog-tiles request paths served read-only, strictly by the spec's grammar, never outside the log."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain.ledger import Log, generate_key, tile_path

ORIGIN = "paths.example/log"


@pytest.fixture(scope="module")
def log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    skey, _ = generate_key(ORIGIN)
    d = tmp_path_factory.mktemp("paths") / "log"
    with Log.create(d, origin=ORIGIN, signer_key=skey) as log:
        for n in (5, 300, 65_300):  # older partials, full tiles, a level-2 partial tile (size 65,605)
            log.append_many([b"%d" % i for i in range(n)])
    # what an interrupted batch would leave: beyond the checkpoint, never served
    (d / "tile/0/256.p/200").parent.mkdir(parents=True, exist_ok=True)
    (d / "tile/0/256.p/200").write_bytes(b"\0" * 6400)
    (d / "tile/entries/256.p/69.tmp").write_bytes(b"half")
    (d / "checkpoint.tmp").write_bytes(b"half")
    return d


def _committed(d: Path) -> list[str]:
    leftovers = {"tile/0/256.p/200", "tile/entries/256.p/69.tmp", "checkpoint.tmp", ".lock"}
    return sorted(
        rel for p in d.rglob("*") if p.is_file() and (rel := str(p.relative_to(d))) not in leftovers
    )


def test_every_committed_file_is_served(log_dir: Path) -> None:
    files = _committed(log_dir)
    assert {"checkpoint", "tile/2/000.p/1", "tile/1/000", "tile/0/000.p/5", "tile/entries/256.p/69"} <= set(
        files
    )
    for rel in files:
        path = tile_path(log_dir, rel)
        assert path == log_dir / rel and path.read_bytes() == (log_dir / rel).read_bytes()
    assert tile_path(str(log_dir), "tile/entries/255") == log_dir / "tile/entries/255"


def test_multi_group_index(tmp_path: Path) -> None:
    # index 1234 of level 0 would need 316k entries; check the spelling on a hand-made tile of level 1
    skey, _ = generate_key(ORIGIN)
    d = tmp_path / "log"
    with Log.create(d, origin=ORIGIN, signer_key=skey) as log:
        log.append_many([b"x"] * 3)
    with pytest.raises(NotFoundError, match="beyond the log's checkpoint"):
        tile_path(d, "tile/0/x001/234")
    with pytest.raises(InputError, match="must be spelled '001'"):
        tile_path(d, "tile/0/x000/001")


@pytest.mark.parametrize(
    "rel",
    [
        "tile/0/256.p/200",  # a leftover beyond the checkpoint
        "tile/0/257",
        "tile/1/001",
        "tile/3/000.p/1",
        "tile/63/000",
        "tile/entries/999",
        "tile/0/x999/x999/x999/x999/x999/x999/999",
        "tile/0/000.p/6",  # well formed and below the checkpoint, but never written
    ],
)
def test_well_formed_but_absent(log_dir: Path, rel: str) -> None:
    with pytest.raises(NotFoundError):
        tile_path(log_dir, rel)


@pytest.mark.parametrize(
    "rel",
    [
        "",
        "/checkpoint",
        "checkpoint/",
        "./checkpoint",
        "../checkpoint",
        "checkpoint.tmp",
        ".lock",
        "cosignatures/witness.example+01234567",
        "tile/../checkpoint",
        "tile/0/../../checkpoint",
        "tile/0/000/",
        "tile/0//000",
        "tile//0/000",
        "tile/00/000",
        "tile/01/000",
        "tile/64/000",
        "tile/-1/000",
        "tile/+1/000",
        "tile/0/0",
        "tile/0/00",
        "tile/0/0000",
        "tile/0/x000",
        "tile/0/001/002",
        "tile/0/x1/002",
        "tile/0/000.p",
        "tile/0/000.p/",
        "tile/0/000.p/0",
        "tile/0/000.p/07",
        "tile/0/000.p/256",
        "tile/0/000.p/1/..",
        "tile/0/000.tmp",
        "tile/entries/000.p/5.tmp",
        "tile/entries",
        "tile/entry/000",
        "tile/ENTRIES/000",
        "TILE/0/000",
        "tile\\0\\000",
        "tile/0/000\x00",
        "tile/0/000\n",
        " tile/0/000",
        "tile/０/000",  # full-width digit
        "tile/0/٠٠٠",  # Arabic-Indic digits
        "tile/0/%30%30%30",
        "%2e%2e/checkpoint",
        "tile/0/000.p/1" + "/x" * 200,
    ],
)
def test_refused_paths(log_dir: Path, rel: str) -> None:
    with pytest.raises(InputError):
        tile_path(log_dir, rel)


def test_not_text(log_dir: Path) -> None:
    with pytest.raises(InputError):
        tile_path(log_dir, b"checkpoint")  # type: ignore[arg-type]


def test_symlinks_are_not_followed_out_of_the_log(tmp_path: Path) -> None:
    skey, _ = generate_key(ORIGIN)
    d = tmp_path / "log"
    with Log.create(d, origin=ORIGIN, signer_key=skey) as log:
        log.append_many([b"x"] * 300)
    secret = tmp_path / "secret"
    secret.write_bytes(b"s" * 32 * 44)
    os.replace(d / "tile/0/001.p/44", tmp_path / "moved")
    (d / "tile/0/001.p/44").symlink_to(secret)
    with pytest.raises(NotFoundError):
        tile_path(d, "tile/0/001.p/44")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "000").write_bytes(b"y" * 8192)
    os.replace(d / "tile/0/000", tmp_path / "moved0")
    (d / "tile/0").rename(tmp_path / "level0")
    (d / "tile/0").symlink_to(outside, target_is_directory=True)
    with pytest.raises(NotFoundError):
        tile_path(d, "tile/0/000")


def test_no_log_here(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        tile_path(tmp_path, "tile/0/000")
    with pytest.raises(NotFoundError):
        tile_path(tmp_path, "checkpoint")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.text(max_size=40),
        st.lists(
            st.sampled_from(
                ["tile", "entries", "0", "1", "2", "000", "x000", "001", ".p", "44", "..", ".", ""]
            ),
            max_size=7,
        ).map("/".join),
    )
)
def test_any_text_is_served_from_inside_the_log_or_refused(log_dir: Path, text: str) -> None:
    committed = set(_committed(log_dir))
    try:
        path = tile_path(log_dir, text)
    except (InputError, NotFoundError):
        return
    assert str(path.relative_to(log_dir)) in committed
