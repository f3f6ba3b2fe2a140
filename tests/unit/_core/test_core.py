from __future__ import annotations

import pytest

from industry_brain._core import Catalog, IndustryBrainError, InputError, open_store, use_lang
from industry_brain._core.errors import ConflictError, IntegrityError, NotFoundError, PermissionDeniedError
from industry_brain._core.settings import Settings
from industry_brain._core.store import migrations


def test_every_setting_is_documented() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no description"


def test_error_tree_carries_status_and_exit_code() -> None:
    assert issubclass(InputError, ValueError) and InputError.exit_code == 2 and InputError.http_status == 422
    assert issubclass(NotFoundError, LookupError) and NotFoundError.http_status == 404
    assert issubclass(PermissionDeniedError, PermissionError) and PermissionDeniedError.http_status == 403
    assert ConflictError.http_status == 409 and IntegrityError.exit_code == 3
    err = InputError("bad value 'x'", file="a.csv", row=3)
    assert err.to_dict() == {"code": "invalid_input", "message": "bad value 'x'", "details": {"file": "a.csv", "row": 3}}
    assert isinstance(err, IndustryBrainError)


def test_catalog_follows_the_current_language() -> None:
    cat = Catalog({"hello": ("你好，{who}", "hello, {who}")})
    with use_lang("en"):
        assert cat.t("hello", who="x") == "hello, x"
    with use_lang("zh-CN"):
        assert cat.t("hello", who="x") == "你好，x"
    assert cat.both("hello", who="y") == {"zh": "你好，y", "en": "hello, y"}


def test_store_migrates_once_and_records_versions(ib_home) -> None:  # type: ignore[no-untyped-def]
    path = ib_home / "t.duckdb"
    with open_store(path) as store:
        first = store.schema_version()
        assert first == migrations()[-1].version
    with open_store(path) as store:
        assert store.migrate() == []
        assert store.schema_version() == first


def test_transaction_rolls_back_on_error() -> None:
    store = open_store(":memory:")
    store.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(RuntimeError), store.transaction():
        store.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("boom")
    assert store.fetchone("SELECT count(*) FROM t") == (0,)
