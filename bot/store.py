"""The SQLite store: conversation states, processed updates, the outbox and the reports.

Rule: one step is one transaction — the processed update id, the new state, the effects' rows and
the outgoing replies are committed together, so a crash at any point loses no conversation and
no report, and a redelivered update changes nothing. Delivered replies are deleted, not kept.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import aiosqlite

from bot.i18n import Rendered
from bot.migrations import MIGRATIONS
from flows import Erase, RecordReport, Report, RequestPerson, State, Step


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A reply committed but not yet delivered."""

    id: int
    key: str
    message: Rendered


class Store:
    """Conversations and records in one SQLite file (WAL), behind a small async interface."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db
        self._write = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(str(path), isolation_level=None)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA foreign_keys=ON")
        store = cls(db)
        await store.migrate()
        return store

    async def close(self) -> None:
        await self._db.close()

    async def migrate(self) -> tuple[str, ...]:
        """Apply the migrations not yet recorded; returns the names applied now."""
        await self._db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
        )
        async with self._db.execute("SELECT name FROM schema_migrations") as cursor:
            done = {row[0] async for row in cursor}
        applied = []
        for migration in MIGRATIONS:
            if migration.name in done:
                continue
            async with self._transaction():
                await self._db.execute(migration.sql)
                await self._db.execute(
                    "INSERT INTO schema_migrations VALUES (?, datetime('now'))", (migration.name,)
                )
            applied.append(migration.name)
        return tuple(applied)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, self._write)

    async def load(self, key: str) -> State | None:
        async with self._db.execute(
            "SELECT state FROM conversations WHERE key = ?", (key,)
        ) as cursor:
            row = await cursor.fetchone()
        return State.from_json(row[0]) if row else None

    async def seen(self, channel: str, update_id: int) -> bool:
        async with self._db.execute(
            "SELECT 1 FROM processed_updates WHERE channel = ? AND update_id = ?",
            (channel, update_id),
        ) as cursor:
            return await cursor.fetchone() is not None

    async def commit(
        self,
        key: str,
        channel: str,
        update_id: int | None,
        step: Step,
        outgoing: Sequence[Rendered],
        now: datetime,
    ) -> list[OutboxItem]:
        """Write everything one step produced in a single transaction; returns the outbox rows."""
        stamp = now.isoformat(timespec="seconds")
        items = []
        async with self._transaction():
            if update_id is not None:
                await self._db.execute(
                    "INSERT INTO processed_updates VALUES (?, ?, ?)", (channel, update_id, stamp)
                )
            for effect in step.effects:
                await self._apply(key, effect, stamp)
            await self._db.execute(
                "INSERT INTO conversations VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE "
                "SET state = excluded.state, updated_at = excluded.updated_at",
                (key, step.state.to_json(), stamp),
            )
            for message in outgoing:
                payload = json.dumps(message.to_json(), ensure_ascii=False)
                cursor = await self._db.execute(
                    "INSERT INTO outbox (key, payload, created_at) VALUES (?, ?, ?)",
                    (key, payload, stamp),
                )
                items.append(OutboxItem(int(cursor.lastrowid or 0), key, message))
        return items

    async def _apply(self, key: str, effect: object, stamp: str) -> None:
        if isinstance(effect, RecordReport):
            await self._db.execute(
                "INSERT INTO reports VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                _report_row(effect.report),
            )
        elif isinstance(effect, Erase):
            await self._db.executemany(
                "DELETE FROM reports WHERE ref = ?", [(ref,) for ref in effect.refs]
            )
            await self._db.execute("DELETE FROM conversations WHERE key = ?", (key,))
            await self._db.execute("DELETE FROM outbox WHERE key = ?", (key,))
            await self._db.execute("DELETE FROM person_requests WHERE key = ?", (key,))
        elif isinstance(effect, RequestPerson):
            await self._db.execute(
                "INSERT INTO person_requests (key, urgent, created_at) VALUES (?, ?, ?)",
                (key, int(effect.urgent), stamp),
            )
        else:
            raise TypeError(f"unknown effect {type(effect).__name__}")

    async def pending(self, key: str | None = None) -> list[OutboxItem]:
        """Replies committed but not delivered (after a crash, they go out on restart)."""
        query = "SELECT id, key, payload FROM outbox"
        args: tuple[str, ...] = ()
        if key is not None:
            query, args = query + " WHERE key = ?", (key,)
        async with self._db.execute(query + " ORDER BY id", args) as cursor:
            rows = await cursor.fetchall()
        return [OutboxItem(r[0], r[1], Rendered.from_json(json.loads(r[2]))) for r in rows]

    async def delivered(self, item_id: int) -> None:
        async with self._transaction():
            await self._db.execute("DELETE FROM outbox WHERE id = ?", (item_id,))

    async def reports(self) -> list[Report]:
        async with self._db.execute("SELECT * FROM reports ORDER BY month, ref") as cursor:
            rows = await cursor.fetchall()
        return [_report_from_row(tuple(row)) for row in rows]

    async def purge(self, now: datetime, retention_days: int) -> int:
        """Forget conversations idle longer than the retention delay, and old update ids."""
        limit = (now - timedelta(days=retention_days)).isoformat(timespec="seconds")
        updates_limit = (now - timedelta(days=2)).isoformat(timespec="seconds")
        async with self._transaction():
            cursor = await self._db.execute(
                "DELETE FROM conversations WHERE updated_at < ?", (limit,)
            )
            await self._db.execute(
                "DELETE FROM processed_updates WHERE processed_at < ?", (updates_limit,)
            )
            await self._db.execute("DELETE FROM person_requests WHERE created_at < ?", (limit,))
        return cursor.rowcount


class _Transaction:
    """`BEGIN IMMEDIATE` … `COMMIT`, serialised across coroutines sharing the connection."""

    def __init__(self, db: aiosqlite.Connection, lock: asyncio.Lock) -> None:
        self._db, self._lock = db, lock

    async def __aenter__(self) -> None:
        await self._lock.acquire()
        try:
            await self._db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise

    async def __aexit__(self, kind: object, error: object, trace: object) -> None:
        try:
            await self._db.execute("ROLLBACK" if error else "COMMIT")
        finally:
            self._lock.release()


def _report_row(report: Report) -> tuple[object, ...]:
    return (
        report.ref,
        report.month,
        report.territory,
        report.commune,
        report.channel,
        report.language,
        report.role,
        report.situation,
        json.dumps(report.criteria),
        report.family,
        report.domain,
        json.dumps(report.needs),
        int(report.urgent),
        json.dumps(report.partners),
        int(report.escalated),
        report.outcome,
        report.description,
    )


def _report_from_row(row: tuple[object, ...]) -> Report:
    (
        ref,
        month,
        territory,
        commune,
        channel,
        language,
        role,
        situation,
        criteria,
        family,
        domain,
        needs,
        urgent,
        partners,
        escalated,
        outcome,
        description,
    ) = row
    return Report(
        ref=str(ref),
        month=str(month),
        territory=str(territory),
        commune=commune if commune is None else str(commune),
        channel=str(channel),
        language=str(language),
        role=role if role is None else str(role),
        situation=situation if situation is None else str(situation),
        criteria=tuple(json.loads(str(criteria))),
        family=family if family is None else str(family),
        domain=domain if domain is None else str(domain),
        needs=tuple(json.loads(str(needs))),
        urgent=bool(urgent),
        partners=tuple(json.loads(str(partners))),
        escalated=bool(escalated),
        outcome=str(outcome),
        description=str(description),
    )
