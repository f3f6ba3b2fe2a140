"""``ib demo build``: the synthetic Hangzhou demo register, built by the real CLI in a fresh IB_HOME.

The register must give back the reconstructed 14 × 8 table cell by cell on the 2019 map, carry only synthetic
records with valid credit codes of the documented synthetic pattern, have addresses that the geo resolver places
in their unit and scopes the classifier puts in their field, hold two versions of the list, and not change on a
second build.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from industry_brain._core.store import open_store

pytestmark = pytest.mark.slow


def _register_digest(home: Path) -> tuple[str, int, int]:
    """A digest of the current register and the counts of batches and records of every batch."""
    with open_store(home / "industry_brain.duckdb", read_only=True) as st:
        rows = st.fetchall(
            "SELECT uscc, name, map_unit_2019, district_2021, field_l1, hightech_cert_no, address, synthetic,"
            " batch_id FROM enterprise ORDER BY uscc"
        )
        batches = st.fetchone("SELECT count(*) FROM import_batch")
        records = st.fetchone("SELECT count(*) FROM enterprise_record")
    assert batches is not None and records is not None
    return hashlib.sha256(repr(rows).encode()).hexdigest(), int(batches[0]), int(records[0])


def test_demo_build_reproduces_the_table_and_is_idempotent(run_ib: Any, ib_home: Path) -> None:
    from industry_brain.atlas import Change, measure_register
    from industry_brain.atlas._demo import DEMO_SOURCE, demo_table, is_synthetic_uscc
    from industry_brain.geo import resolve_many
    from industry_brain.registry import check_uscc
    from industry_brain.taxonomy import classify_many

    first = run_ib("demo", "build", "--json")
    assert first.returncode == 0, first.stderr
    out = first.json()
    reg = out["register"]
    assert reg["total"] == 3785
    assert reg["checks"]["counts_match_table"], reg["checks"]["mismatched_cells"]
    assert [b["version"] for b in reg["batches"]] == [2018, 2019]
    assert all(b["rows_quarantined"] == 0 for b in reg["batches"])
    for f in reg["files"]:
        assert Path(f["path"]).is_file() and Path(f["path"]).parent == ib_home / "demo"

    table, _about = demo_table()
    with open_store(ib_home / "industry_brain.duckdb", read_only=True) as st:
        # the atlas, on the current version, gives back the reconstructed table cell by cell
        m = measure_register(st, vintage=2019, level=1)
        counted = {u: {f: int(m.counts[i, j]) for j, f in enumerate(m.fields)} for i, u in enumerate(m.units)}
        assert counted == table
        assert m.total == 3785 and m.basis["apportioned"] == 0 and m.basis["unlocated"] == 0
        m21 = measure_register(st, vintage=2021, level=1)
        assert m21.total == 3785 and m21.basis["apportioned"] == 0

        # every record of every version: synthetic, a valid code of the synthetic pattern
        records = st.fetchall(
            "SELECT batch_id, uscc, name, name_norm, synthetic, address, business_scope, field_l1, map_unit_2019,"
            " district_2021, hightech, hightech_cert_no, hightech_year FROM enterprise_record ORDER BY batch_id, uscc"
        )
        assert records
        for r in records:
            uscc, synthetic, hightech, cert, year = r[1], r[4], r[10], r[11], r[12]
            assert synthetic is True
            assert check_uscc(uscc).valid, uscc
            assert is_synthetic_uscc(uscc), uscc
            assert hightech is True and cert.startswith(f"GR{year}33")
        batches = st.fetchall(
            "SELECT batch_id, synthetic, rows_loaded, added, changed, removed FROM import_batch WHERE source = ?"
            " ORDER BY batch_id",
            [DEMO_SOURCE],
        )
        assert len(batches) == 2 and all(b[1] for b in batches)
        earlier, later = batches
        assert later[2] == 3785 and 0.85 <= earlier[2] / later[2] <= 0.92
        assert later[3] > 0 and later[4] > 0 and later[5] > 0  # new, renewed and expired certificates
        assert st.fetchone("SELECT count(*) FROM enterprise WHERE NOT synthetic") == (0,)
        assert st.fetchone("SELECT count(*) FROM quarantine") == (0,)
        assert st.fetchone("SELECT count(*) FROM duplicate_review") == (0,)

        # change between the two versions: the later list is larger everywhere it grew
        change = Change(measure_register(st, batch_id=earlier[0]), measure_register(st, batch_id=later[0]))
        assert change.after.total == 3785 and change.before.total == earlier[2]
        assert int(change.unit_delta.sum()) == 3785 - earlier[2]

        # every printed figure matches the register (the check the CLI's ib atlas check runs)
        if importlib.util.find_spec("industry_brain.atlas._check") is not None:
            from industry_brain.atlas._check import check

            report = check(st).to_dict()
            assert report["ok"] and report["summary"]["differs"] == 0, report["summary"]
            assert report["summary"]["not_computable"] == 0 and report["summary"]["matched"] > 0

        current = st.fetchall(
            "SELECT name_norm, address, business_scope, field_l1, map_unit_2019, district_2021 FROM enterprise"
        )
        talent = st.fetchone("SELECT count(*) FROM talent_batch WHERE synthetic")
    assert talent is not None and talent[0] >= 1

    # names are distinct; each address alone resolves to its unit (2019) and a 2021 district; each scope alone
    # classifies into the declared field
    assert len({r[0] for r in current}) == len(current) == 3785
    placed = resolve_many([r[1] for r in current]).to_pylist()
    for r, p in zip(current, placed, strict=True):
        assert p["map_unit_2019"] == r[4], r[1]
        assert p["district_2021"] is not None and p["district_2021"] == r[5], r[1]
    for r, c in zip(current, classify_many([r[2] for r in current]), strict=True):
        assert c.field_l1 == r[3], r[2]

    # a second build changes nothing
    before = _register_digest(ib_home)
    files_before = {f["path"]: Path(f["path"]).read_bytes() for f in reg["files"]}
    second = run_ib("demo", "build", "--json")
    assert second.returncode == 0, second.stderr
    again = second.json()
    assert again["noop"] is True and again["register"]["batches"] == []
    assert _register_digest(ib_home) == before
    assert {p: Path(p).read_bytes() for p in files_before} == files_before


def test_demo_build_human_output_and_another_seed(run_ib: Any, ib_home: Path) -> None:
    first = run_ib("demo", "build", "--seed", "7")
    assert first.returncode == 0, first.stderr
    assert "合成数据" in first.stdout and "3785" in first.stdout
    en = run_ib("--lang", "en", "demo", "build", "--seed", "7")
    assert en.returncode == 0 and "nothing changed" in en.stdout
    # another seed: another register (new versions of the same list), the same table
    other = run_ib("demo", "build", "--seed", "8", "--json")
    assert other.returncode == 0, other.stderr
    reg = other.json()["register"]
    assert [b["version"] for b in reg["batches"]] == [2018, 2019]
    assert reg["total"] == 3785 and reg["checks"]["counts_match_table"]


def test_atlas_check_passes_on_the_demo(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Every figure the magazine printed matches the demo register (the session's demo, built by the real CLI)."""

    def ib(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "industry_brain", *args],
            env={**os.environ, "IB_HOME": str(home)},
            capture_output=True,
            text=True,
            timeout=600,
        )

    # a copy: the shared demo may be held open by a running dashboard (DuckDB allows one writer per file)
    home = tmp_path / "home"
    shutil.copytree(request.getfixturevalue("demo_home"), home)
    check = ib(home, "atlas", "check", "--json")
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-2000:]
    data = json.loads(check.stdout)
    assert data["ok"] is True and data["summary"] == {"matched": len(data["rows"]), "differs": 0, "not_computable": 0}
    assert len(data["rows"]) == 93, len(data["rows"])


