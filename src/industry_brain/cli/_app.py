"""The ``ib`` application: global options, sub-command groups, and the one place errors become exit codes.

Import hygiene: ``ib --help`` imports neither DuckDB nor FastAPI. Command modules import their context inside
the command body.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from typing import Annotated

import typer

from industry_brain import __version__

# (name, module, help): each module defines ``app: typer.Typer``; its commands import contexts lazily.
_GROUPS: list[tuple[str, str, str]] = [
    ("registry", "industry_brain.cli._registry", "企业名录：导入、校验、查询、导出 (enterprise register)"),
    ("geo", "industry_brain.cli._geo", "行政区划与地址解析 (divisions and address resolution)"),
    ("taxonomy", "industry_brain.cli._taxonomy", "高新技术领域与未来产业分类 (fields and future industries)"),
    ("atlas", "industry_brain.cli._atlas", "未来产业地图：统计、公开数据核对、重建、地图与报告 (Future Industry Map)"),
    ("demo", "industry_brain.cli._demo", "演示数据 (the synthetic Hangzhou demo register)"),
    ("talent", "industry_brain.cli._talent", "紧缺人才调查与目录 (talent survey and shortage catalogue)"),
    ("ledger", "industry_brain.cli._ledger", "防篡改日志 (tamper-evident log)"),
    ("patents", "industry_brain.cli._patents", "专利权利记录 (patent rights on the ledger)"),
    ("chains", "industry_brain.cli._chains", "产业链图谱：企业上链、补链强链延链、五链图谱 (industry chains)"),
    ("attract", "industry_brain.cli._attract", "智能招商：招商标的、回测、项目过程管理、监测预警 (investment attraction)"),
    ("services", "industry_brain.cli._services", "创新服务平台：服务机构、需求、匹配、评价与信用 (innovation services)"),
    ("users", "industry_brain.cli._users", "用户与角色 (accounts and roles)"),
]

app = typer.Typer(
    name="ib",
    help="industry-brain 产业大脑：企业名录、未来产业地图、人才调查、专利账本。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"industry-brain {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    lang: Annotated[str | None, typer.Option("--lang", help="zh-CN (default) or en; or set IB_LANG.")] = None,
    home: Annotated[str | None, typer.Option("--home", help="State folder; or set IB_HOME (default ./var).")] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    from industry_brain._core.i18n import set_lang
    from industry_brain._core.logging import configure_logging
    from industry_brain._core.settings import get_settings

    if home is not None:
        os.environ["IB_HOME"] = home
        get_settings.cache_clear()
    settings = get_settings()
    set_lang(lang or settings.lang)
    configure_logging(settings.log_level)


for _name, _module, _help in _GROUPS:
    try:
        _sub = importlib.import_module(_module).app
    except ModuleNotFoundError as _exc:  # a group whose module is not installed is left out, loudly in tests
        if _exc.name != _module:
            raise
        continue
    app.add_typer(_sub, name=_name, help=_help)


def _register_commands() -> None:
    for module in ("industry_brain.cli._top", "industry_brain.cli._atlas_report"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


_register_commands()


def _cli_exceptions() -> tuple[tuple[type[BaseException], ...], ...]:
    """(exit, abort, usage) exception classes of the command-line layer: Typer's own (recent Typer carries its own
    copy of Click) and Click's, when Click is installed, so a usage mistake is never reported as an internal error."""
    exits: list[type[BaseException]] = [typer.Exit]
    aborts: list[type[BaseException]] = [typer.Abort]
    usage: list[type[BaseException]] = []
    typer_base = getattr(typer, "TyperException", None)
    if isinstance(typer_base, type):
        usage.append(typer_base)
    try:
        import click
    except ImportError:  # pragma: no cover - Click is optional for recent Typer
        pass
    else:
        exits.append(click.exceptions.Exit)
        aborts.append(click.exceptions.Abort)
        usage.append(click.ClickException)
    return tuple(exits), tuple(aborts), tuple(usage)


def _reopen_closed_standard_streams() -> None:
    """Give a closed standard stream (``ib … <&-`` from a service manager or a cron job) the null device, so that
    a file opened later does not land on descriptor 0-2 and reading or prompting gets end-of-file, not a crash."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115 - lives as long as the process


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``ib``: run the app; turn our errors into one line and their exit code."""
    from industry_brain._core.errors import IndustryBrainError

    _reopen_closed_standard_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in args
    exits, aborts, usage = _cli_exceptions()
    try:
        result = app(args=args, prog_name="ib", standalone_mode=False)
    except IndustryBrainError as exc:
        _report(exc.to_dict(), exc.message, wants_json)
        sys.exit(exc.exit_code)
    except exits as exc:
        sys.exit(getattr(exc, "exit_code", 0))
    except aborts:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except usage as exc:
        code = int(getattr(exc, "exit_code", 2))
        if wants_json:
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            typer.echo(json.dumps({"error": {"code": "usage", "message": message, "details": {}}}, ensure_ascii=False))
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"error: {exc}", err=True)
        sys.exit(code)
    except (KeyboardInterrupt, EOFError):
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: one line, no locals; IB_LOG_LEVEL=DEBUG shows the traceback
        import logging

        failed = _os_error_of(exc)
        if failed is not None:  # the machine refused a file the user named: say which and why, exit as bad input
            where = failed.filename if failed.filename is not None else ""
            message = f"{where}: {(failed.strerror or str(failed)).lower()}" if where else str(failed)
            _report({"code": "os_error", "message": message, "details": {"path": str(where)}}, message, wants_json)
            sys.exit(2)

        logging.getLogger("industry_brain").debug("internal error", exc_info=True)
        _report({"code": "internal", "message": f"{type(exc).__name__}: {exc}", "details": {}},
                f"internal error: {type(exc).__name__}: {exc}", wants_json)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)


def _os_error_of(exc: BaseException) -> OSError | None:
    """The operating-system error about a named file behind ``exc`` (directly or as its cause), if any."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.filename is not None:
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _report(envelope: dict[str, object], line: str, wants_json: bool) -> None:
    if wants_json:
        typer.echo(json.dumps({"error": envelope}, ensure_ascii=False))
    typer.echo(f"error: {line}", err=True)
