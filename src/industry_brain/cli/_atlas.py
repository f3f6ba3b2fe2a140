"""``ib atlas``: the Future Industry Map."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="未来产业地图 (the Future Industry Map)")
