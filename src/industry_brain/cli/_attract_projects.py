"""``ib attract projects``: the project pipeline (招商项目过程管理)."""

from __future__ import annotations

import typer

projects_app = typer.Typer(no_args_is_help=True, help="招商项目：新建、推进、台账导入导出、漏斗 (project pipeline)")