def test_build_demo_from_any_table_in_process(tmp_path: Path) -> None:
    """The library path on a small table: exact counts, two versions, synthetic codes, a no-op second build."""
    from industry_brain.atlas import UNITS_2019, measure_register
    from industry_brain.atlas._demo import build_demo, is_synthetic_uscc
    from industry_brain.registry import check_uscc

    fields = ("10", "20", "30", "40", "50", "60", "70", "80")
    table = {u: {f: (i + j) % 4 for j, f in enumerate(fields)} for i, u in enumerate(UNITS_2019)}
    total = sum(sum(r.values()) for r in table.values())
    with open_store(tmp_path / "ib.duckdb") as st:
        first = build_demo(st, tmp_path / "demo", seed=11, table=table)
        assert first.total == total and first.checks["counts_match_table"]
        assert [b["version"] for b in first.batches] == [2018, 2019]
        m = measure_register(st, vintage=2019)
        assert {
            u: {f: int(m.counts[i, j]) for j, f in enumerate(m.fields)} for i, u in enumerate(m.units)
        } == table
        codes = [c for (c,) in st.fetchall("SELECT uscc FROM enterprise_record")]
        assert codes and all(check_uscc(c).valid and is_synthetic_uscc(c) for c in codes)
        again = build_demo(st, tmp_path / "demo", seed=11, table=table)
        assert again.noop and again.batches == []
        assert st.fetchone("SELECT count(*) FROM import_batch") == (2,)
