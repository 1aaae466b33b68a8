"""The store's schema as ordered, named migrations, recorded in the database and safe to re-run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001_conversations",
        """CREATE TABLE conversations (
            key TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
    ),
    Migration(
        "0002_processed_updates",
        """CREATE TABLE processed_updates (
            channel TEXT NOT NULL,
            update_id INTEGER NOT NULL,
            processed_at TEXT NOT NULL,
            PRIMARY KEY (channel, update_id)
        )""",
    ),
    Migration(
        "0003_outbox",
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
    ),
    Migration(
        "0004_reports",
        """CREATE TABLE reports (
            ref TEXT PRIMARY KEY,
            month TEXT NOT NULL,
            territory TEXT NOT NULL,
            commune TEXT,
            channel TEXT NOT NULL,
            language TEXT NOT NULL,
            role TEXT,
            situation TEXT,
            criteria TEXT NOT NULL,
            family TEXT,
            domain TEXT,
            needs TEXT NOT NULL,
            urgent INTEGER NOT NULL,
            partners TEXT NOT NULL,
            escalated INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            description TEXT NOT NULL
        )""",
    ),
    Migration("0005_outbox_by_key", "CREATE INDEX outbox_by_key ON outbox (key, id)"),
    Migration(
        "0006_person_requests",
        """CREATE TABLE person_requests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL,
            urgent INTEGER NOT NULL,
            created_at TEXT NOT NULL
        )""",
    ),
    Migration(
        "0007_escalations",
        """CREATE TABLE escalations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT UNIQUE,
            status TEXT NOT NULL,
            urgent INTEGER NOT NULL,
            sheet TEXT NOT NULL,
            operator TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '[]',
            topic_id INTEGER,
            anchor_id INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            reminded_at TEXT
        )""",
    ),
    Migration(
        "0008_team_outbox",
        """CREATE TABLE team_outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            escalation INTEGER NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
    ),
    Migration(
        "0009_team_messages",
        """CREATE TABLE team_messages (
            chat_id INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            escalation INTEGER NOT NULL,
            PRIMARY KEY (chat_id, message_id)
        )""",
    ),
    Migration("0010_drop_person_requests", "DROP TABLE person_requests"),
    Migration("0011_topic_title", "ALTER TABLE escalations ADD COLUMN topic_title TEXT"),
)
