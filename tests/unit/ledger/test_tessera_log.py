"""Interoperability with Tessera's test log (../shared/vectors/ledger/tessera_testdata_log).

Our reader verifies the log Tessera wrote; our writer, given the key published with it, reproduces every
checkpoint (sizes 0..15), every partial tile and every entry bundle byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from industry_brain.ledger import Log, verify_inclusion, verify_log
from industry_brain.ledger._merkle import MemoryTree


@pytest.fixture
def tessera(shared: Path) -> tuple[Path, dict]:  # type: ignore[type-arg]
    vectors = json.loads((shared / "vectors/ledger/signed_note/signed_note_vectors.json").read_text())
    case = next(v for v in vectors["vectors"] if v["id"] == "tessera-testdata-log")
    return shared / "vectors/ledger/tessera_testdata_log/testdata/log", case


def test_reader_verifies_tessera_log(tessera) -> None:  # type: ignore[no-untyped-def]
    folder, case = tessera
    report = verify_log(folder, case["vkey"])
    assert report.ok, report.problems
    assert report.size == 15 and report.leftovers == []
    assert report.files_checked == 1 + 2 + 2 * 14  # checkpoint, current tile+bundle, 14 older partials each
    log = Log.open(folder, verifier_key=case["vkey"])
    assert [e.decode() for e in log.entries()] == case["entries"]
    for i in range(15):
        p = log.prove_inclusion(i)
        verify_inclusion(i, 15, p.leaf_hash, p.hashes, log.root)


def test_each_numbered_checkpoint_is_the_tree_of_its_size(tessera) -> None:  # type: ignore[no-untyped-def]
    from industry_brain.ledger import open_checkpoint

    folder, case = tessera
    tree = MemoryTree.from_entries(e.encode() for e in case["entries"])
    for n in range(16):
        cp = open_checkpoint((folder / f"checkpoint.{n}").read_bytes(), case["vkey"])
        assert cp.size == n and cp.root == tree.root(n)


def test_writer_reproduces_tessera_byte_for_byte(tessera, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, case = tessera
    log = Log.create(tmp_path / "log", origin="example.com/log/testdata", signer_key=case["skey"])
    assert log.checkpoint().signed_text().encode() == (folder / "checkpoint.0").read_bytes()
    for n, entry in enumerate(case["entries"], 1):
        assert log.append(entry.encode()) == n - 1
        assert (tmp_path / "log/checkpoint").read_bytes() == (folder / f"checkpoint.{n}").read_bytes()
        for sub in (f"tile/0/000.p/{n}", f"tile/entries/000.p/{n}"):
            assert (tmp_path / "log" / sub).read_bytes() == (folder / sub).read_bytes(), sub
    log.close()
    assert (tmp_path / "log/checkpoint").read_bytes() == (folder / "checkpoint").read_bytes()
