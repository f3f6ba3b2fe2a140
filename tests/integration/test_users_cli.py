from __future__ import annotations


def test_users_add_list_remove_through_the_cli(run_ib) -> None:  # type: ignore[no-untyped-def]
    added = run_ib("users", "add", "officer1", "--role", "district_officer", "--district", "330108",
                   "--password", "password1", "--json")
    assert added.returncode == 0, added.stderr
    assert added.json()["districts"] == ["330108"]
    listed = run_ib("users", "list", "--json").json()
    assert [a["username"] for a in listed] == ["officer1"]
    again = run_ib("users", "add", "officer1", "--role", "analyst", "--password", "password1")
    assert again.returncode == 2 and "exists" in again.stderr and "Traceback" not in again.stderr
    bad = run_ib("users", "add", "x1", "--role", "king", "--password", "password1", "--json")
    assert bad.returncode == 2 and bad.json()["error"]["code"] == "invalid_input"
    assert run_ib("users", "remove", "officer1").returncode == 0
    assert run_ib("users", "list", "--json").json() == []
