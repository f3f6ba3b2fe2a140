"""The embedded store: one DuckDB file, with versioned migrations applied automatically on open.

Migrations are SQL files in ``industry_brain/_core/migrations`` named ``NNNN_what.sql``, applied in order, each
in its own transaction, and recorded in ``schema_migration``. Number ranges per context keep them apart:
0001–0099 registry, 0100–0199 atlas, 0200–0299 talent, 0300–0399 patents, 0400–0499 web,
0500–0599 chains, 0600–0699 attract, 0700–0799 services.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from industry_brain._core.errors import ConflictError, InternalError
from industry_brain._core.i18n import Catalog

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Every migration shipped with the package, in order."""
    found: list[Migration] = []
    folder = resources.files("industry_brain._core") / "migrations"
    for entry in folder.iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda mg: mg.version)
    versions = [mg.version for mg in found]
    if len(versions) != len(set(versions)):
        raise InternalError(f"two migrations share a version number: {versions!r}")
    return found


def quote_ident(name: str) -> str:
    """Quote an SQL identifier (the one helper for identifiers; values are always bound parameters)."""
    return '"' + name.replace('"', '""') + '"'


class Store:
    """A DuckDB connection to the product's file, migrated to the newest schema."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
        self.con = con
        self.path = path

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
        return self.con.execute(sql, params) if params is not None else self.con.execute(sql)

    def fetchall(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self.execute(sql, params).fetchall()

    def fetchone(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> tuple[Any, ...] | None:
        """The first row (for queries of one row: the result is read to its end, so that the connection is free for
        relational calls such as ``con.sql``, which refuse to run beside an unfinished result)."""
        rows = self.execute(sql, params).fetchall()
        return rows[0] if rows else None

    def records(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column name."""
        cur = self.execute(sql, params)
        cols = [d[0] for d in cur.description or []]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One atomic unit: committed when the block ends, rolled back when it raises."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def schema_version(self) -> int:
        row = self.fetchone("SELECT coalesce(max(version), 0) FROM schema_migration")
        return int(row[0]) if row else 0

    def migrate(self) -> list[int]:
        """Apply the migrations this file has not seen yet; returns their versions."""
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migration ("
            " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
            " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
        )
        done = {int(r[0]) for r in self.fetchall("SELECT version FROM schema_migration")}
        applied: list[int] = []
        for mg in migrations():
            if mg.version in done:
                continue
            with self.transaction():
                self.con.execute(mg.sql)
                self.con.execute("INSERT INTO schema_migration (version, name) VALUES (?, ?)", [mg.version, mg.name])
            log.info("applied migration %04d_%s", mg.version, mg.name)
            applied.append(mg.version)
        return applied

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_BUSY = Catalog({
    "store_busy": (
        "数据库 {path} 正被另一个进程使用（通常是正在运行的 ib serve）：请先停止它，或在仪表盘中导入",
        "the database {path} is in use by another process (usually a running ib serve): stop it first, "
        "or import through the dashboard",
    ),
})


def open_store(path: Path | str | None = None, *, read_only: bool = False) -> Store:
    """Open (creating and migrating as needed) the DuckDB file; ``":memory:"`` for a throwaway store."""
    import duckdb

    from industry_brain._core.settings import get_settings

    if path == ":memory:":
        store = Store(duckdb.connect(":memory:"), None)
        store.migrate()
        return store
    target = Path(path) if path is not None else get_settings().database
    if not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(target), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            # DuckDB allows one writing process per file: usually a running ``ib serve`` holds it.
            raise ConflictError(
                _BUSY.t("store_busy", path=str(target)), path=str(target), reason=str(exc)
            ) from exc
        raise InternalError(f"cannot open the store {str(target)!r}: {exc}", path=str(target)) from exc
    store = Store(con, target)
    if not read_only:
        store.migrate()
    return store
