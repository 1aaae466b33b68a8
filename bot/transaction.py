"""One SQLite transaction as a context manager, shared by the store and its follow-up tables."""

from __future__ import annotations

import sqlite3


class Transaction:
    """`BEGIN IMMEDIATE` … `COMMIT`, or `ROLLBACK` when anything inside raises."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        self._db.execute("BEGIN IMMEDIATE")
        return self._db

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self._db.execute("ROLLBACK" if error else "COMMIT")
