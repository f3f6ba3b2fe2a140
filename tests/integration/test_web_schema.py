"""Property-based run of schemathesis (its real CLI) over the served OpenAPI spec: no operation answers 500."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo_server")]


def _schemathesis() -> list[str]:
    exe = Path(sys.executable).with_name("schemathesis")
    return [str(exe)] if exe.exists() else [shutil.which("schemathesis") or "schemathesis"]


def test_schemathesis_finds_no_server_error(demo_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "report.xml"
    proc = subprocess.run(
        [*_schemathesis(), "run", demo_server.url + "/openapi.json",
         "--checks", "not_a_server_error", "--max-examples", "12", "--generation-deterministic",
         "--request-timeout", "30", "--report", "junit", "--report-junit-path", str(report)],
        capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    # It did test the operations (not an empty run): every GET of /api/v1 appears in the report.
    spec = httpx.get(demo_server.url + "/openapi.json", timeout=30).json()
    operations = [p for p, ops in spec["paths"].items() if "get" in ops and p.startswith("/api/v1")]
    text = report.read_text(encoding="utf-8")
    missing = [p for p in operations if p not in text]
    assert not missing, json.dumps(missing)
