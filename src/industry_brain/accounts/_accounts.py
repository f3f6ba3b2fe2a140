"""Accounts, sessions, API tokens and the permission table.

Permissions (``can(account, action, unit=None)``):

============================  =====  =======  ================  ======
action                        admin  analyst  district_officer  public
============================  =====  =======  ================  ======
view_aggregates (map, stats)  yes    yes      yes               yes
view_enterprises (portraits)  yes    yes      yes               no
import (upload a register)    yes    yes      own units only    no
manage_users                  yes    no       no                no
view_providers (服务机构)      yes    yes      yes               yes
view_needs (需求与匹配)        yes    yes      yes               no
manage_services (需求、评价…)  yes    yes      no                no
============================  =====  =======  ================  ======

A district officer's ``districts`` lists the map units it acts for (2019 unit codes, ``QTXQ``, or 2021
district codes); an import that would touch any other unit is refused.
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

Role = Literal["admin", "analyst", "district_officer", "public"]
ROLES: tuple[Role, ...] = ("admin", "analyst", "district_officer", "public")

_ACTIONS = {
    "view_aggregates": {"admin", "analyst", "district_officer", "public"},
    "view_enterprises": {"admin", "analyst", "district_officer"},
    "import": {"admin", "analyst", "district_officer"},
    "manage_users": {"admin"},
    "view_providers": {"admin", "analyst", "district_officer", "public"},
    "view_needs": {"admin", "analyst", "district_officer"},
    "manage_services": {"admin", "analyst"},
}
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,31}$")
SESSION_TTL = timedelta(hours=12)
_hasher = PasswordHasher()


@dataclass(frozen=True)
class Account:
    username: str
    role: Role
    districts: tuple[str, ...] = field(default_factory=tuple)
    display_name: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"username": self.username, "role": self.role, "districts": list(self.districts),
                "display_name": self.display_name}


ANONYMOUS_PUBLIC = Account("anonymous", "public")


def can(account: Account, action: str, unit: str | None = None) -> bool:
    """Whether ``account`` may do ``action`` (on ``unit``, for scoped actions)."""
    if account.role not in _ACTIONS.get(action, set()):
        return False
    if account.role == "district_officer" and action == "import" and unit is not None:
        return unit in account.districts
    return True


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _row_to_account(row: tuple[object, ...]) -> Account:
    username, role, districts, display = row
    return Account(str(username), role, tuple(districts or ()), display)  # type: ignore[arg-type]


def add_account(store: Store, username: str, password: str, role: str, *, districts: list[str] | None = None,
                display_name: str | None = None) -> Account:
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
    if store.fetchone("SELECT 1 FROM account WHERE username = ?", [username]):
        raise ConflictError(f"account {username!r} exists already", username=username)
    store.execute(
        "INSERT INTO account (username, password_hash, role, districts, display_name) VALUES (?, ?, ?, ?, ?)",
        [username, _hasher.hash(password), role, list(districts or []), display_name],
    )
    return Account(username, role, tuple(districts or ()), display_name)


def set_password(store: Store, username: str, password: str) -> None:
    if len(password) < 8:
        raise InputError("password too short: expected at least 8 characters", field="password")
    get_account(store, username)
    store.execute("UPDATE account SET password_hash = ? WHERE username = ?", [_hasher.hash(password), username])


def get_account(store: Store, username: str) -> Account:
    row = store.fetchone(
        "SELECT username, role, districts, display_name FROM account WHERE username = ? AND NOT disabled", [username]
    )
    if row is None:
        raise NotFoundError(f"no account {username!r}", username=username)
    return _row_to_account(row)


def list_accounts(store: Store) -> list[Account]:
    rows = store.fetchall("SELECT username, role, districts, display_name FROM account ORDER BY username")
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
