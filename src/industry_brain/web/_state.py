"""Per-application state: the store's root connection, per-request cursors, a cache keyed by register version."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from industry_brain._core.settings import Settings
from industry_brain._core.store import Store, open_store


class AppState:
    """What one running dashboard holds: one DuckDB connection (cursors per request) and its caches."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = open_store(settings.database)
        self._lock = threading.Lock()
        self._cursor_lock = threading.Lock()
        self._cache: dict[tuple[Any, ...], Any] = {}
        self.jobs: dict[str, dict[str, Any]] = {}
        self.initial_admin_password: str | None = None
        self._patents: tuple[int, Any] | None = None
        self._version: tuple[int, int] | None = None
        self.ensure_indexes()

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A store on its own cursor (DuckDB cursors are independent connections to the same database)."""
        with self._cursor_lock:  # the root connection is shared: cursors are made and closed one at a time
            cur = self.root.con.cursor()
        try:
            yield Store(cur, self.root.path)
        finally:
            with self._cursor_lock:
                cur.close()

    def ensure_indexes(self) -> None:
        """The register's credit-code indexes for portraits (imports drop them; rebuilt at start and after each)."""
        from industry_brain.registry import ensure_lookup_indexes

        with self.store() as store:
            ensure_lookup_indexes(store)

    def register_version(self, store: Store) -> tuple[int, int]:
        """Changes whenever an import lands: (newest batch id, enterprises in the register). Read once and then
        kept: while the dashboard holds the database open no other process can write to it, so only this
        process's own imports change it, and they call ``invalidate``."""
        version = self._version
        if version is None:
            row = store.fetchone(
                "SELECT (SELECT coalesce(max(batch_id), 0) FROM import_batch), (SELECT count(*) FROM enterprise)"
            )
            version = self._version = (int(row[0]), int(row[1])) if row else (0, 0)
        return version

    def known_version(self) -> tuple[int, int] | None:
        """The register version if it has been read since the last import, without touching the database."""
        return self._version

    def peek(self, key: tuple[Any, ...]) -> Any | None:
        """A cached value, or ``None`` (no computation)."""
        return self._cache.get(key)

    def invalidate(self) -> None:
        """Forget the register version and every cached view (after an import)."""
        with self._lock:
            self._version = None
            self._cache.clear()

    def patents_stamp(self) -> int | None:
        """The patent ledger's checkpoint time (views that show ledger records are cached per stamp)."""
        try:
            return (self.patents_dir / "checkpoint").stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()`` once per key; callers put the register version in the key."""
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        value = compute()
        with self._lock:
            if len(self._cache) > 512:
                self._cache.clear()
            self._cache[key] = value
        return value

    @property
    def patents_dir(self) -> Path:
        """The patent ledger served by this instance: ``<IB_HOME>/patents`` (created by ``ib patents init``)."""
        return self.settings.home / "patents"

    def patents_state(self) -> Any | None:
        """The patent ledger's replayed state, re-read when its checkpoint changes; ``None`` without a ledger."""
        stamp = self.patents_stamp()
        if stamp is None:
            return None
        with self._lock:
            if self._patents is not None and self._patents[0] == stamp:
                return self._patents[1]
        from industry_brain.patents import PatentBook

        state = PatentBook.open(self.patents_dir).state()
        with self._lock:
            self._patents = (stamp, state)
        return state

    def close(self) -> None:
        self.root.close()
