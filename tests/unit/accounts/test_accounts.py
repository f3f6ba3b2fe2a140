from __future__ import annotations

import pytest

import industry_brain.accounts as accounts
from industry_brain._core import ConflictError, InputError, NotFoundError, PermissionDeniedError, open_store
from industry_brain.accounts import (
    add_account,
    authenticate,
    can,
    create_api_token,
    create_session,
    ensure_initial_admin,
    remove_account,
    resolve_api_token,
    resolve_session,
)


def test_public_api_is_pinned() -> None:
    assert sorted(accounts.__all__) == sorted([
        "DISTRICT_SCOPED", "ROLES", "SELF_SERVICE", "Account", "Role", "add_account", "authenticate", "can", "create_api_token", "create_session",
        "ensure_initial_admin", "get_account", "list_accounts", "own_subject", "remove_account", "resolve_api_token",
        "resolve_session", "revoke_session", "set_password",
    ])


def test_password_is_hashed_with_argon2_and_checked() -> None:
    store = open_store(":memory:")
    add_account(store, "alice", "correct horse", "analyst")
    stored = store.fetchone("SELECT password_hash FROM account WHERE username = 'alice'")[0]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert authenticate(store, "alice", "correct horse").role == "analyst"
    with pytest.raises(PermissionDeniedError):
        authenticate(store, "alice", "wrong password")
    with pytest.raises(PermissionDeniedError):
        authenticate(store, "nobody", "whatever1")


def test_bad_accounts_are_refused_with_reasons() -> None:
    store = open_store(":memory:")
    with pytest.raises(InputError, match="role"):
        add_account(store, "bob", "password1", "king")
    with pytest.raises(InputError, match="district"):
        add_account(store, "bob", "password1", "district_officer")
    with pytest.raises(InputError, match="short"):
        add_account(store, "bob", "short", "analyst")
    add_account(store, "bob", "password1", "analyst")
    with pytest.raises(ConflictError):
        add_account(store, "bob", "password1", "analyst")


def test_permissions_by_role_and_district_scope() -> None:
    store = open_store(":memory:")
    officer = add_account(store, "binjiang", "password1", "district_officer", districts=["330108"])
    public = add_account(store, "reader", "password1", "public")
    assert can(officer, "import", "330108") and not can(officer, "import", "330106")
    assert can(officer, "view_enterprises") and not can(officer, "manage_users")
    assert can(public, "view_aggregates") and not can(public, "view_enterprises") and not can(public, "import")


def test_firm_and_provider_accounts_act_for_their_own_subject_only() -> None:
    from industry_brain.accounts import get_account, own_subject

    store = open_store(":memory:")
    firm = add_account(store, "acme", "password1", "enterprise", subject="91330106DM00000139")
    assert firm.subject == "91330106DM00000139"               # a valid credit code
    assert get_account(store, "acme") == firm
    lab = add_account(store, "lab", "password1", "provider", subject="P012")
    assert can(firm, "submit_needs") and can(firm, "view_needs", subject="91330106DM00000139")
    assert not can(firm, "view_needs", subject="91330106DM00000214") and not can(firm, "view_needs", subject="")
    assert not can(firm, "view_enterprises") and not can(firm, "edit_provider") and not can(firm, "manage_services")
    assert can(lab, "edit_provider", subject="P012") and not can(lab, "edit_provider", subject="P013")
    assert can(lab, "view_fits", subject="P012") and not can(lab, "view_needs") and not can(lab, "submit_needs")
    assert own_subject(firm) == "91330106DM00000139" and own_subject(lab) == "P012"
    analyst = add_account(store, "ana", "password1", "analyst")
    assert own_subject(analyst) is None and can(analyst, "edit_provider", subject="P013")
    with pytest.raises(InputError, match="subject"):
        add_account(store, "nofirm", "password1", "enterprise")
    with pytest.raises(InputError, match="统一社会信用代码"):
        add_account(store, "badfirm", "password1", "enterprise", subject="91330106DM00000130")   # wrong check character
    with pytest.raises(InputError, match="subject"):
        add_account(store, "odd", "password1", "analyst", subject="P012")


def test_sessions_and_tokens_store_only_hashes_and_die_with_the_account() -> None:
    store = open_store(":memory:")
    alice = add_account(store, "alice", "password1", "admin")
    cookie, csrf = create_session(store, alice)
    token = create_api_token(store, "alice", "nightly")
    assert resolve_session(store, cookie) == (alice, csrf)
    assert resolve_api_token(store, token) == alice
    dump = str(store.fetchall("SELECT * FROM web_session")) + str(store.fetchall("SELECT * FROM api_token"))
    assert cookie not in dump and token not in dump
    remove_account(store, "alice")
    assert resolve_session(store, cookie) is None and resolve_api_token(store, token) is None
    with pytest.raises(NotFoundError):
        remove_account(store, "alice")


def test_initial_admin_only_once() -> None:
    store = open_store(":memory:")
    password = ensure_initial_admin(store)
    assert password and authenticate(store, "admin", password).role == "admin"
    assert ensure_initial_admin(store) is None
