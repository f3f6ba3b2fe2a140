"""The ``ib`` command: a thin Typer shell over the contexts (the only package that imports Typer)."""

from industry_brain.cli._app import app, main

__all__ = ["app", "main"]
