"""``ib attract``: smart investment attraction — targets, their backtest, the project pipeline, watch lists and
alerts."""

from __future__ import annotations

import typer

from industry_brain.cli._attract_alerts import alerts_app, watch_app
from industry_brain.cli._attract_projects import projects_app

app = typer.Typer(no_args_is_help=True, help="智能招商：招商标的推荐、回测、项目过程管理、监测预警 (investment attraction)")
app.add_typer(projects_app, name="projects")
app.add_typer(watch_app, name="watch")
app.add_typer(alerts_app, name="alerts")
