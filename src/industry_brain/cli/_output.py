"""Output helpers shared by every command: ``--json``, Rich tables, progress bars on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False)


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if hasattr(value, "__dataclass_fields__"):
        import dataclasses

        return dataclasses.asdict(value)
    if isinstance(value, float) and value != value:
        return None
    return str(value)


def dumps(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, default=_default, indent=2)


def emit(payload: Any, as_json: bool, render: Callable[[Console], None]) -> None:
    """Print ``payload`` as JSON, or call ``render`` with the stdout console."""
    if as_json:
        sys.stdout.write(dumps(payload) + "\n")
    else:
        render(stdout)


@contextmanager
def progress(description: str, total: int | None, enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr; yields ``advance(n)``. Silent when disabled (``--json``) or not a terminal."""
    if not enabled or not stderr.is_terminal:
        yield lambda n: None
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=stderr, transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


def ask_secret(label: str, option: str, env: str) -> str:
    """A secret from the terminal (typed twice); without a terminal (a script, a pipe, closed standard input) an
    :class:`InputError` that says what to pass instead, rather than a prompt nobody can answer."""
    from industry_brain._core.errors import InputError

    stdin = sys.stdin
    try:
        interactive = stdin is not None and not stdin.closed and stdin.isatty()
    except (ValueError, OSError):
        interactive = False
    if not interactive:
        raise InputError(
            f"{label}: no terminal to ask on; pass {option} or set the environment variable {env}",
            reason="no_terminal",
            option=option,
            env=env,
        )
    value: str = typer.prompt(label, hide_input=True, confirmation_prompt=True)
    return value


def ui_lang() -> str:
    """'en' or 'zh': the language of the messages a command prints (``--lang`` / ``IB_LANG``)."""
    from industry_brain._core.i18n import current_lang

    return "en" if current_lang() == "en" else "zh"


def zh_en(zh: str, en: str) -> str:
    """The message in the command's language."""
    return en if ui_lang() == "en" else zh


def store() -> Any:
    """The instance's store (``IB_HOME``), opened for one command."""
    from industry_brain._core.store import open_store

    return open_store()
