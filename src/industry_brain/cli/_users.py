"""``ib users``: accounts and roles of the dashboard."""

from __future__ import annotations

from typing import Annotated

import typer

from industry_brain.cli._output import JsonOpt, ask_secret, emit

app = typer.Typer(no_args_is_help=True, help="用户与角色 (accounts and roles)")


@app.command("add")
def add(
    username: str,
    role: Annotated[str, typer.Option(help="admin | analyst | district_officer | enterprise | provider | public")],
    district: Annotated[list[str] | None, typer.Option("--district", help="Map unit a district officer acts for (repeatable): 2019 code, QTXQ or 2021 code.")] = None,
    password: Annotated[str | None, typer.Option(help="Password (asked for when omitted; read from IB_NEW_PASSWORD in scripts).")] = None,
    display_name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    subject: Annotated[str | None, typer.Option(help="What an enterprise or provider account acts for: the firm's 统一社会信用代码, or the provider id in the service directory.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """添加用户 (add an account)."""
    import os

    from industry_brain._core import open_store
    from industry_brain.accounts import add_account

    pw = password or os.environ.get("IB_NEW_PASSWORD") or ask_secret("password", "--password", "IB_NEW_PASSWORD")
    with open_store() as store:
        if role == "provider" and subject:
            from industry_brain.services import get_provider

            get_provider(store, subject.strip())   # the provider must be in the directory
        account = add_account(store, username, pw, role, districts=district, display_name=display_name,
                              subject=subject)
    emit(account.to_dict(), as_json, lambda c: c.print(f"added {account.username} ({account.role})"))


@app.command("list")
def list_(as_json: JsonOpt = False) -> None:
    """列出用户 (list accounts)."""
    from rich.table import Table

    from industry_brain._core import open_store
    from industry_brain.accounts import list_accounts

    with open_store() as store:
        accounts = list_accounts(store)

    def render(console):  # type: ignore[no-untyped-def]
        table = Table("用户 username", "角色 role", "辖区 districts", "代表 subject", "名称 name")
        for a in accounts:
            table.add_row(a.username, a.role, " ".join(a.districts), a.subject or "", a.display_name or "")
        console.print(table)

    emit([a.to_dict() for a in accounts], as_json, render)


@app.command("remove")
def remove(username: str, as_json: JsonOpt = False) -> None:
    """删除用户 (remove an account, its sessions and tokens)."""
    from industry_brain._core import open_store
    from industry_brain.accounts import remove_account

    with open_store() as store:
        remove_account(store, username)
    emit({"removed": username}, as_json, lambda c: c.print(f"removed {username}"))


@app.command("token")
def token(username: str, name: Annotated[str, typer.Option(help="What the token is for.")] = "script",
          as_json: JsonOpt = False) -> None:
    """为脚本生成 API 令牌 (create an API token; shown once)."""
    from industry_brain._core import open_store
    from industry_brain.accounts import create_api_token

    with open_store() as store:
        value = create_api_token(store, username, name)
    emit({"username": username, "token": value}, as_json, lambda c: c.print(value))
