"""Durable state: JSON documents in SQLite, one row per object, guarded by a lock.

Every object lives in table `objects` keyed by (kind, id) with an insertion sequence that fixes list
order; `meta` holds tenant facts (current domain, bootstrap client id). A file-backed store creates
its database 0600 because client secrets are in it; `path=None` gives an in-memory store for tests.
All access goes through one re-entrant lock, and `transaction()` makes check-then-write rules (409s)
atomic under concurrent requests. A file-backed database runs in WAL mode with `synchronous=NORMAL`:
committed writes survive a crash of the tenant, and a write no longer waits for two fsyncs (in the
default rollback-journal mode every Management write blocked the event loop for them; bench P3).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    kind TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Store:
    """A small document store over SQLite, safe to share between threads."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        if path is not None:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
            os.chmod(path, 0o600)
        self._lock = threading.RLock()
        self._depth = 0
        self._db = sqlite3.connect(
            str(path) if path is not None else ":memory:", check_same_thread=False, isolation_level=None
        )
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock and one SQLite transaction; nested calls join the outer one."""
        with self._lock:
            self._depth += 1
            if self._depth == 1:
                self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self._depth == 1:
                    self._db.execute("ROLLBACK")
                raise
            else:
                if self._depth == 1:
                    self._db.execute("COMMIT")
            finally:
                self._depth -= 1

    def get(self, kind: str, obj_id: str) -> dict[str, Any] | None:
        """One object, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT data FROM objects WHERE kind=? AND id=?", (kind, obj_id)
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def list(self, kind: str) -> list[dict[str, Any]]:
        """All objects of a kind in creation order."""
        with self._lock:
            rows = self._db.execute("SELECT data FROM objects WHERE kind=? ORDER BY seq", (kind,)).fetchall()
        return [dict(json.loads(r[0])) for r in rows]

    def put(self, kind: str, obj_id: str, data: dict[str, Any]) -> None:
        """Insert or replace an object, keeping its place in list order."""
        text = json.dumps(data, sort_keys=True)
        with self.transaction():
            updated = self._db.execute(
                "UPDATE objects SET data=? WHERE kind=? AND id=?", (text, kind, obj_id)
            ).rowcount
            if not updated:
                seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM objects").fetchone()[0]
                self._db.execute(
                    "INSERT INTO objects (kind, id, seq, data) VALUES (?, ?, ?, ?)", (kind, obj_id, seq, text)
                )

    def delete(self, kind: str, obj_id: str) -> bool:
        """Remove an object; True if it existed."""
        with self.transaction():
            return bool(
                self._db.execute("DELETE FROM objects WHERE kind=? AND id=?", (kind, obj_id)).rowcount
            )

    def clear(self) -> None:
        """Remove every object (meta is kept)."""
        with self.transaction():
            self._db.execute("DELETE FROM objects")

    def get_meta(self, key: str) -> str | None:
        """A tenant fact, or None."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Record a tenant fact."""
        with self.transaction():
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
