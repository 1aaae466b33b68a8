"""The store's follow-up tables: escalations, the team's outbox, and which group message is whose.

Rule: a follow-up row links the team's pseudonym (its number) to a conversation key; the key
never leaves the process (the group sees the number, never the chat). Messages for the group are
committed in the same transaction as the step that produced them and deleted once delivered, like
the person's outbox. Erasing a conversation blanks its follow-up: no key, no sheet, no notes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.transaction import Transaction
from flows import Effect, Escalate, FollowUp, SheetChanged, TeamNote, ToTeam

OPEN_STATUSES = ("waiting", "taken", "returned", "closed")
"""Follow-ups the team can still act on (shown in the queue)."""


@dataclass(frozen=True, slots=True)
class Escalation:
    """One follow-up row."""

    id: int
    key: str | None
    status: str
    urgent: bool
    sheet: str
    operator: str
    notes: tuple[dict[str, str], ...]
    topic_id: int | None
    anchor_id: int | None
    created_at: datetime
    updated_at: datetime
    reminded_at: datetime | None
    topic_title: str | None = None


@dataclass(frozen=True, slots=True)
class TeamPost:
    """A message committed for the operators' group, not yet delivered."""

    id: int
    escalation: int
    kind: str
    text: str


_COLUMNS = (
    "id, key, status, urgent, sheet, operator, notes, topic_id, anchor_id, created_at, "
    "updated_at, reminded_at, topic_title"
)


def _row(row: tuple[object, ...] | None) -> Escalation | None:
    if row is None:
        return None
    (ident, key, status, urgent, sheet, operator, notes, topic, anchor, created, updated,
     reminded, title) = row  # fmt: skip
    return Escalation(
        id=int(ident),  # type: ignore[call-overload]
        key=key,  # type: ignore[arg-type]
        status=str(status),
        urgent=bool(urgent),
        sheet=str(sheet),
        operator=str(operator),
        notes=tuple(json.loads(str(notes))),
        topic_id=topic,  # type: ignore[arg-type]
        anchor_id=anchor,  # type: ignore[arg-type]
        created_at=datetime.fromisoformat(str(created)),
        updated_at=datetime.fromisoformat(str(updated)),
        reminded_at=datetime.fromisoformat(str(reminded)) if reminded else None,
        topic_title=title,  # type: ignore[arg-type]
    )


def apply(
    db: sqlite3.Connection, key: str, effect: Effect, stamp: str, posts: Iterator[str]
) -> bool:
    """Apply a follow-up effect; False when `effect` is not one (the caller handles it)."""
    if isinstance(effect, Escalate):
        db.execute(
            "INSERT INTO escalations (key, status, urgent, sheet, created_at, updated_at) "
            "VALUES (?, 'waiting', ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
            "status = 'waiting', urgent = excluded.urgent, sheet = excluded.sheet, "
            "operator = '', notes = '[]', created_at = excluded.created_at, "
            "updated_at = excluded.updated_at, reminded_at = NULL",
            (key, int(effect.sheet.urgent), effect.sheet.to_json(), stamp, stamp),
        )
    elif isinstance(effect, SheetChanged):
        db.execute(
            "UPDATE escalations SET sheet = ?, urgent = ?, updated_at = ? WHERE key = ?",
            (effect.sheet.to_json(), int(effect.sheet.urgent), stamp, key),
        )
    elif isinstance(effect, FollowUp):
        db.execute(
            "UPDATE escalations SET status = ?, operator = ?, updated_at = ? WHERE key = ?",
            (effect.status, effect.operator, stamp, key),
        )
    elif isinstance(effect, ToTeam):
        db.execute(
            "INSERT INTO team_outbox (escalation, kind, text, created_at) "
            "SELECT id, ?, ?, ? FROM escalations WHERE key = ?",
            (effect.kind, next(posts), stamp, key),
        )
    elif isinstance(effect, TeamNote):
        note = json.dumps({"at": stamp, "by": effect.operator, "text": effect.text})
        db.execute(
            "UPDATE escalations SET notes = json_insert(notes, '$[#]', json(?)), "
            "updated_at = ? WHERE key = ?",
            (note, stamp, key),
        )
    else:
        return False
    return True


def erase(db: sqlite3.Connection, key: str, stamp: str) -> None:
    """The person erased their data: the follow-up keeps only its number and its topic."""
    db.execute(
        "DELETE FROM team_outbox WHERE kind = 'person' AND escalation IN "
        "(SELECT id FROM escalations WHERE key = ?)",
        (key,),
    )
    db.execute(
        "UPDATE escalations SET key = NULL, status = 'erased', sheet = '{}', notes = '[]', "
        "operator = '', updated_at = ? WHERE key = ?",
        (stamp, key),
    )


