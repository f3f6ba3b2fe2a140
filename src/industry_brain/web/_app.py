"""The application factory: state, middleware (language, security headers), error envelope, routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from industry_brain import __version__
from industry_brain._core.errors import IndustryBrainError
from industry_brain._core.i18n import normalise_lang, use_lang
from industry_brain._core.settings import Settings, get_settings
from industry_brain.web._security import CSRF_COOKIE
from industry_brain.web._state import AppState

log = logging.getLogger(__name__)
LANG_COOKIE = "ib_lang"
_HERE = Path(str(resources.files("industry_brain.web")))
_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


class LanguageAndHeaders:
    """Pure ASGI middleware: the page language (``?lang=`` → cookie → setting; Chinese first, the browser's
    Accept-Language is not consulted) and the security headers of every response."""

    _HEADERS = (
        (b"content-security-policy", _CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
    )

    def __init__(self, app: ASGIApp, default_lang: str) -> None:
        self.app = app
        self.default_lang = default_lang

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        asked = query.get("lang", [None])[0]
        cookies = _cookies(scope)
        lang = normalise_lang(asked or cookies.get(LANG_COOKIE) or self.default_lang)
        state = scope.setdefault("state", {})
        state["lang"] = lang

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in self._HEADERS if k not in present]
                if asked is not None:
                    headers.append((b"set-cookie", _cookie(LANG_COOKIE, lang, "lax", 365 * 86400)))
                csrf = state.get("new_csrf_cookie")
                if csrf:
                    headers.append((b"set-cookie", _cookie(CSRF_COOKIE, csrf, "strict", None)))
                message = {**message, "headers": headers}
            await send(message)

        with use_lang(lang):
            await self.app(scope, receive, send_with_headers)


def _cookies(scope: Scope) -> dict[str, str]:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            return cookie_parser(value.decode("latin-1"))
    return {}


def _cookie(name: str, value: str, samesite: str, max_age: int | None) -> bytes:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", f"SameSite={samesite}"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts).encode("latin-1")


def error_envelope(code: str, message: str, status: int, details: dict[str, object] | None = None) -> JSONResponse:
    """The one JSON error shape of the API: ``{"error": {"code", "message", "details"}}``."""
    return JSONResponse({"error": {"code": code, "message": message, "details": details or {}}}, status_code=status)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the dashboard for ``settings`` (default: the process's ``IB_*`` settings)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = AppState(settings)
        app.state.ib = state
        if not settings.demo:
            from industry_brain.accounts import ensure_initial_admin

            with state.store() as store:
                password = ensure_initial_admin(store)
            if password:
                state.initial_admin_password = password
                print(f"industry-brain: first start — created account 'admin' with password: {password}\n"
                      "  (shown once; change it with `ib users` — 首次启动已创建管理员账户，密码仅显示这一次)", flush=True)
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="industry-brain 产业大脑 API",
        version=__version__,
        description="JSON API of the dashboard: the Future Industry Map, districts, fields, enterprises, imports, "
        "published figures, reconstruction. Errors share one envelope: `{\"error\": {\"code\", \"message\", \"details\"}}`.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )

    app.add_middleware(LanguageAndHeaders, default_lang=settings.lang)

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")

    @app.exception_handler(IndustryBrainError)
    async def ib_error(request: Request, exc: IndustryBrainError) -> Response:
        if exc.http_status >= 500:
            log.exception("internal error on %s", request.url.path)
        if wants_html(request):
            if exc.http_status == 403 and exc.details.get("login"):
                return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
            from industry_brain.web._pages import render_error

            return render_error(request, exc.http_status, exc.message)
        return error_envelope(exc.code, exc.message, exc.http_status, exc.to_dict()["details"])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status_code, "http_error")
        if wants_html(request):
            from industry_brain.web._pages import render_error

            return render_error(request, exc.status_code, str(exc.detail))
        return error_envelope(code, str(exc.detail), exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", ""), "value": repr(e.get("input"))[:200]}
            for e in exc.errors()
        ]
        message = "; ".join(f"{p['where']}: {p['message']}" for p in problems)
        return error_envelope("invalid_input", message, 422, {"problems": problems})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error_envelope("internal", f"internal error: {type(exc).__name__}", 500)

    # Static files: our own assets, and vendor scripts served from installed Python packages (no CDN).
    app.mount("/static", StaticFiles(directory=_HERE / "_static"), name="static")
    import plotly
    import swagger_ui_bundle

    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    app.mount("/vendor/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_script() -> FileResponse:
        return FileResponse(plotly_js, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        # Swagger UI from the installed swagger-ui-bundle package; its start-up script is a file of ours
        # (the Content-Security-Policy allows no inline script).
        return HTMLResponse(
            "<!doctype html><html><head><meta charset='utf-8'><title>industry-brain API</title>"
            "<link rel='icon' href='/static/favicon.svg'>"
            "<link rel='stylesheet' href='/vendor/swagger/swagger-ui.css'></head><body><div id='swagger-ui'></div>"
            "<script src='/vendor/swagger/swagger-ui-bundle.js'></script>"
            "<script src='/static/swagger-init.js'></script></body></html>"
        )

    @app.get("/tlog/patents/{path:path}", include_in_schema=False)
    def patent_log_file(request: Request, path: str) -> Response:
        # The patent ledger, read-only, at the tlog-tiles paths (checkpoint, tile/<L>/<N>[.p/<W>],
        # tile/entries/<N>[.p/<W>]) so that any tlog-tiles client or witness can fetch and verify it.
        from industry_brain.ledger import tile_path

        file = tile_path(request.app.state.ib.patents_dir, path)
        final = path != "checkpoint" and ".p/" not in path  # full tiles never change
        return FileResponse(
            file,
            media_type="text/plain; charset=utf-8" if path == "checkpoint" else "application/octet-stream",
            headers={"Cache-Control": "public, max-age=31536000, immutable" if final else "no-cache",
                     "Access-Control-Allow-Origin": "*"},
        )

    from industry_brain.web import (
        _api,
        _attract,
        _attract_alerts,
        _attract_projects,
        _chains,
        _pages,
        _services,
    )

    app.include_router(_api.router)
    app.include_router(_services.api)
    app.include_router(_chains.api)
    app.include_router(_attract.api)
    app.include_router(_attract_projects.api)
    app.include_router(_attract_alerts.api)
    app.include_router(_pages.router)
    app.include_router(_services.pages)
    app.include_router(_chains.pages)
    app.include_router(_attract.pages)
    app.include_router(_attract_projects.pages)
    app.include_router(_attract_alerts.pages)
    return app
