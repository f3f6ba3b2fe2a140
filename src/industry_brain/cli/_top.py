"""Top-level commands that belong to no group."""

from __future__ import annotations

from typing import Annotated

import typer

from industry_brain.cli._app import app


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port).")] = 8000,
    demo: Annotated[bool, typer.Option("--demo", help="Read-only demo without login.")] = False,
) -> None:
    """启动仪表盘 (serve the dashboard and JSON API)."""
    import os

    import uvicorn

    _check_address(host, port)
    if demo:
        os.environ["IB_DEMO"] = "1"
    from industry_brain._core.settings import get_settings

    get_settings.cache_clear()
    uvicorn.run("industry_brain.web:create_app", factory=True, host=host, port=port, log_level="warning")


def _check_address(host: str, port: int) -> None:
    """Refuse an address that cannot be listened on before the server starts, with the reason, not a server log."""
    import socket

    from industry_brain._core.errors import InputError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"--host {host!r}: not an address of this machine ({exc})", option="--host", value=host) from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise InputError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port or --host",
                option="--port", value=port,
            ) from exc