def _one(db: sqlite3.Connection, where: str, args: tuple[object, ...]) -> Escalation | None:
    """The newest follow-up matching `where` (a SQL condition on escalations), if any."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM escalations WHERE {where} ORDER BY id DESC LIMIT 1", args
    ).fetchone()
    return _row(row)


def by_id(db: sqlite3.Connection, number: int) -> Escalation | None:
    return _one(db, "id = ?", (number,))


def by_key(db: sqlite3.Connection, key: str) -> Escalation | None:
    return _one(db, "key = ?", (key,))


def by_topic(db: sqlite3.Connection, topic_id: int) -> Escalation | None:
    return _one(db, "topic_id = ?", (topic_id,))


def by_message(db: sqlite3.Connection, chat_id: int, message_id: int) -> Escalation | None:
    return _one(
        db,
        "id = (SELECT escalation FROM team_messages WHERE chat_id = ? AND message_id = ?)",
        (chat_id, message_id),
    )


def queue(db: sqlite3.Connection) -> list[Escalation]:
    marks = ", ".join("?" * len(OPEN_STATUSES))
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM escalations WHERE status IN ({marks}) ORDER BY id",
        OPEN_STATUSES,
    ).fetchall()
    return [e for row in rows if (e := _row(row)) is not None]


def pending_posts(db: sqlite3.Connection) -> list[TeamPost]:
    rows = db.execute("SELECT id, escalation, kind, text FROM team_outbox ORDER BY id").fetchall()
    return [TeamPost(int(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows]


def posted(
    db: sqlite3.Connection, post_id: int, chat_id: int, message_ids: list[int], escalation: int
) -> None:
    """A post went out: forget it, and remember its messages so a reply finds the follow-up."""
    with Transaction(db):
        db.execute("DELETE FROM team_outbox WHERE id = ?", (post_id,))
        db.executemany(
            "INSERT OR IGNORE INTO team_messages VALUES (?, ?, ?)",
            [(chat_id, m, escalation) for m in message_ids],
        )
        db.execute(
            "UPDATE escalations SET anchor_id = ? WHERE id = ? AND anchor_id IS NULL",
            (message_ids[0] if message_ids else None, escalation),
        )


def remember_message(db: sqlite3.Connection, chat_id: int, message_id: int, number: int) -> None:
    """A member's message relayed to the person: deleted with the follow-up's if they erase."""
    db.execute(
        "INSERT OR IGNORE INTO team_messages VALUES (?, ?, ?)", (chat_id, message_id, number)
    )


def messages_of(db: sqlite3.Connection, number: int) -> list[int]:
    rows = db.execute(
        "SELECT message_id FROM team_messages WHERE escalation = ? ORDER BY message_id", (number,)
    ).fetchall()
    return [int(r[0]) for r in rows]


def forget_messages(db: sqlite3.Connection, number: int) -> None:
    db.execute("DELETE FROM team_messages WHERE escalation = ?", (number,))


def set_topic(
    db: sqlite3.Connection, escalation: int, topic_id: int | None, title: str | None = None
) -> None:
    db.execute(
        "UPDATE escalations SET topic_id = ?, topic_title = ? WHERE id = ?",
        (topic_id, title, escalation),
    )


def with_topics(db: sqlite3.Connection) -> list[Escalation]:
    """Follow-ups that have a forum topic (erased ones excluded): their titles follow them."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM escalations WHERE topic_id IS NOT NULL AND status != 'erased'"
    ).fetchall()
    return [e for row in rows if (e := _row(row)) is not None]


def remind(
    db: sqlite3.Connection,
    now: datetime,
    every: timedelta,
    text_for: Callable[[Escalation], str],
) -> int:
    """Queue a reminder for every follow-up waiting longer than `every` since it was opened or
    last recalled; returns how many. `text_for(escalation)` renders the reminder."""
    limit = (now - every).isoformat(timespec="seconds")
    stamp = now.isoformat(timespec="seconds")
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM escalations WHERE status = 'waiting' "
        "AND COALESCE(reminded_at, created_at) <= ?",
        (limit,),
    ).fetchall()
    due = [e for row in rows if (e := _row(row)) is not None]
    if not due:
        return 0
    with Transaction(db):
        for escalation in due:
            db.execute(
                "INSERT INTO team_outbox (escalation, kind, text, created_at) "
                "VALUES (?, 'reminder', ?, ?)",
                (escalation.id, text_for(escalation), stamp),
            )
            db.execute(
                "UPDATE escalations SET reminded_at = ? WHERE id = ?", (stamp, escalation.id)
            )
    return len(due)


def purge(db: sqlite3.Connection, limit: str) -> None:
    """Forget follow-ups nobody touched within the retention delay (inside the caller's
    transaction), with their group messages' links."""
    db.execute(
        "DELETE FROM team_messages WHERE escalation IN "
        "(SELECT id FROM escalations WHERE updated_at < ?)",
        (limit,),
    )
    db.execute("DELETE FROM team_outbox WHERE escalation IN "
               "(SELECT id FROM escalations WHERE updated_at < ?)", (limit,))  # fmt: skip
    db.execute("DELETE FROM escalations WHERE updated_at < ?", (limit,))
