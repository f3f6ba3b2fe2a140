"""Roles and security of a non-demo dashboard, over real HTTP: public, analyst, district officer, admin; CSRF;
the generated first-start admin password; size-limited uploads parsed without trusting their content."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("roles_server")]


_CLIENTS: list[httpx.Client] = []


def _client(**kwargs: object) -> httpx.Client:
    client = httpx.Client(**kwargs)  # type: ignore[arg-type]
    _CLIENTS.append(client)
    return client


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _CLIENTS:
        _CLIENTS.pop().close()


def ib(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "industry_brain", *args], env={**os.environ, "IB_HOME": str(home)},
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def server(demo_home: Path, tmp_path_factory: pytest.TempPathFactory, servers):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("roles") / "home"
    shutil.copytree(demo_home, home)
    for args in (
        ("users", "add", "ana", "--role", "analyst", "--password", "analyst-pw"),
        ("users", "add", "bj", "--role", "district_officer", "--district", "330108", "--password", "officer-pw"),
        ("users", "add", "reader", "--role", "public", "--password", "reader-pw"),
    ):
        assert ib(home, *args).returncode == 0
    token = ib(home, "users", "token", "ana", "--json")
    srv = servers.start(home, demo=False)
    srv.first_output = token.stdout
    yield srv
    servers.stop(srv)


def login(server, username: str, password: str) -> httpx.Client:  # type: ignore[no-untyped-def]
    client = _client(base_url=server.url, timeout=60, follow_redirects=False)
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = client.post("/login", data={"username": username, "password": password, "csrf_token": csrf, "next": "/"})
    assert done.status_code == 303, done.text
    cookie = done.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    return client


def session_csrf(client: httpx.Client) -> str:
    return re.search(r'data-csrf="([^"]+)"', client.get("/").text).group(1)


def upload(client: httpx.Client, name: str, content: bytes, csrf: str | None, **headers: str) -> httpx.Response:
    data = {"csrf_token": csrf} if csrf else {}
    return client.post("/api/v1/imports", files={"file": (name, content)}, data=data, headers=headers)


def wait_job(client: httpx.Client, job_id: str) -> dict:  # type: ignore[type-arg]
    import time

    for _ in range(600):
        job = client.get(f"/api/v1/imports/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError("import job did not finish")


def csv_rows(rows: list[tuple[str, str, str]]) -> bytes:
    lines = ["企业名称,统一社会信用代码,注册地址"] + [",".join(r) for r in rows]
    return "\n".join(lines).encode("utf-8")


def test_public_sees_aggregates_but_no_enterprises(server) -> None:  # type: ignore[no-untyped-def]
    anon = _client(base_url=server.url, timeout=30)
    assert anon.get("/api/v1/map").status_code == 200
    denied = anon.get("/api/v1/enterprises")
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
    page = anon.get("/enterprises", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    reader = login(server, "reader", "reader-pw")
    assert reader.get("/api/v1/enterprises").status_code == 403
    assert reader.get("/api/v1/units/330108").status_code == 200


def test_wrong_password_is_refused(server) -> None:  # type: ignore[no-untyped-def]
    client = _client(base_url=server.url, timeout=30)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    response = client.post("/login", data={"username": "ana", "password": "nope-nope", "csrf_token": csrf})
    assert response.status_code == 401 and "ib_session" not in response.headers.get("set-cookie", "")


def test_cookie_posts_need_the_csrf_token(server) -> None:  # type: ignore[no-untyped-def]
    client = login(server, "ana", "analyst-pw")
    refused = upload(client, "a.csv", csv_rows([]), None)
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]["message"]


def test_api_token_works_without_csrf(server) -> None:  # type: ignore[no-untyped-def]
    import json

    token = json.loads(server.first_output)["token"]
    client = _client(base_url=server.url, timeout=60, headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/me").json()["username"] == "ana"
    listed = client.get("/api/v1/enterprises", params={"per_page": 1})
    assert listed.status_code == 200, server.output()[-3000:]
    bad = httpx.get(server.url + "/api/v1/me", headers={"Authorization": "Bearer ib_wrong"}, timeout=30)
    assert bad.status_code == 403


def test_broken_upload_reports_its_errors_and_changes_nothing(server) -> None:  # type: ignore[no-untyped-def]
    client = login(server, "ana", "analyst-pw")
    csrf = session_csrf(client)
    before = client.get("/api/v1/meta").json()["register"]
    started = upload(client, "garbage.csv", bytes(range(256)) * 50, csrf)
    assert started.status_code == 202
    job = wait_job(client, started.json()["job_id"])
    assert job["status"] == "failed" and job["error"]["message"]
    assert client.get("/api/v1/meta").json()["register"] == before
    wrong_type = upload(client, "evil.exe", b"MZ....", csrf)
    assert wrong_type.status_code == 422


def test_district_officer_cannot_import_another_districts_data(server) -> None:  # type: ignore[no-untyped-def]
    client = login(server, "bj", "officer-pw")
    csrf = session_csrf(client)
    before = client.get("/api/v1/meta").json()["register"]
    foreign = csv_rows([("杭州测试甲科技有限公司", "91330108MA0000001X", "杭州市西湖区文三路1号")])
    job = wait_job(client, upload(client, "xihu.csv", foreign, csrf).json()["job_id"])
    assert job["status"] == "failed" and job["error"]["code"] == "permission_denied"
    assert "330106" in job["error"]["message"]
    assert client.get("/api/v1/meta").json()["register"] == before


def test_upload_size_limit(server) -> None:  # type: ignore[no-untyped-def]
    client = login(server, "ana", "analyst-pw")
    csrf = session_csrf(client)
    big = io.BytesIO(b"a" * (51 * 1024 * 1024))
    response = client.post("/api/v1/imports", files={"file": ("big.csv", big)}, data={"csrf_token": csrf})
    assert response.status_code == 422 and "limit" in response.json()["error"]["message"]


def test_first_start_prints_a_generated_admin_password_once(tmp_path: Path, servers) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "fresh"
    first = servers.start(home, demo=False)
    out = servers.stop(first)
    match = re.search(r"password: (\S+)", out)
    assert match, out
    password = match.group(1)
    second = servers.start(home, demo=False)
    try:
        admin = login(second, "admin", password)
        assert admin.get("/api/v1/me").json()["role"] == "admin"
    finally:
        out2 = servers.stop(second)
    assert "password:" not in out2
