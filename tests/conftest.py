"""Fixtures shared by every test: an isolated IB_HOME, the real CLI in a subprocess, ../shared."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REAL_REGISTRATIONS = SHARED / "data" / "real" / "hangzhou_registrations.csv"


def _requirement_missing(what: str) -> str | None:
    if what == "chromium" and shutil.which("chromium") is None:
        return "Debian package 'chromium' is not installed (apt-get install chromium)"
    if what == "realdata" and not REAL_REGISTRATIONS.exists():
        return f"real registrations not found at {REAL_REGISTRATIONS}"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    in_ci = bool(os.environ.get("CI"))
    for item in items:
        for marker, what in (("browser", "chromium"), ("realdata", "realdata")):
            if item.get_closest_marker(marker) is None:
                continue
            reason = _requirement_missing(what)
            if reason is None:
                continue
            if in_ci:  # CI installs everything: a missing requirement is a failure, not a skip
                item.add_marker(pytest.mark.xfail(reason=reason, run=False, strict=True))
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip(f"../shared not found at {SHARED}")
    return SHARED


@pytest.fixture
def ib_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh IB_HOME for the test, for both in-process calls and subprocesses."""
    from industry_brain._core.settings import get_settings

    home = tmp_path / "ib_home"
    monkeypatch.setenv("IB_HOME", str(home))
    monkeypatch.delenv("IB_DB_PATH", raising=False)
    monkeypatch.delenv("IB_LANG", raising=False)
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def run_ib(ib_home: Path):  # type: ignore[no-untyped-def]
    """Run the real ``ib`` in a subprocess with the test's IB_HOME: ``run_ib("registry", "import", path)``."""

    def run(*args: object, env: dict[str, str] | None = None, timeout: float = 600, input: str | None = None) -> Result:
        full_env = {**os.environ, "IB_HOME": str(ib_home), **(env or {})}
        proc = subprocess.run(
            [sys.executable, "-m", "industry_brain", *map(str, args)],
            capture_output=True, text=True, env=full_env, timeout=timeout, input=input, cwd=ib_home.parent,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


# ---------------------------------------------------------------------------------------------- web servers
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    home: Path
    process: subprocess.Popen[str]
    first_output: str = ""
    log: Path | None = None

    def output(self) -> str:
        """What the server has printed so far (its log file)."""
        return self.log.read_text(encoding="utf-8") if self.log else ""


def start_server(home: Path, *, demo: bool, timeout: float = 60.0) -> Server:
    """Run the real ``ib serve`` in a subprocess on a free loopback port; wait until it answers."""
    import time

    import httpx

    port = free_port()
    env = {**os.environ, "IB_HOME": str(home), "IB_DEMO": "1" if demo else "0"}
    args = [sys.executable, "-m", "industry_brain", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if demo:
        args.append("--demo")
    # The server's output goes to a file (a pipe nobody reads would block it once full); tests read it back.
    log = home.parent / f"server-{port}.log"
    with log.open("w", encoding="utf-8") as sink:
        proc = subprocess.Popen(args, env=env, stdout=sink, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text(encoding='utf-8')}")
        try:
            if httpx.get(url + "/api/v1/me", timeout=2).status_code == 200:
                return Server(url, home, proc, log=log)
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not answer in time")


def stop_server(server: Server) -> str:
    """Stop the server and return everything it printed."""
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    return server.output()


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An IB_HOME holding the synthetic Hangzhou demo register, built once per test process by the real CLI."""
    home = tmp_path_factory.mktemp("demo") / "home"
    proc = subprocess.run([sys.executable, "-m", "industry_brain", "demo", "build", "--json"],
                          env={**os.environ, "IB_HOME": str(home)}, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return home


@pytest.fixture(scope="session")
def demo_server(demo_home: Path) -> Iterator[Server]:
    """The dashboard over the demo register, read-only without login."""
    server = start_server(demo_home, demo=True)
    yield server
    stop_server(server)


class ServerControl:
    start = staticmethod(start_server)
    stop = staticmethod(stop_server)


@pytest.fixture(scope="session")
def servers() -> ServerControl:
    """``servers.start(home, demo=...)`` / ``servers.stop(server)`` for tests that need their own dashboard."""
    return ServerControl()


# ------------------------------------------------------------------------------------- attraction registers
#: Streets of the structured register below: four per district, each either an electronics street (fields
#: 101–104) or a biotech street (201–204); 滨江区 (330108) has 101–103 but not 104, until 2014.
ATTRACT_STREETS = {
    "330102": ("南星街道", "小营街道", "望江街道", "清波街道"), "330103": ("东新街道", "天水街道", "文晖街道", "朝晖街道"),
    "330104": ("丁兰街道", "九堡街道", "凯旋街道", "四季青街道"), "330105": ("上塘街道", "半山街道", "和睦街道", "大关街道"),
    "330106": ("三墩镇", "北山街道", "古荡街道", "文新街道"), "330110": ("东湖街道", "中泰街道", "临平街道", "乔司街道"),
    "330109": ("临浦镇", "义桥镇", "北干街道", "城厢街道"), "330111": ("东洲街道", "富春街道", "场口镇", "大源镇"),
    "330108": ("浦沿街道", "西兴街道", "长河街道"),
}
ATTRACT_DISTRICT_NAMES = {"330102": "上城区", "330103": "下城区", "330104": "江干区", "330105": "拱墅区",
                          "330106": "西湖区", "330110": "余杭区", "330109": "萧山区", "330111": "富阳区", "330108": "滨江区"}
ELECTRONICS, BIOTECH = ("101", "102", "103", "104"), ("201", "202", "203", "204")


def write_attract_register(path: Path, *, late_entry: bool = True) -> Path:
    """A register with a clear co-location structure: four electronics districts, four biotech ones, and 滨江区
    with three of the four electronics fields (registered 2010; its 101 firms make VR headsets, so its VR chain
    has devices and no components); with ``late_entry`` six firms of the fourth (104) register in 滨江区 in 2014.
    Synthetic credit codes (``make_uscc``)."""
    import csv

    from industry_brain.registry import make_uscc

    rows: list[list[str]] = []
    n = 0

    def add(district: str, street: str, fld: str, year: int) -> None:
        nonlocal n
        n += 1
        code = make_uscc("9", "1", district, f"AT{n:06d}")
        scope = "虚拟现实设备、头戴显示设备的研发、生产" if district == "330108" and fld == "101" else "技术开发"
        rows.append([f"杭州测{n}科技有限公司", code, fld, f"{year}-05-01",
                     f"浙江省杭州市{ATTRACT_DISTRICT_NAMES[district]}{street}测试路{n}号", "500", scope])

    for i, (district, streets) in enumerate(ATTRACT_STREETS.items()):
        for street in streets:
            if district == "330108":
                fields: tuple[str, ...] = ELECTRONICS[:3]
            else:
                fields = ELECTRONICS if i % 2 == 0 else BIOTECH
            for fld in fields:
                for _ in range(3 if district != "330108" else 4):
                    add(district, street, fld, 2010)
    if late_entry:
        for k in range(6):
            add("330108", ATTRACT_STREETS["330108"][k % 3], "104", 2014)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["企业名称", "统一社会信用代码", "技术领域", "注册日期", "注册地址", "注册资本（万元）", "经营范围"])
        w.writerows(rows)
    return path


@pytest.fixture
def attract_register_writer() -> Any:
    """:func:`write_attract_register` itself, for tests that want its variants."""
    return write_attract_register


@pytest.fixture
def attract_register(tmp_path: Path) -> Path:
    """The structured attraction register as a CSV file (see :func:`write_attract_register`)."""
    return write_attract_register(tmp_path / "招商测试名录.csv")
