"""Every command of ``ib``, run the way a script, a cron job or a service manager runs it (standard input closed),
bare and with its required parameters filled with values that do not exist: a usage message or one of our errors,
never an internal error, a traceback or a prompt waiting for an answer that cannot come."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

import industry_brain.cli._atlas_report
import industry_brain.cli._top  # noqa: F401 - registers the top-level commands
from industry_brain.cli._app import app

# commands that do real work when called correctly: given a wrong value instead of placeholders
WRONG_VALUES: dict[str, list[str]] = {
    "serve": ["--port", "70000"],
    "demo build": ["--seed", "x"],
    "talent demo": ["--respondents", "x"],
}
PATH_PARAMS = {"file", "log", "out", "bundle", "key", "vkey", "state", "secret_out", "population"}
VALUES = {"index": "1", "batch": "1", "role": "analyst", "by": "district", "id_": "CN-0"}


def _leaves() -> list[tuple[str, typer.main.click.Command]]:  # type: ignore[name-defined]
    found = []

    def walk(cmd: object, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in sorted(subs.items()):
                walk(sub, [*path, name])
        else:
            found.append((" ".join(path), cmd))

    walk(typer.main.get_command(app), [])
    return found


LEAVES = _leaves()


def _filled(cmd: object, tmp: Path) -> list[str]:
    args: list[str] = []
    for p in cmd.params:  # type: ignore[attr-defined]
        if not p.required:
            continue
        value = str(tmp / "missing" / p.name) if p.name in PATH_PARAMS else VALUES.get(p.name, "x")
        args += [value] if p.param_type_name == "argument" else [p.opts[-1], value]
    return args


def _run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IB_HOME": str(home), "IB_LANG": "en"}
    env.pop("IB_NEW_PASSWORD", None)
    return subprocess.run(
        [sys.executable, "-m", "industry_brain", *args],
        capture_output=True, text=True, env=env, timeout=300,
        cwd=home.parent, preexec_fn=lambda: os.close(0),
    )


def test_the_tree_is_walked() -> None:
    names = {name for name, _ in LEAVES}
    assert {"serve", "registry import", "users add", "patents commit", "talent weights"} <= names
    assert len(names) >= 50


@pytest.mark.parametrize("name", [name for name, _ in LEAVES])
def test_command_without_standard_input(name: str, tmp_path: Path) -> None:
    cmd = dict(LEAVES)[name]
    words = name.split()
    calls = [words + WRONG_VALUES[name]] if name in WRONG_VALUES else [words, words + _filled(cmd, tmp_path)]
    for args in calls:
        res = _run(args, tmp_path / "home")
        shown = f"ib {' '.join(args)} -> {res.returncode}\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
        assert "internal error" not in res.stderr, shown
        assert "Traceback" not in res.stderr, shown
        assert res.returncode in (0, 2, 3, 4) or (name == "atlas check" and res.returncode == 5), shown
        if res.returncode == 2:  # an error (not a verdict such as "differs"): said on standard error
            assert res.stderr.strip(), shown


def test_a_password_prompt_without_a_terminal_says_what_to_pass(tmp_path: Path) -> None:
    res = _run(["users", "add", "bj", "--role", "district_officer", "--district", "330108"], tmp_path / "home")
    assert res.returncode == 2, res.stderr
    assert "--password" in res.stderr and "IB_NEW_PASSWORD" in res.stderr
    listed = _run(["users", "list", "--json"], tmp_path / "home")
    assert "bj" not in listed.stdout


def test_serve_refuses_an_address_it_cannot_listen_on(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = _run(["serve", "--port", str(port)], tmp_path / "home")
    assert taken.returncode == 2 and f"127.0.0.1:{port}" in taken.stderr and "--port" in taken.stderr, taken.stderr
    nowhere = _run(["serve", "--host", "256.1.1.1"], tmp_path / "home")
    assert nowhere.returncode == 2 and "'256.1.1.1'" in nowhere.stderr, nowhere.stderr


def test_an_export_that_cannot_be_written_names_the_file(tmp_path: Path) -> None:
    folder = _run(["registry", "export", "--out", str(tmp_path)], tmp_path / "home")
    assert folder.returncode == 2 and "is a directory" in folder.stderr, folder.stderr
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    for suffix in ("csv", "xlsx", "parquet"):
        res = _run(["registry", "export", "--out", str(blocked / f"register.{suffix}"), "--json"], tmp_path / "home")
        assert res.returncode == 2, res.stderr
        assert "internal" not in res.stdout and str(blocked) in res.stderr, res.stderr
