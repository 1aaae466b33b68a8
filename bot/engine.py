"""The one path of a message: drop duplicates, lock the chat, load, advance, commit, deliver.

Rule: a reply goes out only after the step that produced it is committed (outbox), and an update
id already committed is ignored, so restarts and redeliveries neither lose nor repeat anything.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.i18n import Rendered, Renderer
from bot.store import OutboxItem, Store
from directory.lexicon import Lexicon
from directory.model import Directory, Knowledge
from directory.names import NameLexicon
from flows import Context, Escalate, Event, FollowUp, SheetChanged, State, Step, ToTeam, advance
from flows.operate import TeamAction, operate

log = logging.getLogger(__name__)

TEAM_EFFECTS = (Escalate, SheetChanged, FollowUp, ToTeam)
"""Effects the operators' desk must look at after the step (messages, titles)."""
TEAM_CHANNELS = ("telegram",)
"""Channels whose conversations the operators' group can take over (the console is local)."""
REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """A random report reference that reads well aloud: AD-XXXX-XXXX (no 0/O, 1/I)."""
    chars = "".join(secrets.choice(REF_ALPHABET) for _ in range(8))
    return f"AD-{chars[:4]}-{chars[4:]}"


class OutputPort(Protocol):
    """What every channel implements to deliver a rendered reply to a conversation."""

    async def send(self, key: str, message: Rendered) -> None: ...


@dataclass(frozen=True, slots=True)
class World:
    """The data a step consults, loaded once at start-up."""

    knowledge: Knowledge
    directory: Directory
    lexicon: Lexicon
    names: NameLexicon
    retention_days: int
    default_language: str
    team_group: int | None = None
    """The operators' Telegram group (territory settings or ALLODISCRI_OPERATORS_GROUP)."""

    @property
    def team_language(self) -> str:
        return self.directory.territory.operators.language


@dataclass(slots=True)
class Outcome:
    """What one committed step leaves to do: the replies to deliver, and how the event fared."""

    items: list[OutboxItem]
    duplicate: bool = False
    refused: bool = False
    team: bool = False
    """The step left something for the operators' group (messages, a changed sheet)."""


class Undeliverable(Exception):
    """A reply that can never be delivered (the person blocked the bot): dropped, not retried."""


class _ChatLocks:
    """One lock per conversation, dropped when nobody holds it (memory stays flat)."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class Engine:
    """Runs steps for every channel against one store."""

    def __init__(
        self,
        store: Store,
        renderer: Renderer,
        world: World,
        clock: Callable[[], datetime],
        references: Callable[[], str] = new_reference,
    ) -> None:
        self.store = store
        self.renderer = renderer
        self.world = world
        self._clock = clock
        self._references = references
        self._locks = _ChatLocks()

    async def handle(
        self,
        key: str,
        channel: str,
        event: Event,
        update_id: int | None = None,
        language: str | None = None,
    ) -> list[OutboxItem]:
        """Process one event; returns the committed replies to deliver (none for a duplicate)."""
        return (await self.process(key, channel, event, update_id, language)).items

    async def process(
        self,
        key: str,
        channel: str,
        event: Event,
        update_id: int | None = None,
        language: str | None = None,
    ) -> Outcome:
        """`handle`, also telling whether the event was a duplicate or did not answer."""
        async with self._locks.hold(key):
            loaded = await self.store.load_for(key, channel, update_id)
            if loaded.duplicate:
                return Outcome([], duplicate=True)
            state = loaded.state
            if state is None:
                state = State(lang=language or self.world.default_language)
            now = self._clock()
            step = advance(state, event, self._context(channel, now))
            return await self._commit(key, channel, update_id, step, now)

    async def operate(
        self, key: str, channel: str, action: TeamAction, update_id: int | None = None
    ) -> Outcome | None:
        """A member of the team acts on a conversation; None when it no longer exists."""
        async with self._locks.hold(key):
            loaded = await self.store.load_for(key, channel, update_id)
            if loaded.duplicate:
                return Outcome([], duplicate=True)
            if loaded.state is None:
                return None
            now = self._clock()
            step = operate(loaded.state, action, self._context(channel, now))
            return await self._commit(key, channel, update_id, step, now)

    async def _commit(
        self, key: str, channel: str, update_id: int | None, step: Step, now: datetime
    ) -> Outcome:
        outgoing = [self.renderer.render(reply, step.state.lang) for reply in step.replies]
        language = self.world.team_language
        posts = [
            self.renderer.message(e.body, language) for e in step.effects if isinstance(e, ToTeam)
        ]
        items = await self.store.commit(key, channel, update_id, step, outgoing, now, posts)
        team = bool(posts) or any(isinstance(e, TEAM_EFFECTS) for e in step.effects)
        return Outcome(items, refused=step.refused, team=team)

    def now(self) -> datetime:
        return self._clock()

    async def exists(self, key: str) -> bool:
        return await self.store.load(key) is not None

    def _context(self, channel: str, now: datetime) -> Context:
        world = self.world
        return Context(
            now=now,
            knowledge=world.knowledge,
            directory=world.directory,
            lexicon=world.lexicon,
            names=world.names,
            channel=channel,
            new_ref=self._references(),
            retention_days=world.retention_days,
            team_desk=world.team_group is not None and channel in TEAM_CHANNELS,
        )

    async def deliver(self, items: list[OutboxItem], port: OutputPort) -> int:
        """Send committed replies in order and forget each once delivered; returns how many
        could never go out.

        A port raises `Undeliverable` for a reply that can never go out (it is dropped) and any
        other error for a passing failure: the reply and those after it stay in the outbox.
        """
        dropped = 0
        for item in items:
            try:
                await port.send(item.key, item.message)
            except Undeliverable as error:
                log.info("reply %s dropped: %s", item.id, error)
                dropped += 1
            await self.store.delivered(item.id)
        return dropped

    async def flush(self, port: OutputPort, key: str | None = None) -> int:
        """Deliver what a previous run committed but did not send."""
        items = await self.store.pending(key)
        await self.deliver(items, port)
        return len(items)
