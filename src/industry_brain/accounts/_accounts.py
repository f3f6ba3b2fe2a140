"""Accounts, sessions, API tokens and the permission table.

Permissions (``can(account, action, unit=None, subject=None)``):

==============================  =====  =======  ================  ==========  ==========  ======
action                          admin  analyst  district_officer  enterprise  provider    public
==============================  =====  =======  ================  ==========  ==========  ======
view_aggregates (map, stats)    yes    yes      yes               yes         yes         yes
view_enterprises (portraits)    yes    yes      yes               no          no          no
import (upload a register)      yes    yes      own units only    no          no          no
manage_users                    yes    no       no                no          no          no
view_providers (服务机构)        yes    yes      yes               yes         yes         yes
view_needs (需求与匹配)          yes    yes      yes               own needs   no          no
submit_needs (提交需求)          yes    yes      no                own firm    no          no
engage (选定机构、评价)           yes    yes      no                own needs   no          no
view_fits (机构可承接的需求)      yes    yes      yes               no          own record  no
edit_provider (编辑机构信息)      yes    yes      no                no          own record  no
manage_services (导入、信用事件)  yes    yes      no                no          no          no
view_targets (招商标的)           yes    yes      yes               no          no          no
view_projects (招商项目)          yes    yes      own units only    no          no          no
edit_projects (新建、推进项目)    yes    no       own units only    no          no          no
view_alerts (监测预警)            yes    yes      own units only    no          no          no
manage_watch (关注清单)           yes    no       own units only    no          no          no
==============================  =====  =======  ================  ==========  ==========  ======

A district officer's ``districts`` lists the map units it acts for (2019 unit codes, ``QTXQ``, or 2021
district codes); an import that would touch any other unit is refused, and the attraction actions (projects,
alerts, watch lists) pass only for those units (``unit=`` names the project's or watch list's district). An enterprise or provider account has a
``subject``: the firm's 统一社会信用代码, or the provider's id in the service directory; on "own" actions
``subject=`` names what is acted on, and only its own subject passes. Lists are narrowed with :func:`own_subject`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from industry_brain._core.errors import ConflictError, InputError, NotFoundError, PermissionDeniedError
from industry_brain._core.store import Store

Role = Literal["admin", "analyst", "district_officer", "enterprise", "provider", "public"]
ROLES: tuple[Role, ...] = ("admin", "analyst", "district_officer", "enterprise", "provider", "public")
SELF_SERVICE: frozenset[str] = frozenset({"enterprise", "provider"})  # roles acting for one subject of their own

_EVERYONE = {"admin", "analyst", "district_officer", "enterprise", "provider", "public"}
_ACTIONS = {
    "view_aggregates": _EVERYONE,
    "view_enterprises": {"admin", "analyst", "district_officer"},
    "import": {"admin", "analyst", "district_officer"},
    "manage_users": {"admin"},
    "view_providers": _EVERYONE,
    "view_needs": {"admin", "analyst", "district_officer", "enterprise"},
    "submit_needs": {"admin", "analyst", "enterprise"},
    "engage": {"admin", "analyst", "enterprise"},
    "view_fits": {"admin", "analyst", "district_officer", "provider"},
    "edit_provider": {"admin", "analyst", "provider"},
    "manage_services": {"admin", "analyst"},
    "view_targets": {"admin", "analyst", "district_officer"},
    "view_projects": {"admin", "analyst", "district_officer"},
    "edit_projects": {"admin", "district_officer"},
    "view_alerts": {"admin", "analyst", "district_officer"},
    "manage_watch": {"admin", "district_officer"},
}
#: Actions a district officer may do only for its own units (``unit=``).
DISTRICT_SCOPED: frozenset[str] = frozenset({"import", "view_projects", "edit_projects", "view_alerts",
                                             "manage_watch"})
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,31}$")
SESSION_TTL = timedelta(hours=12)
_hasher = PasswordHasher()


@dataclass(frozen=True)
class Account:
    username: str
    role: Role
    districts: tuple[str, ...] = field(default_factory=tuple)
    display_name: str | None = None
    subject: str | None = None   # enterprise: its 统一社会信用代码; provider: its provider id

    def to_dict(self) -> dict[str, object]:
        return {"username": self.username, "role": self.role, "districts": list(self.districts),
                "display_name": self.display_name, "subject": self.subject}


ANONYMOUS_PUBLIC = Account("anonymous", "public")


def can(account: Account, action: str, unit: str | None = None, subject: str | None = None) -> bool:
    """Whether ``account`` may do ``action`` (on ``unit`` for a district officer's import; on ``subject`` — a firm's
    credit code or a provider id — for an enterprise's or provider's own records)."""
    if account.role not in _ACTIONS.get(action, set()):
        return False
    if account.role == "district_officer" and action in DISTRICT_SCOPED and unit is not None:
        return unit in account.districts
    if account.role in SELF_SERVICE and subject is not None:
        return subject == account.subject
    return True


def own_subject(account: Account) -> str | None:
    """The one subject an enterprise or provider account may see in lists; None for roles that see all."""
    return account.subject if account.role in SELF_SERVICE else None


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _row_to_account(row: tuple[object, ...]) -> Account:
    username, role, districts, display, subject = row
    return Account(str(username), role, tuple(districts or ()), display, subject)  # type: ignore[arg-type]


_COLS = "username, role, districts, display_name, subject"


def add_account(store: Store, username: str, password: str, role: str, *, districts: list[str] | None = None,
                display_name: str | None = None, subject: str | None = None) -> Account:
    """Create an account; the password is stored only as an argon2id hash."""
    if not _USERNAME.match(username):
        raise InputError(f"invalid username {username!r}: expected 2-32 of a-z 0-9 _ . - starting with a letter or digit",
                         field="username", value=username)
    if role not in ROLES:
        raise InputError(f"invalid role {role!r}: expected one of {', '.join(ROLES)}", field="role", value=role)
    if len(password) < 8:
        raise InputError("password too short: expected at least 8 characters", field="password")
    if role == "district_officer" and not districts:
        raise InputError("a district officer needs at least one district (--district)", field="districts")
    subject = _subject(role, subject)
    if store.fetchone("SELECT 1 FROM account WHERE username = ?", [username]):
        raise ConflictError(f"account {username!r} exists already", username=username)
    store.execute(
        "INSERT INTO account (username, password_hash, role, districts, display_name, subject) VALUES (?, ?, ?, ?, ?, ?)",
        [username, _hasher.hash(password), role, list(districts or []), display_name, subject],
    )
    return Account(username, role, tuple(districts or ()), display_name, subject)


def _subject(role: str, subject: str | None) -> str | None:
    """An enterprise's credit code (checked) or a provider's id; refused for roles that act for no subject."""
    text = (subject or "").strip().upper() if role == "enterprise" else (subject or "").strip()
    if role not in SELF_SERVICE:
        if text:
            raise InputError(f"--subject is for enterprise and provider accounts, not {role}", field="subject",
                             value=subject)
        return None
    if not text:
        what = "its 统一社会信用代码" if role == "enterprise" else "its provider id"
        raise InputError(f"an {role} account acts for one subject: give {what} (--subject)", field="subject")
    if role == "enterprise":
        from industry_brain.registry import check_uscc

        verdict = check_uscc(text)
        if not verdict.valid:
            raise InputError(f"--subject {text!r} is not a valid 统一社会信用代码: {'; '.join(verdict.explain('en'))}",
                             field="subject", value=subject)
        return verdict.code
    return text


def set_password(store: Store, username: str, password: str) -> None:
    if len(password) < 8:
        raise InputError("password too short: expected at least 8 characters", field="password")
    get_account(store, username)
    store.execute("UPDATE account SET password_hash = ? WHERE username = ?", [_hasher.hash(password), username])


def get_account(store: Store, username: str) -> Account:
    row = store.fetchone(
        f"SELECT {_COLS} FROM account WHERE username = ? AND NOT disabled", [username]
    )
    if row is None:
        raise NotFoundError(f"no account {username!r}", username=username)
    return _row_to_account(row)


def list_accounts(store: Store) -> list[Account]:
    rows = store.fetchall(f"SELECT {_COLS} FROM account ORDER BY username")
    return [_row_to_account(r) for r in rows]


def remove_account(store: Store, username: str) -> None:
    get_account(store, username)
    with store.transaction():
        store.execute("DELETE FROM web_session WHERE username = ?", [username])
        store.execute("DELETE FROM api_token WHERE username = ?", [username])
        store.execute("DELETE FROM account WHERE username = ?", [username])


def authenticate(store: Store, username: str, password: str) -> Account:
    """The account when the password matches; PermissionDeniedError otherwise (same message either way)."""
    row = store.fetchone("SELECT password_hash FROM account WHERE username = ? AND NOT disabled", [username])
    try:
        if row is None:
            _hasher.hash(password)  # same work whether or not the user exists
            raise VerifyMismatchError
        _hasher.verify(str(row[0]), password)
    except (VerificationError, InvalidHashError) as exc:
        raise PermissionDeniedError("wrong username or password") from exc
    if _hasher.check_needs_rehash(str(row[0])):
        store.execute("UPDATE account SET password_hash = ? WHERE username = ?", [_hasher.hash(password), username])
    return get_account(store, username)


def create_session(store: Store, account: Account) -> tuple[str, str]:
    """A new browser session: ``(cookie value, CSRF token)``."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    store.execute(
        "INSERT INTO web_session (token_hash, username, csrf_token, expires_at) VALUES (?, ?, ?, ?)",
        [_hash_token(token), account.username, csrf, datetime.now(UTC).replace(tzinfo=None) + SESSION_TTL],
    )
    return token, csrf


