"""``ib attract watch`` and ``ib attract alerts``: watch lists and early warnings (招商标的监测预警)."""

from __future__ import annotations

import typer

watch_app = typer.Typer(no_args_is_help=True, help="关注清单：招商标的与本区龙头企业 (watch lists)")
alerts_app = typer.Typer(no_args_is_help=True, help="监测预警：由名录新版本计算的预警 (alerts)")
