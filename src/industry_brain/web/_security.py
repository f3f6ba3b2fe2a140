"""Who is asking, and may they: API tokens, session cookies, CSRF, the demo's read-only viewer."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from industry_brain._core.errors import PermissionDeniedError
from industry_brain.accounts import Account, can, resolve_api_token, resolve_session

SESSION_COOKIE = "ib_session"
CSRF_COOKIE = "ib_csrf"
DEMO_VIEWER = Account("demo", "analyst", display_name="演示 demo")
ANONYMOUS = Account("anonymous", "public")
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def current_account(request: Request) -> Account:
    """Bearer token, else session cookie, else the demo viewer (demo) or the public role."""
    cached = getattr(request.state, "account", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    state = request.app.state.ib
    account: Account | None = None
    csrf: str | None = None
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        with state.store() as store:
            account = resolve_api_token(store, auth[7:].strip())
        if account is None:
            raise PermissionDeniedError("invalid API token")
        request.state.via_token = True
    elif SESSION_COOKIE in request.cookies:
        with state.store() as store:
            found = resolve_session(store, request.cookies[SESSION_COOKIE])
        if found is not None:
            account, csrf = found
    if account is None:
        account = DEMO_VIEWER if state.settings.demo else ANONYMOUS
    request.state.account = account
    request.state.csrf = csrf
    return account


def csrf_token(request: Request) -> str:
    """The token forms must echo: the session's, or (before login) the double-submit cookie's."""
    current_account(request)
    if request.state.csrf:
        return str(request.state.csrf)
    token = request.cookies.get(CSRF_COOKIE)
    if not token:
        token = getattr(request.state, "new_csrf_cookie", None) or secrets.token_urlsafe(24)
        request.state.new_csrf_cookie = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    """Unsafe requests authenticated by cookie must carry the CSRF token (form field or X-CSRF-Token)."""
    if request.method not in _UNSAFE or getattr(request.state, "via_token", False):
        return
    expected = request.state.csrf if getattr(request.state, "csrf", None) else request.cookies.get(CSRF_COOKIE)
    given = submitted or request.headers.get("x-csrf-token")
    if not expected or not given or not hmac.compare_digest(str(expected), str(given)):
        raise PermissionDeniedError("missing or wrong CSRF token: reload the page and try again")


def require(request: Request, action: str, unit: str | None = None, subject: str | None = None) -> Account:
    """The account of the request when it may do ``action`` (on ``unit`` or on its own ``subject``); else 403/401."""
    account = current_account(request)
    if action == "import" and request.app.state.ib.settings.demo:
        raise PermissionDeniedError("the demo is read-only: imports are disabled")
    if not can(account, action, unit, subject):
        if account.role == "public" and account.username == "anonymous":
            raise PermissionDeniedError(f"login required for {action!r}", login=True)
        if subject is not None:
            raise PermissionDeniedError(f"role {account.role!r} may {action!r} only for its own record ({account.subject})")
        raise PermissionDeniedError(f"role {account.role!r} may not {action!r}" + (f" for unit {unit!r}" if unit else ""))
    return account