def resolve_session(store: Store, token: str) -> tuple[Account, str] | None:
    """The session's account and CSRF token, or None when unknown or expired."""
    row = store.fetchone(
        "SELECT username, csrf_token, expires_at FROM web_session WHERE token_hash = ?", [_hash_token(token)]
    )
    if row is None or row[2] < datetime.now(UTC).replace(tzinfo=None):
        return None
    try:
        return get_account(store, str(row[0])), str(row[1])
    except NotFoundError:
        return None


def revoke_session(store: Store, token: str) -> None:
    store.execute("DELETE FROM web_session WHERE token_hash = ?", [_hash_token(token)])


def create_api_token(store: Store, username: str, name: str) -> str:
    """A new API token for scripts (shown once; only its hash is kept)."""
    get_account(store, username)
    token = "ib_" + secrets.token_urlsafe(32)
    store.execute("INSERT INTO api_token (token_hash, username, name) VALUES (?, ?, ?)",
                  [_hash_token(token), username, name])
    return token


def resolve_api_token(store: Store, token: str) -> Account | None:
    row = store.fetchone("SELECT username FROM api_token WHERE token_hash = ?", [_hash_token(token)])
    if row is None:
        return None
    store.execute("UPDATE api_token SET last_used_at = current_timestamp WHERE token_hash = ?", [_hash_token(token)])
    try:
        return get_account(store, str(row[0]))
    except NotFoundError:
        return None


def ensure_initial_admin(store: Store) -> str | None:
    """On the first start of an instance with no account, create ``admin`` with a generated password and
    return that password (to be printed once); None when accounts exist."""
    row = store.fetchone("SELECT count(*) FROM account")
    if row is not None and int(row[0]) > 0:
        return None
    password = secrets.token_urlsafe(12)
    add_account(store, "admin", password, "admin", display_name="管理员")
    return password
