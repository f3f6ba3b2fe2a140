"""Top-level commands that belong to no group."""

from __future__ import annotations

from typing import Annotated

import typer

from industry_brain.cli._app import app


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Read-only demo without login.")] = False,
) -> None:
    """启动仪表盘 (serve the dashboard and JSON API)."""
    import os

    import uvicorn

    if demo:
        os.environ["IB_DEMO"] = "1"
    from industry_brain._core.settings import get_settings

    get_settings.cache_clear()
    uvicorn.run("industry_brain.web:create_app", factory=True, host=host, port=port, log_level="warning")
