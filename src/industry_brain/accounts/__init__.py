"""Accounts and roles of the dashboard: admin, analyst, district officer (scoped to its districts), enterprise and
provider (each acting for its own firm or directory record), public.

Passwords are hashed with argon2id; browser sessions and API tokens are stored only as SHA-256 hashes of
their random values. The web adapter and ``ib users`` are thin shells over these functions.
"""

from industry_brain.accounts._accounts import (
    DISTRICT_SCOPED,
    ROLES,
    SELF_SERVICE,
    Account,
    Role,
    add_account,
    authenticate,
    can,
    create_api_token,
    create_session,
    ensure_initial_admin,
    get_account,
    list_accounts,
    own_subject,
    remove_account,
    resolve_api_token,
    resolve_session,
    revoke_session,
    set_password,
)

__all__ = [
    "DISTRICT_SCOPED",
    "ROLES",
    "SELF_SERVICE",
    "Account",
    "Role",
    "add_account",
    "authenticate",
    "can",
    "create_api_token",
    "create_session",
    "ensure_initial_admin",
    "get_account",
    "list_accounts",
    "own_subject",
    "remove_account",
    "resolve_api_token",
    "resolve_session",
    "revoke_session",
    "set_password",
]
